package decomp

import (
	"testing"

	"github.com/strand-tn/strand/tensor"
)

// Peers: bench/decomp_bench.py runs the same problems with numpy.

// BenchmarkCPALS100Rank10 runs 20 ALS sweeps of rank 10 on a random 100³
// tensor from a random start, plus the final rebuilt error.
func BenchmarkCPALS100Rank10(b *testing.B) {
	x := tensor.RandNormal[float64](tensor.NewRand(1), 100, 100, 100)
	for b.Loop() {
		if _, _, err := CPALS(x, CPOptions{Rank: 10, Init: CPInitRandom, MaxIter: 20, Tol: -1}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHOSVD100Rank10 is a rank-(10,10,10) truncated HOSVD of 100³.
func BenchmarkHOSVD100Rank10(b *testing.B) {
	x := tensor.RandNormal[float64](tensor.NewRand(1), 100, 100, 100)
	for b.Loop() {
		if _, _, err := HOSVD(x, TuckerOptions{Ranks: []int{10, 10, 10}}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTTSVD is TT-SVD of a random 8⁶ tensor with rank cap 16.
func BenchmarkTTSVD(b *testing.B) {
	x := tensor.RandNormal[float64](tensor.NewRand(1), 8, 8, 8, 8, 8, 8)
	for b.Loop() {
		if _, _, err := TTSVD(x, TTOptions{Truncation: Truncation{MaxRank: 16}}); err != nil {
			b.Fatal(err)
		}
	}
}
