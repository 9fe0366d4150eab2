package notation

import (
	"strconv"
	"strings"
)

// Format writes a parsed form back as canonical text: an *Einsum, *Pattern,
// *Call or *Program, or any statement, expression, term or hint of one.
// Parsing the result gives the same tree as the one printed, positions aside;
// comments, blank lines between statements and layout hints are kept. The
// canonical spellings are: numpy equations without spaces; einops equations
// and patterns with one space between names and ", " between terms; "Σ_h" for
// sum_h; "V†", "Vᵀ", "X⁻¹" and "conj(V)" for decorations; "!=" for ≠; one
// statement per line.
func Format(n Node) string {
	var b strings.Builder
	switch n := n.(type) {
	case *Einsum:
		formatEinsum(&b, n)
	case *Pattern:
		formatTerm(&b, n.Left)
		b.WriteString(" -> ")
		formatTerm(&b, n.Right)
	case *Call:
		formatCall(&b, n)
	case *Program:
		for i, s := range n.Stmts {
			if s.Info().Blank && i > 0 {
				b.WriteByte('\n')
			}
			formatStmt(&b, s)
			b.WriteByte('\n')
		}
	case *Term:
		formatTerm(&b, n)
	case *Hint:
		formatHint(&b, n)
	case Stmt:
		formatStmt(&b, n)
	case Expr:
		formatExpr(&b, n)
	}
	return b.String()
}

func formatEinsum(b *strings.Builder, e *Einsum) {
	if e.Style == StyleNumpy {
		for i, t := range e.Inputs {
			if i > 0 {
				b.WriteByte(',')
			}
			for _, a := range t.Axes {
				formatAxis(b, a)
			}
		}
		if e.Output != nil {
			b.WriteString("->")
			for _, a := range e.Output.Axes {
				formatAxis(b, a)
			}
		}
		return
	}
	for i, t := range e.Inputs {
		if i > 0 {
			b.WriteString(", ")
		}
		formatTerm(b, t)
	}
	b.WriteString(" ->")
	if e.Output != nil && len(e.Output.Axes) > 0 {
		b.WriteByte(' ')
		formatTerm(b, e.Output)
	}
}

// formatTerm writes axes separated by single spaces.
func formatTerm(b *strings.Builder, t *Term) {
	formatAxes(b, t.Axes)
}

func formatAxes(b *strings.Builder, axes []Axis) {
	for i, a := range axes {
		if i > 0 {
			b.WriteByte(' ')
		}
		formatAxis(b, a)
	}
}

func formatAxis(b *strings.Builder, a Axis) {
	switch a.Kind {
	case AxisName:
		b.WriteString(a.Name)
		if a.Offset > 0 {
			b.WriteString("+")
		}
		if a.Offset != 0 {
			b.WriteString(strconv.Itoa(a.Offset))
		}
	case AxisEllipsis:
		b.WriteString("...")
	case AxisNumber:
		b.WriteString(strconv.Itoa(a.Size))
	case AxisGroup:
		b.WriteByte('(')
		formatAxes(b, a.Group)
		b.WriteByte(')')
	}
}

func formatCall(b *strings.Builder, c *Call) {
	if c.Result != "" {
		b.WriteString(c.Result + " = ")
	}
	b.WriteString(c.Func + "(")
	var args []string
	for _, o := range c.Operands {
		args = append(args, o.Expr)
	}
	var eq string
	if c.Einsum != nil {
		eq = Format(c.Einsum)
	} else {
		eq = Format(c.Pattern)
	}
	if c.StringFirst {
		args = append([]string{quote(eq)}, args...)
	} else {
		args = append(args, quote(eq))
	}
	if c.Op == OpReduce {
		args = append(args, quote(c.Reduction))
	}
	for _, k := range c.Keywords {
		args = append(args, k.Name+"="+k.Value)
	}
	b.WriteString(strings.Join(args, ", ") + ")")
}

// quote writes s as a Python string literal.
func quote(s string) string {
	if strings.Contains(s, "'") {
		return `"` + s + `"`
	}
	return "'" + s + "'"
}

