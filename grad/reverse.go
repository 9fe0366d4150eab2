package grad

import (
	"fmt"
	"slices"

	"github.com/strand-tn/strand/contract"
	"github.com/strand-tn/strand/network"
	"github.com/strand-tn/strand/tensor"
)

// Float is the element types that gradients are computed for: the
// functions of bubbles act on real numbers.
type Float interface{ float32 | float64 }

// exprPlan is a sum of networks compiled for reverse mode.
type exprPlan[T tensor.Elem] struct {
	x     *network.Expr
	terms []*netPlan[T]
	shape []int
}

// bubblePlan evaluates a function bubble: its argument, then the function.
type bubblePlan[T tensor.Elem] struct {
	node   *network.Node
	arg    *exprPlan[T]
	labels []string // the argument's elementary legs
	dims   []int
	perm   []int // from the function's output axes to the node's legs
}

// bubbleState is one evaluation of a bubble: its argument's value (on the
// argument's elementary legs) and states.
type bubbleState[T tensor.Elem] struct {
	x     *tensor.Dense[T]
	terms []*netState[T]
}

// wants says which tensors (by name) need gradients: inputs and defined
// tensors alike.
type wants map[string]bool

// compileExpr compiles a sum of networks; the environments of tensors in
// want, and of bubbles that read them, are computed backwards.
func compileExpr[T tensor.Elem](x *network.Expr, want wants, opts Options) (*exprPlan[T], error) {
	e := &exprPlan[T]{x: x, shape: x.OutShape()}
	for _, t := range x.Terms {
		bubbles := map[int]*bubblePlan[T]{}
		var bubbleErr error
		needed := func(op network.Operand) bool {
			if op.Kind != network.Function {
				return want[op.Name]
			}
			b, err := compileBubble[T](t.Net.Nodes[op.Node], want, opts)
			if err != nil {
				bubbleErr = err
				return false
			}
			bubbles[op.Node] = b
			return b.needed()
		}
		p, err := compileNet[T](t.Net, opts, needed)
		if err == nil {
			err = bubbleErr
		}
		if err != nil {
			return nil, err
		}
		for _, lf := range p.leaves {
			if lf.op.Kind == network.Function {
				lf.bubble = bubbles[lf.op.Node]
			}
		}
		e.terms = append(e.terms, p)
	}
	return e, nil
}

// needed reports whether some tensor below the bubble wants a gradient.
func (b *bubblePlan[T]) needed() bool {
	for _, t := range b.arg.terms {
		for _, lf := range t.leaves {
			if lf.needed {
				return true
			}
		}
	}
	return false
}

func compileBubble[T tensor.Elem](node *network.Node, want wants, opts Options) (*bubblePlan[T], error) {
	bub := node.Bubble
	if len(bub.Args) != 1 {
		return nil, fmt.Errorf("grad: function %s takes one tensor argument, got %d", bub.Func, len(bub.Args))
	}
	arg, err := compileExpr[T](bub.Args[0], want, opts)
	if err != nil {
		return nil, err
	}
	b := &bubblePlan[T]{node: node, arg: arg, labels: arg.x.Output}
	for _, l := range b.labels {
		b.dims = append(b.dims, arg.x.Sizes[l])
	}
	// The function's output axes, as contract.ApplyFunc returns them.
	var out []string
	for _, l := range b.labels {
		if l != bub.Leg {
			out = append(out, l)
		}
	}
	if bub.Leg != "" && !bub.Consumes {
		out = append(out, bub.Leg)
	}
	if bub.Leg == "" {
		out = b.labels
	}
	for _, leg := range node.Legs {
		for _, l := range leg.Labels {
			a := slices.Index(out, l)
			if a < 0 {
				return nil, fmt.Errorf("grad: function %s has no leg %q", bub.Func, l)
			}
			b.perm = append(b.perm, a)
		}
	}
	if len(b.perm) != len(out) {
		return nil, fmt.Errorf("grad: function %s gives legs %v, its node has %d", bub.Func, out, len(b.perm))
	}
	return b, nil
}

// forward evaluates the sum Σ_k c_k N_k.
func (e *exprPlan[T]) forward(b contract.Bindings[T]) (*tensor.Dense[T], []*netState[T], error) {
	acc := tensor.Zeros[T](e.shape...)
	states := make([]*netState[T], len(e.terms))
	for k, p := range e.terms {
		data := make([]*tensor.Dense[T], len(p.leaves))
		bubbles := make([]*bubbleState[T], len(p.leaves))
		for i, lf := range p.leaves {
			var err error
			switch {
			case lf.bubble != nil:
				data[i], bubbles[i], err = lf.bubble.forward(b)
			case lf.delta == nil:
				data[i], err = contract.OperandData(lf.op, b)
			}
			if err != nil {
				return nil, nil, err
			}
		}
		v, s, err := p.forward(data)
		if err != nil {
			return nil, nil, err
		}
		s.bubbles = bubbles
		states[k] = s
		acc.AddScaled(tensor.FromFloat[T](e.x.Terms[k].Coef), v)
	}
	return acc, states, nil
}

