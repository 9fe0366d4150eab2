package grad

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/strand-tn/strand/contract"
	"github.com/strand-tn/strand/network"
	"github.com/strand-tn/strand/notation"
	"github.com/strand-tn/strand/tensor"
)

// funcProgram returns a scalar program that applies function f to a
// matrix-vector product (so that derivatives go through the chain rule),
// weighted by a tensor c so that every output element matters.
func funcProgram(f string) string {
	arg := "A[i j] x[j] B[i k]"
	switch f {
	case "log", "sqrt", "pow", "prod", "inv":
		// Positive arguments: exp keeps them so.
		arg = "exp(A[i j] x[j] B[i k])[i k]"
	}
	args := ""
	if f == "pow" {
		args = ", 2.5"
	}
	switch {
	case isReduction(f):
		return fmt.Sprintf("dim i=3 j=4 k=3\nz = c[i] %s_k(%s%s)[i]", f, arg, args)
	case isNormalisation(f):
		return fmt.Sprintf("dim i=3 j=4 k=3\nz = c[i k] %s_k(%s%s)[i k]", f, arg, args)
	}
	return fmt.Sprintf("dim i=3 j=4 k=3\nz = c[i k] %s(%s%s)[i k]", f, arg, args)
}

func isReduction(f string) bool {
	return slices.Contains([]string{"sum", "mean", "max", "min", "prod", "norm", "logsumexp"}, f)
}

func isNormalisation(f string) bool {
	return slices.Contains([]string{"softmax", "logsoftmax", "layernorm", "hardmax", "hardmin"}, f)
}

func TestEveryFunctionHasARule(t *testing.T) {
	for _, f := range contract.Functions() {
		if rules[f] == nil {
			t.Errorf("no derivative rule for %s", f)
		}
		if _, ok := contract.Derivative(f); !ok && !isReduction(f) && !isNormalisation(f) {
			t.Errorf("%s is neither elementwise, a reduction nor a normalisation", f)
		}
	}
}

