package path

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
)

// splitMix64 is the B5 generator's random source (bench README): x advances by
// the golden-ratio increment and is mixed by two xor-shift-multiply rounds.
type splitMix64 struct{ x uint64 }

func (s *splitMix64) next() uint64 {
	s.x += 0x9E3779B97F4A7C15
	z := s.x
	z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
	z = (z ^ z>>27) * 0x94D049BB133111EB
	return z ^ z>>31
}

// randomRegular draws a random d-regular graph on n nodes by the configuration
// model, retrying until the pairing has no self-loop and no repeated edge, with one
// SplitMix64 stream across attempts (bench README, "B5 generator"). It returns
// the edges and the number of attempts.
func randomRegular(n, d int, seed uint64) ([][2]int, int) {
	rng := &splitMix64{x: seed}
	for attempt := 1; ; attempt++ {
		stubs := make([]int, 0, n*d)
		for v := 0; v < n; v++ {
			for k := 0; k < d; k++ {
				stubs = append(stubs, v)
			}
		}
		for i := len(stubs) - 1; i >= 1; i-- {
			j := int(rng.next() % uint64(i+1))
			stubs[i], stubs[j] = stubs[j], stubs[i]
		}
		edges := make([][2]int, n*d/2)
		seen := map[[2]int]bool{}
		ok := true
		for k := range edges {
			a, b := stubs[2*k], stubs[2*k+1]
			e := [2]int{min(a, b), max(a, b)}
			if a == b || seen[e] {
				ok = false
				break
			}
			seen[e] = true
			edges[k] = e
		}
		if ok {
			return edges, attempt
		}
	}
}

// randomRegularProblem is the B5 network of a graph: edge k is label "e{k}" of
// size 2, node v lists its edges in increasing k, the output is empty.
func randomRegularProblem(n int, edges [][2]int) Problem {
	inputs := make([][]string, n)
	sizes := map[string]int{}
	for k, e := range edges {
		name := fmt.Sprintf("e%d", k)
		sizes[name] = 2
		inputs[e[0]] = append(inputs[e[0]], name)
		inputs[e[1]] = append(inputs[e[1]], name)
	}
	p, err := FromLabels(inputs, nil, sizes)
	if err != nil {
		panic(err)
	}
	return p
}

func TestSplitMix64(t *testing.T) {
	s := &splitMix64{}
	for _, want := range []uint64{0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, 0x06c45d188009454f} {
		if got := s.next(); got != want {
			t.Errorf("next = %#x, want %#x", got, want)
		}
	}
}

// TestRandomRegularMatchesB5 regenerates the B5 networks and compares them with the
// stored files edge by edge.
func TestRandomRegularMatchesB5(t *testing.T) {
	for _, c := range []struct{ n, attempts int }{{20, 12}, {30, 22}, {50, 1}, {100, 28}, {200, 3}} {
		edges, attempts := randomRegular(c.n, 3, 1)
		if attempts != c.attempts {
			t.Errorf("n=%d: %d attempts, README says %d", c.n, attempts, c.attempts)
		}
		net := findNetwork(t, fmt.Sprintf("B5_randreg3_n%d_seed1", c.n))
		var params struct {
			Attempts int      `json:"attempts"`
			Edges    [][2]int `json:"edges"`
		}
		if err := json.Unmarshal(net.Params, &params); err != nil {
			t.Fatal(err)
		}
		if params.Attempts != attempts || !slices.Equal(params.Edges, edges) {
			t.Errorf("n=%d: generated graph differs from the file", c.n)
		}
		if got := randomRegularProblem(c.n, edges).Expr(); got != net.problem.Expr() {
			t.Errorf("n=%d: network differs from the file", c.n)
		}
	}
}
