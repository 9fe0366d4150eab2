package tensorio

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/strand-tn/strand/tensor"
)

func TestFileRoundTrip(t *testing.T) {
	dir := t.TempDir()
	r := tensor.NewRand(5)
	x := tensor.RandNormal[float64](r, 3, 4)
	for _, ext := range []string{".npy", ".npz", ".safetensors", ".NPY"} {
		name := filepath.Join(dir, "x"+ext)
		if err := WriteFile(name, x, Options{}); err != nil {
			t.Fatal(err)
		}
		got, err := ReadFile[float64](name, Options{})
		if err != nil || !tensor.AllClose(got, x, 0, 0) {
			t.Fatalf("%s: %v", ext, err)
		}
		f, err := OpenFile(name, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if names := f.Names(); !slices.Equal(names, []string{NPYName}) {
			t.Fatalf("%s: names %v", ext, names)
		}
		if info, ok := f.Info(NPYName); !ok || info.DType != Float64 || !slices.Equal(info.Shape, []int{3, 4}) {
			t.Fatalf("%s: info %+v", ext, info)
		}
		all, err := ReadAll[float32](f)
		if err != nil || !tensor.AllClose(all[NPYName], tensor.Convert[float32](x), 0, 0) {
			t.Fatalf("%s: %v", ext, err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		if st, err := os.Stat(name); err != nil || st.Mode().Perm() != 0o644 {
			t.Fatalf("%s: mode %v, %v", ext, st.Mode(), err)
		}
	}
	many := map[string]*tensor.Dense[float64]{"a": x, "b": x.T()}
	for _, ext := range []string{".npz", ".safetensors"} {
		name := filepath.Join(dir, "many"+ext)
		if err := WriteFileAll(name, many, Options{}); err != nil {
			t.Fatal(err)
		}
		got, err := ReadFileAll[float64](name, Options{})
		if err != nil || !tensor.AllClose(got["b"], x.T(), 0, 0) {
			t.Fatalf("%s: %v", ext, err)
		}
		if _, err := ReadFile[float64](name, Options{}); err == nil || !strings.Contains(err.Error(), name+": holds 2 tensors, not one") {
			t.Fatalf("%s: %v", ext, err)
		}
	}
	got, err := ReadFileAll[float64](filepath.Join(dir, "x.npy"), Options{})
	if err != nil || len(got) != 1 || got[NPYName] == nil {
		t.Fatalf("ReadFileAll .npy: %v %v", got, err)
	}
}

func TestFileErrors(t *testing.T) {
	dir := t.TempDir()
	x := tensor.Arange[float64](3)
	name := filepath.Join(dir, "x.bin")
	if err := WriteFile(name, x, Options{}); err == nil || err.Error() != "tensorio: "+name+`: unknown file type ".bin" (want .npy, .npz or .safetensors)` {
		t.Fatalf("extension: %v", err)
	}
	missing := filepath.Join(dir, "missing.npy")
	if _, err := ReadFile[float64](missing, Options{}); err == nil || err.Error() != "tensorio: "+missing+": cannot open: no such file or directory" {
		t.Fatalf("missing: %v", err)
	}
	if _, err := OpenFile(dir+"/d.npz", Options{}); err == nil {
		t.Fatal("missing npz opened")
	}
	if err := os.Mkdir(filepath.Join(dir, "sub.npy"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile[float64](filepath.Join(dir, "sub.npy"), Options{}); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("directory: %v", err)
	}
	// Corrupt files are reported under their own names.
	bad := filepath.Join(dir, "bad.npy")
	b := fixture(t, "le_f8.npy")
	if err := os.WriteFile(bad, b[:150], 0o644); err != nil {
		t.Fatal(err)
	}
	want := "tensorio: " + bad + ": header says shape (2, 3) of <f8 (48 bytes) but only 22 bytes follow"
	if _, err := ReadFile[float64](bad, Options{}); err == nil || err.Error() != want {
		t.Fatalf("ReadFile: %v\nwant %s", err, want)
	}
	f, err := OpenFile(bad, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := Get[float64](f, NPYName); err == nil || err.Error() != want {
		t.Fatalf("OpenFile: %v\nwant %s", err, want)
	}
	badST := filepath.Join(dir, "bad.safetensors")
	if err := os.WriteFile(badST, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFileAll[float64](badST, Options{}); err == nil || !strings.HasPrefix(err.Error(), "tensorio: "+badST+": file is 2 bytes") {
		t.Fatalf("safetensors: %v", err)
	}
	if err := WriteFileAll(filepath.Join(dir, "two.npy"), map[string]*tensor.Dense[float64]{"a": x, "b": x}, Options{}); err == nil {
		t.Fatal("two tensors written to .npy")
	}
	if err := WriteFile(filepath.Join(dir, "nodir", "x.npy"), x, Options{}); err == nil || !strings.Contains(err.Error(), "cannot create") {
		t.Fatalf("missing directory: %v", err)
	}
}

// TestWriteFileAtomic fails a write half-way (the second tensor overflows
// float16): the existing file must keep its old bytes and mode, a new file must
// not appear, and no temporary file may be left behind.
func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	bad := map[string]*tensor.Dense[float64]{"a": tensor.Arange[float64](1000), "b": tensor.Scalar(1e9)}
	for _, ext := range []string{".npz", ".safetensors"} {
		name := filepath.Join(dir, "new"+ext)
		err := WriteFileAll(name, bad, Options{DType: Float16})
		if err == nil || !strings.Contains(err.Error(), "element 0 (1e+09) overflows float16") {
			t.Fatalf("%s: %v", ext, err)
		}
		if _, err := os.Stat(name); !os.IsNotExist(err) {
			t.Fatalf("%s: a failed write left the file (%v)", ext, err)
		}
		old := filepath.Join(dir, "old"+ext)
		if err := os.WriteFile(old, []byte("previous contents"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := WriteFileAll(old, bad, Options{DType: Float16}); err == nil {
			t.Fatalf("%s: no error", ext)
		}
		if b, err := os.ReadFile(old); err != nil || string(b) != "previous contents" {
			t.Fatalf("%s: old file now %q, %v", ext, b, err)
		}
		if err := WriteFileAll(old, map[string]*tensor.Dense[float64]{"a": bad["a"]}, Options{}); err != nil {
			t.Fatal(err)
		}
		if st, err := os.Stat(old); err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("%s: replaced file mode %v, %v", ext, st.Mode(), err)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{"old.npz", "old.safetensors"}; !slices.Equal(names, want) {
		t.Fatalf("directory holds %v, want %v", names, want)
	}
}

// TestReadNPYFromFileAndPipe reads through an *os.File, which can tell its
// length by seeking, and through a pipe, which cannot.
func TestReadNPYFromFileAndPipe(t *testing.T) {
	name := filepath.Join(t.TempDir(), "x.npy")
	x := tensor.Arange[float64](10)
	if err := WriteFile(name, x, Options{}); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := ReadNPY[float64](f)
	if err != nil || !tensor.AllClose(got, x, 0, 0) {
		t.Fatalf("file: %v %v", got, err)
	}
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	go func() {
		pw.Write(b[:len(b)-8])
		pw.Close()
	}()
	if _, err := ReadNPY[float64](pr); err == nil || !strings.Contains(err.Error(), "(80 bytes) but only 72 bytes follow") {
		t.Fatalf("pipe: %v", err)
	}
}
