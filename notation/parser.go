package notation

import (
	"slices"
	"strconv"
	"strings"
)

// maxErrors is how many errors ParseProgram reports before it stops.
const maxErrors = 10

// maxDepth bounds the nesting of parentheses, bubbles and Σ in a statement.
const maxDepth = 500

// ParseProgram parses strand's index notation: statements one per line (or
// separated by ';'), '#' comments, and lines continued inside parentheses or
// after a binary operator. See docs/notation.md for the grammar. On errors it
// goes on at the next statement and returns up to ten of them, sorted by
// position (an [ErrorList], or a *[SyntaxError] when there is one).
func ParseProgram(src string) (*Program, error) {
	toks, errs := lex(src)
	if len(errs) > 0 {
		return nil, errs.Err()
	}
	p := &parser{src: src, toks: toks}
	p.tok = toks[0]
	prog := &Program{Pos: 0, End: len(src)}
	newlines := 0
	for p.tok.kind != tEOF && len(p.errs) < maxErrors {
		if p.tok.kind == tNewline {
			if !p.tok.semi {
				newlines++
			}
			p.next()
			continue
		}
		if s := p.stmt(); s != nil {
			s.Info().Blank = newlines >= 2 && len(prog.Stmts) > 0
			prog.Stmts = append(prog.Stmts, s)
		}
		newlines = 0
	}
	if err := p.errs.Err(); err != nil {
		return nil, err
	}
	return prog, nil
}

// parser is a recursive-descent parser over the tokens of a program.
type parser struct {
	src   string
	toks  []token
	i     int
	tok   token
	prev  token // the last token consumed
	errs  ErrorList
	depth int // nesting of factors being parsed
}

// bailout unwinds the parse of one statement after an error.
type bailout struct{}

func (p *parser) next() {
	p.prev = p.tok
	if p.i < len(p.toks)-1 {
		p.i++
	}
	p.tok = p.toks[p.i]
}

func (p *parser) peek() token {
	if p.i+1 < len(p.toks) {
		return p.toks[p.i+1]
	}
	return p.toks[len(p.toks)-1]
}

// fail records an error and abandons the statement.
func (p *parser) fail(pos int, format string, args ...any) {
	p.errs = append(p.errs, newError(p.src, pos, format, args...))
	panic(bailout{})
}

func (p *parser) expect(k tokKind, context string) token {
	if p.tok.kind != k {
		p.fail(p.tok.pos, "expected %s %s, found %s", tokNames[k], context, p.tok)
	}
	t := p.tok
	p.next()
	return t
}

// closeParen consumes the ')' that closes the '(' token open.
func (p *parser) closeParen(open token) {
	switch p.tok.kind {
	case tRParen:
		p.next()
	case tEOF:
		p.fail(open.pos, "unclosed '('")
	default:
		p.fail(p.tok.pos, "expected ')' to close the '(' at column %d, found %s", p.col(open.pos), p.tok)
	}
}

// col returns the rune column of an offset.
func (p *parser) col(pos int) int {
	_, c := LineCol(p.src, pos)
	return c
}

// stmt parses one statement; after an error it skips to the end of the line.
func (p *parser) stmt() (s Stmt) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(bailout); !ok {
				panic(r)
			}
			p.depth = 0
			for p.tok.kind != tNewline && p.tok.kind != tEOF {
				p.next()
			}
			s = nil
		}
	}()
	start := p.tok.pos
	switch {
	case p.tok.kind == tComment:
		s = &CommentStmt{Text: p.tok.text}
		p.next()
	case p.tok.kind == tAt:
		s = &HintStmt{List: p.hints()}
	case p.tok.kind == tName && p.tok.text == "dim" && p.peek().kind == tName:
		s = p.dimStmt()
	default:
		s = p.exprStmt()
		if p.tok.kind == tAt {
			if _, ok := s.(*KindStmt); ok {
				p.fail(p.tok.pos, "layout hints follow an expression, not a kind declaration")
			}
			s.Info().Hints = p.hints()
		}
	}
	info := s.Info()
	info.Pos, info.End = start, p.prev.end
	if _, isComment := s.(*CommentStmt); !isComment && p.tok.kind == tComment {
		info.Comment = p.tok.text
		p.next()
	}
	if p.tok.kind != tNewline && p.tok.kind != tEOF {
		p.fail(p.tok.pos, "unexpected %s: a statement ends at the end of the line or at ';'", p.tok)
	}
	return s
}

