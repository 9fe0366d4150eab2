package grad

import (
	"fmt"
	"slices"

	"github.com/strand-tn/strand/contract"
	"github.com/strand-tn/strand/network"
	"github.com/strand-tn/strand/path"
	"github.com/strand-tn/strand/tensor"
)

// Options control numeric evaluation. The zero value orders contractions
// with path.Optimize's "auto" method and applies
// contract.DefaultMemoryLimit.
type Options struct {
	// Method is the path.Optimize method that orders each network's
	// contractions once, when it is compiled ("" means "auto"; "greedy" plans
	// fastest).
	Method string
	// MemoryLimit bounds the bytes of any one intermediate or result
	// (0: contract.DefaultMemoryLimit; negative: no limit).
	MemoryLimit int64
}

// netPlan is one network compiled for its value and for the environments of
// its tensors: the lowered network with copy tensors merged into index
// classes, a contraction tree over the tensors that carry data (leaves), and
// the pairwise contractions of the forward and backward sweeps, compiled for
// the network's sizes.
//
// Closing the network with the seed ȳ over its free legs gives a scalar
// Z = ⟨ȳ, value⟩. The forward sweep computes, bottom-up, F(v): the
// contraction of the leaves below tree node v, keeping the labels it shares
// with the rest (open(v)). The backward sweep computes, top-down, E(v): the
// contraction of everything outside v, on the same labels, by
//
//	E(root) = ȳ (summed onto open(root)),
//	E(left) = E(v) ⊗ F(right),  E(right) = E(v) ⊗ F(left),
//
// so that E(leaf) is the leaf's environment ∂Z/∂leaf: the network with a
// hole where the leaf is. One forward and one backward sweep give every
// environment for about three contractions' work instead of n.
type netPlan[T tensor.Elem] struct {
	low       *network.Einsum
	leaves    []*leaf[T]
	tree      []*tnode[T] // leaves first, in order; the root last
	factor    float64     // Π sizes of index classes that no leaf and no free leg carries
	outLabels []string    // index class of each elementary free leg
	outDims   []int
	outShape  []int
	seedIn    *contract.Expr[T] // ȳ on outLabels → open(root); nil when the labels are equal
	// scalarRoot: the root is closed (open(root) is empty), so its
	// children's environments are each other's values times the seed.
	scalarRoot bool
}

// leaf is a tensor of the network: data, a function bubble or a shifted δ.
type leaf[T tensor.Elem] struct {
	op     network.Operand
	labels []string // index class of each axis
	data   []int    // the data shape (axes before splitting grouped legs)
	open   []string // its distinct labels that something else carries
	reduce *contract.Expr[T]
	bubble *bubblePlan[T]
	delta  *tensor.Dense[T] // a shifted δ, built once
	needed bool             // its environment is wanted
}

// tnode is a node of the contraction tree; leaves have left = right = −1.
type tnode[T tensor.Elem] struct {
	left, right int
	open        []string // F's labels
	dims        []int
	eopen       []string // E's labels: open's, in the order the backward product gives
	fwd         *contract.Expr[T]
	bwd         [2]*contract.Expr[T] // E(left), E(right)
	needed      bool                 // some leaf below is needed
}

