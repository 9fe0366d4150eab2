package notation

import (
	"errors"
	"strings"
	"testing"
)

func TestDetectStyle(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want Style
	}{
		{"ij,jk->ik", StyleNumpy}, {"ii", StyleNumpy}, {"", StyleNumpy}, {"...ij->...", StyleNumpy},
		{"i j, j k -> i k", StyleEinops}, {"index ->", StyleEinops}, {"α, -> α", StyleEinops},
		{"(ij),j->i", StyleEinops}, {"ij\t,jk", StyleEinops},
	} {
		if got := DetectStyle(tc.src); got != tc.want {
			t.Errorf("DetectStyle(%q) = %v, want %v", tc.src, got, tc.want)
		}
	}
}

// axesText writes a term's axes compactly: names, "..." and groups.
func axesText(t *Term) string {
	if t == nil {
		return "<implicit>"
	}
	return Format(t)
}

func TestParseEinsum(t *testing.T) {
	for _, tc := range []struct {
		src    string
		style  Style
		inputs []string // Format of each input term
		output string   // Format of the output term, or <implicit>
	}{
		{"ij,jk->ik", StyleNumpy, []string{"i j", "j k"}, "i k"},
		{"ij,jk", StyleNumpy, []string{"i j", "j k"}, "<implicit>"},
		{"...ij,...jk->...ik", StyleNumpy, []string{"... i j", "... j k"}, "... i k"},
		{"ii", StyleNumpy, []string{"i i"}, "<implicit>"},
		{",ab,->ab", StyleNumpy, []string{"", "a b", ""}, "a b"},
		{"", StyleNumpy, []string{""}, "<implicit>"},
		{"i α β, β, β α j -> i j", StyleEinops, []string{"i α β", "β", "β α j"}, "i j"},
		{"seq_pos hidden, hidden vocab -> seq_pos vocab", StyleEinops, []string{"seq_pos hidden", "hidden vocab"}, "seq_pos vocab"},
		{"i j, k l -> (i k) (j l)", StyleEinops, []string{"i j", "k l"}, "(i k) (j l)"},
		{"(i j) k, k -> i j", StyleEinops, []string{"(i j) k", "k"}, "i j"},
		{"a b, b c -> (a ...) c", StyleEinops, []string{"a b", "b c"}, "(a ...) c"},
		{"i, j, -> i j", StyleEinops, []string{"i", "j", ""}, "i j"},
		{"index ->", StyleEinops, []string{"index"}, ""},
		{" one  two  ,  three four->two  four  ", StyleEinops, []string{"one two", "three four"}, "two four"},
	} {
		e, err := ParseEinsum(tc.src)
		if err != nil {
			t.Errorf("ParseEinsum(%q): %v", tc.src, err)
			continue
		}
		var inputs []string
		for _, in := range e.Inputs {
			inputs = append(inputs, axesText(in))
		}
		if e.Style != tc.style || strings.Join(inputs, "|") != strings.Join(tc.inputs, "|") || axesText(e.Output) != tc.output {
			t.Errorf("ParseEinsum(%q) = %v %q -> %q, want %v %q -> %q", tc.src, e.Style, inputs, axesText(e.Output), tc.style, tc.inputs, tc.output)
		}
		if e.Pos != 0 || e.End != len(tc.src) {
			t.Errorf("ParseEinsum(%q) spans %d..%d", tc.src, e.Pos, e.End)
		}
	}
}

