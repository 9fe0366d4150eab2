package path

import (
	"math/big"
	"slices"
	"strings"
	"testing"
)

func TestFromLabelsAndValidate(t *testing.T) {
	p, err := FromLabels([][]string{{"i", "j"}, {"j", "k"}}, []string{"i", "k"}, map[string]int{"i": 2, "j": 3, "k": 4, "unused": 9})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(p.Sizes, []int{2, 3, 4}) || !slices.Equal(p.Names, []string{"i", "j", "k"}) {
		t.Fatalf("sizes %v names %v", p.Sizes, p.Names)
	}
	if got := p.Expr(); got != "ij,jk->ik" {
		t.Errorf("Expr = %q", got)
	}
	q, _ := FromLabels([][]string{{"in", "hid"}, {"hid"}}, nil, map[string]int{"in": 2, "hid": 3})
	if got := q.Expr(); got != "in hid, hid -> " {
		t.Errorf("Expr = %q", got)
	}

	bad := []struct {
		p    Problem
		want string
	}{
		{Problem{}, "at least one input"},
		{Problem{Inputs: [][]int{{0, 1}}, Sizes: []int{2}}, "input 0, position 1: label 1 out of range"},
		{Problem{Inputs: [][]int{{0, 0}}, Sizes: []int{2}}, "input 0 repeats label a (positions 0 and 1)"},
		{Problem{Inputs: [][]int{{0}}, Output: []int{0, 0}, Sizes: []int{2}}, "output repeats label a"},
		{Problem{Inputs: [][]int{{0}}, Output: []int{1}, Sizes: []int{2, 3}}, "output label b is in no input"},
		{Problem{Inputs: [][]int{{0}}, Sizes: []int{-1}}, "negative size"},
		{Problem{Inputs: [][]int{{0}}, Sizes: []int{1}, Names: []string{"x", "y"}}, "2 names for 1 labels"},
	}
	for _, c := range bad {
		err := c.p.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "path: ") {
			t.Errorf("%+v: error %v, want %q", c.p, err, c.want)
		}
	}
	if _, err := FromLabels([][]string{{"i"}}, []string{"j"}, map[string]int{"i": 2}); err == nil ||
		!strings.Contains(err.Error(), `label "j" has no size (output, position 0)`) {
		t.Errorf("missing size: %v", err)
	}
}

func TestPathCheckAndSSA(t *testing.T) {
	for _, c := range []struct {
		path Path
		n    int
		want string
	}{
		{Path{{0, 1}}, 3, "leaves 2 terms"},
		{Path{{0, 3}}, 3, "position 3 out of range"},
		{Path{{1, 1}, {0, 1}}, 3, "repeats position 1"},
		{Path{{}}, 1, "step 0 is empty"},
		{Path{}, 0, "at least one input"},
	} {
		if err := c.path.Check(c.n); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v over %d: %v, want %q", c.path, c.n, err, c.want)
		}
	}
	// opt_einsum's documented example: linear [(0, 3), (1, 2), (0, 1)] is SSA [(0, 3), (2, 4), (1, 5)].
	lin := Path{{0, 3}, {1, 2}, {0, 1}}
	ssa, err := lin.SSA(4)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(ssa, [][]int{{0, 3}, {2, 4}, {1, 5}}, slices.Equal) {
		t.Errorf("SSA = %v", ssa)
	}
	back, err := FromSSA(ssa, 4)
	if err != nil || !slices.EqualFunc(back, lin, slices.Equal) {
		t.Errorf("FromSSA = %v, %v", back, err)
	}
	if _, err := FromSSA([][]int{{0, 1}, {1, 2}}, 3); err == nil {
		t.Error("FromSSA accepted a used term")
	}
	if got := (Path{{0, 1}, {0}}).String(); got != "[(0, 1), (0,)]" {
		t.Errorf("String = %q", got)
	}
}

// TestCostConvention checks the examples of the networks README.
func TestCostConvention(t *testing.T) {
	ten := func(labels string) int { return 10 }
	cases := []struct {
		expr  string
		path  Path
		flops int64
		sizes func(string) int
	}{
		{"ab,bc->ac", Path{{0, 1}}, 2000, ten},
		{"ab,ab->ab", Path{{0, 1}}, 100, ten},
		{"ab,ab->", Path{{0, 1}}, 200, ten},
		{"a,b->ab", Path{{0, 1}}, 100, ten},
		{"a,a,a->", Path{{0, 1, 2}}, 30, ten},
		{"ab->", Path{{0}}, 200, ten},
	}
	for _, c := range cases {
		p := exprProblem(t, c.expr, c.sizes)
		info, err := Analyze(p, c.path)
		if err != nil {
			t.Fatal(err)
		}
		if info.Flops.Cmp(big.NewInt(c.flops)) != 0 {
			t.Errorf("%s %v: flops %v, want %d", c.expr, c.path, info.Flops, c.flops)
		}
	}
	p := parseEinsum(t, "ij,jk,kl->il", [][]int{{2, 2}, {2, 5}, {5, 2}})
	c, err := PathCost(p, Path{{1, 2}, {0, 1}})
	if err != nil || c.Flops != 56 || c.Largest != 4 || c.Write != 8 {
		t.Errorf("ij,jk,kl->il: %+v %v", c, err)
	}
}

// exprProblem builds a problem from an explicit numpy-style expression, all sizes from f.
func exprProblem(t testing.TB, expr string, f func(string) int) Problem {
	t.Helper()
	lhs, _, _ := strings.Cut(expr, "->")
	var shapes [][]int
	for _, term := range strings.Split(lhs, ",") {
		var s []int
		for _, r := range term {
			s = append(s, f(string(r)))
		}
		shapes = append(shapes, s)
	}
	return parseEinsum(t, expr, shapes)
}

// TestReferenceCosts re-costs opt_einsum's stored paths: the conformance cases'
// optimal and greedy paths and naive costs, and every network's reference paths.
func TestReferenceCosts(t *testing.T) {
	for _, c := range loadCostCases(t) {
		info, err := Analyze(c.problem, Greedy(c.problem))
		if err != nil {
			t.Fatal(err)
		}
		if info.Naive.Cmp(big.NewInt(c.Naive)) != 0 {
			t.Errorf("%s: naive %v, want %d", c.ID, info.Naive, c.Naive)
		}
		if c.OptimalPath != nil {
			cost, err := PathCost(c.problem, toPath(c.OptimalPath))
			if err != nil || cost.Flops != float64(*c.Optimal) {
				t.Errorf("%s: optimal path costs %v (%v), want %d", c.ID, cost.Flops, err, *c.Optimal)
			}
		}
	}
	for _, n := range loadNetworks(t) {
		for _, key := range []string{"best", "opt_einsum_greedy"} {
			path := n.refPath(key + "_path")
			info, err := Analyze(n.problem, path)
			if err != nil {
				t.Fatalf("%s %s: %v", n.Name, key, err)
			}
			want, _ := n.refFlops(key + "_flops")
			if info.Flops.Cmp(want) != 0 {
				t.Errorf("%s %s: %v, want %v", n.Name, key, info.Flops, want)
			}
			wantL, _ := n.refFlops(key + "_largest_intermediate")
			if info.Largest.Cmp(wantL) != 0 {
				t.Errorf("%s %s largest: %v, want %v", n.Name, key, info.Largest, wantL)
			}
		}
	}
}
