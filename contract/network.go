package contract

import (
	"fmt"
	"math/cmplx"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/strand-tn/strand/network"
	"github.com/strand-tn/strand/tensor"
)

// Bindings are the tensors a network reads: input tensors by their position
// (network.Operand.Input) and tensors defined by earlier statements by name.
type Bindings[T tensor.Elem] struct {
	Inputs []*tensor.Dense[T]
	Named  map[string]*tensor.Dense[T]
}

// EvalExpr evaluates a sum of networks, Σ_k c_k·N_k. Each network is
// contracted with EvalNetwork; the result has the expression's output shape.
func EvalExpr[T tensor.Elem](x *network.Expr, b Bindings[T], opts Options) (*tensor.Dense[T], error) {
	var acc *tensor.Dense[T]
	for _, term := range x.Terms {
		v, err := EvalNetwork(term.Net, b, opts)
		if err != nil {
			return nil, err
		}
		c := tensor.FromFloat[T](term.Coef)
		if acc == nil {
			acc = v.Scale(c)
			continue
		}
		if !slices.Equal(acc.Shape(), v.Shape()) {
			return nil, fmt.Errorf("contract: terms of a sum have shapes %v and %v", acc.Shape(), v.Shape())
		}
		acc.AddScaled(c, v)
	}
	if acc == nil {
		return tensor.Zeros[T](x.OutShape()...), nil
	}
	return acc, nil
}

// EvalNetwork contracts one network. Identity and copy (δ) nodes are never
// built: their legs are merged into one index. Function bubbles are evaluated
// first (their arguments recursively), then enter as ordinary operands.
func EvalNetwork[T tensor.Elem](n *network.Network, b Bindings[T], opts Options) (*tensor.Dense[T], error) {
	low, err := n.Einsum()
	if err != nil {
		return nil, err
	}
	data := make([]*tensor.Dense[T], len(low.Operands))
	for k, op := range low.Operands {
		switch {
		case op.Kind == network.Function:
			data[k], err = evalBubble(n.Nodes[op.Node], b, opts)
		case op.Kind.HasData():
			data[k], err = OperandData(op, b)
		}
		if err != nil {
			return nil, err
		}
	}
	return evalLowered(low, data, opts)
}

// OperandData fetches the tensor a data operand of a lowered network reads
// (input Input, or the tensor its name binds), conjugated and inverted as the
// network says.
func OperandData[T tensor.Elem](op network.Operand, b Bindings[T]) (*tensor.Dense[T], error) {
	var t *tensor.Dense[T]
	switch {
	case op.Input >= 0 && op.Input < len(b.Inputs):
		t = b.Inputs[op.Input]
	case op.Input >= 0:
		return nil, fmt.Errorf("contract: tensor %s is input %d, but only %d inputs are bound", op.Name, op.Input, len(b.Inputs))
	default:
		t = b.Named[op.Name]
	}
	if t == nil {
		return nil, fmt.Errorf("contract: no value bound for tensor %s", op.Name)
	}
	if op.Conj {
		t = t.Map(conj[T])
	}
	if op.Inverse {
		return inverse(op.Name, t)
	}
	return t, nil
}

func conj[T tensor.Elem](v T) T {
	switch x := any(v).(type) {
	case complex128:
		return any(cmplx.Conj(x)).(T)
	case complex64:
		return any(complex64(cmplx.Conj(complex128(x)))).(T)
	}
	return v
}

// inverse returns the matrix inverse of a real square matrix.
func inverse[T tensor.Elem](name string, t *tensor.Dense[T]) (*tensor.Dense[T], error) {
	if !isReal[T]() || t.Rank() != 2 || t.Dim(0) != t.Dim(1) {
		return nil, fmt.Errorf("contract: %s⁻¹ needs a real square matrix, %s has shape %v", name, name, t.Shape())
	}
	n := t.Dim(0)
	m := mat.NewDense(n, n, tensor.Convert[float64](t).Data())
	var inv mat.Dense
	if err := inv.Inverse(m); err != nil {
		return nil, fmt.Errorf("contract: %s⁻¹: %v", name, err)
	}
	return tensor.Convert[T](tensor.MustFromSlice(inv.RawMatrix().Data, n, n)), nil
}

// evalBubble evaluates f(arg) for a function node, with the result's axes in
// the order of the node's legs.
func evalBubble[T tensor.Elem](node *network.Node, b Bindings[T], opts Options) (*tensor.Dense[T], error) {
	bub := node.Bubble
	if len(bub.Args) != 1 {
		return nil, fmt.Errorf("contract: function %s takes one tensor argument, got %d", bub.Func, len(bub.Args))
	}
	arg := bub.Args[0]
	v, err := EvalExpr(arg, b, opts)
	if err != nil {
		return nil, err
	}
	// Work on the argument's elementary legs.
	shape := make([]int, len(arg.Output))
	for i, l := range arg.Output {
		shape[i] = arg.Sizes[l]
	}
	if v, err = v.Reshape(shape...); err != nil {
		return nil, fmt.Errorf("contract: function %s: %v", bub.Func, err)
	}
	r, labels, err := applyFunc(bub.Func, bub.Leg, bub.Params, v, arg.Output)
	if err != nil {
		return nil, err
	}
	perm := make([]int, 0, len(node.Legs))
	for _, leg := range node.Legs {
		for _, l := range leg.Labels {
			a := slices.Index(labels, l)
			if a < 0 {
				return nil, fmt.Errorf("contract: function %s has no leg %q", bub.Func, l)
			}
			perm = append(perm, a)
		}
	}
	if len(perm) != len(labels) {
		return nil, fmt.Errorf("contract: function %s gives legs %v, its node has %d", bub.Func, labels, len(perm))
	}
	return r.Permute(perm...), nil
}

