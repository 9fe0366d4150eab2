package network

import (
	"fmt"
	"sort"
	"strings"

	"github.com/strand-tn/strand/notation"
)

// maxTerms bounds the number of terms that expanding products of sums may make.
const maxTerms = 4096

// ProgramOptions gives the sizes a program does not declare. The zero value
// takes every size from the program's dim lines.
type ProgramOptions struct {
	// Dims gives leg sizes, as extra dim lines would.
	Dims map[string]int
	// Operands gives the shapes of the input tensors in order of their first
	// appearance (Program.Inputs order); it may be shorter than that list.
	Operands [][]int
	// Shapes gives the shapes of input tensors by name.
	Shapes map[string][]int
	// DefaultSize, when positive, is the size of a leg that nothing else
	// sizes (for drawing a network whose sizes are left open). Legs take it
	// one at a time, in order of appearance, each spreading before the next
	// is assumed, so a size the program fixes is never overridden; they are
	// listed in Program.Assumed.
	DefaultSize int
}

// Input is a tensor a program reads: one that no statement defines and that
// is not an identity or a delta. Shape is its data shape once sizes are
// resolved (a diagonal tensor's data is its diagonal: one axis).
type Input struct {
	Name  string
	Shape []int
	Pos   int
}

// StatementKind tells what a [Statement] does.
type StatementKind int

const (
	Assign    StatementKind = iota // M[i j] = …: defines tensor Name
	Eval                           // an expression alone
	Equation                       // lhs == rhs or lhs != rhs, to be checked
	Decompose                      // U[i a] S[a] V†[a k] = svd(M[i k]): defines the factors
)

func (k StatementKind) String() string {
	return [...]string{"assign", "eval", "equation", "decompose"}[k]
}

// Statement is one resolved statement. RHS is the value of an assignment or
// an expression, and the right side of an equation, whose left side is LHS.
// Both sides of an equation have the same free legs, in LHS's order. For a
// decomposition, RHS is the argument, LHS the product of the factors (one
// term, free legs in the argument's order), Func the decomposition and
// Factors the nodes of LHS that it defines, in the order written.
type Statement struct {
	Kind    StatementKind
	Name    string
	LHS     *Expr
	RHS     *Expr
	Rel     notation.Relation
	Func    string
	Factors []*Node
	Pos     int
}

// Program is a resolved program: its statements in order and the tensors it reads.
type Program struct {
	Statements []*Statement
	Inputs     []Input
	Assumed    []string // legs sized by ProgramOptions.DefaultSize, in order
}

// FromProgram resolves a parsed index-notation program:
//
//   - dim lines, opts.Dims and the shapes of bound tensors give sizes; a leg's
//     size spreads to every leg of that name in the same statement, through
//     identities, deltas, diagonal and symmetric tensors (whose legs all have
//     one size), and into groups, where one unknown member is inferred; a size
//     still unknown is an error naming the leg;
//   - input tensors bind by name (opts.Shapes) or in order of first appearance
//     (opts.Operands); a tensor that an assignment defines takes the shape of
//     its value in later statements, and may not be used before;
//   - in a term, a leg name that appears once is free and one that appears
//     twice or more is summed (a bond, or a hyperedge on three or more legs),
//     unless the left side of an assignment lists it; Σ_h sums h even if it
//     appears once. Without a left side, the free legs are those that appear
//     exactly once, in order of first appearance; every term of a sum, and
//     both sides of an equation, must have the same free legs;
//   - a product of sums is expanded into a sum of products (at most 4096 terms);
//   - a function call is a bubble node whose legs are its arguments' free legs
//     (less the subscript leg for sum, mean, max, min, prod, norm, logsumexp);
//   - kinds come from declarations (U: isometry(i j -> k)) and from the built-in
//     names δ, delta (delta) and I, id (identity);
//   - layout hints on a statement's line apply to it, hint lines to every
//     statement with that tensor or free leg; a hint that matches nothing is
//     an error.
func FromProgram(p *notation.Program, opts ProgramOptions) (*Program, error) {
	pb := &progBuilder{
		dims:      map[string]int{},
		dimFrom:   map[string]string{},
		kinds:     map[string]*kindDecl{},
		shapes:    map[string][]int{},
		shapeFrom: map[string]string{},
		inputIdx:  map[string]int{},
		defined:   map[string]bool{},
		hintUsed:  map[*notation.Hint]bool{},
		defSize:   opts.DefaultSize,
	}
	if err := pb.declarations(p, opts); err != nil {
		return nil, err
	}
	if err := pb.findInputs(p); err != nil {
		return nil, err
	}
	if err := pb.bind(opts); err != nil {
		return nil, err
	}
	prog := &Program{}
	for _, s := range p.Stmts {
		st, err := pb.statement(s)
		if err != nil {
			return nil, err
		}
		if st != nil {
			prog.Statements = append(prog.Statements, st)
		}
	}
	for _, h := range pb.hints {
		if !pb.hintUsed[h] {
			return nil, errorf(h.Pos, "hint @%s matches no tensor or free leg of any statement", h.Target)
		}
	}
	for _, in := range pb.inputs {
		in.Shape = pb.shapes[in.Name]
		prog.Inputs = append(prog.Inputs, in)
	}
	prog.Assumed = pb.assumed
	return prog, nil
}

