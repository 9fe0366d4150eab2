package decomp

import (
	"fmt"
	"slices"

	"github.com/strand-tn/strand/contract"
	"github.com/strand-tn/strand/linalg"
	"github.com/strand-tn/strand/tensor"
)

// Labeled is a float64 tensor with named legs.
type Labeled = contract.Labeled[float64]

// SplitOptions control [SVD]: which singular values to keep and the name of
// the new bond.
type SplitOptions struct {
	Truncation
	// Bond names the new leg; "" picks the first of "a", "b", …, "z", "a1",
	// "b1", … that x does not use.
	Bond string
}

// SVDSplit is T split by an SVD across its legs:
//
//	T[left… right…] ≈ Σ_a U[left… a] S[a] Vh[a right…],
//
// with Σ_left U U = δ (U is an isometry toward the bond), Σ_right Vh Vh = δ and
// S decreasing. [contract.Contract](U, S, Vh) rebuilds the (truncated) T.
type SVDSplit struct {
	U, S, Vh Labeled
	Bond     string
	// Spectrum holds every singular value, kept and dropped, decreasing.
	Spectrum []float64
	TruncInfo
}

// SVD splits x between the legs named in left (in that order) and the other
// legs (in x's order), keeping the singular values that opts.Truncation
// allows. The discarded weight Σ_{i>r} sᵢ² is exactly ‖T − U S Vh‖²_F
// (Eckart–Young). Either side may be empty (a side with no legs has
// dimension 1).
func SVD(x Labeled, left []string, opts SplitOptions) (SVDSplit, error) {
	g, err := group(x, left, opts.Bond)
	if err != nil {
		return SVDSplit{}, err
	}
	if err := opts.Truncation.validate(); err != nil {
		return SVDSplit{}, err
	}
	f, err := linalg.SVD(g.matrix, linalg.SVDOptions{})
	if err != nil {
		return SVDSplit{}, fmt.Errorf("decomp: %w", err)
	}
	info := opts.Truncation.apply(f.S, g.matrix.Dim(0), g.matrix.Dim(1))
	r := info.Rank
	u := f.U.Slice(1, 0, r, 1)
	vh := f.V.Slice(1, 0, r, 1).T()
	s := tensor.MustFromSlice(slices.Clone(f.S[:r]), r)
	return SVDSplit{
		U:         g.left(u),
		S:         Labeled{Data: s, Legs: []string{g.bond}},
		Vh:        g.right(vh),
		Bond:      g.bond,
		Spectrum:  f.S,
		TruncInfo: info,
	}, nil
}

// QRSplit is T = Q R split across its legs: Q[left… bond] is an isometry
// toward the bond and R[bond right…] is upper triangular as a matrix (with a
// non-negative diagonal). The bond has dimension min(dim left, dim right).
type QRSplit struct {
	Q, R Labeled
	Bond string
}

// QR splits x between the legs named in left and the others by a thin QR
// factorization. bond names the new leg ("" picks one as [SplitOptions] does).
func QR(x Labeled, left []string, bond string) (QRSplit, error) {
	g, err := group(x, left, bond)
	if err != nil {
		return QRSplit{}, err
	}
	q, r, err := linalg.QR(g.matrix)
	if err != nil {
		return QRSplit{}, fmt.Errorf("decomp: %w", err)
	}
	return QRSplit{Q: g.left(q), R: g.right(r), Bond: g.bond}, nil
}

// LQSplit is T = L Q split across its legs: L[left… bond] is lower triangular
// as a matrix and Q[bond right…] has orthonormal rows (an isometry toward the
// bond from the right legs).
type LQSplit struct {
	L, Q Labeled
	Bond string
}

// LQ splits x between the legs named in left and the others by a thin LQ
// factorization.
func LQ(x Labeled, left []string, bond string) (LQSplit, error) {
	g, err := group(x, left, bond)
	if err != nil {
		return LQSplit{}, err
	}
	l, q, err := linalg.LQ(g.matrix)
	if err != nil {
		return LQSplit{}, fmt.Errorf("decomp: %w", err)
	}
	return LQSplit{L: g.left(l), Q: g.right(q), Bond: g.bond}, nil
}

// grouping is x viewed as a matrix with named row and column legs.
type grouping struct {
	matrix                *tensor.Dense[float64]
	leftLegs, rightLegs   []string
	leftShape, rightShape []int
	bond                  string
}

// group checks the leg names and matricizes x with the left legs as rows.
func group(x Labeled, left []string, bond string) (grouping, error) {
	if x.Data == nil || len(x.Legs) != x.Data.Rank() {
		return grouping{}, fmt.Errorf("decomp: tensor with legs %v does not match its data", x.Legs)
	}
	if x.Data.Size() == 0 {
		return grouping{}, fmt.Errorf("decomp: cannot split an empty tensor of shape %v", x.Data.Shape())
	}
	if err := checkFinite("split", x.Data); err != nil {
		return grouping{}, err
	}
	rows := make([]int, len(left))
	for i, l := range left {
		rows[i] = slices.Index(x.Legs, l)
		if rows[i] < 0 {
			return grouping{}, fmt.Errorf("decomp: no leg %q among %v", l, x.Legs)
		}
		if slices.Contains(left[:i], l) {
			return grouping{}, fmt.Errorf("decomp: leg %q listed twice", l)
		}
	}
	g := grouping{leftLegs: slices.Clone(left)}
	for _, a := range rows {
		g.leftShape = append(g.leftShape, x.Data.Dim(a))
	}
	for a, l := range x.Legs {
		if !slices.Contains(rows, a) {
			g.rightLegs = append(g.rightLegs, l)
			g.rightShape = append(g.rightShape, x.Data.Dim(a))
		}
	}
	switch {
	case bond == "":
		g.bond = freshName(x.Legs)
	case slices.Contains(x.Legs, bond):
		return grouping{}, fmt.Errorf("decomp: bond name %q is already a leg of the tensor", bond)
	default:
		g.bond = bond
	}
	m, err := linalg.Matricize(x.Data, rows)
	if err != nil {
		return grouping{}, fmt.Errorf("decomp: %w", err)
	}
	g.matrix = m
	return g, nil
}

// left shapes the m×r matrix a as a tensor with legs left… bond.
func (g grouping) left(a *tensor.Dense[float64]) Labeled {
	t := a.MustReshape(append(slices.Clone(g.leftShape), a.Dim(1))...)
	return Labeled{Data: t, Legs: append(slices.Clone(g.leftLegs), g.bond)}
}

// right shapes the r×n matrix a as a tensor with legs bond right….
func (g grouping) right(a *tensor.Dense[float64]) Labeled {
	t := a.MustReshape(append([]int{a.Dim(0)}, g.rightShape...)...)
	return Labeled{Data: t, Legs: append([]string{g.bond}, g.rightLegs...)}
}

// freshName returns the first of a…z, a1…z1, a2… not in used.
func freshName(used []string) string {
	for i := 0; ; i++ {
		for c := 'a'; c <= 'z'; c++ {
			name := string(c)
			if i > 0 {
				name += fmt.Sprint(i)
			}
			if !slices.Contains(used, name) {
				return name
			}
		}
	}
}
