package decomp

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/strand-tn/strand/linalg"
	"github.com/strand-tn/strand/tensor"
)

// NoCenter is the Center of an MPS that is in no known canonical form.
const NoCenter = -1

// MPS is a tensor train (matrix product state): site k has legs (left bond,
// physical, right bond) and shape (r_{k−1}, n_k, r_k) with r_{−1} = r_{d−1} = 1,
// and the represented tensor is
//
//	T[i₀ … i_{d−1}] = Σ_{a} Sites[0][0, i₀, a₀] Sites[1][a₀, i₁, a₁] ⋯ Sites[d−1][a_{d−2}, i_{d−1}, 0].
//
// Center is the orthogonality centre: every site k < Center is
// left-orthonormal (Σ_{a_{k−1} i_k} A A = δ on the right bond, an isometry
// pointing right) and every site k > Center is right-orthonormal, or Center
// is NoCenter. The methods keep Center up to date; code that writes to Sites
// directly should set Center to NoCenter.
type MPS struct {
	Sites  []*tensor.Dense[float64]
	Center int
}

// NewMPS builds an MPS from site tensors of shape (r_{k−1}, n_k, r_k),
// checking that bonds match and the ends have dimension 1. The sites are
// copied; Center is NoCenter.
func NewMPS(sites []*tensor.Dense[float64]) (*MPS, error) {
	if len(sites) == 0 {
		return nil, fmt.Errorf("decomp: an MPS needs at least one site")
	}
	m := &MPS{Sites: make([]*tensor.Dense[float64], len(sites)), Center: NoCenter}
	for k, s := range sites {
		if s == nil || s.Rank() != 3 {
			return nil, fmt.Errorf("decomp: MPS site %d must have 3 legs (left bond, physical, right bond)", k)
		}
		if err := checkFinite(fmt.Sprintf("MPS site %d", k), s); err != nil {
			return nil, err
		}
		left := 1
		if k > 0 {
			left = sites[k-1].Dim(2)
		}
		if s.Dim(0) != left {
			return nil, fmt.Errorf("decomp: MPS site %d has left bond %d, but the bond before it is %d", k, s.Dim(0), left)
		}
		m.Sites[k] = s.Clone()
	}
	if r := sites[len(sites)-1].Dim(2); r != 1 {
		return nil, fmt.Errorf("decomp: the last MPS site has right bond %d, want 1", r)
	}
	return m, nil
}

// RandomMPS returns an MPS with standard normal entries, physical dimensions
// phys and bond dimensions min(bond, Π_{j≤k} n_j, Π_{j>k} n_j).
func RandomMPS(rng *rand.Rand, phys []int, bond int) (*MPS, error) {
	if len(phys) == 0 || bond < 1 {
		return nil, fmt.Errorf("decomp: RandomMPS needs sites and a bond dimension ≥ 1")
	}
	d := len(phys)
	dims := make([]int, d+1)
	dims[0], dims[d] = 1, 1
	for k := 1; k < d; k++ {
		left, right := 1, 1
		for j, n := range phys {
			if n < 1 {
				return nil, fmt.Errorf("decomp: physical dimension %d at site %d", n, j)
			}
			if j < k {
				left = min(left*n, bond)
			} else {
				right = min(right*n, bond)
			}
		}
		dims[k] = min(bond, left, right)
	}
	m := &MPS{Center: NoCenter}
	for k, n := range phys {
		m.Sites = append(m.Sites, tensor.RandNormal[float64](rng, dims[k], n, dims[k+1]))
	}
	return m, nil
}

// Len is the number of sites d.
func (m *MPS) Len() int { return len(m.Sites) }

// PhysDims returns n₀, …, n_{d−1}.
func (m *MPS) PhysDims() []int {
	out := make([]int, len(m.Sites))
	for k, s := range m.Sites {
		out[k] = s.Dim(1)
	}
	return out
}

