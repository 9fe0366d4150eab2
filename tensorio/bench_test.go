package tensorio

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/strand-tn/strand/tensor"
)

const benchBytes = 64 << 20

// benchNPY returns a 64 MiB .npy file of random values stored as dt.
func benchNPY(b *testing.B, dt DType) []byte {
	b.Helper()
	n := benchBytes / dt.Size()
	x := tensor.RandNormal[float64](tensor.NewRand(1), n/1024, 1024)
	var buf bytes.Buffer
	buf.Grow(benchBytes + 128)
	if err := WriteNPYWith(&buf, x, Options{DType: dt}); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkReadNPY reads a 64 MiB .npy: stored as the element type (a straight
// copy), converted from float32 and float16, byte-swapped from big-endian,
// from a stream that cannot tell its length, and from a file.
func BenchmarkReadNPY(b *testing.B) {
	f8 := benchNPY(b, Float64)
	b.Run("f8-to-float64", func(b *testing.B) {
		b.SetBytes(benchBytes)
		for b.Loop() {
			if _, err := ReadNPY[float64](bytes.NewReader(f8)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("f8-to-float64-stream", func(b *testing.B) {
		b.SetBytes(benchBytes)
		for b.Loop() {
			if _, err := ReadNPY[float64](onlyReader{bytes.NewReader(f8)}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("f8-to-float32", func(b *testing.B) {
		b.SetBytes(benchBytes)
		for b.Loop() {
			if _, err := ReadNPY[float32](bytes.NewReader(f8)); err != nil {
				b.Fatal(err)
			}
		}
	})
	be := bytes.Clone(f8)
	copy(be[8:], bytes.Replace(be[8:128], []byte("'<f8'"), []byte("'>f8'"), 1))
	b.Run("be-f8-to-float64", func(b *testing.B) {
		b.SetBytes(benchBytes)
		for b.Loop() {
			if _, err := ReadNPY[float64](bytes.NewReader(be)); err != nil {
				b.Fatal(err)
			}
		}
	})
	f4 := benchNPY(b, Float32)
	b.Run("f4-to-float64", func(b *testing.B) {
		b.SetBytes(benchBytes)
		for b.Loop() {
			if _, err := ReadNPY[float64](bytes.NewReader(f4)); err != nil {
				b.Fatal(err)
			}
		}
	})
	f2 := benchNPY(b, Float16)
	b.Run("f2-to-float32", func(b *testing.B) {
		b.SetBytes(benchBytes)
		for b.Loop() {
			if _, err := ReadNPY[float32](bytes.NewReader(f2)); err != nil {
				b.Fatal(err)
			}
		}
	})
	name := filepath.Join(b.TempDir(), "x.npy")
	x, err := ReadNPY[float64](bytes.NewReader(f8))
	if err != nil {
		b.Fatal(err)
	}
	if err := WriteFile(name, x, Options{}); err != nil {
		b.Fatal(err)
	}
	b.Run("file-f8-to-float64", func(b *testing.B) {
		b.SetBytes(benchBytes)
		for b.Loop() {
			if _, err := ReadFile[float64](name, Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkWriteNPY writes 64 MiB of float64 as <f8 (a straight copy) and as
// <f2 (rounding every element).
func BenchmarkWriteNPY(b *testing.B) {
	x := tensor.RandNormal[float64](tensor.NewRand(2), benchBytes/8/1024, 1024)
	var buf bytes.Buffer
	buf.Grow(benchBytes + 128)
	for _, dt := range []DType{Float64, Float16} {
		b.Run(dt.String(), func(b *testing.B) {
			b.SetBytes(benchBytes)
			for b.Loop() {
				buf.Reset()
				if err := WriteNPYWith(&buf, x, Options{DType: dt}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