func (bp *bubblePlan[T]) forward(b contract.Bindings[T]) (*tensor.Dense[T], *bubbleState[T], error) {
	bub := bp.node.Bubble
	v, states, err := bp.arg.forward(b)
	if err != nil {
		return nil, nil, err
	}
	if v, err = v.Reshape(bp.dims...); err != nil {
		return nil, nil, err
	}
	y, _, err := contract.ApplyFunc(bub.Func, bub.Leg, bub.Params, v, bp.labels)
	if err != nil {
		return nil, nil, err
	}
	return y.Permute(bp.perm...), &bubbleState[T]{x: v, terms: states}, nil
}

// backward runs the seed ȳ (of the sum's shape) back through every term:
// sink receives the environment of each data leaf that wants one.
func (e *exprPlan[T]) backward(states []*netState[T], seed *tensor.Dense[T], sink func(op network.Operand, s *netState[T], i int, env *tensor.Dense[T]) error) error {
	for k, p := range e.terms {
		ybar := seed
		if c := e.x.Terms[k].Coef; c != 1 {
			ybar = seed.Scale(tensor.FromFloat[T](c))
		}
		envs, err := p.backward(states[k], ybar)
		if err != nil {
			return err
		}
		for i, env := range envs {
			if env == nil {
				continue
			}
			lf := p.leaves[i]
			if lf.bubble == nil {
				if err := sink(lf.op, states[k], i, env); err != nil {
					return err
				}
				continue
			}
			if err := lf.bubble.backward(states[k].bubbles[i], env, sink); err != nil {
				return err
			}
		}
	}
	return nil
}

// backward takes the environment of the bubble's value (on the node's
// legs) through the function's vector–Jacobian product into its argument.
func (bp *bubblePlan[T]) backward(s *bubbleState[T], env *tensor.Dense[T], sink func(network.Operand, *netState[T], int, *tensor.Dense[T]) error) error {
	bub := bp.node.Bubble
	inv := make([]int, len(bp.perm))
	for i, a := range bp.perm {
		inv[a] = i
	}
	xbar, err := contract.FuncVJP(bub.Func, bub.Leg, bub.Params, s.x, bp.labels, env.Permute(inv...))
	if err != nil {
		return err
	}
	if xbar, err = xbar.Reshape(bp.arg.shape...); err != nil {
		return err
	}
	return bp.arg.backward(s.terms, xbar, sink)
}

// inverseGrad turns the environment Ē of Y = X⁻¹ into that of X:
// ∂Z/∂X = −Yᵀ Ē Yᵀ, from dY = −Y dX Y.
func inverseGrad[T tensor.Elem](y, env *tensor.Dense[T]) (*tensor.Dense[T], error) {
	spec := contract.Spec{Inputs: [][]string{{"b", "a"}, {"b", "c"}, {"d", "c"}}, Output: []string{"a", "d"}}
	g, err := contract.Einsum(spec, y, env, y)
	if err != nil {
		return nil, err
	}
	return g.Scale(tensor.FromFloat[T](-1)), nil
}

// Gradient is a program compiled for reverse-mode differentiation: the
// value of its last assignment or expression and its gradient with respect
// to chosen tensors, inputs or tensors the program defines. Each network is
// contracted along a tree whose intermediates the backward sweep reuses
// (see [Sweep]); a bubble passes its gradient back through the vector–
// Jacobian product of its function (contract.FuncVJP). Plans are made once,
// for the program's sizes; [Gradient.ValueAndGrad] may then run many times,
// concurrently, as a training loop does.
type Gradient[T Float] struct {
	prog   *network.Program
	plans  []*exprPlan[T] // per statement up to the differentiated one; nil for equations
	target int
	wrt    []string
	shapes map[string][]int
}

// Result is the outcome of one evaluation: the value of the differentiated
// statement, the gradient with respect to each chosen tensor (of its
// shape), and the value of every tensor the program assigns.
type Result[T Float] struct {
	Value  *tensor.Dense[T]
	Grads  map[string]*tensor.Dense[T]
	Values map[string]*tensor.Dense[T]
}

