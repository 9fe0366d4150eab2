//go:build openblas

package kernel

import (
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/strand-tn/strand/internal/kernel/openblas"
)

// TestOpenBLAS checks, in an openblas build, that products with BLAS
// layouts go to OpenBLAS and give the naive loop's result (NaN in C with
// β = 0 included), and that the others stay on the kernels.
func TestOpenBLAS(t *testing.T) {
	t.Logf("OpenBLAS kernels: %s", openblas.Corename())
	testOpenBLAS[float64](t)
	testOpenBLAS[float32](t)
}

func testOpenBLAS[T Float](t *testing.T) {
	rng := newRand(31)
	blasLayouts := map[layout]bool{rowMajor: true, colMajor: true}
	for _, s := range []gemmShape{{1, 1, 1}, {7, 33, 65}, {65, 1, 7}, {120, 65, 90}} {
		for la := range numLayouts {
			for lb := range numLayouts {
				for _, lc := range []layout{rowMajor, colMajor, gapped} {
					a := newGuarded[T](rng, s.m, s.k, la)
					b := newGuarded[T](rng, s.k, s.n, lb)
					c := newGuarded[T](rng, s.m, s.n, lc)
					for i := 0; i < s.m; i++ {
						for j := 0; j < s.n; j++ {
							c.Data[c.Off+i*c.RowStride+j*c.ColStride] = T(math.NaN())
						}
					}
					what := fmt.Sprintf("%s %v A=%v B=%v C=%v", typeName[T](), s, la, lb, lc)
					want := naiveGemm(1.5, a.Matrix, b.Matrix, 0, c.Matrix)
					// Any layout of a vector is a BLAS layout: check the
					// routing on proper matrices.
					external := blasLayouts[la] && blasLayouts[lb] && blasLayouts[lc]
					got := externalGemm(Options{}, 1, 1.5, a.Matrix, 0, b.Matrix, 0, 0, c.Matrix, 0)
					if got != external && min(s.m, s.n, s.k) > 1 {
						t.Fatalf("%s: external %v, want %v", what, got, external)
					}
					if !got {
						if err := Gemm(1.5, a.Matrix, b.Matrix, 0, c.Matrix, Options{}); err != nil {
							t.Fatalf("%s: %v", what, err)
						}
					}
					c.checkGuards(t, what)
					compare(t, what, c.Matrix, want, tolerance[T](s.k))
				}
			}
		}
	}
}

// BenchmarkGEMMAlternating times OpenBLAS and this package's kernels on the
// same n×n product in turn, one call each per iteration, and reports the
// ratio of their median times (strand/openblas) with each one's GFLOP/s.
// Alternating in one process cancels most of a shared machine's clock
// drift, which separate benchmark runs (BenchmarkDGEMM with and without
// the tag) do not.
func BenchmarkGEMMAlternating(b *testing.B) {
	for _, n := range []int{256, 512, 1024} {
		for _, th := range []int{1, 2} {
			b.Run(fmt.Sprintf("float64/n=%d/threads=%d", n, th), func(b *testing.B) { benchAlternating[float64](b, n, th) })
			b.Run(fmt.Sprintf("float32/n=%d/threads=%d", n, th), func(b *testing.B) { benchAlternating[float32](b, n, th) })
		}
	}
}

func benchAlternating[T Float](b *testing.B, n, threads int) {
	a, bm, c := square[T](n)
	opt := Options{Threads: threads}
	ours := bestKernel[T]()
	var blas, strand []float64
	timed := func(ks *kernelSet[T]) float64 {
		start := time.Now()
		if err := gemmChecked(ks, 1, 1, a, 0, bm, 0, 0, c, 0, opt); err != nil {
			b.Fatal(err)
		}
		return time.Since(start).Seconds()
	}
	// Each goes first in every other iteration, so that neither always
	// meets the caches as the other left them.
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			blas = append(blas, timed(nil)) // nil: OpenBLAS in this build
			strand = append(strand, timed(ours))
		} else {
			strand = append(strand, timed(ours))
			blas = append(blas, timed(nil))
		}
	}
	median := func(x []float64) float64 {
		slices.Sort(x)
		return x[len(x)/2]
	}
	mb, ms := median(blas), median(strand)
	flops := 2 * float64(n) * float64(n) * float64(n)
	b.ReportMetric(ms/mb, "strand/openblas")
	b.ReportMetric(flops/ms/1e9, "strand-GFLOP/s")
	b.ReportMetric(flops/mb/1e9, "openblas-GFLOP/s")
}
