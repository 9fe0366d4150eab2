package notation

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ParseCall parses a Python call pasted whole, optionally assigned to a name:
//
//	einsum(A, B, 'i j, j k -> i k')          einops order: operands, then the equation
//	M = einsum(A,v,B,'i α β, β, β α j -> i j')
//	torch.einsum('ij,jk->ik', a, b)          numpy order: the equation, then operands
//	np.einsum("ij,jk", A, B, optimize=True)
//	rearrange(T, 'i j k l -> (i l) (k j)')
//	reduce(x, 'b c -> c', 'mean')            also reduction='mean'
//	repeat(x, 'h w -> h w c', c=3)
//
// The function is recognised by the last part of its dotted name: einsum or
// contract (opt_einsum), rearrange, reduce, repeat. An equation that comes
// first is read numpy-style (whitespace ignored, as numpy and torch do); one
// that comes last is read by the style rule of [DetectStyle]. The operand
// names are kept; conj(V), t.conj(V), V.conj() and V.T name V (conjugated or
// transposed) and eye(n) is an n×n identity. When the call lists exactly one
// operand fewer than the equation has terms and the last term is empty, as in
// the seed's einsum(a, b, 'i, j, -> i j'), the empty term is dropped.
// Keyword arguments of rearrange, reduce and repeat give axis sizes (integer
// literals, or any expression, kept as text); einsum accepts only optimize=….
func ParseCall(src string) (*Call, error) {
	p := &pyParser{src: src}
	c, err := p.call()
	if err != nil {
		return nil, err
	}
	return c, nil
}

// pyParser reads the small part of Python that a pasted call needs.
type pyParser struct {
	src string
	pos int
}

// pyArg is one argument of a call.
type pyArg struct {
	pos, end int
	keyword  string // name=…; the value spans valuePos..end
	valuePos int
	isString bool // a string literal: its contents span pos+1+prefix..end-1
	textPos  int  // start of the string contents
	textEnd  int
}

var (
	identRE = `[\p{L}_][\p{L}\p{Nd}_]*`
	dotted  = identRE + `(?:\.` + identRE + `)*`
	conjRE  = regexp.MustCompile(`^(?:` + dotted + `\.)?conj\(\s*(` + dotted + `)\s*\)$`)
	methRE  = regexp.MustCompile(`^(` + dotted + `)\.(?:conj\(\s*\)|T)$`)
	eyeRE   = regexp.MustCompile(`^(?:` + dotted + `\.)?eye\(\s*([0-9]+)\s*\)$`)
)

func (p *pyParser) errorf(pos int, format string, args ...any) error {
	return newError(p.src, pos, format, args...)
}

func (p *pyParser) skipSpace() {
	for p.pos < len(p.src) {
		r, w := utf8.DecodeRuneInString(p.src[p.pos:])
		if !unicode.IsSpace(r) {
			return
		}
		p.pos += w
	}
}

// ident reads an identifier at p.pos, or returns "".
func (p *pyParser) ident() string {
	start := p.pos
	for p.pos < len(p.src) {
		r, w := utf8.DecodeRuneInString(p.src[p.pos:])
		if !(isNameChar(r) && (p.pos > start || isNameStart(r))) {
			break
		}
		p.pos += w
	}
	return p.src[start:p.pos]
}

func (p *pyParser) call() (*Call, error) {
	p.skipSpace()
	c := &Call{Pos: p.pos, ResultPos: -1, ReductionPos: -1}
	if name := p.ident(); name != "" {
		p.skipSpace()
		if p.pos < len(p.src) && p.src[p.pos] == '=' && !strings.HasPrefix(p.src[p.pos:], "==") {
			c.Result, c.ResultPos = name, c.Pos
			p.pos++
			p.skipSpace()
		} else {
			p.pos = c.Pos
		}
	}
	c.FuncPos = p.pos
	for {
		if p.ident() == "" {
			return nil, p.errorf(p.pos, "expected a function name such as einsum or rearrange")
		}
		if p.pos >= len(p.src) || p.src[p.pos] != '.' {
			break
		}
		p.pos++
	}
	c.Func = p.src[c.FuncPos:p.pos]
	base := c.Func[strings.LastIndexByte(c.Func, '.')+1:]
	switch base {
	case "einsum", "contract":
		c.Op = OpEinsum
	default:
		op, ok := ParseOp(base)
		if !ok {
			return nil, p.errorf(c.FuncPos, "unknown function %q: expected einsum, rearrange, reduce or repeat", c.Func)
		}
		c.Op = op
	}
	p.skipSpace()
	if p.pos >= len(p.src) || p.src[p.pos] != '(' {
		return nil, p.errorf(p.pos, "expected '(' after %s", c.Func)
	}
	p.pos++
	args, err := p.args()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos < len(p.src) {
		return nil, p.errorf(p.pos, "unexpected text after the call")
	}
	c.End = p.pos
	if c.Op == OpEinsum {
		err = p.einsumArgs(c, args)
	} else {
		err = p.patternArgs(c, args)
	}
	if err != nil {
		return nil, err
	}
	return c, nil
}

