package path

// A tree is a binary contraction tree over a model's inputs in SSA form: node
// i < n is input i and node n+s is the contraction of pairs[s][0] and pairs[s][1].
// A complete tree has n−1 pairs.
type tree [][2]int

// private returns, for each input, the labels only it carries (and the output does
// not): the labels a single-term step can sum before the input meets another term.
func (m *model) private() []bitset {
	out := make([]bitset, m.n)
	for i, in := range m.inputs {
		out[i] = m.newLabels()
		in.each(func(l int) {
			if m.counts[l] == 1 && !m.output.has(l) {
				out[i].add(l)
			}
		})
	}
	return out
}

// operand is one side of a pairwise step: the labels the term has, and, for an
// input with private labels, the smaller label set it has after summing them.
type operand struct {
	labels  bitset
	reduced bitset // nil unless the term is an input with private labels
}

// pairStep is the local cost of contracting two operands into result, choosing for
// each input operand whether to sum its private labels first; it returns the cost
// of the step (including those single-term sums) and the choices made.
func (m *model) pairStep(a, b operand, result bitset, obj Objective, scratch bitset) (Cost, bool, bool) {
	resSize := result.sizeOf(m.sizes)
	eval := func(la, lb bitset) Cost {
		scratch.or(la, lb)
		u := scratch.sizeOf(m.sizes)
		dropped := !scratch.subsetOf(result)
		return Cost{Flops: stepCost(u, 2, dropped), Largest: resSize, Write: resSize}
	}
	presum := func(o operand) Cost {
		s := o.reduced.sizeOf(m.sizes)
		return Cost{Flops: 2 * o.labels.sizeOf(m.sizes), Largest: s, Write: s}
	}
	best := eval(a.labels, b.labels)
	sa, sb := false, false
	try := func(c Cost, ca, cb bool) {
		if obj.Better(c, best) {
			best, sa, sb = c, ca, cb
		}
	}
	if a.reduced != nil {
		try(addCost(eval(a.reduced, b.labels), presum(a)), true, false)
	}
	if b.reduced != nil {
		try(addCost(eval(a.labels, b.reduced), presum(b)), false, true)
	}
	if a.reduced != nil && b.reduced != nil {
		try(addCost(addCost(eval(a.reduced, b.reduced), presum(a)), presum(b)), true, true)
	}
	return best, sa, sb
}

// addCost combines the costs of two disjoint sets of steps.
func addCost(a, b Cost) Cost {
	return Cost{Flops: a.Flops + b.Flops, Largest: max(a.Largest, b.Largest), Write: a.Write + b.Write}
}

// treeEval walks a complete tree bottom-up. It returns the total cost, whether
// each input sums its private labels first, and the labels of every node.
func (m *model) treeEval(t tree, obj Objective) (Cost, []bool, []bitset) {
	priv := m.private()
	legs := make([]bitset, m.n+len(t))
	ops := make([]operand, m.n+len(t))
	for i, in := range m.inputs {
		legs[i] = in
		ops[i] = operand{labels: in}
		if !priv[i].empty() {
			ops[i].reduced = m.newLabels()
			ops[i].reduced.andNot(in, priv[i])
		}
	}
	counts := append([]int(nil), m.counts...) // live terms carrying each label
	presum := make([]bool, m.n)
	scratch := m.newLabels()
	var total Cost
	if len(t) == 0 {
		if ops[0].reduced != nil {
			total = Cost{Flops: 2 * m.inputs[0].sizeOf(m.sizes)}
		} else {
			total = Cost{Flops: m.inputs[0].sizeOf(m.sizes)}
		}
		out := m.output.sizeOf(m.sizes)
		total.Largest, total.Write = out, out
		return total, presum, legs
	}
	for s, pr := range t {
		a, b := pr[0], pr[1]
		res := m.newLabels()
		res.or(legs[a], legs[b])
		res.each(func(l int) {
			c := counts[l]
			if legs[a].has(l) {
				c--
			}
			if legs[b].has(l) {
				c--
			}
			if c == 0 && !m.output.has(l) {
				res.remove(l)
				counts[l] = 0
			} else {
				counts[l] = c + 1
			}
		})
		c, pa, pb := m.pairStep(ops[a], ops[b], res, obj, scratch)
		if a < m.n {
			presum[a] = pa
		}
		if b < m.n {
			presum[b] = pb
		}
		total = addCost(total, c)
		legs[m.n+s] = res
		ops[m.n+s] = operand{labels: res}
	}
	return total, presum, legs
}

// treePath converts a complete tree to a linear path: first a single-term step for
// every input marked in presum, then the pairs.
func (m *model) treePath(t tree, presum []bool) Path {
	if len(t) == 0 {
		return Path{{0}}
	}
	var ssa [][]int
	id := make([]int, m.n+len(t)) // tree node -> SSA term number
	next := m.n
	for i := 0; i < m.n; i++ {
		id[i] = i
		if presum[i] {
			ssa = append(ssa, []int{i})
			id[i] = next
			next++
		}
	}
	for s, pr := range t {
		ssa = append(ssa, []int{id[pr[0]], id[pr[1]]})
		id[m.n+s] = next
		next++
	}
	path, err := FromSSA(ssa, m.n)
	if err != nil {
		panic("path: internal error: " + err.Error())
	}
	return path
}

// treeFromSSA reads a pairwise SSA path (as Greedy's) as a tree.
func treeFromSSA(ssa [][]int) tree {
	t := make(tree, len(ssa))
	for s, step := range ssa {
		t[s] = [2]int{step[0], step[1]}
	}
	return t
}
