package path

import (
	"math"
	"slices"
)

// dpEntry is the best known way to contract a set of terms into one.
type dpEntry struct {
	set         bitset  // terms (bits over the model's inputs)
	legs        bitset  // labels of the result
	cost        Cost    // of all steps inside the set
	legsSize    float64 // Π sizes of legs
	left, right int32   // entries combined; -1 for an input
	boundary    []int32 // directed edges (t→u) with t inside, u outside (connected mode)
}

// dpSearch is dynamic programming over sets of terms with a cost cap (Pfeifer,
// Haegeman and Verstraete, Phys. Rev. E 90, 033315, 2014): level k holds the best
// known contraction of each k-term set whose cost is within the cap; level n is
// built by combining disjoint sets of levels m and n−m. Without outer products only
// sets that share a label are combined, found through an index of boundary edges:
// a set stored under edge (t→u) contains t but not u. The cap starts low and grows
// until a contraction of all terms fits (or the cap passes the bound).
type dpSearch struct {
	m      *model
	obj    Objective
	outer  bool
	limits dpLimits

	priv    []bitset
	bond    bitset   // non-output labels on exactly two inputs
	hyper   bitset   // non-output labels on three or more inputs
	carrier []bitset // terms carrying each hyper label
	adj     [][]int  // adjacent terms (sharing a label not on every input)
	edgeID  [][]int  // edgeID[t][j]: directed edge t → adj[t][j]
	rev     []int32  // reverse of each directed edge
	edgeDst []int    // destination term of each directed edge

	entries []dpEntry
	byKey   map[string]int32
	levels  [][]int32
	index   [][][]int32 // index[k][edge]: entries of level k stored under edge
	stamp   []uint32
	tick    uint32
	work    int // candidate pairs examined
	failed  bool

	scratch, setBuf, legsBuf bitset
}

// dpLimits bound one dynamic-programming search: stop (polled; nil for never), a
// number of stored sets (defaultMaxSets when zero), which bounds memory, and a
// number of candidate pairs examined (no limit when zero), which bounds time
// independently of the machine.
type dpLimits struct {
	stop    func() bool
	maxSets int
	maxWork int
}

// defaultMaxSets keeps a search within about a gigabyte.
const defaultMaxSets = 2 << 20

func newDPSearch(m *model, obj Objective, outer bool, lim dpLimits) *dpSearch {
	if lim.maxSets == 0 {
		lim.maxSets = defaultMaxSets
	}
	d := &dpSearch{m: m, obj: obj, outer: outer, limits: lim,
		byKey:   map[string]int32{},
		scratch: m.newLabels(), setBuf: newBitset(m.n), legsBuf: m.newLabels()}
	d.priv = m.private()
	d.bond, d.hyper = m.newLabels(), m.newLabels()
	d.carrier = make([]bitset, m.nl)
	for l, c := range m.counts {
		switch {
		case m.output.has(l) || c < 2:
		case c == 2:
			d.bond.add(l)
		default:
			d.hyper.add(l)
			d.carrier[l] = newBitset(m.n)
			for i, in := range m.inputs {
				if in.has(l) {
					d.carrier[l].add(i)
				}
			}
		}
	}
	if !outer {
		d.adj = m.adjacency()
		d.edgeID = make([][]int, m.n)
		for t, nb := range d.adj {
			d.edgeID[t] = make([]int, len(nb))
			for j, u := range nb {
				d.edgeID[t][j] = len(d.edgeDst)
				d.edgeDst = append(d.edgeDst, u)
			}
		}
		d.rev = make([]int32, len(d.edgeDst))
		for t, nb := range d.adj {
			for j, u := range nb {
				k, _ := slices.BinarySearch(d.adj[u], t)
				d.rev[d.edgeID[t][j]] = int32(d.edgeID[u][k])
			}
		}
	}
	return d
}

// adjacency lists, for each input, the inputs sharing a label with it, ignoring
// labels carried by every input (they connect everything and decide nothing).
func (m *model) adjacency() [][]int {
	adj := make([][]int, m.n)
	for l := 0; l < m.nl; l++ {
		if m.counts[l] < 2 || m.counts[l] == m.n {
			continue
		}
		var carriers []int
		for i, in := range m.inputs {
			if in.has(l) {
				carriers = append(carriers, i)
			}
		}
		for _, a := range carriers {
			for _, b := range carriers {
				if a != b {
					adj[a] = append(adj[a], b)
				}
			}
		}
	}
	for i := range adj {
		slices.Sort(adj[i])
		adj[i] = slices.Compact(adj[i])
	}
	return adj
}

