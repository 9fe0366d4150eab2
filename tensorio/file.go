package tensorio

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/strand-tn/strand/tensor"
)

// Formats are chosen by file extension (case-insensitive).
const (
	extNPY         = ".npy"
	extNPZ         = ".npz"
	extSafetensors = ".safetensors"
)

// NPYName is the name under which a .npy file's single tensor appears in an
// [Archive], as numpy.savez names an unnamed array.
const NPYName = "arr_0"

func format(name string) (string, error) {
	ext := strings.ToLower(filepath.Ext(name))
	switch ext {
	case extNPY, extNPZ, extSafetensors:
		return ext, nil
	}
	return "", errorf(name, -1, "unknown file type %q (want .npy, .npz or .safetensors)", filepath.Ext(name))
}

// File is a tensor file opened with [OpenFile]. It is an [Archive]: list the
// tensors with Names and Info, read them with [Get] or [ReadAll], then Close.
type File struct {
	Archive
	f *os.File
}

// Close closes the underlying file.
func (f *File) Close() error { return f.f.Close() }

// OpenFile opens a .npy, .npz or .safetensors file and reads its headers (not
// its data). A .npy file holds one tensor named [NPYName]. Errors name the file.
func OpenFile(name string, opt Options) (*File, error) {
	ext, err := format(name)
	if err != nil {
		return nil, err
	}
	f, size, err := openSized(name)
	if err != nil {
		return nil, err
	}
	var a Archive
	switch ext {
	case extNPY:
		a, err = openNPYArchive(f, size, name, opt)
	case extNPZ:
		a, err = openNPZ(f, size, name, opt)
	default:
		a, err = openSafetensors(f, size, name, opt)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return &File{Archive: a, f: f}, nil
}

func openSized(name string) (*os.File, int64, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, 0, &Error{Name: name, Offset: -1, Msg: "cannot open: " + errText(err), Err: err}
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, &Error{Name: name, Offset: -1, Msg: errText(err), Err: err}
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, 0, errorf(name, -1, "not a regular file")
	}
	return f, st.Size(), nil
}

// errText drops the operation and path that *os.PathError repeats.
func errText(err error) string {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}

// npyArchive presents a .npy file as an archive of one tensor.
type npyArchive struct {
	name string
	r    io.ReaderAt
	size int64
	h    NPYHeader
	lim  int64
}

func openNPYArchive(r io.ReaderAt, size int64, name string, opt Options) (*npyArchive, error) {
	h, err := readNPYHeader(io.NewSectionReader(r, 0, size), name)
	if err != nil {
		return nil, err
	}
	return &npyArchive{name: name, r: r, size: size, h: h, lim: opt.limit()}, nil
}

func (a *npyArchive) Names() []string { return []string{NPYName} }

func (a *npyArchive) Info(name string) (Info, bool) {
	if name != NPYName {
		return Info{}, false
	}
	return Info{Name: NPYName, DType: a.h.DType, Shape: append([]int(nil), a.h.Shape...)}, true
}

func (a *npyArchive) source(string) (*source, func() error, error) {
	avail := a.size - a.h.DataOffset
	return a.h.source(io.NewSectionReader(a.r, a.h.DataOffset, avail), a.name, avail), func() error { return nil }, nil
}

func (a *npyArchive) label() string { return a.name }
func (a *npyArchive) limit() int64  { return a.lim }

// ReadFile reads the one tensor of a .npy file, or of a .npz or .safetensors
// file holding exactly one, converted to T (the rules of [ReadNPYWith]).
func ReadFile[T tensor.Elem](name string, opt Options) (*tensor.Dense[T], error) {
	if ext, err := format(name); err != nil {
		return nil, err
	} else if ext == extNPY { // a plain sequential read
		f, size, err := openSized(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return readNPY[T](f, name, size, opt.limit())
	}
	f, err := OpenFile(name, opt)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	names := f.Names()
	if len(names) != 1 {
		return nil, errorf(name, -1, "holds %d tensors, not one; use ReadFileAll or OpenFile", len(names))
	}
	return Get[T](f, names[0])
}

// ReadFileAll reads every tensor of a .npy, .npz or .safetensors file,
// converted to T; a .npy file gives one tensor named [NPYName].
func ReadFileAll[T tensor.Elem](name string, opt Options) (map[string]*tensor.Dense[T], error) {
	f, err := OpenFile(name, opt)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadAll[T](f)
}

// WriteFile writes t to name in the format its extension names; in a .npz or
// .safetensors file the tensor is named [NPYName]. The file is written
// atomically: see [WriteFileAll].
func WriteFile[T tensor.Elem](name string, t *tensor.Dense[T], opt Options) error {
	return WriteFileAll(name, map[string]*tensor.Dense[T]{NPYName: t}, opt)
}

// WriteFileAll writes the tensors to name in the format its extension names
// (a .npy file takes exactly one tensor). The bytes go to a temporary file in
// the same directory, which is synced to disk and then renamed over name, so
// name is never left partial or truncated: after an error it is untouched and
// the temporary file is removed. A new file gets mode 0644; a replaced file
// keeps its mode.
func WriteFileAll[T tensor.Elem](name string, tensors map[string]*tensor.Dense[T], opt Options) error {
	ext, err := format(name)
	if err != nil {
		return err
	}
	return writeAtomic(name, func(w io.Writer) error {
		switch ext {
		case extNPY:
			if len(tensors) != 1 {
				return errorf(name, -1, "a .npy file holds one tensor, not %d", len(tensors))
			}
			var t *tensor.Dense[T]
			for _, t = range tensors {
			}
			return writeNPY(w, t, opt.DType, name)
		case extNPZ:
			return writeNPZ(w, tensors, opt, name)
		}
		return writeSafetensors(w, tensors, opt, name)
	})
}

// writeAtomic runs write into a temporary file beside name, then syncs and
// renames it to name; on any failure it removes the temporary file.
func writeAtomic(name string, write func(io.Writer) error) (err error) {
	dir := filepath.Dir(name)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(name)+".tmp*")
	if err != nil {
		return &Error{Name: name, Offset: -1, Msg: "cannot create: " + errText(err), Err: err}
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	fail := func(what string, e error) error {
		return &Error{Name: name, Offset: -1, Msg: fmt.Sprintf("%s: %s", what, errText(e)), Err: e}
	}
	bw := bufio.NewWriterSize(tmp, 1<<20)
	if err := write(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fail("writing", err)
	}
	mode := os.FileMode(0o644)
	if st, err := os.Stat(name); err == nil {
		mode = st.Mode().Perm()
	}
	if err := tmp.Chmod(mode); err != nil {
		return fail("setting the mode", err)
	}
	if err := tmp.Sync(); err != nil {
		return fail("syncing", err)
	}
	if err := tmp.Close(); err != nil {
		return fail("closing", err)
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		return fail("renaming into place", err)
	}
	// Make the rename itself durable. Some file systems cannot sync a
	// directory; the file is complete and in place either way.
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}