// Compile prepares the gradient of a resolved program's last assignment or
// expression with respect to the tensors named in wrt (inputs, or tensors
// an assignment defines). Equations are not evaluated.
func Compile[T Float](prog *network.Program, wrt []string, opts Options) (*Gradient[T], error) {
	g := &Gradient[T]{prog: prog, target: -1, wrt: slices.Clone(wrt), shapes: map[string][]int{}}
	for i, st := range prog.Statements {
		if st.Kind != network.Equation {
			g.target = i
		}
	}
	if g.target < 0 {
		return nil, fmt.Errorf("grad: the program has no assignment or expression to differentiate")
	}
	for _, in := range prog.Inputs {
		g.shapes[in.Name] = in.Shape
	}
	for _, st := range prog.Statements[:g.target+1] {
		if st.Kind == network.Assign {
			g.shapes[st.Name] = st.RHS.OutShape()
		}
	}
	want := wants{}
	for _, w := range wrt {
		if _, ok := g.shapes[w]; !ok {
			return nil, fmt.Errorf("grad: the program has no tensor %s to differentiate with respect to", w)
		}
		want[w] = true
	}
	// A defined tensor needs a gradient when what defines it reads one that does.
	for _, st := range prog.Statements[:g.target+1] {
		if st.Kind == network.Assign && reads(st.RHS, want) {
			want[st.Name] = true
		}
	}
	g.plans = make([]*exprPlan[T], g.target+1)
	for i, st := range prog.Statements[:g.target+1] {
		if st.Kind == network.Equation {
			continue
		}
		p, err := compileExpr[T](st.RHS, want, opts)
		if err != nil {
			return nil, err
		}
		g.plans[i] = p
	}
	return g, nil
}

// CompileExpr prepares the gradient of one expression.
func CompileExpr[T Float](x *network.Expr, wrt []string, opts Options) (*Gradient[T], error) {
	prog := &network.Program{Statements: []*network.Statement{{Kind: network.Eval, RHS: x}}}
	seen := map[string]bool{}
	var walk func(x *network.Expr)
	walk = func(x *network.Expr) {
		for _, t := range x.Terms {
			for _, node := range t.Net.Nodes {
				if node.Kind.HasData() && !seen[node.Name] {
					seen[node.Name] = true
					shape := make([]int, 0, len(node.Legs))
					for _, leg := range dataLegs(node) {
						shape = append(shape, leg.Size())
					}
					if node.Kind == network.Diagonal {
						shape = shape[:1]
					}
					prog.Inputs = append(prog.Inputs, network.Input{Name: node.Name, Shape: shape})
				}
				if node.Bubble != nil {
					for _, a := range node.Bubble.Args {
						walk(a)
					}
				}
			}
		}
	}
	walk(x)
	return Compile[T](prog, wrt, opts)
}

// reads reports whether x reads a tensor in want.
func reads(x *network.Expr, want wants) bool {
	for _, t := range x.Terms {
		for _, node := range t.Net.Nodes {
			if node.Kind.HasData() && want[node.Name] {
				return true
			}
			if node.Bubble != nil {
				for _, a := range node.Bubble.Args {
					if reads(a, want) {
						return true
					}
				}
			}
		}
	}
	return false
}

// ValueAndGrad evaluates the program on the bound tensors and returns the
// value of the differentiated statement, which must be a scalar, with the
// gradients.
func (g *Gradient[T]) ValueAndGrad(b contract.Bindings[T]) (*Result[T], error) {
	return g.VJP(b, nil)
}

