package path

import (
	"fmt"
	"math"
	"math/big"
	"os"
	"strconv"
	"testing"
	"time"
)

// TestAutoNotWorseThanGreedy asserts issue 3's target on every benchmark network:
// "auto" costs no more than opt_einsum's greedy.
func TestAutoNotWorseThanGreedy(t *testing.T) {
	for _, n := range loadNetworks(t) {
		start := time.Now()
		_, info, err := Optimize(n.problem, Options{})
		if err != nil {
			t.Fatalf("%s: %v", n.Name, err)
		}
		greedy, _ := n.refFlops("opt_einsum_greedy_flops")
		best := n.bestRef()
		if info.Flops.Cmp(greedy) > 0 {
			t.Errorf("%s: auto %v > opt_einsum greedy %v", n.Name, info.Flops, greedy)
		}
		t.Logf("%-34s auto %7.3f  greedy %7.3f  best ref %7.3f  %v", n.Name, log10(info.Flops), log10(greedy), log10(best), time.Since(start).Round(time.Millisecond))
	}
}

func log10(b *big.Int) float64 {
	f, _ := new(big.Float).SetInt(b).Float64()
	return math.Log10(f)
}

// ladder builds the B1 ladder with L rungs (rung size d, bond size D) as the
// bench README defines it.
func ladder(L, d, D int) Problem {
	var inputs [][]string
	sizes := map[string]int{}
	for k := 0; k < L; k++ {
		for _, side := range []string{"t", "b"} {
			var term []string
			if k > 0 {
				term = append(term, side+strconv.Itoa(k-1))
			}
			term = append(term, "r"+strconv.Itoa(k))
			if k < L-1 {
				term = append(term, side+strconv.Itoa(k))
				sizes[side+strconv.Itoa(k)] = D
			}
			inputs = append(inputs, term)
		}
		sizes["r"+strconv.Itoa(k)] = d
	}
	p, err := FromLabels(inputs, nil, sizes)
	if err != nil {
		panic(err)
	}
	return p
}

// TestDPLadderClosedForm asserts the seed ladder's linear cost law: dp's cost is
// 12000·L − 37140 for d=3, D=10 (L ≥ 5) and 2097152·L − 20053760 for d=2, D=64
// (L ≥ 20), and the generated ladders match the stored B1 files.
func TestDPLadderClosedForm(t *testing.T) {
	for _, c := range []struct{ L, d, D int }{{5, 3, 10}, {8, 3, 10}, {20, 3, 10}, {33, 3, 10}, {50, 3, 10}, {100, 3, 10}, {20, 2, 64}, {50, 2, 64}} {
		p := ladder(c.L, c.d, c.D)
		_, info, err := Optimize(p, Options{Method: "dp"})
		if err != nil {
			t.Fatal(err)
		}
		var want int64
		if c.d == 3 {
			want = 12000*int64(c.L) - 37140
		} else {
			want = 2097152*int64(c.L) - 20053760
		}
		if info.Flops.Cmp(big.NewInt(want)) != 0 {
			t.Errorf("ladder L=%d d=%d D=%d: dp %v, closed form %d", c.L, c.d, c.D, info.Flops, want)
		}
		name := fmt.Sprintf("B1_ladder_L%d_d%d_D%d", c.L, c.d, c.D)
		if _, err := os.Stat(networksDir + "/" + name + ".json"); err == nil {
			n := loadNetwork(t, networksDir+"/"+name+".json")
			if n.problem.Expr() != p.Expr() {
				t.Errorf("%s: generated ladder differs from the file", name)
			}
		}
	}
}

// TestLattice6x6 checks that dp finds the optimum of the 6×6 D=2 lattice (the
// 400 s opt_einsum dp reference, 9096).
func TestLattice6x6(t *testing.T) {
	if testing.Short() {
		t.Skip("a few seconds")
	}
	n := findNetwork(t, "B6_lattice_6x6_D2")
	_, info, err := Optimize(n.problem, Options{Method: "dp"})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := n.refFlops("opt_einsum_dp_slow_flops")
	if info.Flops.Cmp(want) != 0 {
		t.Errorf("6x6 lattice dp: %v, want %v", info.Flops, want)
	}
}

// TestSycamoreAuto asserts that even "auto" (1 s) lands ten times below
// opt_einsum's greedy on the Sycamore network (issue 3 asks this of "auto-hq").
func TestSycamoreAuto(t *testing.T) {
	n := findNetwork(t, "B7_sycamore_n53_m20")
	_, info, err := Optimize(n.problem, Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	greedy, _ := n.refFlops("opt_einsum_greedy_flops")
	if ratio(greedy, info.Flops) < 10 {
		t.Errorf("sycamore auto: %v, only %.1f× below greedy %v", info.Flops, ratio(greedy, info.Flops), greedy)
	}
}

// TestAutoHQTargets asserts issue 3's auto-hq targets with the default 30 s budget:
// within 2× of the best reference on every network and at least 10× below greedy on
// Sycamore. It takes minutes, so it runs only with STRAND_LONG_TESTS=1.
func TestAutoHQTargets(t *testing.T) {
	if os.Getenv("STRAND_LONG_TESTS") == "" {
		t.Skip("set STRAND_LONG_TESTS=1 (takes up to 30 s per network)")
	}
	for _, n := range loadNetworks(t) {
		start := time.Now()
		_, info, err := Optimize(n.problem, Options{Method: "auto-hq"})
		if err != nil {
			t.Fatalf("%s: %v", n.Name, err)
		}
		best := n.bestRef()
		r := ratio(info.Flops, best)
		if r > 2 {
			t.Errorf("%s: auto-hq %v is %.2f× the best reference %v", n.Name, info.Flops, r, best)
		}
		t.Logf("%-34s auto-hq %7.3f  best ref %7.3f  ratio %.3g  %v", n.Name, log10(info.Flops), log10(best), r, time.Since(start).Round(time.Millisecond))
	}
}
