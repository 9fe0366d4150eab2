package interp_test

import (
	"fmt"
	"math"

	"github.com/strand-tn/strand/interp"
	"github.com/strand-tn/strand/tensor"
)

// A two-layer attention-only model with random weights: with its attention
// frozen, the output is a sum of 1 + 2 + 2 + 2·2 path terms.
func ExampleExpand() {
	c := interp.Config{NLayer: 2, NHead: 2, DModel: 8, DHead: 4, NCtx: 6, DVocab: 10, AttnOnly: true, NoLayerNorm: true}
	p, err := interp.NewRandom[float64](c, tensor.NewRand(1))
	if err != nil {
		panic(err)
	}
	e, err := interp.Expand(p, []int{1, 2, 3, 4})
	if err != nil {
		panic(err)
	}
	sum := tensor.Zeros[float64](e.Run.Logits.Shape()...)
	for _, t := range e.Terms {
		fmt.Printf("%-10s %v\n", t.Name(), t.Spec())
		sum.AddScaled(1, t.Logits)
	}
	fmt.Println("terms sum to the logits:", tensor.MaxAbsDiff(sum, e.Run.Logits) < 1e-12)
	// Output:
	// direct     p0 m0, v m0 -> p0 v
	// L0H0       p0 m0, p1 p0, m0 e1, e1 m1, v m1 -> p1 v
	// L0H1       p0 m0, p1 p0, m0 e1, e1 m1, v m1 -> p1 v
	// L1H0       p0 m0, p1 p0, m0 e1, e1 m1, v m1 -> p1 v
	// L1H1       p0 m0, p1 p0, m0 e1, e1 m1, v m1 -> p1 v
	// L0H0→L1H0  p0 m0, p1 p0, m0 e1, e1 m1, p2 p1, m1 e2, e2 m2, v m2 -> p2 v
	// L0H0→L1H1  p0 m0, p1 p0, m0 e1, e1 m1, p2 p1, m1 e2, e2 m2, v m2 -> p2 v
	// L0H1→L1H0  p0 m0, p1 p0, m0 e1, e1 m1, p2 p1, m1 e2, e2 m2, v m2 -> p2 v
	// L0H1→L1H1  p0 m0, p1 p0, m0 e1, e1 m1, p2 p1, m1 e2, e2 m2, v m2 -> p2 v
	// terms sum to the logits: true
}

// Activation patching: run a corrupted prompt with one activation taken from
// a clean run.
func ExampleRun() {
	c := interp.Config{NLayer: 2, NHead: 2, DModel: 8, DHead: 4, DMLP: 16, NCtx: 6, DVocab: 10}
	p, err := interp.NewRandom[float64](c, tensor.NewRand(2))
	if err != nil {
		panic(err)
	}
	clean, err := interp.Run(p, []int{1, 2, 3}, interp.RunOptions[float64]{Cache: true})
	if err != nil {
		panic(err)
	}
	resid := interp.At(1, interp.HookResidPre)
	fmt.Println(resid, clean.Cache[resid].Shape())
	patched, err := interp.Run(p, []int{1, 7, 3}, interp.RunOptions[float64]{
		Patch: map[interp.Act]*tensor.Dense[float64]{resid: clean.Cache[resid]},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("patched logits equal the clean ones:", tensor.MaxAbsDiff(patched.Logits, clean.Logits) < 1e-12)
	// Output:
	// blocks.1.hook_resid_pre [3 8]
	// patched logits equal the clean ones: true
}

// A head's OV circuit is kept factored: its singular values come from
// d_head × d_head matrices.
func ExampleFactored() {
	p, err := interp.ToyInduction[float64](interp.ToyOptions{D: 16, Beta: 4})
	if err != nil {
		panic(err)
	}
	ov, err := p.OV(interp.Head{Layer: 0, Head: 0})
	if err != nil {
		panic(err)
	}
	_, s, _, err := ov.SVD()
	if err != nil {
		panic(err)
	}
	m, n := ov.Dims()
	fmt.Printf("%d×%d OV circuit, ‖W_OV‖_F = %g, σ = %g … %g\n", m, n, ov.Norm(), s[0], s[len(s)-1])
	fmt.Println("‖W_OV‖_F = √d:", ov.Norm() == math.Sqrt(16))
	// Output:
	// 51×51 OV circuit, ‖W_OV‖_F = 4, σ = 1 … 1
	// ‖W_OV‖_F = √d: true
}
