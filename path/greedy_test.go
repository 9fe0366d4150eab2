package path

import (
	"math/big"
	"slices"
	"testing"
)

// TestGreedyMatchesOptEinsumNetworks checks that Greedy reproduces opt_einsum's
// greedy path, step for step, on every benchmark network, and its cost exactly.
func TestGreedyMatchesOptEinsumNetworks(t *testing.T) {
	for _, n := range loadNetworks(t) {
		want := n.refPath("opt_einsum_greedy_path")
		got := Greedy(n.problem)
		info, err := Analyze(n.problem, got)
		if err != nil {
			t.Fatalf("%s: %v", n.Name, err)
		}
		wantFlops, _ := n.refFlops("opt_einsum_greedy_flops")
		if info.Flops.Cmp(wantFlops) != 0 {
			t.Errorf("%s: greedy flops %v, opt_einsum %v", n.Name, info.Flops, wantFlops)
		}
		if !slices.EqualFunc(got, want, slices.Equal) {
			t.Errorf("%s: greedy path differs from opt_einsum's", n.Name)
		}
	}
}

// TestGreedyMatchesOptEinsumCases checks Greedy against opt_einsum's greedy paths
// on the conformance expressions.
func TestGreedyMatchesOptEinsumCases(t *testing.T) {
	for _, c := range loadCostCases(t) {
		if c.GreedyPath == nil || c.Greedy == nil {
			continue
		}
		got := Greedy(c.problem)
		info, err := Analyze(c.problem, got)
		if err != nil {
			t.Fatalf("%s: %v", c.ID, err)
		}
		if info.Flops.Cmp(big.NewInt(*c.Greedy)) != 0 {
			t.Errorf("%s %s: greedy flops %v, opt_einsum %d", c.ID, c.Expr, info.Flops, *c.Greedy)
		}
		if len(c.problem.Inputs) > 2 && !slices.EqualFunc(got, toPath(c.GreedyPath), slices.Equal) {
			t.Errorf("%s %s: greedy path %v, opt_einsum %v", c.ID, c.Expr, got, toPath(c.GreedyPath))
		}
	}
}
