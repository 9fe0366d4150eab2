package train

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/strand-tn/strand/interp"
	"github.com/strand-tn/strand/tensor"
)

// Options configure [Train]. The zero value trains the default model — 2
// layers of 4 heads, d_model 32, d_head 8, 64 tokens, blocks of 10 to 20
// tokens repeated twice (41 positions) — for 1500 steps of batches of 16,
// with Adam at a peak learning rate of 1e-2, seed 0.
type Options struct {
	Layers int // 0 means 2
	Heads  int // heads per layer; 0 means 4
	DModel int // 0 means 32
	DHead  int // 0 means 8
	Vocab  int // number of tokens, the start token 0 among them; 0 means 64
	N      int // longest repeated block; n_ctx = 2N + 1; 0 means 20
	MinN   int // shortest repeated block; 0 means N/2 (at least 2)

	Batch  int // sequences per step; 0 means 16
	Steps  int // 0 means 1500
	Warmup int // steps of linear warm-up of the learning rate; 0 means Steps/30
	// Adam configures the optimizer; its LR is the peak of the schedule
	// (0 here means 1e-2). After the warm-up the rate follows a cosine from
	// LR down to LR/10 at the last step (Loshchilov & Hutter, "SGDR", ICLR
	// 2017).
	Adam AdamOptions
	Seed uint64 // seeds the weights, the batches and the evaluation sequences

	// EvalEvery is the number of steps between measurements of the
	// induction and previous-token scores (and before the first step and
	// after the last); 0 means 25.
	EvalEvery int
	// EvalSequences is the number of repeated sequences each measurement
	// averages over; 0 means 4.
	EvalSequences int
	// Progress, if set, is called after every step.
	Progress func(Progress)
}

func (o Options) withDefaults() Options {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&o.Layers, 2)
	def(&o.Heads, 4)
	def(&o.DModel, 32)
	def(&o.DHead, 8)
	def(&o.Vocab, 64)
	def(&o.N, 20)
	def(&o.MinN, max(2, o.N/2))
	def(&o.Batch, 16)
	def(&o.Steps, 1500)
	def(&o.Warmup, max(1, o.Steps/30))
	def(&o.EvalEvery, 25)
	def(&o.EvalSequences, 4)
	if o.Adam.LR == 0 {
		o.Adam.LR = 1e-2
	}
	return o
}

// Config returns the model configuration the options describe.
func (o Options) Config() interp.Config {
	o = o.withDefaults()
	return ModelConfig(o.Layers, o.Heads, o.DModel, o.DHead, o.Vocab, 2*o.N+1)
}

// Eval is a measurement of the model during training, averaged over
// repeated random sequences (interp.Induction with the longest block N).
type Eval struct {
	Step int `json:"step"` // steps taken
	// Loss and Accuracy are those of the predictable tokens of the second
	// repeat (nats; fraction of correct argmax predictions).
	Loss     float64 `json:"loss"`
	Accuracy float64 `json:"accuracy"`
	// Induction[l][h] and PrevToken[l][h] are every head's induction and
	// previous-token scores.
	Induction [][]float64 `json:"induction"`
	PrevToken [][]float64 `json:"prev_token"`
	// PrevTokenFirst[l][h] is the previous-token score over the first
	// repeat only (A[q, q−1] for q = 1 … N), where the keys an induction
	// head attends to are.
	PrevTokenFirst [][]float64 `json:"prev_token_first"`
}

// Best returns the head with the largest score in s ([layer][head]) among
// layers ≥ from, and the score.
func Best(s [][]float64, from int) (interp.Head, float64) {
	best, v := interp.Head{Layer: from}, math.Inf(-1)
	for l := from; l < len(s); l++ {
		for h, x := range s[l] {
			if x > v {
				best, v = interp.Head{Layer: l, Head: h}, x
			}
		}
	}
	return best, v
}

// Progress reports one training step to [Options.Progress].
type Progress struct {
	Step, Steps int
	Loss        float64       // the batch loss of this step
	LR          float64       // the learning rate of this step
	Eval        *Eval         // the latest measurement
	Elapsed     time.Duration // since training started
}

// Run is the outcome of [Train].
type Run[T interp.Float] struct {
	Options Options // with defaults filled in
	Params  *interp.Params[T]
	Source  string    // the model's strand program (see [Program])
	Loss    []float64 // the batch loss of every step
	Evals   []Eval    // measurements every EvalEvery steps, the first before training
	Elapsed time.Duration
}

