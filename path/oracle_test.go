package path

import (
	"math/rand/v2"
	"testing"
)

// randomProblem draws a small valid problem: up to maxInputs inputs over 8 labels
// of sizes 1..5 (scalars, size-1 labels, hyperedges, batch and output labels all
// occur).
func randomProblem(rng *rand.Rand, maxInputs int) Problem {
	const labels = 8
	p := Problem{Sizes: make([]int, labels)}
	for l := range p.Sizes {
		p.Sizes[l] = 1 + rng.IntN(5)
	}
	n := 1 + rng.IntN(maxInputs)
	used := make([]bool, labels)
	for k := 0; k < n; k++ {
		var in []int
		for _, l := range rng.Perm(labels)[:rng.IntN(4)] {
			in = append(in, l)
			used[l] = true
		}
		p.Inputs = append(p.Inputs, in)
	}
	for _, l := range rng.Perm(labels) {
		if used[l] && rng.IntN(3) == 0 {
			p.Output = append(p.Output, l)
		}
	}
	return p
}

// bruteForce returns the best cost under obj over every pairwise path, each
// preceded by single-term sums of any subset of the inputs that have private
// labels, costed by PathCost: the naive oracle for the exact methods.
func bruteForce(t *testing.T, p Problem, obj Objective) Cost {
	t.Helper()
	n := len(p.Inputs)
	var best Cost
	found := false
	try := func(path Path) {
		c, err := PathCost(p, path)
		if err != nil {
			t.Fatalf("oracle path %v: %v", path, err)
		}
		if !found || obj.Better(c, best) {
			best, found = c, true
		}
	}
	var withPrivate []int
	for i := range p.Inputs {
		if !newModel(p).private()[i].empty() {
			withPrivate = append(withPrivate, i)
		}
	}
	for mask := 0; mask < 1<<len(withPrivate); mask++ {
		var prefix Path
		live := make([]int, n) // positions: input numbers in current order
		for i := range live {
			live[i] = i
		}
		for b, i := range withPrivate {
			if mask&(1<<b) == 0 {
				continue
			}
			pos := 0
			for live[pos] != i {
				pos++
			}
			prefix = append(prefix, []int{pos})
			live = append(append(live[:pos:pos], live[pos+1:]...), i)
		}
		if n == 1 {
			if len(prefix) == 0 {
				prefix = Path{{0}}
			}
			try(prefix)
			continue
		}
		var rec func(path Path, terms int)
		rec = func(path Path, terms int) {
			if terms == 1 {
				try(path)
				return
			}
			for i := 0; i < terms; i++ {
				for j := i + 1; j < terms; j++ {
					rec(append(path[:len(path):len(path)], []int{i, j}), terms-1)
				}
			}
		}
		rec(prefix, n)
	}
	return best
}

// TestExactAgainstBruteForce checks "optimal" (and "dp" and "auto" on problems
// they solve exactly) against exhaustive enumeration on random problems, for every
// objective, and that every method returns a valid path no worse than Greedy's.
func TestExactAgainstBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 150; trial++ {
		maxIn := 5
		if trial%15 == 0 {
			maxIn = 6
		}
		p := randomProblem(rng, maxIn)
		if err := p.Validate(); err != nil {
			t.Fatal(err)
		}
		for _, obj := range []Objective{Flops, Size, Write, Combo} {
			want := bruteForce(t, p, obj)
			greedy, err := PathCost(p, Greedy(p))
			if err != nil {
				t.Fatal(err)
			}
			for _, meth := range []string{"optimal", "dp", "auto", "auto-hq", "branch", "random-greedy", "greedy"} {
				path, info, err := Optimize(p, Options{Method: meth, Objective: obj, Repeats: 8})
				if err != nil {
					t.Fatalf("%v %s: %v", p, meth, err)
				}
				got, err := PathCost(p, path)
				if err != nil {
					t.Fatalf("%v %s %s: invalid path %v: %v", p, obj, meth, path, err)
				}
				if got != info.Cost() {
					t.Errorf("%v %s: Info cost %+v, PathCost %+v", p, meth, info.Cost(), got)
				}
				if obj.primary(got) < obj.primary(want) {
					t.Fatalf("%v %s %s: %+v beats the brute-force optimum %+v", p, obj, meth, got, want)
				}
				if obj.Better(greedy, got) && obj.primary(greedy) < obj.primary(got) {
					t.Errorf("%v %s %s: %+v worse than greedy %+v", p, obj, meth, got, greedy)
				}
				exact := meth == "optimal" || meth == "auto" || meth == "auto-hq" || meth == "dp"
				if exact && obj.primary(got) != obj.primary(want) {
					t.Errorf("%+v %s %s: %+v, optimum %+v (path %v)", p, obj, meth, got, want, path)
				}
			}
		}
	}
}