// components splits the inputs into groups connected through labels not carried by
// every input.
func (m *model) components() [][]int {
	adj := m.adjacency()
	comp := make([]int, m.n)
	for i := range comp {
		comp[i] = -1
	}
	var out [][]int
	for s := 0; s < m.n; s++ {
		if comp[s] >= 0 {
			continue
		}
		c := len(out)
		group := []int{s}
		comp[s] = c
		for q := 0; q < len(group); q++ {
			for _, u := range adj[group[q]] {
				if comp[u] < 0 {
					comp[u] = c
					group = append(group, u)
				}
			}
		}
		slices.Sort(group)
		out = append(out, group)
	}
	return out
}

// operand returns the operand form of entry e.
func (d *dpSearch) operand(e int32) operand {
	en := &d.entries[e]
	if en.left >= 0 {
		return operand{labels: en.legs}
	}
	i := en.set.list()[0]
	o := operand{labels: d.m.inputs[i]}
	if !d.priv[i].empty() {
		o.reduced = en.legs
	}
	return o
}

// addLeaves creates the level-1 entries.
func (d *dpSearch) addLeaves() {
	d.levels = [][]int32{nil, nil}
	for i, in := range d.m.inputs {
		set := newBitset(d.m.n)
		set.add(i)
		legs := d.m.newLabels()
		legs.andNot(in, d.priv[i])
		d.insert(1, dpEntry{set: set, legs: legs, left: -1, right: -1})
	}
}

// insert adds a new entry at level k.
func (d *dpSearch) insert(k int, e dpEntry) int32 {
	id := int32(len(d.entries))
	for len(d.levels) <= k {
		d.levels = append(d.levels, nil)
	}
	d.levels[k] = append(d.levels[k], id)
	if !d.outer {
		for len(d.index) <= k {
			d.index = append(d.index, nil)
		}
		if d.index[k] == nil {
			d.index[k] = make([][]int32, len(d.edgeDst))
		}
		e.set.each(func(t int) {
			for j, u := range d.adj[t] {
				if !e.set.has(u) {
					edge := d.edgeID[t][j]
					e.boundary = append(e.boundary, int32(edge))
					d.index[k][edge] = append(d.index[k][edge], id)
				}
			}
		})
	}
	e.legsSize = e.legs.sizeOf(d.m.sizes)
	d.entries = append(d.entries, e)
	d.stamp = append(d.stamp, 0)
	d.byKey[e.set.copyKey()] = id
	return id
}

// combine considers contracting entries a and b (disjoint) into level k.
func (d *dpSearch) combine(k int, a, b int32, capacity float64) {
	ea, eb := &d.entries[a], &d.entries[b]
	set, legs := d.setBuf, d.legsBuf
	set.or(ea.set, eb.set)
	legs.or(ea.legs, eb.legs)
	// Drop labels all of whose carriers are now inside.
	d.scratch.and(ea.legs, eb.legs)
	d.scratch.and(d.scratch, d.bond)
	legs.andNot(legs, d.scratch)
	d.scratch.and(legs, d.hyper)
	d.scratch.each(func(l int) {
		if d.carrier[l].subsetOf(set) {
			legs.remove(l)
		}
	})
	local, _, _ := d.m.pairStep(d.operand(a), d.operand(b), legs, d.obj, d.scratch)
	cost := addCost(addCost(ea.cost, eb.cost), local)
	if d.obj.primary(cost)+d.pending(legs, set) > capacity {
		return
	}
	if id, ok := d.byKey[set.key()]; ok {
		e := &d.entries[id]
		if d.obj.Better(cost, e.cost) {
			e.cost, e.left, e.right = cost, a, b
		}
		return
	}
	d.insert(k, dpEntry{set: set.clone(), legs: legs.clone(), cost: cost, left: a, right: b})
}

// pending is a lower bound on the primary cost still to come once a set with
// result legs has been formed: unless the set is complete, the step that consumes
// it costs at least |legs| FLOPs (and writes at least one element).
func (d *dpSearch) pending(legs, set bitset) float64 {
	if d.obj == Size || set.count() == d.m.n {
		return 0
	}
	switch d.obj {
	case Write:
		return 1
	case Combo:
		return legs.sizeOf(d.m.sizes) + comboFactor
	}
	return legs.sizeOf(d.m.sizes)
}

