package tensorio

import (
	"archive/zip"
	"errors"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/strand-tn/strand/tensor"
)

// NPZ is an opened .npz file: a zip archive (stored or deflated) of .npy
// members, as written by numpy.savez and numpy.savez_compressed. Tensor names
// are member names without the ".npy" suffix; members without that suffix are
// not tensors and are skipped, as are directories.
type NPZ struct {
	name    string
	size    int64
	names   []string
	members map[string]*npzMember
	lim     int64
}

type npzMember struct {
	f *zip.File
	h NPYHeader
}

// OpenNPZ reads the directory of the .npz archive r (size bytes) and the header
// of every member; data is read by [Get] and [ReadAll].
func OpenNPZ(r io.ReaderAt, size int64, opt Options) (*NPZ, error) {
	return openNPZ(r, size, "npz", opt)
}

func openNPZ(r io.ReaderAt, size int64, name string, opt Options) (*NPZ, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) { // names are never used as paths here
		msg := err.Error()
		if errors.Is(err, zip.ErrFormat) {
			msg = "not a valid zip archive (a .npz file is a zip of .npy files): " + msg
		}
		return nil, &Error{Name: name, Offset: -1, Msg: msg, Err: err}
	}
	z := &NPZ{name: name, size: size, members: map[string]*npzMember{}, lim: opt.limit()}
	for _, f := range zr.File {
		key, ok := strings.CutSuffix(f.Name, ".npy")
		if !ok || strings.HasSuffix(f.Name, "/") {
			continue
		}
		if _, dup := z.members[key]; dup {
			return nil, errorf(name, -1, "two members named %q", f.Name)
		}
		m := &npzMember{f: f}
		rc, err := z.open(m)
		if err != nil {
			return nil, err
		}
		m.h, err = readNPYHeader(rc, z.memberLabel(f))
		rc.Close()
		if err != nil {
			return nil, err
		}
		z.members[key] = m
		z.names = append(z.names, key)
	}
	return z, nil
}

func (z *NPZ) memberLabel(f *zip.File) string { return z.name + ": " + f.Name }

// open opens a member's uncompressed bytes.
func (z *NPZ) open(m *npzMember) (io.ReadCloser, error) {
	rc, err := m.f.Open()
	if err != nil {
		return nil, &Error{Name: z.memberLabel(m.f), Offset: -1, Msg: "opening member: " + err.Error(), Err: err}
	}
	return rc, nil
}

// Names lists the tensors in archive order.
func (z *NPZ) Names() []string { return slices.Clone(z.names) }

// Info describes the named tensor.
func (z *NPZ) Info(name string) (Info, bool) {
	m, ok := z.members[name]
	if !ok {
		return Info{}, false
	}
	return Info{Name: name, DType: m.h.DType, Shape: slices.Clone(m.h.Shape)}, true
}

// Header returns the full .npy header of the named member.
func (z *NPZ) Header(name string) (NPYHeader, bool) {
	m, ok := z.members[name]
	if !ok {
		return NPYHeader{}, false
	}
	h := m.h
	h.Shape = slices.Clone(h.Shape)
	return h, true
}

func (z *NPZ) label() string { return z.name }
func (z *NPZ) limit() int64  { return z.lim }

// source opens the member past its header. The size of a stored member bounds
// the data it can deliver; a deflated one is read as a stream of unknown
// length. done drains the member so that the zip reader verifies its CRC-32.
func (z *NPZ) source(name string) (*source, func() error, error) {
	m := z.members[name]
	label := z.memberLabel(m.f)
	rc, err := z.open(m)
	if err != nil {
		return nil, nil, err
	}
	h, err := readNPYHeader(rc, label)
	if err != nil {
		rc.Close()
		return nil, nil, err
	}
	avail := int64(-1)
	if m.f.Method == zip.Store && m.f.UncompressedSize64 == m.f.CompressedSize64 && m.f.CompressedSize64 <= uint64(z.size) {
		avail = int64(m.f.UncompressedSize64) - h.DataOffset
	}
	done := func() error {
		_, err := io.Copy(io.Discard, rc)
		rc.Close()
		if err != nil {
			return &Error{Name: label, Offset: -1, Msg: "reading member: " + err.Error(), Err: err}
		}
		return nil
	}
	return h.source(rc, label, avail), done, nil
}

// npzTime is the modification time written on members, fixed so that equal
// tensors give byte-identical archives.
var npzTime = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// WriteNPZ writes the tensors to w as a .npz archive, one .npy member per name
// in sorted order, stored as numpy.savez does (deflated with opt.Compress). The
// stored type is chosen as in [WriteNPYWith].
func WriteNPZ[T tensor.Elem](w io.Writer, tensors map[string]*tensor.Dense[T], opt Options) error {
	return writeNPZ(w, tensors, opt, "npz")
}

func writeNPZ[T tensor.Elem](w io.Writer, tensors map[string]*tensor.Dense[T], opt Options, name string) error {
	zw := zip.NewWriter(w)
	method := zip.Store
	if opt.Compress {
		method = zip.Deflate
	}
	names := make([]string, 0, len(tensors))
	for n := range tensors {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		label := name + ": " + n + ".npy"
		if n == "" || strings.HasSuffix(n, "/") {
			return errorf(name, -1, "tensor name %q cannot name a zip member", n)
		}
		f, err := zw.CreateHeader(&zip.FileHeader{Name: n + ".npy", Method: method, Modified: npzTime})
		if err != nil {
			return &Error{Name: label, Offset: -1, Msg: err.Error(), Err: err}
		}
		if err := writeNPY(f, tensors[n], opt.DType, label); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return &Error{Name: name, Offset: -1, Msg: "writing: " + err.Error(), Err: err}
	}
	return nil
}
