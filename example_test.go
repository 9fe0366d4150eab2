package strand_test

import (
	"fmt"
	"strings"

	"github.com/strand-tn/strand"
	"github.com/strand-tn/strand/tensor"
)

func ExampleEinsum() {
	A := tensor.MustFromSlice([]float64{1, 2, 3, 4}, 2, 2)
	B := tensor.MustFromSlice([]float64{5, 6, 7, 8}, 2, 2)
	C, _ := strand.Einsum("i j, j k -> i k", A, B)
	tr, _ := strand.Einsum("ii", A) // numpy form: the trace
	fmt.Println(C, tr)
	// Output: [[19, 22], [43, 50]] 5
}

func ExampleEinsum_indexNotation() {
	// The seed's Σ_αβ A_iαβ v_β B_βαj = M_ij, with β on three tensors.
	A := tensor.Arange[float64](8).MustReshape(1, 2, 4)
	v := tensor.MustFromSlice([]float64{1, 0, 0, 1}, 4)
	B := tensor.Zeros[float64](4, 2, 1).Fill(1)
	M, _ := strand.Einsum("M[i j] = A[i α β] v[β] B[β α j]", A, v, B)
	fmt.Println(M)
	// Output: [[14]]
}

func ExampleRearrange() {
	T := tensor.Arange[float64](16).MustReshape(2, 2, 2, 2)
	R, _ := strand.Rearrange(T, "i j k l -> (i l) (k j)")
	fmt.Println(R.Shape(), R.At(1, 2))
	// Output: [4 4] 3
}

func ExampleContract() {
	a := strand.MustLegs(tensor.MustFromSlice([]float64{1, 2, 3}, 3), "i")
	b := strand.MustLegs(tensor.MustFromSlice([]float64{4, 5, 6}, 3), "i")
	dot, _ := strand.Contract(a, b)
	bj, _ := b.Rename("i", "j")
	outer, _ := strand.Contract(a, bj)
	fmt.Println(dot.Data, outer.Legs, outer.Data.Shape())
	// Output: 32 [i j] [3 3]
}

func ExampleSVD() {
	T := strand.MustLegs(tensor.RandNormal[float64](tensor.NewRand(1), 2, 3, 4), "i", "j", "k")
	s, _ := strand.SVD(T, strand.Left("i", "k"), strand.Truncation{MaxRank: 2})
	fmt.Println(s.U.Legs, s.S.Legs, s.Vh.Legs, s.Rank, "of", s.FullRank)
	// Output: [i k a] [a] [a j] 2 of 3
}

func ExampleCompile() {
	e, _ := strand.Compile[float64]("ij,jk,kl->il", strand.Options{}, []int{2, 3}, []int{3, 4}, []int{4, 5})
	x := tensor.Zeros[float64](2, 3).Fill(1)
	y := tensor.Zeros[float64](3, 4).Fill(1)
	z := tensor.Zeros[float64](4, 5).Fill(1)
	out, _ := e.Eval(x, y, z)
	fmt.Println(out.At(0, 0), len(e.Path()), "steps")
	// Output: 12 2 steps
}

// One goroutine per operation, then the default back (GOMAXPROCS).
func ExampleSetThreads() {
	defer strand.SetThreads(strand.SetThreads(1))
	fmt.Println(strand.Threads())
	// Output: 1
}

// A loop that recycles each result allocates nothing for the next one.
func ExampleRecycle() {
	a := tensor.Eye[float64](100)
	for range 3 {
		out := strand.MustEinsum("ij,jk->ik", a, a)
		fmt.Println(out.At(1, 1))
		strand.Recycle(out) // out must not be used after this
	}
	// Output:
	// 1
	// 1
	// 1
}

func ExampleParse() {
	p, _ := strand.Parse("dim i=3 j=4\nA[i j] B[j i] == B[j i] A[i j]")
	results, _ := p.Eval(nil, strand.Options{Random: true, Seed: 1})
	fmt.Println(results[0].Pass)
	// Output: true
}

func ExampleDraw() {
	var svg strings.Builder
	err := strand.Draw(&svg, "M[i j] = A[i α β] v[β] B[β α j]", strand.SVG, strand.DrawOptions{})
	fmt.Println(err, strings.HasPrefix(svg.String(), "<svg"), strings.Count(svg.String(), "<title>A"))
	// Output: <nil> true 1
}

func ExampleProgram_Grad() {
	p, _ := strand.Parse("dim i=3 j=3\nz = B[j i] A[i j]")
	d, _ := p.Grad(strand.Options{}, true, "A")
	fmt.Print(d)
	// Output:
	// dim i=3 j=3
	// dz_dA[i j] = B[j i]
}

func ExampleProgram_Check() {
	p, _ := strand.Parse("dim i=6 k=4\nU[i a] λ[a] V†[a k] = svd(M[i k])\nM[i k] == U[i a] λ[a] V†[a k]")
	verdicts, _ := p.Check(nil, strand.Options{Seed: 1})
	fmt.Println(verdicts[0].Pass, verdicts[0].Method)
	// Output: true numeric
}

func ExampleCompiled_Info() {
	e, _ := strand.Compile[float64]("ij,jk,kl->il", strand.Options{}, []int{10, 200}, []int{200, 3}, []int{3, 400})
	info, _ := e.Info()
	fmt.Println(e.Path(), info.Flops, "FLOPs; largest intermediate", info.Largest, "elements")
	// Output: [[0 1] [0 1]] 36000 FLOPs; largest intermediate 4000 elements
}
