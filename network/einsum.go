package network

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/strand-tn/strand/notation"
)

// ellipsisLabel names the k-th broadcast axis of "..." (counted from the left
// of the full, right-aligned ellipsis block). No einsum name can clash with it.
func ellipsisLabel(k int) string { return "…" + strconv.Itoa(k) }

// DefaultName names operand k of a bare equation: A, B, …, Z, then T26, T27, ….
func DefaultName(k int) string {
	if k < 26 {
		return string(rune('A' + k))
	}
	return "T" + strconv.Itoa(k)
}

// FromEinsum builds the network of an einsum equation applied to operands of
// the given shapes, one per input term, following numpy:
//
//   - "..." stands for the axes not named in its term; the ellipses of all
//     operands are right-aligned and broadcast against each other, and get the
//     labels "…0", "…1", … (from the left of the longest);
//   - a labelled axis of size 1 broadcasts against the same label elsewhere
//     (Leg.Dims keeps the 1, Sizes the full size), but a label repeated inside
//     one operand must have one size there (a diagonal or a trace);
//   - without "->" the output is "..." (if any) followed by the labels that
//     appear exactly once, sorted by character code (A–Z before a–z);
//   - a group (i j) on an input is an axis whose size is the product of the
//     sizes of i and j, one of which may be inferred from it; a group on the
//     output flattens those labels into one axis.
//
// An einops-style equation whose last term is empty and that is given one
// operand fewer than it has terms ("i, j, -> i j" with two operands) reads the
// trailing comma as punctuation, not as a scalar operand.
func FromEinsum(e *notation.Einsum, shapes [][]int) (*Network, error) {
	return fromEinsum(e, nil, shapes)
}

// FromCall builds the network of a pasted einsum call (see [FromEinsum]). The
// nodes take the operands' names; conj(V) and V.T become V conjugated or
// transposed, and eye(n) an identity node. shapes holds the shapes of the
// operands that carry data, in order: every operand except eye(n); a
// transposed operand's shape is that of V, not of V.T.
func FromCall(c *notation.Call, shapes [][]int) (*Network, error) {
	if c.Op != notation.OpEinsum || c.Einsum == nil || len(c.Operands) != len(c.Einsum.Inputs) {
		return nil, errorf(c.FuncPos, "%s is not an einsum call with one operand per term: resolve a pattern with PlanCall", c.Func)
	}
	return fromEinsum(c.Einsum, c.Operands, shapes)
}

// einsumBuilder holds the state of one FromEinsum.
type einsumBuilder struct {
	nodes  []*Node
	groups []groupAxis // the grouped input legs
	sizes  map[string]int
	from   map[string]string
}

// groupAxis is leg Leg of node Node, a group of labels on an operand axis of size Dim.
type groupAxis struct {
	Node, Leg, Dim int
}

