package linalg

import (
	"fmt"
	"testing"

	"gonum.org/v1/gonum/lapack"

	"github.com/strand-tn/strand/tensor"
)

// Peers: bench/decomp_bench.py measures numpy/scipy on the same problems.

func benchSVD(b *testing.B, n int) {
	a := tensor.RandNormal[float64](tensor.NewRand(1), n, n)
	for b.Loop() {
		if _, err := SVD(a, SVDOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSVD512 is the thin SVD with both sets of vectors (numpy.linalg.svd
// with full_matrices=False).
func BenchmarkSVD512(b *testing.B)  { benchSVD(b, 512) }
func BenchmarkSVD1024(b *testing.B) { benchSVD(b, 1024) }

// BenchmarkGonumSVD is gonum's Dgesvd (QR iteration) with vectors, the
// baseline this package's divide and conquer replaces.
func BenchmarkGonumSVD(b *testing.B) {
	for _, n := range []int{256, 512, 1024} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			a := tensor.RandNormal[float64](tensor.NewRand(1), n, n).Data()
			w := make([]float64, n*n)
			s := make([]float64, n)
			u := make([]float64, n*n)
			vt := make([]float64, n*n)
			work := workspace(func(wk []float64, l int) {
				lapackImpl.Dgesvd(lapack.SVDStore, lapack.SVDStore, n, n, w, n, s, u, n, vt, n, wk, l)
			})
			for b.Loop() {
				copy(w, a)
				lapackImpl.Dgesvd(lapack.SVDStore, lapack.SVDStore, n, n, w, n, s, u, n, vt, n, work, len(work))
			}
		})
	}
}

// BenchmarkRandomizedSVD2048Rank32: rank-32 truncated SVD of a 2048×2048
// matrix (10 oversampling columns, 2 power iterations).
func BenchmarkRandomizedSVD2048Rank32(b *testing.B) {
	a := tensor.RandNormal[float64](tensor.NewRand(1), 2048, 2048)
	for b.Loop() {
		if _, err := RandomizedSVD(a, 32, RandomizedOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
