package grad

import (
	"strings"
	"testing"

	"github.com/strand-tn/strand/network"
	"github.com/strand-tn/strand/notation"
)

// Known derivatives: each is differentiated symbolically, simplified, and
// compared with its textbook form (the same terms up to renaming, by
// canonical forms) and with central finite differences, to a relative
// error below 1e-7 in float64 (step 1e-5: truncation O(h²) ≈ 1e-10 and
// rounding O(ε/h) ≈ 1e-11 relative).
var known = []struct {
	name, src string
	wrt       []string // differentiate in turn: two names give a Hessian
	textbook  string   // the last statement is the expected derivative
}{
	{"trace", "dim i=3 j=3\nz = B[j i] A[i j]", []string{"A"},
		"dim i=3 j=3\nd[i j] = Bᵀ[i j]"},
	{"quadratic form gradient", "dim i=4 j=4\nz = x[i] A[i j] x[j]", []string{"x"},
		"dim i=4 j=4\ng[i] = A[i j] x[j] + Aᵀ[i j] x[j]"},
	{"quadratic form Hessian", "dim i=4 j=4\nz = x[i] A[i j] x[j]", []string{"x", "x"},
		"dim i=4 j=4\nH[i j] = A[i j] + Aᵀ[i j]"},
	{"bᵀXᵀXc", "dim i=5 j=3 k=3\nz = b[j] Xᵀ[j i] X[i k] c[k]", []string{"X"},
		"dim i=5 j=3 k=3\nG[i j] = X[i k] b[k] c[j] + X[i k] c[k] b[j]"},
	{"sum of exp(Wx)", "dim i=3 j=4\nz = Σ_i exp(W[i j] x[j])", []string{"W"},
		"dim i=3 j=4 k=4\nG[i j] = exp(W[i k] x[k])[i] x[j]"},
	{"sum_i of exp(Wx)", "dim i=3 j=4\nz = sum_i(exp(W[i j] x[j]))", []string{"W"},
		"dim i=3 j=4 k=4\nG[i j] = exp(W[i k] x[k])[i] x[j]"},
	{"least squares, expanded", "dim s=6 a=3 b=3 o=2\nL = (X[s a] W[a o] - Y[s o]) (X[s b] W[b o] - Y[s o])", []string{"W"},
		"dim s=6 a=3 b=3 o=2\nG[a o] = 2 X[s a] X[s b] W[b o] - 2 X[s a] Y[s o]"},
	{"least squares, square bubble", "dim s=6 a=3 o=2\nL = Σ_s Σ_o square(X[s a] W[a o] - Y[s o])", []string{"W"},
		"dim s=6 a=3 b=3 o=2\nG[a o] = 2 X[s a] X[s b] W[b o] - 2 X[s a] Y[s o]"},
	{"softmax attention", "dim q=3 k=4 d=2 e=3\nL = G[q e] softmax_k(Q[q d] K[k d])[q k] V[k e]", []string{"Q"},
		"dim q=3 k=4 k2=4 d=2 d2=2 d3=2 e=3\n" +
			"dQ[q d] = softmax_k(Q[q d2] K[k d2])[q k] G[q e] V[k e] K[k d] " +
			"- softmax_k(Q[q d2] K[k d2])[q k] G[q e] V[k e] softmax_k2(Q[q d3] K[k2 d3])[q k2] K[k2 d]"},
}

func TestKnownDerivatives(t *testing.T) {
	for _, c := range known {
		t.Run(c.name, func(t *testing.T) {
			prog := resolve(t, c.src)
			x := last(t, prog)
			d := x
			for _, w := range c.wrt {
				var err error
				if d, err = Derive(d, w); err != nil {
					t.Fatal(err)
				}
			}
			s, err := Simplify(d)
			if err != nil {
				t.Fatal(err)
			}
			tbProg := resolve(t, c.textbook)
			tb := last(t, tbProg)
			if len(s.Terms) != len(tb.Terms) {
				t.Fatalf("simplified to %d terms, the textbook form has %d:\n%s", len(s.Terms), len(tb.Terms), Format(s, "d"))
			}
			if eq, err := Equal(s, tb); err != nil || !eq {
				t.Fatalf("not the textbook form (%v):\n%s", err, Format(s, "d"))
			}

			inputs := inputsByName(t, prog, 7)
			got := eval(t, s, bind(prog, inputs))
			raw := eval(t, d, bind(prog, inputs))
			if e := relErr(raw, got); e > 1e-12 {
				t.Errorf("simplifying changed the value by %g", e)
			}
			tbv := eval(t, tb, bind(tbProg, inputs))
			if e := relErr(tbv, got); e > 1e-12 {
				t.Errorf("the textbook form differs numerically by %g", e)
			}
			// Central differences of the first derivative for a Hessian.
			f := x
			for _, w := range c.wrt[:len(c.wrt)-1] {
				var err error
				if f, err = Derive(f, w); err != nil {
					t.Fatal(err)
				}
			}
			fd := centralDiff(t, f, prog, inputs, c.wrt[len(c.wrt)-1], 1e-3)
			if e := relErr(reshaped(t, got, fd.Shape()), fd); e > 1e-7 {
				t.Errorf("relative error against central differences %g > 1e-7", e)
			}

			// The printed derivative parses back to the same values.
			text := Format(s, "d")
			p, err := notation.ParseProgram(text)
			if err != nil {
				t.Fatalf("%s\n%v", text, err)
			}
			shapes := map[string][]int{}
			for _, in := range prog.Inputs {
				shapes[in.Name] = in.Shape
			}
			back, err := network.FromProgram(p, network.ProgramOptions{Shapes: onlyRead(p, shapes)})
			if err != nil {
				t.Fatalf("%s\n%v", text, err)
			}
			bv := eval(t, back.Statements[len(back.Statements)-1].RHS, bind(back, inputs))
			if e := relErr(bv, got); e > 1e-12 {
				t.Errorf("the printed derivative evaluates differently (%g):\n%s", e, text)
			}
			if testing.Verbose() {
				t.Logf("\n%s", strings.TrimSpace(text))
			}
		})
	}
}

// onlyRead keeps the shapes of the tensors a parsed program reads.
func onlyRead(p *notation.Program, shapes map[string][]int) map[string][]int {
	text := notation.Format(p)
	out := map[string][]int{}
	for name, s := range shapes {
		if strings.Contains(text, name+"[") || strings.Contains(text, name+"ᵀ[") {
			out[name] = s
		}
	}
	return out
}
