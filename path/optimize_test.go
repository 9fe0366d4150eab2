package path

import (
	"testing"
)

// TestExactBeatsOptEinsum asserts issue 3's target: on every expression of
// path_costs.json, "optimal" and "dp" cost no more than the best of opt_einsum's
// optimal, greedy and dp.
func TestExactBeatsOptEinsum(t *testing.T) {
	for _, c := range loadCostCases(t) {
		best := c.best()
		for _, meth := range []string{"optimal", "dp"} {
			path, info, err := Optimize(c.problem, Options{Method: meth})
			if err != nil {
				t.Fatalf("%s %s: %v", c.ID, meth, err)
			}
			cost, err := PathCost(c.problem, path)
			if err != nil {
				t.Fatal(err)
			}
			if info.Flops.IsInt64() && float64(info.Flops.Int64()) != cost.Flops {
				t.Errorf("%s %s: Info flops %v, PathCost %v", c.ID, meth, info.Flops, cost.Flops)
			}
			if best >= 0 && cost.Flops > float64(best) {
				t.Errorf("%s %s %s: %v > opt_einsum best %d (path %v)", c.ID, c.Expr, meth, cost.Flops, best, path)
			}
			if best >= 0 && cost.Flops < float64(best) {
				t.Logf("%s %s %s: %v < opt_einsum best %d", c.ID, c.Expr, meth, cost.Flops, best)
			}
		}
	}
}

// TestDegenerate covers scalars only, a single input, a zero-size label and a
// batch label on every input: every method returns a valid path, the exact ones
// the brute-force optimum.
func TestDegenerate(t *testing.T) {
	for _, p := range []Problem{
		{Inputs: [][]int{{}, {}, {}}},
		{Inputs: [][]int{{0, 1}}, Output: []int{0}, Sizes: []int{3, 4}},
		{Inputs: [][]int{{0, 1}, {1, 2}, {2}}, Sizes: []int{0, 5, 5}},
		{Inputs: [][]int{{0, 1}, {0, 1, 2}, {0, 2}}, Output: []int{0}, Sizes: []int{4, 3, 2}},
	} {
		want := bruteForce(t, p, Flops)
		for _, meth := range Methods() {
			_, info, err := Optimize(p, Options{Method: meth, Repeats: 4})
			if err != nil {
				t.Fatalf("%v %s: %v", p, meth, err)
			}
			got := info.Cost().Flops
			if got < want.Flops || got != want.Flops && (meth == "optimal" || meth == "dp" || meth == "auto") {
				t.Errorf("%v %s: %v, optimum %v", p, meth, got, want.Flops)
			}
		}
	}
}
