package path

import (
	"math/big"
	"slices"
	"strings"
	"testing"
)

// TestSlicing checks sliced plans against independent evaluation: every
// per-slice intermediate fits, the per-slice cost is PathCost of the problem with
// the sliced labels set to size 1, and the totals multiply out.
func TestSlicing(t *testing.T) {
	cases := []struct {
		p     Problem
		limit int64
	}{
		{ladder(20, 3, 10), 100},
		{ladder(20, 3, 10), 30},
		{ladder(8, 2, 64), 4096},
		{exprProblem(t, "pi,qj,ijkl,rk,sl->pqrs", func(string) int { return 6 }), 6 * 6 * 6 * 6},
	}
	if n := findNetworkOptional(t, "B5_randreg3_n50_seed1"); n != nil {
		cases = append(cases, struct {
			p     Problem
			limit int64
		}{n.problem, 64})
	}
	for _, c := range cases {
		for _, meth := range []string{"greedy", "auto"} {
			path, info, err := Optimize(c.p, Options{Method: meth, MemoryLimit: c.limit})
			if err != nil {
				t.Fatalf("%s limit %d: %v", meth, c.limit, err)
			}
			if info.Largest.Cmp(big.NewInt(c.limit)) > 0 {
				t.Errorf("%s limit %d: largest %v", meth, c.limit, info.Largest)
			}
			for _, l := range info.Sliced {
				if slices.Contains(c.p.Output, l) {
					t.Errorf("%s: sliced output label %d", meth, l)
				}
			}
			per, err := PathCost(c.p.withSliced(info.Sliced), path)
			if err != nil {
				t.Fatal(err)
			}
			if per != info.Cost() {
				t.Errorf("%s limit %d: per-slice cost %+v, Info %+v", meth, c.limit, per, info.Cost())
			}
			want := new(big.Int).Mul(info.Flops, info.Slices)
			if info.TotalFlops.Cmp(want) != 0 || info.Overhead < 1 {
				t.Errorf("%s: total %v, want %v; overhead %v", meth, info.TotalFlops, want, info.Overhead)
			}
			unsliced, _ := PathCost(c.p, path)
			if got := ratio(info.TotalFlops, info.Unsliced); got != info.Overhead || float64(info.Unsliced.Int64()) != unsliced.Flops {
				t.Errorf("%s: overhead %v, unsliced %v (PathCost %v)", meth, info.Overhead, info.Unsliced, unsliced.Flops)
			}
			t.Logf("limit %6d %-6s: sliced %d labels, %v slices, overhead %.3f", c.limit, meth, len(info.Sliced), info.Slices, info.Overhead)
		}
	}
}

func findNetworkOptional(t *testing.T, name string) *network {
	for _, n := range loadNetworks(t) {
		if n.Name == name {
			return n
		}
	}
	return nil
}

func TestSlicingLimits(t *testing.T) {
	p := exprProblem(t, "ab,bc->ac", func(string) int { return 10 })
	_, _, err := Optimize(p, Options{MemoryLimit: 50})
	if err == nil || !strings.Contains(err.Error(), "smallest feasible limit is 100") {
		t.Errorf("limit below the output: %v", err)
	}
	_, info, err := Optimize(p, Options{MemoryLimit: 100})
	if err != nil || len(info.Sliced) != 0 || info.Slices.Cmp(big.NewInt(1)) != 0 || info.Overhead != 1 {
		t.Errorf("limit that fits: %+v %v", info, err)
	}
	// A scalar output can always be reached by slicing every summed label.
	q := ladder(6, 3, 10)
	_, info, err = Optimize(q, Options{MemoryLimit: 1})
	if err != nil || info.Largest.Cmp(big.NewInt(1)) != 0 {
		t.Errorf("limit 1: %v %v", info, err)
	}
}
