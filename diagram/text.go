package diagram

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Script is the vertical position of a run of text.
type Script int8

// The scripts.
const (
	Base Script = iota
	Sub
	Super
)

// Run is a stretch of text set in one script and one style.
type Run struct {
	Text   string
	Script Script
	Italic bool
}

// Text is parsed label markup: a sequence of runs.
type Text []Run

// TextError reports bad label markup at a byte offset of the input.
type TextError struct {
	Text string
	Pos  int
	Msg  string
}

func (e *TextError) Error() string {
	return fmt.Sprintf("diagram: label %q: offset %d: %s", e.Text, e.Pos, e.Msg)
}

// unicodeScripts maps Unicode sub- and superscript characters to the script
// and the character they stand for; † reads as a superscript too (V† = V^†).
var unicodeScripts = map[rune]struct {
	s Script
	r rune
}{
	'₀': {Sub, '0'}, '₁': {Sub, '1'}, '₂': {Sub, '2'}, '₃': {Sub, '3'}, '₄': {Sub, '4'},
	'₅': {Sub, '5'}, '₆': {Sub, '6'}, '₇': {Sub, '7'}, '₈': {Sub, '8'}, '₉': {Sub, '9'},
	'₊': {Sub, '+'}, '₋': {Sub, '−'}, '₌': {Sub, '='}, '₍': {Sub, '('}, '₎': {Sub, ')'},
	'ₐ': {Sub, 'a'}, 'ₑ': {Sub, 'e'}, 'ₒ': {Sub, 'o'}, 'ₓ': {Sub, 'x'}, 'ₕ': {Sub, 'h'},
	'ₖ': {Sub, 'k'}, 'ₗ': {Sub, 'l'}, 'ₘ': {Sub, 'm'}, 'ₙ': {Sub, 'n'}, 'ₚ': {Sub, 'p'},
	'ₛ': {Sub, 's'}, 'ₜ': {Sub, 't'}, 'ᵢ': {Sub, 'i'}, 'ⱼ': {Sub, 'j'}, 'ᵣ': {Sub, 'r'},
	'⁰': {Super, '0'}, '¹': {Super, '1'}, '²': {Super, '2'}, '³': {Super, '3'}, '⁴': {Super, '4'},
	'⁵': {Super, '5'}, '⁶': {Super, '6'}, '⁷': {Super, '7'}, '⁸': {Super, '8'}, '⁹': {Super, '9'},
	'⁺': {Super, '+'}, '⁻': {Super, '−'}, '⁼': {Super, '='}, '⁽': {Super, '('}, '⁾': {Super, ')'},
	'ⁿ': {Super, 'n'}, 'ⁱ': {Super, 'i'}, 'ᵀ': {Super, 'T'}, '†': {Super, '†'},
}

// glyph is one parsed character with its script.
type glyph struct {
	r      rune
	script Script
}

// ParseText parses label markup:
//
//	text   = { "\" char | ("_" | "^") group | char }
//	group  = "{" { "\" char | char } "}" | "\" char | char
//
// "_" sets its group as a subscript, "^" as a superscript. Unicode
// subscripts (₀…₉, ₐ, ᵢ, …) and superscripts (⁰…⁹, ⁻, ᵀ, †) read as the same
// markup. Groups do not nest. A word made of a single Latin letter is
// italic; every other character is upright.
func ParseText(s string) (Text, error) {
	if !utf8.ValidString(s) {
		return nil, &TextError{s, firstInvalid(s), "invalid UTF-8"}
	}
	var gs []glyph
	i := 0
	next := func() (rune, int) {
		r, n := utf8.DecodeRuneInString(s[i:])
		return r, n
	}
	for i < len(s) {
		r, n := next()
		switch r {
		case '\\':
			if i+n >= len(s) {
				return nil, &TextError{s, i, `"\" at the end escapes nothing`}
			}
			i += n
			r, n = next()
			gs = append(gs, glyph{r: r})
			i += n
		case '_', '^':
			script := Sub
			if r == '^' {
				script = Super
			}
			start := i
			i += n
			if i >= len(s) {
				return nil, &TextError{s, start, fmt.Sprintf("%q at the end has no script", r)}
			}
			grp, err := parseGroup(s, &i, script)
			if err != nil {
				return nil, err
			}
			if len(grp) == 0 {
				return nil, &TextError{s, start, "empty script"}
			}
			gs = append(gs, grp...)
		case '{':
			return nil, &TextError{s, i, `"{" outside a script (write "\{")`}
		case '}':
			return nil, &TextError{s, i, `unmatched "}"`}
		default:
			if u, ok := unicodeScripts[r]; ok {
				gs = append(gs, glyph{r: u.r, script: u.s})
			} else {
				gs = append(gs, glyph{r: r})
			}
			i += n
		}
	}
	return runsOf(gs), nil
}

