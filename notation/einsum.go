package notation

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// isNameStart reports whether r may start a name: a letter or '_'. The
// superscript T ('ᵀ', a modifier letter to Unicode) is a decoration, not a letter.
func isNameStart(r rune) bool {
	return r == '_' || (unicode.IsLetter(r) && r != 'ᵀ')
}

// isNameChar reports whether r may continue a name: a letter, a decimal digit or '_'.
func isNameChar(r rune) bool {
	return isNameStart(r) || unicode.IsDigit(r)
}

// isASCIILetter reports whether r is a numpy-style label.
func isASCIILetter(r rune) bool {
	return ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z')
}

// DetectStyle applies the style rule to an einsum equation: it is einops-style
// when it contains whitespace (anywhere) or a parenthesis, and numpy-style
// otherwise. So "ij,jk->ik" and "ii" are numpy-style, while "i j, j k -> i k",
// "α, -> α", "index ->" and "(i k)" are einops-style. To read a string with
// spaces the numpy way, which ignores them, use [ParseEinsumStyle] with
// [StyleNumpy]; a pasted numpy or torch call does that by itself.
func DetectStyle(text string) Style {
	if strings.ContainsFunc(text, func(r rune) bool {
		return unicode.IsSpace(r) || r == '(' || r == ')'
	}) {
		return StyleEinops
	}
	return StyleNumpy
}

// ParseEinsum parses an einsum equation in either style, chosen by
// [DetectStyle]:
//
//   - numpy style: "ij,jk->ik", "ii", "...ij,...jk->...ik", ",ab,->ab". Labels are
//     the ASCII letters a-z and A-Z, one per axis; "..." is an ellipsis, at most
//     one per term; without "->" the output is implicit (see network).
//   - einops style: "i α β, β, β α j -> i j", "seq_pos hidden, hidden vocab ->
//     seq_pos vocab", "i j, k l -> (i k) (j l)". Names are identifiers (letters,
//     digits and '_', not starting with a digit) separated by whitespace; "->"
//     is required; "(i k)" is one axis that is the flattened group, on inputs
//     and on the output; "(...)" may appear in the output only.
//
// In both styles an output name may not repeat and must appear in an input; a
// name may repeat inside an input term (a diagonal or a trace).
func ParseEinsum(src string) (*Einsum, error) {
	return ParseEinsumStyle(src, StyleAuto)
}

// ParseEinsumStyle parses an einsum equation in the given style; StyleAuto
// chooses by [DetectStyle]. In numpy style whitespace is ignored, as numpy does.
func ParseEinsumStyle(src string, style Style) (*Einsum, error) {
	return parseEinsum(src, 0, len(src), style)
}

// parseEinsum parses src[lo:hi]; positions are offsets into src.
func parseEinsum(src string, lo, hi int, style Style) (*Einsum, error) {
	if style == StyleAuto {
		style = DetectStyle(src[lo:hi])
	}
	var e *Einsum
	var err error
	if style == StyleNumpy {
		e, err = parseNumpy(src, lo, hi)
	} else {
		e, err = parseEinopsEquation(src, lo, hi)
	}
	if err != nil {
		return nil, err
	}
	if err := checkOutput(src, e); err != nil {
		return nil, err
	}
	return e, nil
}

