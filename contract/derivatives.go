package contract

import (
	"fmt"
	"math"
	"slices"

	"github.com/strand-tn/strand/tensor"
)

// This file holds the derivatives of the functions a bubble may apply (see
// funcs.go): f′ for every elementwise function and the vector–Jacobian product
// x̄ = J_f(x)ᵀ ȳ for every function, which reverse-mode differentiation (package
// grad) runs backwards through bubbles. It also registers the few functions
// that derivatives are written with: sign and step (the derivatives of abs and
// relu), Φ (the standard normal CDF, in the derivative of gelu), and hardmax and
// hardmin (the one-hot of the first maximum or minimum along a leg, the
// derivatives of max and min). Where a function has a kink (abs, relu at 0) the
// derivative taken there is 0; at a tie of max or min the first extreme
// element gets the whole gradient.

// geluC is √(2/π), the constant of GPT-2's tanh approximation of GELU.
var geluC = math.Sqrt(2 / math.Pi)

// LayerNormEpsilon is the ε of layernorm_k (GPT-2's): layernorm_k x =
// (x − mean) / √(var + ε). Its derivatives, here and in package grad, use it.
const LayerNormEpsilon = 1e-5

func normCDF(x float64) float64 { return 0.5 * (1 + math.Erf(x/math.Sqrt2)) }
func normPDF(x float64) float64 { return math.Exp(-x*x/2) / math.Sqrt(2*math.Pi) }

