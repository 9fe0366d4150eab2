package grad

import (
	"math"
	"slices"
	"testing"

	"github.com/strand-tn/strand/contract"
	"github.com/strand-tn/strand/network"
	"github.com/strand-tn/strand/notation"
	"github.com/strand-tn/strand/tensor"
)

// resolve parses and resolves an index-notation program whose sizes its
// dim lines give.
func resolve(t testing.TB, src string) *network.Program {
	t.Helper()
	p, err := notation.ParseProgram(src)
	if err != nil {
		t.Fatalf("%s\n%v", src, err)
	}
	prog, err := network.FromProgram(p, network.ProgramOptions{})
	if err != nil {
		t.Fatalf("%s\n%v", src, err)
	}
	return prog
}

// last returns the program's last statement, inlined.
func last(t testing.TB, prog *network.Program) *network.Expr {
	t.Helper()
	x, err := Inline(prog, len(prog.Statements)-1)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// inputsByName draws seeded random inputs of the kinds the program declares.
func inputsByName(t testing.TB, prog *network.Program, seed uint64) map[string]*tensor.Dense[float64] {
	t.Helper()
	xs, err := contract.RandomInputs(prog, seed)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]*tensor.Dense[float64]{}
	for i, in := range prog.Inputs {
		m[in.Name] = xs[i]
	}
	return m
}

// bind orders tensors by name as a program's inputs.
func bind(prog *network.Program, byName map[string]*tensor.Dense[float64]) contract.Bindings[float64] {
	b := contract.Bindings[float64]{}
	for _, in := range prog.Inputs {
		b.Inputs = append(b.Inputs, byName[in.Name])
	}
	return b
}

func eval(t testing.TB, x *network.Expr, b contract.Bindings[float64]) *tensor.Dense[float64] {
	t.Helper()
	v, err := contract.EvalExpr(x, b, contract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// centralDiff returns ∂x/∂W by central differences, W the program input
// named w: shape x's value's shape followed by W's. One Richardson step,
// (4 D(h/2) − D(h))/3 from D(h) = (f(x+h) − f(x−h))/2h, cancels the O(h²)
// error: with h = 1e-3 what is left is O(h⁴) ≈ 1e-12 relative and rounding
// O(ε/h) ≈ 1e-13.
func centralDiff(t testing.TB, x *network.Expr, prog *network.Program, byName map[string]*tensor.Dense[float64], w string, h float64) *tensor.Dense[float64] {
	t.Helper()
	W := byName[w]
	base := eval(t, x, bind(prog, byName))
	out := tensor.Zeros[float64](append(base.Shape(), W.Shape()...)...)
	od := out.Data()
	n := W.Size()
	for e := range n {
		at := func(delta float64) *tensor.Dense[float64] {
			p := W.Clone()
			p.Data()[e] += delta
			m := map[string]*tensor.Dense[float64]{}
			for k, v := range byName {
				m[k] = v
			}
			m[w] = p
			return eval(t, x, bind(prog, m))
		}
		p1, m1 := at(h).Data(), at(-h).Data()
		p2, m2 := at(h/2).Data(), at(-h/2).Data()
		for o := range p1 {
			d1 := (p1[o] - m1[o]) / (2 * h)
			d2 := (p2[o] - m2[o]) / h
			od[o*n+e] = (4*d2 - d1) / 3
		}
	}
	return out
}

// relErr returns max|got − want| / max|want|.
func relErr(got, want *tensor.Dense[float64]) float64 {
	return tensor.MaxAbsDiff(got, want) / math.Max(want.MaxAbs(), 1e-300)
}

// reshaped returns v with the shape given.
func reshaped(t testing.TB, v *tensor.Dense[float64], shape []int) *tensor.Dense[float64] {
	t.Helper()
	if slices.Equal(v.Shape(), shape) {
		return v
	}
	r, err := v.Reshape(shape...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
