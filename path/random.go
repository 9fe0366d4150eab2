package path

import (
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
)

// Random-greedy hyper-parameter ranges, sampled per trial (cotengra's defaults):
// the score of contracting A and B into C is |C|/costmod − (|A|+|B|)·costmod, and
// temperature scales the Gumbel noise added to its signed logarithm.
const (
	costmodMin, costmodMax = 0.1, 4.0
	tempMin, tempMax       = 0.001, 1.0
	defaultRepeats         = 128
)

// runRandomGreedy runs Options.Repeats greedy trials with randomised choices
// (J. Gray and S. Kourtis, "Hyper-optimized tensor network contraction", Quantum 5,
// 410, 2021; cotengra's RandomGreedyOptimizer): each trial samples costmod and a
// temperature, and at each step contracts the pair minimising
//
//	sign(x)·log(1+|x|) − temperature·g,  x = |C|/costmod − (|A|+|B|)·costmod,
//
// with g a standard Gumbel variable drawn per candidate, which samples pairs with
// Boltzmann weights. Trials run in parallel on Options.Workers goroutines; trial r
// is seeded by (Seed, r), and ties between equal costs go to the lower trial, so a
// fixed Repeats gives the same path on any number of cores. Greedy's own path is
// always among the candidates.
func runRandomGreedy(s *search) {
	repeats := s.opts.Repeats
	if repeats == 0 && s.deadline.IsZero() {
		repeats = defaultRepeats
	}
	s.randomTrials(repeats)
}

// randomTrials runs trials 0..repeats−1 (unbounded when repeats is 0, until the
// search expires), offering each tree.
func (s *search) randomTrials(repeats int) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < s.opts.Workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e := newRGEngine(s.m)
			for {
				r := next.Add(1) - 1
				if repeats > 0 && r >= int64(repeats) || s.expired() {
					return
				}
				rng := rand.New(rand.NewPCG(s.opts.Seed, uint64(r)))
				costmod := costmodMin + (costmodMax-costmodMin)*rng.Float64()
				temp := tempMin * math.Pow(tempMax/tempMin, rng.Float64())
				t := e.trial(rng, costmod, temp)
				s.offerRanked(t, s.cost(t), r)
			}
		}()
	}
	wg.Wait()
}

// rgEngine runs greedy trials over a model; one per goroutine.
type rgEngine struct {
	m        *model
	kept     []bool    // labels never contracted: output, or on every input
	labels   [][]int32 // per term: sorted labels (inputs without their private labels)
	size     []float64
	alive    []bool
	carriers [][]int32 // per label: live terms carrying it
	stamp    []int32
	queue    minHeap[rgCand]
	arena    []int32
}

type rgCand struct {
	score float64
	a, b  int32
}

func newRGEngine(m *model) *rgEngine {
	e := &rgEngine{m: m, kept: make([]bool, m.nl), carriers: make([][]int32, m.nl)}
	for l := 0; l < m.nl; l++ {
		e.kept[l] = m.output.has(l) || m.counts[l] == m.n && m.n > 1
	}
	e.queue.less = func(x, y rgCand) bool {
		if x.score != y.score {
			return x.score < y.score
		}
		if x.a != y.a {
			return x.a < y.a
		}
		return x.b < y.b
	}
	return e
}