// exprStmt parses an assignment, an equation, a kind declaration or an
// expression alone.
func (p *parser) exprStmt() Stmt {
	x := p.sum()
	switch p.tok.kind {
	case tColon:
		return p.kindStmt(x)
	case tAssign:
		if t, ok := x.(*Tensor); ok && !t.Conj && !t.Transpose && !t.Inverse {
			p.next()
			return &AssignStmt{LHS: t, RHS: p.sum()}
		}
		factors, ok := factorList(x)
		if !ok {
			p.fail(exprPos(x), "the left side of '=' must be a tensor such as M[i j] (use '==' for an equation), or the factors of a decomposition: U[i a] S[a] V†[a k] = svd(M[i k])")
		}
		p.next()
		rhs := p.sum()
		call, ok := rhs.(*FuncCall)
		if !ok || !slices.Contains(Decompositions, call.Func) {
			p.fail(exprPos(rhs), "factors on the left of '=' need a decomposition on the right: %s, as in U[i a] S[a] V†[a k] = svd(M[i k])", strings.Join(Decompositions, ", "))
		}
		if len(call.Args) != 1 || call.Leg != "" || len(call.Legs) > 0 {
			p.fail(call.Pos, "%s takes one tensor expression, without a subscript or legs: %s(M[i k])", call.Func, call.Func)
		}
		return &DecompStmt{Factors: factors, Call: call}
	case tEq, tNe:
		rel := RelEqual
		if p.tok.kind == tNe {
			rel = RelNotEqual
		}
		pos := p.tok.pos
		p.next()
		return &EquationStmt{LHS: x, RHS: p.sum(), Rel: rel, RelPos: pos}
	}
	return &ExprStmt{X: x}
}

// factorList returns the tensors of a product of tensors (transposed or
// conjugated ones allowed, inverses not).
func factorList(x Expr) ([]*Tensor, bool) {
	var xs []Expr
	switch x := x.(type) {
	case *Product:
		xs = x.Factors
	case *Tensor:
		xs = []Expr{x}
	default:
		return nil, false
	}
	var out []*Tensor
	for _, f := range xs {
		t, ok := f.(*Tensor)
		if !ok || t.Inverse {
			return nil, false
		}
		out = append(out, t)
	}
	return out, len(out) > 1
}

// exprPos returns the offset where the expression starts.
func exprPos(x Expr) int {
	pos, _ := x.Span()
	return pos
}

// dimStmt parses: dim name=size {[,] name=size}.
func (p *parser) dimStmt() *DimStmt {
	p.next()
	d := &DimStmt{}
	for p.tok.kind == tName {
		name := p.tok
		p.next()
		p.expect(tAssign, "after the leg name in dim")
		num := p.expect(tNumber, "(the size) in dim")
		n, err := strconv.Atoi(num.text)
		if err != nil || n < 1 {
			p.fail(num.pos, "a size must be a positive integer, not %s", num.text)
		}
		d.Dims = append(d.Dims, &DimDecl{Pos: name.pos, Name: name.text, Size: n})
		if p.tok.kind == tComma {
			p.next()
		}
	}
	if len(d.Dims) == 0 {
		p.fail(p.tok.pos, "expected name=size after dim")
	}
	return d
}

