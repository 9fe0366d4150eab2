package tensorio

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/strand-tn/strand/tensor"
)

func TestReadNPZFixtures(t *testing.T) {
	for _, name := range []string{"savez.npz", "savez_compressed.npz"} {
		t.Run(name, func(t *testing.T) {
			b := fixture(t, name)
			z, err := OpenNPZ(bytes.NewReader(b), int64(len(b)), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := z.Names(); !slices.Equal(got, []string{"a", "b", "c"}) {
				t.Fatalf("names %v", got)
			}
			if info, ok := z.Info("b"); !ok || info.DType != Int32 || !slices.Equal(info.Shape, []int{3}) {
				t.Fatalf("info b: %+v", info)
			}
			if h, ok := z.Header("a"); !ok || h.DType != Float64 || !slices.Equal(h.Shape, []int{2, 3}) || h.Major != 1 {
				t.Fatalf("header a: %+v", h)
			}
			all, err := ReadAll[float64](z)
			if err != nil {
				t.Fatal(err)
			}
			if !tensor.AllClose(all["a"], tensor.Arange[float64](6).MustReshape(2, 3), 0, 0) ||
				!slices.Equal(all["b"].Data(), []float64{1, 2, 3}) || all["c"].Rank() != 0 || all["c"].Item() != 1.5 {
				t.Fatalf("values %v", all)
			}
			c, err := Get[complex64](z, "c")
			if err != nil || c.Item() != 1.5 {
				t.Fatalf("Get c: %v %v", c, err)
			}
			if _, err := Get[float64](z, "d"); err == nil || err.Error() != `tensorio: npz: no tensor named "d" (it holds 3: a, b, c)` {
				t.Fatalf("missing: %v", err)
			}
			if _, err := ReadAll[float64](mustOpenNPZ(t, b, Options{MaxBytes: 79})); !errors.Is(err, ErrTooLarge) {
				t.Fatalf("limit: %v", err)
			}
		})
	}
}

func mustOpenNPZ(t *testing.T, b []byte, opt Options) *NPZ {
	t.Helper()
	z, err := OpenNPZ(bytes.NewReader(b), int64(len(b)), opt)
	if err != nil {
		t.Fatal(err)
	}
	return z
}

func TestNPZRoundTrip(t *testing.T) {
	r := tensor.NewRand(1)
	in := map[string]*tensor.Dense[float64]{
		"w":        tensor.RandNormal[float64](r, 3, 4),
		"b":        tensor.RandNormal[float64](r, 4),
		"s":        tensor.Scalar(2.0),
		"empty":    tensor.Zeros[float64](0, 2),
		"h.0.attn": tensor.RandNormal[float64](r, 2, 2, 2),
	}
	for _, compress := range []bool{false, true} {
		var buf bytes.Buffer
		if err := WriteNPZ(&buf, in, Options{Compress: compress}); err != nil {
			t.Fatal(err)
		}
		if !compress {
			checkGolden(t, "write.npz", buf.Bytes())
		}
		z := mustOpenNPZ(t, buf.Bytes(), Options{})
		if got := z.Names(); !slices.Equal(got, []string{"b", "empty", "h.0.attn", "s", "w"}) {
			t.Fatalf("names %v", got)
		}
		out, err := ReadAll[float64](z)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range in {
			if !tensor.AllClose(out[k], v, 0, 0) {
				t.Fatalf("compress=%v %s: %v, want %v", compress, k, out[k], v)
			}
		}
	}
	var buf bytes.Buffer
	if err := WriteNPZ(&buf, map[string]*tensor.Dense[float32]{"x": tensor.Arange[float32](4)}, Options{DType: Float16}); err != nil {
		t.Fatal(err)
	}
	if info, _ := mustOpenNPZ(t, buf.Bytes(), Options{}).Info("x"); info.DType != Float16 {
		t.Fatalf("dtype %v", info.DType)
	}
	if err := WriteNPZ(io.Discard, map[string]*tensor.Dense[float64]{"": tensor.Scalar(1.0)}, Options{}); err == nil {
		t.Fatal("empty member name accepted")
	}
}

func TestNPZErrors(t *testing.T) {
	zipOf := func(members map[string][]byte, order ...string) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, n := range order {
			w, _ := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Store})
			w.Write(members[n])
		}
		zw.Close()
		return buf.Bytes()
	}
	good := fixture(t, "le_f8.npy")
	open := func(b []byte) error {
		z, err := OpenNPZ(bytes.NewReader(b), int64(len(b)), Options{})
		if err != nil {
			return err
		}
		_, err = ReadAll[float64](z)
		return err
	}
	cases := []struct {
		name string
		in   []byte
		want string
	}{
		{"not zip", good, "tensorio: npz: not a valid zip archive"},
		{"bad member", zipOf(map[string][]byte{"a.npy": []byte("hello")}, "a.npy"), "tensorio: npz: a.npy: byte 0: not a .npy file"},
		{"short member", zipOf(map[string][]byte{"a.npy": good[:150]}, "a.npy"), "tensorio: npz: a.npy: header says shape (2, 3) of <f8 (48 bytes) but only 22 bytes follow"},
		{"duplicate", zipOf(map[string][]byte{"a.npy": good}, "a.npy", "a.npy"), `two members named "a.npy"`},
	}
	for _, c := range cases {
		if err := open(c.in); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v\nwant %q", c.name, err, c.want)
		}
	}
	// Members that are not .npy files are not tensors.
	z := mustOpenNPZ(t, zipOf(map[string][]byte{"a.npy": good, "README": []byte("hi"), "d/": nil}, "README", "a.npy", "d/"), Options{})
	if got := z.Names(); !slices.Equal(got, []string{"a"}) {
		t.Fatalf("names %v", got)
	}
	// A flipped data byte in a stored member fails the CRC-32 check.
	b := zipOf(map[string][]byte{"a.npy": good}, "a.npy")
	i := bytes.Index(b, good[128:136])
	b[i] ^= 1
	if err := open(b); err == nil || !strings.Contains(err.Error(), "checksum") {
		t.Fatalf("corrupt data: %v", err)
	}
}

func TestNPZTruncated(t *testing.T) {
	for _, name := range []string{"savez.npz", "savez_compressed.npz"} {
		b := fixture(t, name)
		for n := range len(b) {
			z, err := OpenNPZ(bytes.NewReader(b[:n]), int64(n), Options{})
			if err == nil {
				_, err = ReadAll[float64](z)
			}
			if err == nil {
				t.Fatalf("%s cut at %d: no error", name, n)
			}
		}
	}
}
