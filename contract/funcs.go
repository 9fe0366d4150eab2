package contract

import (
	"fmt"
	"math"
	"sort"

	"github.com/strand-tn/strand/tensor"
)

// Elementwise functions a bubble may apply, f(x) for every element. Those
// with a parameter (pow) read it from params.
var elementwise = map[string]func(x float64, params []float64) float64{
	"exp":      func(x float64, _ []float64) float64 { return math.Exp(x) },
	"log":      func(x float64, _ []float64) float64 { return math.Log(x) },
	"sqrt":     func(x float64, _ []float64) float64 { return math.Sqrt(x) },
	"abs":      func(x float64, _ []float64) float64 { return math.Abs(x) },
	"tanh":     func(x float64, _ []float64) float64 { return math.Tanh(x) },
	"sin":      func(x float64, _ []float64) float64 { return math.Sin(x) },
	"cos":      func(x float64, _ []float64) float64 { return math.Cos(x) },
	"relu":     func(x float64, _ []float64) float64 { return math.Max(x, 0) },
	"sigmoid":  sigmoid,
	"σ":        sigmoid,
	"softplus": func(x float64, _ []float64) float64 { return math.Log1p(math.Exp(-math.Abs(x))) + math.Max(x, 0) },
	"square":   func(x float64, _ []float64) float64 { return x * x },
	"neg":      func(x float64, _ []float64) float64 { return -x },
	"inv":      func(x float64, _ []float64) float64 { return 1 / x },
	// gelu is the exact GELU, x·Φ(x); gelu_new is GPT-2's tanh approximation
	// ½x(1 + tanh(√(2/π)(x + 0.044715x³))).
	"gelu": func(x float64, _ []float64) float64 { return 0.5 * x * (1 + math.Erf(x/math.Sqrt2)) },
	"gelu_new": func(x float64, _ []float64) float64 {
		return 0.5 * x * (1 + math.Tanh(math.Sqrt(2/math.Pi)*(x+0.044715*x*x*x)))
	},
	"pow": func(x float64, p []float64) float64 { return math.Pow(x, p[0]) },
}

func sigmoid(x float64, _ []float64) float64 { return 1 / (1 + math.Exp(-x)) }

// paramCount is the number of numeric parameters each function takes (0 if absent).
var paramCount = map[string]int{"pow": 1}

// Functions that act along one leg: reductions remove it, normalisations keep it.
var (
	reductions = map[string]func(xs []float64) float64{
		"sum":  func(xs []float64) float64 { return sumFloats(xs) },
		"mean": func(xs []float64) float64 { return sumFloats(xs) / float64(len(xs)) },
		"max":  func(xs []float64) float64 { return foldFloats(xs, math.Inf(-1), math.Max) },
		"min":  func(xs []float64) float64 { return foldFloats(xs, math.Inf(1), math.Min) },
		"prod": func(xs []float64) float64 { return foldFloats(xs, 1, func(a, b float64) float64 { return a * b }) },
		"norm": func(xs []float64) float64 {
			return math.Sqrt(foldFloats(xs, 0, func(a, b float64) float64 { return a + b*b }))
		},
		"logsumexp": logSumExp,
	}
	normalisations = map[string]func(xs []float64){
		// softmax_k x = exp(x_k − logsumexp x), computed stably.
		"softmax": func(xs []float64) {
			l := logSumExp(xs)
			for i, x := range xs {
				xs[i] = math.Exp(x - l)
			}
		},
		"logsoftmax": func(xs []float64) {
			l := logSumExp(xs)
			for i, x := range xs {
				xs[i] = x - l
			}
		},
		// layernorm_k x = (x − mean) / sqrt(var + LayerNormEpsilon).
		"layernorm": func(xs []float64) {
			m := sumFloats(xs) / float64(len(xs))
			v := 0.0
			for _, x := range xs {
				v += (x - m) * (x - m)
			}
			s := math.Sqrt(v/float64(len(xs)) + LayerNormEpsilon)
			for i, x := range xs {
				xs[i] = (x - m) / s
			}
		},
	}
)