func fromEinsum(e *notation.Einsum, ops []*notation.Operand, shapes [][]int) (*Network, error) {
	terms := e.Inputs
	if ops == nil && e.Style == notation.StyleEinops && len(terms) > 1 &&
		len(shapes) == len(terms)-1 && len(terms[len(terms)-1].Axes) == 0 {
		terms = terms[:len(terms)-1]
	}
	nData := len(terms)
	for _, o := range ops {
		if o.Eye > 0 {
			nData--
		}
	}
	if len(shapes) != nData {
		return nil, errorf(e.Pos, "the equation has %d input %s but %d %s given",
			nData, plural(nData, "term", "terms"), len(shapes), plural(len(shapes), "operand is", "operands are"))
	}
	b := &einsumBuilder{sizes: map[string]int{}, from: map[string]string{}}
	// The shape of each term's operand, as its legs see it.
	full := make([][]int, len(terms))
	ellDims := make([]int, len(terms))
	maxEll := 0
	data := 0
	for k, t := range terms {
		node := &Node{Name: DefaultName(k), Input: -1, Pos: t.Pos}
		var shape []int
		switch {
		case ops != nil && ops[k].Eye > 0:
			node.Name, node.Kind = ops[k].Name, Identity
			shape = []int{ops[k].Eye, ops[k].Eye}
		default:
			shape = shapes[data]
			node.Input = data
			data++
			if ops != nil {
				node.Name, node.Conj, node.Transpose = ops[k].Name, ops[k].Conj, ops[k].Transpose
			}
		}
		for _, d := range shape {
			if d < 0 {
				return nil, errorf(t.Pos, "operand %d (%s) has a negative size in its shape %v", k, node.Name, shape)
			}
		}
		if node.Transpose {
			shape = reversed(shape)
		}
		named, hasEll := 0, false
		for _, a := range t.Axes {
			if a.Kind == notation.AxisEllipsis {
				hasEll = true
			} else {
				named++
			}
		}
		switch {
		case hasEll && len(shape) < named:
			return nil, errorf(t.Pos, "operand %d (%s) has %d %s but its term names %d besides '...'",
				k, node.Name, len(shape), plural(len(shape), "axis", "axes"), named)
		case !hasEll && len(shape) != named:
			hint := ""
			if len(shape) > named {
				hint = " (write '...' for the others)"
			}
			return nil, errorf(t.Pos, "operand %d (%s) has %d %s but its term names %d%s",
				k, node.Name, len(shape), plural(len(shape), "axis", "axes"), named, hint)
		case hasEll:
			ellDims[k] = len(shape) - named
			maxEll = max(maxEll, ellDims[k])
		}
		full[k] = shape
		b.nodes = append(b.nodes, node)
	}
	for k, t := range terms {
		if err := b.legs(k, t, full[k], ellDims[k], maxEll); err != nil {
			return nil, err
		}
	}
	if err := b.groupSizes(); err != nil {
		return nil, err
	}
	out, groups, err := einsumOutput(e, terms, maxEll)
	if err != nil {
		return nil, err
	}
	n := &Network{Nodes: b.nodes, Output: out, OutputGroups: groups, Pos: e.Pos}
	n.finish(b.sizes)
	return n, nil
}

