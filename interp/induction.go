package interp

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/strand-tn/strand/tensor"
)

// InductionResult is the behaviour of a model on a repeated random sequence.
type InductionResult[T Float] struct {
	N      int        // length of the repeated block
	Tokens []int      // start, t₁ … t_N, t₁ … t_N
	Run    *Result[T] // the forward pass, with its cache
	// Induction[l, h] is the mean attention of head (l, h) on the induction
	// stripe: A[q, q−N+1] (the token after the previous occurrence of the
	// current token) over the queries q = N+1 … 2N of the second repeat.
	Induction *tensor.Dense[float64] // [n_layer, n_head]
	// PrevToken[l, h] is the mean attention on the previous token,
	// A[q, q−1] over q = 1 … 2N.
	PrevToken *tensor.Dense[float64] // [n_layer, n_head]
	// Loss and Accuracy are the mean cross-entropy (nats) and the fraction
	// of correct argmax predictions of the tokens the second repeat makes
	// predictable: positions N+1 … 2N−1 predicting t₂ … t_N.
	Loss, Accuracy float64
}

// Induction runs the model on RepeatedTokens(n) and measures each head's
// induction and previous-token scores. TransformerLens's induction-score
// demo averages the diagonal at offset 1−N of the whole pattern, which adds
// two first-repeat entries (queries N−1 and N) to these N; Induction keeps
// only the queries where induction is possible.
func Induction[T Float](p *Params[T], n int, r *rand.Rand) (*InductionResult[T], error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	tokens, err := RepeatedTokens(p.Config, n, r)
	if err != nil {
		return nil, err
	}
	run, err := Run(p, tokens, RunOptions[T]{Cache: true})
	if err != nil {
		return nil, err
	}
	c := p.Config
	res := &InductionResult[T]{N: n, Tokens: tokens, Run: run,
		Induction: tensor.Zeros[float64](c.NLayer, c.NHead), PrevToken: tensor.Zeros[float64](c.NLayer, c.NHead)}
	for l := range c.NLayer {
		pat := run.Cache.Get(l, HookPattern)
		for h := range c.NHead {
			var prev float64
			for q := 1; q <= 2*n; q++ {
				prev += float64(pat.At(h, q, q-1))
			}
			res.Induction.Set(StripeMean(pat.Index(0, h), n), l, h)
			res.PrevToken.Set(prev/float64(2*n), l, h)
		}
	}
	for q := n + 1; q < 2*n; q++ {
		row := run.Logits.Index(0, q)
		target := tokens[q+1]
		lse, best := logSumExp(row), 0
		for v := range c.DVocab {
			if row.At(v) > row.At(best) {
				best = v
			}
		}
		res.Loss += lse - float64(row.At(target))
		if best == target {
			res.Accuracy++
		}
	}
	if n > 1 {
		res.Loss /= float64(n - 1)
		res.Accuracy /= float64(n - 1)
	}
	return res, nil
}

func logSumExp[T Float](row *tensor.Dense[T]) float64 {
	mx := math.Inf(-1)
	for v := range row.Dim(0) {
		mx = max(mx, float64(row.At(v)))
	}
	var s float64
	for v := range row.Dim(0) {
		s += math.Exp(float64(row.At(v)) - mx)
	}
	return mx + math.Log(s)
}

// ToyOptions configure [ToyInduction]. The zero value gives the seed's
// example: d = 64, β = 16.
type ToyOptions struct {
	D     int     // width of the token subspace and of each head; 0 means 64
	Beta  float64 // sharpness of the Match tensor; 0 means 16
	Alpha float64 // sharpness of the previous-token head; 0 means Beta
	Vocab int     // number of tokens (token 0 is the start token); 0 means 512
	NCtx  int     // number of positions; 0 means 101 (N = 50 repeated twice after a start token)
	Seed  uint64  // seed of the random token embeddings
}

func (o ToyOptions) withDefaults() ToyOptions {
	if o.D == 0 {
		o.D = 64
	}
	if o.Beta == 0 {
		o.Beta = 16
	}
	if o.Alpha == 0 {
		o.Alpha = o.Beta
	}
	if o.Vocab == 0 {
		o.Vocab = 512
	}
	if o.NCtx == 0 {
		o.NCtx = 101
	}
	return o
}

// Toy residual-stream layout: blocks of D coordinates for the current
// token, the previous token (written by the layer-0 head) and the output
// (written by the layer-1 head), then three positional coordinates
// holding 1, q and q².
func toyTok(i int) int     { return i }
func toyPrev(d, i int) int { return d + i }
func toyOut(d, i int) int  { return 2*d + i }
func toyPos(d, j int) int  { return 3*d + j }

