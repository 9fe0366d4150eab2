package tensorio

import (
	"bytes"
	"math/cmplx"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/strand-tn/strand/tensor"
)

// fuzzOptions keeps fuzzed reads small.
var fuzzOptions = Options{MaxBytes: 1 << 20}

func addFixtures(f *testing.F, pattern string) {
	files, _ := filepath.Glob(filepath.Join("testdata", "numpy", pattern))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// FuzzReadNPY feeds arbitrary bytes to the .npy reader: it must never panic,
// and whatever it accepts must write back and read again to the same tensor.
func FuzzReadNPY(f *testing.F) {
	addFixtures(f, "*.npy")
	f.Add(npyBytes(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2L, 3L), }", make([]byte, 48)))
	f.Add(npyBytes(3, "{'descr': '>c8', 'fortran_order': True, 'shape': (1, 2), }", make([]byte, 16)))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, herr := ReadNPYHeader(bytes.NewReader(b))
		x, err := ReadNPYWith[complex128](bytes.NewReader(b), fuzzOptions)
		y, yerr := ReadNPYWith[float32](onlyReader{bytes.NewReader(b)}, fuzzOptions)
		if err != nil {
			return
		}
		if herr != nil || !slices.Equal(h.Shape, x.Shape()) {
			t.Fatalf("read %v but header %+v, %v", x.Shape(), h, herr)
		}
		if yerr == nil && !slices.Equal(y.Shape(), x.Shape()) {
			t.Fatalf("shapes %v and %v", y.Shape(), x.Shape())
		}
		var buf bytes.Buffer
		if err := WriteNPY(&buf, x); err != nil {
			t.Fatal(err)
		}
		back, err := ReadNPY[complex128](&buf)
		if err != nil {
			t.Fatal(err)
		}
		if !sameBits(back, x) {
			t.Fatalf("round trip changed %v to %v", x, back)
		}
	})
}

// sameBits compares tensors element by element, NaNs included.
func sameBits(a, b *tensor.Dense[complex128]) bool {
	if !slices.Equal(a.Shape(), b.Shape()) {
		return false
	}
	x, y := a.Data(), b.Data()
	for k := range x {
		if x[k] != y[k] && !(cmplx.IsNaN(x[k]) && cmplx.IsNaN(y[k])) {
			return false
		}
	}
	return true
}

// FuzzReadSafetensors feeds arbitrary bytes to the .safetensors reader: it
// must never panic, and an accepted file must rewrite to an equal one.
func FuzzReadSafetensors(f *testing.F) {
	addFixtures(f, "*.safetensors")
	f.Add(stFile(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"__metadata__":{"k":"v"}}`, make([]byte, 4)))
	f.Add(stFile(`{"a":{"dtype":"BF16","shape":[],"data_offsets":[0,2]},"b":{"dtype":"F16","shape":[0],"data_offsets":[2,2]}}  `, make([]byte, 2)))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := OpenSafetensors(bytes.NewReader(b), int64(len(b)), fuzzOptions)
		if err != nil {
			return
		}
		all, err := ReadAll[complex128](s)
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := WriteSafetensors(&buf, all, Options{DType: Complex64, Metadata: s.Metadata()}); err != nil {
			return // values beyond complex64's range
		}
		s2, err := OpenSafetensors(bytes.NewReader(buf.Bytes()), int64(buf.Len()), Options{})
		if err != nil {
			t.Fatalf("rewritten file rejected: %v", err)
		}
		if len(s2.Names()) != len(all) {
			t.Fatalf("%d tensors became %d", len(all), len(s2.Names()))
		}
		for _, n := range s.Names() {
			i1, _ := s.Info(n)
			i2, ok := s2.Info(n)
			if !ok || !slices.Equal(i1.Shape, i2.Shape) {
				t.Fatalf("%s: %+v became %+v", n, i1, i2)
			}
		}
	})
}

// FuzzReadNPZ feeds arbitrary bytes to the .npz reader: it must never panic.
func FuzzReadNPZ(f *testing.F) {
	addFixtures(f, "*.npz")
	f.Fuzz(func(t *testing.T, b []byte) {
		z, err := OpenNPZ(bytes.NewReader(b), int64(len(b)), fuzzOptions)
		if err != nil {
			return
		}
		for _, n := range z.Names() {
			if x, err := Get[float64](z, n); err == nil {
				info, _ := z.Info(n)
				if !slices.Equal(info.Shape, x.Shape()) {
					t.Fatalf("%s: info %v, read %v", n, info.Shape, x.Shape())
				}
			}
		}
	})
}
