package linalg

import (
	"gonum.org/v1/gonum/lapack"

	"github.com/strand-tn/strand/tensor"
)

// Vectors selects which singular vectors [SVD] computes.
type Vectors int

const (
	BothVectors  Vectors = iota // U and V (the zero value)
	LeftVectors                 // U only
	RightVectors                // V only
	NoVectors                   // singular values only
)

// SVDOptions control [SVD]; the zero value computes both sets of vectors.
type SVDOptions struct {
	Vectors Vectors
}

// SVDFactors is a thin singular value decomposition of an m×n matrix,
//
//	A_ij = Σ_c U_ic S_c V_jc,   c < k = min(m, n),
//
// with S decreasing and non-negative and UᵀU = VᵀV = I (k×k).
type SVDFactors struct {
	U *tensor.Dense[float64] // m×k, nil unless computed
	S []float64              // k singular values, decreasing
	V *tensor.Dense[float64] // n×k, nil unless computed
}

// SVD returns the thin singular value decomposition A = U diag(S) Vᵀ of the
// matrix a (see the package documentation for the algorithm, its accuracy
// and the sign convention). a is not modified.
func SVD(a *tensor.Dense[float64], opts SVDOptions) (SVDFactors, error) {
	m, n, data, err := matrixData("SVD", a)
	if err != nil {
		return SVDFactors{}, err
	}
	k := min(m, n)
	if opts.Vectors == NoVectors {
		s := make([]float64, k)
		if k > 0 {
			work := workspace(func(w []float64, l int) {
				lapackImpl.Dgesvd(lapack.SVDNone, lapack.SVDNone, m, n, data, n, s, nil, 1, nil, 1, w, l)
			})
			if !lapackImpl.Dgesvd(lapack.SVDNone, lapack.SVDNone, m, n, data, n, s, nil, 1, nil, 1, work, len(work)) {
				return SVDFactors{}, errNoConvergence
			}
		}
		return SVDFactors{S: s}, nil
	}
	wantU := opts.Vectors != RightVectors
	wantV := opts.Vectors != LeftVectors
	u, s, v, err := svdRowMajor(data, m, n, wantU, wantV)
	if err != nil {
		return SVDFactors{}, err
	}
	if wantU {
		ry := 0
		if wantV {
			ry = n
		}
		fixSigns(u, m, v, ry, k)
	} else {
		fixSigns(v, n, nil, 0, k)
	}
	f := SVDFactors{S: s}
	if wantU {
		f.U = wrap(u, m, k)
	}
	if wantV {
		f.V = wrap(v, n, k)
	}
	return f, nil
}

// farFromSquare reports whether a QR (or LQ) factorization should come first:
// the long side is at least 11/6 of the short one, LAPACK dgesdd's crossover.
func farFromSquare(long, short int) bool { return 6*long >= 11*short && short > 0 }

// svdRowMajor computes the thin SVD of the m×n row-major matrix a (which it
// overwrites). u is m×k and v is n×k row-major, nil when not wanted.
func svdRowMajor(a []float64, m, n int, wantU, wantV bool) (u, s, v []float64, err error) {
	k := min(m, n)
	if k == 0 {
		return make([]float64, m*k), nil, make([]float64, n*k), nil
	}
	switch {
	case m >= n && farFromSquare(m, n):
		// A = Q R, R = U_R Σ Vᵀ, so U = Q U_R.
		tau := make([]float64, n)
		work := workspace(func(w []float64, l int) { lapackImpl.Dgeqrf(m, n, a, n, tau, w, l) })
		lapackImpl.Dgeqrf(m, n, a, n, tau, work, len(work))
		r := make([]float64, n*n)
		for i := range n {
			copy(r[i*n+i:(i+1)*n], a[i*n+i:(i+1)*n])
		}
		ur, s, vr, err := svdRowMajor(r, n, n, wantU, wantV)
		if err != nil || !wantU {
			return nil, s, vr, err
		}
		u = make([]float64, m*n)
		copy(u, ur)
		reflectors{a: a, lda: n, tau: tau, count: n, colWise: true}.apply(u, m, n)
		return u, s, vr, nil
	case m < n && farFromSquare(n, m):
		// A = L Q, L = U Σ V_Lᵀ, so V = Qᵀ V_L.
		tau := make([]float64, m)
		work := workspace(func(w []float64, l int) { lapackImpl.Dgelqf(m, n, a, n, tau, w, l) })
		lapackImpl.Dgelqf(m, n, a, n, tau, work, len(work))
		l := make([]float64, m*m)
		for i := range m {
			copy(l[i*m:i*m+i+1], a[i*n:i*n+i+1])
		}
		ul, s, vl, err := svdRowMajor(l, m, m, wantU, wantV)
		if err != nil || !wantV {
			return ul, s, nil, err
		}
		v = make([]float64, n*m)
		copy(v, vl)
		reflectors{a: a, lda: n, tau: tau, count: m}.apply(v, n, m)
		return ul, s, v, nil
	}
	// A = Q B Pᵀ with B bidiagonal (upper when m ≥ n, lower otherwise).
	d := make([]float64, k)
	e := make([]float64, k)
	tauQ := make([]float64, k)
	tauP := make([]float64, k)
	work := workspace(func(w []float64, l int) { lapackImpl.Dgebrd(m, n, a, n, d, e, tauQ, tauP, w, l) })
	lapackImpl.Dgebrd(m, n, a, n, d, e, tauQ, tauP, work, len(work))
	// A lower bidiagonal B is the transpose of the upper one with the same
	// d and e, so its U and V swap.
	bd, err := bidiagSVD(d, e[:k-1])
	if err != nil {
		return nil, nil, nil, err
	}
	ub, vb := bd.u, bd.v
	if m < n {
		ub, vb = vb, ub
	}
	// Q = H₀⋯ and P = G₀⋯ as Dgebrd stores them: when m ≥ n, Q has n
	// column reflectors and P has n−1 row reflectors shifted by one; when
	// m < n, Q has m−1 shifted column reflectors and P has m row reflectors.
	q := reflectors{a: a, lda: n, tau: tauQ, count: k, colWise: true}
	p := reflectors{a: a, lda: n, tau: tauP, count: k - 1, shift: 1}
	if m < n {
		q.count, q.shift = k-1, 1
		p.count, p.shift = k, 0
	}
	if wantU {
		u = make([]float64, m*k)
		copy(u, ub)
		q.apply(u, m, k)
	}
	if wantV {
		v = make([]float64, n*k)
		copy(v, vb)
		p.apply(v, n, k)
	}
	return u, bd.s, v, nil
}
