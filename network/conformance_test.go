package network

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/strand-tn/strand/notation"
)

type einsumCase struct {
	ID       string  `json:"id"`
	Expr     string  `json:"expr"`
	Shapes   [][]int `json:"shapes"`
	OutShape []int   `json:"out_shape"`
	Style    string  `json:"style"`
	Why      string  `json:"why"`
}

// TestEinsumCases builds every valid equation of the conformance data and
// checks the output shape, and that the lowering splits each operand's
// shape exactly.
func TestEinsumCases(t *testing.T) {
	var cases []einsumCase
	loadJSON(t, "einsum_cases.json", &cases)
	for _, c := range cases {
		e, err := notation.ParseEinsum(c.Expr)
		if err != nil {
			t.Errorf("%s %q: %v", c.ID, c.Expr, err)
			continue
		}
		if e.Style.String() != c.Style {
			t.Errorf("%s %q: style %v, want %s", c.ID, c.Expr, e.Style, c.Style)
		}
		n, err := FromEinsum(e, c.Shapes)
		if err != nil {
			t.Errorf("%s %q: %v", c.ID, c.Expr, err)
			continue
		}
		if got := n.OutShape(); !slices.Equal(got, c.OutShape) {
			t.Errorf("%s %q: output shape %v, want %v", c.ID, c.Expr, got, c.OutShape)
		}
		low, err := n.Einsum()
		if err != nil {
			t.Errorf("%s %q: lowering: %v", c.ID, c.Expr, err)
			continue
		}
		if len(low.Operands) != len(c.Shapes) {
			t.Fatalf("%s: %d operands lowered for %d shapes", c.ID, len(low.Operands), len(c.Shapes))
		}
		for k, op := range low.Operands {
			if op.Input != k || !slices.Equal(op.Dims, c.Shapes[k]) || len(op.Split) != len(c.Shapes[k]) {
				t.Errorf("%s: operand %d lowered as %+v for shape %v", c.ID, k, op, c.Shapes[k])
			}
			for i, l := range op.Labels {
				if d := op.Dims[i]; d != low.Sizes[l] && d != 1 {
					t.Errorf("%s: operand %d label %s has dim %d but size %d", c.ID, k, l, d, low.Sizes[l])
				}
			}
		}
	}
}

// TestEinsumErrors checks that every invalid equation of the conformance
// data is rejected with a message from notation or network and a position
// inside the equation.
func TestEinsumErrors(t *testing.T) {
	var cases []einsumCase
	loadJSON(t, "einsum_errors.json", &cases)
	for _, c := range cases {
		e, err := notation.ParseEinsum(c.Expr)
		if err == nil {
			_, err = FromEinsum(e, c.Shapes)
		}
		if err == nil {
			t.Errorf("%s %q with %v accepted (%s)", c.ID, c.Expr, c.Shapes, c.Why)
			continue
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, "notation: ") && !strings.HasPrefix(msg, "network: ") {
			t.Errorf("%s: message %q lacks the package prefix", c.ID, msg)
		}
		if pos, ok := Position(err); !ok || pos < 0 || pos > len(c.Expr) {
			t.Errorf("%s %q: error %v has position %d (ok=%v)", c.ID, c.Expr, err, pos, ok)
		}
	}
}

type patternCase struct {
	ID          string         `json:"id"`
	Op          string         `json:"op"`
	Pattern     string         `json:"pattern"`
	InShape     []int          `json:"in_shape"`
	Axes        map[string]int `json:"axes"`
	Reduction   string         `json:"reduction"`
	OutShape    []int          `json:"out_shape"`
	OutHead     []float64      `json:"out_head"`
	OutChecksum float64        `json:"out_checksum"`
	Why         string         `json:"why"`
}

func planCase(c patternCase) (*Plan, error) {
	p, err := notation.ParsePattern(c.Pattern)
	if err != nil {
		return nil, err
	}
	op, ok := notation.ParseOp(c.Op)
	if !ok {
		return nil, errors.New("unknown op " + c.Op)
	}
	return PlanPattern(op, p, c.InShape, c.Axes, c.Reduction)
}