// parseGroup reads a script's group starting at *i.
func parseGroup(s string, i *int, script Script) ([]glyph, error) {
	r, n := utf8.DecodeRuneInString(s[*i:])
	switch r {
	case '{':
		open := *i
		*i += n
		var gs []glyph
		for *i < len(s) {
			r, n = utf8.DecodeRuneInString(s[*i:])
			switch r {
			case '}':
				*i += n
				return gs, nil
			case '\\':
				if *i+n >= len(s) {
					return nil, &TextError{s, *i, `"\" at the end escapes nothing`}
				}
				*i += n
				r, n = utf8.DecodeRuneInString(s[*i:])
				gs = append(gs, glyph{r: r, script: script})
			case '_', '^', '{':
				return nil, &TextError{s, *i, fmt.Sprintf("%q inside a script: scripts do not nest", r)}
			default:
				g, err := scriptGlyph(s, *i, r, script)
				if err != nil {
					return nil, err
				}
				gs = append(gs, g)
			}
			*i += n
		}
		return nil, &TextError{s, open, `"{" is never closed`}
	case '\\':
		if *i+n >= len(s) {
			return nil, &TextError{s, *i, `"\" at the end escapes nothing`}
		}
		*i += n
		r, n = utf8.DecodeRuneInString(s[*i:])
		*i += n
		return []glyph{{r: r, script: script}}, nil
	case '_', '^', '}':
		return nil, &TextError{s, *i, fmt.Sprintf("%q cannot be a script (write \"\\%c\")", r, r)}
	}
	g, err := scriptGlyph(s, *i, r, script)
	if err != nil {
		return nil, err
	}
	*i += n
	return []glyph{g}, nil
}

// scriptGlyph returns character r read inside a group of the given script:
// a Unicode script character is allowed there only if it is of that script
// (V^{†}, X^{⁻¹}).
func scriptGlyph(s string, pos int, r rune, script Script) (glyph, error) {
	if u, ok := unicodeScripts[r]; ok {
		if u.s != script {
			return glyph{}, &TextError{s, pos, fmt.Sprintf("%q inside a script: scripts do not nest", r)}
		}
		return glyph{r: u.r, script: script}, nil
	}
	return glyph{r: r, script: script}, nil
}

func firstInvalid(s string) int {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n == 1 {
				return i
			}
		}
	}
	return len(s)
}

func isLatin(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }

// runsOf decides italics and merges neighbouring glyphs of one script and
// style into runs. A word is a maximal stretch of Latin letters within one
// script; it is italic when it has exactly one letter.
func runsOf(gs []glyph) Text {
	italic := make([]bool, len(gs))
	for i := 0; i < len(gs); {
		if !isLatin(gs[i].r) {
			i++
			continue
		}
		j := i + 1
		for j < len(gs) && isLatin(gs[j].r) && gs[j].script == gs[i].script {
			j++
		}
		if j-i == 1 {
			italic[i] = true
		}
		i = j
	}
	var t Text
	var b strings.Builder
	for i, g := range gs {
		if i > 0 && (g.script != gs[i-1].script || italic[i] != italic[i-1]) {
			t = append(t, Run{b.String(), gs[i-1].script, italic[i-1]})
			b.Reset()
		}
		b.WriteRune(g.r)
	}
	if len(gs) > 0 {
		t = append(t, Run{b.String(), gs[len(gs)-1].script, italic[len(gs)-1]})
	}
	return t
}

// Plain returns the characters of t without markup.
func (t Text) Plain() string {
	var b strings.Builder
	for _, r := range t {
		b.WriteString(r.Text)
	}
	return b.String()
}

// Markup returns label markup that parses back to t.
func (t Text) Markup() string {
	var b strings.Builder
	esc := func(s string) {
		for _, r := range s {
			if strings.ContainsRune(`\_^{}`, r) {
				b.WriteByte('\\')
			}
			if _, ok := unicodeScripts[r]; ok {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		}
	}
	for i := 0; i < len(t); i++ {
		r := t[i]
		if r.Script == Base {
			esc(r.Text)
			continue
		}
		// Gather consecutive runs of the same script into one group.
		j := i
		for j+1 < len(t) && t[j+1].Script == r.Script {
			j++
		}
		if r.Script == Sub {
			b.WriteString("_{")
		} else {
			b.WriteString("^{")
		}
		for k := i; k <= j; k++ {
			esc(t[k].Text)
		}
		b.WriteByte('}')
		i = j
	}
	return b.String()
}

// PlaceLabel parses text and returns a label of the given kind and font size
// whose ink box is centred at c.
func PlaceLabel(text string, kind LabelKind, size float64, c Point) (Label, error) {
	t, err := ParseText(text)
	if err != nil {
		return Label{}, err
	}
	_, ext := t.Set(size)
	h := ext.Ascent + ext.Descent
	return Label{
		Text:     text,
		Box:      Box{c.X, c.Y, ext.W, h},
		Baseline: c.Y - h/2 + ext.Ascent,
		Kind:     kind,
		Size:     size,
	}, nil
}

// Move returns l with its box (and baseline) centred at c.
func (l Label) Move(c Point) Label {
	d := c.Sub(l.Center())
	l.Box = l.Box.Translate(d)
	l.Baseline += d.Y
	return l
}
