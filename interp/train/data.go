package train

import (
	"fmt"
	"math/rand/v2"

	"github.com/strand-tn/strand/interp"
	"github.com/strand-tn/strand/tensor"
)

// Batch is a batch of training sequences with the positions whose next
// token the loss counts.
type Batch struct {
	Tokens [][]int // [batch][n_ctx]
	// Repeat[i] is the length N of sequence i's repeated block; its second
	// repeat occupies the last N positions.
	Repeat []int
	// Predict[i] lists the positions q of sequence i whose next token
	// Tokens[i][q+1] the loss counts: the second repeat without its last
	// position, where the next token is the one that followed the current
	// token in the first repeat.
	Predict [][]int
}

// NewBatch draws a batch of induction sequences of length n_ctx = c.NCtx:
//
//	start, f₁ … f_F, t₁ … t_N, t₁ … t_N
//
// with N uniform in [minN, maxN] for each sequence (maxN = (n_ctx − 1)/2),
// F = n_ctx − 1 − 2N filler tokens, and the fillers and t₁ … t_N distinct
// tokens drawn uniformly from the vocabulary without the start token (so
// every token of the second repeat occurs exactly once before). The block
// length and its position vary, so that predicting the second repeat
// needs an induction head: attention to "the position after the previous
// occurrence of my token", not to a fixed offset. At N = maxN the sequence
// is the one interp.RepeatedTokens draws.
func NewBatch(c interp.Config, size, minN int, r *rand.Rand) (*Batch, error) {
	if err := checkBatch(c, size, minN); err != nil {
		return nil, err
	}
	maxN := (c.NCtx - 1) / 2
	pool := make([]int, 0, c.DVocab-1)
	for v := range c.DVocab {
		if v != c.StartToken {
			pool = append(pool, v)
		}
	}
	b := &Batch{}
	for range size {
		n := minN + r.IntN(maxN-minN+1)
		distinct := c.NCtx - 1 - n // fillers and the block
		// Partial Fisher–Yates shuffle.
		for i := range distinct {
			j := i + r.IntN(len(pool)-i)
			pool[i], pool[j] = pool[j], pool[i]
		}
		seq := append([]int{c.StartToken}, pool[:distinct]...)
		seq = append(seq, pool[distinct-n:distinct]...)
		var pred []int
		for q := c.NCtx - n; q < c.NCtx-1; q++ {
			pred = append(pred, q)
		}
		b.Tokens = append(b.Tokens, seq)
		b.Repeat = append(b.Repeat, n)
		b.Predict = append(b.Predict, pred)
	}
	return b, nil
}

// checkBatch reports why NewBatch cannot draw batches of the given sizes.
func checkBatch(c interp.Config, size, minN int) error {
	maxN := (c.NCtx - 1) / 2
	switch {
	case size < 1:
		return fmt.Errorf("train: batch of %d sequences, want ≥ 1", size)
	case minN < 2 || minN > maxN:
		return fmt.Errorf("train: shortest repeated block %d, want 2 … (n_ctx−1)/2 = %d", minN, maxN)
	case c.NCtx-1-minN > c.DVocab-1:
		return fmt.Errorf("train: a sequence of %d positions with a block of %d needs %d distinct tokens, the vocabulary has %d besides the start token",
			c.NCtx, minN, c.NCtx-1-minN, c.DVocab-1)
	}
	return nil
}

// oneHot returns X[b q v] = 1 where token v is at position q of sequence b.
func oneHot[T interp.Float](tokens [][]int, vocab int) *tensor.Dense[T] {
	x := tensor.Zeros[T](len(tokens), len(tokens[0]), vocab)
	for i, seq := range tokens {
		for q, t := range seq {
			x.Set(1, i, q, t)
		}
	}
	return x
}

// targets returns Y[b q v] = 1/P where v is the next token of a predicted
// position q of sequence b, P the number of predicted positions.
func targets[T interp.Float](b *Batch, vocab int) *tensor.Dense[T] {
	y := tensor.Zeros[T](len(b.Tokens), len(b.Tokens[0]), vocab)
	count := 0
	for _, p := range b.Predict {
		count += len(p)
	}
	w := T(1 / float64(count))
	for i, pred := range b.Predict {
		for _, q := range pred {
			y.Set(w, i, q, b.Tokens[i][q+1])
		}
	}
	return y
}
