package network

import (
	"fmt"
	"strings"

	"github.com/strand-tn/strand/notation"
)

// IsReduction reports whether name is a reduction that reduce accepts:
// sum, mean, min, max, prod, any or all.
func IsReduction(name string) bool {
	switch name {
	case "sum", "mean", "min", "max", "prod", "any", "all":
		return true
	}
	return false
}

// Plan is a resolved einops rearrange, reduce or repeat. An evaluator runs it
// on an input x of shape InShape as
//
//	y = reshape(x, AxisSizes)          // split the input into elementary axes
//	y = reduce(y, Reduced, Reduction)  // reduce only
//	y = permute(y, Perm)               // kept axes into output order
//	y = reshape(y, Expand)             // size-1 axes where new axes go
//	y = broadcast(y, Repeat)           // repeat only: the new axes at full size
//	y = reshape(y, OutShape)           // group into the output axes
//
// Axes names the elementary input axes: pattern names, "…0", "…1", … for the
// axes of "...", and "N@P" for an anonymous axis of size N at offset P of the
// source. OutAxes names the elementary output axes (the same way) and
// OutGroups groups them into the output axes, as the pattern's right side
// does ("()" is an empty group, of size 1).
type Plan struct {
	Op        notation.Op
	Reduction string
	InShape   []int
	Axes      []string
	AxisSizes []int
	Reduced   []int // indices into Axes, ascending
	Perm      []int // a permutation of the kept axes (Axes less Reduced, in order)
	Expand    []int
	Repeat    []int
	OutAxes   []string
	OutGroups [][]string
	OutShape  []int
	Sizes     map[string]int // every named and anonymous axis
}

// patAxis is an elementary axis of a pattern side.
type patAxis struct {
	name string
	pos  int
}

// patSide is one side of a pattern with its groups of elementary axes, one
// group per axis of the side; the ellipsis is expanded once the input rank
// is known.
type patSide struct {
	groups   [][]patAxis
	parens   []bool // the group was written in parentheses
	ellipsis []bool // the group is or holds the ellipsis
	names    map[string]int
	order    []string
	anon     map[string]int // anonymous axis → size
}

const ellipsisName = "..."

func readSide(t *notation.Term) *patSide {
	s := &patSide{names: map[string]int{}, anon: map[string]int{}}
	add := func(g *[]patAxis, a notation.Axis) {
		name := a.Name
		switch a.Kind {
		case notation.AxisNumber:
			if a.Size == 1 {
				return
			}
			name = fmt.Sprintf("%d@%d", a.Size, a.Pos)
			s.anon[name] = a.Size
		case notation.AxisEllipsis:
			name = ellipsisName
		}
		if _, ok := s.names[name]; !ok {
			s.order = append(s.order, name)
		}
		s.names[name] = a.Pos
		*g = append(*g, patAxis{name: name, pos: a.Pos})
	}
	for _, a := range t.Axes {
		g := []patAxis{}
		switch a.Kind {
		case notation.AxisGroup:
			for _, m := range a.Group {
				add(&g, m)
			}
		default:
			add(&g, a)
		}
		s.groups = append(s.groups, g)
		s.parens = append(s.parens, a.Kind == notation.AxisGroup)
		hasEll := false
		for _, m := range g {
			hasEll = hasEll || m.name == ellipsisName
		}
		s.ellipsis = append(s.ellipsis, hasEll)
	}
	return s
}

// onlyIn returns the names of a that are not in b, in a's order.
func onlyIn(a, b *patSide) []string {
	var out []string
	for _, n := range a.order {
		if _, ok := b.names[n]; !ok {
			out = append(out, n)
		}
	}
	return out
}

