package layout

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/strand-tn/strand/diagram"
	"github.com/strand-tn/strand/network"
	"github.com/strand-tn/strand/notation"
)

// FromOptions tune how networks become graphs. The zero value is a good
// default.
type FromOptions struct {
	// NoLHS draws an assignment's value alone; by default the assigned
	// tensor stands on the left of "=", as the seed draws M_ij = ….
	NoLHS bool
	// Hole lists free legs of the drawn networks that meet at a hole: the
	// derivative ∂x/∂T of a multilinear network x is x with T taken out, its
	// legs left open (grad.Derive names them after T's legs). The legs end
	// at one dashed empty circle, where T was, instead of as free legs.
	Hole []string
	// Unsized lists labels whose sizes were made up to resolve the network
	// (strand draw gives unknown sizes 2): they are drawn as unknown, at
	// the default thickness and without a size.
	Unsized map[string]bool
	// Flat draws a sum whose first term is the residual stream as a row of
	// terms, like any other sum, instead of on a vertical backbone.
	Flat bool
}

// FromNetwork converts a network to the graph it is drawn from:
//
//   - each node keeps its name as label markup (W_O → W with subscript O) and
//     its kind: isometries with their tip legs (Node.Tip), unitaries,
//     identities (bare lines), copy tensors (dots); a symmetric tensor is
//     drawn as a general one;
//   - a diagonal tensor D_ij = λ_k δ_kij becomes its vector, in grey, on a
//     copy dot with D's legs;
//   - a transposed general tensor (Bᵀ) is drawn upside down with its plain
//     name; conjugates are marked with * (V* = conj(V)), inverses with ⁻¹; an
//     isometry or unitary keeps its decorated name (V†), its triangle
//     pointing the way its tip legs go;
//   - a copy tensor or identity with a shifted leg (δ[k q+1]) is a dot with
//     the offset written where that leg leaves it;
//   - a function node is a bubble around the networks of its arguments,
//     named by the function and its leg (softmax_k); a leg it consumes
//     (sum_k) ends at the contour;
//   - a grouped leg (i l), one axis that flattens several labels, is one
//     thick leg of the product size; where its labels are legs of their own
//     it splits at a join point, and an output group (i l) is the thick
//     free leg leaving the point where its labels' legs meet;
//   - legs have their sizes (Network.Sizes), pins (@A(x, y), in grid cells)
//     and side hints (@left(i)) are kept.
func FromNetwork(n *network.Network, opt FromOptions) (Graph, error) {
	c := newConv(opt)
	g, err := c.network(n)
	if err == nil {
		err = c.hole(&g)
	}
	return g, err
}

// FromExpr converts a sum of networks: one term per network, its
// coefficient written before it (1 and −1 as a sign only).
func FromExpr(x *network.Expr, opt FromOptions) (Sum, error) {
	var s Sum
	for k, t := range x.Terms {
		term, err := newConv(opt).term(t)
		if err != nil {
			return Sum{}, fmt.Errorf("term %d: %w", k+1, err)
		}
		s.Terms = append(s.Terms, term)
	}
	if len(s.Terms) == 0 {
		return Sum{}, errorf("", "the expression has no terms")
	}
	return s, nil
}

// FromStatement converts a statement: an equation's two sides with "=" or
// "≠" between them; an assignment's value, after the assigned tensor and
// "=" unless opt.NoLHS; an expression's value. An assignment whose value is
// a sum with the residual stream as its first term (y = x + f(x), x a
// tensor with y's legs that the other terms read) is drawn on a vertical
// backbone unless opt.Flat.
func FromStatement(st *network.Statement, opt FromOptions) (Figure, error) {
	if !opt.Flat && streamOf(st) != "" {
		g, err := newConv(opt).residual(stream{body: []*network.Statement{st}})
		if err != nil {
			return Figure{}, err
		}
		return Figure{Sides: []Sum{{Terms: []Term{{Graph: g}}}}}, nil
	}
	var f Figure
	switch st.Kind {
	case network.Equation:
		l, err := FromExpr(st.LHS, opt)
		if err != nil {
			return Figure{}, fmt.Errorf("left side: %w", err)
		}
		r, err := FromExpr(st.RHS, opt)
		if err != nil {
			return Figure{}, fmt.Errorf("right side: %w", err)
		}
		rel := "="
		if st.Rel != notation.RelEqual {
			rel = "≠"
		}
		return Figure{Sides: []Sum{l, r}, Rels: []string{rel}}, nil
	case network.Decompose:
		// M = U λ V†: the argument, then the factors the decomposition makes.
		arg, err := FromExpr(st.RHS, opt)
		if err != nil {
			return Figure{}, fmt.Errorf("argument: %w", err)
		}
		factors, err := FromExpr(st.LHS, opt)
		if err != nil {
			return Figure{}, fmt.Errorf("factors: %w", err)
		}
		return Figure{Sides: []Sum{arg, factors}, Rels: []string{"="}}, nil
	case network.Assign:
		if !opt.NoLHS {
			f.Sides = append(f.Sides, Sum{Terms: []Term{{Graph: newConv(opt).assigned(st)}}})
		}
	}
	v, err := FromExpr(st.RHS, opt)
	if err != nil {
		return Figure{}, err
	}
	f.Sides = append(f.Sides, v)
	return f, nil
}

