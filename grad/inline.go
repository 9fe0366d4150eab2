package grad

import (
	"fmt"

	"github.com/strand-tn/strand/network"
)

// maxTerms bounds the terms that inlining may expand an expression into.
const maxTerms = 1 << 14

// Inline returns the value of statement i of a program (the right side of
// an assignment, an expression, or the right side of an equation) as one
// expression over the program's inputs: every tensor that an earlier
// assignment defines is replaced by its definition, recursively, except the
// tensors named in keep. A definition that is a sum multiplies out
// (M = A + B makes M C into A C + B C). The labels of each definition are
// renamed apart; those of statement i are kept where they can be.
func Inline(prog *network.Program, i int, keep ...string) (*network.Expr, error) {
	_, rhs, err := inlineStatement(prog, i, keep)
	return rhs, err
}

// inlineStatement inlines both sides of statement i (lhs is nil unless it is
// an equation).
func inlineStatement(prog *network.Program, i int, keep []string) (lhs, rhs *network.Expr, err error) {
	if i < 0 || i >= len(prog.Statements) {
		return nil, nil, fmt.Errorf("grad: the program has no statement %d", i+1)
	}
	c := newCtx()
	in := &inliner{c: c, defs: map[string]*network.Expr{}, keep: map[string]bool{}}
	for _, k := range keep {
		in.keep[k] = true
	}
	st := prog.Statements[i]
	sides := c.importExprs(st.LHS, st.RHS)
	for j := range i {
		sj := prog.Statements[j]
		if sj.Kind != network.Assign || in.keep[sj.Name] {
			continue
		}
		d, err := in.expr(c.importExprs(sj.RHS)[0])
		if err != nil {
			return nil, nil, err
		}
		in.defs[sj.Name] = d
	}
	if rhs, err = in.expr(sides[1]); err != nil {
		return nil, nil, err
	}
	if sides[0] != nil {
		if lhs, err = in.expr(sides[0]); err != nil {
			return nil, nil, err
		}
	}
	return lhs, rhs, nil
}

// importExprs renames the labels of expressions from one statement (which
// share sizes) so that they are distinct from every label c has seen: a
// label keeps its name when that name is new to c. Nil expressions stay nil.
func (c *ctx) importExprs(xs ...*network.Expr) []*network.Expr {
	m := map[string]string{}
	name := func(l string, size int) string {
		if r, ok := m[l]; ok {
			return r
		}
		r := l
		if c.used[l] {
			r = c.freshSized(l, size)
		}
		c.used[r], c.sizes[r] = true, size
		m[l] = r
		return r
	}
	var walk func(x *network.Expr) *network.Expr
	walk = func(x *network.Expr) *network.Expr {
		terms := make([]*network.Term, len(x.Terms))
		for i, t := range x.Terms {
			nodes := make([]*network.Node, len(t.Net.Nodes))
			for k, node := range t.Net.Nodes {
				nn := *node
				nn.Legs = make([]network.Leg, len(node.Legs))
				for li, leg := range node.Legs {
					nl := leg
					nl.Labels = make([]string, len(leg.Labels))
					for p, l := range leg.Labels {
						nl.Labels[p] = name(l, leg.Dims[p])
					}
					nn.Legs[li] = nl
				}
				if node.Bubble != nil {
					b := *node.Bubble
					b.Args = make([]*network.Expr, len(node.Bubble.Args))
					for a, arg := range node.Bubble.Args {
						b.Args[a] = walk(arg)
						if s, ok := arg.Sizes[b.Leg]; ok && b.Leg == node.Bubble.Leg {
							b.Leg = name(b.Leg, s)
						}
					}
					nn.Bubble = &b
				}
				nodes[k] = &nn
			}
			groups := renameGroups(t.Net.OutputGroups, func(l string) string { return name(l, t.Net.Sizes[l]) })
			terms[i] = &network.Term{Coef: t.Coef, Net: c.net(nodes, groups), Pos: t.Pos}
		}
		groups := renameGroups(x.OutputGroups, func(l string) string { return name(l, x.Sizes[l]) })
		return c.expr(groups, terms)
	}
	out := make([]*network.Expr, len(xs))
	for i, x := range xs {
		if x != nil {
			out[i] = walk(x)
		}
	}
	return out
}

func renameGroups(groups [][]string, f func(string) string) [][]string {
	out := make([][]string, len(groups))
	for i, g := range groups {
		out[i] = make([]string, len(g))
		for p, l := range g {
			out[i][p] = f(l)
		}
	}
	return out
}

// inliner replaces defined tensors by their definitions.
type inliner struct {
	c    *ctx
	defs map[string]*network.Expr
	keep map[string]bool
}

func (in *inliner) expr(x *network.Expr) (*network.Expr, error) {
	var terms []*network.Term
	for _, t := range x.Terms {
		parts := []partial{{t.Coef, nil}}
		for _, node := range t.Net.Nodes {
			options := []partial{{1, []*network.Node{node}}}
			var err error
			switch def := in.defs[node.Name]; {
			case node.Kind.HasData() && node.Input < 0 && def != nil:
				options, err = in.substitute(node, def)
			case node.Bubble != nil:
				options[0].nodes[0], err = in.bubble(node)
			}
			if err != nil {
				return nil, err
			}
			if len(parts)*len(options) > maxTerms {
				return nil, fmt.Errorf("grad: inlining expands the expression into more than %d terms", maxTerms)
			}
			next := make([]partial, 0, len(parts)*len(options))
			for _, p := range parts {
				for _, o := range options {
					next = append(next, partial{p.coef * o.coef, append(append([]*network.Node{}, p.nodes...), o.nodes...)})
				}
			}
			parts = next
		}
		for _, p := range parts {
			terms = append(terms, &network.Term{Coef: p.coef, Net: in.c.net(p.nodes, t.Net.OutputGroups), Pos: t.Pos})
		}
	}
	return in.c.expr(x.OutputGroups, terms), nil
}

// bubble inlines a bubble's arguments.
func (in *inliner) bubble(node *network.Node) (*network.Node, error) {
	b := *node.Bubble
	b.Args = make([]*network.Expr, len(node.Bubble.Args))
	for i, a := range node.Bubble.Args {
		x, err := in.expr(a)
		if err != nil {
			return nil, err
		}
		b.Args[i] = x
	}
	nn := *node
	nn.Bubble = &b
	return &nn, nil
}

// substitute returns the terms of a definition placed where node is: its
// free legs on the node's legs, its other labels fresh.
func (in *inliner) substitute(node *network.Node, def *network.Expr) ([]partial, error) {
	if node.Conj || node.Inverse || node.Kind == network.Diagonal {
		return nil, fmt.Errorf("grad: cannot inline %s, which an earlier statement defines: only plain or transposed uses can be", node.Display())
	}
	legs := dataLegs(node)
	if len(legs) != len(def.OutputGroups) {
		return nil, fmt.Errorf("grad: %s is defined with %d axes but used with %d", node.Name, len(def.OutputGroups), len(legs))
	}
	m := map[string]string{}
	for a, leg := range legs {
		g := def.OutputGroups[a]
		if len(g) != len(leg.Labels) {
			return nil, fmt.Errorf("grad: cannot inline %s: its axis %d is defined as %s but used as %s", node.Name, a+1, network.Leg{Labels: g}, leg)
		}
		for p, l := range g {
			m[l] = leg.Labels[p]
		}
	}
	out := make([]partial, len(def.Terms))
	for i, t := range def.Terms {
		out[i] = partial{t.Coef, in.c.instantiate(t.Net, m)}
	}
	return out, nil
}
