package decomp

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"

	"github.com/strand-tn/strand/tensor"
)

// matmul returns the matrix product C = A·B, C_ij = Σ_k A_ik B_kj. Views
// (such as transposes) are copied to row-major first, so that gonum's
// fastest kernel (no transposition) does the work; the copies cost O(size)
// against the product's O(m·n·k).
func matmul(a, b *tensor.Dense[float64]) *tensor.Dense[float64] {
	a, b = a.Contiguous(), b.Contiguous()
	m, k, n := a.Dim(0), a.Dim(1), b.Dim(1)
	c := tensor.Zeros[float64](m, n)
	if m > 0 && n > 0 && k > 0 {
		blas64.Implementation().Dgemm(blas.NoTrans, blas.NoTrans, m, n, k, 1, a.Data(), k, b.Data(), n, 0, c.Data(), n)
	}
	return c
}

// checkFinite rejects tensors with NaN or Inf entries (decompositions of
// those are meaningless), reporting the first bad index.
func checkFinite(op string, x *tensor.Dense[float64]) error {
	if x == nil {
		return fmt.Errorf("decomp: %s of a nil tensor", op)
	}
	for p, v := range x.Data() {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("decomp: %s input has %v at index %v", op, v, unravel(p, x.Shape()))
		}
	}
	return nil
}

// unravel turns a row-major position into an index.
func unravel(p int, shape []int) []int {
	idx := make([]int, len(shape))
	for k := len(shape) - 1; k >= 0; k-- {
		if shape[k] > 0 {
			idx[k] = p % shape[k]
			p /= shape[k]
		}
	}
	return idx
}

// axisLegs names the axes of an order-n tensor "0", "1", ….
func axisLegs(n int) []string {
	legs := make([]string, n)
	for i := range legs {
		legs[i] = fmt.Sprint(i)
	}
	return legs
}