// Train trains an attention-only transformer ([Program]) on batches of
// repeated random sequences ([NewBatch]) with strand's own gradients
// ([Model.Loss]) and [Adam], until (one hopes) induction heads form. The
// weights start from [Init]; the run is a deterministic function of the
// options on a given machine: the same seed gives the same loss curve, bit
// for bit.
func Train[T interp.Float](o Options) (*Run[T], error) {
	o = o.withDefaults()
	if o.Steps < 0 || o.Warmup < 0 || o.EvalEvery < 0 || o.EvalSequences < 0 {
		return nil, fmt.Errorf("train: steps %d, warm-up %d, eval every %d steps on %d sequences: want ≥ 0", o.Steps, o.Warmup, o.EvalEvery, o.EvalSequences)
	}
	c := o.Config()
	m, err := NewModel[T](c, o.Batch)
	if err != nil {
		return nil, err
	}
	adam, err := NewAdam[T](o.Adam)
	if err != nil {
		return nil, err
	}
	p, err := Init[T](c, tensor.NewRand(o.Seed))
	if err != nil {
		return nil, err
	}
	if err := checkBatch(c, o.Batch, o.MinN); err != nil {
		return nil, err
	}
	data := rand.New(rand.NewPCG(o.Seed, 0xda7a))
	run := &Run[T]{Options: o, Params: p, Source: m.Source}
	start := time.Now()
	measure := func(step int) error {
		e, err := evaluate(p, o.N, o.EvalSequences, o.Seed)
		if err != nil {
			return err
		}
		e.Step = step
		run.Evals = append(run.Evals, *e)
		return nil
	}
	if err := measure(0); err != nil {
		return nil, err
	}
	for step := range o.Steps {
		b, err := NewBatch(c, o.Batch, o.MinN, data)
		if err != nil {
			return nil, err
		}
		loss, grads, err := m.Loss(p, b)
		if err != nil {
			return nil, err
		}
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			return nil, fmt.Errorf("train: the loss is %g at step %d (lower the learning rate)", loss, step+1)
		}
		lr := Schedule(step, o.Steps, o.Warmup, o.Adam.LR)
		if err := adam.Step(p, grads, lr); err != nil {
			return nil, err
		}
		run.Loss = append(run.Loss, loss)
		if (step+1)%o.EvalEvery == 0 || step+1 == o.Steps {
			if err := measure(step + 1); err != nil {
				return nil, err
			}
		}
		if o.Progress != nil {
			o.Progress(Progress{Step: step + 1, Steps: o.Steps, Loss: loss, LR: lr, Eval: &run.Evals[len(run.Evals)-1], Elapsed: time.Since(start)})
		}
	}
	run.Elapsed = time.Since(start)
	return run, nil
}

// Schedule returns the learning rate of step (from 0) of steps: a linear
// warm-up from peak/warmup to peak over the first warmup steps, then a
// cosine decay from peak to peak/10 at the last step.
func Schedule(step, steps, warmup int, peak float64) float64 {
	if step < warmup {
		return peak * float64(step+1) / float64(warmup)
	}
	rest := steps - warmup
	if rest <= 1 {
		return peak
	}
	frac := float64(step-warmup) / float64(rest-1)
	return peak * (0.1 + 0.9*0.5*(1+math.Cos(math.Pi*frac)))
}

// Init returns seeded initial weights for the models [Program] writes: the
// embeddings W_E and W_pos standard normal (as PyTorch's nn.Embedding), the
// other weights normal with variance 1/fan-in (LeCun et al., "Efficient
// BackProp", 1998) — 1/d_model for W_Q, W_K, W_V and W_U, 1/(n_head·d_head)
// for W_O — and the biases zero. With these scales the attention scores
// and logits start of order one; with GPT-2's N(0, 0.02²) they start near
// zero, and so do the gradients of the products of weights through which a
// previous-token head and an induction head must form together.
func Init[T interp.Float](c interp.Config, r *rand.Rand) (*interp.Params[T], error) {
	if err := checkConfig(c); err != nil {
		return nil, err
	}
	p, err := interp.NewZero[T](c)
	if err != nil {
		return nil, err
	}
	for _, q := range p.Params() {
		var std float64
		switch name := q.Name[strings.LastIndexByte(q.Name, '.')+1:]; name {
		case "W_E", "W_pos":
			std = 1
		case "W_Q", "W_K", "W_V", "W_U":
			std = 1 / math.Sqrt(float64(c.DModel))
		case "W_O":
			std = 1 / math.Sqrt(float64(c.NHead*c.DHead))
		default:
			continue // biases
		}
		*q.Ptr = tensor.Convert[T](tensor.RandNormal[float64](r, q.Shape...).Scale(std))
	}
	return p, nil
}

// evaluate measures the model on k repeated sequences of block length n
// drawn from a generator seeded by seed (the same sequences every time).
func evaluate[T interp.Float](p *interp.Params[T], n, k int, seed uint64) (*Eval, error) {
	c := p.Config
	e := &Eval{Induction: grid(c), PrevToken: grid(c), PrevTokenFirst: grid(c)}
	r := rand.New(rand.NewPCG(seed, 0xe7a1))
	for range k {
		res, err := interp.Induction(p, n, r)
		if err != nil {
			return nil, err
		}
		e.Loss += res.Loss / float64(k)
		e.Accuracy += res.Accuracy / float64(k)
		for l := range c.NLayer {
			pat := res.Run.Cache.Get(l, interp.HookPattern)
			for h := range c.NHead {
				e.Induction[l][h] += res.Induction.At(l, h) / float64(k)
				e.PrevToken[l][h] += res.PrevToken.At(l, h) / float64(k)
				var first float64
				for q := 1; q <= n; q++ {
					first += float64(pat.At(h, q, q-1))
				}
				e.PrevTokenFirst[l][h] += first / float64(n*k)
			}
		}
	}
	return e, nil
}

// grid returns a zero [n_layer][n_head] table.
func grid(c interp.Config) [][]float64 {
	g := make([][]float64, c.NLayer)
	for l := range g {
		g[l] = make([]float64, c.NHead)
	}
	return g
}
