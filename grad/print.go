package grad

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/strand-tn/strand/network"
	"github.com/strand-tn/strand/notation"
)

// ToNotation returns x as a complete index-notation program: a dim line with
// the size of every label, kind declarations for the tensors that have a
// kind other than general, and the assignment name[free legs] = x. Parsed and
// resolved (network.FromProgram), the assignment's right side has the value
// of x. Copy tensors print as δ and identities as I; a label summed on one
// leg only is written with Σ; a term that is only a number carries its free
// legs on one-leg copy tensors (vectors of ones).
func ToNotation(x *network.Expr, name string) *notation.Program {
	p := &printer{sizes: map[string]int{}, kinds: map[string]*network.Node{}}
	c := newCtx()
	if err := c.addExpr(x); err == nil {
		x = c.unshadow(x, nil)
	}
	rhs := p.expr(x)
	prog := &notation.Program{}
	if len(p.labels) > 0 {
		d := &notation.DimStmt{}
		for _, l := range p.labels {
			d.Dims = append(d.Dims, &notation.DimDecl{Name: l, Size: p.sizes[l]})
		}
		prog.Stmts = append(prog.Stmts, d)
	}
	for _, n := range p.kindOrder {
		prog.Stmts = append(prog.Stmts, kindStmt(p.kinds[n]))
	}
	lhs := &notation.Tensor{Name: name, Legs: axes(x.OutputGroups)}
	prog.Stmts = append(prog.Stmts, &notation.AssignStmt{LHS: lhs, RHS: rhs})
	return prog
}

// Format returns [ToNotation] as text.
func Format(x *network.Expr, name string) string {
	return notation.Format(ToNotation(x, name))
}

// printer collects the labels and kinds of what it prints.
type printer struct {
	labels    []string
	sizes     map[string]int
	kinds     map[string]*network.Node
	kindOrder []string
}

func (p *printer) label(l string, size int) {
	if _, ok := p.sizes[l]; !ok {
		p.labels = append(p.labels, l)
		p.sizes[l] = size
	}
}

func (p *printer) expr(x *network.Expr) notation.Expr {
	for _, l := range x.Output {
		p.label(l, x.Sizes[l])
	}
	if len(x.Terms) == 0 {
		c := newCtx()
		c.sizes = x.Sizes
		return p.term(0, c.net(nil, x.OutputGroups), x.Output)
	}
	sum := &notation.Sum{}
	for _, t := range x.Terms {
		sum.Terms = append(sum.Terms, notation.SumTerm{Neg: t.Coef < 0, OpPos: -1, X: p.term(math.Abs(t.Coef), t.Net, x.Output)})
	}
	if len(sum.Terms) == 1 && !sum.Terms[0].Neg {
		return sum.Terms[0].X
	}
	return sum
}

// term writes coef · n, with Σ over the labels that one leg alone carries.
func (p *printer) term(coef float64, n *network.Network, output []string) notation.Expr {
	var factors []notation.Expr
	if coef != 1 || len(n.Nodes) == 0 {
		factors = append(factors, &notation.Number{Value: coef})
	}
	for _, node := range n.Nodes {
		factors = append(factors, p.node(node))
	}
	var x notation.Expr = &notation.Product{Factors: factors}
	if len(factors) == 1 {
		x = factors[0]
	}
	for _, e := range n.Edges {
		if len(e.Ends) == 1 && !slices.Contains(output, e.Label) {
			x = &notation.SumOver{Leg: notation.Ident{Name: e.Label}, X: x}
		}
	}
	return x
}

func (p *printer) node(node *network.Node) notation.Expr {
	for _, leg := range node.Legs {
		for i, l := range leg.Labels {
			if i < len(leg.Dims) {
				p.label(l, leg.Dims[i])
			}
		}
	}
	switch node.Kind {
	case network.Delta:
		return &notation.Tensor{Name: "δ", Legs: legAxes(node.Legs)}
	case network.Identity:
		return &notation.Tensor{Name: "I", Legs: legAxes(node.Legs)}
	case network.Function:
		return p.bubble(node)
	case network.Isometry, network.Unitary, network.Symmetric, network.Diagonal:
		if p.kinds[node.Name] == nil {
			p.kinds[node.Name] = node
			p.kindOrder = append(p.kindOrder, node.Name)
		}
	}
	return &notation.Tensor{Name: node.Name, Conj: node.Conj, Transpose: node.Transpose, Inverse: node.Inverse, Legs: legAxes(node.Legs)}
}

// bubble writes f(args)[legs]. A bubble without legs cannot list them, so
// the parser finds its consumed leg as the one that appears once in each
// term of its argument: where it appears more often, a copy tensor joins
// its occurrences.
func (p *printer) bubble(node *network.Node) notation.Expr {
	b := node.Bubble
	f := &notation.FuncCall{Func: b.Func, Leg: b.Leg, Legs: legAxes(node.Legs)}
	for _, a := range b.Args {
		if len(node.Legs) == 0 && b.Leg != "" {
			a = splitPort(a, b.Leg)
		}
		f.Args = append(f.Args, p.expr(a))
	}
	for _, v := range b.Params {
		f.Args = append(f.Args, &notation.Number{Value: v})
	}
	return f
}