// trial runs one randomised greedy contraction and returns its tree.
func (e *rgEngine) trial(rng *rand.Rand, costmod, temp float64) tree {
	m := e.m
	total := 2*m.n - 1
	e.labels = e.labels[:0]
	e.size = e.size[:0]
	e.alive = e.alive[:0]
	e.stamp = e.stamp[:0]
	e.arena = e.arena[:0]
	for l := range e.carriers {
		e.carriers[l] = e.carriers[l][:0]
	}
	e.queue.items = e.queue.items[:0]
	for i, in := range m.inputs {
		start := len(e.arena)
		in.each(func(l int) {
			if m.counts[l] > 1 || m.output.has(l) {
				e.arena = append(e.arena, int32(l))
				if !e.kept[l] {
					e.carriers[l] = append(e.carriers[l], int32(i))
				}
			}
		})
		e.addTerm(start)
	}
	score := func(a, b int32, sizeC float64) float64 {
		x := sizeC/costmod - (e.size[a]+e.size[b])*costmod
		v := math.Copysign(math.Log1p(math.Abs(x)), x)
		if temp > 0 {
			v -= temp * -math.Log(-math.Log(1-rng.Float64()))
		}
		return v
	}
	push := func(a, b int32) {
		if a > b {
			a, b = b, a
		}
		e.queue.push(rgCand{score: score(a, b, e.resultSize(a, b)), a: a, b: b})
	}
	for l := range e.carriers {
		cs := e.carriers[l]
		for i := range cs {
			for j := i + 1; j < len(cs); j++ {
				push(cs[i], cs[j])
			}
		}
	}
	t := make(tree, 0, m.n-1)
	for e.queue.len() > 0 {
		c := e.queue.pop()
		if !e.alive[c.a] || !e.alive[c.b] {
			continue
		}
		id := e.contract(c.a, c.b)
		t = append(t, [2]int{int(c.a), int(c.b)})
		// New candidates: the new term with every live term sharing a label.
		for len(e.stamp) < total {
			e.stamp = append(e.stamp, -1)
		}
		for _, l := range e.labels[id] {
			if e.kept[l] {
				continue
			}
			for _, d := range e.carriers[l] {
				if d != id && e.stamp[d] != id {
					e.stamp[d] = id
					push(d, id)
				}
			}
		}
	}
	// Combine what is left (disconnected parts) by outer products, smallest first.
	left := minHeap[rgCand]{less: e.queue.less}
	for id := range e.alive {
		if e.alive[id] {
			left.push(rgCand{score: e.size[id], a: int32(id)})
		}
	}
	for left.len() > 1 {
		a, b := left.pop().a, left.pop().a
		id := e.contract(a, b)
		t = append(t, [2]int{int(min(a, b)), int(max(a, b))})
		left.push(rgCand{score: e.size[id], a: id})
	}
	return t
}

// addTerm registers a live term whose labels are arena[start:].
func (e *rgEngine) addTerm(start int) int32 {
	labels := e.arena[start:len(e.arena):len(e.arena)]
	size := 1.0
	for _, l := range labels {
		size *= e.m.sizes[l]
	}
	e.labels = append(e.labels, labels)
	e.size = append(e.size, size)
	e.alive = append(e.alive, true)
	return int32(len(e.labels) - 1)
}

// keeps reports whether label l survives contracting terms a and b, given how many
// of the two carry it.
func (e *rgEngine) keeps(l int32, carried int) bool {
	return e.kept[l] || len(e.carriers[l]) > carried
}

// resultSize is |C| for C = contraction of a and b.
func (e *rgEngine) resultSize(a, b int32) float64 {
	la, lb := e.labels[a], e.labels[b]
	size := 1.0
	i, j := 0, 0
	for i < len(la) || j < len(lb) {
		switch {
		case j == len(lb) || i < len(la) && la[i] < lb[j]:
			if e.keeps(la[i], 1) {
				size *= e.m.sizes[la[i]]
			}
			i++
		case i == len(la) || lb[j] < la[i]:
			if e.keeps(lb[j], 1) {
				size *= e.m.sizes[lb[j]]
			}
			j++
		default:
			if e.keeps(la[i], 2) {
				size *= e.m.sizes[la[i]]
			}
			i++
			j++
		}
	}
	return size
}

// contract replaces live terms a and b by their contraction and returns its id.
func (e *rgEngine) contract(a, b int32) int32 {
	la, lb := e.labels[a], e.labels[b]
	start := len(e.arena)
	i, j := 0, 0
	for i < len(la) || j < len(lb) {
		switch {
		case j == len(lb) || i < len(la) && la[i] < lb[j]:
			if e.keeps(la[i], 1) {
				e.arena = append(e.arena, la[i])
			}
			i++
		case i == len(la) || lb[j] < la[i]:
			if e.keeps(lb[j], 1) {
				e.arena = append(e.arena, lb[j])
			}
			j++
		default:
			if e.keeps(la[i], 2) {
				e.arena = append(e.arena, la[i])
			}
			i++
			j++
		}
	}
	e.alive[a], e.alive[b] = false, false
	for _, l := range la {
		e.dropCarrier(l, a)
	}
	for _, l := range lb {
		e.dropCarrier(l, b)
	}
	id := e.addTerm(start)
	for _, l := range e.labels[id] {
		if !e.kept[l] {
			e.carriers[l] = append(e.carriers[l], id)
		}
	}
	return id
}

func (e *rgEngine) dropCarrier(l, t int32) {
	if e.kept[l] {
		return
	}
	cs := e.carriers[l]
	if k := slices.Index(cs, t); k >= 0 {
		cs[k] = cs[len(cs)-1]
		e.carriers[l] = cs[:len(cs)-1]
	}
}
