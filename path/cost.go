package path

import (
	"fmt"
	"strings"
)

// Objective is what an optimizer minimises. The zero value is [Flops].
type Objective int

const (
	// Flops minimises total FLOPs (ties: smaller largest intermediate).
	Flops Objective = iota
	// Size minimises the largest intermediate (ties: fewer FLOPs).
	Size
	// Write minimises the total number of elements written, Σ_steps |result|
	// (ties: fewer FLOPs).
	Write
	// Combo minimises FLOPs + 64·write, cotengra's "combo" with its default factor:
	// it balances arithmetic against memory traffic.
	Combo
)

// comboFactor weighs write against FLOPs in [Combo].
const comboFactor = 64

var objectiveNames = [...]string{Flops: "flops", Size: "size", Write: "write", Combo: "combo"}

// String returns the objective's name: flops, size, write or combo.
func (o Objective) String() string {
	if o >= 0 && int(o) < len(objectiveNames) {
		return objectiveNames[o]
	}
	return fmt.Sprintf("Objective(%d)", int(o))
}

// ParseObjective reads an objective name (flops, size, write, combo; case does not
// matter; "" is flops).
func ParseObjective(s string) (Objective, error) {
	if s == "" {
		return Flops, nil
	}
	for o, name := range objectiveNames {
		if strings.EqualFold(s, name) {
			return Objective(o), nil
		}
	}
	return 0, fmt.Errorf("path: unknown objective %q (want flops, size, write or combo)", s)
}

// Cost summarises a path in opt_einsum's convention (see the package doc), as
// float64: exact below 2^53, within 1 ulp relative beyond. [Info] has exact values.
type Cost struct {
	Flops   float64 // Σ_steps Π_{ℓ∈U} size(ℓ)·(max(1,k−1) + [something dropped])
	Largest float64 // largest step result, in elements
	Write   float64 // Σ_steps |result|
}

// primary is the quantity o minimises first.
func (o Objective) primary(c Cost) float64 {
	switch o {
	case Size:
		return c.Largest
	case Write:
		return c.Write
	case Combo:
		return c.Flops + comboFactor*c.Write
	}
	return c.Flops
}

// secondary breaks ties in primary.
func (o Objective) secondary(c Cost) float64 {
	if o == Flops {
		return c.Largest
	}
	return c.Flops
}

// Better reports whether a is strictly better than b under o.
func (o Objective) Better(a, b Cost) bool {
	pa, pb := o.primary(a), o.primary(b)
	if pa != pb {
		return pa < pb
	}
	return o.secondary(a) < o.secondary(b)
}

// stepCost returns the FLOPs of one step over k terms whose labels have union size
// u, dropping labels or not.
func stepCost(u float64, k int, dropped bool) float64 {
	f := float64(max(1, k-1))
	if dropped {
		f++
	}
	return u * f
}

// model is a validated Problem in the form the optimizers use.
type model struct {
	p      Problem
	n      int       // number of inputs
	nl     int       // number of labels
	sizes  []float64 // per label
	inputs []bitset  // label set per input
	output bitset
	counts []int // number of inputs carrying each label
}

func newModel(p Problem) *model {
	m := &model{p: p, n: len(p.Inputs), nl: len(p.Sizes)}
	m.sizes = make([]float64, m.nl)
	for l, d := range p.Sizes {
		m.sizes[l] = float64(d)
	}
	m.counts = make([]int, m.nl)
	m.inputs = make([]bitset, m.n)
	for k, in := range p.Inputs {
		m.inputs[k] = newBitset(m.nl)
		for _, l := range in {
			m.inputs[k].add(l)
			m.counts[l]++
		}
	}
	m.output = newBitset(m.nl)
	for _, l := range p.Output {
		m.output.add(l)
	}
	return m
}

func (m *model) newLabels() bitset { return newBitset(m.nl) }

// evalStep is one step of a linear path, evaluated.
type evalStep struct {
	operands []int    // positions in the current list, as given
	terms    []bitset // label sets of the operands
	union    bitset
	result   bitset
	dropped  bitset
	flops    float64
	size     float64
}

// evaluate runs path over m, checking it, and returns its steps and cost.
func (m *model) evaluate(path Path) ([]evalStep, Cost, error) {
	if err := path.Check(m.n); err != nil {
		return nil, Cost{}, err
	}
	terms := make([]bitset, m.n)
	copy(terms, m.inputs)
	counts := make([]int, m.nl)
	copy(counts, m.counts)
	var c Cost
	steps := make([]evalStep, len(path))
	for s, step := range path {
		st := evalStep{operands: step, union: m.newLabels(), result: m.newLabels(), dropped: m.newLabels()}
		for _, pos := range step {
			st.terms = append(st.terms, terms[pos])
			st.union.or(st.union, terms[pos])
			terms[pos].each(func(l int) { counts[l]-- })
		}
		st.union.each(func(l int) {
			if counts[l] > 0 || m.output.has(l) {
				st.result.add(l)
				counts[l]++
			} else {
				st.dropped.add(l)
			}
		})
		st.flops = stepCost(st.union.sizeOf(m.sizes), len(step), !st.dropped.empty())
		st.size = st.result.sizeOf(m.sizes)
		c.Flops += st.flops
		c.Write += st.size
		c.Largest = max(c.Largest, st.size)
		terms = removePositions(terms, step)
		terms = append(terms, st.result)
		steps[s] = st
	}
	return steps, c, nil
}

// removePositions deletes the listed positions from terms, keeping the order.
func removePositions[T any](terms []T, positions []int) []T {
	out := terms[:0:0]
	for i, t := range terms {
		drop := false
		for _, pos := range positions {
			if pos == i {
				drop = true
				break
			}
		}
		if !drop {
			out = append(out, t)
		}
	}
	return out
}

// PathCost returns the cost of path for p in opt_einsum's convention, or an error
// when p is invalid or path is not a complete path over p's inputs.
func PathCost(p Problem, path Path) (Cost, error) {
	if err := p.Validate(); err != nil {
		return Cost{}, err
	}
	_, c, err := newModel(p).evaluate(path)
	return c, err
}
