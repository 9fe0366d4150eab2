package strand

import (
	"fmt"
	"slices"

	"github.com/strand-tn/strand/contract"
	"github.com/strand-tn/strand/decomp"
	"github.com/strand-tn/strand/network"
	"github.com/strand-tn/strand/tensor"
)

// decomposer computes the factors of decomposition statements with package
// decomp (see network's decomposition statements): svd and qr split by the
// first factor's legs, cp by alternating least squares, tucker by HOSVD, tt
// by successive SVDs from the left (so every site but the last is an
// isometry toward its right bond). Bonds take their declared sizes; where
// the numerical rank is smaller the factors are padded with zeros.
func decomposer[T Elem](st *network.Statement, arg *Tensor[T]) ([]*Tensor[T], error) {
	if !isReal[T]() {
		return nil, fmt.Errorf("strand: %s of complex tensors is not supported", st.Func)
	}
	x := tensor.Convert[float64](arg)
	free := st.RHS.Output
	written, err := writtenFactors(st, contract.Labeled[float64]{Data: x, Legs: free})
	if err != nil {
		return nil, err
	}
	out := make([]*Tensor[T], len(written))
	for k, w := range written {
		out[k] = tensor.Convert[T](dataOf(st.Factors[k], w))
	}
	return out, nil
}

func isReal[T Elem]() bool {
	var z T
	switch any(z).(type) {
	case float32, float64:
		return true
	}
	return false
}

// legsOf lists a factor node's labels as written.
func legsOf(n *network.Node) []string {
	var legs []string
	for _, l := range n.Legs {
		legs = append(legs, l.Labels...)
	}
	return legs
}

// dataOf turns a factor's value with its legs as written into the node's
// data: a transposed node (V†, Vᵀ) stores its axes in reverse order.
func dataOf(n *network.Node, w contract.Labeled[float64]) *tensor.Dense[float64] {
	legs := legsOf(n)
	if n.Transpose {
		slices.Reverse(legs)
	}
	v, _ := w.Transpose(legs...)
	return v.Data.Clone()
}

// writtenFactors computes each factor with its legs as written.
func writtenFactors(st *network.Statement, x contract.Labeled[float64]) ([]contract.Labeled[float64], error) {
	sizes := st.LHS.Terms[0].Net.Sizes
	f := st.Factors
	args := func(k int) []string { return intersect(legsOf(f[k]), x.Legs) }
	bonds := func(k int) []string { return minus(legsOf(f[k]), x.Legs) }
	switch st.Func {
	case "svd":
		bond := bonds(0)[0]
		s, err := decomp.SVD(x, args(0), decomp.SplitOptions{Truncation: decomp.Truncation{MaxRank: sizes[bond]}, Bond: bond})
		if err != nil {
			return nil, err
		}
		parts := pad([]contract.Labeled[float64]{s.U, s.S, s.Vh}, bond, sizes[bond])
		return ordered(f, parts)
	case "qr":
		bond := bonds(0)[0]
		s, err := decomp.QR(x, args(0), bond)
		if err != nil {
			return nil, err
		}
		return ordered(f, pad([]contract.Labeled[float64]{s.Q, s.R}, bond, sizes[bond]))
	case "cp":
		return cpFactors(f, x, bonds(0)[0], sizes, args)
	case "tucker":
		return tuckerFactors(f, x, sizes, args, bonds)
	case "tt":
		return ttFactors(f, x, sizes, args, bonds)
	}
	return nil, fmt.Errorf("strand: unknown decomposition %s", st.Func)
}

// ordered matches computed parts to the factors by their leg sets and puts
// each part's legs in the written order.
func ordered(f []*network.Node, parts []contract.Labeled[float64]) ([]contract.Labeled[float64], error) {
	out := make([]contract.Labeled[float64], len(f))
	for k, n := range f {
		legs := legsOf(n)
		for _, p := range parts {
			if len(p.Legs) == len(legs) && len(intersect(p.Legs, legs)) == len(legs) {
				t, err := p.Transpose(legs...)
				if err != nil {
					return nil, err
				}
				out[k] = t
			}
		}
		if out[k].Data == nil {
			return nil, fmt.Errorf("strand: no factor has the legs %v of %s", legs, n.Display())
		}
	}
	return out, nil
}

