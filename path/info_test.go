package path

import (
	"context"
	"encoding/json"
	"flag"
	"github.com/strand-tn/strand/internal/golden"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// checkGolden compares got with testdata/name, rewriting it under -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), got, *update)
}

// TestInfoGolden renders path reports (table and JSON) for the seed ladder, the
// opt_einsum README example and a sliced plan.
func TestInfoGolden(t *testing.T) {
	seed, err := FromLabels([][]string{{"i", "j"}, {"i", "r"}, {"j", "k", "l"}, {"r", "k", "s"}, {"l", "m", "n"},
		{"s", "m", "t"}, {"n", "o", "p"}, {"t", "o", "u"}, {"p", "q"}, {"u", "q"}}, nil,
		map[string]int{"i": 10, "j": 10, "k": 3, "l": 10, "m": 3, "n": 10, "o": 3, "p": 10, "q": 3, "r": 10, "s": 10, "t": 10, "u": 10})
	if err != nil {
		t.Fatal(err)
	}
	readme := exprProblem(t, "pi,qj,ijkl,rk,sl->pqrs", func(string) int { return 10 })
	wide, err := FromLabels([][]string{{"batch", "in"}, {"in", "hidden"}, {"hidden", "out"}}, []string{"batch", "out"},
		map[string]int{"batch": 32, "in": 64, "hidden": 256, "out": 16})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		p    Problem
		opts Options
	}{
		{"seed_ladder_dp", seed, Options{Method: "dp"}},
		{"readme_optimal", readme, Options{Method: "optimal"}},
		{"mlp_sliced", wide, Options{Method: "optimal", MemoryLimit: 600}},
	} {
		_, info, err := Optimize(c.p, c.opts)
		if err != nil {
			t.Fatal(err)
		}
		info.Elapsed = 0
		checkGolden(t, c.name+".txt", []byte(info.String()))
		js, err := json.MarshalIndent(info, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		checkGolden(t, c.name+".json", append(js, '\n'))
	}
}

func TestOptimizeErrors(t *testing.T) {
	p := exprProblem(t, "ab,bc->ac", func(string) int { return 3 })
	for _, c := range []struct {
		opts Options
		want string
	}{
		{Options{Method: "simulated-annealing"}, `path: unknown method "simulated-annealing" (have auto, auto-hq, branch, dp, greedy, optimal, random-greedy)`},
		{Options{Objective: 9}, "unknown objective"},
		{Options{Repeats: -1}, "negative"},
	} {
		if _, _, err := Optimize(p, c.opts); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.opts, err, c.want)
		}
	}
	if _, _, err := Optimize(Problem{}, Options{}); err == nil {
		t.Error("empty problem accepted")
	}
	if _, err := ParseObjective("speed"); err == nil {
		t.Error("bad objective accepted")
	}
	for _, o := range []Objective{Flops, Size, Write, Combo} {
		if got, err := ParseObjective(strings.ToUpper(o.String())); err != nil || got != o {
			t.Errorf("ParseObjective(%s) = %v, %v", o, got, err)
		}
	}
	if m := Methods(); len(m) != 7 || MethodDoc("DP") == "" || MethodDoc("nope") != "" {
		t.Errorf("Methods() = %v", m)
	}
}

// TestRandomGreedyDeterministic checks that a fixed Repeats gives the same path
// on one or several workers.
func TestRandomGreedyDeterministic(t *testing.T) {
	n := findNetwork(t, "B5_randreg3_n100_seed1")
	var paths []Path
	for _, workers := range []int{1, 2, 3} {
		path, _, err := Optimize(n.problem, Options{Method: "random-greedy", Repeats: 24, Seed: 7, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, path)
	}
	for _, p := range paths[1:] {
		if !slices.EqualFunc(p, paths[0], slices.Equal) {
			t.Error("random-greedy path depends on the number of workers")
		}
	}
	a, _, _ := Optimize(n.problem, Options{})
	b, _, _ := Optimize(n.problem, Options{Workers: 1})
	if !slices.EqualFunc(a, b, slices.Equal) {
		t.Error("auto is not deterministic")
	}
}

func TestProgressAndCancel(t *testing.T) {
	n := findNetwork(t, "B5_randreg3_n200_seed1")
	var seen []Cost
	_, info, err := Optimize(n.problem, Options{Method: "random-greedy", Repeats: 16, Progress: func(c Cost) { seen = append(seen, c) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) < 2 {
		t.Fatalf("progress called %d times", len(seen))
	}
	for i := 1; i < len(seen); i++ {
		if !Flops.Better(seen[i], seen[i-1]) {
			t.Errorf("progress %d: %+v not better than %+v", i, seen[i], seen[i-1])
		}
	}
	if seen[len(seen)-1].Flops < info.Cost().Flops {
		t.Errorf("last progress %+v, result %+v", seen[len(seen)-1], info.Cost())
	}
	// A cancelled context still yields a valid path (Greedy's, at least).
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	path, _, err := OptimizeContext(ctx, n.problem, Options{Method: "auto-hq"})
	if err != nil {
		t.Fatal(err)
	}
	if err := path.Check(len(n.problem.Inputs)); err != nil {
		t.Fatal(err)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("cancelled search took %v", time.Since(start))
	}
}
