package tensorio

import (
	"fmt"
	"strconv"
	"strings"
)

// The .npy header is a Python dict literal, read by numpy with
// ast.literal_eval. pyParse reads the subset numpy writes and older writers
// produced: dicts, tuples, lists, strings, integers (with Python 2's L suffix),
// True, False and None.

type pyKind uint8

const (
	pyStr pyKind = iota + 1
	pyInt
	pyBool
	pyNone
	pyTuple
	pyList
	pyDict
)

var pyKindNames = [...]string{pyStr: "a string", pyInt: "an integer", pyBool: "a bool", pyNone: "None", pyTuple: "a tuple", pyList: "a list", pyDict: "a dict"}

// pyValue is one parsed literal; a dict keeps its keys and values alternating in items.
type pyValue struct {
	kind  pyKind
	pos   int // byte offset in the parsed text
	str   string
	num   int64
	b     bool
	items []pyValue
}

// pyError is a parse error at a byte offset of the parsed text.
type pyError struct {
	pos int
	msg string
}

// maxPyDepth bounds the nesting of brackets, so that hostile input cannot
// recurse without end.
const maxPyDepth = 32

type pyParser struct {
	s     string
	i     int
	depth int
}

// pyParse parses s as one literal followed only by whitespace.
func pyParse(s string) (pyValue, *pyError) {
	p := &pyParser{s: s}
	v, err := p.value()
	if err != nil {
		return v, err
	}
	p.space()
	if p.i < len(p.s) {
		return v, p.errorf("unexpected %s after the header dict", p.peekName())
	}
	return v, nil
}

func (p *pyParser) errorf(format string, args ...any) *pyError {
	return &pyError{pos: p.i, msg: fmt.Sprintf(format, args...)}
}

func (p *pyParser) space() {
	for p.i < len(p.s) && strings.IndexByte(" \t\n\r\f\v", p.s[p.i]) >= 0 {
		p.i++
	}
}

// peekName describes the next byte for messages.
func (p *pyParser) peekName() string {
	if p.i >= len(p.s) {
		return "end of header"
	}
	return strconv.QuoteRune(rune(p.s[p.i]))
}

func (p *pyParser) value() (pyValue, *pyError) {
	p.space()
	start := p.i
	if p.i >= len(p.s) {
		return pyValue{}, p.errorf("unexpected end of header, expected a value")
	}
	switch c := p.s[p.i]; {
	case c == '{' || c == '(' || c == '[':
		return p.container(c)
	case c == '\'' || c == '"':
		s, err := p.str(c)
		return pyValue{kind: pyStr, pos: start, str: s}, err
	case c == '-' || c == '+' || c >= '0' && c <= '9':
		return p.integer()
	}
	for _, w := range []struct {
		word string
		v    pyValue
	}{{"True", pyValue{kind: pyBool, b: true}}, {"False", pyValue{kind: pyBool}}, {"None", pyValue{kind: pyNone}}} {
		if strings.HasPrefix(p.s[p.i:], w.word) {
			end := p.i + len(w.word)
			if end == len(p.s) || !isIdentByte(p.s[end]) {
				p.i = end
				w.v.pos = start
				return w.v, nil
			}
		}
	}
	return pyValue{}, p.errorf("unexpected %s, expected a value", p.peekName())
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// container parses a dict, tuple or list opened by c. A parenthesised single
// value without a comma is that value, as in Python.
func (p *pyParser) container(open byte) (pyValue, *pyError) {
	if p.depth >= maxPyDepth {
		return pyValue{}, p.errorf("header nested more than %d levels deep", maxPyDepth)
	}
	p.depth++
	defer func() { p.depth-- }()
	v := pyValue{pos: p.i}
	closer := map[byte]byte{'{': '}', '(': ')', '[': ']'}[open]
	v.kind = map[byte]pyKind{'{': pyDict, '(': pyTuple, '[': pyList}[open]
	p.i++
	commas := 0
	for {
		p.space()
		if p.i < len(p.s) && p.s[p.i] == closer {
			p.i++
			break
		}
		item, err := p.value()
		if err != nil {
			return v, err
		}
		v.items = append(v.items, item)
		if open == '{' {
			p.space()
			if p.i >= len(p.s) || p.s[p.i] != ':' {
				return v, p.errorf("expected ':' after a dict key, found %s", p.peekName())
			}
			p.i++
			val, err := p.value()
			if err != nil {
				return v, err
			}
			v.items = append(v.items, val)
		}
		p.space()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
			commas++
			continue
		}
		if p.i < len(p.s) && p.s[p.i] == closer {
			p.i++
			break
		}
		return v, p.errorf("expected ',' or %q, found %s", closer, p.peekName())
	}
	if open == '(' && len(v.items) == 1 && commas == 0 {
		return v.items[0], nil
	}
	return v, nil
}

// str parses a quoted string with the escapes \\ \' \" \n \r \t and \xHH.
func (p *pyParser) str(q byte) (string, *pyError) {
	p.i++
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == q:
			p.i++
			return b.String(), nil
		case c == '\n':
			return "", p.errorf("newline inside a string")
		case c == '\\':
			if p.i+1 >= len(p.s) {
				return "", p.errorf("unterminated string")
			}
			e := p.s[p.i+1]
			switch e {
			case '\\', '\'', '"':
				b.WriteByte(e)
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'x':
				if p.i+4 > len(p.s) {
					return "", p.errorf("short \\x escape")
				}
				h, err := strconv.ParseUint(p.s[p.i+2:p.i+4], 16, 8)
				if err != nil {
					return "", p.errorf("bad \\x escape")
				}
				b.WriteByte(byte(h))
				p.i += 2
			default:
				return "", p.errorf("unsupported escape \\%c", e)
			}
			p.i += 2
		default:
			b.WriteByte(c)
			p.i++
		}
	}
	return "", p.errorf("unterminated string")
}

// integer parses a decimal integer with an optional sign and Python 2 L suffix.
func (p *pyParser) integer() (pyValue, *pyError) {
	start := p.i
	if p.s[p.i] == '-' || p.s[p.i] == '+' {
		p.i++
	}
	digits := p.i
	for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		p.i++
	}
	if p.i == digits {
		return pyValue{}, p.errorf("expected digits after the sign")
	}
	text := p.s[start:p.i]
	if p.i < len(p.s) && (p.s[p.i] == 'L' || p.s[p.i] == 'l') {
		p.i++
	}
	if p.i < len(p.s) && isIdentByte(p.s[p.i]) {
		return pyValue{}, p.errorf("unexpected %s in a number", p.peekName())
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		return pyValue{}, &pyError{pos: start, msg: fmt.Sprintf("integer %s out of range", text)}
	}
	return pyValue{kind: pyInt, pos: start, num: n}, nil
}
