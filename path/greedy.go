package path

import (
	"slices"
)

// Greedy returns opt_einsum's greedy path for p: a faithful port of opt_einsum's
// ssa_greedy_optimize with its default "memory-removed" heuristic, so it reproduces
// opt_einsum's greedy paths. It runs in three stages:
//
//  1. inputs with identical label sets are multiplied together (Hadamard products);
//  2. repeatedly, among pairs of terms sharing a label that is not kept to the end,
//     contract the pair minimising |result| − |A| − |B|, ties going to the pair
//     with the lower term numbers (labels carried by every input count as kept);
//  3. the terms left are combined by outer products, smallest first.
//
// Greedy is deterministic and fast (roughly quadratic in the number of terms that
// share a label). p must be valid (see [Problem.Validate]); Greedy panics
// otherwise, as for a programmer error. [Optimize] with Method "greedy" adds the
// simplification pass.
func Greedy(p Problem) Path {
	p.mustValidate()
	m := newModel(p)
	path, err := FromSSA(m.greedySSA(), m.n)
	if err != nil {
		panic("path: internal error: " + err.Error())
	}
	return path
}

// greedyCand is a candidate pair contraction in stage 2.
type greedyCand struct {
	cost     float64
	id2, id1 int // term numbers when pushed, id1 < id2: the tie-break
	k1, k2   string
	k12      bitset
}

func greedyCandLess(a, b greedyCand) bool {
	if a.cost != b.cost {
		return a.cost < b.cost
	}
	if a.id2 != b.id2 {
		return a.id2 < b.id2
	}
	return a.id1 < b.id1
}

// greedyTerm is a live term of stage 2, keyed by its label set.
type greedyTerm struct {
	id        int
	labels    bitset
	footprint float64
}

// greedySSA runs opt_einsum's greedy algorithm and returns the SSA path.
func (m *model) greedySSA() [][]int {
	if m.n == 1 {
		return [][]int{{0}}
	}
	// Labels carried by every input behave like output labels until the end.
	output := m.output.clone()
	common := m.inputs[0].clone()
	for _, in := range m.inputs[1:] {
		common.and(common, in)
	}
	output.or(output, common)

	remaining := map[string]*greedyTerm{}
	nextID := m.n
	var ssa [][]int
	for id, in := range m.inputs {
		if t, ok := remaining[in.key()]; ok {
			ssa = append(ssa, []int{t.id, id})
			t.id = nextID
			nextID++
			continue
		}
		remaining[in.copyKey()] = &greedyTerm{id: id, labels: in, footprint: in.sizeOf(m.sizes)}
	}

	// dimKeys[ℓ]: keys of live terms carrying the contractible label ℓ.
	dimKeys := make([]map[string]bool, m.nl)
	for l := range dimKeys {
		dimKeys[l] = map[string]bool{}
	}
	contractible := func(l int) bool { return !output.has(l) }
	for key, t := range remaining {
		t.labels.each(func(l int) {
			if contractible(l) {
				dimKeys[l][key] = true
			}
		})
	}

	queue := &minHeap[greedyCand]{less: greedyCandLess}
	// candidate builds the candidate (k1, k2) with the current reference counts.
	candidate := func(k1, k2 string) greedyCand {
		t1, t2 := remaining[k1], remaining[k2]
		k12 := m.newLabels()
		t1.labels.each(func(l int) {
			switch {
			case output.has(l):
				k12.add(l)
			case t2.labels.has(l):
				if len(dimKeys[l]) >= 3 {
					k12.add(l)
				}
			case len(dimKeys[l]) >= 2:
				k12.add(l)
			}
		})
		t2.labels.each(func(l int) {
			if t1.labels.has(l) {
				return
			}
			if output.has(l) || len(dimKeys[l]) >= 2 {
				k12.add(l)
			}
		})
		c := greedyCand{cost: k12.sizeOf(m.sizes) - t1.footprint - t2.footprint, k1: k1, k2: k2, k12: k12}
		c.id1, c.id2 = t1.id, t2.id
		if c.id1 > c.id2 {
			c.id1, c.id2 = c.id2, c.id1
			c.k1, c.k2 = c.k2, c.k1
		}
		return c
	}
	// pushBest pushes the best candidate pairing k1 with one of k2s.
	pushBest := func(k1 string, k2s []string) {
		best := candidate(k1, k2s[0])
		for _, k2 := range k2s[1:] {
			if c := candidate(k1, k2); greedyCandLess(c, best) {
				best = c
			}
		}
		queue.push(best)
	}

	byID := func(keys []string) {
		slices.SortFunc(keys, func(a, b string) int { return remaining[a].id - remaining[b].id })
	}
	for l := 0; l < m.nl; l++ {
		if len(dimKeys[l]) < 2 {
			continue
		}
		keys := make([]string, 0, len(dimKeys[l]))
		for k := range dimKeys[l] {
			keys = append(keys, k)
		}
		byID(keys)
		for i := 0; i < len(keys)-1; i++ {
			pushBest(keys[i], keys[i+1:])
		}
	}

	for queue.len() > 0 {
		c := queue.pop()
		t1, ok1 := remaining[c.k1]
		t2, ok2 := remaining[c.k2]
		if !ok1 || !ok2 {
			continue // obsolete
		}
		delete(remaining, c.k1)
		delete(remaining, c.k2)
		t1.labels.each(func(l int) {
			if contractible(l) {
				delete(dimKeys[l], c.k1)
			}
		})
		t2.labels.each(func(l int) {
			if contractible(l) {
				delete(dimKeys[l], c.k2)
			}
		})
		ssa = append(ssa, []int{t1.id, t2.id})
		id12 := nextID
		nextID++
		k12 := c.k12.copyKey()
		if t, ok := remaining[k12]; ok {
			ssa = append(ssa, []int{t.id, id12})
			t.id = nextID
			nextID++
			// the key is unchanged; its candidates stay as they are
		} else {
			remaining[k12] = &greedyTerm{id: id12, labels: c.k12, footprint: c.k12.sizeOf(m.sizes)}
			c.k12.each(func(l int) {
				if contractible(l) {
					dimKeys[l][k12] = true
				}
			})
		}
		seen := map[string]bool{k12: true}
		var k2s []string
		c.k12.each(func(l int) {
			for k := range dimKeys[l] {
				if !seen[k] {
					seen[k] = true
					k2s = append(k2s, k)
				}
			}
		})
		if len(k2s) > 0 {
			pushBest(k12, k2s)
		}
	}

	// Stage 3: outer products, smallest (restricted to kept labels) first.
	type outerTerm struct {
		size   float64
		id     int
		labels bitset
	}
	outer := &minHeap[outerTerm]{less: func(a, b outerTerm) bool {
		if a.size != b.size {
			return a.size < b.size
		}
		return a.id < b.id
	}}
	for _, t := range remaining {
		kept := m.newLabels()
		kept.and(t.labels, output)
		outer.push(outerTerm{size: kept.sizeOf(m.sizes), id: t.id, labels: t.labels})
	}
	a := outer.pop()
	for outer.len() > 0 {
		b := outer.pop()
		ssa = append(ssa, []int{min(a.id, b.id), max(a.id, b.id)})
		k12 := m.newLabels()
		k12.or(a.labels, b.labels)
		k12.and(k12, output)
		outer.push(outerTerm{size: k12.sizeOf(m.sizes), id: nextID, labels: k12})
		nextID++
		a = outer.pop()
	}
	return ssa
}