// PlanPattern resolves an einops pattern for operation op on an input of
// the given shape, with sizes for some axes (einops' axes_lengths) and, for
// reduce, a reduction. It checks the rules of each operation: rearrange keeps
// the same names on both sides and allows no anonymous axis but 1; reduce may
// only drop names, repeat only add them (with sizes); each input group may
// have one axis of unknown size, inferred by division.
func PlanPattern(op notation.Op, p *notation.Pattern, shape []int, sizes map[string]int, reduction string) (*Plan, error) {
	left, right := readSide(p.Left), readSide(p.Right)
	if err := checkOp(op, p, left, right, sizes, reduction); err != nil {
		return nil, err
	}
	for _, d := range shape {
		if d < 0 {
			return nil, errorf(p.Pos, "the input shape %v has a negative size", shape)
		}
	}
	// Expand the ellipsis.
	nOther := len(left.groups)
	hasEll := false
	if _, ok := left.names[ellipsisName]; ok {
		hasEll = true
		nOther--
	}
	switch {
	case hasEll && len(shape) < nOther:
		return nil, errorf(p.Left.Pos, "the left side has %d axes besides '...' but the input has only %d (shape %v)", nOther, len(shape), shape)
	case !hasEll && len(shape) != nOther:
		return nil, errorf(p.Left.Pos, "the left side has %d axes but the input has %d (shape %v)", nOther, len(shape), shape)
	}
	var ell []patAxis
	if hasEll {
		for k := 0; k < len(shape)-nOther; k++ {
			ell = append(ell, patAxis{name: ellipsisLabel(k), pos: left.names[ellipsisName]})
		}
	}
	leftGroups := expandEllipsis(left, ell)
	rightGroups := expandEllipsis(right, ell)

	lengths := map[string]int{}
	for _, s := range []*patSide{left, right} {
		for n, v := range s.anon {
			lengths[n] = v
		}
	}
	for _, name := range sortedKeys(sizes) {
		_, inLeft := left.names[name]
		_, inRight := right.names[name]
		switch {
		case !inLeft && !inRight:
			return nil, errorf(p.Pos, "axis %s is not in the pattern", name)
		case sizes[name] < 1:
			return nil, errorf(p.Pos, "axis %s must have a positive size, not %d", name, sizes[name])
		}
		lengths[name] = sizes[name]
	}
	for i, g := range leftGroups {
		if err := inferAxis(g, shape[i], lengths, p.Left.Pos); err != nil {
			return nil, err
		}
	}

	plan := &Plan{Op: op, Reduction: reduction, InShape: append([]int{}, shape...), Sizes: lengths}
	inRight := map[string]bool{}
	for _, g := range rightGroups {
		for _, a := range g {
			inRight[a.name] = true
		}
	}
	var kept []string
	for _, g := range leftGroups {
		for _, a := range g {
			plan.Axes = append(plan.Axes, a.name)
			plan.AxisSizes = append(plan.AxisSizes, lengths[a.name])
			if inRight[a.name] {
				kept = append(kept, a.name)
			} else {
				plan.Reduced = append(plan.Reduced, len(plan.Axes)-1)
			}
		}
	}
	for _, g := range rightGroups {
		names := []string{}
		size := 1
		for _, a := range g {
			names = append(names, a.name)
			plan.OutAxes = append(plan.OutAxes, a.name)
			plan.Repeat = append(plan.Repeat, lengths[a.name])
			size *= lengths[a.name]
			if k := indexOf(kept, a.name); k >= 0 {
				plan.Perm = append(plan.Perm, k)
				plan.Expand = append(plan.Expand, lengths[a.name])
			} else {
				plan.Expand = append(plan.Expand, 1)
			}
		}
		plan.OutGroups = append(plan.OutGroups, names)
		plan.OutShape = append(plan.OutShape, size)
	}
	return plan, nil
}

// checkOp checks the names of both sides against the rules of op.
func checkOp(op notation.Op, p *notation.Pattern, left, right *patSide, sizes map[string]int, reduction string) error {
	at := func(s *patSide, names []string) int { return s.names[names[0]] }
	switch op {
	case notation.OpRearrange:
		for _, s := range []*patSide{left, right} {
			for _, n := range s.order {
				if v, ok := s.anon[n]; ok {
					return errorf(s.names[n], "rearrange allows no anonymous axis but 1, not %d (use repeat to add axes)", v)
				}
			}
		}
		if only := onlyIn(left, right); len(only) > 0 {
			return errorf(at(left, only), "rearrange must keep every axis: %s only on the left (reduce drops axes)", nameList(only))
		}
		if only := onlyIn(right, left); len(only) > 0 {
			return errorf(at(right, only), "rearrange must keep every axis: %s only on the right (repeat adds axes)", nameList(only))
		}
	case notation.OpReduce:
		if !IsReduction(reduction) {
			return errorf(p.Pos, "unknown reduction %q: expected sum, mean, min, max, prod, any or all", reduction)
		}
		if only := onlyIn(right, left); len(only) > 0 {
			return errorf(at(right, only), "reduce cannot add axes: %s only on the right (repeat adds axes)", nameList(only))
		}
	case notation.OpRepeat:
		if only := onlyIn(left, right); len(only) > 0 {
			return errorf(at(left, only), "repeat cannot drop axes: %s only on the left (reduce drops axes)", nameList(only))
		}
		for _, n := range onlyIn(right, left) {
			if _, ok := sizes[n]; !ok && right.anon[n] == 0 {
				return errorf(right.names[n], "repeat needs the size of new axis %s (give %s=…)", n, n)
			}
		}
	default:
		return errorf(p.Pos, "%s is not a rearrange, reduce or repeat", op)
	}
	return nil
}

