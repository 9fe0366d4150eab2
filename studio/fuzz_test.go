package studio

import (
	"context"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/strand-tn/strand/examples"
	"github.com/strand-tn/strand/notation"
)

// FuzzAnalyze feeds any text to the analysis: it never fails the request
// (only a context can), every error it reports lies inside the text, and a
// text it draws has a statement span inside the text.
func FuzzAnalyze(f *testing.F) {
	for _, e := range examples.All() {
		f.Add(e.Text)
	}
	for _, s := range []string{seed, "ij,jk->ik", "einsum(A, B, 'i j, j k -> i k')", "rearrange(T, 'i j -> j i')",
		"M[i j] = A[i α β] v[β] B[β α j", "y = gelu(W[b a] x[a])", "@A(0, 1)\nC[i k] = A[i j] B[j k]", "𝔸[i] = 𝔹[i]"} {
		f.Add(s)
	}
	s := newServer(f, Options{MaxTensors: 40})
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 2000 {
			return
		}
		a, err := s.analyze(context.Background(), &analyzeRequest{Text: text})
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		n := len(utf16.Encode([]rune(text)))
		for _, e := range a.Errors {
			if e.Offset < -1 || e.Offset > n || e.Msg == "" {
				t.Errorf("%q: error %+v outside the text of %d units", text, e, n)
			}
		}
		for _, st := range a.Statements {
			if st.Offset < 0 || st.End > n || st.Offset > st.End {
				t.Errorf("%q: statement span %d..%d outside the text of %d units", text, st.Offset, st.End, n)
			}
		}
	})
}

// FuzzMove drags any tensor of any text anywhere: the answer is an error
// or a text that still compiles, with the pin written into it.
func FuzzMove(f *testing.F) {
	f.Add(seed, 0, 0.0, 0.0)
	f.Add("dim i=2 j=3 k=4\n@A(0, 0) @B(1, 0)\nC[i k] = A[i j] B[j k]  # c\n", 1, 100.0, -40.0)
	f.Add("U: isometry(i j -> k)\nP[i j l m] = U[i j k] U†[k l m] @U†(2, 0)", 1, 3.5, 1e9)
	s := newServer(f, Options{MaxTensors: 40})
	f.Fuzz(func(t *testing.T, text string, node int, x, y float64) {
		if len(text) > 2000 {
			return
		}
		a, err := s.analyze(context.Background(), &analyzeRequest{Text: text})
		if err != nil || len(a.Statements) == 0 || a.Form != "program" {
			return
		}
		st := a.Statements[0]
		if len(st.Nodes) == 0 {
			return
		}
		target := st.Nodes[(node%len(st.Nodes)+len(st.Nodes))%len(st.Nodes)]
		m, err := s.move(context.Background(), &moveRequest{Text: text, Statement: 0, Node: target.ID, X: x, Y: y})
		if err != nil {
			return
		}
		if _, err := notation.ParseProgram(m.Text); err != nil {
			t.Fatalf("%q moved to %q, which does not parse: %v", text, m.Text, err)
		}
		if !strings.Contains(m.Text, "@"+target.Name+"(") {
			t.Fatalf("%q: no pin for %s in %q", text, target.Name, m.Text)
		}
	})
}