// kindDecl is a kind declaration: the kind and, for isometries and unitaries,
// the axes (by declared name) and which of them are at the tip.
type kindDecl struct {
	kind Kind
	axes []string
	tip  []int
	pos  int
}

// progBuilder holds what is known across the statements of a program.
type progBuilder struct {
	dims      map[string]int
	dimFrom   map[string]string
	kinds     map[string]*kindDecl
	shapes    map[string][]int  // data shapes of tensors, bound, inferred or defined
	shapeFrom map[string]string // where a bound shape came from
	inputs    []Input
	inputIdx  map[string]int
	defined   map[string]bool
	hints     []*notation.Hint // from hint lines
	hintUsed  map[*notation.Hint]bool
	defSize   int
	assumed   []string
}

// kindOf returns the kind of a tensor name.
func (pb *progBuilder) kindOf(name string) Kind {
	if d := pb.kinds[name]; d != nil {
		return d.kind
	}
	k, _ := builtinKind(name)
	return k
}

// declarations reads dim lines, kind declarations and hint lines.
func (pb *progBuilder) declarations(p *notation.Program, opts ProgramOptions) error {
	for _, s := range p.Stmts {
		switch s := s.(type) {
		case *notation.DimStmt:
			for _, d := range s.Dims {
				if err := pb.setDim(d.Name, d.Size, fmt.Sprintf("dim %s=%d", d.Name, d.Size), d.Pos); err != nil {
					return err
				}
			}
		case *notation.KindStmt:
			if err := pb.kindStmt(s); err != nil {
				return err
			}
		case *notation.HintStmt:
			pb.hints = append(pb.hints, s.List...)
		}
	}
	for _, name := range sortedKeys(opts.Dims) {
		if err := pb.setDim(name, opts.Dims[name], "the given sizes", 0); err != nil {
			return err
		}
	}
	return nil
}

func (pb *progBuilder) setDim(name string, size int, from string, pos int) error {
	if size < 0 {
		return errorf(pos, "the size of %s must not be negative (%d)", name, size)
	}
	if old, ok := pb.dims[name]; ok && old != size {
		return errorf(pos, "%s conflicts with %s", from, pb.dimFrom[name])
	}
	pb.dims[name], pb.dimFrom[name] = size, from
	return nil
}