// pad widens the bond of each part to size with zeros, where the numerical
// rank came out smaller than the declared bond.
func pad(parts []contract.Labeled[float64], bond string, size int) []contract.Labeled[float64] {
	for i, p := range parts {
		a := slices.Index(p.Legs, bond)
		if a < 0 || p.Data.Dim(a) == size {
			continue
		}
		shape := p.Data.Shape()
		shape[a] = size
		z := tensor.Zeros[float64](shape...)
		z.Slice(a, 0, p.Data.Dim(a), 1).CopyFrom(p.Data)
		parts[i] = contract.Labeled[float64]{Data: z, Legs: p.Legs}
	}
	return parts
}

// cpFactors fits λ[s] A[i s] B[j s] … by CP-ALS; without a weight factor the
// weights are folded into the first mode's factor.
func cpFactors(f []*network.Node, x contract.Labeled[float64], bond string, sizes map[string]int, args func(int) []string) ([]contract.Labeled[float64], error) {
	cp, _, err := decomp.CPALS(x.Data, decomp.CPOptions{Rank: sizes[bond], Tol: 1e-12, MaxIter: 2000})
	if err != nil {
		return nil, err
	}
	weights := tensor.MustFromSlice(slices.Clone(cp.Weights), len(cp.Weights))
	var parts []contract.Labeled[float64]
	hasWeights := false
	for k := range f {
		if len(args(k)) == 0 {
			hasWeights = true
			parts = append(parts, contract.Labeled[float64]{Data: weights, Legs: []string{bond}})
		}
	}
	for m, leg := range x.Legs {
		factor := cp.Factors[m]
		if !hasWeights && m == 0 {
			factor = scaleColumns(factor, cp.Weights)
		}
		parts = append(parts, contract.Labeled[float64]{Data: factor, Legs: []string{leg, bond}})
	}
	return ordered(f, parts)
}

func scaleColumns(a *tensor.Dense[float64], w []float64) *tensor.Dense[float64] {
	out := a.Clone()
	for i := range out.Dim(0) {
		for j, s := range w {
			out.Set(out.At(i, j)*s, i, j)
		}
	}
	return out
}

// tuckerFactors computes G[a b c] U[i a] … by HOSVD with the bonds' sizes as ranks.
func tuckerFactors(f []*network.Node, x contract.Labeled[float64], sizes map[string]int, args, bonds func(int) []string) ([]contract.Labeled[float64], error) {
	bondOf := map[string]string{} // mode leg → its bond to the core
	for k := range f {
		if a := args(k); len(a) == 1 {
			bondOf[a[0]] = bonds(k)[0]
		}
	}
	ranks := make([]int, len(x.Legs))
	coreLegs := make([]string, len(x.Legs))
	for m, leg := range x.Legs {
		coreLegs[m] = bondOf[leg]
		ranks[m] = sizes[bondOf[leg]]
	}
	tk, _, err := decomp.HOSVD(x.Data, decomp.TuckerOptions{Ranks: ranks})
	if err != nil {
		return nil, err
	}
	parts := []contract.Labeled[float64]{{Data: tk.Core, Legs: coreLegs}}
	for m, leg := range x.Legs {
		parts = append(parts, contract.Labeled[float64]{Data: tk.Factors[m], Legs: []string{leg, bondOf[leg]}})
	}
	for i, p := range parts[1:] {
		parts[i+1] = pad([]contract.Labeled[float64]{p}, p.Legs[1], ranks[i])[0]
	}
	parts[0] = padAll(parts[0], ranks)
	return ordered(f, parts)
}