// FromProgram converts every statement of a program, in order, to a figure,
// except that consecutive assignments x₁ = x₀ + f(x₀), x₂ = x₁ + g(x₁), …
// make one figure of the residual stream x₀ → x₁ → x₂ with the blocks f, g
// branching off it (a transformer), ending in the statement after them when
// that reads the last stream value once (the unembedding).
//
// src, when not nil, is the parsed program: a statement's trailing comment
// "# draw: …" then tunes its figure with directives separated by spaces:
// "value" (opt.NoLHS), "flat" (opt.Flat), "hole(r k s)" (opt.Hole).
func FromProgram(p *network.Program, src *notation.Program, opt FromOptions) ([]Figure, error) {
	directives := map[int]string{}
	if src != nil {
		for _, s := range src.Stmts {
			if d, ok := strings.CutPrefix(strings.TrimSpace(s.Info().Comment), "draw:"); ok {
				directives[s.Info().Pos] = d
			}
		}
	}
	var figs []Figure
	for i := 0; i < len(p.Statements); i++ {
		st := p.Statements[i]
		o, err := withDirectives(opt, directives[st.Pos])
		if err != nil {
			return nil, err
		}
		if !o.Flat {
			if r := residualAt(p.Statements[i:]); r.len() > 1 {
				g, err := newConv(o).residual(r)
				if err != nil {
					return nil, fmt.Errorf("statements %d to %d: %w", i+1, i+r.len(), err)
				}
				figs = append(figs, Figure{Sides: []Sum{{Terms: []Term{{Graph: g}}}}})
				i += r.len() - 1
				continue
			}
		}
		f, err := FromStatement(st, o)
		if err != nil {
			return nil, fmt.Errorf("statement %d: %w", i+1, err)
		}
		figs = append(figs, f)
	}
	return figs, nil
}

// withDirectives applies a statement's "draw:" directives to opt.
func withDirectives(opt FromOptions, d string) (FromOptions, error) {
	fields := strings.Fields(strings.NewReplacer("(", " ( ", ")", " ) ").Replace(d))
	for i := 0; i < len(fields); i++ {
		switch f := fields[i]; f {
		case "value":
			opt.NoLHS = true
		case "flat":
			opt.Flat = true
		case "hole":
			if i+1 >= len(fields) || fields[i+1] != "(" {
				return opt, errorf("", "directive hole needs its legs: hole(r k s)")
			}
			opt.Hole = nil
			for i += 2; i < len(fields) && fields[i] != ")"; i++ {
				opt.Hole = append(opt.Hole, fields[i])
			}
			if i == len(fields) || len(opt.Hole) == 0 {
				return opt, errorf("", "directive hole(…) needs legs and a closing parenthesis")
			}
		default:
			return opt, errorf("", "unknown draw directive %q (want value, flat or hole(legs))", f)
		}
	}
	return opt, nil
}

// conv converts the networks of one figure term; node IDs are unique
// across it, bubbles' insides included.
type conv struct {
	opt FromOptions
	ids map[string]bool
	// scope, when set, is appended to every leg name, so that networks of
	// several statements drawn as one graph keep their labels apart.
	scope string
	// tap names the residual stream's tensor: in a block its occurrences
	// are drawn as pasted copies (pink, as the seed draws them); with feed
	// set (the tail, which reads the stream's end) the one occurrence is a
	// join fed by the stream. taps collects the pasted nodes' IDs, or the
	// feeding leg's name.
	tap  string
	feed bool
	taps []string
}

