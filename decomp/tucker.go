package decomp

import (
	"fmt"
	"math"

	"github.com/strand-tn/strand/contract"
	"github.com/strand-tn/strand/linalg"
	"github.com/strand-tn/strand/tensor"
)

// TuckerOptions control [HOSVD] and [HOOI]. The zero value keeps the
// numerical multilinear rank.
type TuckerOptions struct {
	// Ranks fixes R₀, R₁, … (each clipped to the mode size); nil chooses
	// each from the mode's singular values with Truncation.
	Ranks      []int
	Truncation Truncation
	MaxIter    int     // HOOI sweeps (0 means 50)
	Tol        float64 // HOOI stops when ‖G‖²/‖T‖² grows less than this (0 means 1e-12)
}

// Tucker is a Tucker decomposition
//
//	T[i₀ i₁ …] ≈ Σ G[a₀ a₁ …] U⁽⁰⁾[i₀ a₀] U⁽¹⁾[i₁ a₁] ⋯
//
// with orthonormal factor columns (isometries toward the core).
type Tucker struct {
	Core    *tensor.Dense[float64]
	Factors []*tensor.Dense[float64] // Iₙ × Rₙ
}

// TuckerInfo reports a Tucker computation.
type TuckerInfo struct {
	Ranks      []int
	Iterations int     // HOOI sweeps (0 for HOSVD)
	RelError   float64 // ‖T − T̂‖_F / ‖T‖_F, measured on the rebuilt tensor
	// Bound is the HOSVD bound sqrt(Σₙ Σ_{i>Rₙ} σᵢ(T₍ₙ₎)²) / ‖T‖_F, which
	// RelError never exceeds (De Lathauwer et al. 2000a, property 10).
	Bound float64
	// Discarded holds Σ_{i>Rₙ} σᵢ(T₍ₙ₎)² for each mode n.
	Discarded []float64
}

// HOSVD computes the truncated higher-order SVD: U⁽ⁿ⁾ holds the Rₙ leading
// left singular vectors of the mode-n unfolding T₍ₙ₎ and the core is
// G = T ×₀ U⁽⁰⁾ᵀ ×₁ U⁽¹⁾ᵀ ⋯ (De Lathauwer, De Moor & Vandewalle 2000a). With
// full ranks it is exact; truncated, its error is within Bound.
func HOSVD(x *tensor.Dense[float64], opts TuckerOptions) (*Tucker, TuckerInfo, error) {
	if err := checkFinite("HOSVD", x); err != nil {
		return nil, TuckerInfo{}, err
	}
	if err := opts.Truncation.validate(); err != nil {
		return nil, TuckerInfo{}, err
	}
	N := x.Rank()
	if N < 1 || x.Size() == 0 {
		return nil, TuckerInfo{}, fmt.Errorf("decomp: Tucker decomposition of a tensor of shape %v", x.Shape())
	}
	if opts.Ranks != nil && len(opts.Ranks) != N {
		return nil, TuckerInfo{}, fmt.Errorf("decomp: %d Tucker ranks for a tensor of order %d", len(opts.Ranks), N)
	}
	norm := x.Norm()
	info := TuckerInfo{Ranks: make([]int, N), Discarded: make([]float64, N)}
	t := &Tucker{Factors: make([]*tensor.Dense[float64], N)}
	svds := make([]linalg.SVDFactors, N)
	for n := range N {
		unf, err := linalg.Matricize(x, []int{n})
		if err != nil {
			return nil, TuckerInfo{}, fmt.Errorf("decomp: %w", err)
		}
		f, err := linalg.SVD(unf, linalg.SVDOptions{Vectors: linalg.LeftVectors})
		if err != nil {
			return nil, TuckerInfo{}, fmt.Errorf("decomp: %w", err)
		}
		svds[n] = f
		info.Ranks[n] = opts.Truncation.apply(f.S, unf.Dim(0), unf.Dim(1)).Rank
		if opts.Ranks != nil {
			if opts.Ranks[n] < 1 {
				return nil, TuckerInfo{}, fmt.Errorf("decomp: Tucker rank %d for mode %d; it must be at least 1", opts.Ranks[n], n)
			}
			info.Ranks[n] = min(opts.Ranks[n], len(f.S))
		}
	}
	// A multilinear rank never exceeds the product of the others.
	for changed := true; changed; {
		changed = false
		for n := range N {
			p := 1
			for m, r := range info.Ranks {
				if m != n {
					p *= r
				}
			}
			if info.Ranks[n] > p {
				info.Ranks[n], changed = p, true
			}
		}
	}
	total := 0.0
	for n, f := range svds {
		r := info.Ranks[n]
		for _, s := range f.S[r:] {
			info.Discarded[n] += s * s
		}
		total += info.Discarded[n]
		t.Factors[n] = f.U.Slice(1, 0, r, 1).Contiguous()
	}
	core, err := project(x, t.Factors, -1)
	if err != nil {
		return nil, TuckerInfo{}, err
	}
	t.Core = core
	if norm > 0 {
		info.Bound = math.Sqrt(total) / norm
	}
	info.RelError, err = t.relError(x, norm)
	return t, info, err
}

