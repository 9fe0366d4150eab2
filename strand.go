package strand

import (
	"fmt"
	"strings"

	"github.com/strand-tn/strand/contract"
	"github.com/strand-tn/strand/network"
	"github.com/strand-tn/strand/notation"
	"github.com/strand-tn/strand/path"
	"github.com/strand-tn/strand/tensor"
)

// Tensor is a dense n-dimensional array; see package tensor.
type Tensor[T Elem] = tensor.Dense[T]

// Elem is the set of element types: float32, float64, complex64, complex128.
type Elem = tensor.Elem

// Options control evaluation. The zero value plans the contraction order
// automatically and refuses intermediates over contract.DefaultMemoryLimit.
type Options struct {
	// Path is an explicit contraction order in numpy/opt_einsum's linear
	// format; nil plans one.
	Path [][]int
	// Optimize names the path optimizer (see path.Methods): "greedy",
	// "optimal", "dp", "branch", "random-greedy", "auto", "auto-hq"; ""
	// keeps the greedy path for cheap contractions and searches ("auto")
	// for costly ones.
	Optimize string
	// MemoryLimit bounds the bytes of any one intermediate or result
	// (0: contract.DefaultMemoryLimit; negative: no limit).
	MemoryLimit int64
	// Axes gives sizes of pattern axes that the input shapes do not fix
	// (einops' axes_lengths), and of Python expressions in pasted calls.
	Axes map[string]int
	// Reduction is the reduction of a reduce pattern: sum, mean, max, min,
	// prod, any or all.
	Reduction string
	// Random fills the tensors a program reads but that are not given with
	// seeded random values of their kind (see RandomInputs), from Seed.
	Random bool
	Seed   uint64
}

func (o Options) contract() contract.Options {
	return contract.Options{Path: o.Path, MemoryLimit: o.MemoryLimit, Plan: path.Options{Method: o.Optimize}}
}

// Einsum evaluates a contraction written in any of strand's notations on the
// operands, given in the order of the terms (for index notation, in order of
// the tensors' first appearance):
//
//	out[o…] = Σ_{names not in o} Π_k operand_k[names of k]
//
// A pasted rearrange/reduce/repeat call is applied to its one operand; for a
// multi-statement program the value of the last statement is returned.
func Einsum[T Elem](expr string, operands ...*Tensor[T]) (*Tensor[T], error) {
	return EinsumWith(expr, Options{}, operands...)
}

// MustEinsum is [Einsum] that panics on error, for expressions fixed in code.
func MustEinsum[T Elem](expr string, operands ...*Tensor[T]) *Tensor[T] {
	out, err := Einsum(expr, operands...)
	if err != nil {
		panic(err)
	}
	return out
}

// EinsumWith is [Einsum] with options.
func EinsumWith[T Elem](expr string, opts Options, operands ...*Tensor[T]) (*Tensor[T], error) {
	node, err := notation.Parse(expr)
	if err != nil {
		return nil, err
	}
	shapes := make([][]int, len(operands))
	for k, op := range operands {
		shapes[k] = op.Shape()
	}
	switch n := node.(type) {
	case *notation.Einsum:
		net, err := network.FromEinsum(n, shapes)
		if err != nil {
			return nil, err
		}
		return contract.EvalNetwork(net, contract.Bindings[T]{Inputs: operands}, opts.contract())
	case *notation.Call:
		if n.Op != notation.OpEinsum {
			if len(operands) != 1 {
				return nil, fmt.Errorf("strand: %s takes one tensor, got %d", n.Func, len(operands))
			}
			plan, err := network.PlanCall(n, shapes[0], opts.Axes)
			if err != nil {
				return nil, err
			}
			return contract.Rearrange(plan, operands[0], opts.contract())
		}
		net, err := network.FromCall(n, shapes)
		if err != nil {
			return nil, err
		}
		return contract.EvalNetwork(net, contract.Bindings[T]{Inputs: operands}, opts.contract())
	case *notation.Program:
		results, err := Run(n, opts, operands...)
		if err != nil {
			return nil, err
		}
		if len(results) == 0 {
			return nil, fmt.Errorf("strand: the program has no statement to evaluate")
		}
		return results[len(results)-1].Value, nil
	}
	return nil, fmt.Errorf("strand: cannot evaluate %T", node)
}

// Result is the outcome of one statement of a program: its value or, for an
// equation, both sides and whether it holds (see contract.Result).
type Result[T Elem] = contract.Result[T]