// parseNumpy parses a numpy-style equation in src[lo:hi].
func parseNumpy(src string, lo, hi int) (*Einsum, error) {
	e := &Einsum{Pos: lo, End: hi, Style: StyleNumpy, ArrowPos: -1}
	cur := &Term{Pos: lo}
	hasEllipsis := false
	for i := lo; i < hi; {
		r, w := utf8.DecodeRuneInString(src[i:hi])
		switch {
		case unicode.IsSpace(r):
		case isASCIILetter(r):
			cur.Axes = append(cur.Axes, Axis{Pos: i, End: i + 1, Kind: AxisName, Name: string(r)})
		case r == '.':
			if err := checkEllipsis(src, i, hi); err != nil {
				return nil, err
			}
			if hasEllipsis {
				return nil, newError(src, i, "two ellipses '...' in one term")
			}
			hasEllipsis = true
			cur.Axes = append(cur.Axes, Axis{Pos: i, End: i + 3, Kind: AxisEllipsis})
			w = 3
		case r == ',':
			if e.ArrowPos >= 0 {
				return nil, newError(src, i, "',' in the output: the output is a single term")
			}
			cur.End = i
			e.Inputs = append(e.Inputs, cur)
			cur = &Term{Pos: i + 1}
			hasEllipsis = false
		case r == '-' || r == '>':
			if err := checkArrow(src, i, hi, e.ArrowPos); err != nil {
				return nil, err
			}
			cur.End = i
			e.Inputs = append(e.Inputs, cur)
			e.ArrowPos = i
			cur = &Term{Pos: i + 2}
			hasEllipsis = false
			w = 2
		case isNameChar(r):
			return nil, newError(src, i, "invalid label %q: numpy-style labels are the letters a-z and A-Z (separate longer names by spaces, einops-style)", r)
		default:
			return nil, newError(src, i, "unknown character %q", r)
		}
		i += w
	}
	cur.End = hi
	if e.ArrowPos >= 0 {
		e.Output = cur
	} else {
		e.Inputs = append(e.Inputs, cur)
	}
	return e, nil
}

// checkEllipsis checks that the dots at src[i] form exactly "...".
func checkEllipsis(src string, i, hi int) error {
	n := 0
	for i+n < hi && src[i+n] == '.' {
		n++
	}
	switch {
	case n == 1:
		return newError(src, i, "a '.' outside an ellipsis '...'")
	case n == 2:
		return newError(src, i, "'..' is not an ellipsis: write '...'")
	case n > 3:
		return newError(src, i+3, "a stray '.' after the ellipsis '...'")
	}
	return nil
}

// checkArrow checks that src[i] starts an arrow "->" and that it is the first one.
func checkArrow(src string, i, hi, prev int) error {
	if src[i] == '>' {
		return newError(src, i, "'>' without '-': the arrow is '->'")
	}
	if i+1 >= hi || src[i+1] != '>' {
		return newError(src, i, "'-' without '>': the arrow is '->'")
	}
	if prev >= 0 {
		return newError(src, i, "a second '->'")
	}
	return nil
}

// termRules say what a term may hold.
type termRules struct {
	numbers       bool // anonymous axes (patterns)
	strictNames   bool // einops axis names: no leading or trailing '_'
	groupEllipsis bool // "(...)" allowed
	emptyGroups   bool // "()" allowed
	unique        bool // each name at most once
	context       string
}

