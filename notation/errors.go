package notation

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// SyntaxError is one syntax error in notation text. Pos is the byte offset of
// the fault in the source; Line and Col locate it for people (both 1-based,
// Col counted in runes so that Greek and other non-ASCII names line up).
type SyntaxError struct {
	Pos  int    // byte offset into the source, 0 ≤ Pos ≤ len(source)
	Line int    // 1-based line number
	Col  int    // 1-based column, counted in runes
	Msg  string // what is wrong, without the "notation:" prefix

	multiline bool // the source has several lines: Error names the line
}

// Error returns "notation: MSG at column C" for one-line sources and
// "notation: MSG at line L, column C" for multi-line ones.
func (e *SyntaxError) Error() string {
	if e.multiline {
		return fmt.Sprintf("notation: %s at line %d, column %d", e.Msg, e.Line, e.Col)
	}
	return fmt.Sprintf("notation: %s at column %d", e.Msg, e.Col)
}

// newError returns a SyntaxError at byte offset pos of src.
func newError(src string, pos int, format string, args ...any) *SyntaxError {
	pos = clampPos(src, pos)
	line, col := LineCol(src, pos)
	return &SyntaxError{
		Pos:       pos,
		Line:      line,
		Col:       col,
		Msg:       fmt.Sprintf(format, args...),
		multiline: strings.Contains(src, "\n"),
	}
}

// clampPos moves pos into [0, len(src)] and back to the start of a rune.
func clampPos(src string, pos int) int {
	if pos < 0 {
		return 0
	}
	if pos > len(src) {
		return len(src)
	}
	for pos > 0 && pos < len(src) && !utf8.RuneStart(src[pos]) {
		pos--
	}
	return pos
}

// ErrorList is a list of syntax errors sorted by position, as reported by the
// program parser, which goes on after an error to find the next one.
type ErrorList []*SyntaxError

// Error describes the first error and says how many more there are.
func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "notation: no errors"
	case 1:
		return l[0].Error()
	}
	return fmt.Sprintf("%s (and %d more errors)", l[0].Error(), len(l)-1)
}

// Unwrap returns the errors, so that errors.As finds the first *SyntaxError.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// Err sorts the list by position and returns nil when it is empty, the single
// *SyntaxError when it holds one, and the list otherwise.
func (l ErrorList) Err() error {
	switch len(l) {
	case 0:
		return nil
	case 1:
		return l[0]
	}
	sort.SliceStable(l, func(i, j int) bool { return l[i].Pos < l[j].Pos })
	return l
}

// LineCol returns the 1-based line and rune column of byte offset pos in src.
func LineCol(src string, pos int) (line, col int) {
	pos = clampPos(src, pos)
	start := strings.LastIndexByte(src[:pos], '\n') + 1
	return strings.Count(src[:pos], "\n") + 1, utf8.RuneCountInString(src[start:pos]) + 1
}

// Caret renders the line of src that holds byte offset pos, and below it a '^'
// under that offset, both lines indented by two spaces (see the example).
// Columns are counted in runes, and tabs in the line are repeated in the
// caret line, so the caret stands under the fault in a terminal.
func Caret(src string, pos int) string {
	pos = clampPos(src, pos)
	start := strings.LastIndexByte(src[:pos], '\n') + 1
	end := strings.IndexByte(src[pos:], '\n')
	if end < 0 {
		end = len(src)
	} else {
		end += pos
	}
	line := strings.TrimRight(src[start:end], "\r")
	var pad strings.Builder
	for _, r := range src[start:pos] {
		if r == '\t' {
			pad.WriteByte('\t')
		} else {
			pad.WriteByte(' ')
		}
	}
	return "  " + line + "\n  " + pad.String() + "^"
}