func newConv(opt FromOptions) *conv { return &conv{opt: opt, ids: map[string]bool{}} }

// id returns base, or base#2, base#3, … when taken.
func (c *conv) id(base string) string {
	id := base
	for k := 2; c.ids[id]; k++ {
		id = base + "#" + strconv.Itoa(k)
	}
	c.ids[id] = true
	return id
}

// term converts one term of a sum.
func (c *conv) term(t *network.Term) (Term, error) {
	g, err := c.network(t.Net)
	if err == nil {
		err = c.hole(&g)
	}
	if err != nil {
		return Term{}, err
	}
	out := Term{Neg: t.Coef < 0, Graph: g}
	if a := math.Abs(t.Coef); a != 1 || len(g.Nodes) == 0 {
		out.Coef = strconv.FormatFloat(a, 'g', 6, 64)
	}
	return out, nil
}

// assigned is the tensor an assignment defines, with its legs free.
func (c *conv) assigned(st *network.Statement) Graph {
	node := Node{ID: c.id(st.Name), Label: tensorMarkup(st.Name)}
	var g Graph
	for _, grp := range st.RHS.OutputGroups {
		name, label, dim := c.group(grp, st.RHS.Sizes)
		node.Legs = append(node.Legs, Leg{Name: name, Label: label, Dim: dim})
		g.Free = append(g.Free, FreeLeg{Name: name})
	}
	g.Nodes = []Node{node}
	return g
}

// group names a group of labels as one leg: "i" for one label, "(i l)"
// for several, with the product of their sizes. In a scope, names carry
// it ("i@t2") and labels show the plain names.
func (c *conv) group(labels []string, sizes map[string]int) (name, label string, dim int) {
	dim = 1
	marks := make([]string, len(labels))
	for k, l := range labels {
		marks[k] = legMarkup(l)
		if c.opt.Unsized[l] || sizes[l] <= 0 {
			dim = 0
		} else if dim > 0 {
			dim *= sizes[l]
		}
	}
	if len(labels) == 1 {
		name = c.scoped(labels[0])
		if c.scope != "" {
			label = marks[0]
		}
		return name, label, dim
	}
	return c.scoped("(" + strings.Join(labels, " ") + ")"), "(" + strings.Join(marks, " ") + ")", dim
}

// scoped returns a leg name made distinct from those of other scopes.
func (c *conv) scoped(name string) string {
	if c.scope == "" {
		return name
	}
	return name + "@" + c.scope
}

// joinRec remembers a join node while a network is converted.
type joinRec struct {
	id     string   // the join's node ID
	labels []string // the labels it groups, in order
	owner  string   // ID of the node whose grouped leg it splits; "" for an output group
	leg    int      // that leg's index on owner
	name   string   // the grouped leg's name
}

// network converts one network (see FromNetwork).
func (c *conv) network(n *network.Network) (Graph, error) {
	var g Graph
	var joins []*joinRec
	pins := map[int]*Pin{}
	for _, p := range n.Pins {
		pins[p.Node] = &Pin{X: p.X, Y: p.Y}
	}
	for i, node := range n.Nodes {
		first := len(g.Nodes)
		if err := c.node(&g, n, node, &joins); err != nil {
			return Graph{}, fmt.Errorf("node %d %s: %w", i, node.Display(), err)
		}
		if p := pins[i]; p != nil {
			g.Nodes[first].Pin = p
		}
	}
	// Output groups: one free leg each, through a join when grouped.
	for _, grp := range n.OutputGroups {
		name, label, dim := c.group(grp, n.Sizes)
		if len(grp) > 1 {
			joins = append(joins, c.join(&g, n, c.scopedAll(grp), name, label, dim, "", 0))
		}
		g.Free = append(g.Free, FreeLeg{Name: name})
	}
	collapseJoins(&g, joins)
	for _, h := range n.Sides {
		side := map[string]Side{"left": Left, "right": Right, "top": Up, "bottom": Down}[h.Side]
		for k := range g.Free {
			if g.Free[k].Name == h.Leg || slices.Contains(strings.Fields(strings.Trim(g.Free[k].Name, "()")), h.Leg) {
				g.Free[k].Side = side
			}
		}
	}
	return g, nil
}

// scopedAll scopes every label of a list.
func (c *conv) scopedAll(labels []string) []string {
	out := make([]string, len(labels))
	for k, l := range labels {
		out[k] = c.scoped(l)
	}
	return out
}

