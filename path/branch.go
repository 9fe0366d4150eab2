package path

import (
	"slices"
)

// branchCutoff prunes a partial path whose cost exceeds this multiple of the best
// cost seen at the same depth (opt_einsum's cutoff_flops_factor).
const branchCutoff = 4

// runBranch is opt_einsum's BranchBound: a depth-first search over pairwise
// contractions, trying at each step the candidates in order of the greedy heuristic
// |result| − |A| − |B| (pairs sharing a label first; outer products only when no
// pair shares one), at most Options.Branches of them (all when zero), pruning
// partial paths that already cost more than the best complete one or more than
// branchCutoff times the best partial cost seen at the same depth. With all
// branches and no cutoff it would be exhaustive; the cutoff makes it a heuristic.
func runBranch(s *search) {
	m := s.m
	if m.n == 1 {
		return
	}
	b := &brancher{s: s, m: m, nbranch: s.opts.Branches, priv: m.private(),
		progress: make([]float64, m.n), scratch: m.newLabels()}
	for i := range b.progress {
		b.progress[i] = -1
	}
	terms := make([]branchTerm, m.n)
	for i, in := range m.inputs {
		terms[i] = branchTerm{node: i, op: operand{labels: in}, size: in.sizeOf(m.sizes)}
		if !b.priv[i].empty() {
			terms[i].op.reduced = m.newLabels()
			terms[i].op.reduced.andNot(in, b.priv[i])
		}
	}
	counts := append([]int(nil), m.counts...)
	b.walk(terms, counts, nil, Cost{})
}

type branchTerm struct {
	node int // tree node
	op   operand
	size float64 // |labels| as the term stands (before any single-term sum)
}

type brancher struct {
	s        *search
	m        *model
	nbranch  int
	priv     []bitset
	progress []float64 // best primary cost seen after each number of steps; −1 unset
	scratch  bitset
	steps    int
}

type branchCand struct {
	i, j      int
	result    bitset
	cost      Cost
	heuristic float64
}

// walk extends the partial tree t (whose steps cost so far) over the live terms.
func (b *brancher) walk(terms []branchTerm, counts []int, t tree, so Cost) {
	if len(terms) == 1 {
		b.s.offerRanked(t, b.s.cost(t), -1)
		return
	}
	b.steps++
	if b.steps&1023 == 0 && b.s.expired() {
		return
	}
	cands := b.candidates(terms, counts, so, true)
	if len(cands) == 0 {
		cands = b.candidates(terms, counts, so, false)
	}
	slices.SortStableFunc(cands, func(x, y branchCand) int {
		switch {
		case x.heuristic < y.heuristic:
			return -1
		case x.heuristic > y.heuristic:
			return 1
		}
		return 0
	})
	depth := len(t)
	for k, c := range cands {
		if b.nbranch > 0 && k >= b.nbranch {
			break
		}
		if b.s.expired() {
			return
		}
		total := addCost(so, c.cost)
		if !b.s.obj.Better(total, b.s.currentBest()) {
			continue
		}
		pc := b.s.obj.primary(total)
		switch {
		case b.progress[depth] < 0 || pc < b.progress[depth]:
			b.progress[depth] = pc
		case pc > branchCutoff*b.progress[depth]:
			continue
		}
		node := b.m.n + depth
		next := make([]branchTerm, 0, len(terms)-1)
		for q, tm := range terms {
			if q != c.i && q != c.j {
				next = append(next, tm)
			}
		}
		next = append(next, branchTerm{node: node, op: operand{labels: c.result}, size: c.result.sizeOf(b.m.sizes)})
		nc := append([]int(nil), counts...)
		terms[c.i].op.labels.each(func(l int) { nc[l]-- })
		terms[c.j].op.labels.each(func(l int) { nc[l]-- })
		c.result.each(func(l int) { nc[l]++ })
		b.walk(next, nc, append(t[:depth:depth], [2]int{terms[c.i].node, terms[c.j].node}), total)
	}
}

// candidates lists the pairs of live terms (sharing a label when shared is set).
func (b *brancher) candidates(terms []branchTerm, counts []int, so Cost, shared bool) []branchCand {
	var out []branchCand
	for i := range terms {
		for j := i + 1; j < len(terms); j++ {
			a, c := terms[i].op.labels, terms[j].op.labels
			if shared && !a.intersects(c) {
				continue
			}
			res := b.m.newLabels()
			res.or(a, c)
			res.each(func(l int) {
				n := counts[l]
				if a.has(l) {
					n--
				}
				if c.has(l) {
					n--
				}
				if n == 0 && !b.m.output.has(l) {
					res.remove(l)
				}
			})
			cost, _, _ := b.m.pairStep(terms[i].op, terms[j].op, res, b.s.obj, b.scratch)
			out = append(out, branchCand{i: i, j: j, result: res, cost: cost,
				heuristic: res.sizeOf(b.m.sizes) - terms[i].size - terms[j].size})
		}
	}
	return out
}