// BondDims returns the inner bond dimensions r₀, …, r_{d−2}.
func (m *MPS) BondDims() []int {
	out := make([]int, len(m.Sites)-1)
	for k := range out {
		out[k] = m.Sites[k].Dim(2)
	}
	return out
}

// Clone returns a deep copy.
func (m *MPS) Clone() *MPS {
	c := &MPS{Sites: make([]*tensor.Dense[float64], len(m.Sites)), Center: m.Center}
	for k, s := range m.Sites {
		c.Sites[k] = s.Clone()
	}
	return c
}

// MoveCenter brings the MPS into mixed canonical form with orthogonality
// centre k: from a known centre it takes QR (moving right) or LQ (moving
// left) steps only between the old and the new centre; from NoCenter it
// sweeps in from both ends. The tensor represented does not change. k = 0
// gives the right-canonical form, k = d−1 the left-canonical one.
func (m *MPS) MoveCenter(k int) error {
	d := len(m.Sites)
	if k < 0 || k >= d {
		return fmt.Errorf("decomp: centre %d out of range for %d sites", k, d)
	}
	from, to := m.Center, m.Center
	if m.Center == NoCenter {
		from, to = 0, d-1
	}
	for j := from; j < k; j++ {
		m.qrStep(j)
	}
	for j := to; j > k; j-- {
		m.lqStep(j)
	}
	m.Center = k
	return nil
}

// qrStep makes site j left-orthonormal: A_j = Q R, A_j ← Q, A_{j+1} ← R A_{j+1}.
func (m *MPS) qrStep(j int) {
	a, b := m.Sites[j], m.Sites[j+1]
	r, n := a.Dim(0), a.Dim(1)
	q, rr, _ := linalg.QR(a.MustReshape(r*n, a.Dim(2)))
	k := q.Dim(1)
	m.Sites[j] = q.MustReshape(r, n, k)
	nb, rb := b.Dim(1), b.Dim(2)
	m.Sites[j+1] = matmul(rr, b.MustReshape(b.Dim(0), nb*rb)).MustReshape(k, nb, rb)
}

// lqStep makes site j right-orthonormal: A_j = L Q, A_j ← Q, A_{j−1} ← A_{j−1} L.
func (m *MPS) lqStep(j int) {
	a, b := m.Sites[j], m.Sites[j-1]
	n, r := a.Dim(1), a.Dim(2)
	l, q, _ := linalg.LQ(a.MustReshape(a.Dim(0), n*r))
	k := l.Dim(1)
	m.Sites[j] = q.MustReshape(k, n, r)
	rb, nb := b.Dim(0), b.Dim(1)
	m.Sites[j-1] = matmul(b.MustReshape(rb*nb, b.Dim(2)), l).MustReshape(rb, nb, k)
}