// join appends a join node between the (scoped) labels of a group and one
// grouped leg named name.
func (c *conv) join(g *Graph, n *network.Network, labels []string, name, label string, dim int, owner string, leg int) *joinRec {
	j := Node{ID: c.id("join"), Kind: diagram.Join}
	for _, l := range labels {
		plainName, _, _ := strings.Cut(l, "@")
		j.Legs = append(j.Legs, Leg{Name: l, Label: legMarkup(plainName), Dim: c.size(n, plainName)})
	}
	j.Legs = append(j.Legs, Leg{Name: name, Label: label, Dim: dim})
	g.Nodes = append(g.Nodes, j)
	return &joinRec{id: j.ID, labels: labels, owner: owner, leg: leg, name: name}
}

// collapseJoins removes the joins a simpler drawing does without: a
// grouped leg whose labels are exactly an output group is that free leg;
// two grouped legs with the same labels are one wire.
func collapseJoins(g *Graph, joins []*joinRec) {
	count := map[string]int{}
	for _, n := range g.Nodes {
		for _, l := range n.Legs {
			count[l.Name]++
		}
	}
	index := func(id string) int {
		return slices.IndexFunc(g.Nodes, func(n Node) bool { return n.ID == id })
	}
	// only reports whether every label of j is on j and on one other leg.
	only := func(j *joinRec) bool {
		for _, l := range j.labels {
			if count[l] != 2 {
				return false
			}
		}
		return true
	}
	dead := map[string]bool{}
	for _, j := range joins {
		if dead[j.id] || !only(j) {
			continue
		}
		// Another join with the same labels: one wire, or the free leg.
		for _, k := range joins {
			if k == j || dead[k.id] || !slices.Equal(k.labels, j.labels) || j.owner == "" && k.owner == "" {
				continue
			}
			name := j.name
			if j.owner != "" {
				name = k.name
			}
			for _, r := range []*joinRec{j, k} {
				if r.owner != "" {
					g.Nodes[index(r.owner)].Legs[r.leg].Name = name
				}
				dead[r.id] = true
			}
			break
		}
	}
	g.Nodes = slices.DeleteFunc(g.Nodes, func(n Node) bool { return dead[n.ID] })
}

// size is the size of a label, 0 when unknown.
func (c *conv) size(n *network.Network, l string) int {
	if c.opt.Unsized[l] {
		return 0
	}
	return n.Sizes[l]
}

// hole gathers the free legs c.opt.Hole names on a dashed empty node.
func (c *conv) hole(g *Graph) error {
	if len(c.opt.Hole) == 0 {
		return nil
	}
	h := Node{ID: c.id("hole"), Kind: diagram.Hole}
	for _, l := range c.opt.Hole {
		k := slices.IndexFunc(g.Free, func(f FreeLeg) bool { return f.Name == l })
		if k < 0 {
			return errorf("", "hole leg %q is not a free leg of the network", l)
		}
		g.Free = slices.Delete(g.Free, k, k+1)
		h.Legs = append(h.Legs, Leg{Name: l, Dim: legDim(g, l)})
	}
	g.Nodes = append(g.Nodes, h)
	return nil
}

// legDim is the size a graph gives leg name, 0 when unknown.
func legDim(g *Graph, name string) int {
	for _, n := range g.Nodes {
		for _, l := range n.Legs {
			if l.Name == name && l.Dim > 0 {
				return l.Dim
			}
		}
	}
	return 0
}

