package studio

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf16"

	"github.com/strand-tn/strand/network"
	"github.com/strand-tn/strand/notation"
)

// doc is a text compiled for the studio: its parse and, when it describes
// networks, one stmt per statement with the networks resolved.
type doc struct {
	text string
	form notation.Form
	node notation.Node
	// ast is the program of an index-notation text (nil for other forms).
	ast *notation.Program
	// prog is the resolved program (index notation only).
	prog *network.Program
	// shapes are the operand shapes an einsum or call was resolved with.
	shapes [][]int
	// assumed holds the sizes taken as Options.DefaultSize because the text
	// does not declare them.
	assumed map[string]int
	stmts   []*stmt
	// note says why a text that parsed has nothing to draw.
	note string
}

// stmt is one statement with networks: an assignment, an expression or an
// equation of a program, or the single contraction of an einsum or call.
type stmt struct {
	index    int
	kind     network.StatementKind
	name     string // assigned tensor
	rel      notation.Relation
	lhs, rhs *network.Expr // lhs is nil unless kind is Equation or Decompose
	net      *network.Statement
	pos, end int // byte span in the text
	info     *notation.StmtInfo
}

// sides lists the expressions drawn for the statement: both sides of an
// equation or a decomposition, else the right side.
func (s *stmt) sides() []*network.Expr {
	if s.lhs != nil {
		return []*network.Expr{s.lhs, s.rhs}
	}
	return []*network.Expr{s.rhs}
}

// terms lists the statement's terms in drawing order, left side first.
func (s *stmt) terms() []*network.Term {
	var out []*network.Term
	for _, x := range s.sides() {
		out = append(out, x.Terms...)
	}
	return out
}

// compile parses text and resolves its networks. Undeclared leg sizes are
// taken as defSize and reported in doc.assumed. shapes binds tensors by name:
// for index notation the tensors the program reads, for an einsum or call its
// operands (A, B, … or the call's names). Errors about the text carry a
// position (*notation.SyntaxError, notation.ErrorList, *network.Error,
// *network.DimError); a text that parses but has no network to draw has a
// note instead of statements.
func compile(text string, shapes map[string][]int, defSize int) (*doc, error) {
	d := &doc{text: text, form: notation.DetectForm(text), assumed: map[string]int{}}
	if strings.TrimSpace(text) == "" {
		d.note = "type a network: M[i j] = A[i k] B[k j], or ij,jk->ik"
		return d, nil
	}
	node, err := notation.Parse(text)
	if err != nil {
		return d, err
	}
	d.node = node
	switch n := node.(type) {
	case *notation.Program:
		d.ast = n
		return d, d.compileProgram(shapes, defSize)
	case *notation.Einsum:
		return d, d.compileEinsum(n, nil, shapes, defSize)
	case *notation.Call:
		if n.Op != notation.OpEinsum {
			d.note = fmt.Sprintf("%s rearranges one tensor: it has no network to draw", n.Func)
			return d, nil
		}
		return d, d.compileEinsum(n.Einsum, n, shapes, defSize)
	}
	return d, fmt.Errorf("studio: cannot compile %T", node)
}

// compileProgram resolves an index-notation program, assuming defSize for
// each leg whose size is unknown, one leg at a time, so that a size the
// program fixes elsewhere (through an identity, a group) is never overridden.
func (d *doc) compileProgram(shapes map[string][]int, defSize int) error {
	prog, err := network.FromProgram(d.ast, network.ProgramOptions{Shapes: shapes, DefaultSize: defSize})
	if err != nil {
		return err
	}
	d.prog = prog
	for _, l := range prog.Assumed {
		d.assumed[l] = defSize
	}
	var ast []notation.Stmt
	for _, s := range d.ast.Stmts {
		switch s.(type) {
		case *notation.AssignStmt, *notation.DecompStmt, *notation.ExprStmt, *notation.EquationStmt:
			ast = append(ast, s)
		}
	}
	for i, st := range d.prog.Statements {
		s := &stmt{index: i, kind: st.Kind, name: st.Name, rel: st.Rel, rhs: st.RHS, net: st, pos: st.Pos, end: st.Pos}
		switch st.Kind {
		case network.Equation:
			s.lhs = st.LHS
		case network.Decompose: // drawn as the argument = the factors
			s.lhs, s.rhs = st.RHS, st.LHS
		}
		for _, a := range ast {
			if info := a.Info(); info.Pos <= st.Pos && st.Pos < max(info.End, info.Pos+1) {
				s.info, s.pos, s.end = info, info.Pos, info.End
				break
			}
		}
		d.stmts = append(d.stmts, s)
	}
	if len(d.stmts) == 0 {
		d.note = "the program has no statement to draw: write one such as M[i j] = A[i k] B[k j]"
	}
	return nil
}

