package path

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strings"
	"time"
	"unicode/utf8"
)

// Step describes one step of a path.
type Step struct {
	Operands   []int   // positions in the current list of terms (the path's step)
	Inputs     [][]int // labels of each operand
	Contracted []int   // labels summed away by this step
	Result     []int   // labels of the result: the output's order at the last step, else order of appearance
	Scaling    int     // number of distinct labels involved
	Size       *big.Int
	Flops      *big.Int
}

// Info reports a path and its cost exactly (big integers: FLOPs can exceed 2^63).
type Info struct {
	Problem Problem
	Path    Path // the per-slice path when Sliced is not empty
	Steps   []Step

	Flops   *big.Int // Σ_steps FLOPs, opt_einsum's convention (of one slice when sliced)
	Largest *big.Int // largest intermediate, in elements (of one slice when sliced)
	Write   *big.Int // Σ_steps |result| (of one slice when sliced)
	Naive   *big.Int // opt_einsum's naive cost: Π_all sizes · (max(1, n−1) + [a label is in two inputs])
	Speedup float64  // Naive / total FLOPs (over all slices)

	// Slicing. Sliced lists the labels fixed to one value per slice (never output
	// labels); the full result is the sum over all Slices of the per-slice results.
	Sliced      []int
	Slices      *big.Int // Π_{ℓ∈Sliced} size(ℓ); 1 when nothing is sliced
	TotalFlops  *big.Int // Flops · Slices
	Unsliced    *big.Int // FLOPs of Path without slicing
	Overhead    float64  // TotalFlops / Unsliced
	MemoryLimit int64    // the limit asked for (0: none)

	Method  string        // optimizer that produced Path ("" for Analyze)
	Optimal bool          // an exact method finished: Path is optimal for the objective among pairwise orders
	Elapsed time.Duration // search time
}

// Cost returns the per-slice FLOPs, largest intermediate and write as float64.
func (in *Info) Cost() Cost {
	f := func(b *big.Int) float64 { v, _ := new(big.Float).SetInt(b).Float64(); return v }
	return Cost{Flops: f(in.Flops), Largest: f(in.Largest), Write: f(in.Write)}
}

// Analyze checks path against p and reports it step by step.
func Analyze(p Problem, path Path) (*Info, error) {
	return AnalyzeSliced(p, path, nil)
}

// AnalyzeSliced is Analyze with the labels in sliced fixed to one value per
// slice: path is the per-slice path, and Info counts one slice and all.
func AnalyzeSliced(p Problem, path Path, sliced []int) (*Info, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	full := newModel(p)
	if err := path.Check(full.n); err != nil {
		return nil, err
	}
	m := full
	if len(sliced) > 0 {
		m = newModel(p.withSliced(sliced))
	}
	steps, _, err := m.evaluate(path)
	if err != nil {
		return nil, err
	}
	in := &Info{Problem: p, Path: path, Flops: new(big.Int), Largest: new(big.Int), Write: new(big.Int),
		Sliced: append([]int(nil), sliced...), Slices: big.NewInt(1)}
	for _, l := range sliced {
		in.Slices.Mul(in.Slices, big.NewInt(int64(p.Sizes[l])))
	}
	order := make([][]int, len(p.Inputs)) // labels of each current term, in display order
	copy(order, p.Inputs)
	for s, st := range steps {
		step := Step{Operands: append([]int(nil), st.operands...), Contracted: st.dropped.list(), Scaling: st.union.count()}
		for _, pos := range st.operands {
			step.Inputs = append(step.Inputs, append([]int(nil), order[pos]...))
		}
		if s == len(steps)-1 {
			step.Result = append([]int(nil), p.Output...)
		} else {
			seen := m.newLabels()
			for _, labels := range step.Inputs {
				for _, l := range labels {
					if st.result.has(l) && !seen.has(l) {
						seen.add(l)
						step.Result = append(step.Result, l)
					}
				}
			}
		}
		order = append(removePositions(order, st.operands), step.Result)
		step.Size = bigSize(st.result, m.p.Sizes)
		step.Flops = bigStepFlops(st, m.p.Sizes)
		in.Flops.Add(in.Flops, step.Flops)
		in.Write.Add(in.Write, step.Size)
		if step.Size.Cmp(in.Largest) > 0 {
			in.Largest.Set(step.Size)
		}
		in.Steps = append(in.Steps, step)
	}
	in.Naive = naiveCost(full)
	in.TotalFlops = new(big.Int).Mul(in.Flops, in.Slices)
	in.Unsliced = in.TotalFlops
	if len(sliced) > 0 {
		in.Unsliced = exactFlops(full, path)
	}
	in.Overhead = ratio(in.TotalFlops, in.Unsliced)
	in.Speedup = ratio(in.Naive, in.TotalFlops)
	return in, nil
}