// ToyInduction builds the seed post's toy induction circuit as a two-layer,
// one-head-per-layer, attention-only transformer without LayerNorm or
// biases, from explicit weights (column convention, e_i the basis vectors of
// the blocks named above, x_v the unit-norm random embedding of token v):
//
//   - W_E puts x_v in the token block; W_pos puts (1, q, q²) in the
//     positional block.
//   - Layer 0 is a previous-token head: W_Q maps position q to (q−1, 1),
//     W_K maps key position k to √d·α (2k, −k²), so the score is
//     α(2(q−1)k − k²) = −α(k − (q−1))² + const(q), and softmax over k ≤ q
//     gives A_{q,k} ≈ δ_{k,q−1}, the shifted delta A_{k,q} = δ_{k,q+1} of
//     the seed. Its OV circuit copies the token block into the previous-token
//     block (W_V = Σ_i e_i tok_iᵀ, W_O = Σ_i prev_i e_iᵀ).
//   - Layer 1 is the induction head: W_Q = β√d Σ_i e_i tok_iᵀ,
//     W_K = Σ_i e_i prev_iᵀ, so W_QK = β√d Σ_i tok_i prev_iᵀ: after the
//     layer-0 head, the score of query q on key k is β x_{t_q}·x_{t_{k−1}},
//     the Match tensor, through K-composition. Its OV circuit copies the
//     token block into the output block.
//   - W_U = β Σ_i out_i x_·[i]ᵀ reads the output block: the logit of v is
//     β x_v·(copied embedding).
//
// "Exactly": the heads read and write disjoint sets of standard-basis
// coordinates, so W_QK¹ᵀ W_OV⁰ (Q-composition) and W_OV¹ W_OV⁰
// (V-composition) are sums of exact floating-point zeros — not cancellations
// of rounded terms — and are 0 exactly. W_QK¹ W_OV⁰ = β√d Σ_i tok_i tok_iᵀ,
// whose norm is β√d·√d against ‖W_QK¹‖ = β√d·√d and ‖W_OV⁰‖ = √d, so the
// K-composition score is 1/√d; every entry is 0, 1 or β√d, and when these
// and √d are powers of two (d = 64, β = 16) every product, sum and square
// root in the score is exact, giving 1/8 to the last bit.
func ToyInduction[T Float](o ToyOptions) (*Params[T], error) {
	o = o.withDefaults()
	switch {
	case o.D < 2 || o.D > 1<<12:
		return nil, fmt.Errorf("interp: toy induction: d = %d, want 2 … 4096", o.D)
	case !(o.Beta > 0) || !(o.Alpha > 0) || math.IsInf(o.Beta, 0) || math.IsInf(o.Alpha, 0):
		return nil, fmt.Errorf("interp: toy induction: β = %g and α = %g, want finite and > 0", o.Beta, o.Alpha)
	case o.Vocab < 2 || o.Vocab > 1<<20:
		return nil, fmt.Errorf("interp: toy induction: vocabulary of %d tokens, want 2 … 2²⁰", o.Vocab)
	case o.NCtx < 3 || o.NCtx > 1<<16:
		return nil, fmt.Errorf("interp: toy induction: %d positions, want 3 … 2¹⁶", o.NCtx)
	}
	d := o.D
	c := Config{NLayer: 2, NHead: 1, DModel: 3*d + 3, DHead: d, NCtx: o.NCtx, DVocab: o.Vocab,
		AttnOnly: true, NoLayerNorm: true, UntiedUnembed: true}
	p, err := NewZero[T](c)
	if err != nil {
		return nil, err
	}
	r := tensor.NewRand(o.Seed)
	for v := range o.Vocab {
		x := tensor.RandNormal[float64](r, d)
		x = x.Scale(1 / x.Norm())
		for i := range d {
			p.WE.Set(T(x.At(i)), v, toyTok(i))
			p.WU.Set(T(o.Beta*x.At(i)), toyOut(d, i), v)
		}
	}
	for q := range o.NCtx {
		p.WPos.Set(1, q, toyPos(d, 0))
		p.WPos.Set(T(q), q, toyPos(d, 1))
		p.WPos.Set(T(q*q), q, toyPos(d, 2))
	}
	sq := math.Sqrt(float64(d))
	b0, b1 := &p.Blocks[0], &p.Blocks[1]
	// Previous-token head (WQ etc. are [d_model, head, d_head]).
	b0.WQ.Set(1, toyPos(d, 1), 0, 0)
	b0.WQ.Set(-1, toyPos(d, 0), 0, 0)
	b0.WQ.Set(1, toyPos(d, 0), 0, 1)
	b0.WK.Set(T(2*o.Alpha*sq), toyPos(d, 1), 0, 0)
	b0.WK.Set(T(-o.Alpha*sq), toyPos(d, 2), 0, 1)
	for i := range d {
		b0.WV.Set(1, toyTok(i), 0, i)
		b0.WO.Set(1, 0, i, toyPrev(d, i))
		// Induction head.
		b1.WQ.Set(T(o.Beta*sq), toyTok(i), 0, i)
		b1.WK.Set(1, toyPrev(d, i), 0, i)
		b1.WV.Set(1, toyTok(i), 0, i)
		b1.WO.Set(1, 0, i, toyOut(d, i))
	}
	return p, nil
}