// HOOI refines HOSVD by higher-order orthogonal iteration (De Lathauwer, De
// Moor & Vandewalle 2000b): each sweep sets U⁽ⁿ⁾ to the Rₙ leading left
// singular vectors of (T ×_{m≠n} U⁽ᵐ⁾ᵀ)₍ₙ₎. ‖G‖ never decreases, so its error
// never exceeds the HOSVD error it starts from.
func HOOI(x *tensor.Dense[float64], opts TuckerOptions) (*Tucker, TuckerInfo, error) {
	t, info, err := HOSVD(x, opts)
	if err != nil {
		return nil, TuckerInfo{}, err
	}
	maxIter, tol := opts.MaxIter, opts.Tol
	if maxIter <= 0 {
		maxIter = 50
	}
	if tol == 0 {
		tol = 1e-12
	}
	norm := x.Norm()
	if norm == 0 {
		return t, info, nil
	}
	prev := t.Core.Norm() / norm
	prev *= prev
	N := x.Rank()
	for it := range maxIter {
		var y *tensor.Dense[float64]
		for n := range N {
			y, err = project(x, t.Factors, n)
			if err != nil {
				return nil, TuckerInfo{}, err
			}
			u, err := leadingLeftVectors(y, n)
			if err != nil {
				return nil, TuckerInfo{}, err
			}
			t.Factors[n] = u.Slice(1, 0, info.Ranks[n], 1).Contiguous()
		}
		// G = Y ×_{N−1} U⁽ᴺ⁻¹⁾ᵀ with Y the last partial projection.
		core, err := modeProduct(y, t.Factors[N-1], N-1)
		if err != nil {
			return nil, TuckerInfo{}, err
		}
		t.Core = core
		info.Iterations = it + 1
		g := core.Norm() / norm
		if g*g-prev < tol {
			break
		}
		prev = g * g
	}
	info.RelError, err = t.relError(x, norm)
	return t, info, err
}

// project returns x ×_m U⁽ᵐ⁾ᵀ over every mode m ≠ skip (all modes when skip
// is −1): contracting each leg of x with its factor.
func project(x *tensor.Dense[float64], factors []*tensor.Dense[float64], skip int) (*tensor.Dense[float64], error) {
	y := x
	for m, u := range factors {
		if m == skip {
			continue
		}
		var err error
		if y, err = modeProduct(y, u, m); err != nil {
			return nil, err
		}
	}
	return y, nil
}

// modeProduct returns y ×_m Uᵀ: Z[… a …] = Σ_i Y[… i …] U[i a] (leg m
// replaced by the factor's column leg, in place).
func modeProduct(y, u *tensor.Dense[float64], m int) (*tensor.Dense[float64], error) {
	legs := axisLegs(y.Rank())
	out := append([]string(nil), legs...)
	out[m] = "a"
	z, err := contract.Einsum(contract.Spec{Inputs: [][]string{legs, {legs[m], "a"}}, Output: out}, y, u)
	if err != nil {
		return nil, fmt.Errorf("decomp: %w", err)
	}
	return z, nil
}

// Dense rebuilds G ×₀ U⁽⁰⁾ ×₁ U⁽¹⁾ ⋯.
func (t *Tucker) Dense() (*tensor.Dense[float64], error) {
	y := t.Core
	for m, u := range t.Factors {
		var err error
		if y, err = modeProduct(y, u.T(), m); err != nil {
			return nil, err
		}
	}
	return y, nil
}

func (t *Tucker) relError(x *tensor.Dense[float64], norm float64) (float64, error) {
	d, err := t.Dense()
	if err != nil || norm == 0 {
		return 0, err
	}
	return tensor.Sub(x, d).Norm() / norm, nil
}