// TestFunctionDerivatives differentiates a network through every function
// three ways: symbolically (Derive, then Simplify), in reverse mode
// (Gradient) and by central differences; all agree to 1e-7 relative. For the
// smooth functions the symbolic Hessian (differentiating the derivative)
// agrees with central differences of the gradient too, which exercises the
// rules of the functions derivatives are written with.
func TestFunctionDerivatives(t *testing.T) {
	kinked := map[string]bool{"abs": true, "relu": true, "max": true, "min": true, "sign": true, "step": true, "hardmax": true, "hardmin": true}
	for _, f := range contract.Functions() {
		t.Run(f, func(t *testing.T) {
			prog := resolve(t, funcProgram(f))
			x := last(t, prog)
			inputs := inputsByName(t, prog, 3)
			b := bind(prog, inputs)
			fd := centralDiff(t, x, prog, inputs, "A", 1e-3)

			d, err := Derive(x, "A")
			if err != nil {
				t.Fatal(err)
			}
			s, err := Simplify(d)
			if err != nil {
				t.Fatal(err)
			}
			if e := relErr(eval(t, s, b), fd); e > 1e-7 {
				t.Errorf("symbolic derivative: relative error %g\n%s", e, Format(s, "d"))
			}
			g, err := Compile[float64](prog, []string{"A", "x"}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			res, err := g.ValueAndGrad(b)
			if err != nil {
				t.Fatal(err)
			}
			if e := relErr(res.Grads["A"], fd); e > 1e-7 {
				t.Errorf("reverse mode: relative error %g", e)
			}
			if e := relErr(res.Value, eval(t, x, b)); e > 1e-14 {
				t.Errorf("reverse mode value differs by %g", e)
			}
			if kinked[f] || f == "prod" {
				return
			}
			h, err := Derive(s, "x")
			if err != nil {
				t.Fatal(err)
			}
			if h, err = Simplify(h); err != nil {
				t.Fatal(err)
			}
			fd2 := centralDiff(t, s, prog, inputs, "x", 1e-3)
			if e := relErr(eval(t, h, b), fd2); e > 1e-6 {
				t.Errorf("second derivative: relative error %g", e)
			}
		})
	}
}

// TestGradientPrograms runs reverse mode through programs that define
// tensors, sum terms, invert matrices, use diagonal and transposed tensors
// and shifted copy tensors, and compares every gradient with central
// differences.
func TestGradientPrograms(t *testing.T) {
	cases := []struct {
		name, src string
		wrt       []string
	}{
		{"dense σ network", "dim a=4 b=5 c=5 o=2\ny[o] = σ(W3[o c] σ(W2[c b] σ(W1[b a] x[a])))\nz = t[o] y[o]", []string{"W1", "W2", "W3", "x"}},
		{"attention block", "dim q=4 k=4 e=6 f=6 d=3 h=2\nA[h q k] = softmax_k(0.5 x[q e] W_Q[h e d] x[k f] W_K[h f d] + M[q k] δ[h])\n" +
			"o[q e] = x[q e] + A[h q k] x[k f] W_V[h f d] W_O[h d e]\nz = Σ_q Σ_e T[q e] layernorm_e(o[q e])", []string{"W_Q", "W_K", "W_V", "W_O", "x", "A"}},
		{"cross entropy", "dim s=5 e=4 v=6\nL = -Y[s v] logsoftmax_v(h[s e] U[e v])[s v]", []string{"U", "h"}},
		{"inverse", "dim i=3 j=3\nz = u[i] X⁻¹[i j] w[j] + X⁻¹[i i]", []string{"X", "u"}},
		{"diagonal and transpose", "dim i=3 j=3 k=4\nD: diagonal\nz = Bᵀ[k i] D[i j] C[j k] + B[i k] B[i k]", []string{"D", "B", "C"}},
		{"shifted delta and grouping", "dim k=4 q=4 e=2 f=2\nP[k q] = δ[k q+1]\nR[(e f) q] = x[q e] y[q f]\nz = R[(e f) q] P[k q] S[(e f) k]", []string{"x", "y", "S"}},
		{"hyperedge and Σ", "dim i=3 j=4\nz = Σ_i A[i j] b[j] c[j] A[i j]", []string{"A", "b"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			prog := resolve(t, c.src)
			inputs := inputsByName(t, prog, 11)
			if inputs["X"] != nil {
				inputs["X"].AddScaled(3, tensor.Eye[float64](3)) // well conditioned
			}
			g, err := Compile[float64](prog, c.wrt, Options{})
			if err != nil {
				t.Fatal(err)
			}
			res, err := g.ValueAndGrad(bind(prog, inputs))
			if err != nil {
				t.Fatal(err)
			}
			x := last(t, prog)
			if e := relErr(res.Value, eval(t, x, bind(prog, inputs))); e > 1e-13 {
				t.Errorf("value differs by %g", e)
			}
			for _, w := range c.wrt {
				if inputs[w] == nil {
					// A defined tensor: differentiate with it kept.
					kx, err := Inline(prog, len(prog.Statements)-1, w)
					if err != nil {
						t.Fatal(err)
					}
					d, err := Derive(kx, w)
					if err != nil {
						t.Fatal(err)
					}
					b := bind(prog, inputs)
					b.Named = res.Values
					want := eval(t, d, b)
					if e := relErr(reshaped(t, res.Grads[w], want.Shape()), want); e > 1e-10 {
						t.Errorf("∂/∂%s: relative error %g against the symbolic derivative", w, e)
					}
					continue
				}
				fd := centralDiff(t, x, prog, inputs, w, 1e-3)
				if e := relErr(reshaped(t, res.Grads[w], fd.Shape()), fd); e > 1e-7 {
					t.Errorf("∂/∂%s: relative error %g", w, e)
				}
			}
		})
	}
}

func TestVJP(t *testing.T) {
	prog := resolve(t, "dim i=3 j=4\ny[i] = tanh(A[i j] x[j])")
	inputs := inputsByName(t, prog, 5)
	g, err := Compile[float64](prog, []string{"A"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b := bind(prog, inputs)
	if _, err := g.ValueAndGrad(b); err == nil {
		t.Error("ValueAndGrad of a vector value: want an error")
	}
	seed := tensor.RandNormal[float64](tensor.NewRand(2), 3)
	res, err := g.VJP(b, seed)
	if err != nil {
		t.Fatal(err)
	}
	d, err := Derive(last(t, prog), "A")
	if err != nil {
		t.Fatal(err)
	}
	jac := eval(t, d, b) // [i, i', j]
	want, err := contract.Einsum(contract.Spec{Inputs: [][]string{{"i"}, {"i", "a", "b"}}, Output: []string{"a", "b"}}, seed, jac)
	if err != nil {
		t.Fatal(err)
	}
	if e := relErr(res.Grads["A"], want); e > 1e-12 {
		t.Errorf("VJP differs from seed · Jacobian by %g", e)
	}
	if _, err := g.VJP(b, tensor.Zeros[float64](4)); err == nil {
		t.Error("a seed of the wrong shape: want an error")
	}
}

func TestGradientFloat32(t *testing.T) {
	prog := resolve(t, "dim i=3 j=4\nz = Σ_i exp(W[i j] x[j])")
	inputs := inputsByName(t, prog, 5)
	g64, err := Compile[float64](prog, []string{"W"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	g32, err := Compile[float32](prog, []string{"W"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r64, err := g64.ValueAndGrad(bind(prog, inputs))
	if err != nil {
		t.Fatal(err)
	}
	var in32 []*tensor.Dense[float32]
	for _, in := range prog.Inputs {
		in32 = append(in32, tensor.Convert[float32](inputs[in.Name]))
	}
	r32, err := g32.ValueAndGrad(contract.Bindings[float32]{Inputs: in32})
	if err != nil {
		t.Fatal(err)
	}
	if e := relErr(tensor.Convert[float64](r32.Grads["W"]), r64.Grads["W"]); e > 1e-5 {
		t.Errorf("float32 gradient differs by %g", e)
	}
}

func TestGradientErrors(t *testing.T) {
	prog := resolve(t, "dim i=3\nz = a[i] b[i]\na[i] == b[i]")
	if _, err := Compile[float64](prog, []string{"nosuch"}, Options{}); err == nil {
		t.Error("an unknown tensor: want an error")
	}
	only := resolve(t, "dim i=3\na[i] == b[i]")
	if _, err := Compile[float64](only, []string{"a"}, Options{}); err == nil {
		t.Error("nothing to differentiate: want an error")
	}
	g, err := Compile[float64](prog, []string{"a"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.ValueAndGrad(contract.Bindings[float64]{}); err == nil {
		t.Error("no inputs bound: want an error")
	}
	wrong := []*tensor.Dense[float64]{tensor.Zeros[float64](4), tensor.Zeros[float64](3)}
	if _, err := g.ValueAndGrad(contract.Bindings[float64]{Inputs: wrong}); err == nil {
		t.Error("an input of the wrong shape: want an error")
	}
	// A tensor the value does not depend on has a zero gradient.
	g, err = Compile[float64](resolve(t, "dim i=3\nu[i] = c[i]\nz = a[i] b[i]"), []string{"c"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := tensor.Zeros[float64](3)
	res, err := g.ValueAndGrad(contract.Bindings[float64]{Inputs: []*tensor.Dense[float64]{r, r, r}})
	if err != nil || res.Grads["c"].MaxAbs() != 0 {
		t.Errorf("unused tensor: %v, %v", res, err)
	}
}

func TestDeriveErrors(t *testing.T) {
	for _, c := range []struct{ src, wrt, msg string }{
		{"dim i=3\nz = a[i] b[i]", "c", "does not contain tensor c"},
		{"dim i=3\nz = Σ_i f(a[i], b[i])", "a", "one tensor argument"},
		{"dim i=3\nz = Σ_i nosuch(a[i])", "a", "no derivative rule"},
		{"dim i=3\nz = Σ_i pow(a[i])", "a", "numeric parameters"},
		{"dim i=3\nz = Σ_i exp(a[i], 2)", "a", "numeric parameters"},
	} {
		p, err := notation.ParseProgram(c.src)
		if err != nil {
			t.Fatal(err)
		}
		prog, err := network.FromProgram(p, network.ProgramOptions{})
		if err != nil {
			t.Fatalf("%s: %v", c.src, err)
		}
		_, err = Derive(prog.Statements[0].RHS, c.wrt)
		if err == nil || !strings.Contains(err.Error(), c.msg) || !strings.HasPrefix(err.Error(), "grad: ") {
			t.Errorf("%s: error %v, want one mentioning %q", c.src, err, c.msg)
		}
	}
	// numpy broadcasting: a size-1 leg against a larger one.
	e, err := notation.ParseEinsum("ij,ij->ij")
	if err != nil {
		t.Fatal(err)
	}
	n, err := network.FromEinsum(e, [][]int{{1, 3}, {2, 3}})
	if err != nil {
		t.Fatal(err)
	}
	x := &network.Expr{Terms: []*network.Term{{Coef: 1, Net: n}}, Output: n.Output, OutputGroups: n.OutputGroups, Sizes: n.Sizes}
	if _, err := Derive(x, "A"); err == nil || !strings.Contains(err.Error(), "broadcast") {
		t.Errorf("broadcast leg: %v", err)
	}
	if _, err := NewSweep[float64](n, Options{}); err == nil || !strings.Contains(err.Error(), "broadcast") {
		t.Errorf("broadcast leg in a sweep: %v", err)
	}
}

func TestGradientConcurrent(t *testing.T) {
	prog := resolve(t, "dim q=4 k=4 d=3\nL = Σ_q Σ_k G[q k] softmax_k(Q[q d] K[k d])[q k]")
	inputs := inputsByName(t, prog, 8)
	g, err := Compile[float64](prog, []string{"Q", "K"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b := bind(prog, inputs)
	want, err := g.ValueAndGrad(b)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	for range 4 {
		go func() {
			for range 20 {
				res, err := g.ValueAndGrad(b)
				if err == nil && (relErr(res.Grads["Q"], want.Grads["Q"]) != 0 || relErr(res.Grads["K"], want.Grads["K"]) != 0) {
					err = fmt.Errorf("concurrent evaluations disagree")
				}
				if err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
