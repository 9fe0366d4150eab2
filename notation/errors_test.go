package notation

import (
	"errors"
	"testing"
)

func TestCaret(t *testing.T) {
	for _, tc := range []struct {
		src  string
		pos  int
		want string
	}{
		{"ab#,bc->ac", 2, "  ab#,bc->ac\n    ^"},
		{"i α β, β -> i $", 17, "  i α β, β -> i $\n" + "  " + "              " + "^"},
		{"first\nsecond line\nthird", 13, "  second line\n         ^"},
		{"a\tb\tc", 4, "  a\tb\tc\n   \t \t^"},
		{"abc", 3, "  abc\n     ^"},
		{"abc", 99, "  abc\n     ^"},
		{"abc", -4, "  abc\n  ^"},
		{"x\r\ny", 0, "  x\n  ^"},
		{"αβ", 1, "  αβ\n  ^"},
	} {
		if got := Caret(tc.src, tc.pos); got != tc.want {
			t.Errorf("Caret(%q, %d) =\n%s\nwant\n%s", tc.src, tc.pos, got, tc.want)
		}
	}
}

func TestLineCol(t *testing.T) {
	src := "αβ\nγ δ\n"
	for _, tc := range []struct{ pos, line, col int }{
		{0, 1, 1}, {2, 1, 2}, {4, 1, 3}, {5, 2, 1}, {7, 2, 2}, {8, 2, 3}, {11, 3, 1},
	} {
		if line, col := LineCol(src, tc.pos); line != tc.line || col != tc.col {
			t.Errorf("LineCol(%d) = %d:%d, want %d:%d", tc.pos, line, col, tc.line, tc.col)
		}
	}
}

func TestErrorText(t *testing.T) {
	_, err := ParseEinsum("ab#,bc->ac")
	if got := err.Error(); got != "notation: unknown character '#' at column 3" {
		t.Errorf("one-line error %q", got)
	}
	_, err = ParseProgram("x[i]\ny[j] $")
	if got := err.Error(); got != "notation: unknown character '$' at line 2, column 6" {
		t.Errorf("multi-line error %q", got)
	}
	if (ErrorList{}).Err() != nil || (ErrorList{}).Error() != "notation: no errors" {
		t.Errorf("empty ErrorList")
	}
	one := ErrorList{newError("ab", 1, "bad")}
	var se *SyntaxError
	if err := one.Err(); !errors.As(err, &se) || se.Pos != 1 || one.Error() != se.Error() {
		t.Errorf("ErrorList of one gives %v", err)
	}
}