func formatStmt(b *strings.Builder, s Stmt) {
	switch s := s.(type) {
	case *CommentStmt:
		b.WriteString("#" + s.Text)
		return
	case *DimStmt:
		b.WriteString("dim")
		for _, d := range s.Dims {
			b.WriteString(" " + d.Name + "=" + strconv.Itoa(d.Size))
		}
	case *KindStmt:
		formatExpr(b, s.Tensor)
		b.WriteString(": " + s.Kind.Name)
		if s.HasArgs {
			b.WriteByte('(')
			writeIdents(b, s.In)
			if len(s.Out) > 0 {
				if len(s.In) > 0 {
					b.WriteByte(' ')
				}
				b.WriteString("-> ")
				writeIdents(b, s.Out)
			}
			b.WriteByte(')')
		}
	case *HintStmt:
		for i, h := range s.List {
			if i > 0 {
				b.WriteByte(' ')
			}
			formatHint(b, h)
		}
	case *AssignStmt:
		formatExpr(b, s.LHS)
		b.WriteString(" = ")
		formatExpr(b, s.RHS)
	case *DecompStmt:
		for i, t := range s.Factors {
			if i > 0 {
				b.WriteByte(' ')
			}
			formatExpr(b, t)
		}
		b.WriteString(" = ")
		formatExpr(b, s.Call)
	case *ExprStmt:
		formatExpr(b, s.X)
	case *EquationStmt:
		formatExpr(b, s.LHS)
		if s.Rel == RelNotEqual {
			b.WriteString(" != ")
		} else {
			b.WriteString(" == ")
		}
		formatExpr(b, s.RHS)
	}
	info := s.Info()
	for _, h := range info.Hints {
		b.WriteString("  ")
		formatHint(b, h)
	}
	if info.Comment != "" {
		b.WriteString("  #" + info.Comment)
	}
}

func writeIdents(b *strings.Builder, ids []Ident) {
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(id.Name)
	}
}

func formatHint(b *strings.Builder, h *Hint) {
	b.WriteString("@" + h.Target + "(")
	if h.Kind == HintPin {
		b.WriteString(formatNumber(h.X) + ", " + formatNumber(h.Y))
	} else {
		writeIdents(b, h.Legs)
	}
	b.WriteByte(')')
}

func formatNumber(v float64) string {
	return strconv.FormatFloat(v, 'g', -1, 64)
}

func formatExpr(b *strings.Builder, x Expr) {
	switch x := x.(type) {
	case *Number:
		b.WriteString(formatNumber(x.Value))
	case *Tensor:
		b.WriteString(x.DisplayName())
		if len(x.Legs) > 0 {
			b.WriteByte('[')
			formatAxes(b, x.Legs)
			b.WriteByte(']')
		}
	case *FuncCall:
		b.WriteString(x.Func)
		if x.Leg != "" {
			b.WriteString("_" + x.Leg)
		}
		b.WriteByte('(')
		for i, a := range x.Args {
			if i > 0 {
				b.WriteString(", ")
			}
			formatExpr(b, a)
		}
		b.WriteByte(')')
		if len(x.Legs) > 0 {
			b.WriteByte('[')
			formatAxes(b, x.Legs)
			b.WriteByte(']')
		}
	case *Product:
		for i, f := range x.Factors {
			if i > 0 {
				b.WriteByte(' ')
			}
			last := i == len(x.Factors)-1
			switch f := f.(type) {
			case *Sum:
				formatParen(b, f)
			case *SumOver:
				if last {
					formatExpr(b, f)
				} else {
					formatParen(b, f)
				}
			case *Tensor:
				formatExpr(b, f)
				// A bare name followed by another factor could read as a
				// function call, Σ binder or dim statement: write its brackets.
				if len(f.Legs) == 0 && !last {
					b.WriteString("[]")
				}
			default:
				formatExpr(b, f)
			}
		}
	case *Sum:
		for i, t := range x.Terms {
			switch {
			case i == 0 && t.Neg:
				b.WriteByte('-')
			case i > 0 && t.Neg:
				b.WriteString(" - ")
			case i > 0:
				b.WriteString(" + ")
			}
			if s, ok := t.X.(*Sum); ok {
				formatParen(b, s)
			} else {
				formatExpr(b, t.X)
			}
		}
	case *Paren:
		formatParen(b, x.X)
	case *SumOver:
		b.WriteString("Σ_" + x.Leg.Name + " ")
		formatExpr(b, x.X)
	}
}

func formatParen(b *strings.Builder, x Expr) {
	b.WriteByte('(')
	formatExpr(b, x)
	b.WriteByte(')')
}