// compileNet compiles network n; leaves whose environment is wanted are
// those for which needed returns true.
func compileNet[T tensor.Elem](n *network.Network, opts Options, needed func(op network.Operand) bool) (*netPlan[T], error) {
	low, err := n.Einsum()
	if err != nil {
		return nil, err
	}
	p := &netPlan[T]{low: low, factor: 1, outShape: n.OutShape()}
	copts := contract.Options{MemoryLimit: opts.MemoryLimit}
	pair := contract.Options{Path: [][]int{{0, 1}}, MemoryLimit: opts.MemoryLimit}
	uf := unionFind{}
	for _, op := range low.Operands {
		if (op.Kind == network.Identity || op.Kind == network.Delta) && op.Offsets == nil {
			for _, l := range op.Labels[1:] {
				uf.union(op.Labels[0], l)
			}
		}
	}
	carriers := map[string]int{}
	for _, op := range low.Operands {
		if !op.Kind.HasData() && op.Kind != network.Function && op.Offsets == nil {
			continue
		}
		lf := &leaf[T]{op: op}
		k := 0
		for _, s := range op.Split {
			d := 1
			for a := k; a < k+s; a++ {
				if op.Dims[a] != low.Sizes[op.Labels[a]] {
					return nil, fmt.Errorf("grad: leg %s of %s broadcasts (size %d against %d); derivatives through broadcasting are not supported",
						op.Labels[a], op.Name, op.Dims[a], low.Sizes[op.Labels[a]])
				}
				d *= op.Dims[a]
			}
			lf.data = append(lf.data, d)
			k += s
		}
		for _, l := range op.Labels {
			lf.labels = append(lf.labels, uf.find(l))
		}
		for _, l := range distinct(lf.labels) {
			carriers[l]++
		}
		if op.Offsets != nil {
			lf.delta, err = shiftedDelta[T](op)
			if err != nil {
				return nil, err
			}
		}
		lf.needed = op.Offsets == nil && needed(op)
		p.leaves = append(p.leaves, lf)
	}
	isOut := map[string]bool{}
	for _, l := range low.Output {
		c := uf.find(l)
		p.outLabels = append(p.outLabels, c)
		p.outDims = append(p.outDims, low.Sizes[l])
		isOut[c] = true
	}
	counted := map[string]bool{}
	for _, l := range sortedKeys(low.Sizes) {
		if c := uf.find(l); carriers[c] == 0 && !isOut[c] && !counted[c] {
			counted[c] = true
			p.factor *= float64(low.Sizes[l])
		}
	}
	total := func(l string) int {
		if isOut[l] {
			return carriers[l] + 1
		}
		return carriers[l]
	}
	size := func(labels []string) []int {
		out := make([]int, len(labels))
		for i, l := range labels {
			out[i] = low.Sizes[l]
		}
		return out
	}
	under := make([]map[string]int, 0, 2*len(p.leaves))
	for _, lf := range p.leaves {
		for _, l := range distinct(lf.labels) {
			if total(l) >= 2 {
				lf.open = append(lf.open, l)
			}
		}
		if !slices.Equal(lf.labels, lf.open) {
			spec := contract.Spec{Inputs: [][]string{lf.labels}, Output: lf.open}
			if lf.reduce, err = contract.Compile[T](spec, copts, size(lf.labels)); err != nil {
				return nil, err
			}
		}
		counts := map[string]int{}
		for _, l := range lf.open {
			counts[l] = 1
		}
		under = append(under, counts)
		p.tree = append(p.tree, &tnode[T]{left: -1, right: -1, open: lf.open, dims: size(lf.open), needed: lf.needed})
	}
	if len(p.leaves) == 0 {
		return p, nil
	}
	// The contraction order, over the leaves' open labels.
	root := 0
	if len(p.leaves) > 1 {
		var inputs [][]string
		for _, lf := range p.leaves {
			inputs = append(inputs, lf.open)
		}
		var present []string
		for _, l := range distinct(p.outLabels) {
			if carriers[l] > 0 {
				present = append(present, l)
			}
		}
		prob, err := path.FromLabels(inputs, present, low.Sizes)
		if err != nil {
			return nil, err
		}
		order, _, err := path.Optimize(prob, path.Options{Method: opts.Method})
		if err != nil {
			return nil, err
		}
		ssa, err := order.SSA(len(p.leaves))
		if err != nil {
			return nil, err
		}

		ids := make([]int, len(p.leaves), len(p.leaves)+len(ssa))
		for i := range ids {
			ids[i] = i
		}
		for _, step := range ssa {
			acc := ids[step[0]]
			for _, s := range step[1:] {
				b := ids[s]
				counts := map[string]int{}
				for l, k := range under[acc] {
					counts[l] += k
				}
				for l, k := range under[b] {
					counts[l] += k
				}
				keep := func(l string) bool { return counts[l] < total(l) }
				open := natural(p.tree[acc].open, p.tree[b].open, keep)
				t := &tnode[T]{left: acc, right: b, open: open, dims: size(open), needed: p.tree[acc].needed || p.tree[b].needed}
				spec := contract.Spec{Inputs: [][]string{p.tree[acc].open, p.tree[b].open}, Output: open}
				if t.fwd, err = contract.Compile[T](spec, pair, p.tree[acc].dims, p.tree[b].dims); err != nil {
					return nil, err
				}
				p.tree = append(p.tree, t)
				under = append(under, counts)
				acc = len(p.tree) - 1
			}
			ids = append(ids, acc)
		}
		root = len(p.tree) - 1
	}
	rootOpen := p.tree[root].open
	if !slices.Equal(rootOpen, p.outLabels) {
		spec := contract.Spec{Inputs: [][]string{p.outLabels}, Output: rootOpen}
		if p.seedIn, err = contract.Compile[T](spec, copts, p.outDims); err != nil {
			return nil, err
		}
	}
	// The backward products, top-down: E(child) = E(v) ⊗ F(other), its
	// labels in the order the product leaves them (no copy to reorder).
	// Under a scalar root, E(child) is F(other) times the seed.
	p.tree[root].eopen = rootOpen
	p.scalarRoot = len(rootOpen) == 0
	for i := root; i >= len(p.leaves); i-- {
		v := p.tree[i]
		for side, child := range [2]int{v.left, v.right} {
			other := p.tree[[2]int{v.right, v.left}[side]]
			c := p.tree[child]
			if i == root && p.scalarRoot {
				c.eopen = other.open
				continue
			}
			c.eopen = natural(v.eopen, other.open, func(l string) bool { return slices.Contains(c.open, l) })
			spec := contract.Spec{Inputs: [][]string{v.eopen, other.open}, Output: c.eopen}
			if v.bwd[side], err = contract.Compile[T](spec, pair, size(v.eopen), other.dims); err != nil {
				return nil, err
			}
		}
	}
	return p, nil
}

