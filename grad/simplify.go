package grad

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/strand-tn/strand/network"
)

// Simplify returns an expression with the value of x in simpler form:
//
//   - copy tensors and identities are merged into the labels they join
//     (δ_ab δ_bc… → one index), kept only where two free legs must agree
//     (out[i j] = δ_ij …) or a free leg would otherwise be carried by no
//     tensor (a vector of ones); a copy tensor summed against nothing is
//     folded into the coefficient as its size (δ_ii = n);
//   - X X⁻¹ and X⁻¹ X contracted on one leg become identities, and so do
//     V†V for an isometry V (contracted on the legs away from its tip) and
//     both V†V and VV† for a unitary;
//   - bubble arguments are simplified in turn;
//   - terms that are the same network up to renaming labels and reordering
//     nodes ([Isomorphic]; colour-refinement hashes first, canonical forms
//     for equal hashes) are added into one, and terms whose coefficients
//     cancel (to 1e-12 of the largest) are dropped; a term too symmetric
//     for canonical labelling ([ErrTooSymmetric]) is left as it is.
//
// Terms keep the order in which they first appear.
func Simplify(x *network.Expr) (*network.Expr, error) {
	c := newCtx()
	if err := c.addExpr(x); err != nil {
		return nil, err
	}
	return c.simplify(x)
}

func (c *ctx) simplify(x *network.Expr) (*network.Expr, error) {
	var terms []*network.Term
	for _, t := range x.Terms {
		coef, n, err := c.simplifyNet(t.Coef, t.Net)
		if err != nil {
			return nil, err
		}
		if coef != 0 {
			terms = append(terms, &network.Term{Coef: coef, Net: n, Pos: t.Pos})
		}
	}
	terms, err := combine(terms)
	if err != nil {
		return nil, err
	}
	return c.expr(x.OutputGroups, terms), nil
}

// simplifyNet simplifies one term, coef · n.
func (c *ctx) simplifyNet(coef float64, n *network.Network) (float64, *network.Network, error) {
	nodes := make([]*network.Node, len(n.Nodes))
	for i, node := range n.Nodes {
		nodes[i] = node
		if node.Bubble == nil {
			continue
		}
		b := *node.Bubble
		b.Args = make([]*network.Expr, len(node.Bubble.Args))
		for a, arg := range node.Bubble.Args {
			s, err := c.simplify(arg)
			if err != nil {
				return 0, nil, err
			}
			b.Args[a] = s
		}
		nn := *node
		nn.Bubble = &b
		nodes[i] = &nn
	}
	coef, n = c.mergeCopies(coef, c.net(nodes, n.OutputGroups))
	for {
		next, ok := c.cancelPair(n)
		if !ok {
			return coef, n, nil
		}
		coef, n = c.mergeCopies(coef, next)
	}
}

// plainCopy reports whether a node is a copy tensor or identity without
// shifted legs and with all legs grouped alike: one index per part.
func plainCopy(node *network.Node) bool {
	if node.Kind != network.Delta && node.Kind != network.Identity || len(node.Legs) == 0 {
		return false
	}
	for _, leg := range node.Legs {
		if leg.Offset != 0 || len(leg.Labels) != len(node.Legs[0].Labels) {
			return false
		}
	}
	return true
}

// mergeCopies removes the copy tensors and identities of n, merging the
// labels they join into one per class (a free leg names its class), and
// puts back what the classes need: δ over the free legs of a class with two
// or more, and a factor of its size for a class that nothing carries.
func (c *ctx) mergeCopies(coef float64, n *network.Network) (float64, *network.Network) {
	uf := unionFind{}
	var kept []*network.Node
	var order []string // labels of the merged nodes, first appearance
	for _, node := range n.Nodes {
		if !plainCopy(node) {
			kept = append(kept, node)
			continue
		}
		for p := range node.Legs[0].Labels {
			for _, leg := range node.Legs {
				l := leg.Labels[p]
				if !slices.Contains(order, l) {
					order = append(order, l)
				}
				uf.union(node.Legs[0].Labels[p], l)
			}
		}
	}
	if len(kept) == len(n.Nodes) {
		return coef, n
	}
	outPos := map[string]int{}
	for i, l := range n.Output {
		outPos[l] = i
	}
	members := map[string][]string{}
	var roots []string
	for _, l := range order {
		r := uf.find(l)
		if members[r] == nil {
			roots = append(roots, r)
		}
		members[r] = append(members[r], l)
	}
	rename := map[string]string{}
	var outs = map[string][]string{}
	for _, r := range roots {
		ms := members[r]
		var free []string
		for _, l := range ms {
			if _, ok := outPos[l]; ok {
				free = append(free, l)
			}
		}
		slices.SortFunc(free, func(a, b string) int { return outPos[a] - outPos[b] })
		rep := slices.MinFunc(ms, func(a, b string) int {
			if len(a) != len(b) {
				return len(a) - len(b)
			}
			if a < b {
				return -1
			}
			if a > b {
				return 1
			}
			return 0
		})
		if len(free) > 0 {
			rep = free[0]
		}
		for _, l := range ms {
			rename[l] = rep
		}
		outs[rep] = free
	}
	nodes := make([]*network.Node, len(kept))
	carried := map[string]bool{}
	for i, node := range kept {
		nodes[i] = c.renameNode(node, rename)
		for _, leg := range nodes[i].Legs {
			for _, l := range leg.Labels {
				carried[l] = true
			}
		}
	}
	for _, r := range roots {
		rep := rename[r]
		switch free := outs[rep]; {
		case len(free) >= 2:
			nodes = append(nodes, c.delta(free...))
		case len(free) == 0 && !carried[rep]:
			coef *= float64(c.sizes[rep])
		}
	}
	return coef, c.net(nodes, n.OutputGroups)
}