// compileEinsum resolves an einsum equation (or pasted einsum call) on
// operands of the bound shapes, or else of shapes made from the sizes the
// bound operands fix and defSize for the other labels.
func (d *doc) compileEinsum(e *notation.Einsum, call *notation.Call, bound map[string][]int, defSize int) error {
	names := operandNames(e, call)
	sizes := map[string]int{}
	for k, t := range e.Inputs {
		shape, ok := bound[names[k]]
		if !ok {
			continue
		}
		named := flatAxes(t.Axes)
		if call != nil && call.Operands[k].Transpose {
			named = slices.Clone(named)
			slices.Reverse(named)
		}
		if len(named) == len(shape) {
			for i, a := range named {
				if a.Kind == notation.AxisName {
					sizes[a.Name] = shape[i]
				}
			}
		}
	}
	for k, t := range e.Inputs {
		if call != nil && call.Operands[k].Eye > 0 {
			continue
		}
		shape, ok := bound[names[k]]
		if !ok {
			shape = d.shapeOf(t.Axes, sizes, defSize)
		}
		if call != nil && call.Operands[k].Transpose && !ok {
			slices.Reverse(shape)
		}
		d.shapes = append(d.shapes, shape)
	}
	// An einops equation with a trailing empty term reads the comma as
	// punctuation when one operand fewer is given.
	if call == nil && e.Style == notation.StyleEinops && len(e.Inputs) > 1 && len(e.Inputs[len(e.Inputs)-1].Axes) == 0 {
		d.shapes = d.shapes[:len(d.shapes)-1]
	}
	var net *network.Network
	var err error
	if call != nil {
		net, err = network.FromCall(call, d.shapes)
	} else {
		net, err = network.FromEinsum(e, d.shapes)
	}
	if err != nil {
		return err
	}
	x := &network.Expr{Terms: []*network.Term{{Coef: 1, Net: net, Pos: net.Pos}},
		Output: net.Output, OutputGroups: net.OutputGroups, Sizes: net.Sizes, Pos: net.Pos}
	st := &network.Statement{Kind: network.Eval, RHS: x, Pos: e.Pos}
	d.stmts = []*stmt{{kind: network.Eval, rhs: x, net: st, pos: e.Pos, end: e.End}}
	return nil
}

// operandNames names the operands of an einsum (A, B, …) or of a call (as
// written).
func operandNames(e *notation.Einsum, call *notation.Call) []string {
	names := make([]string, len(e.Inputs))
	for k := range names {
		if call != nil && k < len(call.Operands) {
			names[k] = call.Operands[k].Name
		} else {
			names[k] = network.DefaultName(k)
		}
	}
	return names
}

// flatAxes lists a term's axes with groups kept whole (one entry per
// operand axis) and ellipses dropped.
func flatAxes(axes []notation.Axis) []notation.Axis {
	var out []notation.Axis
	for _, a := range axes {
		if a.Kind != notation.AxisEllipsis {
			out = append(out, a)
		}
	}
	return out
}

// shapeOf makes an operand shape for a term: a name has its known size or
// def, a group the product of its members, a number its value; an ellipsis
// stands for no axes.
func (d *doc) shapeOf(axes []notation.Axis, sizes map[string]int, def int) []int {
	var size func(a notation.Axis) int
	size = func(a notation.Axis) int {
		switch a.Kind {
		case notation.AxisName:
			if s, ok := sizes[a.Name]; ok {
				return s
			}
			d.assumed[a.Name] = def
			return def
		case notation.AxisNumber:
			return a.Size
		case notation.AxisGroup:
			n := 1
			for _, m := range a.Group {
				if m.Kind != notation.AxisEllipsis {
					n *= size(m)
				}
			}
			return n
		}
		return 1
	}
	shape := []int{}
	for _, a := range flatAxes(axes) {
		shape = append(shape, size(a))
	}
	return shape
}

// utf16Offset converts a byte offset in text to the offset in UTF-16 code
// units that JavaScript strings use.
func utf16Offset(text string, pos int) int {
	pos = max(0, min(pos, len(text)))
	n := 0
	for _, r := range text[:pos] {
		n += utf16.RuneLen(r)
	}
	return n
}