// kindStmt parses the rest of "U: isometry(i j -> k)" after the tensor.
func (p *parser) kindStmt(x Expr) *KindStmt {
	t, ok := x.(*Tensor)
	if !ok || t.Conj || t.Transpose || t.Inverse {
		p.fail(exprPos(x), "a kind declaration starts with a tensor name, as in U: isometry")
	}
	for _, a := range t.Legs {
		if a.Kind != AxisName {
			p.fail(a.Pos, "the legs of a kind declaration are plain names")
		}
	}
	p.next()
	kind := p.expect(tName, "(the kind) after ':'")
	k := &KindStmt{Tensor: t, Kind: Ident{Pos: kind.pos, Name: kind.text}}
	if p.tok.kind != tLParen {
		return k
	}
	p.next()
	k.HasArgs = true
	side := &k.In
	for p.tok.kind != tRParen {
		switch p.tok.kind {
		case tName:
			*side = append(*side, Ident{Pos: p.tok.pos, Name: p.tok.text})
		case tArrow:
			if side == &k.Out {
				p.fail(p.tok.pos, "a second '->'")
			}
			side = &k.Out
		case tComma:
		default:
			p.fail(p.tok.pos, "expected a leg name or '->' in the kind's legs, found %s", p.tok)
		}
		p.next()
	}
	p.next()
	return k
}

// hints parses one or more layout hints: @A(0, 1) @left(i j).
func (p *parser) hints() []*Hint {
	var hs []*Hint
	for p.tok.kind == tAt {
		h := &Hint{Pos: p.tok.pos}
		p.next()
		name := p.expect(tName, "after '@'")
		target := p.decorations(&Tensor{Name: name.text})
		h.Target = target.DisplayName()
		p.expect(tLParen, "after the hint's name")
		var nums []float64
		for p.tok.kind != tRParen {
			switch p.tok.kind {
			case tName:
				h.Legs = append(h.Legs, Ident{Pos: p.tok.pos, Name: p.tok.text})
			case tNumber, tMinus, tPlus:
				nums = append(nums, p.signedNumber())
				continue
			case tComma:
			default:
				p.fail(p.tok.pos, "expected coordinates or leg names in the hint, found %s", p.tok)
			}
			p.next()
		}
		p.next()
		h.End = p.prev.end
		switch {
		case len(nums) == 2 && len(h.Legs) == 0:
			h.Kind, h.X, h.Y = HintPin, nums[0], nums[1]
		case len(nums) == 0 && len(h.Legs) > 0 && isSide(h.Target):
			h.Kind = HintSide
		case len(nums) == 0 && len(h.Legs) > 0:
			p.fail(h.Pos, "a side hint is @left, @right, @top or @bottom, not @%s", h.Target)
		default:
			p.fail(h.Pos, "a pin is @%s(x, y) with two numbers; a side hint is @left(i j)", h.Target)
		}
		hs = append(hs, h)
	}
	return hs
}

// isSide reports whether name is a side of a side hint.
func isSide(name string) bool {
	switch name {
	case "left", "right", "top", "bottom":
		return true
	}
	return false
}

// signedNumber parses a number with an optional sign.
func (p *parser) signedNumber() float64 {
	neg := false
	if p.tok.kind == tMinus || p.tok.kind == tPlus {
		neg = p.tok.kind == tMinus
		p.next()
	}
	t := p.expect(tNumber, "")
	v, _ := strconv.ParseFloat(t.text, 64)
	if neg {
		v = -v
	}
	return v
}

// sum parses terms joined by '+' and '-', with an optional leading sign.
func (p *parser) sum() Expr {
	start := p.tok.pos
	var terms []SumTerm
	for {
		t := SumTerm{OpPos: -1}
		if p.tok.kind == tPlus || p.tok.kind == tMinus {
			t.Neg, t.OpPos = p.tok.kind == tMinus, p.tok.pos
			p.next()
		} else if len(terms) > 0 {
			break
		}
		t.X = p.product()
		terms = append(terms, t)
		if p.tok.kind != tPlus && p.tok.kind != tMinus {
			break
		}
	}
	if len(terms) == 1 && !terms[0].Neg {
		return terms[0].X
	}
	return &Sum{Pos: start, End: p.prev.end, Terms: terms}
}