// bondBetween reports whether label l joins exactly leg a of node p and leg
// b of node q, and nothing else.
func bondBetween(n *network.Network, l string, p, a, q, b int) bool {
	e := n.Edge(l)
	if e == nil || e.Kind != network.Bond {
		return false
	}
	has := func(node, leg int) bool {
		for _, end := range e.Ends {
			if end.Node == node && end.Leg == leg {
				return true
			}
		}
		return false
	}
	return has(p, legIndex(n.Nodes[p], a)) && has(q, legIndex(n.Nodes[q], b))
}

// legIndex returns the index in node.Legs of data axis a.
func legIndex(node *network.Node, a int) int {
	if node.Transpose {
		return len(node.Legs) - 1 - a
	}
	return a
}

// singleLabels returns the label of each data axis, or false when a leg is
// grouped.
func singleLabels(node *network.Node) ([]string, bool) {
	var out []string
	for _, leg := range dataLegs(node) {
		if len(leg.Labels) != 1 || leg.Offset != 0 {
			return nil, false
		}
		out = append(out, leg.Labels[0])
	}
	return out, true
}

// tipAxes returns the data axes at the tip of an isometry: those declared,
// or else the first smallest axis (as strand.RandomInputs draws them).
func tipAxes(node *network.Node) []int {
	m := len(node.Legs)
	var tip []int
	for _, t := range node.Tip {
		if node.Transpose {
			t = m - 1 - t
		}
		tip = append(tip, t)
	}
	if len(tip) == 0 && m > 0 {
		smallest := 0
		for a, leg := range dataLegs(node) {
			if leg.Size() < dataLegs(node)[smallest].Size() {
				smallest = a
			}
		}
		tip = []int{smallest}
	}
	return tip
}

// cancelPair finds one pair X X⁻¹, X⁻¹ X, V†V (or VV† for a unitary) joined
// as the identity needs and replaces it by identities.
func (c *ctx) cancelPair(n *network.Network) (*network.Network, bool) {
	for p, P := range n.Nodes {
		for q, Q := range n.Nodes {
			if p == q || P.Name != Q.Name || !P.Kind.HasData() || P.Inverse {
				continue
			}
			pl, ok1 := singleLabels(P)
			ql, ok2 := singleLabels(Q)
			if !ok1 || !ok2 || len(pl) != len(ql) {
				continue
			}
			var ids [][2]string
			switch {
			case Q.Inverse && P.Conj == Q.Conj && len(pl) == 2:
				// (X X⁻¹)_ad = δ_ad; (X⁻¹ X)_cb = δ_cb.
				if pl[1] == ql[0] && bondBetween(n, pl[1], p, 1, q, 0) {
					ids = [][2]string{{pl[0], ql[1]}}
				} else if ql[1] == pl[0] && bondBetween(n, pl[0], p, 0, q, 1) {
					ids = [][2]string{{ql[0], pl[1]}}
				}
			case (P.Kind == network.Isometry || P.Kind == network.Unitary) && !P.Conj && Q.Conj && !Q.Inverse:
				ids = isometryIdentities(n, p, q, pl, ql)
			}
			if ids == nil {
				continue
			}
			nodes := make([]*network.Node, 0, len(n.Nodes))
			for k, node := range n.Nodes {
				if k != p && k != q {
					nodes = append(nodes, node)
				}
			}
			for _, id := range ids {
				nodes = append(nodes, c.identity(id[0], id[1]))
			}
			return c.net(nodes, n.OutputGroups), true
		}
	}
	return nil, false
}

