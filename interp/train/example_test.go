package train_test

import (
	"fmt"

	"github.com/strand-tn/strand/interp/train"
)

// The model is a strand program: two attention-only layers and the mean
// next-token cross-entropy.
func ExampleProgram() {
	src, err := train.Program(train.ModelConfig(2, 4, 32, 8, 64, 41), 16)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(src)
	// Output:
	// # A 2-layer attention-only transformer (no LayerNorm, no biases) and its mean next-token cross-entropy
	// dim b=16 q=41 k=41 m=32 n=32 h=4 d=8 v=64
	// x0[b q m] = X[b q v] W_E[v m] + δ[b] W_pos[q m]
	// A0[b h q k] = softmax_k(0.35355339059327373 x0[b q m] W_Q0[m h d] x0[b k n] W_K0[n h d] + δ[b] δ[h] M[q k])
	// x1[b q m] = x0[b q m] + A0[b h q k] x0[b k n] W_V0[n h d] W_O0[h d m]
	// A1[b h q k] = softmax_k(0.35355339059327373 x1[b q m] W_Q1[m h d] x1[b k n] W_K1[n h d] + δ[b] δ[h] M[q k])
	// x2[b q m] = x1[b q m] + A1[b h q k] x1[b k n] W_V1[n h d] W_O1[h d m]
	// L = -Y[b q v] logsoftmax_v(x2[b q m] W_U[m v])[b q v]
}

// Training the tiny model for a few steps: the loss falls from its random
// start towards the unigram plateau.
func ExampleTrain() {
	run, err := train.Train[float64](train.Options{Layers: 2, Heads: 2, DModel: 8, DHead: 4, Vocab: 16, N: 4, Batch: 4, Steps: 40, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d steps, loss fell: %v\n", len(run.Loss), run.Loss[39] < run.Loss[0])
	// Output:
	// 40 steps, loss fell: true
}