// bigStepFlops is the exact FLOPs of one evaluated step.
func bigStepFlops(st evalStep, sizes []int) *big.Int {
	factor := int64(max(1, len(st.operands)-1))
	if !st.dropped.empty() {
		factor++
	}
	return new(big.Int).Mul(bigSize(st.union, sizes), big.NewInt(factor))
}

func bigSize(s bitset, sizes []int) *big.Int {
	b := big.NewInt(1)
	s.each(func(l int) { b.Mul(b, big.NewInt(int64(sizes[l]))) })
	return b
}

// exactFlops returns the FLOPs of path (checked) over m exactly.
func exactFlops(m *model, path Path) *big.Int {
	steps, _, _ := m.evaluate(path)
	total := new(big.Int)
	for _, st := range steps {
		total.Add(total, bigStepFlops(st, m.p.Sizes))
	}
	return total
}

// naiveCost is opt_einsum's naive_cost: every label at once, over all n inputs.
func naiveCost(m *model) *big.Int {
	all := m.newLabels()
	total := 0
	for _, in := range m.inputs {
		all.or(all, in)
		total += in.count()
	}
	factor := int64(max(1, m.n-1))
	if total > all.count() {
		factor++
	}
	return new(big.Int).Mul(bigSize(all, m.p.Sizes), big.NewInt(factor))
}

func ratio(a, b *big.Int) float64 {
	if b.Sign() == 0 {
		if a.Sign() == 0 {
			return 1
		}
		return math.Inf(1)
	}
	r, _ := new(big.Rat).SetFrac(a, b).Float64()
	return r
}

// formatCount prints an exact integer up to 15 digits, otherwise %.3e.
func formatCount(b *big.Int) string {
	s := b.String()
	if len(s) <= 15 {
		return s
	}
	f, _ := new(big.Float).SetInt(b).Float64()
	return fmt.Sprintf("%.3e", f)
}