// CanonicalDefect returns, for every site, how far it is from the form its
// position relative to Center requires: the IsometryDefect of a
// left-orthonormal site (k < Center) or right-orthonormal site (k > Center),
// and 0 at the centre. It is an error when Center is NoCenter.
func (m *MPS) CanonicalDefect() ([]float64, error) {
	if m.Center == NoCenter {
		return nil, fmt.Errorf("decomp: the MPS has no orthogonality centre")
	}
	out := make([]float64, len(m.Sites))
	for k, s := range m.Sites {
		x := Labeled{Data: s, Legs: []string{"l", "p", "r"}}
		var err error
		switch {
		case k < m.Center:
			out[k], err = IsometryDefect(x, []string{"l", "p"}, []string{"r"})
		case k > m.Center:
			out[k], err = IsometryDefect(x, []string{"p", "r"}, []string{"l"})
		}
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// TTOptions control [TTSVD]. The zero value keeps the numerical TT ranks.
type TTOptions struct {
	// Eps is the relative accuracy ε: each of the d−1 SVDs drops singular
	// values of total weight at most δ² = ε²‖T‖²/(d−1), so that
	// ‖T − TT‖_F ≤ ε‖T‖_F (Oseledets 2011, theorem 2.2) unless
	// Truncation drops more.
	Eps float64
	// Truncation applies to every bond as well (the smallest rank wins).
	Truncation Truncation
}

// TTInfo reports the truncations of [TTSVD] or [MPS.Truncate].
type TTInfo struct {
	Ranks []int       // bond dimensions r₀, …, r_{d−2}
	Bonds []TruncInfo // one per bond
	// ErrorBound is sqrt(Σ discarded weights)/‖T‖_F, a bound on the relative
	// Frobenius error of the result.
	ErrorBound float64
}

// TTSVD decomposes the dense tensor x into a tensor train by d−1 successive
// truncated SVDs (Oseledets 2011, algorithm 1): C ← x reshaped to n₀ × rest;
// for k = 0 … d−2, reshape C to (r_{k−1} n_k) × rest, take C = U Σ Vᵀ truncated
// to r_k values, make site k from U and continue with C ← Σ Vᵀ. The result is
// left-canonical (Center = d−1).
func TTSVD(x *tensor.Dense[float64], opts TTOptions) (*MPS, TTInfo, error) {
	if err := checkFinite("TTSVD", x); err != nil {
		return nil, TTInfo{}, err
	}
	if err := opts.Truncation.validate(); err != nil {
		return nil, TTInfo{}, err
	}
	d := x.Rank()
	switch {
	case d == 0 || x.Size() == 0:
		return nil, TTInfo{}, fmt.Errorf("decomp: TTSVD of a tensor of shape %v", x.Shape())
	case !(opts.Eps >= 0):
		return nil, TTInfo{}, fmt.Errorf("decomp: TTOptions.Eps %g is negative", opts.Eps)
	}
	norm := x.Norm()
	trunc := opts.Truncation
	if opts.Eps > 0 && d > 1 {
		delta2 := opts.Eps * opts.Eps * norm * norm / float64(d-1)
		if trunc.AbsDiscardedWeight == 0 || delta2 > trunc.AbsDiscardedWeight {
			trunc.AbsDiscardedWeight = delta2
		}
	}
	shape := x.Shape()
	rest := x.Size()
	c := x.Contiguous()
	m := &MPS{Center: d - 1}
	info := TTInfo{}
	discarded := 0.0
	rprev := 1
	for k := 0; k < d-1; k++ {
		rest /= shape[k]
		mat := c.MustReshape(rprev*shape[k], rest)
		f, err := linalg.SVD(mat, linalg.SVDOptions{})
		if err != nil {
			return nil, TTInfo{}, fmt.Errorf("decomp: %w", err)
		}
		ti := trunc.apply(f.S, mat.Dim(0), mat.Dim(1))
		r := ti.Rank
		m.Sites = append(m.Sites, f.U.Slice(1, 0, r, 1).Contiguous().MustReshape(rprev, shape[k], r))
		c = scaledRowsT(f.V.Slice(1, 0, r, 1), f.S[:r])
		info.Ranks = append(info.Ranks, r)
		info.Bonds = append(info.Bonds, ti)
		discarded += ti.Discarded
		rprev = r
	}
	m.Sites = append(m.Sites, c.MustReshape(rprev, shape[d-1], 1))
	if norm > 0 {
		info.ErrorBound = math.Sqrt(discarded) / norm
	}
	return m, info, nil
}

// scaledRowsT returns diag(s)·vᵀ for the n×r matrix v.
func scaledRowsT(v *tensor.Dense[float64], s []float64) *tensor.Dense[float64] {
	out := v.T().Clone()
	d := out.Data()
	n := v.Dim(0)
	for i, x := range s {
		for j := range n {
			d[i*n+j] *= x
		}
	}
	return out
}

// Truncate compresses the MPS: it moves the centre to site 0 and sweeps
// right, splitting each centre site by a truncated SVD (U stays, Σ Vᵀ moves
// on). Each truncation is optimal for its bond given the rest, and the
// relative error is at most ErrorBound. RelDiscardedWeight is relative to
// the squared norm at each bond. The result has Center = d−1.
func (m *MPS) Truncate(t Truncation) (TTInfo, error) {
	if err := t.validate(); err != nil {
		return TTInfo{}, err
	}
	if err := m.MoveCenter(0); err != nil {
		return TTInfo{}, err
	}
	norm := m.Sites[0].Norm()
	info := TTInfo{}
	discarded := 0.0
	for k := 0; k+1 < len(m.Sites); k++ {
		a, b := m.Sites[k], m.Sites[k+1]
		r, n := a.Dim(0), a.Dim(1)
		mat := a.MustReshape(r*n, a.Dim(2))
		f, err := linalg.SVD(mat, linalg.SVDOptions{})
		if err != nil {
			return TTInfo{}, fmt.Errorf("decomp: %w", err)
		}
		ti := t.apply(f.S, mat.Dim(0), mat.Dim(1))
		rk := ti.Rank
		m.Sites[k] = f.U.Slice(1, 0, rk, 1).Contiguous().MustReshape(r, n, rk)
		sv := scaledRowsT(f.V.Slice(1, 0, rk, 1), f.S[:rk])
		nb, rb := b.Dim(1), b.Dim(2)
		m.Sites[k+1] = matmul(sv, b.MustReshape(b.Dim(0), nb*rb)).MustReshape(rk, nb, rb)
		m.Center = k + 1
		info.Ranks = append(info.Ranks, rk)
		info.Bonds = append(info.Bonds, ti)
		discarded += ti.Discarded
	}
	if norm > 0 {
		info.ErrorBound = math.Sqrt(discarded) / norm
	}
	return info, nil
}

// Dense contracts the train into the full tensor of shape (n₀, …, n_{d−1}).
func (m *MPS) Dense() *tensor.Dense[float64] {
	acc := m.Sites[0].MustReshape(m.Sites[0].Dim(1), m.Sites[0].Dim(2))
	for _, s := range m.Sites[1:] {
		r, n, rr := s.Dim(0), s.Dim(1), s.Dim(2)
		acc = matmul(acc, s.MustReshape(r, n*rr))
		acc = acc.MustReshape(acc.Dim(0)*n, rr)
	}
	return acc.MustReshape(m.PhysDims()...)
}

// Inner returns ⟨a, b⟩ = Σ_{i…} A[i…] B[i…] by sweeping the transfer
// environment E[r, s] = Σ E[l, m] A[l, p, r] B[m, p, s] along the chain.
func Inner(a, b *MPS) (float64, error) {
	if a.Len() != b.Len() {
		return 0, fmt.Errorf("decomp: inner product of MPS with %d and %d sites", a.Len(), b.Len())
	}
	e := tensor.MustFromSlice([]float64{1}, 1, 1)
	for k := range a.Sites {
		x, y := a.Sites[k], b.Sites[k]
		if x.Dim(1) != y.Dim(1) {
			return 0, fmt.Errorf("decomp: site %d has physical dimension %d in one MPS and %d in the other", k, x.Dim(1), y.Dim(1))
		}
		p := x.Dim(1)
		f := matmul(e.T(), x.MustReshape(x.Dim(0), p*x.Dim(2)))
		f = f.MustReshape(f.Dim(0)*p, x.Dim(2))
		e = matmul(f.T(), y.MustReshape(y.Dim(0)*p, y.Dim(2)))
	}
	return e.At(0, 0), nil
}

// Norm returns ‖T‖_F: the norm of the centre site when there is one,
// otherwise sqrt(⟨T, T⟩).
func (m *MPS) Norm() float64 {
	if m.Center != NoCenter {
		return m.Sites[m.Center].Norm()
	}
	ip, _ := Inner(m, m)
	return math.Sqrt(math.Max(ip, 0))
}

// Add returns the MPS of A + B, with block-diagonal sites
//
//	C_k[(l l′), i, (r r′)] = A_k[l, i, r] ⊕ B_k[l′, i, r′]
//
// (the first and last sites concatenated along their one inner bond), so
// bond dimensions add. Compress it with [MPS.Truncate].
func Add(a, b *MPS) (*MPS, error) {
	if a.Len() != b.Len() {
		return nil, fmt.Errorf("decomp: sum of MPS with %d and %d sites", a.Len(), b.Len())
	}
	d := a.Len()
	out := &MPS{Center: NoCenter}
	for k := range d {
		x, y := a.Sites[k], b.Sites[k]
		n := x.Dim(1)
		if y.Dim(1) != n {
			return nil, fmt.Errorf("decomp: site %d has physical dimension %d in one MPS and %d in the other", k, n, y.Dim(1))
		}
		if d == 1 {
			out.Sites = append(out.Sites, tensor.Add(x, y))
			continue
		}
		lx, rx, ly, ry := x.Dim(0), x.Dim(2), y.Dim(0), y.Dim(2)
		l, lo := lx+ly, lx // left offset of B's block
		r, ro := rx+ry, rx
		if k == 0 {
			l, lo = 1, 0
		}
		if k == d-1 {
			r, ro = 1, 0
		}
		c := tensor.Zeros[float64](l, n, r)
		c.Slice(0, 0, lx, 1).Slice(2, 0, rx, 1).CopyFrom(x)
		c.Slice(0, lo, lo+ly, 1).Slice(2, ro, ro+ry, 1).CopyFrom(y)
		out.Sites = append(out.Sites, c)
	}
	return out, nil
}

// Gauge inserts X X⁻¹ on the bond between sites k and k+1:
// A_k ← A_k X and A_{k+1} ← X⁻¹ A_{k+1}. The tensor represented is unchanged
// (gauge freedom), the canonical form is lost (Center becomes NoCenter).
// X must be square of the bond's dimension and well conditioned
// (σ_min/σ_max above 1e-12).
func (m *MPS) Gauge(k int, x *tensor.Dense[float64]) error {
	if k < 0 || k+1 >= len(m.Sites) {
		return fmt.Errorf("decomp: bond %d out of range for %d sites", k, len(m.Sites))
	}
	r := m.Sites[k].Dim(2)
	if x.Rank() != 2 || x.Dim(0) != r || x.Dim(1) != r {
		return fmt.Errorf("decomp: gauge matrix of shape %v for a bond of dimension %d", x.Shape(), r)
	}
	f, err := linalg.SVD(x, linalg.SVDOptions{})
	if err != nil {
		return fmt.Errorf("decomp: %w", err)
	}
	if !(f.S[r-1] > 1e-12*f.S[0]) {
		return fmt.Errorf("decomp: gauge matrix is singular or ill-conditioned (σ_min/σ_max = %.3g)", f.S[r-1]/f.S[0])
	}
	// X⁻¹ = V Σ⁻¹ Uᵀ.
	inv := matmul(f.V, scaledRowsT(f.U, reciprocal(f.S)))
	a, b := m.Sites[k], m.Sites[k+1]
	la, na := a.Dim(0), a.Dim(1)
	m.Sites[k] = matmul(a.MustReshape(la*na, r), x).MustReshape(la, na, r)
	nb, rb := b.Dim(1), b.Dim(2)
	m.Sites[k+1] = matmul(inv, b.MustReshape(r, nb*rb)).MustReshape(r, nb, rb)
	m.Center = NoCenter
	return nil
}

func reciprocal(s []float64) []float64 {
	out := make([]float64, len(s))
	for i, x := range s {
		out[i] = 1 / x
	}
	return out
}
