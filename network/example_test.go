package network_test

import (
	"fmt"

	"github.com/strand-tn/strand/network"
	"github.com/strand-tn/strand/notation"
)

func ExampleFromEinsum() {
	e, err := notation.ParseEinsum("i α β, β, β α j -> i j")
	if err != nil {
		panic(err)
	}
	n, err := network.FromEinsum(e, [][]int{{2, 3, 4}, {4}, {4, 3, 5}})
	if err != nil {
		panic(err)
	}
	fmt.Print(n)
	fmt.Println(n.OutShape())
	// Output:
	// A[i α β] B[β] C[β α j] -> [i j]
	//   node A general: i=2 α=3 β=4
	//   node B general: β=4
	//   node C general: β=4 α=3 j=5
	//   bond α=3: A.1 C.1
	//   hyper β=4: A.2 B.0 C.0
	//   free: i=2 j=5
	// [2 5]
}

func ExampleFromEinsum_errors() {
	e, _ := notation.ParseEinsum("ij,jk->ik")
	_, err := network.FromEinsum(e, [][]int{{2, 3}, {4, 5}})
	fmt.Println(err)
	d := err.(*network.DimError)
	fmt.Println(d.Tensor, d.Leg, d.Got, d.Want, d.Pos)
	// Output:
	// network: leg j of tensor B has size 4, but j is 3 (from tensor A)
	// B j 4 3 3
}

func ExampleFromProgram() {
	src := `dim s=3 i=4 j=5 k=6
T[i j k] = λ[s] A[i s] B[j s] C[k s]   # CP decomposition
`
	p, err := notation.ParseProgram(src)
	if err != nil {
		panic(err)
	}
	prog, err := network.FromProgram(p, network.ProgramOptions{})
	if err != nil {
		panic(err)
	}
	for _, in := range prog.Inputs {
		fmt.Println("input", in.Name, in.Shape)
	}
	net := prog.Statements[0].RHS.Terms[0].Net
	fmt.Println(net.Edge("s").Kind, len(net.Edge("s").Ends), "legs")
	// Output:
	// input λ [3]
	// input A [4 3]
	// input B [5 3]
	// input C [6 3]
	// hyper 4 legs
}

func ExampleNetwork_Einsum() {
	p, _ := notation.ParseProgram("dim i=2 j=3 k=4\nR[(i k) j] = T[i (j k)] δ[i i2] x[i2]")
	prog, err := network.FromProgram(p, network.ProgramOptions{Dims: map[string]int{"i2": 2}})
	if err != nil {
		panic(err)
	}
	low, err := prog.Statements[0].RHS.Terms[0].Net.Einsum()
	if err != nil {
		panic(err)
	}
	fmt.Println(low)
	for _, op := range low.Operands {
		fmt.Println(op.Name, op.Kind, op.Input, op.Labels, op.Dims, op.Split)
	}
	fmt.Println(low.OutputGroups)
	// Output:
	// T[i j k] δ[i i2] x[i2] -> [(i k) j]
	// T general 0 [i j k] [2 3 4] [1 2]
	// δ delta -1 [i i2] [2 2] [1 1]
	// x general 1 [i2] [2] [1]
	// [[i k] [j]]
}

func ExamplePlanPattern() {
	p, err := notation.ParsePattern("b (h w) c -> b h w c")
	if err != nil {
		panic(err)
	}
	plan, err := network.PlanPattern(notation.OpRearrange, p, []int{2, 12, 3}, map[string]int{"h": 3}, "")
	if err != nil {
		panic(err)
	}
	fmt.Println(plan.Axes, plan.AxisSizes, plan.Perm, plan.OutShape)
	// Output:
	// [b h w c] [2 3 4 3] [0 1 2 3] [2 3 4 3]
}
