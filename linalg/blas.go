package linalg

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/strand-tn/strand/internal/kernel"
)

// Importing linalg makes gonum's BLAS (packages blas64 and blas32, which
// gonum's mat and lapack and this package call) multiply matrices with
// strand's packed GEMM kernels; every other BLAS routine stays gonum's.
func init() {
	blas64.Use(kernelBLAS{})
	blas32.Use(kernelBLAS{})
}

// kernelBLAS is gonum's pure-Go BLAS with Dgemm and Sgemm replaced by
// internal/kernel: C = α·op(A)·op(B) + β·C, row-major.
type kernelBLAS struct{ gonum.Implementation }

// Dgemm implements blas.Float64. Invalid arguments panic, as gonum's do.
func (kernelBLAS) Dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	kernelGemm(kernel.Dgemm, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Sgemm implements blas.Float32. Invalid arguments panic, as gonum's do.
func (kernelBLAS) Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	kernelGemm(kernel.Sgemm, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

type gemmFunc[T kernel.Float] func(transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int, opt kernel.Options) error

// kernelGemm calls the kernel. LAPACK's blocked routines pass A or B as other
// blocks of the matrix that C is a block of: their elements are disjoint but
// their extents interleave, which the kernel refuses; then A and B are
// copied out first (O(mk + kn) beside the O(mnk) product).
func kernelGemm[T kernel.Float](f gemmFunc[T], tA, tB blas.Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	ta, tb := tA != blas.NoTrans, tB != blas.NoTrans
	if f(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, kernel.Options{}) == nil {
		return
	}
	ar, ac := m, k
	if ta {
		ar, ac = k, m
	}
	br, bc := k, n
	if tb {
		br, bc = n, k
	}
	a, lda = compact(a, ar, ac, lda)
	b, ldb = compact(b, br, bc, ldb)
	if err := f(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, kernel.Options{}); err != nil {
		panic(err)
	}
}

// compact copies the rows×cols matrix stored with leading dimension ld into
// a fresh tight buffer (leading dimension max(cols, 1)).
func compact[T kernel.Float](a []T, rows, cols, ld int) ([]T, int) {
	out := make([]T, rows*cols)
	for i := range rows {
		copy(out[i*cols:(i+1)*cols], a[i*ld:i*ld+cols])
	}
	return out, max(cols, 1)
}
