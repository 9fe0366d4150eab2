package network

import "slices"

// Merged is a lowering whose identity and copy operands are merged away: the
// labels one of them joins are one index, a class named by its first label.
// Then
//
//	out[Output…] = Factor · Σ over the other classes of Π_k Operands_k[Labels_k…]
//
// where Output may name a class twice (the output is a diagonal there, as
// δ_ij written out) and may name classes no operand carries (the output is
// constant along them). Factor is the product of the sizes of the classes
// that are on no operand and not in the output: a copy tensor summed alone.
type Merged struct {
	Operands []Operand // data operands and shifted deltas, labels renamed to classes
	From     []int     // From[k]: the position of Operands[k] in the Einsum's Operands
	Output   []string  // the output labels renamed to classes
	Factor   float64
	Sizes    map[string]int // the size of every class
	// Present lists the classes carried by some operand.
	Present map[string]bool
}

// Merge merges the identity and copy operands of e (shifted deltas, which
// must be built, stay operands).
func (e *Einsum) Merge() *Merged {
	parent := map[string]string{}
	var find func(string) string
	find = func(l string) string {
		p, ok := parent[l]
		if !ok || p == l {
			return l
		}
		r := find(p)
		parent[l] = r
		return r
	}
	m := &Merged{Factor: 1, Sizes: map[string]int{}, Present: map[string]bool{}}
	var data []Operand
	for k, op := range e.Operands {
		if (op.Kind == Identity || op.Kind == Delta) && op.Offsets == nil {
			for _, l := range op.Labels[1:] {
				if a, b := find(op.Labels[0]), find(l); a != b {
					parent[b] = a
				}
			}
			continue
		}
		data = append(data, op)
		m.From = append(m.From, k)
	}
	for _, op := range data {
		op.Labels = slices.Clone(op.Labels)
		for i, l := range op.Labels {
			op.Labels[i] = find(l)
			m.Present[op.Labels[i]] = true
		}
		m.Operands = append(m.Operands, op)
	}
	for _, l := range e.Output {
		m.Output = append(m.Output, find(l))
	}
	for l, d := range e.Sizes {
		r := find(l)
		m.Sizes[r] = d
		if r == l && !m.Present[r] && !slices.Contains(m.Output, r) {
			m.Factor *= float64(d)
		}
	}
	return m
}