// parseTerm parses the axes of one term in src[lo:hi]: names, numbers, "..." and
// one level of parenthesised groups, separated by whitespace.
func parseTerm(src string, lo, hi int, rules termRules) (*Term, error) {
	t := &Term{Pos: lo, End: hi}
	seen := map[string]bool{}
	group := -1 // index in t.Axes of the open group
	ellipses := 0
	add := func(a Axis) {
		if group >= 0 {
			t.Axes[group].Group = append(t.Axes[group].Group, a)
		} else {
			t.Axes = append(t.Axes, a)
		}
	}
	for i := lo; i < hi; {
		r, w := utf8.DecodeRuneInString(src[i:hi])
		switch {
		case unicode.IsSpace(r):
		case r == '(':
			if group >= 0 {
				return nil, newError(src, i, "nested parentheses: a group is one level deep")
			}
			t.Axes = append(t.Axes, Axis{Pos: i, Kind: AxisGroup, Group: []Axis{}})
			group = len(t.Axes) - 1
		case r == ')':
			if group < 0 {
				return nil, newError(src, i, "unbalanced ')'")
			}
			g := &t.Axes[group]
			g.End = i + 1
			if len(g.Group) == 0 && !rules.emptyGroups {
				return nil, newError(src, g.Pos, "an empty group '()' is not allowed in %s", rules.context)
			}
			group = -1
		case r == '.':
			if err := checkEllipsis(src, i, hi); err != nil {
				return nil, err
			}
			if i > lo {
				if p, _ := utf8.DecodeLastRuneInString(src[lo:i]); isNameChar(p) {
					return nil, newError(src, i, "an ellipsis '...' must be separated from names by a space")
				}
			}
			if i+3 < hi {
				if n, _ := utf8.DecodeRuneInString(src[i+3 : hi]); isNameChar(n) {
					return nil, newError(src, i, "an ellipsis '...' must be separated from names by a space")
				}
			}
			if ellipses++; ellipses > 1 {
				return nil, newError(src, i, "two ellipses '...' in one %s", termWord(rules))
			}
			if group >= 0 && !rules.groupEllipsis {
				return nil, newError(src, i, "'...' inside parentheses is not allowed in %s", rules.context)
			}
			add(Axis{Pos: i, End: i + 3, Kind: AxisEllipsis})
			w = 3
		case isNameChar(r):
			j := i + w
			for j < hi {
				r2, w2 := utf8.DecodeRuneInString(src[j:hi])
				if !isNameChar(r2) {
					break
				}
				j += w2
			}
			a, err := nameOrNumber(src, i, j, rules)
			if err != nil {
				return nil, err
			}
			if a.Kind == AxisName && rules.unique {
				if seen[a.Name] {
					return nil, newError(src, i, "duplicate axis %q", a.Name)
				}
				seen[a.Name] = true
			}
			add(a)
			w = j - i
		case r == '-' || r == '>':
			return nil, checkArrow(src, i, hi, i)
		default:
			return nil, newError(src, i, "unknown character %q", r)
		}
		i += w
	}
	if group >= 0 {
		return nil, newError(src, t.Axes[group].Pos, "unclosed '('")
	}
	return t, nil
}

func termWord(rules termRules) string {
	if rules.unique {
		return "side"
	}
	return "term"
}

// nameOrNumber reads the token src[i:j] as an axis name or an anonymous axis.
func nameOrNumber(src string, i, j int, rules termRules) (Axis, error) {
	tok := src[i:j]
	first, _ := utf8.DecodeRuneInString(tok)
	if unicode.IsDigit(first) {
		if strings.Trim(tok, "0123456789") != "" {
			return Axis{}, newError(src, i, "%q is not a name: names start with a letter or '_'", tok)
		}
		if !rules.numbers {
			return Axis{}, newError(src, i, "anonymous axis %q is not allowed in %s", tok, rules.context)
		}
		n, err := strconv.Atoi(tok)
		if err != nil || n > 1<<40 {
			return Axis{}, newError(src, i, "anonymous axis %s is too large", tok)
		}
		if n < 1 {
			return Axis{}, newError(src, i, "an anonymous axis must have a positive size, not %s", tok)
		}
		return Axis{Pos: i, End: j, Kind: AxisNumber, Size: n}, nil
	}
	if rules.strictNames && (strings.HasPrefix(tok, "_") || strings.HasSuffix(tok, "_")) {
		return Axis{}, newError(src, i, "axis name %q must not start or end with '_'", tok)
	}
	return Axis{Pos: i, End: j, Kind: AxisName, Name: tok}, nil
}

// splitArrow finds the one arrow in src[lo:hi]. It returns -1 when there is
// none and an error for a second arrow or a stray '-' or '>'.
func splitArrow(src string, lo, hi int) (int, error) {
	arrow := -1
	for i := lo; i < hi; i++ {
		if src[i] != '-' && src[i] != '>' {
			continue
		}
		if err := checkArrow(src, i, hi, arrow); err != nil {
			return -1, err
		}
		arrow = i
		i++
	}
	return arrow, nil
}