func sumFloats(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s
}

func foldFloats(xs []float64, z float64, f func(a, b float64) float64) float64 {
	for _, x := range xs {
		z = f(z, x)
	}
	return z
}

func logSumExp(xs []float64) float64 {
	m := foldFloats(xs, math.Inf(-1), math.Max)
	if math.IsInf(m, 0) {
		return m
	}
	s := 0.0
	for _, x := range xs {
		s += math.Exp(x - m)
	}
	return m + math.Log(s)
}

// Functions lists the names of the functions bubbles may apply.
func Functions() []string {
	var names []string
	for _, m := range []map[string]bool{keys(elementwise), keys(reductions), keys(normalisations)} {
		for n := range m {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

func keys[V any](m map[string]V) map[string]bool {
	out := map[string]bool{}
	for k := range m {
		out[k] = true
	}
	return out
}

// applyFunc applies the named function to x, whose axes are labelled by
// labels; leg is the subscript leg for functions that act along one. It
// returns the result and its labels. Functions act on real numbers.
func applyFunc[T tensor.Elem](name, leg string, params []float64, x *tensor.Dense[T], labels []string) (*tensor.Dense[T], []string, error) {
	if !isReal[T]() {
		return nil, nil, fmt.Errorf("contract: function %s is defined for real tensors only", name)
	}
	if n := paramCount[name]; len(params) != n {
		return nil, nil, fmt.Errorf("contract: function %s takes %d numeric parameters, got %d", name, n, len(params))
	}
	if f, ok := elementwise[name]; ok {
		if leg != "" {
			return nil, nil, fmt.Errorf("contract: %s is elementwise and takes no subscript leg (_%s)", name, leg)
		}
		return x.Map(func(v T) T { return tensor.FromFloat[T](f(toFloat(v), params)) }), labels, nil
	}
	red, isRed := reductions[name]
	norm, isNorm := normalisations[name]
	if !isRed && !isNorm {
		return nil, nil, fmt.Errorf("contract: unknown function %q (known: %v)", name, Functions())
	}
	axis := -1
	for a, l := range labels {
		if l == leg {
			axis = a
		}
	}
	if axis < 0 {
		return nil, nil, fmt.Errorf("contract: %s_%s: the argument has no leg %q (its legs: %v)", name, leg, leg, labels)
	}
	// Move the leg last, then work on contiguous rows.
	perm := make([]int, 0, len(labels))
	var rest []string
	for a := range labels {
		if a != axis {
			perm = append(perm, a)
			rest = append(rest, labels[a])
		}
	}
	moved := x.Permute(append(perm, axis)...).Clone()
	n := x.Dim(axis)
	data := moved.Backing()
	row := make([]float64, n)
	rows := 0
	if n > 0 {
		rows = len(data) / n
	}
	if isRed {
		out := tensor.Zeros[T](moved.Shape()[:len(rest)]...)
		od := out.Backing()
		for r := range rows {
			for i := range row {
				row[i] = toFloat(data[r*n+i])
			}
			od[r] = tensor.FromFloat[T](red(row))
		}
		if n == 0 {
			for r := range od {
				od[r] = tensor.FromFloat[T](red(nil))
			}
		}
		return out, rest, nil
	}
	for r := range rows {
		for i := range row {
			row[i] = toFloat(data[r*n+i])
		}
		norm(row)
		for i, v := range row {
			data[r*n+i] = tensor.FromFloat[T](v)
		}
	}
	return moved, append(rest, leg), nil
}

func isReal[T tensor.Elem]() bool {
	var z T
	switch any(z).(type) {
	case float32, float64:
		return true
	}
	return false
}

func toFloat[T tensor.Elem](v T) float64 {
	switch x := any(v).(type) {
	case float32:
		return float64(x)
	case float64:
		return x
	}
	panic("contract: toFloat of a complex value")
}