// run searches with caps growing by factor from start up to bound; it returns the
// entry of the full set, or −1 when the cap passed bound, the deadline or the set
// budget ran out.
func (d *dpSearch) run(start, factor, bound float64) int32 {
	n := d.m.n
	d.addLeaves()
	full := newBitset(n)
	for i := 0; i < n; i++ {
		full.add(i)
	}
	if n == 1 {
		return 0
	}
	capacity := min(start, bound)
	for {
		for k := 2; k <= n; k++ {
			for m := 1; m <= k/2; m++ {
				if m >= len(d.levels) || k-m >= len(d.levels) {
					continue
				}
				for q, a := range d.levels[m] {
					if q&255 == 255 && d.exhausted() {
						return -1
					}
					d.partners(k, m, a, capacity)
				}
			}
			d.sortLevel(k)
			if d.exhausted() {
				return -1
			}
		}
		if id, ok := d.byKey[full.key()]; ok {
			return id
		}
		if capacity >= bound {
			return -1
		}
		capacity = min(capacity*factor, bound)
	}
}

// sortLevel orders the entries of level k, and each index list, by increasing
// primary cost, so that partners can stop at the first one over the cap.
func (d *dpSearch) sortLevel(k int) {
	if k >= len(d.levels) {
		return
	}
	byCost := func(a, b int32) int {
		ca, cb := d.obj.primary(d.entries[a].cost), d.obj.primary(d.entries[b].cost)
		switch {
		case ca < cb:
			return -1
		case ca > cb:
			return 1
		}
		return int(a - b)
	}
	slices.SortFunc(d.levels[k], byCost)
	if !d.outer && k < len(d.index) {
		for _, list := range d.index[k] {
			slices.SortFunc(list, byCost)
		}
	}
}

// exhausted reports (and remembers) whether a limit ran out.
func (d *dpSearch) exhausted() bool {
	if !d.failed {
		d.failed = d.limits.stop != nil && d.limits.stop() || len(d.entries) > d.limits.maxSets ||
			d.limits.maxWork > 0 && d.work > d.limits.maxWork
	}
	return d.failed
}

// partners combines entry a (level m) with every suitable entry of level k−m.
func (d *dpSearch) partners(k, m int, a int32, capacity float64) {
	ea := d.entries[a].set
	room := capacity - d.obj.primary(d.entries[a].cost)
	sizeA := d.entries[a].legsSize
	try := func(b int32) {
		if m == k-m && b <= a {
			return
		}
		d.work++
		eb := &d.entries[b]
		if (d.obj == Flops || d.obj == Combo) && d.obj.primary(eb.cost)+max(eb.legsSize, sizeA) > room {
			return
		}
		if eb.set.intersects(ea) {
			return
		}
		// |legs(a) ∪ legs(b)| bounds the step's FLOPs from below.
		if d.obj == Flops || d.obj == Combo {
			d.scratch.and(d.entries[a].legs, eb.legs)
			u := d.entries[a].legsSize * eb.legsSize / d.scratch.sizeOf(d.m.sizes)
			if d.obj.primary(eb.cost)+u > room {
				return
			}
		}
		d.combine(k, a, b, capacity)
	}
	over := func(b int32) bool {
		if d.obj == Size {
			return d.entries[b].cost.Largest > capacity
		}
		return d.obj.primary(d.entries[b].cost) > room
	}
	if d.outer {
		for _, b := range d.levels[k-m] {
			if over(b) {
				break
			}
			try(b)
		}
		return
	}
	if k-m >= len(d.index) || d.index[k-m] == nil {
		return
	}
	d.tick++
	if d.tick == 0 {
		clear(d.stamp)
		d.tick = 1
	}
	for _, edge := range d.entries[a].boundary {
		for _, b := range d.index[k-m][d.rev[edge]] {
			if over(b) {
				break
			}
			if d.stamp[b] == d.tick {
				continue
			}
			d.stamp[b] = d.tick
			try(b)
		}
	}
}

