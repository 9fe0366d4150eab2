package linalg

import (
	"fmt"

	"gonum.org/v1/gonum/blas"

	"github.com/strand-tn/strand/tensor"
)

// RandomizedOptions control [RandomizedSVD]. The zero value uses 10
// oversampling columns, 2 power iterations and seed 0.
type RandomizedOptions struct {
	// Oversample is the number p of extra random directions (0 means 10).
	Oversample int
	// PowerIters is the number q of subspace iterations (0 means 2, a
	// negative value means none); each costs two products with A and makes
	// the error bound decay like (σ_{k+1}/σ_k)^{2q+1}.
	PowerIters int
	// Seed seeds the PCG generator of the Gaussian test matrix.
	Seed uint64
}

// RandomizedSVD returns an approximate rank-k truncated SVD of the m×n matrix
// a (Halko, Martinsson & Tropp 2011, algorithms 4.4 and 5.1):
//
//	Y = (A Aᵀ)^q A Ω,  Ω ~ N(0,1)^{n×(k+p)},  Q = orth(Y),
//	B = Qᵀ A = Ũ Σ Vᵀ,  U = Q Ũ,
//
// re-orthonormalising after every product with A or Aᵀ. The error
// ‖A − U Σ Vᵀ‖ is close to the optimal σ_{k+1} when the spectrum decays; it
// is exact (to rounding) when rank(A) ≤ k + p. The cost is O(mn(k+p)(2q+2)),
// far below a full SVD for k ≪ min(m, n). When k + p ≥ min(m, n) the exact
// [SVD] is truncated instead.
func RandomizedSVD(a *tensor.Dense[float64], k int, opts RandomizedOptions) (SVDFactors, error) {
	m, n, data, err := matrixData("RandomizedSVD", a)
	if err != nil {
		return SVDFactors{}, err
	}
	if k < 1 {
		return SVDFactors{}, fmt.Errorf("linalg: RandomizedSVD rank %d; it must be at least 1", k)
	}
	p := opts.Oversample
	if p <= 0 {
		p = 10
	}
	q := opts.PowerIters
	switch {
	case q == 0:
		q = 2
	case q < 0:
		q = 0
	}
	k = min(k, m, n)
	l := k + p
	if l >= min(m, n) {
		f, err := SVD(a, SVDOptions{})
		if err != nil {
			return SVDFactors{}, err
		}
		return truncateSVD(f, k), nil
	}
	omega := tensor.RandNormal[float64](tensor.NewRand(opts.Seed), n, l).Data()
	y := make([]float64, m*l)
	gemm(blas.NoTrans, blas.NoTrans, m, l, n, data, n, omega, l, y, l)
	qm := orthonormalize(y, m, l)
	z := make([]float64, n*l)
	for range q {
		gemm(blas.Trans, blas.NoTrans, n, l, m, data, n, qm, l, z, l)
		qz := orthonormalize(z, n, l)
		gemm(blas.NoTrans, blas.NoTrans, m, l, n, data, n, qz, l, y, l)
		qm = orthonormalize(y, m, l)
	}
	b := make([]float64, l*n)
	gemm(blas.Trans, blas.NoTrans, l, n, m, qm, l, data, n, b, n)
	small, err := SVD(wrap(b, l, n), SVDOptions{})
	if err != nil {
		return SVDFactors{}, err
	}
	u := make([]float64, m*l)
	gemm(blas.NoTrans, blas.NoTrans, m, l, l, qm, l, small.U.Data(), l, u, l)
	v := small.V.Clone().Data()
	fixSigns(u, m, v, n, l)
	return truncateSVD(SVDFactors{U: wrap(u, m, l), S: small.S, V: wrap(v, n, l)}, k), nil
}

// orthonormalize returns the m×l matrix Q with orthonormal columns spanning
// the columns of the m×l row-major y (thin QR).
func orthonormalize(y []float64, m, l int) []float64 {
	q, _, _ := QR(wrap(y, m, l))
	return q.Data()
}

// truncateSVD keeps the k leading singular triples of f.
func truncateSVD(f SVDFactors, k int) SVDFactors {
	return SVDFactors{
		U: f.U.Slice(1, 0, k, 1).Contiguous(),
		S: f.S[:k:k],
		V: f.V.Slice(1, 0, k, 1).Contiguous(),
	}
}