// args reads the arguments up to and including the closing parenthesis.
func (p *pyParser) args() ([]pyArg, error) {
	var args []pyArg
	for {
		p.skipSpace()
		if p.pos >= len(p.src) {
			return nil, p.errorf(p.pos, "unclosed '(' of the call")
		}
		if p.src[p.pos] == ')' {
			p.pos++
			return args, nil
		}
		a, err := p.arg()
		if err != nil {
			return nil, err
		}
		args = append(args, a)
		p.skipSpace()
		switch {
		case p.pos >= len(p.src):
			return nil, p.errorf(p.pos, "unclosed '(' of the call")
		case p.src[p.pos] == ',':
			p.pos++
		case p.src[p.pos] != ')':
			return nil, p.errorf(p.pos, "expected ',' or ')' between arguments")
		}
	}
}

// arg reads one argument: a keyword argument, a string literal or an expression.
func (p *pyParser) arg() (pyArg, error) {
	a := pyArg{pos: p.pos}
	save := p.pos
	if name := p.ident(); name != "" {
		p.skipSpace()
		if p.pos < len(p.src) && p.src[p.pos] == '=' && !strings.HasPrefix(p.src[p.pos:], "==") {
			p.pos++
			p.skipSpace()
			a.keyword = name
			a.valuePos = p.pos
			if err := p.expr(); err != nil {
				return a, err
			}
			a.end = p.trimEnd(a.valuePos)
			if a.valuePos == a.end {
				return a, p.errorf(a.valuePos, "missing value for keyword %s", name)
			}
			return a, nil
		}
	}
	p.pos = save
	if start, end, ok, err := p.stringLit(); err != nil {
		return a, err
	} else if ok {
		p.skipSpace()
		if p.pos < len(p.src) && p.src[p.pos] != ',' && p.src[p.pos] != ')' {
			return a, p.errorf(p.pos, "expected ',' or ')' after the string")
		}
		a.isString, a.textPos, a.textEnd, a.end = true, start, end, end+1
		return a, nil
	}
	if err := p.expr(); err != nil {
		return a, err
	}
	a.end = p.trimEnd(a.pos)
	if a.end == a.pos {
		return a, p.errorf(a.pos, "expected an argument")
	}
	return a, nil
}

// trimEnd returns p.pos moved back over trailing whitespace, not before start.
func (p *pyParser) trimEnd(start int) int {
	end := p.pos
	for end > start {
		r, w := utf8.DecodeLastRuneInString(p.src[start:end])
		if !unicode.IsSpace(r) {
			break
		}
		end -= w
	}
	return end
}

// stringLit reads a string literal ('…', "…", with an optional r prefix) and
// returns the span of its contents.
func (p *pyParser) stringLit() (start, end int, ok bool, err error) {
	i := p.pos
	if i < len(p.src) && (p.src[i] == 'r' || p.src[i] == 'R') {
		i++
	}
	if i >= len(p.src) || (p.src[i] != '\'' && p.src[i] != '"') {
		return 0, 0, false, nil
	}
	quote := p.src[i]
	start = i + 1
	for j := start; j < len(p.src); j++ {
		switch p.src[j] {
		case quote:
			p.pos = j + 1
			return start, j, true, nil
		case '\\':
			return 0, 0, false, p.errorf(j, "escape sequences are not supported in the string")
		case '\n':
			return 0, 0, false, p.errorf(j, "unterminated string")
		}
	}
	return 0, 0, false, p.errorf(i, "unterminated string")
}

// expr skips a Python expression: everything up to a ',' or ')' outside
// brackets and strings.
func (p *pyParser) expr() error {
	var stack []byte
	start := p.pos
	for p.pos < len(p.src) {
		ch := p.src[p.pos]
		switch ch {
		case '(', '[', '{':
			stack = append(stack, ch)
		case ')', ']', '}':
			if len(stack) == 0 {
				if ch == ')' {
					return nil
				}
				return p.errorf(p.pos, "unbalanced %q", ch)
			}
			open := stack[len(stack)-1]
			if (open == '(') != (ch == ')') || (open == '[') != (ch == ']') {
				return p.errorf(p.pos, "unbalanced %q", ch)
			}
			stack = stack[:len(stack)-1]
		case ',':
			if len(stack) == 0 {
				return nil
			}
		case '\'', '"':
			if prefix := p.src[start:p.pos]; len(stack) == 0 && prefix != "" && prefix != "r" && prefix != "R" {
				return p.errorf(p.pos, "expected ',' or ')' before the string")
			}
			if _, _, _, err := p.stringLit(); err != nil {
				return err
			}
			continue
		}
		p.pos++
	}
	if len(stack) > 0 {
		return p.errorf(p.pos, "unclosed %q", stack[len(stack)-1])
	}
	return nil
}

