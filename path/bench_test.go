package path

import (
	"math"
	"testing"
)

// benchOptimize runs Optimize on a network b.N times and reports log10 of the
// FLOPs found (and of opt_einsum's best reference) as metrics.
func benchOptimize(b *testing.B, name string, opts Options) {
	n := findNetwork(b, name)
	b.ResetTimer()
	var info *Info
	for i := 0; i < b.N; i++ {
		var err error
		if _, info, err = Optimize(n.problem, opts); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(log10(info.Flops), "log10flops")
	b.ReportMetric(log10(n.bestRef()), "log10ref")
}

// Issue 3: dp finds the linear-cost order of the L=100 ladder in under a second.
func BenchmarkDPLadder100(b *testing.B) {
	benchOptimize(b, "B1_ladder_L100_d3_D10", Options{Method: "dp"})
}

// Issue 3: the optimal order of the 6×6 D=2 lattice in under 5 s.
func BenchmarkDPLattice6x6(b *testing.B) {
	benchOptimize(b, "B6_lattice_6x6_D2", Options{Method: "dp"})
}

func BenchmarkOptimalGreedyTrap(b *testing.B) {
	benchOptimize(b, "B4_greedy_trap", Options{Method: "optimal"})
}

func BenchmarkGreedySycamore(b *testing.B) {
	n := findNetwork(b, "B7_sycamore_n53_m20")
	for i := 0; i < b.N; i++ {
		Greedy(n.problem)
	}
}

func BenchmarkRandomGreedySycamore32(b *testing.B) {
	benchOptimize(b, "B7_sycamore_n53_m20", Options{Method: "random-greedy", Repeats: 32})
}

func BenchmarkAutoSycamore(b *testing.B) {
	benchOptimize(b, "B7_sycamore_n53_m20", Options{})
}

// Issue 3: auto-hq (30 s) at least 10× below opt_einsum's greedy (10^22.08) on
// Sycamore; run with -benchtime 1x.
func BenchmarkAutoHQSycamore(b *testing.B) {
	benchOptimize(b, "B7_sycamore_n53_m20", Options{Method: "auto-hq"})
}

func BenchmarkAutoHQRandReg200(b *testing.B) {
	benchOptimize(b, "B7_randreg_200_3_a", Options{Method: "auto-hq"})
}

func BenchmarkSliceSycamore(b *testing.B) {
	n := findNetwork(b, "B7_sycamore_n53_m20")
	m := newModel(n.problem)
	path := Greedy(n.problem)
	b.ResetTimer()
	var c Cost
	for i := 0; i < b.N; i++ {
		_, c, _ = m.slice(path, 1<<30)
	}
	b.ReportMetric(math.Log10(c.Flops), "log10flops")
}
