package interp

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/strand-tn/strand/linalg"
	"github.com/strand-tn/strand/tensor"
)

// Factored is a matrix M = L·R kept as its factors, L [m, r] and R [r, n]
// (TransformerLens's FactoredMatrix). With r ≪ m, n — a head's QK and OV
// circuits have r = d_head ≪ d_model — norms, singular values and
// eigenvalues come from r×r matrices, and the m×n product is formed only by
// [Factored.Full].
type Factored struct {
	L, R *tensor.Dense[float64]
}

// NewFactored returns L·R, checking that the inner sizes agree.
func NewFactored(l, r *tensor.Dense[float64]) (Factored, error) {
	if l.Rank() != 2 || r.Rank() != 2 || l.Dim(1) != r.Dim(0) {
		return Factored{}, fmt.Errorf("interp: factors of shapes %v and %v do not multiply", l.Shape(), r.Shape())
	}
	return Factored{l, r}, nil
}

// Dims returns the shape m×n of the product.
func (f Factored) Dims() (m, n int) { return f.L.Dim(0), f.R.Dim(1) }

// T returns the transpose Mᵀ = Rᵀ Lᵀ (views).
func (f Factored) T() Factored { return Factored{f.R.T(), f.L.T()} }

// Full forms the m×n matrix L·R.
func (f Factored) Full() *tensor.Dense[float64] { return ein(specMatMul, f.L, f.R) }

// Mul returns the product M·G = L (R L_G) R_G, still factored; its inner
// size is G's. Shapes must agree.
func (f Factored) Mul(g Factored) (Factored, error) {
	if _, n := f.Dims(); n != g.L.Dim(0) {
		return Factored{}, fmt.Errorf("interp: cannot multiply factored %v·%v by %v·%v", f.L.Shape(), f.R.Shape(), g.L.Shape(), g.R.Shape())
	}
	return Factored{ein(specMatMul, f.L, ein(specMatMul, f.R, g.L)), g.R}, nil
}

var specMatMul = mustSpec("i j, j k -> i k")

// Norm returns the Frobenius norm ‖L R‖_F = ‖T_L R‖_F, where L = Q_L T_L is
// a thin QR factorisation (Q_L has orthonormal columns), so only r×n work
// is done and no cancellation occurs. It is NaN when a factor holds NaN or
// ±Inf.
func (f Factored) Norm() float64 {
	t, err := triFactor(f.L)
	if err != nil {
		return math.NaN()
	}
	return ein(specMatMul, t, f.R).Norm()
}

// SVD returns the thin singular value decomposition M = U diag(S) Vᵀ with
// k = min(m, n, r) singular values: U [m, k] and V [n, k] have orthonormal
// columns and S is descending. With L = Q_L T_L and Rᵀ = Q_R T_R (thin QR),
// M = Q_L (T_L T_Rᵀ) Q_Rᵀ, so the SVD C = U_C S V_Cᵀ of the small core gives
// U = Q_L U_C and V = Q_R V_C (the approach of TransformerLens's
// FactoredMatrix.svd).
func (f Factored) SVD() (u *tensor.Dense[float64], s []float64, v *tensor.Dense[float64], err error) {
	ql, tl, err := linalg.QR(f.L)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("interp: %w", err)
	}
	qr, tr, err := linalg.QR(f.R.T())
	if err != nil {
		return nil, nil, nil, fmt.Errorf("interp: %w", err)
	}
	core, err := linalg.SVD(ein(mustSpec("a i, b i -> a b"), tl, tr), linalg.SVDOptions{}) // T_L T_Rᵀ
	if err != nil {
		return nil, nil, nil, fmt.Errorf("interp: %w", err)
	}
	return ein(specMatMul, ql, core.U), core.S, ein(specMatMul, qr, core.V), nil
}

// Eigenvalues returns the eigenvalues of the square matrix M = L R that can
// be non-zero: those of the r×r matrix R L (LR and RL share their non-zero
// eigenvalues; the other m − r eigenvalues of M are zero). They are sorted
// by decreasing modulus.
func (f Factored) Eigenvalues() ([]complex128, error) {
	if m, n := f.Dims(); m != n {
		return nil, fmt.Errorf("interp: eigenvalues of a %d×%d matrix", m, n)
	}
	var e mat.Eigen
	if !e.Factorize(asMat(ein(specMatMul, f.R, f.L)), mat.EigenNone) {
		return nil, fmt.Errorf("interp: eigenvalue decomposition did not converge")
	}
	ev := e.Values(nil)
	slices.SortStableFunc(ev, func(a, b complex128) int {
		ma, mb := math.Hypot(real(a), imag(a)), math.Hypot(real(b), imag(b))
		switch {
		case ma > mb:
			return -1
		case ma < mb:
			return 1
		}
		return 0
	})
	return ev, nil
}

// asMat views a tensor as a gonum matrix (copying when it is not contiguous).
func asMat(t *tensor.Dense[float64]) *mat.Dense {
	return mat.NewDense(t.Dim(0), t.Dim(1), t.Contiguous().Data())
}

// triFactor returns a matrix T with ‖a·X‖_F = ‖T·X‖_F for every X: the
// triangular factor of a thin QR factorisation of a (the orthonormal factor
// drops out of the norm), or a itself when it has no more rows than columns.
// It fails only when a holds NaN or ±Inf.
func triFactor(a *tensor.Dense[float64]) (*tensor.Dense[float64], error) {
	if a.Dim(0) <= a.Dim(1) {
		return a, nil
	}
	_, t, err := linalg.QR(a)
	if err != nil {
		return nil, fmt.Errorf("interp: %w", err)
	}
	return t, nil
}