// parseEinopsEquation parses an einops-style equation in src[lo:hi].
func parseEinopsEquation(src string, lo, hi int) (*Einsum, error) {
	arrow, err := splitArrow(src, lo, hi)
	if err != nil {
		return nil, err
	}
	if arrow < 0 {
		return nil, newError(src, hi, "an einops-style equation needs '->' (names are separated by spaces; numpy-style equations have no spaces)")
	}
	e := &Einsum{Pos: lo, End: hi, Style: StyleEinops, ArrowPos: arrow}
	in := termRules{context: "an einsum input"}
	start := lo
	for i := lo; i <= arrow; i++ {
		if i < arrow && src[i] != ',' {
			continue
		}
		t, err := parseTerm(src, start, i, in)
		if err != nil {
			return nil, err
		}
		e.Inputs = append(e.Inputs, t)
		start = i + 1
	}
	if c := strings.IndexByte(src[arrow+2:hi], ','); c >= 0 {
		return nil, newError(src, arrow+2+c, "',' in the output: the output is a single term")
	}
	out := in
	out.groupEllipsis = true
	out.context = "an einsum output"
	if e.Output, err = parseTerm(src, arrow+2, hi, out); err != nil {
		return nil, err
	}
	return e, nil
}

// checkOutput checks that no output name repeats and that each is in an input.
func checkOutput(src string, e *Einsum) error {
	if e.Output == nil {
		return nil
	}
	inputs := map[string]bool{}
	for _, t := range e.Inputs {
		for _, a := range Flatten(t.Axes) {
			inputs[a.Name] = true
		}
	}
	seen := map[string]bool{}
	for _, a := range Flatten(e.Output.Axes) {
		if a.Kind != AxisName {
			continue
		}
		if seen[a.Name] {
			return newError(src, a.Pos, "output %s %q appears twice", labelWord(e.Style), a.Name)
		}
		seen[a.Name] = true
		if !inputs[a.Name] {
			return newError(src, a.Pos, "output %s %q is not in any input", labelWord(e.Style), a.Name)
		}
	}
	return nil
}

func labelWord(s Style) string {
	if s == StyleNumpy {
		return "label"
	}
	return "name"
}

// Flatten returns the axes with groups replaced by their members, in order.
func Flatten(axes []Axis) []Axis {
	var out []Axis
	for _, a := range axes {
		if a.Kind == AxisGroup {
			out = append(out, a.Group...)
		} else {
			out = append(out, a)
		}
	}
	return out
}

// ParsePattern parses an einops rearrange, reduce or repeat pattern such as
// "b (h w) c -> b h w c" or "h w -> h w c". Each side is a list of axis names
// (identifiers that neither start nor end with '_', each at most once per
// side), anonymous axes (positive integers; a top-level "1" is a unit axis),
// one level of groups "( )" ("()" is a unit axis), and at most one "..."
// (not inside a group on the left). An ellipsis on the right needs one on the
// left. Which names may appear on one side only depends on the operation; the
// network package checks that when it resolves sizes.
func ParsePattern(src string) (*Pattern, error) {
	return parsePattern(src, 0, len(src))
}

func parsePattern(src string, lo, hi int) (*Pattern, error) {
	arrow, err := splitArrow(src, lo, hi)
	if err != nil {
		return nil, err
	}
	if arrow < 0 {
		return nil, newError(src, hi, "a pattern needs '->'")
	}
	p := &Pattern{Pos: lo, End: hi, ArrowPos: arrow}
	rules := termRules{numbers: true, strictNames: true, emptyGroups: true, unique: true, context: "the left side of a pattern"}
	for i := lo; i < hi; i++ {
		if src[i] == ',' {
			return nil, newError(src, i, "unexpected ',' in a pattern: a pattern has one input")
		}
	}
	if p.Left, err = parseTerm(src, lo, arrow, rules); err != nil {
		return nil, err
	}
	rules.groupEllipsis = true
	rules.context = "the right side of a pattern"
	if p.Right, err = parseTerm(src, arrow+2, hi, rules); err != nil {
		return nil, err
	}
	if el := findEllipsis(p.Right.Axes); el >= 0 && findEllipsis(p.Left.Axes) < 0 {
		return nil, newError(src, el, "'...' on the right side but not on the left")
	}
	return p, nil
}

// findEllipsis returns the offset of the ellipsis among axes (in groups too), or -1.
func findEllipsis(axes []Axis) int {
	for _, a := range Flatten(axes) {
		if a.Kind == AxisEllipsis {
			return a.Pos
		}
	}
	return -1
}
