package strand

import (
	"fmt"
	"slices"

	"github.com/strand-tn/strand/contract"
	"github.com/strand-tn/strand/network"
	"github.com/strand-tn/strand/notation"
	"github.com/strand-tn/strand/path"
)

// Compiled is an einsum expression parsed, resolved and planned once for
// fixed operand shapes, to be evaluated many times (opt_einsum's
// contract_expression).
type Compiled[T Elem] struct {
	net    *network.Network
	low    *network.Einsum
	shapes [][]int
	expr   *contract.Expr[T] // nil when the network needs more than one contraction
	opts   Options
}

// Compile prepares expr (an einsum equation or pasted einsum call) for
// operands of the given shapes.
func Compile[T Elem](expr string, opts Options, shapes ...[]int) (*Compiled[T], error) {
	node, err := notation.Parse(expr)
	if err != nil {
		return nil, err
	}
	var net *network.Network
	switch n := node.(type) {
	case *notation.Einsum:
		net, err = network.FromEinsum(n, shapes)
	case *notation.Call:
		if n.Op != notation.OpEinsum {
			return nil, fmt.Errorf("strand: Compile takes einsum expressions, not %s", n.Func)
		}
		net, err = network.FromCall(n, shapes)
	default:
		return nil, fmt.Errorf("strand: Compile takes einsum expressions; run index notation with Run")
	}
	if err != nil {
		return nil, err
	}
	low, err := net.Einsum()
	if err != nil {
		return nil, err
	}
	c := &Compiled[T]{net: net, low: low, opts: opts}
	for _, s := range shapes {
		c.shapes = append(c.shapes, slices.Clone(s))
	}
	if spec, dims, ok := plainSpec(low); ok {
		if c.expr, err = contract.Compile[T](spec, opts.contract(), dims...); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// plainSpec returns the lowering as one contraction of the inputs when every
// operand is an input used as it is (no identity, copy tensor, conjugate or
// inverse), with the operand shapes after splitting grouped axes.
func plainSpec(low *network.Einsum) (contract.Spec, [][]int, bool) {
	spec := contract.Spec{Output: low.Output}
	var dims [][]int
	for k, op := range low.Operands {
		if !op.Kind.HasData() || op.Input != k || op.Conj || op.Inverse {
			return contract.Spec{}, nil, false
		}
		spec.Inputs = append(spec.Inputs, op.Labels)
		dims = append(dims, op.Dims)
	}
	return spec, dims, true
}

// Path returns the planned contraction order (nil when the expression is
// evaluated through its network).
func (c *Compiled[T]) Path() [][]int {
	if c.expr == nil {
		return nil
	}
	return c.expr.Path()
}

// Info reports the cost of the planned contraction order step by step, in
// opt_einsum's convention ([path.Info]; its String method prints
// opt_einsum's table). It fails when the expression is evaluated through
// its network, which has no single contraction order.
func (c *Compiled[T]) Info() (*path.Info, error) {
	if c.expr == nil {
		return nil, fmt.Errorf("strand: the expression is evaluated through its network (identities, copy tensors, conjugates or inverses): it has no single contraction order to report")
	}
	return c.expr.Info()
}

// Eval contracts operands of the compiled shapes.
func (c *Compiled[T]) Eval(operands ...*Tensor[T]) (*Tensor[T], error) {
	if len(operands) != len(c.shapes) {
		return nil, fmt.Errorf("strand: %d operands given, the expression takes %d", len(operands), len(c.shapes))
	}
	for k, op := range operands {
		if !slices.Equal(op.Shape(), c.shapes[k]) {
			return nil, fmt.Errorf("strand: operand %d has shape %v, the expression was compiled for %v", k, op.Shape(), c.shapes[k])
		}
	}
	if c.expr == nil {
		return contract.EvalNetwork(c.net, contract.Bindings[T]{Inputs: operands}, c.opts.contract())
	}
	split := make([]*Tensor[T], len(operands))
	for k, op := range operands {
		var err error
		if split[k], err = op.Reshape(c.low.Operands[k].Dims...); err != nil {
			return nil, err
		}
	}
	out, err := c.expr.Eval(split...)
	if err != nil {
		return nil, err
	}
	return out.Reshape(c.net.OutShape()...)
}