func reversed(s []int) []int {
	r := make([]int, len(s))
	for i, v := range s {
		r[len(s)-1-i] = v
	}
	return r
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// legs makes the legs of operand k and merges the sizes of its plain labels.
func (b *einsumBuilder) legs(k int, t *notation.Term, shape []int, ell, maxEll int) error {
	node := b.nodes[k]
	own := map[string]int{} // the size of each label inside this operand
	axis := 0
	plain := func(label string, pos int) error {
		d := shape[axis]
		node.Legs = append(node.Legs, Leg{Labels: []string{label}, Dims: []int{d}, Pos: pos})
		axis++
		if s, ok := own[label]; ok && s != d {
			return &DimError{Tensor: node.Display(), Leg: label, Got: d, Want: s, From: "the same operand", Pos: pos}
		}
		own[label] = d
		s, ok := b.sizes[label]
		switch {
		case !ok || (s == 1 && d != 1):
			b.sizes[label] = d
			b.from[label] = "tensor " + node.Display()
		case d != s && d != 1:
			return &DimError{Tensor: node.Display(), Leg: label, Got: d, Want: s, From: b.from[label], Pos: pos}
		}
		return nil
	}
	for _, a := range t.Axes {
		switch a.Kind {
		case notation.AxisName:
			if err := plain(a.Name, a.Pos); err != nil {
				return err
			}
		case notation.AxisEllipsis:
			for j := 0; j < ell; j++ {
				if err := plain(ellipsisLabel(maxEll-ell+j), a.Pos); err != nil {
					return err
				}
			}
		case notation.AxisGroup:
			leg := Leg{Pos: a.Pos}
			for _, m := range a.Group {
				leg.Labels = append(leg.Labels, m.Name)
			}
			node.Legs = append(node.Legs, leg)
			b.groups = append(b.groups, groupAxis{Node: k, Leg: len(node.Legs) - 1, Dim: shape[axis]})
			axis++
		}
	}
	return nil
}

// groupSizes infers the sizes of labels in input groups from the operand
// axis sizes, one unknown label per group, and checks the rest.
func (b *einsumBuilder) groupSizes() error {
	pending := b.groups
	for len(pending) > 0 {
		var left []groupAxis
		for _, g := range pending {
			node := b.nodes[g.Node]
			done, err := inferGroup(node, &node.Legs[g.Leg], g.Dim, b.sizes, b.from, "tensor "+node.Name)
			if err != nil {
				return err
			}
			if !done {
				left = append(left, g)
			}
		}
		if len(left) == len(pending) {
			g := left[0]
			node := b.nodes[g.Node]
			leg := node.Legs[g.Leg]
			return errorf(leg.Pos, "cannot infer the sizes in group %s of tensor %s (size %d): give all but one of them a size elsewhere",
				leg, node.Name, g.Dim)
		}
		pending = left
	}
	for _, node := range b.nodes {
		for i := range node.Legs {
			leg := &node.Legs[i]
			if len(leg.Dims) == 0 {
				for _, l := range leg.Labels {
					leg.Dims = append(leg.Dims, b.sizes[l])
				}
			}
		}
	}
	return nil
}

// inferGroup checks leg, an axis of size dim made of several labels, against
// the known sizes, inferring the one unknown label if there is exactly one.
// It reports whether the leg is settled.
func inferGroup(node *Node, leg *Leg, dim int, sizes map[string]int, from map[string]string, source string) (bool, error) {
	known := 1
	var unknown []string
	for _, l := range leg.Labels {
		if s, ok := sizes[l]; ok {
			known *= s
		} else if !contains(unknown, l) {
			unknown = append(unknown, l)
		}
	}
	switch {
	case len(unknown) == 0:
		if known != dim {
			return false, &DimError{Tensor: node.Display(), Leg: leg.String(), Got: dim, Want: known,
				From: "the sizes of " + sizeList(leg.Labels, sizes), Pos: leg.Pos}
		}
		return true, nil
	case len(unknown) == 1 && countOf(leg.Labels, unknown[0]) == 1:
		if known == 0 || dim%known != 0 {
			return false, errorf(leg.Pos, "leg %s of tensor %s has size %d, which is not a multiple of %d (the product of the known sizes)",
				leg, node.Display(), dim, known)
		}
		sizes[unknown[0]] = dim / known
		from[unknown[0]] = source
		return true, nil
	}
	return false, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func countOf(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}

// sizeList writes "i=2 l=3".
func sizeList(labels []string, sizes map[string]int) string {
	s := ""
	for i, l := range labels {
		if i > 0 {
			s += " "
		}
		s += fmt.Sprintf("%s=%d", l, sizes[l])
	}
	return s
}

// einsumOutput returns the output labels and axes of an equation whose
// operands have maxEll broadcast axes.
func einsumOutput(e *notation.Einsum, terms []*notation.Term, maxEll int) ([]string, [][]string, error) {
	ell := make([]string, maxEll)
	for k := range ell {
		ell[k] = ellipsisLabel(k)
	}
	var out []string
	var groups [][]string
	if e.Output == nil {
		count := map[string]int{}
		for _, t := range terms {
			for _, a := range notation.Flatten(t.Axes) {
				if a.Kind == notation.AxisName {
					count[a.Name]++
				}
			}
		}
		var once []string
		for l, c := range count {
			if c == 1 {
				once = append(once, l)
			}
		}
		sort.Strings(once)
		for _, l := range append(ell, once...) {
			out = append(out, l)
			groups = append(groups, []string{l})
		}
		return out, groups, nil
	}
	hasEll := false
	for _, a := range e.Output.Axes {
		switch a.Kind {
		case notation.AxisName:
			out = append(out, a.Name)
			groups = append(groups, []string{a.Name})
		case notation.AxisEllipsis:
			hasEll = true
			for _, l := range ell {
				out = append(out, l)
				groups = append(groups, []string{l})
			}
		case notation.AxisGroup:
			g := []string{}
			for _, m := range a.Group {
				if m.Kind == notation.AxisEllipsis {
					hasEll = true
					g = append(g, ell...)
				} else {
					g = append(g, m.Name)
				}
			}
			out = append(out, g...)
			groups = append(groups, g)
		}
	}
	if maxEll > 0 && !hasEll {
		return nil, nil, errorf(e.Output.Pos, "the output has no '...' but the operands have %d broadcast %s: write '...' in the output",
			maxEll, plural(maxEll, "axis", "axes"))
	}
	return out, groups, nil
}