// node appends the graph nodes of one network node: itself and the joins
// of its grouped legs; for a diagonal tensor its vector and dot; a bubble.
func (c *conv) node(g *Graph, n *network.Network, node *network.Node, joins *[]*joinRec) error {
	legs := make([]Leg, len(node.Legs))
	shifted := false
	for k, leg := range node.Legs {
		name, label, dim := c.group(leg.Labels, n.Sizes)
		legs[k] = Leg{Name: name, Label: label, Dim: dim, Shift: leg.Offset}
		shifted = shifted || leg.Offset != 0
	}
	out := Node{Legs: legs}
	switch {
	case c.tap != "" && c.feed && node.Kind.HasData() && node.Name == c.tap:
		// The stream's end: the tensor's legs meet at a join fed by it.
		id := c.id("join")
		feed := "tap@" + id
		_, label, dim := c.group(nodeLabels(node), n.Sizes)
		g.Nodes = append(g.Nodes, Node{ID: id, Kind: diagram.Join, Legs: append(legs, Leg{Name: feed, Label: label, Dim: dim})})
		c.taps = append(c.taps, feed)
		return nil
	case c.tap != "" && node.Kind.HasData() && node.Name == c.tap:
		// A copy pasted from the residual stream.
		id := c.id(node.Display())
		g.Nodes = append(g.Nodes, Node{ID: id, Label: c.label(node), Color: "pink", Legs: legs})
		c.taps = append(c.taps, id)
		return nil
	}
	switch node.Kind {
	case network.Function:
		return c.bubble(g, node)
	case network.Identity, network.Delta:
		// δ_iij = δ_ij: a leg repeated on a copy tensor is drawn once (an
		// identity I[i i] is the one-leg δ[i], summed: its trace).
		out.Legs = uniqueLegs(out.Legs)
		base := "δ"
		out.Kind = diagram.Delta
		if node.Kind == network.Identity && !shifted && len(out.Legs) == 2 {
			base, out.Kind = "I", diagram.Identity
		}
		out.ID = c.id(base)
	case network.Diagonal:
		// D_ij… = Σ_k λ_k δ_kij…: the vector λ (named D) on a copy dot.
		vec := c.id(node.Display())
		link := "diag(" + vec + ")"
		out.ID, out.Kind = c.id("δ"), diagram.Delta
		out.Legs = append(uniqueLegs(out.Legs), Leg{Name: link, Dim: legs[0].Dim, Unnamed: true})
		g.Nodes = append(g.Nodes, Node{ID: vec, Label: c.label(node), Color: "grey", Legs: []Leg{{Name: link, Dim: legs[0].Dim, Unnamed: true}}})
	case network.Isometry, network.Unitary:
		out.ID, out.Label = c.id(node.Display()), c.label(node)
		out.Kind = diagram.Isometry
		if node.Kind == network.Unitary {
			out.Kind = diagram.Unitary
		}
		for _, t := range node.Tip {
			if t >= 0 && t < len(out.Legs) {
				out.Legs[t].Tip = true
			}
		}
	default:
		out.ID, out.Label = c.id(node.Display()), c.label(node)
		out.Flip = node.Transpose
	}
	// The node first (a pin applies to it), then the joins of its grouped legs.
	at := len(g.Nodes)
	g.Nodes = append(g.Nodes, out)
	for k, leg := range node.Legs {
		if len(leg.Labels) > 1 {
			jr := c.join(g, n, c.scopedAll(leg.Labels), "", legs[k].Label, legs[k].Dim, out.ID, k)
			jr.name = legs[k].Label + "@" + jr.id
			jn := &g.Nodes[len(g.Nodes)-1]
			jn.Legs[len(jn.Legs)-1].Name = jr.name
			g.Nodes[at].Legs[k].Name = jr.name
			*joins = append(*joins, jr)
		}
	}
	return nil
}

// nodeLabels lists the labels of a node's legs, groups flattened.
func nodeLabels(node *network.Node) []string {
	var out []string
	for _, l := range node.Legs {
		out = append(out, l.Labels...)
	}
	return out
}

// bubble appends a function node: a bubble around the networks of its
// arguments.
func (c *conv) bubble(g *Graph, node *network.Node) error {
	b := node.Bubble
	inner := &Graph{}
	for k, a := range b.Args {
		if len(a.Terms) != 1 || a.Terms[0].Coef != 1 {
			return errorf("", "argument %d of %s is a sum or a multiple of a network; a bubble is drawn around one network", k+1, b.Func)
		}
		ag, err := c.network(a.Terms[0].Net)
		if err != nil {
			return fmt.Errorf("argument %d: %w", k+1, err)
		}
		inner.Nodes = append(inner.Nodes, ag.Nodes...)
		for _, f := range ag.Free {
			if !slices.ContainsFunc(inner.Free, func(h FreeLeg) bool { return h.Name == f.Name }) {
				inner.Free = append(inner.Free, f)
			}
		}
	}
	// The bubble's legs first, in order, then what the function consumes
	// (which ends at the contour).
	out := Node{ID: c.id(b.Func), Label: funcMarkup(b), Kind: diagram.Function, Inner: inner}
	var free []FreeLeg
	take := func(name string) {
		if k := slices.IndexFunc(inner.Free, func(f FreeLeg) bool { return f.Name == name }); k >= 0 {
			free = append(free, inner.Free[k])
			inner.Free = slices.Delete(inner.Free, k, k+1)
		} else {
			free = append(free, FreeLeg{Name: name})
		}
	}
	for _, leg := range node.Legs {
		name := c.scoped(leg.Labels[0])
		take(name)
		out.Legs = append(out.Legs, Leg{Name: name, Label: legMarkup(leg.Labels[0]), Dim: legDim(inner, name)})
	}
	inner.Free = append(free, inner.Free...)
	g.Nodes = append(g.Nodes, out)
	return nil
}

