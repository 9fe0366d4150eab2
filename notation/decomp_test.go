package notation

import (
	"strings"
	"testing"
)

func TestDecompositionStatements(t *testing.T) {
	for _, src := range []string{
		"U[i a] λ[a] V†[a k] = svd(M[i k])",
		"Q[i a] R[a k] = qr(M[i k])",
		"λ[s] A[i s] B[j s] C[k s] = cp(T[i j k])",
		"G[a b c] U[i a] V[j b] W[k c] = tucker(T[i j k])",
		"A[i a] B[a j b] C[b k] = tt(X[i j c] Y[c k])",
	} {
		p, err := ParseProgram(src)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		d, ok := p.Stmts[0].(*DecompStmt)
		if !ok {
			t.Fatalf("%s: parsed as %T", src, p.Stmts[0])
		}
		if got := strings.TrimSpace(Format(p)); got != src {
			t.Errorf("format %q, want %q", got, src)
		}
		if d.Call.Func != strings.Fields(strings.SplitN(src, "= ", 2)[1])[0][:len(d.Call.Func)] {
			t.Errorf("%s: function %q", src, d.Call.Func)
		}
	}
}

func TestDecompositionErrors(t *testing.T) {
	for _, c := range []struct {
		src string
		col int
		msg string
	}{
		{"U[i a] V[a k] = gelu(M[i k])", 17, "need a decomposition on the right"},
		{"U[i a] V[a k] = M[i k]", 17, "need a decomposition on the right"},
		{"U[i a] V⁻¹[a k] = svd(M[i k])", 1, "the factors of a decomposition"},
		{"U[i a] V[a k] = svd(M[i k], N[k])", 17, "takes one tensor expression"},
		{"2 U[i a] = svd(M[i k])", 1, "the factors of a decomposition"},
	} {
		_, err := ParseProgram(c.src)
		var se *SyntaxError
		list, ok := err.(ErrorList)
		if ok && len(list) > 0 {
			se = list[0]
		} else if e, ok := err.(*SyntaxError); ok {
			se = e
		}
		if se == nil || se.Col != c.col || !strings.Contains(se.Msg, c.msg) {
			t.Errorf("%q: got %v, want column %d %q", c.src, err, c.col, c.msg)
		}
	}
}