func sign(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

func step(x float64) float64 {
	if x > 0 {
		return 1
	}
	return 0
}

func init() {
	elementwise["sign"] = func(x float64, _ []float64) float64 { return sign(x) }
	elementwise["step"] = func(x float64, _ []float64) float64 { return step(x) }
	elementwise["Φ"] = func(x float64, _ []float64) float64 { return normCDF(x) }
	elementwise["normcdf"] = elementwise["Φ"]
	normalisations["hardmax"] = func(xs []float64) { oneHot(xs, extremum(xs, 1)) }
	normalisations["hardmin"] = func(xs []float64) { oneHot(xs, extremum(xs, -1)) }
}

// extremum returns the index of the first maximum of s·xs (s = 1: the
// maximum, s = −1: the minimum), or −1 for an empty row. NaN never wins.
func extremum(xs []float64, s float64) int {
	best := -1
	for i, x := range xs {
		if best < 0 && !math.IsNaN(x) || best >= 0 && s*x > s*xs[best] {
			best = i
		}
	}
	return best
}

// oneHot sets xs to the indicator of position k.
func oneHot(xs []float64, k int) {
	for i := range xs {
		xs[i] = 0
	}
	if k >= 0 {
		xs[k] = 1
	}
}

// derivatives are f′ of the elementwise functions:
//
//	exp′ = exp, log′ = 1/x, sqrt′ = 1/(2√x), abs′ = sign, tanh′ = 1 − tanh²,
//	sin′ = cos, cos′ = −sin, relu′ = step, σ′ = σ(1 − σ), softplus′ = σ,
//	square′ = 2x, neg′ = −1, inv′ = −1/x², pow′ = p·x^(p−1),
//	gelu′ = Φ(x) + x φ(x),  Φ′ = φ (φ the standard normal density),
//	gelu_new′ = ½(1 + t) + ½x(1 − t²)·c(1 + 3·0.044715x²),
//	  with t = tanh(c(x + 0.044715x³)), c = √(2/π),
//	sign′ = step′ = 0.
var derivatives = map[string]func(x float64, params []float64) float64{
	"exp":  func(x float64, _ []float64) float64 { return math.Exp(x) },
	"log":  func(x float64, _ []float64) float64 { return 1 / x },
	"sqrt": func(x float64, _ []float64) float64 { return 0.5 / math.Sqrt(x) },
	"abs":  func(x float64, _ []float64) float64 { return sign(x) },
	"tanh": func(x float64, _ []float64) float64 { t := math.Tanh(x); return 1 - t*t },
	"sin":  func(x float64, _ []float64) float64 { return math.Cos(x) },
	"cos":  func(x float64, _ []float64) float64 { return -math.Sin(x) },
	"relu": func(x float64, _ []float64) float64 { return step(x) },
	"sigmoid": func(x float64, _ []float64) float64 {
		s := sigmoid(x, nil)
		return s * (1 - s)
	},
	"softplus": sigmoid,
	"square":   func(x float64, _ []float64) float64 { return 2 * x },
	"neg":      func(float64, []float64) float64 { return -1 },
	"inv":      func(x float64, _ []float64) float64 { return -1 / (x * x) },
	"gelu":     func(x float64, _ []float64) float64 { return normCDF(x) + x*normPDF(x) },
	"gelu_new": func(x float64, _ []float64) float64 {
		t := math.Tanh(geluC * (x + 0.044715*x*x*x))
		return 0.5*(1+t) + 0.5*x*(1-t*t)*geluC*(1+3*0.044715*x*x)
	},
	"pow":  func(x float64, p []float64) float64 { return p[0] * math.Pow(x, p[0]-1) },
	"sign": func(float64, []float64) float64 { return 0 },
	"step": func(float64, []float64) float64 { return 0 },
	"Φ":    func(x float64, _ []float64) float64 { return normPDF(x) },
}

func init() {
	derivatives["σ"] = derivatives["sigmoid"]
	derivatives["normcdf"] = derivatives["Φ"]
}

// Derivative returns f′ of the elementwise function name (see [Functions]),
// and false when name is not elementwise. Functions with a parameter (pow)
// read it from params, as the function itself does.
func Derivative(name string) (func(x float64, params []float64) float64, bool) {
	d, ok := derivatives[name]
	return d, ok
}

// ApplyFunc applies the function a bubble names to x, whose axes carry the
// given labels; leg is the subscript leg of a function that acts along one
// ("" for elementwise functions). It returns f(x) and the labels of its axes:
// those of x for an elementwise function; those of x without leg for a
// reduction (sum, mean, max, min, prod, norm, logsumexp); those of x with leg
// moved last for a normalisation (softmax, logsoftmax, layernorm, hardmax,
// hardmin). Functions act on real numbers.
func ApplyFunc[T tensor.Elem](name, leg string, params []float64, x *tensor.Dense[T], labels []string) (*tensor.Dense[T], []string, error) {
	return applyFunc(name, leg, params, x, labels)
}

// FuncVJP returns the vector–Jacobian product x̄ = J_f(x)ᵀ ȳ of the function
// that [ApplyFunc] applies with the same name, leg, params, x and labels:
//
//	x̄[a] = Σ_b ȳ[b] ∂f(x)[b]/∂x[a]
//
// ȳ has the axes of f(x) as ApplyFunc returns them; x̄ has the axes of x. For
// an elementwise function x̄ = ȳ ⊙ f′(x). Along the leg (x a row, y = f(x)):
//
//	sum: x̄ = ȳ;  mean: x̄ = ȳ/n;  max, min: ȳ at the first extreme element;
//	prod: x̄_i = ȳ Π_{j≠i} x_j;  norm: x̄ = ȳ x/‖x‖ (0 when x = 0);
//	logsumexp: x̄ = ȳ softmax(x);  softmax: x̄ = y ⊙ (ȳ − ⟨ȳ, y⟩);
//	logsoftmax: x̄ = ȳ − softmax(x) Σ ȳ;
//	layernorm: x̄ = (ȳ − mean(ȳ) − y mean(ȳ ⊙ y)) / √(var(x) + ε);
//	hardmax, hardmin, sign, step: x̄ = 0.
func FuncVJP[T tensor.Elem](name, leg string, params []float64, x *tensor.Dense[T], labels []string, ybar *tensor.Dense[T]) (*tensor.Dense[T], error) {
	if !isReal[T]() {
		return nil, fmt.Errorf("contract: function %s is defined for real tensors only", name)
	}
	if n := paramCount[name]; len(params) != n {
		return nil, fmt.Errorf("contract: function %s takes %d numeric parameters, got %d", name, n, len(params))
	}
	if len(labels) != x.Rank() {
		return nil, fmt.Errorf("contract: function %s: %d labels for an argument of rank %d", name, len(labels), x.Rank())
	}
	if d, ok := derivatives[name]; ok {
		if leg != "" {
			return nil, fmt.Errorf("contract: %s is elementwise and takes no subscript leg (_%s)", name, leg)
		}
		if !slices.Equal(ybar.Shape(), x.Shape()) {
			return nil, fmt.Errorf("contract: the gradient of %s has shape %v, its argument %v", name, ybar.Shape(), x.Shape())
		}
		return tensor.Zip(x, ybar, func(v, g T) T { return tensor.FromFloat[T](toFloat(g) * d(toFloat(v), params)) }), nil
	}
	_, isRed := reductions[name]
	_, isNorm := normalisations[name]
	if !isRed && !isNorm {
		return nil, fmt.Errorf("contract: unknown function %q (known: %v)", name, Functions())
	}
	axis := slices.Index(labels, leg)
	if axis < 0 {
		return nil, fmt.Errorf("contract: %s_%s: the argument has no leg %q (its legs: %v)", name, leg, leg, labels)
	}
	// Work as applyFunc does: the leg last, contiguous rows of n.
	perm := make([]int, 0, len(labels))
	for a := range labels {
		if a != axis {
			perm = append(perm, a)
		}
	}
	perm = append(perm, axis)
	moved := x.Permute(perm...).Clone()
	shape := moved.Shape()
	wantY := shape
	if isRed {
		wantY = shape[:len(shape)-1]
	}
	if !slices.Equal(ybar.Shape(), wantY) {
		return nil, fmt.Errorf("contract: the gradient of %s_%s has shape %v, want %v", name, leg, ybar.Shape(), wantY)
	}
	g := ybar.Contiguous()
	n := x.Dim(axis)
	xd, gd := moved.Backing(), g.Backing()[g.Offset():]
	out := tensor.Zeros[T](shape...)
	od := out.Backing()
	rows := 0
	if n > 0 {
		rows = len(xd) / n
	}
	xs, gs, res := make([]float64, n), make([]float64, n), make([]float64, n)
	for r := range rows {
		for i := range n {
			xs[i] = toFloat(xd[r*n+i])
			if isNorm {
				gs[i] = toFloat(gd[r*n+i])
			}
		}
		if isRed {
			reductionVJP(name, xs, toFloat(gd[r]), res)
		} else {
			normalisationVJP(name, xs, gs, res)
		}
		for i, v := range res {
			od[r*n+i] = tensor.FromFloat[T](v)
		}
	}
	inv := make([]int, len(perm))
	for i, a := range perm {
		inv[a] = i
	}
	return out.Permute(inv...).Clone(), nil
}

// reductionVJP sets xbar to g ∂r(xs)/∂xs for the reduction r.
func reductionVJP(name string, xs []float64, g float64, xbar []float64) {
	n := len(xs)
	switch name {
	case "sum", "mean":
		if name == "mean" {
			g /= float64(n)
		}
		for i := range xbar {
			xbar[i] = g
		}
	case "max", "min":
		s := 1.0
		if name == "min" {
			s = -1
		}
		oneHot(xbar, extremum(xs, s))
		for i := range xbar {
			xbar[i] *= g
		}
	case "prod":
		// Π_{j≠i} x_j from prefix and suffix products, exact at zeros.
		p := 1.0
		for i, x := range xs {
			xbar[i] = p
			p *= x
		}
		p = 1
		for i := n - 1; i >= 0; i-- {
			xbar[i] *= p * g
			p *= xs[i]
		}
	case "norm":
		nrm := reductions["norm"](xs)
		for i, x := range xs {
			xbar[i] = 0
			if nrm > 0 {
				xbar[i] = g * x / nrm
			}
		}
	case "logsumexp":
		copy(xbar, xs)
		normalisations["softmax"](xbar)
		for i := range xbar {
			xbar[i] *= g
		}
	}
}

// normalisationVJP sets xbar to J(xs)ᵀ g for the normalisation f along a row.
func normalisationVJP(name string, xs, g, xbar []float64) {
	n := float64(len(xs))
	switch name {
	case "softmax":
		copy(xbar, xs)
		normalisations["softmax"](xbar)
		dot := 0.0
		for i, y := range xbar {
			dot += g[i] * y
		}
		for i, y := range xbar {
			xbar[i] = y * (g[i] - dot)
		}
	case "logsoftmax":
		copy(xbar, xs)
		normalisations["softmax"](xbar)
		total := sumFloats(g)
		for i, s := range xbar {
			xbar[i] = g[i] - s*total
		}
	case "layernorm":
		m := sumFloats(xs) / n
		v := 0.0
		for _, x := range xs {
			v += (x - m) * (x - m)
		}
		rstd := 1 / math.Sqrt(v/n+LayerNormEpsilon)
		gm, gy := 0.0, 0.0
		for i, x := range xs {
			gm += g[i]
			gy += g[i] * (x - m) * rstd
		}
		gm, gy = gm/n, gy/n
		for i, x := range xs {
			xbar[i] = rstd * (g[i] - gm - (x-m)*rstd*gy)
		}
	default: // hardmax, hardmin: piecewise constant
		for i := range xbar {
			xbar[i] = 0
		}
	}
}
