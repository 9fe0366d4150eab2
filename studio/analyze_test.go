package studio

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/strand-tn/strand/examples"
	"github.com/strand-tn/strand/notation"
)

func TestAnalyzeSeed(t *testing.T) {
	s := newServer(t, Options{})
	a := call[analysis](t, s, "/api/analyze", analyzeRequest{Text: seed})
	if a.Form != "program" || len(a.Errors) != 0 || len(a.Statements) != 1 {
		t.Fatalf("form %q, errors %v, %d statements", a.Form, a.Errors, len(a.Statements))
	}
	// No dim line: every size is taken as the default, and said so.
	want := map[string]int{"i": 2, "j": 2, "α": 2, "β": 2}
	if len(a.Assumed) != len(want) {
		t.Errorf("assumed %v, want %v", a.Assumed, want)
	}
	for k, v := range want {
		if a.Assumed[k] != v {
			t.Errorf("assumed %s=%d, want %d", k, a.Assumed[k], v)
		}
	}
	st := a.Statements[0]
	if st.Kind != "assign" || st.Line != 1 || st.Offset != 0 || st.End != len([]rune(seed)) {
		t.Errorf("statement %+v", st)
	}
	legs := map[string][]string{"A": {"i", "α", "β"}, "v": {"β"}, "B": {"β", "α", "j"}}
	for name, want := range legs {
		n := nodeByName(t, st, name)
		var got []string
		for _, l := range n.Legs {
			got = append(got, l.Name)
		}
		if !slices.Equal(got, want) || n.Kind != "general" || !n.Pinnable || n.Pin != nil {
			t.Errorf("tensor %s: legs %v kind %s pinnable %v pin %v; want legs %v", name, got, n.Kind, n.Pinnable, n.Pin, want)
		}
		if !strings.Contains(st.SVG, `data-id="`+n.ID+`"`) {
			t.Errorf("the SVG has no tensor %s (%s)", name, n.ID)
		}
	}
	// α is a bond of A and B, β a hyperedge of three tensors, i and j are free.
	for _, leg := range []string{"α", "β"} {
		if !strings.Contains(st.SVG, `class="wire" data-leg="`+leg+`"`) {
			t.Errorf("the SVG has no wire %s", leg)
		}
	}
	for _, leg := range []string{"i", "j"} {
		if !strings.Contains(st.SVG, `class="stub" data-leg="`+leg+`"`) {
			t.Errorf("the SVG has no free leg %s", leg)
		}
	}
	if len(st.Contractions) != 1 {
		t.Fatalf("%d contractions, want 1", len(st.Contractions))
	}
	c := st.Contractions[0]
	if len(c.Steps) != 2 || !c.Optimal || !slices.Equal(c.Operands, []string{"A[i α β]", "v[β]", "B[β α j]"}) {
		t.Errorf("contraction %+v", c)
	}
	// The first step joins two tensors, the last one all three, summing α
	// and β.
	if first := c.Steps[0]; len(first.A) != 1 || len(first.B) != 1 {
		t.Errorf("first step %+v", first)
	}
	last := c.Steps[len(c.Steps)-1]
	if len(last.A)+len(last.B) != 3 || !slices.Equal(sorted(last.Contracted), []string{"α", "β"}) || !slices.Equal(last.Result, []string{"i", "j"}) {
		t.Errorf("last step %+v", last)
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// Syntax errors come back located as the parser locates them, in UTF-16
// offsets for the page (equal to rune offsets for Greek names).
func TestAnalyzeSyntaxErrors(t *testing.T) {
	s := newServer(t, Options{})
	cases := []string{
		"M[i j] = A[i α β] v[β] B[β α j",
		"M[i j] = A[i α β] v[β] ) B[β α j]",
		"dim i=2\nM[i j] = A[i k] B[k j]\nN[i j] = A[i k] B[[k j]\n",
		"ij,jk->i#k",
		"einsum(A, B, 'i j, j k -> i k'",
		"dim i=x",
	}
	for _, text := range cases {
		a := call[analysis](t, s, "/api/analyze", analyzeRequest{Text: text})
		_, err := notation.Parse(text)
		if err == nil {
			t.Fatalf("%q parses", text)
		}
		var want []*notation.SyntaxError
		var list notation.ErrorList
		var one *notation.SyntaxError
		switch {
		case errors.As(err, &list):
			want = list
		case errors.As(err, &one):
			want = []*notation.SyntaxError{one}
		}
		if len(a.Errors) != len(want) || len(a.Statements) != 0 {
			t.Fatalf("%q: %d errors %v and %d statements, want %d errors", text, len(a.Errors), a.Errors, len(a.Statements), len(want))
		}
		for i, w := range want {
			g := a.Errors[i]
			if g.Line != w.Line || g.Col != w.Col || g.Offset != len([]rune(text[:w.Pos])) || g.Msg != w.Error() {
				t.Errorf("%q: error %+v, want line %d col %d offset %d %q", text, g, w.Line, w.Col, w.Pos, w.Error())
			}
		}
	}
}

// A network error (a size conflict) is located at the leg it is about.
func TestAnalyzeNetworkError(t *testing.T) {
	s := newServer(t, Options{})
	text := "dim i=2 j=3\nM[i j] = A[i j] A[j i]"
	a := call[analysis](t, s, "/api/analyze", analyzeRequest{Text: text})
	if len(a.Errors) != 1 || a.Errors[0].Line != 2 || a.Errors[0].Offset < 0 {
		t.Fatalf("errors %+v", a.Errors)
	}
	// Shapes of uploaded tensors fix sizes, and conflict with dim lines.
	a = call[analysis](t, s, "/api/analyze", analyzeRequest{Text: "dim i=2\nM[i j] = A[i j]", Shapes: map[string][]int{"A": {3, 4}}})
	if len(a.Errors) != 1 || !strings.Contains(a.Errors[0].Msg, "size") || a.Errors[0].Line != 2 {
		t.Fatalf("errors %+v", a.Errors)
	}
	a = call[analysis](t, s, "/api/analyze", analyzeRequest{Text: seed, Shapes: map[string][]int{"A": {3, 4, 5}}})
	if len(a.Errors) != 0 || a.Statements[0].Legs["β"] != 5 || a.Assumed["j"] != 2 || a.Assumed["β"] != 0 {
		t.Fatalf("errors %+v, legs %v, assumed %v", a.Errors, a.Statements[0].Legs, a.Assumed)
	}
}

func TestAnalyzeForms(t *testing.T) {
	s := newServer(t, Options{})
	for _, c := range []struct {
		text, form string
		names      []string
	}{
		{"ij,jk->ik", "einsum", []string{"A", "B"}},
		{"i α β, β, β α j -> i j", "einsum", []string{"A", "B", "C"}},
		{"einsum(A, V, B, 'i j, i r, j k l -> ')", "call", []string{"A", "V", "B"}},
		{"U: isometry(i j -> k)\nP[i j l m] = U[i j k] U†[k l m]", "program", []string{"U", "U†"}},
	} {
		a := call[analysis](t, s, "/api/analyze", analyzeRequest{Text: c.text})
		if a.Form != c.form || len(a.Errors) != 0 || len(a.Statements) != 1 || a.Statements[0].Error != nil {
			t.Fatalf("%q: %+v", c.text, a)
		}
		for _, name := range c.names {
			nodeByName(t, a.Statements[0], name)
		}
	}
	for _, text := range []string{"", " \n", "dim i=2\n# nothing to draw"} {
		a := call[analysis](t, s, "/api/analyze", analyzeRequest{Text: text})
		if len(a.Errors) != 0 || len(a.Statements) != 0 || a.Note == "" {
			t.Errorf("%q: %+v", text, a)
		}
	}
	a := call[analysis](t, s, "/api/analyze", analyzeRequest{Text: "rearrange(T, 'i j -> j i')"})
	if a.Form != "call" || len(a.Errors) != 0 || len(a.Statements) != 0 || !strings.Contains(a.Note, "rearrange") {
		t.Fatalf("rearrange: %+v", a)
	}
}

// Every example of the gallery is drawn, each of its tensors found in the
// drawing, and its contractions cover all its data tensors. An example the
// library rejects shows the library's error, located.
func TestAnalyzeGallery(t *testing.T) {
	s := newServer(t, Options{})
	for _, e := range examples.All() {
		a := call[analysis](t, s, "/api/analyze", analyzeRequest{Text: e.Text})
		d, err := compile(e.Text, nil, 2)
		if err != nil {
			t.Logf("%s: the library rejects it: %v", e.Name, err)
			if len(a.Errors) != 1 || a.Errors[0].Msg != err.Error() || a.Errors[0].Line == 0 || len(a.Statements) != 0 {
				t.Errorf("%s: errors %v, %d statements", e.Name, a.Errors, len(a.Statements))
			}
			continue
		}
		if len(a.Errors) != 0 || len(a.Statements) == 0 {
			t.Fatalf("%s: errors %v, %d statements", e.Name, a.Errors, len(a.Statements))
		}
		for i, st := range a.Statements {
			if st.Error != nil {
				t.Errorf("%s: statement %d not drawn: %s", e.Name, i, st.Error.Msg)
				continue
			}
			want := 0
			for _, term := range d.stmts[i].terms() {
				want += countNodes(term.Net)
			}
			if len(st.Nodes) != want {
				t.Errorf("%s: statement %d: %d tensors found in the drawing, want %d", e.Name, i, len(st.Nodes), want)
			}
			for _, n := range st.Nodes {
				if !strings.Contains(st.SVG, `data-id="`+n.ID+`"`) {
					t.Errorf("%s: statement %d: tensor %s (%s) is not in the SVG", e.Name, i, n.Name, n.ID)
				}
			}
			ids := map[string]bool{}
			for _, n := range st.Nodes {
				ids[n.ID] = true
			}
			for _, c := range st.Contractions {
				if len(c.Steps) != len(c.Operands)-1 || c.Label == "" {
					t.Errorf("%s: statement %d, %s: %d steps for %d tensors", e.Name, i, c.Label, len(c.Steps), len(c.Operands))
				}
				for _, step := range c.Steps {
					for _, id := range append(slices.Clone(step.A), step.B...) {
						if !ids[id] {
							t.Errorf("%s: statement %d, %s: step %q joins %q, which is not drawn", e.Name, i, c.Label, step.Expr, id)
						}
					}
				}
			}
		}
	}
}

// Leg sizes are assumed one leg at a time, so that a size fixed through an
// identity is inferred rather than overridden.
func TestCompileAssumesOnlyOpenSizes(t *testing.T) {
	d, err := compile("dim i=5\nX[i j] = A[i k] I[k j]", nil, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.assumed) != 1 || d.assumed["k"] != 2 || d.stmts[0].rhs.Sizes["j"] != 2 {
		t.Errorf("assumed %v, sizes %v", d.assumed, d.stmts[0].rhs.Sizes)
	}
	d, err = compile("dim k=4\nX[i j] = A[i k] I[k j]", nil, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.assumed) != 1 || d.assumed["i"] != 2 || d.stmts[0].rhs.Sizes["j"] != 4 {
		t.Errorf("assumed %v, sizes %v", d.assumed, d.stmts[0].rhs.Sizes)
	}
}

func TestUTF16Offsets(t *testing.T) {
	text := "a α 𝔸 b"
	for _, c := range []struct{ bytePos, u16 int }{{0, 0}, {1, 1}, {2, 2}, {4, 3}, {5, 4}, {9, 6}, {len(text), 8}} {
		if got := utf16Offset(text, c.bytePos); got != c.u16 {
			t.Errorf("utf16Offset(%d) = %d, want %d", c.bytePos, got, c.u16)
		}
	}
}
