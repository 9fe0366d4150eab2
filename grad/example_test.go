package grad_test

import (
	"fmt"

	"github.com/strand-tn/strand/contract"
	"github.com/strand-tn/strand/grad"
	"github.com/strand-tn/strand/network"
	"github.com/strand-tn/strand/notation"
	"github.com/strand-tn/strand/tensor"
)

func program(src string) *network.Program {
	p, err := notation.ParseProgram(src)
	if err != nil {
		panic(err)
	}
	prog, err := network.FromProgram(p, network.ProgramOptions{})
	if err != nil {
		panic(err)
	}
	return prog
}

// The derivative of tr(BA) with respect to A is Bᵀ: the network with a
// hole where A was.
func ExampleDerive() {
	prog := program("dim i=3 j=3\nz = B[j i] A[i j]")
	d, err := grad.Derive(prog.Statements[0].RHS, "A")
	if err != nil {
		panic(err)
	}
	fmt.Print(grad.Format(d, "raw"))
	s, err := grad.Simplify(d)
	if err != nil {
		panic(err)
	}
	fmt.Print(grad.Format(s, "dz_dA"))
	// Output:
	// dim i=3 j=3 j1=3 i1=3
	// raw[i j] = B[j1 i1] I[i1 i] I[j1 j]
	// dim i=3 j=3
	// dz_dA[i j] = B[j i]
}

// The chain rule through a softmax bubble gives its Jacobian
// s_k δ_kk′ − s_k s_k′ in network form.
func ExampleDerive_softmax() {
	prog := program("dim q=3 k=4 d=2\nL = G[q k] softmax_k(Q[q d] K[k d])[q k]")
	d, _ := grad.Derive(prog.Statements[0].RHS, "Q")
	s, _ := grad.Simplify(d)
	fmt.Print(grad.Format(s, "dL_dQ"))
	// Output:
	// dim q=3 d=2 k=4 d1=2 k1=4
	// dL_dQ[q d] = G[q k] softmax_k(Q[q d1] K[k d1])[q k] K[k d] - G[q k] softmax_k(Q[q d1] K[k d1])[q k] softmax_k1(Q[q d1] K[k1 d1])[q k1] K[k1 d]
}

// Gradient descent on ‖XW − Y‖² with reverse-mode gradients.
func ExampleCompile() {
	prog := program("dim s=8 a=3 o=2\nL = Σ_s Σ_o square(X[s a] W[a o] - Y[s o])")
	g, err := grad.Compile[float64](prog, []string{"W"}, grad.Options{})
	if err != nil {
		panic(err)
	}
	r := tensor.NewRand(1)
	X := tensor.RandNormal[float64](r, 8, 3)
	Y, _ := contract.Einsum(contract.Spec{Inputs: [][]string{{"s", "a"}, {"a", "o"}}, Output: []string{"s", "o"}},
		X, tensor.MustFromSlice([]float64{1, -1, 2, 0, 0.5, 3}, 3, 2))
	W := tensor.Zeros[float64](3, 2)
	for step := range 200 {
		res, err := g.ValueAndGrad(contract.Bindings[float64]{Inputs: []*tensor.Dense[float64]{X, W, Y}})
		if err != nil {
			panic(err)
		}
		if step%50 == 0 {
			fmt.Printf("step %3d  loss %.6f\n", step, res.Value.Item())
		}
		W.AddScaled(-0.02, res.Grads["W"])
	}
	fmt.Printf("W = %.3f\n", W.Data())
	// Output:
	// step   0  loss 166.057865
	// step  50  loss 0.000902
	// step 100  loss 0.000000
	// step 150  loss 0.000000
	// W = [1.000 -1.000 2.000 0.000 0.500 3.000]
}

// All ten environments of the seed's ladder in one sweep: each is the
// network with a hole, so ⟨env_T, T⟩ = z for every tensor T.
func ExampleSweep() {
	prog := program(`dim i=2 j=3 r=2 k=3 l=2 s=3 m=2 n=3 t=2 o=3 p=2 u=3 q=2
z = A[i j] V[i r] B[j k l] W[r k s] C[l m n] X[s m t] D[n o p] Y[t o u] E[p q] Z[u q]`)
	net := prog.Statements[0].RHS.Terms[0].Net
	inputs, _ := contract.RandomInputs(prog, 1)
	sweep, err := grad.NewSweep[float64](net, grad.Options{})
	if err != nil {
		panic(err)
	}
	z, envs, err := sweep.Environments(contract.Bindings[float64]{Inputs: inputs}, nil)
	if err != nil {
		panic(err)
	}
	fmt.Printf("z = %.6f\n", z.Item())
	for k, node := range net.Nodes[:3] {
		fmt.Printf("⟨env_%s, %s⟩ = %.6f\n", node.Name, node.Name, tensor.Mul(envs[k], inputs[node.Input]).Sum())
	}
	// Output:
	// z = 36.137487
	// ⟨env_A, A⟩ = 36.137487
	// ⟨env_V, V⟩ = 36.137487
	// ⟨env_B, B⟩ = 36.137487
}

// Equations are proved symbolically where the rules allow, and always
// compared on random tensors of their kinds.
func ExampleCheck() {
	prog := program(`dim a=5 b=3 c=3 i=3 j=4
V: isometry(a -> b)
V†[b a] V[a c] == I[b c]
A[i j] B[j i] == B[j i] A[i j]
V[a b] V†[b d] != I[a d]
dim d=5`)
	inputs, _ := contract.RandomInputs(prog, 1)
	verdicts, err := grad.Check(prog, inputs, grad.Options{})
	if err != nil {
		panic(err)
	}
	for _, v := range verdicts {
		fmt.Println(v.Method, v.Pass)
	}
	// Output:
	// symbolic true
	// symbolic true
	// numeric true
}

// Isomorphic tells networks apart up to renaming; a 6-cycle and two
// 3-cycles have the same colour-refinement hash but are not isomorphic.
func ExampleIsomorphic() {
	six := program("dim a=2 b=2 c=2 d=2 e=2 f=2\nz = M[a b] M[b c] M[c d] M[d e] M[e f] M[f a]").Statements[0].RHS.Terms[0].Net
	two := program("dim a=2 b=2 c=2 d=2 e=2 f=2\nz = M[a b] M[b c] M[c a] M[d e] M[e f] M[f d]").Statements[0].RHS.Terms[0].Net
	renamed := program("dim u=2 v=2 w=2 x=2 y=2 z=2\nt = M[y z] M[u v] M[x y] M[v w] M[w x] M[z u]").Statements[0].RHS.Terms[0].Net
	iso, _ := grad.Isomorphic(six, two)
	fmt.Println(grad.Hash(six) == grad.Hash(two), iso)
	iso, _ = grad.Isomorphic(six, renamed)
	fmt.Println(iso)
	// Output:
	// true false
	// true
}