// splitPort rewrites the terms of x in which free leg k is on several legs
// (or none) so that it is on exactly one: a copy tensor δ[k k1 k2 …] with
// its old places renamed k1, k2, ….
func splitPort(x *network.Expr, k string) *network.Expr {
	c := newCtx()
	if err := c.addExpr(x); err != nil {
		return x
	}
	terms := make([]*network.Term, len(x.Terms))
	for i, t := range x.Terms {
		e := t.Net.Edge(k)
		if e != nil && len(e.Ends) == 1 {
			terms[i] = t
			continue
		}
		nodes := make([]*network.Node, len(t.Net.Nodes))
		copy(nodes, t.Net.Nodes)
		joined := []string{k}
		if e != nil {
			for _, end := range e.Ends {
				l := c.fresh(k)
				joined = append(joined, l)
				nn := *nodes[end.Node]
				nn.Legs = slices.Clone(nn.Legs)
				leg := nn.Legs[end.Leg]
				leg.Labels = slices.Clone(leg.Labels)
				leg.Labels[end.Part] = l
				nn.Legs[end.Leg] = leg
				nodes[end.Node] = &nn
			}
		}
		nodes = append(nodes, c.delta(joined...))
		terms[i] = &network.Term{Coef: t.Coef, Net: c.net(nodes, t.Net.OutputGroups), Pos: t.Pos}
	}
	return c.expr(x.OutputGroups, terms)
}

// unshadow renames the local labels of bubble arguments that repeat a label
// of an enclosing network, so that a reader never sees one name for two
// indices. outer holds the labels of the enclosing scopes.
func (c *ctx) unshadow(x *network.Expr, outer map[string]bool) *network.Expr {
	terms := make([]*network.Term, len(x.Terms))
	for i, t := range x.Terms {
		n := c.rescope(t.Net, outer)
		scope := map[string]bool{}
		for l := range outer {
			scope[l] = true
		}
		for _, l := range labelsOf(n) {
			scope[l] = true
		}
		nodes := make([]*network.Node, len(n.Nodes))
		for k, node := range n.Nodes {
			nodes[k] = node
			if node.Bubble == nil {
				continue
			}
			b := *node.Bubble
			b.Args = make([]*network.Expr, len(node.Bubble.Args))
			for a, arg := range node.Bubble.Args {
				inner := map[string]bool{}
				for l := range scope {
					if !slices.Contains(arg.Output, l) {
						inner[l] = true
					}
				}
				b.Args[a] = c.unshadow(arg, inner)
			}
			nn := *node
			nn.Bubble = &b
			nodes[k] = &nn
		}
		terms[i] = &network.Term{Coef: t.Coef, Net: c.net(nodes, n.OutputGroups), Pos: t.Pos}
	}
	return c.expr(x.OutputGroups, terms)
}

// rescope renames the labels of n that are in outer, and are not its free
// legs, to the first names like them (i1, i2, …) that neither outer nor n
// uses and that have their size wherever else they occur: sibling scopes
// reuse names, so printed derivatives need few.
func (c *ctx) rescope(n *network.Network, outer map[string]bool) *network.Network {
	own := labelsOf(n)
	m := map[string]string{}
	taken := map[string]bool{}
	for _, l := range own {
		if !outer[l] || slices.Contains(n.Output, l) {
			continue
		}
		base := strings.TrimRightFunc(l, unicode.IsDigit)
		for k := 1; ; k++ {
			name := base + strconv.Itoa(k)
			if size, ok := c.sizes[name]; outer[name] || taken[name] || slices.Contains(own, name) || ok && size != c.sizes[l] {
				continue
			}
			m[l], taken[name] = name, true
			c.used[name], c.sizes[name] = true, c.sizes[l]
			break
		}
	}
	if len(m) == 0 {
		return n
	}
	return c.renameNet(n, m)
}

func legAxes(legs []network.Leg) []notation.Axis {
	out := make([]notation.Axis, len(legs))
	for i, leg := range legs {
		if len(leg.Labels) == 1 {
			out[i] = notation.Axis{Kind: notation.AxisName, Name: leg.Labels[0], Offset: leg.Offset}
			continue
		}
		g := notation.Axis{Kind: notation.AxisGroup}
		for _, l := range leg.Labels {
			g.Group = append(g.Group, notation.Axis{Kind: notation.AxisName, Name: l})
		}
		out[i] = g
	}
	return out
}

func axes(groups [][]string) []notation.Axis {
	legs := make([]network.Leg, len(groups))
	for i, g := range groups {
		legs[i] = network.Leg{Labels: g}
	}
	return legAxes(legs)
}

// kindStmt declares a node's kind: "S: symmetric", and for an isometry or
// unitary with a tip "V[a1 a2]: isometry(a1 -> a2)", axes in data order.
func kindStmt(node *network.Node) *notation.KindStmt {
	s := &notation.KindStmt{Tensor: &notation.Tensor{Name: node.Name}, Kind: notation.Ident{Name: node.Kind.String()}}
	if (node.Kind != network.Isometry && node.Kind != network.Unitary) || len(node.Tip) == 0 {
		return s
	}
	tip := tipAxes(node)
	s.HasArgs = true
	for a := range node.Legs {
		id := notation.Ident{Name: "a" + strconv.Itoa(a+1)}
		s.Tensor.Legs = append(s.Tensor.Legs, notation.Axis{Kind: notation.AxisName, Name: id.Name})
		if slices.Contains(tip, a) {
			s.Out = append(s.Out, id)
		} else {
			s.In = append(s.In, id)
		}
	}
	return s
}