// shiftedDelta builds the shifted copy tensor of an operand (δ[k q+1]) by
// evaluating it alone.
func shiftedDelta[T tensor.Elem](op network.Operand) (*tensor.Dense[T], error) {
	node := &network.Node{Name: op.Name, Kind: network.Delta, Input: -1}
	alone := &network.Network{Nodes: []*network.Node{node}, Sizes: map[string]int{}}
	for a, l := range op.Labels {
		node.Legs = append(node.Legs, network.Leg{Labels: []string{l}, Dims: []int{op.Dims[a]}, Offset: op.Offsets[a]})
		alone.Output = append(alone.Output, l)
		alone.OutputGroups = append(alone.OutputGroups, []string{l})
		alone.Sizes[l] = op.Dims[a]
	}
	return contract.EvalNetwork(alone, contract.Bindings[T]{}, contract.Options{})
}

// netState holds one evaluation of a netPlan: every leaf's tensor (its data
// shape), the forward intermediates and the states of bubbles.
type netState[T tensor.Elem] struct {
	data    []*tensor.Dense[T]
	F       []*tensor.Dense[T]
	bubbles []*bubbleState[T]
}

// forward evaluates the network; data gives each leaf's tensor (nil for a
// shifted δ, which the plan holds).
func (p *netPlan[T]) forward(data []*tensor.Dense[T]) (*tensor.Dense[T], *netState[T], error) {
	s := &netState[T]{data: data, F: make([]*tensor.Dense[T], len(p.tree))}
	for i, lf := range p.leaves {
		t := data[i]
		if lf.delta != nil {
			t = lf.delta
		} else if !slices.Equal(t.Shape(), lf.data) {
			return nil, nil, fmt.Errorf("grad: tensor %s has shape %v, the network expects %v", lf.op.Name, t.Shape(), lf.data)
		}
		if len(lf.op.Dims) != t.Rank() {
			var err error
			if t, err = t.Reshape(lf.op.Dims...); err != nil {
				return nil, nil, err
			}
		}
		if lf.reduce != nil {
			var err error
			if t, err = lf.reduce.Eval(t); err != nil {
				return nil, nil, err
			}
		}
		s.F[i] = t
	}
	for i := len(p.leaves); i < len(p.tree); i++ {
		v := p.tree[i]
		f, err := v.fwd.Eval(s.F[v.left], s.F[v.right])
		if err != nil {
			return nil, nil, err
		}
		s.F[i] = f
	}
	var have []string
	r := tensor.Scalar(tensor.FromFloat[T](1))
	if len(p.tree) > 0 {
		have, r = p.tree[len(p.tree)-1].open, s.F[len(p.tree)-1]
	}
	out := embed(r, have, p.outLabels, p.outDims)
	if p.factor != 1 {
		out = out.Scale(tensor.FromFloat[T](p.factor))
	}
	out, err := out.Reshape(p.outShape...)
	return out, s, err
}