// funcMarkup is a bubble's name: the function, its leg as a subscript
// (softmax_k), its numeric parameters after it (pow (2)).
func funcMarkup(b *network.Bubble) string {
	s := escapeMarkup(b.Func)
	if b.Leg != "" {
		s += "_{" + escapeMarkup(strings.ReplaceAll(b.Leg, "_", " ")) + "}"
	}
	if len(b.Params) > 0 {
		ps := make([]string, len(b.Params))
		for k, p := range b.Params {
			ps[k] = strconv.FormatFloat(p, 'g', -1, 64)
		}
		s += " (" + strings.Join(ps, ", ") + ")"
	}
	return s
}

// label is a tensor's name as label markup with its decorations. A
// general tensor shows a transpose by being drawn upside down, so its name
// carries only * (conjugate) and ⁻¹ (inverse); a triangle or square, which
// cannot be turned over, carries † and ᵀ too.
func (c *conv) label(node *network.Node) string {
	s := tensorMarkup(node.Name)
	sup := ""
	switch {
	case node.Conj && node.Transpose && (node.Kind == network.Isometry || node.Kind == network.Unitary):
		sup = "†"
	case node.Transpose && (node.Kind == network.Isometry || node.Kind == network.Unitary):
		sup = "T"
	case node.Conj:
		sup = "*"
	}
	if node.Inverse {
		sup += "−1"
	}
	if sup != "" {
		s += "^{" + sup + "}"
	}
	return s
}

// tensorMarkup is the label of a tensor's bare name: what follows its
// first underscore is a subscript (W_O, W_out, T_a1), as are the digits
// after a single letter (U1 reads U₁).
func tensorMarkup(name string) string {
	if m, ok := letterDigits(name); ok {
		return m
	}
	base, sub, ok := strings.Cut(name, "_")
	if !ok || sub == "" {
		return escapeMarkup(name)
	}
	return escapeMarkup(base) + "_{" + escapeMarkup(sub) + "}"
}

// legMarkup is the label of a leg's bare name: an underscore followed by
// one character or by digits makes a subscript (b_1, p_12), as do the
// digits after a single letter (z2 reads z₂); any other underscore
// separates words (seq_pos reads "seq pos").
func legMarkup(name string) string {
	if m, ok := letterDigits(name); ok {
		return m
	}
	parts := strings.Split(name, "_")
	var b strings.Builder
	b.WriteString(escapeMarkup(parts[0]))
	for _, p := range parts[1:] {
		switch {
		case p != "" && (utf8.RuneCountInString(p) == 1 || strings.Trim(p, "0123456789") == ""):
			b.WriteString("_{" + escapeMarkup(p) + "}")
		case p == "":
			b.WriteString(`\_`)
		default:
			b.WriteString(" " + escapeMarkup(p))
		}
	}
	return b.String()
}

// uniqueLegs drops the legs of a copy tensor that repeat an earlier one
// (when none is grouped: a grouped leg keeps its index for its join).
func uniqueLegs(legs []Leg) []Leg {
	if slices.ContainsFunc(legs, func(l Leg) bool { return strings.HasPrefix(l.Name, "(") }) {
		return legs
	}
	var out []Leg
	for _, l := range legs {
		if !slices.ContainsFunc(out, func(m Leg) bool { return m.Name == l.Name && m.Shift == l.Shift }) {
			out = append(out, l)
		}
	}
	return out
}

// letterDigits writes a name of one letter and digits ("U1", "p12") with
// the digits as a subscript.
func letterDigits(name string) (string, bool) {
	r, n := utf8.DecodeRuneInString(name)
	digits := name[n:]
	if !unicode.IsLetter(r) || digits == "" || strings.Trim(digits, "0123456789") != "" {
		return "", false
	}
	return escapeMarkup(string(r)) + "_{" + digits + "}", true
}
