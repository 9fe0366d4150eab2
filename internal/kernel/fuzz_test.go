package kernel

import (
	"math"
	"testing"
)

// fuzzMatrix builds a view from fuzzed numbers: possibly negative or zero
// strides, offsets anywhere, data of any length.
func fuzzMatrix(data []float64, off uint16, rows, cols int, rs, cs int8) Matrix[float64] {
	return Matrix[float64]{Data: data, Off: int(off) % (len(data) + 2), Rows: rows, Cols: cols, RowStride: int(rs), ColStride: int(cs)}
}

// FuzzGemm feeds Gemm arbitrary shapes, strides, offsets and buffer
// lengths, with C sometimes in A's buffer. Whatever Gemm accepts must
// match the naive loop and leave everything outside C alone; whatever it
// rejects must leave C's buffer untouched. It must never panic.
func FuzzGemm(f *testing.F) {
	f.Add(uint8(3), uint8(4), uint8(5), int8(5), int8(1), int8(4), int8(1), int8(4), int8(1), uint16(0), uint16(0), uint16(0), uint16(40), uint16(40), uint16(40), false, uint8(0))
	f.Add(uint8(9), uint8(30), uint8(7), int8(1), int8(9), int8(-30), int8(1), int8(2), int8(20), uint16(3), uint16(400), uint16(1), uint16(300), uint16(500), uint16(700), false, uint8(1))
	f.Add(uint8(4), uint8(4), uint8(4), int8(4), int8(1), int8(4), int8(1), int8(4), int8(1), uint16(0), uint16(0), uint16(8), uint16(40), uint16(40), uint16(40), true, uint8(2))
	f.Add(uint8(70), uint8(70), uint8(70), int8(70), int8(1), int8(1), int8(70), int8(70), int8(1), uint16(0), uint16(0), uint16(0), uint16(4900), uint16(4900), uint16(4900), false, uint8(3))
	f.Fuzz(func(t *testing.T, m, n, k uint8, rsA, csA, rsB, csB, rsC, csC int8, offA, offB, offC, lenA, lenB, lenC uint16, cInA bool, scalars uint8) {
		M, N, K := int(m)%80, int(n)%80, int(k)%80
		a := make([]float64, int(lenA)%8000)
		b := make([]float64, int(lenB)%8000)
		c := make([]float64, int(lenC)%8000)
		for i := range a {
			a[i] = float64(i%13) - 6
		}
		for i := range b {
			b[i] = float64(i%7) - 3
		}
		for i := range c {
			c[i] = float64(i%5) - 2
		}
		if cInA {
			c = a
		}
		am := fuzzMatrix(a, offA, M, K, rsA, csA)
		bm := fuzzMatrix(b, offB, K, N, rsB, csB)
		cm := fuzzMatrix(c, offC, M, N, rsC, csC)
		alpha := []float64{1, 0, -2, 0.5}[scalars%4]
		beta := []float64{0, 1, 3, 0}[scalars/4%4]
		orig := append([]float64(nil), c...)
		err := Gemm(alpha, am, bm, beta, cm, Options{Threads: 1 + int(scalars)%3})
		if err != nil {
			for i := range c {
				if c[i] != orig[i] && !(math.IsNaN(c[i]) && math.IsNaN(orig[i])) {
					t.Fatalf("rejected call (%v) changed C[%d]", err, i)
				}
			}
			return
		}
		origC := cm
		origC.Data = orig
		want := naiveGemm(alpha, am, bm, beta, origC)
		inC := make([]bool, len(c))
		for i := 0; i < M; i++ {
			for j := 0; j < N; j++ {
				inC[cm.Off+i*cm.RowStride+j*cm.ColStride] = true
			}
		}
		for i := range c {
			if !inC[i] && c[i] != orig[i] {
				t.Fatalf("element %d outside C changed", i)
			}
		}
		compare(t, "fuzz", cm, want, 1e-9*float64(K+1))
	})
}

// FuzzCopy feeds Copy arbitrary 3-d shapes, strides, offsets and buffer
// lengths, sometimes with src in dst's buffer; accepted calls must match
// the definition, rejected ones must not write.
func FuzzCopy(f *testing.F) {
	f.Add(uint8(3), uint8(4), uint8(5), int8(20), int8(5), int8(1), int8(1), int8(3), int8(12), uint16(0), uint16(0), uint16(60), uint16(60), false)
	f.Add(uint8(9), uint8(1), uint8(33), int8(-33), int8(0), int8(1), int8(1), int8(9), int8(9), uint16(300), uint16(0), uint16(300), uint16(300), true)
	f.Fuzz(func(t *testing.T, d0, d1, d2 uint8, s0, s1, s2, t0, t1, t2 int8, offD, offS, lenD, lenS uint16, same bool) {
		shape := []int{int(d0) % 40, int(d1) % 40, int(d2) % 40}
		dst := make([]float32, int(lenD)%5000)
		src := make([]float32, int(lenS)%5000)
		for i := range src {
			src[i] = float32(i)
		}
		if same {
			src = dst
		}
		dv := Strided[float32]{Data: dst, Off: int(offD) % (len(dst) + 2), Strides: []int{int(s0), int(s1), int(s2)}}
		sv := Strided[float32]{Data: src, Off: int(offS) % (len(src) + 2), Strides: []int{int(t0), int(t1), int(t2)}}
		orig := append([]float32(nil), dst...)
		srcOrig := append([]float32(nil), src...)
		if err := Copy(shape, dv, sv); err != nil {
			for i := range dst {
				if dst[i] != orig[i] {
					t.Fatalf("rejected call (%v) changed dst[%d]", err, i)
				}
			}
			return
		}
		inDst := make([]bool, len(dst))
		forEachIndex(shape, func(idx []int) {
			o := dv.Off + idx[0]*dv.Strides[0] + idx[1]*dv.Strides[1] + idx[2]*dv.Strides[2]
			inDst[o] = true
			if w := srcOrig[sv.Off+idx[0]*sv.Strides[0]+idx[1]*sv.Strides[1]+idx[2]*sv.Strides[2]]; dst[o] != w {
				t.Fatalf("dst%v = %v, want %v", idx, dst[o], w)
			}
		})
		for i := range dst {
			if !inDst[i] && dst[i] != orig[i] {
				t.Fatalf("element %d outside dst changed", i)
			}
		}
	})
}
