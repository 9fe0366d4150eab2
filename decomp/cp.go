package decomp

import (
	"fmt"
	"math"
	"slices"

	"github.com/strand-tn/strand/contract"
	"github.com/strand-tn/strand/linalg"
	"github.com/strand-tn/strand/tensor"
)

// CPInit selects how [CPALS] starts.
type CPInit int

const (
	// CPInitSVD starts factor n from the leading left singular vectors of
	// the mode-n unfolding (random columns beyond its rank), computed
	// through an LQ factorization of the unfolding: nothing larger than x
	// is formed, never the full square V of the unfolding.
	CPInitSVD CPInit = iota
	// CPInitRandom starts from standard normal factors (seeded).
	CPInitRandom
)

// CPOptions control [CPALS]. Rank is required; the zero values of the other
// fields are the defaults.
type CPOptions struct {
	Rank    int     // number of rank-one components R ≥ 1
	MaxIter int     // ALS sweeps (0 means 500)
	Tol     float64 // stop when the relative error changes less than this (0 means 1e-9; negative: run MaxIter sweeps)
	Init    CPInit
	Seed    uint64 // for random initial columns
}

// CP is a canonical polyadic (CANDECOMP/PARAFAC) decomposition
//
//	T[i₀ i₁ …] ≈ Σ_r Weights[r] · Factors[0][i₀, r] · Factors[1][i₁, r] ⋯
//
// with unit-norm factor columns and non-negative weights in decreasing order.
type CP struct {
	Weights []float64
	Factors []*tensor.Dense[float64] // Iₙ × R
}

// CPInfo reports a CP-ALS run.
type CPInfo struct {
	Iterations int
	Converged  bool      // the change in error fell below Tol
	RelError   float64   // ‖T − T̂‖_F / ‖T‖_F of the result, computed from T̂ exactly
	History    []float64 // relative error after each sweep (from the Gram identity)
}

// CPALS computes a rank-R CP decomposition of x by alternating least squares
// (Kolda & Bader 2009, §3.4). Each sweep solves, for n = 0, 1, …,
//
//	A⁽ⁿ⁾ ← X₍ₙ₎ (⊙_{m≠n} A⁽ᵐ⁾) (⊛_{m≠n} A⁽ᵐ⁾ᵀA⁽ᵐ⁾)⁺,
//
// with ⊛ the Hadamard product. The matricized-tensor-times-Khatri–Rao
// product X₍ₙ₎(⊙ A⁽ᵐ⁾) contracts x with one factor at a time, never forming
// the Khatri–Rao matrix nor a transposed copy of x, and the product with the
// last factor is shared by the updates of all other modes (a dimension tree,
// Phan, Tichavský & Cichocki 2013), so a sweep costs two passes over x
// whatever its order. Columns are normalized into the weights.
//
// The error after each sweep comes without rebuilding the tensor from
// ‖X − X̂‖² = ‖X‖² − 2⟨X, X̂⟩ + ‖X̂‖², with ⟨X, X̂⟩ = Σ_r λ_r Σ_i M_ir A_ir and
// ‖X̂‖² = λᵀ(⊛ₙ A⁽ⁿ⁾ᵀA⁽ⁿ⁾)λ; its cancellation limits it to about 1e-8, so
// RelError at the end is measured on the rebuilt tensor instead. ALS never
// increases the error (up to that rounding).
func CPALS(x *tensor.Dense[float64], opts CPOptions) (*CP, CPInfo, error) {
	if err := checkFinite("CPALS", x); err != nil {
		return nil, CPInfo{}, err
	}
	N, R := x.Rank(), opts.Rank
	switch {
	case N < 1:
		return nil, CPInfo{}, fmt.Errorf("decomp: CPALS of a scalar")
	case R < 1:
		return nil, CPInfo{}, fmt.Errorf("decomp: CP rank %d; it must be at least 1", R)
	case x.Size() == 0:
		return nil, CPInfo{}, fmt.Errorf("decomp: CPALS of an empty tensor of shape %v", x.Shape())
	}
	maxIter := opts.MaxIter
	if maxIter <= 0 {
		maxIter = 500
	}
	tol := opts.Tol
	if tol == 0 {
		tol = 1e-9
	}
	x = x.Contiguous()
	norm2 := x.Norm() * x.Norm()
	factors, err := cpInit(x, R, opts)
	if err != nil {
		return nil, CPInfo{}, err
	}
	grams := make([][]float64, N)
	for n := range N {
		grams[n] = matmul(factors[n].T(), factors[n]).Data()
	}
	weights := make([]float64, R)
	info := CPInfo{}
	for it := range maxIter {
		var m *tensor.Dense[float64]
		// X ×_{N−1} A⁽ᴺ⁻¹⁾ serves every mode but the last, whose factor only
		// changes at the end of the sweep.
		var zLast *tensor.Dense[float64]
		var lastLegs []string
		if N > 1 {
			zLast, lastLegs = partial(x, factors[N-1], false)
		}
		for n := range N {
			switch {
			case N == 1:
				m = broadcastColumns(x, R)
			case n < N-1:
				m, err = mttkrp(zLast, lastLegs, factors, n, N-1)
			default:
				z, legs := partial(x, factors[0], true)
				m, err = mttkrp(z, legs, factors, n, 0)
			}
			if err != nil {
				return nil, CPInfo{}, err
			}
			v := make([]float64, R*R)
			for i := range v {
				v[i] = 1
			}
			for k := range N {
				if k != n {
					for i := range v {
						v[i] *= grams[k][i]
					}
				}
			}
			pinv, err := pseudoInverse(tensor.MustFromSlice(v, R, R))
			if err != nil {
				return nil, CPInfo{}, err
			}
			a := matmul(m, pinv)
			normalizeColumns(a, weights)
			factors[n] = a
			grams[n] = matmul(a.T(), a).Data()
		}
		// ⟨X, X̂⟩ from the last mode's MTTKRP, ‖X̂‖² from the Gram matrices.
		last := factors[N-1].Data()
		md := m.Data()
		inner := 0.0
		for i := range last {
			inner += md[i] * last[i] * weights[i%R]
		}
		model := 0.0
		for p := range R {
			for q := range R {
				h := weights[p] * weights[q]
				for k := range N {
					h *= grams[k][p*R+q]
				}
				model += h
			}
		}
		rel := math.Sqrt(math.Max(0, norm2-2*inner+model) / norm2)
		info.History = append(info.History, rel)
		info.Iterations = it + 1
		if it > 0 && math.Abs(info.History[it-1]-rel) < tol {
			info.Converged = true
			break
		}
	}
	cp := &CP{Weights: weights, Factors: factors}
	cp.normalizeSigns()
	dense, err := cp.Dense()
	if err != nil {
		return nil, CPInfo{}, err
	}
	info.RelError = tensor.Sub(x, dense).Norm() / math.Sqrt(norm2)
	return cp, info, nil
}