func nameList(names []string) string {
	return strings.Join(names, ", ")
}

// expandEllipsis returns the groups of a side with the ellipsis replaced by
// the axes ell: one group per axis for a bare "...", all of them in place
// inside parentheses.
func expandEllipsis(s *patSide, ell []patAxis) [][]patAxis {
	var out [][]patAxis
	for i, g := range s.groups {
		switch {
		case !s.ellipsis[i]:
			out = append(out, g)
		case !s.parens[i]:
			for _, a := range ell {
				out = append(out, []patAxis{a})
			}
		default:
			var ng []patAxis
			for _, a := range g {
				if a.name == ellipsisName {
					ng = append(ng, ell...)
				} else {
					ng = append(ng, a)
				}
			}
			out = append(out, ng)
		}
	}
	return out
}

// inferAxis checks the group g of elementary axes against the input axis
// size dim, inferring the one axis of unknown size if there is one.
func inferAxis(g []patAxis, dim int, lengths map[string]int, pos int) error {
	known := 1
	var unknown []patAxis
	for _, a := range g {
		if s, ok := lengths[a.name]; ok {
			known *= s
		} else {
			unknown = append(unknown, a)
		}
	}
	if len(g) > 0 {
		pos = g[0].pos
	}
	switch len(unknown) {
	case 0:
		if known != dim {
			return errorf(pos, "input axis of size %d does not match %s (%d)", dim, groupText(g, lengths), known)
		}
	case 1:
		if known == 0 || dim%known != 0 {
			return errorf(pos, "cannot split an input axis of size %d into %s: %d is not a multiple of %d", dim, groupText(g, lengths), dim, known)
		}
		lengths[unknown[0].name] = dim / known
	default:
		names := make([]string, len(unknown))
		for i, a := range unknown {
			names[i] = a.name
		}
		return errorf(unknown[0].pos, "cannot infer the sizes of %s from one input axis of size %d: give all but one", nameList(names), dim)
	}
	return nil
}

// groupText writes a group with the sizes known so far: "(a=2 b)".
func groupText(g []patAxis, lengths map[string]int) string {
	parts := make([]string, len(g))
	for i, a := range g {
		parts[i] = a.name
		if s, ok := lengths[a.name]; ok {
			parts[i] = fmt.Sprintf("%s=%d", a.name, s)
		}
	}
	return "(" + strings.Join(parts, " ") + ")"
}

// PlanCall resolves a pasted rearrange, reduce or repeat call on an input of
// the given shape. Integer keyword arguments give axis sizes; sizes adds to
// them (and must agree), and gives the sizes that the call writes as Python
// expressions, such as j=int(np.sqrt(M.shape[-1])).
func PlanCall(c *notation.Call, shape []int, sizes map[string]int) (*Plan, error) {
	if c.Pattern == nil {
		return nil, errorf(c.FuncPos, "%s is an einsum call: build it with FromCall", c.Func)
	}
	all := map[string]int{}
	for _, k := range c.Keywords {
		v, given := sizes[k.Name]
		switch {
		case k.IsInt && given && v != k.Int:
			return nil, errorf(k.Pos, "axis %s is %d in the call but %d in the given sizes", k.Name, k.Int, v)
		case k.IsInt:
			all[k.Name] = k.Int
		case !given:
			return nil, errorf(k.Pos, "the size of axis %s is the Python expression %s: give it as a number", k.Name, k.Value)
		}
	}
	for n, v := range sizes {
		all[n] = v
	}
	return PlanPattern(c.Op, c.Pattern, shape, all, c.Reduction)
}
