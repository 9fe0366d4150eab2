package linalg_test

import (
	"fmt"
	"math"

	"github.com/strand-tn/strand/linalg"
	"github.com/strand-tn/strand/tensor"
)

// rounded returns x with entries rounded to d decimals, for printing.
func rounded(x *tensor.Dense[float64], d int) *tensor.Dense[float64] {
	p := math.Pow(10, float64(d))
	return x.Map(func(v float64) float64 { return math.Round(v*p)/p + 0 })
}

func ExampleSVD() {
	a := tensor.MustFromSlice([]float64{
		3, 2, 2,
		2, 3, -2,
	}, 2, 3)
	f, err := linalg.SVD(a, linalg.SVDOptions{})
	if err != nil {
		panic(err)
	}
	fmt.Printf("S = %.4f\n", f.S)
	fmt.Println("U =", rounded(f.U, 4))
	fmt.Println("V =", rounded(f.V, 4))
	// Output:
	// S = [5.0000 3.0000]
	// U = [[0.7071, 0.7071], [0.7071, -0.7071]]
	// V = [[0.7071, 0.2357], [0.7071, -0.2357], [0, 0.9428]]
}

func ExampleMatricize() {
	// T[i j k] with i, k as rows: M[(k i), j].
	t := tensor.Arange[float64](8).MustReshape(2, 2, 2)
	m, err := linalg.Matricize(t, []int{2, 0})
	if err != nil {
		panic(err)
	}
	fmt.Println(m)
	// Output:
	// [[0, 2], [4, 6], [1, 3], [5, 7]]
}

func ExampleQR() {
	a := tensor.MustFromSlice([]float64{3, 1, 4, 2}, 2, 2)
	q, r, err := linalg.QR(a)
	if err != nil {
		panic(err)
	}
	fmt.Println("Q =", rounded(q, 2))
	fmt.Println("R =", rounded(r, 2))
	// Output:
	// Q = [[0.6, -0.8], [0.8, 0.6]]
	// R = [[5, 2.2], [0, 0.4]]
}

func ExampleRandomizedSVD() {
	// A rank-2 matrix: the randomized SVD recovers it exactly.
	u := tensor.RandNormal[float64](tensor.NewRand(1), 300, 2)
	v := tensor.RandNormal[float64](tensor.NewRand(2), 200, 2)
	a := tensor.Zeros[float64](300, 200)
	for i := range 300 {
		for j := range 200 {
			a.Set(u.At(i, 0)*v.At(j, 0)+0.1*u.At(i, 1)*v.At(j, 1), i, j)
		}
	}
	exact, _ := linalg.SVD(a, linalg.SVDOptions{Vectors: linalg.NoVectors})
	f, err := linalg.RandomizedSVD(a, 2, linalg.RandomizedOptions{Seed: 7})
	if err != nil {
		panic(err)
	}
	fmt.Printf("randomized %.6f\nexact      %.6f\n", f.S, exact.S[:2])
	// Output:
	// randomized [251.448174 24.150402]
	// exact      [251.448174 24.150402]
}