// TestRearrangeCases resolves every pattern of the conformance data, runs
// the plan on arange(n) with a naive evaluator and compares the first values
// and the order-sensitive checksum with einops' (relative tolerance 1e-12).
func TestRearrangeCases(t *testing.T) {
	var cases []patternCase
	loadJSON(t, "rearrange_cases.json", &cases)
	for _, c := range cases {
		plan, err := planCase(c)
		if err != nil {
			t.Errorf("%s %q: %v", c.ID, c.Pattern, err)
			continue
		}
		if !slices.Equal(plan.OutShape, c.OutShape) {
			t.Errorf("%s %q: output shape %v, want %v", c.ID, c.Pattern, plan.OutShape, c.OutShape)
			continue
		}
		out := runPlan(plan)
		for i, v := range c.OutHead {
			if i < len(out) && math.Abs(out[i]-v) > 1e-12*math.Max(1, math.Abs(v)) {
				t.Errorf("%s %q: out[%d] = %g, want %g", c.ID, c.Pattern, i, out[i], v)
				break
			}
		}
		sum := 0.0
		for k, v := range out {
			sum += float64(k+1) * v
		}
		if math.Abs(sum-c.OutChecksum) > 1e-12*math.Abs(c.OutChecksum) {
			t.Errorf("%s %q: checksum %g, want %g", c.ID, c.Pattern, sum, c.OutChecksum)
		}
	}
}

// TestRearrangeErrors checks that every invalid pattern is rejected.
func TestRearrangeErrors(t *testing.T) {
	var cases []patternCase
	loadJSON(t, "rearrange_errors.json", &cases)
	for _, c := range cases {
		_, err := planCase(c)
		if err == nil {
			t.Errorf("%s %q accepted (%s)", c.ID, c.Pattern, c.Why)
			continue
		}
		if pos, ok := Position(err); !ok || pos < 0 || pos > len(c.Pattern) {
			t.Errorf("%s %q: error %v has position %d (ok=%v)", c.ID, c.Pattern, err, pos, ok)
		}
	}
}

// runPlan executes a plan on arange(prod(InShape)) the slow way, one output
// element at a time, as the oracle for the plan's fields.
func runPlan(p *Plan) []float64 {
	n := prod(p.InShape)
	x := make([]float64, n)
	for i := range x {
		x[i] = float64(i)
	}
	// Reduce: for each kept-axes index, combine the values over the reduced axes.
	var kept []int
	for a := range p.Axes {
		if !slices.Contains(p.Reduced, a) {
			kept = append(kept, a)
		}
	}
	keptShape := make([]int, len(kept))
	for i, a := range kept {
		keptShape[i] = p.AxisSizes[a]
	}
	red := make([]float64, prod(keptShape))
	count := make([]int, len(red))
	first := make([]bool, len(red))
	for flat := range n {
		idx := unravel(flat, p.AxisSizes)
		ki := make([]int, len(kept))
		for i, a := range kept {
			ki[i] = idx[a]
		}
		r := ravel(ki, keptShape)
		v := x[flat]
		switch {
		case !first[r]:
			red[r], first[r] = v, true
		case p.Reduction == "sum" || p.Reduction == "mean":
			red[r] += v
		case p.Reduction == "prod":
			red[r] *= v
		case p.Reduction == "min":
			red[r] = math.Min(red[r], v)
		case p.Reduction == "max":
			red[r] = math.Max(red[r], v)
		}
		count[r]++
	}
	if p.Reduction == "mean" {
		for i := range red {
			red[i] /= float64(count[i])
		}
	}
	// Permute, expand and broadcast: output element at elementary index o
	// reads the kept index found through Perm, ignoring the new axes.
	out := make([]float64, prod(p.Repeat))
	for flat := range out {
		o := unravel(flat, p.Repeat)
		ki := make([]int, len(kept))
		j := 0
		for i := range p.Repeat {
			if !isKeptAxis(p, i) {
				continue // a new axis: every copy reads the same value
			}
			if p.Expand[i] != p.Repeat[i] {
				panic("a kept axis is broadcast")
			}
			ki[p.Perm[j]] = o[i]
			j++
		}
		out[flat] = red[ravel(ki, keptShape)]
	}
	return out
}

// isKeptAxis reports whether elementary output axis i is a kept input axis.
func isKeptAxis(p *Plan, i int) bool {
	for _, a := range p.Axes {
		if a == p.OutAxes[i] {
			return true
		}
	}
	return false
}

func prod(s []int) int {
	n := 1
	for _, d := range s {
		n *= d
	}
	return n
}

func unravel(flat int, shape []int) []int {
	idx := make([]int, len(shape))
	for i := len(shape) - 1; i >= 0; i-- {
		idx[i] = flat % shape[i]
		flat /= shape[i]
	}
	return idx
}

func ravel(idx, shape []int) int {
	flat := 0
	for i, d := range shape {
		flat = flat*d + idx[i]
	}
	return flat
}
