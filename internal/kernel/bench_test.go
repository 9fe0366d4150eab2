package kernel

import (
	"fmt"
	"testing"
)

// square returns three n×n row-major matrices with values in [-1, 1).
func square[T Float](n int) (a, b, c Matrix[T]) {
	rng := newRand(12)
	mk := func() Matrix[T] {
		d := make([]T, n*n)
		for i := range d {
			d[i] = T(2*rng.Float64() - 1)
		}
		return Matrix[T]{Data: d, Rows: n, Cols: n, RowStride: n, ColStride: 1}
	}
	return mk(), mk(), mk()
}

// reportGFLOPs reports the rate of `flops` floating-point operations per
// iteration.
func reportGFLOPs(b *testing.B, flops float64) {
	b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// benchGemm times C = A·B for n×n matrices with the given kernel set (nil:
// what Gemm uses, OpenBLAS in an openblas build) and thread count,
// reporting GFLOP/s (2n³ per product).
func benchGemm[T Float](b *testing.B, ks *kernelSet[T], n, threads int) {
	a, bm, c := square[T](n)
	b.ReportAllocs()
	for b.Loop() {
		if err := gemmChecked(ks, 1, 1, a, 0, bm, 0, 0, c, 0, Options{Threads: threads}); err != nil {
			b.Fatal(err)
		}
	}
	reportGFLOPs(b, 2*float64(n)*float64(n)*float64(n))
}

// BenchmarkDGEMM: float64 C = A·B, n ∈ {256, 512, 1024}, on 1 and 2 threads
// (with -tags openblas: OpenBLAS).
func BenchmarkDGEMM(b *testing.B) {
	for _, n := range []int{256, 512, 1024} {
		for _, th := range []int{1, 2} {
			b.Run(fmt.Sprintf("n=%d/threads=%d", n, th), func(b *testing.B) { benchGemm[float64](b, nil, n, th) })
		}
	}
}

// BenchmarkSGEMM: float32 C = A·B, n ∈ {256, 512, 1024}, on 1 and 2 threads
// (with -tags openblas: OpenBLAS).
func BenchmarkSGEMM(b *testing.B) {
	for _, n := range []int{256, 512, 1024} {
		for _, th := range []int{1, 2} {
			b.Run(fmt.Sprintf("n=%d/threads=%d", n, th), func(b *testing.B) { benchGemm[float32](b, nil, n, th) })
		}
	}
}

// BenchmarkDGEMMSmall: the direct path, n = 8…64 (run with -benchmem:
// 0 allocs/op; with -tags openblas: OpenBLAS).
func BenchmarkDGEMMSmall(b *testing.B) {
	for _, n := range []int{8, 16, 24, 32, 48, 64} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) { benchGemm[float64](b, nil, n, 0) })
	}
}

// BenchmarkSGEMMSmall: the direct path in float32, n = 8…64 (with -tags
// openblas: OpenBLAS).
func BenchmarkSGEMMSmall(b *testing.B) {
	for _, n := range []int{8, 16, 24, 32, 48, 64} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) { benchGemm[float32](b, nil, n, 0) })
	}
}

// BenchmarkDGEMMKernels: every kernel set this CPU runs, n = 512, one thread.
func BenchmarkDGEMMKernels(b *testing.B) {
	for _, ks := range sets64 {
		b.Run(ks.name, func(b *testing.B) { benchGemm(b, ks, 512, 1) })
	}
}

// BenchmarkSGEMMKernels: every float32 kernel set, n = 512, one thread.
func BenchmarkSGEMMKernels(b *testing.B) {
	for _, ks := range sets32 {
		b.Run(ks.name, func(b *testing.B) { benchGemm(b, ks, 512, 1) })
	}
}

// BenchmarkDGEMMLayouts: n = 512 with Aᵀ, Bᵀ and operands that have no unit
// stride (every other element of a wider buffer), packed directly.
func BenchmarkDGEMMLayouts(b *testing.B) {
	const n = 512
	for _, l := range []struct {
		name   string
		la, lb layout
	}{{"AB", rowMajor, rowMajor}, {"AtB", colMajor, rowMajor}, {"ABt", rowMajor, colMajor}, {"AtBt", colMajor, colMajor}, {"gapped", gapped, gappedT}} {
		b.Run(l.name, func(b *testing.B) {
			rng := newRand(13)
			a := newGuarded[float64](rng, n, n, l.la)
			bm := newGuarded[float64](rng, n, n, l.lb)
			c := newGuarded[float64](rng, n, n, rowMajor)
			for b.Loop() {
				if err := Gemm(1, a.Matrix, bm.Matrix, 0, c.Matrix, Options{Threads: 1}); err != nil {
					b.Fatal(err)
				}
			}
			reportGFLOPs(b, 2*n*n*n)
		})
	}
}

