//go:build openblas

package kernel

import (
	"math"

	"github.com/strand-tn/strand/internal/kernel/openblas"
)

// The OpenBLAS backend (build tag openblas; see package openblas): products
// whose operands BLAS can read go to cblas_dgemm or cblas_sgemm, one call
// per item of a batch, on Options.Threads OpenBLAS threads. The rest,
// permuted tensor views with row or column offsets and strides BLAS cannot
// express, stay on the kernels of this package.

// blasMatrix returns how cblas reads m, row-major: as stored (trans false)
// or as the transpose of a stored matrix (trans true), with its leading
// dimension; ok is false when no such layout exists.
func blasMatrix[T Float](m Matrix[T]) (trans bool, ld int, ok bool) {
	if !m.strided() {
		return false, 0, false
	}
	rs, cs := m.RowStride, m.ColStride
	// A stride along a dimension of size 1 is never used.
	if m.Cols <= 1 {
		cs = 1
	}
	if m.Rows <= 1 {
		rs = max(1, m.Cols)
	}
	switch {
	case cs == 1 && rs >= max(1, m.Cols):
		return false, rs, rs <= math.MaxInt32
	case rs == 1 && cs >= max(1, m.Rows):
		return true, cs, cs <= math.MaxInt32
	}
	return false, 0, false
}

// externalGemm computes the validated batch C_t = α·A_t·B_t + β·C_t with
// OpenBLAS when every operand has a BLAS layout and the dimensions fit
// its 32-bit integers, and reports whether it did.
func externalGemm[T Float](opt Options, batch int, alpha T, a Matrix[T], sa int, b Matrix[T], sb int, beta T, c Matrix[T], sc int) bool {
	m, n, k := c.Rows, c.Cols, a.Cols
	if max(m, n, k) > math.MaxInt32 || min(batch, m, n, k) == 0 || alpha == 0 {
		return false // the driver does trivial calls itself
	}
	// C must be row-major; a column-major C is computed as Cᵀ = Bᵀ·Aᵀ.
	if _, _, ok := blasMatrix(c); !ok {
		return false
	}
	if tc, _, _ := blasMatrix(c); tc {
		a, b, c = b.T(), a.T(), c.T()
		sa, sb = sb, sa
		m, n = n, m
	}
	ta, lda, okA := blasMatrix(a)
	tb, ldb, okB := blasMatrix(b)
	_, ldc, _ := blasMatrix(c)
	if !okA || !okB {
		return false
	}
	openblas.SetThreads(opt.threads())
	for t := 0; t < batch; t++ {
		ao, bo, co := a.Off+t*sa, b.Off+t*sb, c.Off+t*sc
		switch cd := any(c.Data).(type) {
		case []float64:
			ad, bd := any(a.Data).([]float64), any(b.Data).([]float64)
			openblas.Dgemm(ta, tb, m, n, k, f64(alpha), ad[ao:], lda, bd[bo:], ldb, f64(beta), cd[co:], ldc)
		case []float32:
			ad, bd := any(a.Data).([]float32), any(b.Data).([]float32)
			openblas.Sgemm(ta, tb, m, n, k, f32(alpha), ad[ao:], lda, bd[bo:], ldb, f32(beta), cd[co:], ldc)
		}
	}
	return true
}