// partial returns Z = X ×_k A⁽ᵏ⁾ᵀ contracted over mode k, the last mode
// (first false: x viewed as (I₀⋯I_{N−2}) × I_{N−1} times A⁽ᴺ⁻¹⁾) or the first
// (A⁽⁰⁾ᵀ times x viewed as I₀ × (I₁⋯I_{N−1})), with its legs ("r" for the
// rank). It is the expensive step of an MTTKRP, 2·|X|·R flops: one
// untransposed GEMM on x's own memory.
func partial(x, a *tensor.Dense[float64], first bool) (*tensor.Dense[float64], []string) {
	N, R := x.Rank(), a.Dim(1)
	legs := axisLegs(N)
	shape := x.Shape()
	if first {
		z := matmul(a.T(), x.MustReshape(shape[0], x.Size()/shape[0]))
		return z.MustReshape(append([]int{R}, shape[1:]...)...), append([]string{"r"}, legs[1:]...)
	}
	last := shape[N-1]
	z := matmul(x.MustReshape(x.Size()/last, last), a)
	return z.MustReshape(append(shape[:N-1:N-1], R)...), append(legs[:N-1:N-1], "r")
}

// mttkrp finishes M[iₙ, r] = Σ X[i₀ …] Π_{m≠n} A⁽ᵐ⁾[i_m, r] from the partial
// product z over mode k: the remaining factors (all but n and k) share the
// rank leg r, which contract keeps as a batch leg.
func mttkrp(z *tensor.Dense[float64], zlegs []string, factors []*tensor.Dense[float64], n, k int) (*tensor.Dense[float64], error) {
	spec := contract.Spec{Inputs: [][]string{zlegs}, Output: []string{fmt.Sprint(n), "r"}}
	ops := []*tensor.Dense[float64]{z}
	for m, a := range factors {
		if m != n && m != k {
			spec.Inputs = append(spec.Inputs, []string{fmt.Sprint(m), "r"})
			ops = append(ops, a)
		}
	}
	out, err := contract.Eval(spec, contract.Options{MemoryLimit: -1}, ops...)
	if err != nil {
		return nil, fmt.Errorf("decomp: %w", err)
	}
	return out, nil
}

// broadcastColumns returns M[i, r] = x[i] for a vector x: the MTTKRP of an
// order-1 tensor.
func broadcastColumns(x *tensor.Dense[float64], R int) *tensor.Dense[float64] {
	out := tensor.Zeros[float64](x.Dim(0), R)
	for i := range x.Dim(0) {
		for r := range R {
			out.Set(x.At(i), i, r)
		}
	}
	return out
}

