package contract

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/strand-tn/strand/tensor"
)

// smallGEMM is the m·n·k below which the direct loop beats a BLAS call.
const smallGEMM = 1 << 15

var impl gonum.Implementation

// batchedGEMM computes C[b] = A[b]·B[b] for every batch index b, with C
// contiguous (C[b] at offset b·rows·cols). batchShape gives the sizes of the
// batch labels; A and B carry their strides.
func batchedGEMM[T tensor.Elem](nb int, batchShape []int, A, B, C matrix[T]) {
	ao := newOdometer(batchShape, A.batchStrides)
	bo := newOdometer(batchShape, B.batchStrides)
	block := C.rows * C.cols
	for i := range nb {
		a, b := A, B
		a.off += ao.pos
		b.off += bo.pos
		c := C
		c.off = i * block
		gemm(a, b, c)
		ao.next()
		bo.next()
	}
}

// gemm computes the matrix product C = A·B (C overwritten), C row-major with
// unit column stride: C_ij = Σ_k A_ik B_kj.
func gemm[T tensor.Elem](A, B, C matrix[T]) {
	m, n, k := A.rows, B.cols, A.cols
	if m*n*k < smallGEMM || k == 1 || (m == 1 && n == 1) {
		gemmLoop(A, B, C)
		return
	}
	ta, lda, _ := A.blasLayout()
	tb, ldb, _ := B.blasLayout()
	a, b, c := A.data[A.off:], B.data[B.off:], C.data[C.off:]
	switch a := any(a).(type) {
	case []float64:
		impl.Dgemm(trans(ta), trans(tb), m, n, k, 1, a, lda, any(b).([]float64), ldb, 0, any(c).([]float64), C.rs)
	case []float32:
		impl.Sgemm(trans(ta), trans(tb), m, n, k, 1, a, lda, any(b).([]float32), ldb, 0, any(c).([]float32), C.rs)
	case []complex128:
		impl.Zgemm(trans(ta), trans(tb), m, n, k, 1, a, lda, any(b).([]complex128), ldb, 0, any(c).([]complex128), C.rs)
	case []complex64:
		impl.Cgemm(trans(ta), trans(tb), m, n, k, 1, a, lda, any(b).([]complex64), ldb, 0, any(c).([]complex64), C.rs)
	}
}

func trans(t bool) blas.Transpose {
	if t {
		return blas.Trans
	}
	return blas.NoTrans
}

// gemmLoop is the direct strided loop C_ij = Σ_k A_ik B_kj, used for small
// products, outer products (k = 1) and dot products (m = n = 1).
func gemmLoop[T tensor.Elem](A, B, C matrix[T]) {
	a, b, c := A.data, B.data, C.data
	for i := range A.rows {
		ai := A.off + i*A.rs
		ci := C.off + i*C.rs
		for j := range B.cols {
			bj := B.off + j*B.cs
			var s T
			pa, pb := ai, bj
			for range A.cols {
				s += a[pa] * b[pb]
				pa += A.cs
				pb += B.rs
			}
			c[ci+j] = s
		}
	}
}
