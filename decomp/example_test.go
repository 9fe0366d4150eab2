package decomp_test

import (
	"fmt"

	"github.com/strand-tn/strand/contract"
	"github.com/strand-tn/strand/decomp"
	"github.com/strand-tn/strand/tensor"
)

// Split T[i j k] between (i, k) and j, keeping two singular values.
func ExampleSVD() {
	t := tensor.Zeros[float64](2, 3, 4)
	for i := range 2 {
		for j := range 3 {
			for k := range 4 {
				t.Set(float64(i+j+k)+0.01*float64(i*j*j*k), i, j, k)
			}
		}
	}
	x, _ := contract.Label(t, "i", "j", "k")
	s, err := decomp.SVD(x, []string{"i", "k"}, decomp.SplitOptions{Truncation: decomp.Truncation{MaxRank: 2}})
	if err != nil {
		panic(err)
	}
	fmt.Println("U legs", s.U.Legs, "λ legs", s.S.Legs, "V† legs", s.Vh.Legs)
	fmt.Printf("λ = %.4f\n", s.S.Data.Data())
	fmt.Printf("kept %d of %d, relative error %.2e\n", s.Rank, s.FullRank, s.RelError())
	ok, _ := decomp.IsIsometry(s.U, []string{"i", "k"}, []string{"a"}, 1e-12)
	fmt.Println("U is an isometry toward a:", ok)
	// Output:
	// U legs [i k a] λ legs [a] V† legs [a j]
	// λ = [16.4018 1.4436]
	// kept 2 of 3, relative error 1.03e-03
	// U is an isometry toward a: true
}

// T[i, j, k] = i + j + k + 3 is a tensor train of rank 2.
func ExampleTTSVD() {
	t := tensor.Zeros[float64](4, 5, 6)
	for i := range 4 {
		for j := range 5 {
			for k := range 6 {
				t.Set(float64(i+j+k+3), i, j, k)
			}
		}
	}
	tt, info, err := decomp.TTSVD(t, decomp.TTOptions{})
	if err != nil {
		panic(err)
	}
	fmt.Println("ranks", info.Ranks, "centre", tt.Center)
	fmt.Println("exact to 1e-12:", tensor.MaxAbsDiff(tt.Dense(), t) < 1e-12)
	// Output:
	// ranks [2 2] centre 2
	// exact to 1e-12: true
}

func ExampleMPS_MoveCenter() {
	psi, _ := decomp.RandomMPS(tensor.NewRand(1), []int{2, 2, 2, 2, 2, 2}, 4)
	if err := psi.MoveCenter(3); err != nil {
		panic(err)
	}
	defect, _ := psi.CanonicalDefect()
	worst := 0.0
	for _, d := range defect {
		worst = max(worst, d)
	}
	fmt.Println("bonds", psi.BondDims(), "centre", psi.Center)
	fmt.Println("isometric to 1e-14:", worst < 1e-14)
	// Output:
	// bonds [2 4 4 4 2] centre 3
	// isometric to 1e-14: true
}

func ExampleCPALS() {
	// A rank-2 tensor a∘b∘c + ½ d∘e∘f: the weights are 151.987 = ‖a‖‖b‖‖c‖
	// and 43.875 = ½‖d‖‖e‖‖f‖ (the decomposition is unique).
	x := tensor.Zeros[float64](3, 4, 5)
	for i := range 3 {
		for j := range 4 {
			for k := range 5 {
				x.Set(float64((i+1)*(j+1)*(k+1))+0.5*float64((3-i)*(j%2+1)*(5-k)), i, j, k)
			}
		}
	}
	cp, info, err := decomp.CPALS(x, decomp.CPOptions{Rank: 2})
	if err != nil {
		panic(err)
	}
	fmt.Printf("weights %.3f, relative error < 1e-6: %v\n", cp.Weights, info.RelError < 1e-6)
	// Output:
	// weights [151.987 43.875], relative error < 1e-6: true
}

func ExampleHOSVD() {
	x := tensor.RandNormal[float64](tensor.NewRand(2), 6, 7, 8)
	tk, info, err := decomp.HOSVD(x, decomp.TuckerOptions{Ranks: []int{3, 3, 3}})
	if err != nil {
		panic(err)
	}
	fmt.Println("core", tk.Core.Shape())
	fmt.Println("error within the HOSVD bound:", info.RelError <= info.Bound)
	// Output:
	// core [3 3 3]
	// error within the HOSVD bound: true
}