// evalLowered contracts a lowered network; data[k] holds the tensor of
// operand k when it carries data.
func evalLowered[T tensor.Elem](low *network.Einsum, data []*tensor.Dense[T], opts Options) (*tensor.Dense[T], error) {
	// Identities and copy tensors are never built: their labels merge.
	m := low.Merge()
	var spec Spec
	var ops []*tensor.Dense[T]
	for k, op := range m.Operands {
		var t *tensor.Dense[T]
		if op.Offsets != nil {
			t = shiftedDelta[T](op.Dims, op.Offsets)
		} else {
			var err error
			if t, err = splitAxes(op, data[m.From[k]]); err != nil {
				return nil, err
			}
		}
		spec.Inputs = append(spec.Inputs, op.Labels)
		ops = append(ops, t)
	}
	// The distinct classes of the output, and those carried by some operand.
	var classes []string
	spec.Output = []string{}
	for _, c := range m.Output {
		if !slices.Contains(classes, c) {
			classes = append(classes, c)
			if m.Present[c] {
				spec.Output = append(spec.Output, c)
			}
		}
	}
	r := tensor.Scalar(tensor.FromFloat[T](1))
	if len(ops) > 0 {
		var err error
		if r, err = Eval(spec, opts, ops...); err != nil {
			return nil, err
		}
	}
	if m.Factor != 1 {
		r = r.Scale(tensor.FromFloat[T](m.Factor))
	}
	out, err := embed(r, spec.Output, classes, m, low, opts)
	if err != nil {
		return nil, err
	}
	shape := make([]int, len(low.OutputGroups))
	for i, g := range low.OutputGroups {
		shape[i] = 1
		for _, l := range g {
			shape[i] *= low.Sizes[l]
		}
	}
	return out.Reshape(shape...)
}

// splitAxes reshapes an operand's data so that data axis a becomes its
// Split[a] elementary axes of sizes Dims.
func splitAxes[T tensor.Elem](op network.Operand, t *tensor.Dense[T]) (*tensor.Dense[T], error) {
	if t.Rank() != len(op.Split) {
		return nil, fmt.Errorf("contract: tensor %s has %d axes, the network gives it %d legs", op.Name, t.Rank(), len(op.Split))
	}
	k := 0
	for a, s := range op.Split {
		n := 1
		for _, d := range op.Dims[k : k+s] {
			n *= d
		}
		if n != t.Dim(a) {
			return nil, fmt.Errorf("contract: tensor %s: axis %d has size %d, the network expects %d", op.Name, a, t.Dim(a), n)
		}
		k += s
	}
	if len(op.Dims) == t.Rank() {
		return t, nil
	}
	return t.Reshape(op.Dims...)
}

// shiftedDelta builds δ with element 1 where index_a + offsets[a] agree for
// every axis a, as the induction head's previous-token pattern δ_{k,q+1}.
func shiftedDelta[T tensor.Elem](dims, offsets []int) *tensor.Dense[T] {
	t := tensor.Zeros[T](dims...)
	idx := make([]int, len(dims))
	lo := 0
	for _, off := range offsets {
		lo = max(lo, off)
	}
	// Walk v = index_a + offsets[a]; index_a = v − offsets[a] must be in range for all a.
	for v := lo; ; v++ {
		ok := true
		for a, off := range offsets {
			idx[a] = v - off
			if idx[a] >= dims[a] {
				return t
			}
			if idx[a] < 0 {
				ok = false
			}
		}
		if ok {
			t.Set(1, idx...)
		}
	}
}

// embed writes r (whose axes are the classes have, a subset of classes) into
// a tensor with one axis per output label: labels of one class share their
// index (a diagonal), and classes r lacks are broadcast.
func embed[T tensor.Elem](r *tensor.Dense[T], have, classes []string, m *network.Merged, low *network.Einsum, opts Options) (*tensor.Dense[T], error) {
	if len(classes) == len(low.Output) && slices.Equal(have, classes) {
		return r, nil
	}
	shape := make([]int, len(low.Output))
	for i, l := range low.Output {
		shape[i] = low.Sizes[l]
	}
	size, ok := tensor.SizeOf(shape)
	if !ok {
		return nil, fmt.Errorf("contract: output shape %v is too large", shape)
	}
	if err := checkSize[T](low.Output, int64(size), memoryLimit(opts)); err != nil {
		return nil, err
	}
	out := tensor.Zeros[T](shape...)
	// The diagonal view of out over the classes.
	strides := out.Strides()
	vShape := make([]int, len(classes))
	vStrides := make([]int, len(classes))
	for i := range low.Output {
		c := slices.Index(classes, m.Output[i])
		vShape[c] = shape[i]
		vStrides[c] += strides[i]
	}
	view := tensor.View(out.Backing(), vShape, vStrides, 0)
	// r broadcast to the classes' axes.
	rStrides := make([]int, len(classes))
	rs := r.Strides()
	for a, c := range have {
		rStrides[slices.Index(classes, c)] = rs[a]
	}
	view.CopyFrom(tensor.View(r.Backing(), vShape, rStrides, r.Offset()))
	return out, nil
}
