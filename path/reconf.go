package path

import (
	"slices"
)

// reconfigure improves t by subtree reconfiguration (as cotengra's
// subtree_reconfigure; Gray and Kourtis 2021): for each internal node, most
// expensive first, it grows a subtree below the node to at most size leaves by
// repeatedly opening the most expensive internal node of its frontier, solves the
// contraction of those leaves into the node's legs exactly (dynamic programming with
// outer products), and splices the result in when it is cheaper. Passes repeat
// until one makes no improvement, maxPasses passes ran (no limit when zero) or the
// search expires. The result never costs more than t.
func (s *search) reconfigure(t tree, size, maxPasses int) tree {
	m := s.m
	if m.n < 3 {
		return t
	}
	r := newRTree(m, t, s.obj)
	for pass := 0; ; pass++ {
		order := make([]int, 0, m.n-1)
		for v := m.n; v < len(r.left); v++ {
			order = append(order, v)
		}
		slices.SortStableFunc(order, func(a, b int) int {
			pa, pb := s.obj.primary(r.local[a]), s.obj.primary(r.local[b])
			switch {
			case pa > pb:
				return -1
			case pa < pb:
				return 1
			}
			return 0
		})
		improved := false
		for _, v := range order {
			if s.expired() {
				return r.tree()
			}
			if r.improve(v, size, s) {
				improved = true
			}
		}
		if !improved || pass+1 == maxPasses {
			return r.tree()
		}
	}
}

// rTree is a contraction tree with parent links and per-node labels and step costs.
type rTree struct {
	m                   *model
	obj                 Objective
	left, right, parent []int
	legs                []bitset
	local               []Cost // cost of the step forming each internal node
	priv                []bitset
	scratch             bitset
}

func newRTree(m *model, t tree, obj Objective) *rTree {
	total := m.n + len(t)
	r := &rTree{m: m, obj: obj, left: make([]int, total), right: make([]int, total),
		parent: make([]int, total), legs: make([]bitset, total), local: make([]Cost, total),
		priv: m.private(), scratch: m.newLabels()}
	_, _, legs := m.treeEval(t, obj)
	copy(r.legs, legs)
	for i := range r.parent {
		r.parent[i], r.left[i], r.right[i] = -1, -1, -1
	}
	for s, pr := range t {
		v := m.n + s
		r.left[v], r.right[v] = pr[0], pr[1]
		r.parent[pr[0]], r.parent[pr[1]] = v, v
	}
	for v := m.n; v < total; v++ {
		r.local[v] = r.stepCost(v)
	}
	return r
}

// operand is node v as an operand: an input may sum its private labels first.
func (r *rTree) operand(v int) operand {
	o := operand{labels: r.legs[v]}
	if v < r.m.n && !r.priv[v].empty() {
		o.reduced = r.m.newLabels()
		o.reduced.andNot(r.legs[v], r.priv[v])
	}
	return o
}

// stepCost is the cost of the step forming internal node v.
func (r *rTree) stepCost(v int) Cost {
	c, _, _ := r.m.pairStep(r.operand(r.left[v]), r.operand(r.right[v]), r.legs[v], r.obj, r.scratch)
	return c
}

// improve tries to re-solve a subtree of at most size leaves below v.
func (r *rTree) improve(v, size int, s *search) bool {
	inner := []int{v}
	frontier := []int{r.left[v], r.right[v]}
	for len(frontier) < size {
		best, bestCost := -1, -1.0
		for k, f := range frontier {
			if f >= r.m.n {
				if c := s.obj.primary(r.local[f]); c > bestCost {
					best, bestCost = k, c
				}
			}
		}
		if best < 0 {
			break
		}
		f := frontier[best]
		frontier = slices.Delete(frontier, best, best+1)
		frontier = append(frontier, r.left[f], r.right[f])
		inner = append(inner, f)
	}
	if len(frontier) < 3 {
		return false
	}
	var current Cost
	for _, u := range inner {
		current = addCost(current, r.local[u])
	}
	// The subproblem, on its own compact labels: global[k] is label k's global label.
	var global []int
	local := map[int]int{}
	relabel := func(b bitset) []int {
		var out []int
		b.each(func(l int) {
			k, ok := local[l]
			if !ok {
				k = len(global)
				local[l] = k
				global = append(global, l)
			}
			out = append(out, k)
		})
		return out
	}
	var sub Problem
	for _, f := range frontier {
		sub.Inputs = append(sub.Inputs, relabel(r.legs[f]))
	}
	sub.Output = relabel(r.legs[v])
	sub.Sizes = make([]int, len(global))
	for k, l := range global {
		sub.Sizes[k] = r.m.p.Sizes[l]
	}
	sm := newModel(sub)
	bound := s.obj.primary(current)
	st, ok := sm.dpSolve(s.obj, true, bound, bound, s.dpLimits(0))
	if !ok {
		return false
	}
	newCost, _, subLegs := sm.treeEval(st, s.obj)
	if !s.obj.Better(newCost, current) {
		return false
	}
	newLegs := make([]bitset, len(subLegs))
	for q, b := range subLegs {
		newLegs[q] = r.m.newLabels()
		b.each(func(k int) { newLegs[q].add(global[k]) })
	}
	// Splice: the new root reuses v, the other new nodes reuse the old inner ids.
	slots := append([]int(nil), inner[1:]...)
	node := make([]int, len(frontier)+len(st))
	copy(node, frontier)
	for q, pr := range st {
		id := v
		if q < len(st)-1 {
			id = slots[q]
		}
		node[len(frontier)+q] = id
		a, b := node[pr[0]], node[pr[1]]
		r.left[id], r.right[id] = a, b
		r.parent[a], r.parent[b] = id, id
		r.legs[id] = newLegs[len(frontier)+q]
	}
	for _, id := range inner {
		r.local[id] = r.stepCost(id)
	}
	return true
}

// tree returns the tree in SSA form (children before parents).
func (r *rTree) tree() tree {
	root := -1
	for v := r.m.n; v < len(r.left); v++ {
		if r.parent[v] < 0 {
			root = v
		}
	}
	var t tree
	var walk func(v int) int
	walk = func(v int) int {
		if v < r.m.n {
			return v
		}
		a, b := walk(r.left[v]), walk(r.right[v])
		t = append(t, [2]int{a, b})
		return r.m.n + len(t) - 1
	}
	walk(root)
	return t
}
