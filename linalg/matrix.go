package linalg

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack/gonum"

	"github.com/strand-tn/strand/tensor"
)

// lapackImpl is gonum's pure-Go LAPACK; it calls BLAS through blas64, so a
// faster BLAS installed with blas64.Use is picked up.
var lapackImpl gonum.Implementation

// Matricize returns the matrix M whose rows run over the axes listed in rows
// (in that order) and whose columns run over the remaining axes (in their
// original order), both flattened row-major:
//
//	M[(t[rows[0]] t[rows[1]] …), (other axes …)] = t[…]
//
// The result is a view when t's layout allows it and a copy otherwise. An
// axis out of range or listed twice is an error.
func Matricize(t *tensor.Dense[float64], rows []int) (*tensor.Dense[float64], error) {
	r := t.Rank()
	perm := make([]int, 0, r)
	seen := make([]bool, r)
	for _, a := range rows {
		if a < 0 || a >= r {
			return nil, fmt.Errorf("linalg: axis %d out of range for a tensor of rank %d", a, r)
		}
		if seen[a] {
			return nil, fmt.Errorf("linalg: axis %d listed twice", a)
		}
		seen[a] = true
		perm = append(perm, a)
	}
	for a := range r {
		if !seen[a] {
			perm = append(perm, a)
		}
	}
	shape := t.Shape()
	m := 1
	for _, a := range rows {
		m *= shape[a]
	}
	n := 1
	for _, a := range perm[len(rows):] {
		n *= shape[a]
	}
	return t.Permute(perm...).Reshape(m, n)
}

// matrixData checks that a is a finite matrix and returns its dimensions and a
// fresh row-major copy of its elements, which the caller may overwrite.
func matrixData(op string, a *tensor.Dense[float64]) (m, n int, data []float64, err error) {
	if a.Rank() != 2 {
		return 0, 0, nil, fmt.Errorf("linalg: %s of a tensor of rank %d; group its legs into a matrix first (Matricize)", op, a.Rank())
	}
	m, n = a.Dim(0), a.Dim(1)
	data = slices.Clone(a.Data())
	for p, v := range data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, 0, nil, fmt.Errorf("linalg: %s input has %v at (%d, %d)", op, v, p/n, p%n)
		}
	}
	return m, n, data, nil
}

// wrap returns data as an r×c tensor.
func wrap(data []float64, r, c int) *tensor.Dense[float64] {
	return tensor.MustFromSlice(data, r, c)
}

// workspace asks a LAPACK routine for its optimal work length (query is the
// routine called with lwork = −1) and returns a slice of that length.
func workspace(query func(work []float64, lwork int)) []float64 {
	w := make([]float64, 1)
	query(w, -1)
	return make([]float64, max(1, int(w[0])))
}

// gemm computes C = op(A)·op(B) for row-major slices (C overwritten):
// C_ij = Σ_k op(A)_ik op(B)_kj, with op the identity or the transpose.
func gemm(ta, tb blas.Transpose, m, n, k int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	if k == 0 {
		for i := range m {
			clear(c[i*ldc : i*ldc+n])
		}
		return
	}
	blas64.Implementation().Dgemm(ta, tb, m, n, k, 1, a, lda, b, ldb, 0, c, ldc)
}

// transpose returns the c×r row-major transpose of the r×c matrix a.
func transpose(a []float64, r, c int) []float64 {
	out := make([]float64, len(a))
	for i := range r {
		for j := range c {
			out[j*r+i] = a[i*c+j]
		}
	}
	return out
}

// fixSigns negates column j of x (r×k) and of y (ry×k) when the component of
// largest magnitude of x's column j is negative (the first one on ties), the
// package's sign convention for singular and eigen vectors.
func fixSigns(x []float64, r int, y []float64, ry, k int) {
	for j := range k {
		best, at := -1.0, 0
		for i := range r {
			if v := math.Abs(x[i*k+j]); v > best {
				best, at = v, i
			}
		}
		if r == 0 || x[at*k+j] >= 0 {
			continue
		}
		for i := range r {
			x[i*k+j] = -x[i*k+j]
		}
		for i := range ry {
			y[i*k+j] = -y[i*k+j]
		}
	}
}

// OrthoDefect returns max_ij |(AᵀA − I)_ij| for the m×n matrix A: zero when the
// columns of A are orthonormal (A is an isometry from its column space).
func OrthoDefect(a *tensor.Dense[float64]) (float64, error) {
	m, n, data, err := matrixData("OrthoDefect", a)
	if err != nil {
		return 0, err
	}
	g := make([]float64, n*n)
	gemm(blas.Trans, blas.NoTrans, n, n, m, data, n, data, n, g, n)
	worst := 0.0
	for i := range n {
		for j := range n {
			v := g[i*n+j]
			if i == j {
				v--
			}
			if !(math.Abs(v) <= worst) { // NaN propagates
				worst = math.Abs(v)
			}
		}
	}
	return worst, nil
}