// backward returns the environment of every needed leaf (in its data
// shape) for the seed ȳ, which has the network's output shape; nil for the
// others.
func (p *netPlan[T]) backward(s *netState[T], seed *tensor.Dense[T]) ([]*tensor.Dense[T], error) {
	envs := make([]*tensor.Dense[T], len(p.leaves))
	if len(p.tree) == 0 || !p.tree[len(p.tree)-1].needed {
		return envs, nil
	}
	if !slices.Equal(seed.Shape(), p.outShape) {
		return nil, fmt.Errorf("grad: the seed has shape %v, the network's value %v", seed.Shape(), p.outShape)
	}
	g, err := seed.Reshape(p.outDims...)
	if err != nil {
		return nil, err
	}
	if p.seedIn != nil {
		if g, err = p.seedIn.Eval(g); err != nil {
			return nil, err
		}
	}
	if p.factor != 1 {
		g = g.Scale(tensor.FromFloat[T](p.factor))
	} else if len(p.leaves) == 1 {
		g = g.Clone() // the leaf's environment: not the caller's seed
	}
	E := make([]*tensor.Dense[T], len(p.tree))
	root := len(p.tree) - 1
	E[root] = g
	for i := root; i >= len(p.leaves); i-- {
		v := p.tree[i]
		if E[i] == nil {
			continue
		}
		for side, child := range [2]int{v.left, v.right} {
			if !p.tree[child].needed {
				continue
			}
			other := [2]int{v.right, v.left}[side]
			switch {
			case i == root && p.scalarRoot && other < len(p.leaves):
				// The other side's value is a leaf's data: do not alias it.
				E[child] = s.F[other].Scale(g.Item())
			case i == root && p.scalarRoot:
				E[child] = s.F[other]
				if x := g.Item(); x != tensor.FromFloat[T](1) {
					E[child] = E[child].Scale(x)
				}
			default:
				if E[child], err = v.bwd[side].Eval(E[i], s.F[other]); err != nil {
					return nil, err
				}
			}
		}
	}
	for i, lf := range p.leaves {
		if !lf.needed || lf.delta != nil {
			continue
		}
		env := embed(E[i], p.tree[i].eopen, lf.labels, sizesOf(p.low.Sizes, lf.labels))
		if envs[i], err = env.Reshape(lf.data...); err != nil {
			return nil, err
		}
	}
	return envs, nil
}

// natural lists the labels of the product of tensors with labels x and y
// that keep accepts, in the order contract's pairwise product lays them out:
// those of both, then x's own, then y's own.
func natural(x, y []string, keep func(string) bool) []string {
	var both, left, right []string
	for _, l := range x {
		switch {
		case !keep(l):
		case slices.Contains(y, l):
			both = append(both, l)
		default:
			left = append(left, l)
		}
	}
	for _, l := range y {
		if keep(l) && !slices.Contains(x, l) {
			right = append(right, l)
		}
	}
	return slices.Concat(both, left, right)
}

// embed returns the tensor over the labels target (which may repeat) whose
// element is src's at the same values of src's labels have (distinct, a
// subset of target), where repeated labels agree, and 0 where they do not:
// a diagonal embedding, broadcast along the labels src lacks.
func embed[T tensor.Elem](src *tensor.Dense[T], have, target []string, dims []int) *tensor.Dense[T] {
	if slices.Equal(have, target) {
		return src
	}
	out := tensor.Zeros[T](dims...)
	classes := distinct(target)
	strides := out.Strides()
	vShape := make([]int, len(classes))
	vStrides := make([]int, len(classes))
	for a, l := range target {
		c := slices.Index(classes, l)
		vShape[c] = dims[a]
		vStrides[c] += strides[a]
	}
	sStrides := make([]int, len(classes))
	ss := src.Strides()
	for a, l := range have {
		sStrides[slices.Index(classes, l)] = ss[a]
	}
	tensor.View(out.Backing(), vShape, vStrides, 0).CopyFrom(tensor.View(src.Backing(), vShape, sStrides, src.Offset()))
	return out
}

func sizesOf(sizes map[string]int, labels []string) []int {
	out := make([]int, len(labels))
	for i, l := range labels {
		out[i] = sizes[l]
	}
	return out
}

func distinct(labels []string) []string {
	var out []string
	for _, l := range labels {
		if !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// unionFind merges labels joined by copy tensors.
type unionFind map[string]string

func (u unionFind) find(l string) string {
	for {
		p, ok := u[l]
		if !ok || p == l {
			return l
		}
		l = p
	}
}

func (u unionFind) union(a, b string) {
	if ra, rb := u.find(a), u.find(b); ra != rb {
		u[rb] = ra
	}
}