// padAll widens every axis of x to the given sizes with zeros.
func padAll(x contract.Labeled[float64], sizes []int) contract.Labeled[float64] {
	if slices.Equal(x.Data.Shape(), sizes) {
		return x
	}
	z := tensor.Zeros[float64](sizes...)
	v := z
	for a := range sizes {
		v = v.Slice(a, 0, x.Data.Dim(a), 1)
	}
	v.CopyFrom(x.Data)
	return contract.Labeled[float64]{Data: z, Legs: x.Legs}
}

// ttFactors builds the tensor train site by site: split the rest between
// (the previous bond and) the site's legs and everything after, keep U as
// the site and continue with S V†. The orthogonality centre ends on the last
// site, or on the one site that is not declared an isometry when all the
// others are: the sites after it are then made isometric from the right.
func ttFactors(f []*network.Node, x contract.Labeled[float64], sizes map[string]int, args, bonds func(int) []string) ([]contract.Labeled[float64], error) {
	n := len(f)
	shared := func(k int) string { return intersect(bonds(k), bonds(k+1))[0] } // bond between sites k and k+1
	rest := x
	var sites []contract.Labeled[float64]
	for k := range n - 1 {
		left := args(k)
		if k > 0 {
			left = append([]string{shared(k - 1)}, left...)
		}
		bond := shared(k)
		s, err := decomp.SVD(rest, left, decomp.SplitOptions{Truncation: decomp.Truncation{MaxRank: sizes[bond]}, Bond: bond})
		if err != nil {
			return nil, err
		}
		p := pad([]contract.Labeled[float64]{s.U, s.S, s.Vh}, bond, sizes[bond])
		sites = append(sites, p[0])
		if rest, err = scaleRows(p[1], p[2]); err != nil {
			return nil, err
		}
	}
	sites = append(sites, rest)
	for k := n - 1; k > centreOf(f); k-- {
		// site k = U S V†, split off its left bond: V† stays, U S moves left.
		bond := shared(k - 1)
		fresh := bond + "·"
		s, err := decomp.SVD(sites[k], []string{bond}, decomp.SplitOptions{Truncation: decomp.Truncation{MaxRank: sizes[bond]}, Bond: fresh})
		if err != nil {
			return nil, err
		}
		p := pad([]contract.Labeled[float64]{s.U, s.S, s.Vh}, fresh, sizes[bond])
		if sites[k], err = p[2].Rename(fresh, bond); err != nil {
			return nil, err
		}
		us, err := scaleRows(p[1], p[0])
		if err != nil {
			return nil, err
		}
		prev, err := contract.Contract(sites[k-1], us)
		if err != nil {
			return nil, err
		}
		if sites[k-1], err = prev.Rename(fresh, bond); err != nil {
			return nil, err
		}
	}
	return ordered(f, sites)
}

// centreOf returns the site that is not declared an isometry when every
// other one is, else the last site.
func centreOf(f []*network.Node) int {
	centre := -1
	for k, n := range f {
		if n.Kind != network.Isometry && n.Kind != network.Unitary {
			if centre >= 0 {
				return len(f) - 1
			}
			centre = k
		}
	}
	if centre < 0 {
		return len(f) - 1
	}
	return centre
}

// scaleRows returns s[b]·x[… b …]: x with each slice along the bond of s
// scaled by its singular value; the bond stays a leg.
func scaleRows(s, x contract.Labeled[float64]) (contract.Labeled[float64], error) {
	v, err := contract.Einsum(contract.Spec{Inputs: [][]string{s.Legs, x.Legs}, Output: x.Legs}, s.Data, x.Data)
	return contract.Labeled[float64]{Data: v, Legs: x.Legs}, err
}

func intersect(a, b []string) []string {
	var out []string
	for _, l := range a {
		if slices.Contains(b, l) {
			out = append(out, l)
		}
	}
	return out
}

func minus(a, b []string) []string {
	var out []string
	for _, l := range a {
		if !slices.Contains(b, l) {
			out = append(out, l)
		}
	}
	return out
}