// startsFactor reports whether the current token can start a factor.
func (p *parser) startsFactor() bool {
	switch p.tok.kind {
	case tName, tNumber, tLParen, tSigma:
		return true
	}
	return false
}

// product parses factors multiplied by juxtaposition. A Σ_h takes the rest
// of the product as its body.
func (p *parser) product() Expr {
	start := p.tok.pos
	var fs []Expr
	for p.startsFactor() {
		f := p.factor()
		fs = append(fs, f)
		if _, ok := f.(*SumOver); ok {
			break
		}
	}
	switch len(fs) {
	case 0:
		p.fail(p.tok.pos, "expected a tensor, a number or '(', found %s", p.tok)
	case 1:
		return fs[0]
	}
	return &Product{Pos: start, End: p.prev.end, Factors: fs}
}

// factor parses a number, a parenthesised sum, Σ_h …, sum_h …, a function
// call or a tensor.
func (p *parser) factor() Expr {
	start := p.tok
	if p.depth++; p.depth > maxDepth {
		p.fail(start.pos, "expression nested more than %d deep", maxDepth)
	}
	defer func() { p.depth-- }()
	switch start.kind {
	case tNumber:
		p.next()
		v, _ := strconv.ParseFloat(start.text, 64)
		return &Number{Pos: start.pos, End: start.end, Value: v}
	case tLParen:
		p.next()
		x := p.sum()
		p.closeParen(start)
		return &Paren{Pos: start.pos, End: p.prev.end, X: x}
	case tSigma:
		p.next()
		leg := Ident{Pos: start.end - len(start.text), Name: start.text}
		x := p.product()
		return &SumOver{Pos: start.pos, End: p.prev.end, Leg: leg, X: x}
	}
	p.next()
	name := start.text
	if leg, ok := strings.CutPrefix(name, "sum_"); ok && leg != "" &&
		(p.tok.kind == tName || p.tok.kind == tNumber || p.tok.kind == tSigma) {
		x := p.product()
		return &SumOver{Pos: start.pos, End: p.prev.end, Leg: Ident{Pos: start.pos + 4, Name: leg}, X: x}
	}
	if p.tok.kind == tLParen {
		return p.call(start)
	}
	t := p.decorations(&Tensor{Pos: start.pos, Name: name})
	return p.legs(t)
}

// call parses the arguments of a function bubble after its name. conj(V)
// and conj(V[i j]) are the tensor V conjugated, not a bubble.
func (p *parser) call(name token) Expr {
	open := p.tok
	p.next()
	var args []Expr
	for p.tok.kind != tRParen {
		args = append(args, p.sum())
		if p.tok.kind != tComma {
			break
		}
		p.next()
	}
	p.closeParen(open)
	if len(args) == 0 {
		p.fail(name.pos, "%s() needs an argument", name.text)
	}
	if t, ok := args[0].(*Tensor); ok && name.text == "conj" && len(args) == 1 && !t.Conj {
		c := *t
		c.Pos, c.End, c.Conj = name.pos, p.prev.end, true
		if len(c.Legs) > 0 {
			return &c
		}
		return p.legs(p.decorations(&c))
	}
	f := &FuncCall{Pos: name.pos, Func: name.text, LegPos: -1, Args: args}
	if i := strings.LastIndexByte(name.text, '_'); i > 0 && i < len(name.text)-1 {
		if leg := name.text[i+1:]; mentionsLeg(args, leg) {
			f.Func, f.Leg, f.LegPos = name.text[:i], leg, name.pos+i+1
		}
	}
	if p.tok.kind == tLBrack {
		t := p.legs(&Tensor{})
		for _, a := range t.Legs {
			if a.Kind != AxisName || a.Offset != 0 {
				p.fail(a.Pos, "the legs of a function bubble are plain names")
			}
		}
		f.Legs = t.Legs
	}
	f.End = p.prev.end
	return f
}

