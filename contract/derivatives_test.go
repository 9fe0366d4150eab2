package contract

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/strand-tn/strand/tensor"
)

// Central differences with step h have error O(h²f‴) + O(ε|f|/h); h = 1e-5
// keeps both near 1e-10 for the smooth functions here, so 1e-7 relative is a
// safe bound.
const (
	fdStep = 1e-5
	fdTol  = 1e-7
)

func TestEveryElementwiseFunctionHasADerivative(t *testing.T) {
	for name := range elementwise {
		if _, ok := Derivative(name); !ok {
			t.Errorf("no derivative for elementwise function %s", name)
		}
	}
	for name := range derivatives {
		if _, ok := elementwise[name]; !ok {
			t.Errorf("derivative of %s, which is not an elementwise function", name)
		}
	}
}

func TestDerivativesMatchFiniteDifferences(t *testing.T) {
	general := []float64{-2.3, -0.7, -0.1, 0.35, 1.2, 2.8}
	positive := []float64{0.2, 0.9, 1.7, 3.1}
	params := map[string][][]float64{"pow": {{2.5}, {-1.5}, {3}}}
	for name, f := range elementwise {
		d, _ := Derivative(name)
		xs := general
		if name == "log" || name == "sqrt" || name == "pow" {
			xs = positive
		}
		ps := params[name]
		if ps == nil {
			ps = [][]float64{nil}
		}
		for _, p := range ps {
			for _, x := range xs {
				fd := (f(x+fdStep, p) - f(x-fdStep, p)) / (2 * fdStep)
				got := d(x, p)
				if math.Abs(got-fd) > fdTol*max(1, math.Abs(fd)) {
					t.Errorf("%s′(%g) with params %v = %.12g, central difference %.12g", name, x, p, got, fd)
				}
			}
		}
	}
}

// dot returns ⟨a, b⟩ for tensors of one shape.
func dot(a, b *tensor.Dense[float64]) float64 {
	return tensor.Mul(a, b).Sum()
}

func TestFuncVJPMatchesFiniteDifferences(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 1))
	var names []string
	for name := range reductions {
		names = append(names, name)
	}
	for name := range normalisations {
		names = append(names, name)
	}
	names = append(names, "exp", "gelu_new", "tanh", "pow")
	slices.Sort(names)
	labels := []string{"a", "k", "b"}
	for _, name := range names {
		for _, leg := range []string{"k", "a", "b"} {
			var params []float64
			if name == "pow" {
				params = []float64{1.5}
			}
			if derivatives[name] != nil {
				if leg != "k" {
					continue
				}
				leg = ""
			}
			x := tensor.RandUniform[float64](r, 0.5, 2, 3, 4, 2)
			if name != "prod" && name != "pow" {
				x = tensor.RandNormal[float64](r, 3, 4, 2)
			}
			y, _, err := ApplyFunc(name, leg, params, x, labels)
			if err != nil {
				t.Fatal(err)
			}
			ybar := tensor.RandNormal[float64](r, y.Shape()...)
			xbar, err := FuncVJP(name, leg, params, x, labels, ybar)
			if err != nil {
				t.Fatalf("%s_%s: %v", name, leg, err)
			}
			if !slices.Equal(xbar.Shape(), x.Shape()) {
				t.Fatalf("%s_%s: x̄ has shape %v, x %v", name, leg, xbar.Shape(), x.Shape())
			}
			loss := func(v *tensor.Dense[float64]) float64 {
				y, _, err := ApplyFunc(name, leg, params, v, labels)
				if err != nil {
					t.Fatal(err)
				}
				return dot(y, ybar)
			}
			for i := range x.Size() {
				plus, minus := x.Clone(), x.Clone()
				plus.Backing()[i] += fdStep
				minus.Backing()[i] -= fdStep
				fd := (loss(plus) - loss(minus)) / (2 * fdStep)
				if got := xbar.Backing()[i]; math.Abs(got-fd) > fdTol*max(1, math.Abs(fd)) {
					t.Errorf("%s_%s: x̄[%d] = %.12g, central difference %.12g", name, leg, i, got, fd)
				}
			}
		}
	}
}

func TestFuncVJPExactValues(t *testing.T) {
	x := tensor.MustFromSlice([]float64{2, 0, 3}, 3)
	g := tensor.Scalar(1.0)
	xbar, err := FuncVJP("prod", "k", nil, x, []string{"k"}, g)
	if err != nil {
		t.Fatal(err)
	}
	if want := []float64{0, 6, 0}; !slices.Equal(xbar.Data(), want) {
		t.Errorf("prod VJP at a zero: %v, want %v", xbar.Data(), want)
	}
	xbar, err = FuncVJP("max", "k", nil, tensor.MustFromSlice([]float64{1, 5, 5}, 3), []string{"k"}, tensor.Scalar(2.0))
	if err != nil {
		t.Fatal(err)
	}
	if want := []float64{0, 2, 0}; !slices.Equal(xbar.Data(), want) {
		t.Errorf("max VJP at a tie: %v, want %v (the first maximum)", xbar.Data(), want)
	}
	y, labels, err := ApplyFunc("hardmax", "k", nil, tensor.MustFromSlice([]float64{1, 3, 2, 7, 0, 7}, 2, 3), []string{"i", "k"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []float64{0, 1, 0, 1, 0, 0}; !slices.Equal(y.Data(), want) || !slices.Equal(labels, []string{"i", "k"}) {
		t.Errorf("hardmax_k = %v %v, want %v", y.Data(), labels, want)
	}
	y, _, err = ApplyFunc("hardmin", "k", nil, tensor.MustFromSlice([]float64{1, 3, 2}, 3), []string{"k"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []float64{1, 0, 0}; !slices.Equal(y.Data(), want) {
		t.Errorf("hardmin_k = %v, want %v", y.Data(), want)
	}
	xbar, err = FuncVJP("norm", "k", nil, tensor.Zeros[float64](3), []string{"k"}, tensor.Scalar(1.0))
	if err != nil || !slices.Equal(xbar.Data(), []float64{0, 0, 0}) {
		t.Errorf("norm VJP at 0 = %v, %v; want zeros", xbar, err)
	}
}

func TestFuncVJPErrors(t *testing.T) {
	x := tensor.RandNormal[float64](tensor.NewRand(1), 2, 3)
	labels := []string{"i", "k"}
	cases := []struct {
		name, leg string
		params    []float64
		ybar      *tensor.Dense[float64]
	}{
		{"nosuch", "k", nil, tensor.Zeros[float64](2)},
		{"exp", "k", nil, x},
		{"exp", "", nil, tensor.Zeros[float64](3)},
		{"sum", "z", nil, tensor.Zeros[float64](2)},
		{"sum", "k", nil, tensor.Zeros[float64](3)},
		{"softmax", "k", nil, tensor.Zeros[float64](3, 2)},
		{"pow", "", nil, x},
	}
	for _, c := range cases {
		if _, err := FuncVJP(c.name, c.leg, c.params, x, labels, c.ybar); err == nil {
			t.Errorf("FuncVJP(%s_%s) accepted a bad call", c.name, c.leg)
		}
	}
	z := tensor.Zeros[complex128](2)
	if _, err := FuncVJP("exp", "", nil, z, []string{"i"}, z); err == nil {
		t.Error("FuncVJP accepted complex tensors")
	}
}