// VJP evaluates the program and returns the vector–Jacobian product of the
// differentiated statement with seed ȳ (of its value's shape): for each
// chosen tensor W, Σ_o ȳ[o] ∂value[o]/∂W. A nil seed stands for 1 and
// requires a scalar value.
func (g *Gradient[T]) VJP(b contract.Bindings[T], seed *tensor.Dense[T]) (*Result[T], error) {
	named := map[string]*tensor.Dense[T]{}
	for k, v := range b.Named {
		named[k] = v
	}
	bind := contract.Bindings[T]{Inputs: b.Inputs, Named: named}
	res := &Result[T]{Grads: map[string]*tensor.Dense[T]{}, Values: map[string]*tensor.Dense[T]{}}
	states := make([][]*netState[T], len(g.plans))
	for i, p := range g.plans {
		if p == nil {
			continue
		}
		v, s, err := p.forward(bind)
		if err != nil {
			return nil, err
		}
		states[i] = s
		if st := g.prog.Statements[i]; st.Kind == network.Assign {
			named[st.Name] = v
			res.Values[st.Name] = v
		}
		res.Value = v
	}
	if seed == nil {
		if res.Value.Size() != 1 || res.Value.Rank() != 0 {
			return nil, fmt.Errorf("grad: the value has shape %v; a gradient needs a scalar (or give a seed to VJP)", res.Value.Shape())
		}
		seed = tensor.Scalar(tensor.FromFloat[T](1))
	}
	cot := map[string]*tensor.Dense[T]{}
	if st := g.prog.Statements[g.target]; st.Kind == network.Assign {
		cot[st.Name] = seed.Clone()
	}
	sink := func(op network.Operand, s *netState[T], i int, env *tensor.Dense[T]) error {
		if op.Inverse {
			var err error
			if env, err = inverseGrad(s.data[i], env); err != nil {
				return err
			}
		}
		if acc := cot[op.Name]; acc != nil {
			acc.AddScaled(1, env)
		} else {
			cot[op.Name] = env.Clone()
		}
		return nil
	}
	for i := g.target; i >= 0; i-- {
		p := g.plans[i]
		if p == nil {
			continue
		}
		ybar := seed
		if i != g.target {
			st := g.prog.Statements[i]
			if st.Kind != network.Assign || cot[st.Name] == nil {
				continue
			}
			ybar = cot[st.Name]
		}
		if !slices.Equal(ybar.Shape(), p.shape) {
			return nil, fmt.Errorf("grad: the seed has shape %v, the value %v", ybar.Shape(), p.shape)
		}
		if err := p.backward(states[i], ybar, sink); err != nil {
			return nil, err
		}
	}
	for _, w := range g.wrt {
		if c := cot[w]; c != nil {
			res.Grads[w] = c
		} else {
			res.Grads[w] = tensor.Zeros[T](g.shapes[w]...)
		}
	}
	return res, nil
}

// Sweep is a network compiled for its value and the environments of all its
// tensors at once: one forward and one backward sweep along a contraction
// tree, about three times the work of one contraction (see netPlan). The
// environment of a tensor is the network with a hole where the tensor is,
// contracted with the seed on the network's free legs: ∂⟨ȳ, N⟩/∂A, the
// derivative with respect to the tensor as the node uses it (a conjugated
// node's environment is with respect to its conjugate, an inverted node's
// with respect to the inverse). A Sweep is safe for concurrent use.
type Sweep[T tensor.Elem] struct {
	net  *network.Network
	plan *exprPlan[T]
}

// NewSweep compiles a network for its environments. Function bubbles are
// evaluated; their environments are those of their values.
func NewSweep[T tensor.Elem](n *network.Network, opts Options) (*Sweep[T], error) {
	x := &network.Expr{Terms: []*network.Term{{Coef: 1, Net: n}}, Output: n.Output, OutputGroups: n.OutputGroups, Sizes: n.Sizes}
	all := wants{}
	for _, node := range n.Nodes {
		all[node.Name] = true
	}
	p, err := compileExpr[T](x, all, opts)
	if err != nil {
		return nil, err
	}
	for _, lf := range p.terms[0].leaves {
		lf.needed = lf.delta == nil
	}
	markNeeded(p.terms[0])
	return &Sweep[T]{net: n, plan: p}, nil
}

// markNeeded recomputes which tree nodes lead to needed leaves.
func markNeeded[T tensor.Elem](p *netPlan[T]) {
	for i, lf := range p.leaves {
		p.tree[i].needed = lf.needed
	}
	for _, v := range p.tree[len(p.leaves):] {
		v.needed = p.tree[v.left].needed || p.tree[v.right].needed
	}
}

// Value contracts the network.
func (s *Sweep[T]) Value(b contract.Bindings[T]) (*tensor.Dense[T], error) {
	v, _, err := s.plan.forward(b)
	return v, err
}

// Environments returns the network's value and the environment of each of
// its nodes (indexed as Network.Nodes; nil for copy tensors and
// identities), each of the shape of the node's data: for a scalar network
// and a nil seed, ∂N/∂A, so that ⟨env_A, A⟩ = N for a tensor that occurs
// once. With a seed ȳ of the network's shape, ∂⟨ȳ, N⟩/∂A.
func (s *Sweep[T]) Environments(b contract.Bindings[T], seed *tensor.Dense[T]) (*tensor.Dense[T], []*tensor.Dense[T], error) {
	v, states, err := s.plan.forward(b)
	if err != nil {
		return nil, nil, err
	}
	if seed == nil {
		if v.Rank() != 0 {
			return nil, nil, fmt.Errorf("grad: the network has shape %v; give a seed of that shape", v.Shape())
		}
		seed = tensor.Scalar(tensor.FromFloat[T](1))
	}
	p := s.plan.terms[0]
	envs, err := p.backward(states[0], seed)
	if err != nil {
		return nil, nil, err
	}
	out := make([]*tensor.Dense[T], len(s.net.Nodes))
	for i, lf := range p.leaves {
		if envs[i] != nil {
			out[lf.op.Node] = envs[i]
		}
	}
	return v, out, nil
}