// operand classifies the expression of a tensor argument.
func (p *pyParser) operand(a pyArg) (*Operand, error) {
	if a.isString {
		return nil, p.errorf(a.pos, "expected a tensor, found a string")
	}
	if a.keyword != "" {
		return nil, p.errorf(a.pos, "expected a tensor, found keyword argument %s", a.keyword)
	}
	text := p.src[a.pos:a.end]
	o := &Operand{Pos: a.pos, End: a.end, Expr: text, Name: text}
	if m := conjRE.FindStringSubmatch(text); m != nil {
		o.Name, o.Conj = m[1], true
	} else if m := methRE.FindStringSubmatch(text); m != nil {
		o.Name = m[1]
		o.Conj = strings.HasSuffix(text, ")")
		o.Transpose = !o.Conj
	} else if m := eyeRE.FindStringSubmatch(text); m != nil {
		n, err := strconv.Atoi(m[1])
		if err != nil || n < 1 || n > 1<<31 {
			return nil, p.errorf(a.pos, "eye(%s): the size must be a positive integer", m[1])
		}
		o.Name, o.Eye = "I"+m[1], n
	}
	return o, nil
}

// einsumArgs sorts the arguments of an einsum call into operands and equation.
func (p *pyParser) einsumArgs(c *Call, args []pyArg) error {
	var pos []pyArg
	for _, a := range args {
		if a.keyword == "" {
			pos = append(pos, a)
			continue
		}
		if a.keyword != "optimize" {
			return p.errorf(a.pos, "einsum keyword %s is not supported (only optimize=…)", a.keyword)
		}
		c.Keywords = append(c.Keywords, p.keyword(a))
	}
	eq := -1
	for i, a := range pos {
		if !a.isString {
			continue
		}
		if eq >= 0 {
			return p.errorf(a.pos, "a second string: einsum takes one equation")
		}
		eq = i
	}
	switch {
	case eq < 0:
		return p.errorf(c.End, "the einsum call has no equation string")
	case eq != 0 && eq != len(pos)-1:
		return p.errorf(pos[eq].pos, "the equation must be the first or the last argument")
	}
	c.StringFirst = eq == 0
	style := StyleAuto
	if c.StringFirst {
		style = StyleNumpy
	}
	s := pos[eq]
	c.StringPos = s.pos
	e, err := parseEinsum(p.src, s.textPos, s.textEnd, style)
	if err != nil {
		return err
	}
	c.Einsum = e
	for i, a := range pos {
		if i == eq {
			continue
		}
		o, err := p.operand(a)
		if err != nil {
			return err
		}
		c.Operands = append(c.Operands, o)
	}
	n := len(e.Inputs)
	if len(c.Operands) == n-1 && n > 1 && len(e.Inputs[n-1].Axes) == 0 {
		e.Inputs = e.Inputs[:n-1]
		n--
	}
	if len(c.Operands) != n {
		return p.errorf(s.pos, "the equation has %d %s but the call passes %d %s",
			n, plural(n, "term", "terms"), len(c.Operands), plural(len(c.Operands), "operand", "operands"))
	}
	return nil
}

// patternArgs sorts the arguments of rearrange, reduce and repeat.
func (p *pyParser) patternArgs(c *Call, args []pyArg) error {
	var pos []pyArg
	for _, a := range args {
		switch {
		case a.keyword == "reduction" && c.Op == OpReduce:
			k := p.keyword(a)
			text, ok := unquote(k.Value)
			if !ok {
				return p.errorf(a.valuePos, "reduction must be a string such as 'mean'")
			}
			c.Reduction, c.ReductionPos = text, a.valuePos
		case a.keyword != "":
			c.Keywords = append(c.Keywords, p.keyword(a))
		default:
			pos = append(pos, a)
		}
	}
	want := 2
	if c.Op == OpReduce && c.ReductionPos < 0 {
		want = 3
	}
	if len(pos) != want {
		what := "a tensor and a pattern"
		if want == 3 {
			what = "a tensor, a pattern and a reduction"
		}
		return p.errorf(c.FuncPos, "%s takes %s, not %d positional arguments", c.Op, what, len(pos))
	}
	o, err := p.operand(pos[0])
	if err != nil {
		return err
	}
	c.Operands = []*Operand{o}
	s := pos[1]
	if !s.isString {
		return p.errorf(s.pos, "expected the pattern string")
	}
	c.StringPos = s.pos
	if c.Pattern, err = parsePattern(p.src, s.textPos, s.textEnd); err != nil {
		return err
	}
	if want == 3 {
		r := pos[2]
		if !r.isString {
			return p.errorf(r.pos, "reduction must be a string such as 'mean'")
		}
		c.Reduction, c.ReductionPos = p.src[r.textPos:r.textEnd], r.pos
	}
	return nil
}

func (p *pyParser) keyword(a pyArg) *Keyword {
	k := &Keyword{Pos: a.pos, End: a.end, Name: a.keyword, Value: strings.TrimSpace(p.src[a.valuePos:a.end])}
	if n, err := strconv.Atoi(k.Value); err == nil && strings.Trim(k.Value, "0123456789") == "" {
		k.Int, k.IsInt = n, true
	}
	return k
}

// unquote returns the contents of a simple quoted string.
func unquote(s string) (string, bool) {
	if len(s) >= 2 && (s[0] == '\'' || s[0] == '"') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1], true
	}
	return "", false
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