// tree rebuilds the contraction tree of entry root.
func (d *dpSearch) tree(root int32) tree {
	var t tree
	var walk func(e int32) int
	walk = func(e int32) int {
		en := d.entries[e]
		if en.left < 0 {
			return en.set.list()[0]
		}
		a := walk(en.left)
		b := walk(en.right)
		t = append(t, [2]int{a, b})
		return d.m.n + len(t) - 1
	}
	walk(root)
	return t
}

// dpStart is the first cost cap: no order can cost less than forming the output or
// than the first step involving the largest input.
func (m *model) dpStart(obj Objective) float64 {
	start := max(1, m.output.sizeOf(m.sizes))
	for _, in := range m.inputs {
		start = max(start, in.sizeOf(m.sizes))
	}
	if obj == Combo {
		start *= comboFactor
	}
	return start
}

// dpOptimal solves m exactly with dynamic programming. With outer, every pair of
// disjoint sets is combined: the result is optimal among all pairwise trees.
// Without, only sets sharing a label are combined within each connected component,
// and the components are then combined optimally. bound (a known cost) limits the
// cap; it returns false when the limits ran out first, or no
// tree within bound exists in the search space. The limits apply to each of the
// searches it runs.
func (m *model) dpOptimal(obj Objective, outer bool, bound float64, lim dpLimits) (tree, bool) {
	return m.dpSolve(obj, outer, m.dpStart(obj), bound, lim)
}

// maxOuterComponents is the most components whose combination dpOptimal searches
// exhaustively; beyond, Greedy's outer-product order combines them.
const maxOuterComponents = 12

// dpSolve is dpOptimal with the first cap given.
func (m *model) dpSolve(obj Objective, outer bool, start, bound float64, lim dpLimits) (tree, bool) {
	if m.n == 1 {
		return tree{}, true
	}
	if outer {
		d := newDPSearch(m, obj, true, lim)
		root := d.run(start, 2, bound)
		if root < 0 {
			return nil, false
		}
		return d.tree(root), true
	}
	comps := m.components()
	if len(comps) == 1 {
		d := newDPSearch(m, obj, false, lim)
		root := d.run(start, 2, bound)
		if root < 0 {
			return nil, false
		}
		return d.tree(root), true
	}
	// Solve each component on its own, then combine the components' results.
	common := m.newLabels()
	common.copyFrom(m.inputs[0])
	for _, in := range m.inputs[1:] {
		common.and(common, in)
	}
	var t tree
	roots := make([]int, len(comps))
	combined := Problem{Sizes: m.p.Sizes, Output: m.p.Output}
	for c, group := range comps {
		sub := m.subProblem(group, common)
		sm := newModel(sub)
		st, ok := sm.dpOptimal(obj, false, math.Inf(1), lim)
		if !ok {
			return nil, false
		}
		roots[c] = appendSubtree(&t, st, group, m.n)
		_, _, legs := sm.treeEval(st, obj)
		combined.Inputs = append(combined.Inputs, legs[len(legs)-1].list())
	}
	cm := newModel(combined)
	ct := cm.greedyTree()
	if len(comps) <= maxOuterComponents {
		if ot, ok := cm.dpOptimal(obj, true, math.Inf(1), lim); ok {
			ct = ot
		}
	}
	appendSubtree(&t, ct, roots, m.n)
	return t, true
}

// subProblem is the problem of contracting the inputs in group on their own: its
// output keeps the labels of the full output and those in common.
func (m *model) subProblem(group []int, common bitset) Problem {
	sub := Problem{Sizes: m.p.Sizes}
	keep := m.newLabels()
	keep.or(m.output, common)
	seen := m.newLabels()
	for _, i := range group {
		sub.Inputs = append(sub.Inputs, m.p.Inputs[i])
		m.inputs[i].each(func(l int) {
			if keep.has(l) && !seen.has(l) {
				seen.add(l)
				sub.Output = append(sub.Output, l)
			}
		})
	}
	return sub
}

// appendSubtree appends the pairs of sub (a tree over len(leaves) terms, term j
// being node leaves[j] of t) to t, whose inputs number n, and returns the node of
// sub's root in t.
func appendSubtree(t *tree, sub tree, leaves []int, n int) int {
	node := make([]int, len(leaves)+len(sub))
	copy(node, leaves)
	for s, pr := range sub {
		*t = append(*t, [2]int{node[pr[0]], node[pr[1]]})
		node[len(leaves)+s] = n + len(*t) - 1
	}
	return node[len(node)-1]
}
