package kernel_test

import (
	"fmt"

	"github.com/strand-tn/strand/internal/kernel"
)

// A product of two row-major matrices, the second one transposed.
func ExampleDgemm() {
	a := []float64{ // 2×3
		1, 2, 3,
		4, 5, 6,
	}
	b := []float64{ // 2×3, used as Bᵀ (3×2)
		1, 0, 1,
		0, 1, 0,
	}
	c := make([]float64, 4)
	if err := kernel.Dgemm(false, true, 2, 2, 3, 1, a, 3, b, 3, 0, c, 2, kernel.Options{}); err != nil {
		fmt.Println(err)
	}
	fmt.Println(c)
	// Output: [4 2 10 5]
}

// Views with arbitrary strides: C = Aᵀ·A for A stored row-major, passing the
// transpose as a view instead of copying it.
func ExampleGemm() {
	a := kernel.Matrix[float64]{Data: []float64{1, 2, 3, 4, 5, 6}, Rows: 3, Cols: 2, RowStride: 2, ColStride: 1}
	c := kernel.Matrix[float64]{Data: make([]float64, 4), Rows: 2, Cols: 2, RowStride: 2, ColStride: 1}
	if err := kernel.Gemm(1, a.T(), a, 0, c, kernel.Options{}); err != nil {
		fmt.Println(err)
	}
	fmt.Println(c.Data)
	// Output: [35 44 44 56]
}

// Batched products C_t = A_t·B with one B shared by the batch (stride 0).
func ExampleGemmBatched() {
	a := kernel.Matrix[float32]{Data: []float32{1, 2, 3, 4}, Rows: 1, Cols: 2, RowStride: 2, ColStride: 1}
	b := kernel.Matrix[float32]{Data: []float32{1, 1, 0, 1}, Rows: 2, Cols: 2, RowStride: 2, ColStride: 1}
	c := kernel.Matrix[float32]{Data: make([]float32, 4), Rows: 1, Cols: 2, RowStride: 2, ColStride: 1}
	// Item t uses A's row t (offset 2t) and C's row t.
	if err := kernel.GemmBatched(2, 1, a, 2, b, 0, 0, c, 2, kernel.Options{}); err != nil {
		fmt.Println(err)
	}
	fmt.Println(c.Data)
	// Output: [1 3 3 7]
}

// A TTGT-style permutation: a 2×3 array copied into its transpose's layout.
func ExampleCopy() {
	src := kernel.Strided[float64]{Data: []float64{1, 2, 3, 4, 5, 6}, Strides: []int{3, 1}}
	dst := kernel.Strided[float64]{Data: make([]float64, 6), Strides: []int{1, 2}}
	if err := kernel.Copy([]int{2, 3}, dst, src); err != nil {
		fmt.Println(err)
	}
	fmt.Println(dst.Data)
	// Output: [1 4 2 5 3 6]
}

// einsum "ij,ij->i": a row-wise dot product, summing the axis where out's
// stride is 0.
func ExampleHadamardReduce() {
	x := kernel.Strided[float64]{Data: []float64{1, 2, 3, 4, 5, 6}, Strides: []int{3, 1}}
	y := kernel.Strided[float64]{Data: []float64{1, 1, 1, 2, 2, 2}, Strides: []int{3, 1}}
	out := kernel.Strided[float64]{Data: make([]float64, 2), Strides: []int{1, 0}}
	if err := kernel.HadamardReduce([]int{2, 3}, 1, x, y, 0, out); err != nil {
		fmt.Println(err)
	}
	fmt.Println(out.Data)
	// Output: [6 30]
}

// einsum "iij->j": sum a diagonal view over i.
func ExampleSum() {
	// t[i, i', j] for a 2×2×2 array; the diagonal i = i' has stride 4+2,
	// and out's stride 0 along i sums over it.
	t := []float64{1, 2, 0, 0, 0, 0, 3, 4}
	src := kernel.Strided[float64]{Data: t, Strides: []int{6, 1}}
	dst := kernel.Strided[float64]{Data: make([]float64, 2), Strides: []int{0, 1}}
	if err := kernel.Sum([]int{2, 2}, 1, src, 0, dst); err != nil {
		fmt.Println(err)
	}
	fmt.Println(dst.Data)
	// Output: [4 6]
}

// The outer product A = x·yᵀ (β = 0: A is only written).
func ExampleOuter() {
	a := kernel.Matrix[float64]{Data: make([]float64, 6), Rows: 2, Cols: 3, RowStride: 3, ColStride: 1}
	if err := kernel.Outer(1, []float64{1, 2}, 0, 1, []float64{1, 10, 100}, 0, 1, 0, a); err != nil {
		fmt.Println(err)
	}
	fmt.Println(a.Data)
	// Output: [1 10 100 2 20 200]
}

// Dot and Axpy with strides: every other element of x.
func ExampleDot() {
	x := []float64{1, -1, 2, -1, 3, -1}
	y := []float64{4, 5, 6}
	d, err := kernel.Dot(3, x, 0, 2, y, 0, 1)
	fmt.Println(d, err)
	if err := kernel.Axpy(3, 2, x, 0, 2, y, 0, 1); err != nil {
		fmt.Println(err)
	}
	fmt.Println(y)
	// Output:
	// 32 <nil>
	// [6 9 12]
}
