package notation

import (
	"github.com/strand-tn/strand/internal/golden"
	"path/filepath"
	"strings"
	"testing"
)

// parser is one of the entry points, returning a Node.
type parseFunc func(string) (Node, error)

func wrap[T Node](f func(string) (T, error)) parseFunc {
	return func(s string) (Node, error) {
		n, err := f(s)
		if err != nil {
			return nil, err
		}
		return n, nil
	}
}

// allExamples lists every valid example with its parser: the lists in
// helpers_test.go and the code blocks of docs/notation.md.
func allExamples(t testing.TB) []struct {
	name  string
	src   string
	parse parseFunc
} {
	type ex = struct {
		name  string
		src   string
		parse parseFunc
	}
	var out []ex
	add := func(kind string, srcs []string, f parseFunc) {
		for _, s := range srcs {
			out = append(out, ex{kind, s, f})
		}
	}
	add("einsum", einsumExamples, wrap(ParseEinsum))
	add("pattern", patternExamples, wrap(ParsePattern))
	add("call", callExamples, wrap(ParseCall))
	add("program", programExamples, wrap(ParseProgram))
	add("doc einsum", docLines(t, "einsum"), wrap(ParseEinsum))
	add("doc pattern", docLines(t, "pattern"), wrap(ParsePattern))
	add("doc call", docLines(t, "python"), wrap(ParseCall))
	add("doc program", docBlocks(t, "tn"), wrap(ParseProgram))
	return out
}

// TestRoundTrip checks parse(format(parse(x))) == parse(x), positions aside,
// and that formatting is idempotent, for every example.
func TestRoundTrip(t *testing.T) {
	for _, ex := range allExamples(t) {
		n1, err := ex.parse(ex.src)
		if err != nil {
			t.Errorf("%s %q: %v", ex.name, ex.src, err)
			continue
		}
		text := Format(n1)
		n2, err := ex.parse(text)
		if err != nil {
			t.Errorf("%s %q formats as %q, which does not parse: %v", ex.name, ex.src, text, err)
			continue
		}
		if again := Format(n2); again != text {
			t.Errorf("%s %q: format is not idempotent: %q then %q", ex.name, ex.src, text, again)
		}
		if !sameTree(n1, n2) {
			t.Errorf("%s %q: the tree of %q differs", ex.name, ex.src, text)
		}
	}
}

// TestFormatGolden compares the canonical text of every example with
// testdata/format.golden (go test -update rewrites it).
func TestFormatGolden(t *testing.T) {
	var b strings.Builder
	for _, ex := range allExamples(t) {
		n, err := ex.parse(ex.src)
		if err != nil {
			t.Fatalf("%s %q: %v", ex.name, ex.src, err)
		}
		b.WriteString("## " + ex.name + "\n" + ex.src + "\n=>\n" + Format(n) + "\n\n")
	}
	golden.Check(t, filepath.Join("testdata", "format.golden"), []byte(b.String()), *update)
}

func TestFormatParts(t *testing.T) {
	p, err := ParseProgram("M[i j] = A[i k] B[k j]  @A(0, 1)")
	if err != nil {
		t.Fatal(err)
	}
	a := p.Stmts[0].(*AssignStmt)
	for _, tc := range []struct {
		n    Node
		want string
	}{
		{a, "M[i j] = A[i k] B[k j]  @A(0, 1)"},
		{a.RHS, "A[i k] B[k j]"},
		{a.Hints[0], "@A(0, 1)"},
		{&Term{Axes: []Axis{{Kind: AxisName, Name: "i"}, {Kind: AxisGroup, Group: []Axis{{Kind: AxisEllipsis}}}}}, "i (...)"},
	} {
		if got := Format(tc.n); got != tc.want {
			t.Errorf("Format = %q, want %q", got, tc.want)
		}
	}
}
