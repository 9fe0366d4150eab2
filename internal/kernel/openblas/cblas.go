//go:build openblas && cgo

package openblas

/*
#cgo LDFLAGS: -lopenblas
#include <cblas.h>
*/
import "C"

import "sync/atomic"

func trans(t bool) C.enum_CBLAS_TRANSPOSE {
	if t {
		return C.CblasTrans
	}
	return C.CblasNoTrans
}

// Dgemm is cblas_dgemm in row-major order: C = α·op(A)·op(B) + β·C with
// op(A) m×k, op(B) k×n and C m×n, op(X) = Xᵀ when transX is set, each
// matrix stored row by row from its slice's first element with leading
// dimension lda, ldb or ldc. The caller checks the dimensions (which must
// fit a C int), the leading dimensions and the slices' lengths.
func Dgemm(transA, transB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	C.cblas_dgemm(C.CblasRowMajor, trans(transA), trans(transB), C.blasint(m), C.blasint(n), C.blasint(k),
		C.double(alpha), (*C.double)(&a[0]), C.blasint(lda), (*C.double)(&b[0]), C.blasint(ldb),
		C.double(beta), (*C.double)(&c[0]), C.blasint(ldc))
}

// Sgemm is Dgemm for float32 (cblas_sgemm).
func Sgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	C.cblas_sgemm(C.CblasRowMajor, trans(transA), trans(transB), C.blasint(m), C.blasint(n), C.blasint(k),
		C.float(alpha), (*C.float)(&a[0]), C.blasint(lda), (*C.float)(&b[0]), C.blasint(ldb),
		C.float(beta), (*C.float)(&c[0]), C.blasint(ldc))
}

// Corename returns the name of the kernels OpenBLAS chose for this CPU
// (for example "Cooperlake", or "Prescott" when it does not know the CPU).
func Corename() string { return C.GoString(C.openblas_get_corename()) }

// threads is the thread count last given to OpenBLAS (0: none yet).
var threads atomic.Int64

// SetThreads makes OpenBLAS use n threads (openblas_set_num_threads),
// calling it only when n differs from the last count set.
func SetThreads(n int) {
	if threads.Swap(int64(n)) != int64(n) {
		C.openblas_set_num_threads(C.int(n))
	}
}