func TestParseEinsumPositions(t *testing.T) {
	src := "i α β, β, β α j -> i j"
	e, err := ParseEinsum(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, term := range append(e.Inputs, e.Output) {
		for _, a := range term.Axes {
			if got := src[a.Pos:a.End]; got != a.Name {
				t.Errorf("axis %q spans %q", a.Name, got)
			}
		}
	}
	if src[e.ArrowPos:e.ArrowPos+2] != "->" {
		t.Errorf("ArrowPos %d", e.ArrowPos)
	}
}

func TestParseEinsumNumpySpaces(t *testing.T) {
	e, err := ParseEinsumStyle("ij, jk -> ik", StyleNumpy)
	if err != nil {
		t.Fatal(err)
	}
	if got := Format(e); got != "ij,jk->ik" {
		t.Errorf("numpy style with spaces formats as %q", got)
	}
}

func TestParseEinsumErrors(t *testing.T) {
	for _, tc := range []struct {
		src string
		pos int
		msg string
	}{
		{"ab#,bc->ac", 2, "unknown character '#'"},
		{"i..", 1, "'..' is not an ellipsis"},
		{".i...", 0, "a '.' outside an ellipsis"},
		{"ij....->ij", 5, "a stray '.'"},
		{"...i...->i", 4, "two ellipses"},
		{"i1,1j->ij", 1, "invalid label '1'"},
		{"iα", 1, "invalid label 'α'"},
		{"ij->ji->ij", 6, "a second '->'"},
		{"ij-ji", 2, "'-' without '>'"},
		{"ij>ji", 2, "'>' without '-'"},
		{"i->ij", 4, `output label "j" is not in any input`},
		{"ij->jij", 6, `output label "j" appears twice`},
		{"ij,jk->i,k", 8, "',' in the output"},
		{"i j, j k -> i m", 14, `output name "m" is not in any input`},
		{"α β, β γ -> α δ", 19, `output name "δ"`},
		{"i j -> i i", 9, "appears twice"},
		{"i 2j -> i", 2, `"2j" is not a name`},
		{"i j$ -> i", 3, "unknown character '$'"},
		{"... i ... -> i", 6, "two ellipses"},
		{"i .. j -> i", 2, "'..' is not an ellipsis"},
		{"i j -> j -> i", 9, "a second '->'"},
		{"i j k", 5, "needs '->'"},
		{"i 2 -> i", 2, "anonymous axis"},
		{"i () -> i", 2, "empty group"},
		{"(i (j)) -> i", 3, "nested parentheses"},
		{"(i j -> i", 0, "unclosed '('"},
		{"i j) -> i", 3, "unbalanced ')'"},
		{"(... i) -> i", 1, "'...' inside parentheses"},
		{"i...j -> i j", 1, "separated from names"},
	} {
		_, err := ParseEinsum(tc.src)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("ParseEinsum(%q): got %v, want a syntax error", tc.src, err)
			continue
		}
		if se.Pos != tc.pos || !strings.Contains(se.Msg, tc.msg) {
			t.Errorf("ParseEinsum(%q): error %q at %d, want %q at %d", tc.src, se.Msg, se.Pos, tc.msg, tc.pos)
		}
		checkErrorPos(t, tc.src, err)
	}
}

func TestParsePattern(t *testing.T) {
	p, err := ParsePattern("b (h w) c 1 () 3 ... -> b h w c")
	if err != nil {
		t.Fatal(err)
	}
	want := []AxisKind{AxisName, AxisGroup, AxisName, AxisNumber, AxisGroup, AxisNumber, AxisEllipsis}
	if len(p.Left.Axes) != len(want) {
		t.Fatalf("left side has %d axes, want %d", len(p.Left.Axes), len(want))
	}
	for i, k := range want {
		if p.Left.Axes[i].Kind != k {
			t.Errorf("left axis %d is %v, want %v", i, p.Left.Axes[i].Kind, k)
		}
	}
	if g := p.Left.Axes[1].Group; len(g) != 2 || g[0].Name != "h" || g[1].Name != "w" {
		t.Errorf("group (h w) parsed as %+v", g)
	}
	if p.Left.Axes[5].Size != 3 || len(p.Left.Axes[4].Group) != 0 {
		t.Errorf("anonymous or unit axes wrong: %+v", p.Left.Axes)
	}
}

func TestParsePatternErrors(t *testing.T) {
	for _, tc := range []struct {
		src string
		pos int
		msg string
	}{
		{"a b c d (...) ->  a b c ... d", 9, "'...' inside parentheses is not allowed in the left side"},
		{"(...) -> (...)", 1, "'...' inside parentheses"},
		{"... a b c d ... -> a b c d", 12, "two ellipses"},
		{"(a)) b c -> a b c", 3, "unbalanced ')'"},
		{"(a b c -> a b c", 0, "unclosed '('"},
		{"(a) ((b c)) -> a b c", 5, "nested parentheses"},
		{"1a b -> b 1a", 0, `"1a" is not a name`},
		{"_pre b -> b _pre", 0, "must not start or end with '_'"},
		{"b pre_ -> b", 2, "must not start or end with '_'"},
		{"...pre -> pre", 0, "separated from names"},
		{"a a -> a", 2, `duplicate axis "a"`},
		{"a b -> ... a b", 7, "'...' on the right side but not on the left"},
		{"a b", 3, "needs '->'"},
		{"a -> b -> c", 7, "a second '->'"},
		{"a, b -> a b", 1, "unexpected ','"},
		{"a 0 -> a", 2, "positive size"},
		{"a 99999999999999999999 -> a", 2, "too large"},
	} {
		_, err := ParsePattern(tc.src)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("ParsePattern(%q): got %v, want a syntax error", tc.src, err)
			continue
		}
		if se.Pos != tc.pos || !strings.Contains(se.Msg, tc.msg) {
			t.Errorf("ParsePattern(%q): error %q at %d, want %q at %d", tc.src, se.Msg, se.Pos, tc.msg, tc.pos)
		}
	}
}