// pseudoInverse returns the Moore–Penrose inverse of the symmetric positive
// semidefinite matrix v (Q Λ⁺ Qᵀ, eigenvalues below R·ε·λ_max treated as 0).
func pseudoInverse(v *tensor.Dense[float64]) (*tensor.Dense[float64], error) {
	w, q, err := linalg.Eigh(v)
	if err != nil {
		return nil, fmt.Errorf("decomp: %w", err)
	}
	R := len(w)
	cut := float64(R) * 0x1p-52 * math.Abs(w[R-1])
	qs := q.Clone()
	for i := range R {
		for c := range R {
			if w[c] > cut {
				qs.Set(qs.At(i, c)/w[c], i, c)
			} else {
				qs.Set(0, i, c)
			}
		}
	}
	return matmul(qs, q.T()), nil
}

// normalizeColumns scales the columns of a to unit 2-norm and stores the
// norms in w (a zero column stays zero with weight 0).
func normalizeColumns(a *tensor.Dense[float64], w []float64) {
	rows, R := a.Dim(0), a.Dim(1)
	d := a.Data()
	for c := range R {
		s := 0.0
		for i := range rows {
			s += d[i*R+c] * d[i*R+c]
		}
		w[c] = math.Sqrt(s)
		if w[c] == 0 {
			continue
		}
		for i := range rows {
			d[i*R+c] /= w[c]
		}
	}
}

// cpInit returns the initial factors.
func cpInit(x *tensor.Dense[float64], R int, opts CPOptions) ([]*tensor.Dense[float64], error) {
	N := x.Rank()
	rng := tensor.NewRand(opts.Seed)
	factors := make([]*tensor.Dense[float64], N)
	for n := range N {
		a := tensor.RandNormal[float64](rng, x.Dim(n), R)
		if opts.Init == CPInitSVD {
			u, err := leadingLeftVectors(x, n)
			if err != nil {
				return nil, err
			}
			for c := range min(R, u.Dim(1)) {
				for i := range x.Dim(n) {
					a.Set(u.At(i, c), i, c)
				}
			}
		}
		factors[n] = a
	}
	return factors, nil
}

// leadingLeftVectors returns the left singular vectors of the mode-n
// unfolding X₍ₙ₎ (Iₙ × Π_{m≠n} I_m), computed through an LQ factorization
// so that nothing larger than x itself is formed.
func leadingLeftVectors(x *tensor.Dense[float64], n int) (*tensor.Dense[float64], error) {
	unf, err := linalg.Matricize(x, []int{n})
	if err != nil {
		return nil, fmt.Errorf("decomp: %w", err)
	}
	f, err := linalg.SVD(unf, linalg.SVDOptions{Vectors: linalg.LeftVectors})
	if err != nil {
		return nil, fmt.Errorf("decomp: %w", err)
	}
	return f.U, nil
}

// normalizeSigns orders the components by decreasing weight and makes the
// largest-magnitude entry of each factor column positive, except in the last
// factor, which absorbs the signs.
func (c *CP) normalizeSigns() {
	R := len(c.Weights)
	order := make([]int, R)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case c.Weights[a] > c.Weights[b]:
			return -1
		case c.Weights[a] < c.Weights[b]:
			return 1
		}
		return 0
	})
	w := make([]float64, R)
	for p, q := range order {
		w[p] = c.Weights[q]
	}
	c.Weights = w
	N := len(c.Factors)
	for n, a := range c.Factors {
		b := tensor.Zeros[float64](a.Dim(0), R)
		for p, q := range order {
			for i := range a.Dim(0) {
				b.Set(a.At(i, q), i, p)
			}
		}
		c.Factors[n] = b
	}
	for r := range R {
		for n := range N - 1 {
			a := c.Factors[n]
			best, at := -1.0, 0
			for i := range a.Dim(0) {
				if v := math.Abs(a.At(i, r)); v > best {
					best, at = v, i
				}
			}
			if a.At(at, r) < 0 {
				for _, k := range []int{n, N - 1} {
					f := c.Factors[k]
					for i := range f.Dim(0) {
						f.Set(-f.At(i, r), i, r)
					}
				}
			}
		}
	}
}

// Dense rebuilds the full tensor Σ_r λ_r a⁽⁰⁾_r ∘ a⁽¹⁾_r ∘ ⋯.
func (c *CP) Dense() (*tensor.Dense[float64], error) {
	N := len(c.Factors)
	legs := axisLegs(N)
	spec := contract.Spec{Inputs: [][]string{{"r"}}, Output: legs}
	ops := []*tensor.Dense[float64]{tensor.MustFromSlice(c.Weights, len(c.Weights))}
	for n, a := range c.Factors {
		spec.Inputs = append(spec.Inputs, []string{legs[n], "r"})
		ops = append(ops, a)
	}
	out, err := contract.Eval(spec, contract.Options{MemoryLimit: -1}, ops...)
	if err != nil {
		return nil, fmt.Errorf("decomp: %w", err)
	}
	return out, nil
}
