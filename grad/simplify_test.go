package grad

import (
	"flag"
	"github.com/strand-tn/strand/internal/golden"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strand-tn/strand/network"
	"github.com/strand-tn/strand/notation"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

func simplified(t *testing.T, src string) (*network.Program, *network.Expr, *network.Expr) {
	t.Helper()
	prog := resolve(t, src)
	x := last(t, prog)
	s, err := Simplify(x)
	if err != nil {
		t.Fatal(err)
	}
	return prog, x, s
}

func TestSimplify(t *testing.T) {
	cases := []struct {
		src   string
		terms int
		nodes []int // nodes per term
		coefs []float64
	}{
		// Copy tensors merge into the labels they join.
		{"dim i=2 j=3 k=4\ny[i k] = A[i j] δ[j l m] B[l k] c[m]\ndim l=3 m=3", 1, []int{3}, []float64{1}},
		{"dim i=3\ny[i j] = I[i k] I[k j]\ndim j=3 k=3", 1, []int{1}, []float64{1}},
		{"dim i=3\ny[i j] = I[i j]\ndim j=3", 1, []int{1}, []float64{1}},
		// δ_ii = n folds into the coefficient.
		{"dim i=3 j=4\nz = δ[i i] a[j] b[j]", 1, []int{2}, []float64{3}},
		{"dim i=3 j=4\nz = 2 δ[i] δ[i] a[j] b[j]", 1, []int{2}, []float64{6}},
		// Inverses and isometries cancel.
		{"dim i=3 j=3 k=3\ny[i k] = X[i j] X⁻¹[j k]", 1, []int{1}, []float64{1}},
		{"dim i=3 j=3 k=3\nz = u[i] X⁻¹[i j] X[j k] v[k]", 1, []int{2}, []float64{1}},
		{"dim a=5 b=3 c=3\nV: isometry(a -> b)\ny[b c] = V†[b a] V[a c]", 1, []int{1}, []float64{1}},
		{"dim a=5 b=5\nQ: unitary\ny[a c] = Q[a b] Q†[b c]\ndim c=5", 1, []int{1}, []float64{1}},
		// V V† is not the identity for an isometry that is not square.
		{"dim a=5 b=3 c=5\nV: isometry(a -> b)\ny[a c] = V[a b] V†[b c]", 1, []int{2}, []float64{1}},
		// Equal terms add; opposite ones cancel.
		{"dim i=3\nz = a[i] b[i] + b[j] a[j]\ndim j=3", 1, []int{2}, []float64{2}},
		{"dim i=3 j=3\nz = A[i j] B[j i] - B[j i] A[i j]", 0, nil, nil},
		{"dim i=3\nz = 0.1 a[i] b[i] + 0.2 a[i] b[i] - 0.3 b[j] a[j]\ndim j=3", 0, nil, nil},
		{"dim i=3 j=4\ny[i] = σ(A[i j] x[j] + A[i k] x[k])[i] - σ(2 x[j] A[i j])[i]\ndim k=4", 0, nil, nil},
	}
	for _, c := range cases {
		prog, x, s := simplified(t, c.src)
		if len(s.Terms) != c.terms {
			t.Errorf("%s\nsimplified to %d terms, want %d:\n%s", c.src, len(s.Terms), c.terms, Format(s, "y"))
			continue
		}
		for i, term := range s.Terms {
			if len(term.Net.Nodes) != c.nodes[i] || term.Coef != c.coefs[i] {
				t.Errorf("%s\nterm %d: %g with %d nodes, want %g with %d:\n%s", c.src, i, term.Coef, len(term.Net.Nodes), c.coefs[i], c.nodes[i], Format(s, "y"))
			}
		}
		if strings.Contains(c.src, "isometry") || strings.Contains(c.src, "unitary") {
			continue // the identity holds for tensors of their kind only
		}
		inputs := inputsByName(t, prog, 4)
		for _, in := range []string{"X"} {
			if inputs[in] != nil {
				continue
			}
		}
		b := bind(prog, inputs)
		if e := relErr(eval(t, s, b), eval(t, x, b)); e > 1e-12 && eval(t, x, b).MaxAbs() > 1e-12 {
			t.Errorf("%s\nsimplifying changed the value by %g", c.src, e)
		}
	}
}

func TestEqual(t *testing.T) {
	prog := resolve(t, "dim i=3 j=3 k=3\nM[i j] = A[i k] B[k j]\nM[i j] M[j i] == B[k j] A[j i] B[i l] A[l k]\ndim l=3")
	lhs, rhs, err := inlineStatement(prog, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if eq, err := Equal(lhs, rhs); err != nil || !eq {
		t.Errorf("tr(ABAB) by the cyclic property: %v %v", eq, err)
	}
	a := last(t, resolve(t, "dim i=3\ny[i] = a[i]"))
	b := last(t, resolve(t, "dim i=3 j=3\ny[i j] = a[i] b[j]"))
	if _, err := Equal(a, b); err == nil {
		t.Error("sides with different free legs: want an error")
	}
	c := last(t, resolve(t, "dim i=4\ny[i] = a[i]"))
	if _, err := Equal(a, c); err == nil {
		t.Error("free legs of different sizes: want an error")
	}
}

func TestInline(t *testing.T) {
	prog := resolve(t, "dim i=3 j=3 k=3\nM[i j] = A[i k] B[k j]\nN[i] = a[i] + b[i]\nz = M[i j] M[j i] N[i] c[j]")
	x, err := Inline(prog, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(x.Terms) != 2 || len(x.Terms[0].Net.Nodes) != 6 {
		t.Fatalf("inlined to %d terms:\n%s", len(x.Terms), Format(x, "z"))
	}
	inputs := inputsByName(t, prog, 1)
	res, err := Compile[float64](prog, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := res.ValueAndGrad(bind(prog, inputs))
	if err != nil {
		t.Fatal(err)
	}
	if e := relErr(eval(t, x, bind(prog, inputs)), r.Value); e > 1e-13 {
		t.Errorf("the inlined expression's value differs by %g", e)
	}
	kept, err := Inline(prog, 2, "M")
	if err != nil {
		t.Fatal(err)
	}
	if len(kept.Terms) != 2 || len(kept.Terms[0].Net.Nodes) != 4 {
		t.Errorf("inlined with M kept:\n%s", Format(kept, "z"))
	}
	for _, bad := range []string{
		"dim i=3 j=3\nM[i j] = A[i j]\nz = conj(M)[i j] B[i j]",
		"dim i=5 j=5 k=3 l=3\nK[(i k) (j l)] = A[i j] B[k l]\nz = K[a b] C[a b]\ndim a=15 b=15",
	} {
		p := resolve(t, bad)
		if _, err := Inline(p, len(p.Statements)-1); err == nil {
			t.Errorf("%s\nwant an error", bad)
		}
	}
	big := "dim i=2\nM[i] = a[i] + b[i] + c[i] + d[i] + e[i] + f[i] + g[i] + h[i]\nz = M[i] M[i] M[i] M[i] M[i]"
	if _, err := Inline(resolve(t, big), 1); err == nil || !strings.Contains(err.Error(), "terms") {
		t.Errorf("an expansion past the limit: %v", err)
	}
	if _, err := Inline(prog, 7); err == nil {
		t.Error("no statement 8: want an error")
	}
}

// TestFormatRoundTrip prints expressions with the constructs the printer
// must spell out and checks that they parse back to the same values.
func TestFormatRoundTrip(t *testing.T) {
	for _, src := range []string{
		"dim i=3 j=4\nz = Σ_i Σ_j A[i j]",
		"dim k=4\nz = sum_k(a[k] b[k])",
		"dim k=4 i=3\ny[i] = max_k(A[i k] δ[k k2] c[k2])[i]\ndim k2=4",
		"dim a=5 b=3\nV: isometry(a -> b)\nD: diagonal\nS: symmetric\ny[b c] = V†[b a] V[a c] D[c d] S[d c]\ndim c=3 d=3",
		"dim i=2 j=3 k=4 l=5\nR[(i l) (k j)] = T[i j k l]",
		"dim k=5 q=5\nP[k q] = δ[k q+1] + X⁻¹[k q]",
		"dim i=3 j=4\ny[i] = 0.5 pow(A[i j] x[j], 3)[i] - 1e-05 δ[i]",
		"dim i=3\ny[i] = a[i] - a[i]",
	} {
		prog := resolve(t, src)
		x := last(t, prog)
		text := Format(x, "y")
		p, err := notation.ParseProgram(text)
		if err != nil {
			t.Fatalf("%s\nprinted as\n%s\n%v", src, text, err)
		}
		shapes := map[string][]int{}
		for _, in := range prog.Inputs {
			shapes[in.Name] = in.Shape
		}
		back, err := network.FromProgram(p, network.ProgramOptions{Shapes: onlyRead(p, shapes)})
		if err != nil {
			t.Fatalf("%s\nprinted as\n%s\n%v", src, text, err)
		}
		inputs := inputsByName(t, prog, 6)
		want := eval(t, x, bind(prog, inputs))
		got := eval(t, back.Statements[len(back.Statements)-1].RHS, bind(back, inputs))
		if d := relErr(got, want); d > 1e-12 && want.MaxAbs() > 0 {
			t.Errorf("%s\nprinted as\n%s\nevaluates differently (%g)", src, text, d)
		}
	}
}

// TestDerivativeGolden prints the derivatives of the known results, raw and
// simplified, against testdata/derivatives.golden (go test -update rewrites
// it).
func TestDerivativeGolden(t *testing.T) {
	var b strings.Builder
	for _, c := range known {
		x := last(t, resolve(t, c.src))
		for _, w := range c.wrt {
			var err error
			if x, err = Derive(x, w); err != nil {
				t.Fatal(err)
			}
		}
		s, err := Simplify(x)
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString("# " + c.name + ": ∂/∂" + strings.Join(c.wrt, " ∂/∂") + " of\n# " + strings.ReplaceAll(c.src, "\n", "\n# ") + "\n")
		b.WriteString(Format(x, "raw") + Format(s, "simplified") + "\n")
	}
	golden.Check(t, filepath.Join("testdata", "derivatives.golden"), []byte(b.String()), *update)
}