// Run evaluates every statement of a parsed index-notation program, binding
// the operands to the tensors the program reads in order of first appearance.
// Tensors not given get seeded random values of their kind when opts.Random
// is set. Equations are checked numerically.
func Run[T Elem](prog *notation.Program, opts Options, operands ...*Tensor[T]) ([]Result[T], error) {
	shapes := make([][]int, len(operands))
	for k, op := range operands {
		shapes[k] = op.Shape()
	}
	net, err := network.FromProgram(prog, network.ProgramOptions{Operands: shapes, Dims: opts.Axes})
	if err != nil {
		return nil, err
	}
	if len(operands) > len(net.Inputs) {
		return nil, fmt.Errorf("strand: the program reads %d tensors (%s), %d given", len(net.Inputs), inputNames(net), len(operands))
	}
	ops := make([]*Tensor[T], len(net.Inputs))
	copy(ops, operands)
	return runResolved(net, ops, opts)
}

// runResolved runs a resolved program with ops[k] bound to input k, filling
// the nil ones with random values when opts.Random is set.
func runResolved[T Elem](net *network.Program, ops []*Tensor[T], opts Options) ([]Result[T], error) {
	var random []*Tensor[float64]
	for k := range ops {
		if ops[k] != nil {
			continue
		}
		if !opts.Random {
			return nil, fmt.Errorf("strand: the program reads %d tensors (%s); no value given for %s",
				len(net.Inputs), inputNames(net), net.Inputs[k].Name)
		}
		if random == nil {
			var err error
			if random, err = RandomInputs(net, opts.Seed); err != nil {
				return nil, err
			}
		}
		ops[k] = tensor.Convert[T](random[k])
	}
	return contract.RunProgramWith(net, ops, opts.contract(), decomposer[T])
}

// RandomInputs returns seeded random values for the tensors a resolved
// program reads, in order, each drawn to honour its kind (see
// contract.RandomInputs): isometries have orthonormal columns.
func RandomInputs(prog *network.Program, seed uint64) ([]*Tensor[float64], error) {
	return contract.RandomInputs(prog, seed)
}

// inputNames lists the tensors a program reads: "A, v, B".
func inputNames(prog *network.Program) string {
	names := make([]string, len(prog.Inputs))
	for k, in := range prog.Inputs {
		names[k] = in.Name
	}
	return strings.Join(names, ", ")
}

// AxisSize gives the size of a named axis in a pattern.
type AxisSize struct {
	Name string
	Size int
}

// Axis names the size of a pattern axis: Rearrange(t, "i (j k) -> i j k", Axis("j", 2)).
func Axis(name string, size int) AxisSize { return AxisSize{name, size} }

// Rearrange applies an einops rearrange pattern: permute, group and split
// axes, as in rearrange(T, 'i j k l -> (i l) (k j)').
func Rearrange[T Elem](t *Tensor[T], pattern string, axes ...AxisSize) (*Tensor[T], error) {
	return ApplyPattern("rearrange", t, pattern, Options{Axes: axisMap(axes)})
}

// Reduce applies an einops reduce pattern with a reduction (sum, mean, max,
// min, prod, any, all): Reduce(x, "b c -> c", "mean").
func Reduce[T Elem](t *Tensor[T], pattern, reduction string, axes ...AxisSize) (*Tensor[T], error) {
	return ApplyPattern("reduce", t, pattern, Options{Axes: axisMap(axes), Reduction: reduction})
}

// Repeat applies an einops repeat pattern: Repeat(x, "h w -> h w c", Axis("c", 3)).
func Repeat[T Elem](t *Tensor[T], pattern string, axes ...AxisSize) (*Tensor[T], error) {
	return ApplyPattern("repeat", t, pattern, Options{Axes: axisMap(axes)})
}

func axisMap(axes []AxisSize) map[string]int {
	sizes := map[string]int{}
	for _, a := range axes {
		sizes[a.Name] = a.Size
	}
	return sizes
}

// ApplyPattern applies an einops pattern for op ("rearrange", "reduce" or
// "repeat") with axis sizes, reduction and memory limit from opts.
func ApplyPattern[T Elem](op string, t *Tensor[T], pattern string, opts Options) (*Tensor[T], error) {
	o, ok := notation.ParseOp(op)
	if !ok || o == notation.OpEinsum {
		return nil, fmt.Errorf("strand: unknown pattern operation %q (rearrange, reduce or repeat)", op)
	}
	p, err := notation.ParsePattern(pattern)
	if err != nil {
		return nil, err
	}
	plan, err := network.PlanPattern(o, p, t.Shape(), opts.Axes, opts.Reduction)
	if err != nil {
		return nil, err
	}
	return contract.Rearrange(plan, t, opts.contract())
}
