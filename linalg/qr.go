package linalg

import (
	"github.com/strand-tn/strand/tensor"
)

// QR returns the thin QR factorization A = Q R of the m×n matrix a: Q is m×k
// with orthonormal columns (QᵀQ = I), R is k×n upper triangular with
// R_ii ≥ 0, k = min(m, n). Householder reflectors (gonum Dgeqrf/Dorgqr).
func QR(a *tensor.Dense[float64]) (q, r *tensor.Dense[float64], err error) {
	m, n, data, err := matrixData("QR", a)
	if err != nil {
		return nil, nil, err
	}
	k := min(m, n)
	qd, rd := make([]float64, m*k), make([]float64, k*n)
	if k > 0 {
		tau := make([]float64, k)
		work := workspace(func(w []float64, l int) { lapackImpl.Dgeqrf(m, n, data, n, tau, w, l) })
		lapackImpl.Dgeqrf(m, n, data, n, tau, work, len(work))
		for i := range k {
			copy(rd[i*n+i:(i+1)*n], data[i*n+i:(i+1)*n])
		}
		work = workspace(func(w []float64, l int) { lapackImpl.Dorgqr(m, k, k, data, n, tau, w, l) })
		lapackImpl.Dorgqr(m, k, k, data, n, tau, work, len(work))
		for i := range m {
			copy(qd[i*k:(i+1)*k], data[i*n:i*n+k])
		}
		// Make diag(R) non-negative: negate row i of R and column i of Q.
		for i := range k {
			if rd[i*n+i] >= 0 {
				continue
			}
			for j := i; j < n; j++ {
				rd[i*n+j] = -rd[i*n+j]
			}
			for p := range m {
				qd[p*k+i] = -qd[p*k+i]
			}
		}
	}
	return wrap(qd, m, k), wrap(rd, k, n), nil
}

// LQ returns the thin LQ factorization A = L Q of the m×n matrix a: L is m×k
// lower triangular with L_ii ≥ 0, Q is k×n with orthonormal rows (QQᵀ = I),
// k = min(m, n). It is the transpose of the QR factorization of Aᵀ.
func LQ(a *tensor.Dense[float64]) (l, q *tensor.Dense[float64], err error) {
	if a.Rank() != 2 {
		_, _, _, err := matrixData("LQ", a)
		return nil, nil, err
	}
	qt, rt, err := QR(a.T())
	if err != nil {
		return nil, nil, err
	}
	return rt.T().Contiguous(), qt.T().Contiguous(), nil
}