// mentionsLeg reports whether a leg named leg appears on a tensor in xs.
func mentionsLeg(xs []Expr, leg string) bool {
	for _, x := range xs {
		switch x := x.(type) {
		case *Tensor:
			for _, a := range Flatten(x.Legs) {
				if a.Name == leg {
					return true
				}
			}
		case *FuncCall:
			if mentionsLeg(x.Args, leg) {
				return true
			}
		case *Product:
			if mentionsLeg(x.Factors, leg) {
				return true
			}
		case *Sum:
			for _, t := range x.Terms {
				if mentionsLeg([]Expr{t.X}, leg) {
					return true
				}
			}
		case *Paren:
			if mentionsLeg([]Expr{x.X}, leg) {
				return true
			}
		case *SumOver:
			if mentionsLeg([]Expr{x.X}, leg) {
				return true
			}
		}
	}
	return false
}

// decorations parses †, ᵀ and ⁻¹ after a tensor's name.
func (p *parser) decorations(t *Tensor) *Tensor {
	for {
		switch p.tok.kind {
		case tDagger:
			if t.Conj || t.Transpose {
				p.fail(p.tok.pos, "repeated conjugation or transpose on %s", t.Name)
			}
			t.Conj, t.Transpose = true, true
		case tTranspose:
			if t.Transpose {
				p.fail(p.tok.pos, "repeated transpose on %s", t.Name)
			}
			t.Transpose = true
		case tInverse:
			if t.Inverse {
				p.fail(p.tok.pos, "repeated inverse on %s", t.Name)
			}
			t.Inverse = true
		default:
			t.End = p.prev.end
			return t
		}
		p.next()
	}
}

// leg parses a leg name with an optional shift: q, q+1, q-2.
func (p *parser) leg() Axis {
	a := Axis{Pos: p.tok.pos, End: p.tok.end, Kind: AxisName, Name: p.tok.text}
	p.next()
	if (p.tok.kind == tPlus || p.tok.kind == tMinus) && p.peek().kind == tNumber {
		neg := p.tok.kind == tMinus
		p.next()
		n, err := strconv.Atoi(p.tok.text)
		if err != nil || n == 0 {
			p.fail(p.tok.pos, "a leg shift is a nonzero integer, not %s", p.tok.text)
		}
		if neg {
			n = -n
		}
		a.Offset, a.End = n, p.tok.end
		p.next()
	}
	return a
}

// legs parses the optional leg list [i j (k l)] of a tensor.
func (p *parser) legs(t *Tensor) *Tensor {
	if p.tok.kind != tLBrack {
		return t
	}
	p.next()
	t.Legs = []Axis{}
	for p.tok.kind != tRBrack {
		switch p.tok.kind {
		case tName:
			t.Legs = append(t.Legs, p.leg())
			continue
		case tLParen:
			g := Axis{Pos: p.tok.pos, Kind: AxisGroup, Group: []Axis{}}
			p.next()
			for p.tok.kind == tName || p.tok.kind == tComma {
				if p.tok.kind == tName {
					g.Group = append(g.Group, Axis{Pos: p.tok.pos, End: p.tok.end, Kind: AxisName, Name: p.tok.text})
				}
				p.next()
			}
			if p.tok.kind != tRParen {
				p.fail(p.tok.pos, "expected a leg name or ')' in a group, found %s", p.tok)
			}
			if len(g.Group) == 0 {
				p.fail(g.Pos, "an empty group '()' is not a leg")
			}
			g.End = p.tok.end
			t.Legs = append(t.Legs, g)
		case tComma:
		default:
			p.fail(p.tok.pos, "expected a leg name, a group '(i j)' or ']', found %s", p.tok)
		}
		p.next()
	}
	p.next()
	t.End = p.prev.end
	if len(t.Legs) == 0 {
		t.Legs = nil
	}
	return t
}