// String renders the report as a table in the style of opt_einsum's PathInfo.
func (in *Info) String() string {
	p := in.Problem
	compact := p.compactNames()
	sep, arrow := ",", "->"
	if !compact {
		sep, arrow = ", ", " -> "
	}
	var b strings.Builder
	maxScaling := 0
	for _, st := range in.Steps {
		maxScaling = max(maxScaling, st.Scaling)
	}
	allLabels := 0
	used := make([]bool, len(p.Sizes))
	for _, t := range p.Inputs {
		for _, l := range t {
			if !used[l] {
				used[l] = true
				allLabels++
			}
		}
	}
	f := func(x *big.Int) string { v, _ := new(big.Float).SetInt(x).Float64(); return fmt.Sprintf("%.3e", v) }
	fmt.Fprintf(&b, "  Complete contraction:  %s\n", p.Expr())
	fmt.Fprintf(&b, "         Naive scaling:  %d\n", allLabels)
	fmt.Fprintf(&b, "     Optimized scaling:  %d\n", maxScaling)
	fmt.Fprintf(&b, "      Naive FLOP count:  %s\n", f(in.Naive))
	fmt.Fprintf(&b, "  Optimized FLOP count:  %s\n", f(in.TotalFlops))
	fmt.Fprintf(&b, "   Theoretical speedup:  %.3f\n", in.Speedup)
	fmt.Fprintf(&b, "  Largest intermediate:  %s elements\n", f(in.Largest))
	fmt.Fprintf(&b, "           Total write:  %s elements\n", f(in.Write))
	if len(in.Sliced) > 0 {
		names := make([]string, len(in.Sliced))
		for i, l := range in.Sliced {
			names[i] = p.labelName(l)
		}
		fmt.Fprintf(&b, "        Sliced indices:  %s (%s slices of %s FLOPs, overhead %.3f)\n",
			strings.Join(names, " "), in.Slices, f(in.Flops), in.Overhead)
	}
	if in.Method != "" {
		fmt.Fprintf(&b, "             Optimizer:  %s", in.Method)
		if in.Optimal {
			b.WriteString(" (optimal)")
		}
		b.WriteByte('\n')
	}
	rows := [][]string{{"step", "scaling", "operands", "contraction", "summed", "size", "flops"}}
	for s, st := range in.Steps {
		terms := make([]string, len(st.Inputs))
		for k, t := range st.Inputs {
			terms[k] = p.formatTerm(t, compact)
		}
		ops := make([]string, len(st.Operands))
		for k, o := range st.Operands {
			ops[k] = fmt.Sprint(o)
		}
		summed := "-"
		if len(st.Contracted) > 0 {
			summed = p.formatTerm(st.Contracted, false)
		}
		rows = append(rows, []string{fmt.Sprint(s + 1), fmt.Sprint(st.Scaling), "(" + strings.Join(ops, ", ") + ")",
			strings.Join(terms, sep) + arrow + p.formatTerm(st.Result, compact), summed, formatCount(st.Size), formatCount(st.Flops)})
	}
	width := make([]int, len(rows[0]))
	for _, r := range rows {
		for c, cell := range r {
			width[c] = max(width[c], utf8.RuneCountInString(cell))
		}
	}
	total := 2 * (len(width) - 1)
	for _, w := range width {
		total += w
	}
	rule := strings.Repeat("-", max(80, total)) + "\n"
	for i, r := range rows {
		if i <= 1 {
			b.WriteString(rule)
		}
		for c, cell := range r {
			pad := strings.Repeat(" ", width[c]-utf8.RuneCountInString(cell))
			if c > 0 {
				b.WriteString("  ")
			}
			if c < 2 || c > 4 { // numbers right-aligned
				b.WriteString(pad + cell)
			} else if c < len(r)-1 {
				b.WriteString(cell + pad)
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// infoJSON is the JSON form of Info; the first keys are the contract of
// `strand path --json`.
type infoJSON struct {
	Path        Path     `json:"path"`
	Flops       *big.Int `json:"flops"`
	Largest     *big.Int `json:"largest_intermediate"`
	Write       *big.Int `json:"write"`
	Slices      []string `json:"slices"`
	NumSlices   *big.Int `json:"n_slices"`
	TotalFlops  *big.Int `json:"total_flops"`
	Overhead    float64  `json:"slicing_overhead"`
	Naive       *big.Int `json:"naive_flops"`
	Speedup     float64  `json:"speedup"`
	Method      string   `json:"method,omitempty"`
	Optimal     bool     `json:"optimal,omitempty"`
	ElapsedSecs float64  `json:"elapsed_s"`
}

// MarshalJSON writes {"path": [[i, j], ...], "flops": N, "largest_intermediate": N,
// "write": N, "slices": [names], ...}: exact integers, the path in linear format.
// With slicing, "flops" is the total over all slices and "largest_intermediate"
// and "write" are per slice. A speedup beyond float64's range (the naive cost of
// a large network overflows) is written as the largest float64, as JSON has no
// infinity.
func (in *Info) MarshalJSON() ([]byte, error) {
	names := make([]string, len(in.Sliced))
	for i, l := range in.Sliced {
		names[i] = in.Problem.labelName(l)
	}
	path := in.Path
	if path == nil {
		path = Path{}
	}
	return json.Marshal(infoJSON{Path: path, Flops: in.TotalFlops, Largest: in.Largest, Write: in.Write,
		Slices: names, NumSlices: in.Slices, TotalFlops: in.TotalFlops, Overhead: in.Overhead,
		Naive: in.Naive, Speedup: min(in.Speedup, math.MaxFloat64), Method: in.Method, Optimal: in.Optimal,
		ElapsedSecs: in.Elapsed.Seconds()})
}