func (pb *progBuilder) kindStmt(s *notation.KindStmt) error {
	kind, ok := ParseKind(s.Kind.Name)
	if !ok {
		return errorf(s.Kind.Pos, "unknown kind %q: expected general, isometry, unitary, symmetric, diagonal, identity or delta", s.Kind.Name)
	}
	name := s.Tensor.Name
	if old := pb.kinds[name]; old != nil {
		return errorf(s.Pos, "tensor %s already has a kind", name)
	}
	d := &kindDecl{kind: kind, pos: s.Pos}
	for _, a := range s.Tensor.Legs {
		if contains(d.axes, a.Name) {
			return errorf(a.Pos, "leg %s appears twice in the declaration of %s", a.Name, name)
		}
		d.axes = append(d.axes, a.Name)
	}
	if s.HasArgs {
		if kind != Isometry && kind != Unitary {
			return errorf(s.Kind.Pos, "only isometry and unitary take legs, not %s", kind)
		}
		if len(s.Out) == 0 {
			return errorf(s.Kind.Pos, "%s(i j -> k) names the legs at the tip after '->'", kind)
		}
		seen := map[string]bool{}
		all := append(append([]notation.Ident{}, s.In...), s.Out...)
		for _, id := range all {
			if seen[id.Name] {
				return errorf(id.Pos, "leg %s appears twice in the declaration of %s", id.Name, name)
			}
			seen[id.Name] = true
			if len(s.Tensor.Legs) > 0 && !contains(d.axes, id.Name) {
				return errorf(id.Pos, "leg %s is not among the legs of %s", id.Name, notation.Format(s.Tensor))
			}
		}
		if len(s.Tensor.Legs) == 0 {
			for _, id := range all {
				d.axes = append(d.axes, id.Name)
			}
		} else if len(all) != len(d.axes) {
			return errorf(s.Kind.Pos, "the declaration of %s must place each of its %d legs", name, len(d.axes))
		}
		for _, id := range s.Out {
			d.tip = append(d.tip, indexOf(d.axes, id.Name))
		}
	}
	pb.kinds[name] = d
	return nil
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// findInputs lists the tensors the program reads, in order of first
// appearance, and checks that defined tensors are defined once, before use.
func (pb *progBuilder) findInputs(p *notation.Program) error {
	for _, s := range p.Stmts {
		var exprs []notation.Expr
		switch s := s.(type) {
		case *notation.AssignStmt:
			exprs = []notation.Expr{s.RHS}
		case *notation.ExprStmt:
			exprs = []notation.Expr{s.X}
		case *notation.EquationStmt:
			exprs = []notation.Expr{s.LHS, s.RHS}
		case *notation.DecompStmt:
			exprs = s.Call.Args
		}
		for _, x := range exprs {
			walkTensors(x, func(t *notation.Tensor) {
				if pb.defined[t.Name] || !pb.kindOf(t.Name).HasData() {
					return
				}
				if _, ok := pb.inputIdx[t.Name]; !ok {
					pb.inputIdx[t.Name] = len(pb.inputs)
					pb.inputs = append(pb.inputs, Input{Name: t.Name, Pos: t.Pos})
				}
			})
		}
		var defines []*notation.Tensor
		switch s := s.(type) {
		case *notation.AssignStmt:
			defines = []*notation.Tensor{s.LHS}
		case *notation.DecompStmt:
			defines = s.Factors
		}
		for _, t := range defines {
			if err := pb.define(t); err != nil {
				return err
			}
		}
	}
	return nil
}

// define records that a statement defines tensor t.
func (pb *progBuilder) define(t *notation.Tensor) error {
	name := t.Name
	switch _, input := pb.inputIdx[name]; {
	case pb.defined[name]:
		return errorf(t.Pos, "tensor %s is defined twice", name)
	case input:
		return errorf(t.Pos, "tensor %s is defined here but used as an input before", name)
	case !pb.kindOf(name).HasData():
		return errorf(t.Pos, "%s is a %s and cannot be defined", name, pb.kindOf(name))
	}
	pb.defined[name] = true
	return nil
}

// walkTensors calls f on every tensor in x, inside bubbles too.
func walkTensors(x notation.Expr, f func(*notation.Tensor)) {
	switch x := x.(type) {
	case *notation.Tensor:
		f(x)
	case *notation.FuncCall:
		for _, a := range x.Args {
			walkTensors(a, f)
		}
	case *notation.Product:
		for _, a := range x.Factors {
			walkTensors(a, f)
		}
	case *notation.Sum:
		for _, t := range x.Terms {
			walkTensors(t.X, f)
		}
	case *notation.Paren:
		walkTensors(x.X, f)
	case *notation.SumOver:
		walkTensors(x.X, f)
	}
}

// bind records the shapes given for the inputs.
func (pb *progBuilder) bind(opts ProgramOptions) error {
	if len(opts.Operands) > len(pb.inputs) {
		names := make([]string, len(pb.inputs))
		for i, in := range pb.inputs {
			names[i] = in.Name
		}
		return errorf(0, "%d operands given but the program reads %d %s (%s)",
			len(opts.Operands), len(pb.inputs), plural(len(pb.inputs), "tensor", "tensors"), strings.Join(names, ", "))
	}
	for k, s := range opts.Operands {
		if err := pb.setShape(pb.inputs[k].Name, s, fmt.Sprintf("operand %d", k)); err != nil {
			return err
		}
	}
	for _, name := range sortedKeys(opts.Shapes) {
		if _, ok := pb.inputIdx[name]; !ok {
			return errorf(0, "a shape is given for %s, but the program reads no tensor of that name", name)
		}
		if err := pb.setShape(name, opts.Shapes[name], "the shape given for "+name); err != nil {
			return err
		}
	}
	return nil
}

func (pb *progBuilder) setShape(name string, shape []int, from string) error {
	pos := 0
	if k, ok := pb.inputIdx[name]; ok {
		pos = pb.inputs[k].Pos
	}
	for _, d := range shape {
		if d < 0 {
			return errorf(pos, "%s: tensor %s has a negative size in its shape %v", from, name, shape)
		}
	}
	if old, ok := pb.shapes[name]; ok && !equalInts(old, shape) {
		return errorf(pos, "tensor %s has shape %v from %s but %v from %s", name, old, pb.shapeFrom[name], shape, from)
	}
	pb.shapes[name], pb.shapeFrom[name] = append([]int{}, shape...), from
	return nil
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// statement resolves one statement; declarations and comments give nil.
func (pb *progBuilder) statement(s notation.Stmt) (*Statement, error) {
	sb := &stmtBuilder{pb: pb, sizes: map[string]int{}, from: map[string]string{}, first: map[string]int{}}
	for name, size := range pb.dims {
		sb.sizes[name], sb.from[name] = size, pb.dimFrom[name]
	}
	st := &Statement{Pos: s.Info().Pos}
	var err error
	switch s := s.(type) {
	case *notation.AssignStmt:
		st.Kind, st.Name = Assign, s.LHS.Name
		out, groups, lerr := lhsOutput(s.LHS)
		if lerr != nil {
			return nil, lerr
		}
		st.RHS, err = sb.expr(bubbleWithLegs(s.RHS, s.LHS), out, groups)
	case *notation.ExprStmt:
		st.Kind = Eval
		st.RHS, err = sb.expr(s.X, nil, nil)
	case *notation.EquationStmt:
		st.Kind, st.Rel = Equation, s.Rel
		if st.LHS, err = sb.expr(s.LHS, nil, nil); err == nil {
			st.RHS, err = sb.expr(s.RHS, nil, nil)
		}
		if err == nil {
			err = alignSides(st.LHS, st.RHS, s.RelPos)
		}
	case *notation.DecompStmt:
		err = sb.decomposition(st, s)
	default:
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if err := sb.resolve(); err != nil {
		return nil, err
	}
	sb.finish()
	if st.Kind == Assign {
		pb.shapes[st.Name] = st.RHS.OutShape()
	}
	if err := pb.applyHints(st, s.Info().Hints); err != nil {
		return nil, err
	}
	return st, nil
}

// bubbleWithLegs gives a right side that is one function call without
// written legs the legs of the left side, as in A[h q k] = softmax_k(…), so
// that a leg like h may appear twice inside and still be free.
func bubbleWithLegs(rhs notation.Expr, lhs *notation.Tensor) notation.Expr {
	f, ok := rhs.(*notation.FuncCall)
	if !ok || f.Legs != nil {
		return rhs
	}
	legs := []notation.Axis{}
	for _, a := range lhs.Legs {
		if a.Kind != notation.AxisName {
			return rhs
		}
		legs = append(legs, a)
	}
	c := *f
	c.Legs = legs
	return &c
}

// lhsOutput returns the free legs and output axes that an assignment's left side lists.
func lhsOutput(t *notation.Tensor) ([]string, [][]string, error) {
	out := []string{}
	groups := [][]string{}
	for _, a := range t.Legs {
		var g []string
		for _, m := range notation.Flatten([]notation.Axis{a}) {
			if contains(out, m.Name) {
				return nil, nil, errorf(m.Pos, "leg %s appears twice on the left side", m.Name)
			}
			out = append(out, m.Name)
			g = append(g, m.Name)
		}
		groups = append(groups, g)
	}
	return out, groups, nil
}

// alignSides checks that both sides of an equation have the same free legs
// and puts the right side's in the left side's order.
func alignSides(lhs, rhs *Expr, pos int) error {
	if !sameSet(lhs.Output, rhs.Output) {
		return errorf(pos, "the sides of the equation have different free legs: [%s] and [%s]",
			strings.Join(lhs.Output, " "), strings.Join(rhs.Output, " "))
	}
	rhs.Output, rhs.OutputGroups = lhs.Output, lhs.OutputGroups
	for _, t := range rhs.Terms {
		t.Net.Output, t.Net.OutputGroups = lhs.Output, lhs.OutputGroups
	}
	return nil
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !contains(b, x) {
			return false
		}
	}
	return true
}

// stmtBuilder builds the expressions of one statement. Leg names share one
// size across the statement, inside bubbles too.
type stmtBuilder struct {
	pb    *progBuilder
	sizes map[string]int
	from  map[string]string
	first map[string]int // position of each leg name's first occurrence
	nodes []*Node        // every tensor node of the statement
	exprs []*Expr        // every expression, bubble arguments included
}

// rawTerm is one term of an expanded expression: coef × factors, with the
// legs that Σ binds.
type rawTerm struct {
	coef    float64
	factors []notation.Expr // *Tensor or *FuncCall
	summed  map[string]int  // leg → position of its Σ
	pos     int
}

// flatten expands x into a sum of products.
func (sb *stmtBuilder) flatten(x notation.Expr) ([]rawTerm, error) {
	pos, _ := x.Span()
	switch x := x.(type) {
	case *notation.Number:
		return []rawTerm{{coef: x.Value, pos: pos}}, nil
	case *notation.Tensor, *notation.FuncCall:
		return []rawTerm{{coef: 1, factors: []notation.Expr{x}, pos: pos}}, nil
	case *notation.Paren:
		return sb.flatten(x.X)
	case *notation.Sum:
		var out []rawTerm
		for _, t := range x.Terms {
			sub, err := sb.flatten(t.X)
			if err != nil {
				return nil, err
			}
			for _, r := range sub {
				if t.Neg {
					r.coef = -r.coef
				}
				out = append(out, r)
			}
		}
		if len(out) > maxTerms {
			return nil, errorf(pos, "the expression expands to more than %d terms", maxTerms)
		}
		return out, nil
	case *notation.SumOver:
		sub, err := sb.flatten(x.X)
		if err != nil {
			return nil, err
		}
		for i := range sub {
			sub[i].summed = merged(sub[i].summed, map[string]int{x.Leg.Name: x.Leg.Pos})
		}
		return sub, nil
	case *notation.Product:
		acc := []rawTerm{{coef: 1, pos: pos}}
		for _, f := range x.Factors {
			sub, err := sb.flatten(f)
			if err != nil {
				return nil, err
			}
			if len(acc)*len(sub) > maxTerms {
				return nil, errorf(pos, "the expression expands to more than %d terms", maxTerms)
			}
			next := make([]rawTerm, 0, len(acc)*len(sub))
			for _, a := range acc {
				for _, b := range sub {
					next = append(next, rawTerm{
						coef:    a.coef * b.coef,
						factors: append(append([]notation.Expr{}, a.factors...), b.factors...),
						summed:  merged(a.summed, b.summed),
						pos:     a.pos,
					})
				}
			}
			acc = next
		}
		return acc, nil
	}
	return nil, errorf(pos, "unexpected expression %T", x)
}

func merged(a, b map[string]int) map[string]int {
	if len(a) == 0 && len(b) == 0 {
		return nil
	}
	m := map[string]int{}
	for k, v := range a {
		m[k] = v
	}
	for k, v := range b {
		if _, ok := m[k]; !ok {
			m[k] = v
		}
	}
	return m
}

// expr builds x. With out non-nil (an assignment) the free legs are out,
// grouped as groups; otherwise they are the legs that appear once, in order.
func (sb *stmtBuilder) expr(x notation.Expr, out []string, groups [][]string) (*Expr, error) {
	raws, err := sb.flatten(x)
	if err != nil {
		return nil, err
	}
	pos, _ := x.Span()
	e := &Expr{Pos: pos}
	for i, r := range raws {
		net := &Network{Pos: r.pos}
		for _, f := range r.factors {
			var node *Node
			if t, ok := f.(*notation.Tensor); ok {
				node, err = sb.tensorNode(t)
			} else {
				node, err = sb.bubbleNode(f.(*notation.FuncCall))
			}
			if err != nil {
				return nil, err
			}
			net.Nodes = append(net.Nodes, node)
		}
		count, order := labelCounts(net)
		for _, leg := range sortedKeys(r.summed) {
			if count[leg] == 0 {
				return nil, errorf(r.summed[leg], "Σ_%s: leg %s does not appear in the term", leg, leg)
			}
			if contains(out, leg) {
				return nil, errorf(r.summed[leg], "Σ_%s sums leg %s, which the left side lists as free", leg, leg)
			}
		}
		var free []string
		for _, l := range order {
			if _, bound := r.summed[l]; count[l] == 1 && !bound {
				free = append(free, l)
			}
		}
		switch {
		case out != nil:
			for _, l := range out {
				if count[l] == 0 {
					return nil, errorf(r.pos, "leg %s of the left side is not in term %d of the right side", l, i+1)
				}
			}
		case i == 0:
			e.Output = free
		case !sameSet(free, e.Output):
			return nil, errorf(r.pos, "term %d has free legs [%s] but term 1 has [%s]",
				i+1, strings.Join(free, " "), strings.Join(e.Output, " "))
		}
		e.Terms = append(e.Terms, &Term{Coef: r.coef, Net: net, Pos: r.pos})
	}
	if out != nil {
		e.Output, e.OutputGroups = out, groups
	} else {
		if e.Output == nil {
			e.Output = []string{}
		}
		e.OutputGroups = make([][]string, len(e.Output))
		for i, l := range e.Output {
			e.OutputGroups[i] = []string{l}
		}
	}
	for _, t := range e.Terms {
		t.Net.Output, t.Net.OutputGroups = e.Output, e.OutputGroups
	}
	sb.exprs = append(sb.exprs, e)
	return e, nil
}

// labelCounts counts each label's occurrences on the network's legs and
// lists the labels in order of first appearance.
func labelCounts(n *Network) (map[string]int, []string) {
	count := map[string]int{}
	var order []string
	for _, node := range n.Nodes {
		for _, leg := range node.Legs {
			for _, l := range leg.Labels {
				if count[l] == 0 {
					order = append(order, l)
				}
				count[l]++
			}
		}
	}
	return count, order
}

// tensorNode makes the node of a tensor reference.
func (sb *stmtBuilder) tensorNode(t *notation.Tensor) (*Node, error) {
	pb := sb.pb
	node := &Node{Name: t.Name, Kind: pb.kindOf(t.Name), Conj: t.Conj, Transpose: t.Transpose,
		Inverse: t.Inverse, Input: -1, Pos: t.Pos}
	if k, ok := pb.inputIdx[t.Name]; ok {
		node.Input = k
	}
	for _, a := range t.Legs {
		leg := Leg{Pos: a.Pos, Offset: a.Offset}
		if a.Offset != 0 && node.Kind != Delta && node.Kind != Identity {
			return nil, errorf(a.Pos, "only δ and identity legs may be shifted, not the legs of %s", t.Name)
		}
		for _, m := range notation.Flatten([]notation.Axis{a}) {
			leg.Labels = append(leg.Labels, m.Name)
			if _, ok := sb.first[m.Name]; !ok {
				sb.first[m.Name] = m.Pos
			}
		}
		node.Legs = append(node.Legs, leg)
	}
	n := len(node.Legs)
	switch {
	case node.Kind == Identity && n != 2:
		return nil, errorf(t.Pos, "identity %s needs two legs, not %d", t.Name, n)
	case (node.Kind == Delta || node.Kind == Diagonal) && n == 0:
		return nil, errorf(t.Pos, "%s %s needs at least one leg", node.Kind, t.Name)
	case t.Inverse && n != 2:
		return nil, errorf(t.Pos, "the inverse %s needs two legs (a matrix), not %d", node.Display(), n)
	}
	if d := pb.kinds[t.Name]; d != nil && d.axes != nil && len(d.axes) != n {
		return nil, errorf(t.Pos, "%s is declared with %d legs but written with %d", t.Name, len(d.axes), n)
	}
	if node.Kind == Isometry || node.Kind == Unitary {
		tip := []int{}
		if d := pb.kinds[t.Name]; d != nil && d.tip != nil {
			tip = append(tip, d.tip...)
		} else if node.Kind == Isometry && n > 0 {
			tip = []int{n - 1}
		}
		if node.Transpose {
			for i := range tip {
				tip[i] = n - 1 - tip[i]
			}
		}
		node.Tip = tip
	}
	sb.nodes = append(sb.nodes, node)
	return node, nil
}

// numberValue returns the value of a numeric argument such as 2 or -0.5.
func numberValue(x notation.Expr) (float64, bool) {
	switch x := x.(type) {
	case *notation.Number:
		return x.Value, true
	case *notation.Paren:
		return numberValue(x.X)
	case *notation.Sum:
		if len(x.Terms) == 1 {
			if v, ok := numberValue(x.Terms[0].X); ok {
				if x.Terms[0].Neg {
					v = -v
				}
				return v, true
			}
		}
	}
	return 0, false
}

// bubbleNode makes the node of a function call. Its legs are the ones written
// after it, f(…)[i j], or else the free legs of its arguments.
func (sb *stmtBuilder) bubbleNode(f *notation.FuncCall) (*Node, error) {
	b := &Bubble{Func: f.Func, Leg: f.Leg, Consumes: f.Leg != "" && consumingFuncs[f.Func]}
	var written []string // the bubble's legs as written, with a consumed leg
	for _, a := range f.Legs {
		if contains(written, a.Name) {
			return nil, errorf(a.Pos, "leg %s appears twice on %s", a.Name, f.Func)
		}
		written = append(written, a.Name)
	}
	if b.Consumes && f.Legs != nil {
		if contains(written, f.Leg) {
			return nil, errorf(f.LegPos, "%s_%s consumes leg %s, so it cannot be one of its legs", f.Func, f.Leg, f.Leg)
		}
		written = append(written, f.Leg)
	}
	var legs []string
	for _, a := range f.Args {
		if v, ok := numberValue(a); ok {
			b.Params = append(b.Params, v)
			continue
		}
		var out []string
		if f.Legs != nil {
			out = []string{}
			mentioned := legNames(a)
			for _, l := range written {
				if mentioned[l] {
					out = append(out, l)
				}
			}
		}
		sub, err := sb.expr(a, out, singletons(out))
		if err != nil {
			return nil, err
		}
		b.Args = append(b.Args, sub)
		for _, l := range sub.Output {
			if !contains(legs, l) {
				legs = append(legs, l)
			}
		}
	}
	if len(b.Args) == 0 {
		return nil, errorf(f.Pos, "%s needs a tensor argument", f.Func)
	}
	if f.Leg != "" && !contains(legs, f.Leg) {
		return nil, errorf(f.LegPos, "%s_%s: leg %s is not a free leg of the argument", f.Func, f.Leg, f.Leg)
	}
	if f.Legs != nil {
		for i, l := range written {
			if !contains(legs, l) {
				return nil, errorf(f.Legs[min(i, len(f.Legs)-1)].Pos, "leg %s of %s is in none of its arguments", l, f.Func)
			}
		}
		legs = written
	}
	node := &Node{Name: f.Func, Kind: Function, Input: -1, Bubble: b, Pos: f.Pos}
	for _, l := range legs {
		if b.Consumes && l == f.Leg {
			continue
		}
		node.Legs = append(node.Legs, Leg{Labels: []string{l}, Pos: f.Pos})
	}
	sb.nodes = append(sb.nodes, node)
	return node, nil
}

// legNames returns the leg names written on the tensors of x.
func legNames(x notation.Expr) map[string]bool {
	names := map[string]bool{}
	walkTensors(x, func(t *notation.Tensor) {
		for _, a := range notation.Flatten(t.Legs) {
			names[a.Name] = true
		}
	})
	return names
}

// singletons returns one group per label, or nil for nil.
func singletons(labels []string) [][]string {
	if labels == nil {
		return nil
	}
	groups := make([][]string, len(labels))
	for i, l := range labels {
		groups[i] = []string{l}
	}
	return groups
}

// equalLegs reports whether all legs of a node of this kind have one size.
func equalLegs(k Kind) bool {
	return k == Identity || k == Delta || k == Diagonal || k == Symmetric
}

// resolve works out the size of every leg name of the statement.
func (sb *stmtBuilder) resolve() error {
	for {
		unknown, err := sb.spread()
		if err != nil {
			return err
		}
		if unknown == "" {
			break
		}
		if sb.pb.defSize <= 0 {
			return errorf(sb.first[unknown], "the size of leg %s is unknown: declare it (dim %s=…) or bind a tensor that has it", unknown, unknown)
		}
		if err := sb.pb.setDim(unknown, sb.pb.defSize, "the default size", sb.first[unknown]); err != nil {
			return err
		}
		sb.sizes[unknown], sb.from[unknown] = sb.pb.defSize, "the default size"
		sb.pb.assumed = append(sb.pb.assumed, unknown)
	}
	return sb.finishLegs()
}

// spread propagates sizes through bound shapes and equal-legged kinds until
// nothing changes, and returns the first leg still unsized ("" if none).
func (sb *stmtBuilder) spread() (string, error) {
	pb := sb.pb
	for changed := true; changed; {
		changed = false
		for _, node := range sb.nodes {
			if node.Kind.HasData() {
				if shape, ok := pb.shapes[node.Name]; ok {
					if err := sb.applyShape(node, shape, &changed); err != nil {
						return "", err
					}
				}
			}
			if equalLegs(node.Kind) {
				if err := sb.spreadEqual(node, &changed); err != nil {
					return "", err
				}
			}
			if _, ok := pb.shapes[node.Name]; !ok && node.Kind.HasData() {
				if shape, ok := sb.dataShape(node); ok {
					pb.shapes[node.Name] = shape
					changed = true
				}
			}
		}
	}
	unknown := ""
	for l, pos := range sb.first {
		if _, ok := sb.sizes[l]; !ok && (unknown == "" || pos < sb.first[unknown]) {
			unknown = l
		}
	}
	return unknown, nil
}

// finishLegs writes the resolved sizes into the legs and checks the kinds.
func (sb *stmtBuilder) finishLegs() error {
	for _, node := range sb.nodes {
		for i := range node.Legs {
			leg := &node.Legs[i]
			leg.Dims = leg.Dims[:0]
			for _, l := range leg.Labels {
				leg.Dims = append(leg.Dims, sb.sizes[l])
			}
		}
		if err := checkTip(node); err != nil {
			return err
		}
	}
	return nil
}

// applyShape sets the sizes of a node's legs from its tensor's data shape.
func (sb *stmtBuilder) applyShape(node *Node, shape []int, changed *bool) error {
	n := len(node.Legs)
	from := "tensor " + node.Name
	if node.Kind == Diagonal {
		if len(shape) != 1 {
			return errorf(node.Pos, "diagonal tensor %s is given by its diagonal, a vector, but its shape is %v", node.Name, shape)
		}
		for i := range node.Legs {
			if err := sb.setLeg(node, &node.Legs[i], shape[0], from, changed); err != nil {
				return err
			}
		}
		return nil
	}
	if len(shape) != n {
		return errorf(node.Pos, "tensor %s has %d %s (shape %v) but is written with %d %s",
			node.Name, len(shape), plural(len(shape), "axis", "axes"), shape, n, plural(n, "leg", "legs"))
	}
	if node.Transpose {
		shape = reversed(shape)
	}
	for i := range node.Legs {
		if err := sb.setLeg(node, &node.Legs[i], shape[i], from, changed); err != nil {
			return err
		}
	}
	return nil
}

// setLeg makes a leg's size size: it checks the known labels and infers
// the one unknown label of a group.
func (sb *stmtBuilder) setLeg(node *Node, leg *Leg, size int, from string, changed *bool) error {
	if len(leg.Labels) == 1 {
		l := leg.Labels[0]
		if s, ok := sb.sizes[l]; ok {
			if s != size {
				return &DimError{Tensor: node.Display(), Leg: l, Got: size, Want: s, From: sb.from[l], Pos: leg.Pos}
			}
			return nil
		}
		sb.sizes[l], sb.from[l] = size, from
		*changed = true
		return nil
	}
	before := len(sb.sizes)
	if _, err := inferGroup(node, leg, size, sb.sizes, sb.from, from); err != nil {
		return err
	}
	if len(sb.sizes) != before {
		*changed = true
	}
	return nil
}

// legSize returns the size of a leg if all its labels are known.
func (sb *stmtBuilder) legSize(leg Leg) (int, bool) {
	n := 1
	for _, l := range leg.Labels {
		s, ok := sb.sizes[l]
		if !ok {
			return 0, false
		}
		n *= s
	}
	return n, true
}

// spreadEqual gives all legs of an identity, delta, diagonal or symmetric
// node the size of one that is known.
func (sb *stmtBuilder) spreadEqual(node *Node, changed *bool) error {
	for _, leg := range node.Legs {
		size, ok := sb.legSize(leg)
		if !ok {
			continue
		}
		from := fmt.Sprintf("leg %s of %s %s", leg, node.Kind, node.Display())
		for i := range node.Legs {
			if err := sb.setLeg(node, &node.Legs[i], size, from, changed); err != nil {
				return err
			}
		}
		return nil
	}
	return nil
}

// dataShape returns the shape of a node's data when all its legs are known.
func (sb *stmtBuilder) dataShape(node *Node) ([]int, bool) {
	shape := make([]int, len(node.Legs))
	for i, leg := range node.Legs {
		s, ok := sb.legSize(leg)
		if !ok {
			return nil, false
		}
		shape[i] = s
	}
	if node.Kind == Diagonal {
		return shape[:1], true
	}
	if node.Transpose {
		shape = reversed(shape)
	}
	return shape, true
}

// checkTip checks that an isometry's tip is no larger than its other legs,
// and that a unitary's two sides are equal.
func checkTip(node *Node) error {
	if node.Kind != Isometry && node.Kind != Unitary {
		return nil
	}
	tip, rest := 1, 1
	var tipLegs []string
	for i, leg := range node.Legs {
		if containsInt(node.Tip, i) {
			tip *= leg.Size()
			tipLegs = append(tipLegs, leg.String())
		} else {
			rest *= leg.Size()
		}
	}
	switch {
	case node.Kind == Isometry && tip > rest && len(node.Legs) > 1:
		return errorf(node.Pos, "isometry %s: its tip (%s) has size %d, larger than its other legs (%d)",
			node.Display(), strings.Join(tipLegs, " "), tip, rest)
	case node.Kind == Unitary && len(node.Tip) > 0 && tip != rest:
		return errorf(node.Pos, "unitary %s: its sides have sizes %d and %d", node.Display(), rest, tip)
	case node.Kind == Unitary && len(node.Tip) == 0 && len(node.Legs) == 2 && node.Legs[0].Size() != node.Legs[1].Size():
		return &DimError{Tensor: node.Display(), Leg: node.Legs[1].String(), Got: node.Legs[1].Size(),
			Want: node.Legs[0].Size(), From: "the other leg of the unitary", Pos: node.Legs[1].Pos}
	}
	return nil
}

func containsInt(list []int, x int) bool {
	for _, v := range list {
		if v == x {
			return true
		}
	}
	return false
}

// finish computes the edges of every network of the statement.
func (sb *stmtBuilder) finish() {
	for _, e := range sb.exprs {
		e.Sizes = map[string]int{}
		for _, t := range e.Terms {
			t.Net.finish(sb.sizes)
			for l, s := range t.Net.Sizes {
				e.Sizes[l] = s
			}
		}
		for _, l := range e.Output {
			e.Sizes[l] = sb.sizes[l]
		}
	}
}

// applyHints attaches the statement's own hints and the matching hint lines
// to its networks.
func (pb *progBuilder) applyHints(st *Statement, own []*notation.Hint) error {
	var nets []*Network
	for _, e := range []*Expr{st.LHS, st.RHS} {
		if e != nil {
			nets = append(nets, networksOf(e)...)
		}
	}
	used := map[*notation.Hint]bool{}
	for _, h := range append(append([]*notation.Hint{}, own...), pb.hints...) {
		for _, n := range nets {
			if attachHint(n, h) {
				used[h] = true
				pb.hintUsed[h] = true
			}
		}
	}
	for _, h := range own {
		if !used[h] {
			if h.Kind == notation.HintPin {
				return errorf(h.Pos, "pin @%s: the statement has no tensor %s", h.Target, h.Target)
			}
			return errorf(h.Pos, "hint @%s: the statement has none of these free legs", h.Target)
		}
	}
	return nil
}

// networksOf lists the networks of an expression and of the bubbles in it.
func networksOf(e *Expr) []*Network {
	var out []*Network
	for _, t := range e.Terms {
		out = append(out, t.Net)
		for _, node := range t.Net.Nodes {
			if node.Bubble != nil {
				for _, a := range node.Bubble.Args {
					out = append(out, networksOf(a)...)
				}
			}
		}
	}
	return out
}

// attachHint adds a hint to a network if it names one of its tensors or
// free legs, and reports whether it did.
func attachHint(n *Network, h *notation.Hint) bool {
	if h.Kind == notation.HintPin {
		for i, node := range n.Nodes {
			if node.Display() == h.Target {
				n.Pins = append(n.Pins, Pin{Node: i, X: h.X, Y: h.Y})
				return true
			}
		}
		return false
	}
	matched := false
	for _, leg := range h.Legs {
		if contains(n.Output, leg.Name) {
			n.Sides = append(n.Sides, SideHint{Leg: leg.Name, Side: h.Target})
			matched = true
		}
	}
	return matched
}