// isometryIdentities returns the identities that V (node p) and V̄ (node q)
// contract to, or nil: Σ V̄_{…} V_{…} over the axes away from the tip is the
// identity on the tip axes, and for a unitary also the other way round.
func isometryIdentities(n *network.Network, p, q int, pl, ql []string) [][2]string {
	tip := tipAxes(n.Nodes[p])
	var rest []int
	for a := range pl {
		if !slices.Contains(tip, a) {
			rest = append(rest, a)
		}
	}
	sides := [][2][]int{{rest, tip}}
	if n.Nodes[p].Kind == network.Unitary {
		sides = append(sides, [2][]int{tip, rest})
	}
	for _, s := range sides {
		matched, other := s[0], s[1]
		if len(matched) == 0 {
			continue
		}
		ok := true
		for _, a := range matched {
			if pl[a] != ql[a] || !bondBetween(n, pl[a], p, a, q, a) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		ids := [][2]string{}
		for _, a := range other {
			ids = append(ids, [2]string{ql[a], pl[a]})
		}
		return ids
	}
	return nil
}

// combine adds terms that are the same network up to renaming and drops
// those that cancel. Hashes settle most pairs; canonical forms the rest.
func combine(terms []*network.Term) ([]*network.Term, error) {
	hashes := make([]uint64, len(terms))
	count := map[uint64]int{}
	for i, t := range terms {
		hashes[i] = Hash(t.Net)
		count[hashes[i]]++
	}
	keys := make([]string, len(terms))
	for i, t := range terms {
		if count[hashes[i]] < 2 {
			keys[i] = fmt.Sprintf("h%x", hashes[i])
			continue
		}
		k, err := Canonical(t.Net)
		switch {
		case errors.Is(err, ErrTooSymmetric):
			k = fmt.Sprintf("term %d", i) // left alone: not combined
		case err != nil:
			return nil, err
		}
		keys[i] = k
	}
	first := map[string]int{}
	var out []*network.Term
	var scale []float64
	for i, t := range terms {
		if j, ok := first[keys[i]]; ok {
			out[j].Coef += t.Coef
			scale[j] = math.Max(scale[j], math.Abs(t.Coef))
			continue
		}
		first[keys[i]] = len(out)
		out = append(out, &network.Term{Coef: t.Coef, Net: t.Net, Pos: t.Pos})
		scale = append(scale, math.Abs(t.Coef))
	}
	kept := out[:0]
	for j, t := range out {
		if math.Abs(t.Coef) > 1e-12*scale[j] {
			kept = append(kept, t)
		}
	}
	return kept, nil
}

// Equal reports whether two expressions are equal symbolically: whether
// their difference simplifies to no terms. Free legs are matched by
// position. A false answer proves nothing: expressions may be equal by a
// property Simplify does not know (a numeric check settles those).
func Equal(a, b *network.Expr) (bool, error) {
	if len(a.Output) != len(b.Output) || len(a.OutputGroups) != len(b.OutputGroups) {
		return false, fmt.Errorf("grad: the sides have %d and %d free legs", len(a.Output), len(b.Output))
	}
	c := newCtx()
	if err := c.addExpr(a); err != nil {
		return false, err
	}
	if err := c.addExpr(b); err != nil {
		return false, err
	}
	ports := map[string]string{}
	for i, l := range b.Output {
		if len(a.OutputGroups) > 0 && c.sizes[l] != c.sizes[a.Output[i]] {
			return false, fmt.Errorf("grad: free leg %d has size %d on one side and %d on the other", i+1, c.sizes[a.Output[i]], c.sizes[l])
		}
		ports[l] = a.Output[i]
	}
	for i := range a.OutputGroups {
		if len(a.OutputGroups[i]) != len(b.OutputGroups[i]) {
			return false, fmt.Errorf("grad: output axis %d is grouped differently on the two sides", i+1)
		}
	}
	rb := c.renameScope(b, ports)
	terms := slices.Clone(a.Terms)
	for _, t := range rb.Terms {
		terms = append(terms, &network.Term{Coef: -t.Coef, Net: t.Net, Pos: t.Pos})
	}
	d, err := c.simplify(c.expr(a.OutputGroups, terms))
	if err != nil {
		return false, err
	}
	return len(d.Terms) == 0, nil
}