// BenchmarkBatched: the batched cases of shared/bench/exec_cases.json,
// bmm_b64_n128 (bij,bjk->bik) and attention_scores (bhqd,bhkd->bhqk, 48
// products of 256×64 by 64×256 with B transposed), on 1 and 2 threads.
func BenchmarkBatched(b *testing.B) {
	for _, bc := range []struct {
		name        string
		batch, m, k int
		n           int
		transposeB  bool
	}{{"bmm_b64_n128", 64, 128, 128, 128, false}, {"attention_scores", 48, 256, 64, 256, true}} {
		for _, th := range []int{1, 2} {
			b.Run(fmt.Sprintf("%s/threads=%d", bc.name, th), func(b *testing.B) {
				rng := newRand(14)
				data := func(n int) []float64 {
					d := make([]float64, n)
					for i := range d {
						d[i] = rng.Float64()
					}
					return d
				}
				a := Matrix[float64]{Data: data(bc.batch * bc.m * bc.k), Rows: bc.m, Cols: bc.k, RowStride: bc.k, ColStride: 1}
				bm := Matrix[float64]{Data: data(bc.batch * bc.k * bc.n), Rows: bc.k, Cols: bc.n, RowStride: bc.n, ColStride: 1}
				if bc.transposeB {
					bm = Matrix[float64]{Data: bm.Data, Rows: bc.n, Cols: bc.k, RowStride: bc.k, ColStride: 1}.T()
				}
				c := Matrix[float64]{Data: make([]float64, bc.batch*bc.m*bc.n), Rows: bc.m, Cols: bc.n, RowStride: bc.n, ColStride: 1}
				b.ReportAllocs()
				for b.Loop() {
					if err := GemmBatched(bc.batch, 1, a, bc.m*bc.k, bm, bc.k*bc.n, 0, c, bc.m*bc.n, Options{Threads: th}); err != nil {
						b.Fatal(err)
					}
				}
				reportGFLOPs(b, 2*float64(bc.batch*bc.m*bc.n*bc.k))
			})
		}
	}
}

// reportGBs reports the rate of moving `bytes` per iteration.
func reportGBs(b *testing.B, bytes float64) {
	b.ReportMetric(bytes*float64(b.N)/b.Elapsed().Seconds()/1e9, "GB/s")
}

// BenchmarkCopy: the TTGT permutations of exec_cases (28⁴ float64 arrays,
// abcd→cdab-style axis moves) and a 2048² transpose; GB/s counts the bytes
// read plus written.
func BenchmarkCopy(b *testing.B) {
	for _, c := range []struct {
		name  string
		shape []int
		dst   []int // dst strides; src is row-major
	}{
		{"n28/contiguous", []int{28, 28, 28, 28}, []int{21952, 784, 28, 1}},
		{"n28/abcd->cdab", []int{28, 28, 28, 28}, []int{28, 1, 21952, 784}},
		{"n28/abcd->dcba", []int{28, 28, 28, 28}, []int{1, 28, 784, 21952}},
		{"2048/transpose", []int{2048, 2048}, []int{1, 2048}},
	} {
		b.Run(c.name, func(b *testing.B) {
			size := 1
			for _, d := range c.shape {
				size *= d
			}
			srcStrides := make([]int, len(c.shape))
			s := 1
			for a := len(c.shape) - 1; a >= 0; a-- {
				srcStrides[a] = s
				s *= c.shape[a]
			}
			src := Strided[float64]{Data: make([]float64, size), Strides: srcStrides}
			dst := Strided[float64]{Data: make([]float64, size), Strides: c.dst}
			b.ReportAllocs()
			for b.Loop() {
				if err := Copy(c.shape, dst, src); err != nil {
					b.Fatal(err)
				}
			}
			reportGBs(b, float64(16*size))
		})
	}
}

// BenchmarkHadamardReduce: hadamard_reduce_2048 (ij,ij->, 2048², float64),
// a row-wise reduction (ij,ij->i) and trace_iij_1024x8 (iij->j as a
// diagonal view summed over i); GB/s counts the input bytes.
func BenchmarkHadamardReduce(b *testing.B) {
	const n = 2048
	x := Strided[float64]{Data: make([]float64, n*n), Strides: []int{n, 1}}
	y := Strided[float64]{Data: make([]float64, n*n), Strides: []int{n, 1}}
	for i := range x.Data {
		x.Data[i], y.Data[i] = 1, 1 // touch every page, as arrays with values would
	}
	b.Run("ij,ij->", func(b *testing.B) {
		out := Strided[float64]{Data: make([]float64, 1), Strides: []int{0, 0}}
		for b.Loop() {
			if err := HadamardReduce([]int{n, n}, 1, x, y, 0, out); err != nil {
				b.Fatal(err)
			}
		}
		reportGBs(b, 16*n*n)
	})
	b.Run("ij,ij->i", func(b *testing.B) {
		out := Strided[float64]{Data: make([]float64, n), Strides: []int{1, 0}}
		for b.Loop() {
			if err := HadamardReduce([]int{n, n}, 1, x, y, 0, out); err != nil {
				b.Fatal(err)
			}
		}
		reportGBs(b, 16*n*n)
	})
	b.Run("iij->j", func(b *testing.B) {
		const m, d = 1024, 8
		src := Strided[float64]{Data: make([]float64, m*m*d), Strides: []int{m*d + d, 1}}
		for i := range src.Data {
			src.Data[i] = 1 // touch every page, as an array with values would
		}
		dst := Strided[float64]{Data: make([]float64, d), Strides: []int{0, 1}}
		b.ReportAllocs()
		for b.Loop() {
			if err := Sum([]int{m, d}, 1, src, 0, dst); err != nil {
				b.Fatal(err)
			}
		}
		reportGBs(b, 8*m*d)
	})
}

// BenchmarkOuter: outer_4096 (i,j->ij, a 128 MiB float64 result); GB/s
// counts the bytes written.
func BenchmarkOuter(b *testing.B) {
	const n = 4096
	x := make([]float64, n)
	y := make([]float64, n)
	a := Matrix[float64]{Data: make([]float64, n*n), Rows: n, Cols: n, RowStride: n, ColStride: 1}
	for b.Loop() {
		if err := Outer(1, x, 0, 1, y, 0, 1, 0, a); err != nil {
			b.Fatal(err)
		}
	}
	reportGBs(b, 8*n*n)
}
