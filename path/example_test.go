package path_test

import (
	"encoding/json"
	"fmt"

	"github.com/strand-tn/strand/path"
)

// The seed's ladder ⟨ψ|ψ⟩ with three rungs: greedy order, as opt_einsum finds it.
func ExampleGreedy() {
	p, err := path.FromLabels(
		[][]string{{"i", "j"}, {"i", "r"}, {"j", "k", "l"}, {"r", "k", "s"}, {"l", "m"}, {"s", "m"}},
		nil,
		map[string]int{"i": 10, "j": 10, "k": 3, "l": 10, "m": 3, "r": 10, "s": 10})
	if err != nil {
		panic(err)
	}
	order := path.Greedy(p)
	cost, _ := path.PathCost(p, order)
	fmt.Println(order, cost.Flops)
	// Output: [(2, 4), (2, 3), (0, 1), (0, 2), (0, 1)] 7580
}

// opt_einsum's README example M_pqrs = C_pi C_qj I_ijkl C_rk C_sl: the optimal
// order scales as N^5 instead of N^8.
func ExampleOptimize() {
	p, err := path.FromLabels(
		[][]string{{"p", "i"}, {"q", "j"}, {"i", "j", "k", "l"}, {"r", "k"}, {"s", "l"}},
		[]string{"p", "q", "r", "s"},
		map[string]int{"p": 10, "q": 10, "r": 10, "s": 10, "i": 10, "j": 10, "k": 10, "l": 10})
	if err != nil {
		panic(err)
	}
	order, info, err := path.Optimize(p, path.Options{Method: "optimal"})
	if err != nil {
		panic(err)
	}
	fmt.Println(order)
	fmt.Println(info.Flops, info.Naive, info.Optimal)
	// Output:
	// [(0, 2), (0, 3), (0, 2), (0, 1)]
	// 800000 500000000 true
}

// A memory limit slices the contraction: here the summed label "in" is fixed to
// each of its 64 values in turn, so no intermediate holds more than 512 elements.
func ExampleOptimize_memoryLimit() {
	p, err := path.FromLabels(
		[][]string{{"batch", "in"}, {"in", "hidden"}, {"hidden", "out"}},
		[]string{"batch", "out"},
		map[string]int{"batch": 32, "in": 64, "hidden": 256, "out": 16})
	if err != nil {
		panic(err)
	}
	_, info, err := path.Optimize(p, path.Options{MemoryLimit: 600})
	if err != nil {
		panic(err)
	}
	out, _ := json.Marshal(map[string]any{"slices": info.Sliced, "n": info.Slices, "largest": info.Largest, "overhead": info.Overhead})
	fmt.Println(string(out))
	// Output: {"largest":512,"n":64,"overhead":1,"slices":[1]}
}

// Analyze reports any path step by step, as opt_einsum's PathInfo does.
func ExampleAnalyze() {
	p, _ := path.FromLabels([][]string{{"i", "j"}, {"j", "k"}, {"k", "l"}}, []string{"i", "l"},
		map[string]int{"i": 2, "j": 2, "k": 5, "l": 2})
	info, err := path.Analyze(p, path.Path{{1, 2}, {0, 1}})
	if err != nil {
		panic(err)
	}
	fmt.Print(info)
	// Output:
	//   Complete contraction:  ij,jk,kl->il
	//          Naive scaling:  4
	//      Optimized scaling:  3
	//       Naive FLOP count:  1.200e+02
	//   Optimized FLOP count:  5.600e+01
	//    Theoretical speedup:  2.143
	//   Largest intermediate:  4.000e+00 elements
	//            Total write:  8.000e+00 elements
	// --------------------------------------------------------------------------------
	// step  scaling  operands  contraction  summed  size  flops
	// --------------------------------------------------------------------------------
	//    1        3  (1, 2)    jk,kl->jl    k          4     40
	//    2        3  (0, 1)    ij,jl->il    j          4     16
}
