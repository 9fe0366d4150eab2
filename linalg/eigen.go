package linalg

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/lapack"

	"github.com/strand-tn/strand/tensor"
)

// SymmetryTol is the largest |A_ij − A_ji| / max|A| that [Eigh] accepts.
const SymmetryTol = 1e-10

// Eigh returns the eigendecomposition A = V diag(w) Vᵀ of the symmetric n×n
// matrix a: eigenvalues w in increasing order and orthonormal eigenvectors
// in the columns of V (sign convention as for singular vectors). a must be
// symmetric to within SymmetryTol relative to its largest entry; it is
// symmetrized as (A + Aᵀ)/2. Tridiagonal QR iteration (gonum Dsyev).
func Eigh(a *tensor.Dense[float64]) (w []float64, v *tensor.Dense[float64], err error) {
	m, n, data, err := matrixData("Eigh", a)
	if err != nil {
		return nil, nil, err
	}
	if m != n {
		return nil, nil, fmt.Errorf("linalg: Eigh of a %d×%d matrix; it must be square", m, n)
	}
	scale := 0.0
	for _, x := range data {
		scale = max(scale, math.Abs(x))
	}
	for i := range n {
		for j := i + 1; j < n; j++ {
			x, y := data[i*n+j], data[j*n+i]
			if math.Abs(x-y) > SymmetryTol*scale {
				return nil, nil, fmt.Errorf("linalg: Eigh of a matrix that is not symmetric: A[%d,%d] = %g but A[%d,%d] = %g", i, j, x, j, i, y)
			}
			data[i*n+j] = (x + y) / 2
		}
	}
	w = make([]float64, n)
	if n > 0 {
		work := workspace(func(wk []float64, l int) {
			lapackImpl.Dsyev(lapack.EVCompute, blas.Upper, n, data, n, w, wk, l)
		})
		if !lapackImpl.Dsyev(lapack.EVCompute, blas.Upper, n, data, n, w, work, len(work)) {
			return nil, nil, fmt.Errorf("linalg: the symmetric eigenvalue iteration did not converge")
		}
	}
	fixSigns(data, n, nil, 0, n)
	return w, wrap(data, n, n), nil
}

// Polar returns the polar decomposition A = U P of the m×n matrix a: P is the
// n×n symmetric positive semidefinite factor (AᵀA)^{1/2} and U the m×n
// factor closest to A with orthonormal columns (m ≥ n) or rows (m < n). From
// the SVD A = W Σ Vᵀ: U = W Vᵀ and P = V Σ Vᵀ (Higham 1986).
func Polar(a *tensor.Dense[float64]) (u, p *tensor.Dense[float64], err error) {
	f, err := SVD(a, SVDOptions{})
	if err != nil {
		return nil, nil, err
	}
	m, n, k := a.Dim(0), a.Dim(1), len(f.S)
	ud := make([]float64, m*n)
	gemm(blas.NoTrans, blas.Trans, m, n, k, f.U.Data(), k, f.V.Data(), k, ud, n)
	vs := f.V.Clone().Data() // V·Σ
	for i := range n {
		for c := range k {
			vs[i*k+c] *= f.S[c]
		}
	}
	pd := make([]float64, n*n)
	gemm(blas.NoTrans, blas.Trans, n, n, k, vs, k, f.V.Data(), k, pd, n)
	return wrap(ud, m, n), wrap(pd, n, n), nil
}
