package train

import (
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/strand-tn/strand/interp"
	"github.com/strand-tn/strand/tensor"
)

// tiny is a small model for tests: 2 layers of 2 heads, d_model 8,
// d_head 4, 16 tokens, blocks of 2 to 4 tokens (9 positions).
var tiny = Options{Layers: 2, Heads: 2, DModel: 8, DHead: 4, Vocab: 16, N: 4, MinN: 2, Batch: 3}

// forwardLoss computes the training loss through interp.Forward, one
// sequence at a time: the independent oracle of Model.Loss.
func forwardLoss(t testing.TB, p *interp.Params[float64], b *Batch) float64 {
	t.Helper()
	var total float64
	count := 0
	for i, seq := range b.Tokens {
		logits, err := interp.Forward(p, seq)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range b.Predict[i] {
			row := logits.Index(0, q)
			mx := row.MaxAbs() // a shift ≥ every logit keeps exp from overflowing
			var s float64
			for v := range row.Dim(0) {
				s += math.Exp(row.At(v) - mx)
			}
			total += mx + math.Log(s) - row.At(seq[q+1])
			count++
		}
	}
	return total / float64(count)
}

func tinyModel(t testing.TB, seed uint64) (*Model[float64], *interp.Params[float64], *Batch) {
	t.Helper()
	c := tiny.Config()
	m, err := NewModel[float64](c, tiny.Batch)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Init[float64](c, tensor.NewRand(seed))
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewBatch(c, tiny.Batch, tiny.MinN, tensor.NewRand(seed+1))
	if err != nil {
		t.Fatal(err)
	}
	return m, p, b
}

// TestLossMatchesForward checks that the program is the model interp runs:
// the loss of Model.Loss equals the cross-entropy of interp.Forward's
// logits to 1e-12.
func TestLossMatchesForward(t *testing.T) {
	for seed := range uint64(3) {
		m, p, b := tinyModel(t, seed)
		loss, _, err := m.Loss(p, b)
		if err != nil {
			t.Fatal(err)
		}
		if want := forwardLoss(t, p, b); math.Abs(loss-want) > 1e-12*want {
			t.Errorf("seed %d: program loss %.17g, interp.Forward %.17g", seed, loss, want)
		}
	}
}

// TestGradientCheck compares every element of the gradient of the training
// loss with central differences of the loss computed by interp.Forward
// (step 1e-5: truncation O(h²) ≈ 1e-10, rounding O(ε/h) ≈ 1e-11), to 1e-7
// of the largest gradient entry.
func TestGradientCheck(t *testing.T) {
	m, p, b := tinyModel(t, 7)
	_, grads, err := m.Loss(p, b)
	if err != nil {
		t.Fatal(err)
	}
	const h = 1e-5
	for _, q := range p.Params() {
		g := grads[q.Name]
		if !m.Trainable(q.Name) {
			if g != nil {
				t.Errorf("%s: a gradient for a parameter the program does not read", q.Name)
			}
			continue
		}
		if g == nil {
			t.Fatalf("%s: no gradient", q.Name)
		}
		data := (*q.Ptr).Data()
		gd := g.Contiguous().Data()
		scale := max(1, g.MaxAbs())
		worst := 0.0
		for i := range data {
			x := data[i]
			data[i] = x + h
			up := forwardLoss(t, p, b)
			data[i] = x - h
			down := forwardLoss(t, p, b)
			data[i] = x
			worst = max(worst, math.Abs((up-down)/(2*h)-gd[i]))
		}
		if worst > 1e-7*scale {
			t.Errorf("%s: max |grad − central difference| = %g (largest entry %g)", q.Name, worst, scale)
		}
	}
}

// TestAdamStep checks two Adam steps against a hand computation
// (β₁ = 0.9, β₂ = 0.999, ε = 1e-8, α = 0.1) on two entries of W_U:
//
//	step 1, g = (0.5, −1):  m = (0.05, −0.1), v = (2.5e-4, 1e-3), m̂ = g, v̂ = g²,
//	                        θ −= 0.1·g/(|g| + ε) → (1 − 0.1, −2 + 0.1)
//	step 2, g = (0.5, 1):   m = (0.095, 0.01), v = (4.9975e-4, 1.999e-3),
//	                        m̂ = m/0.19 = (0.5, 1/19), v̂ = v/1.999e-3 = (0.25, 1),
//	                        θ −= 0.1·(0.5/0.5, (1/19)/1) → (0.8, −1.9 − 0.1/19)
//
// and the decoupled weight decay θ ← θ(1 − αλ) before a step.
func TestAdamStep(t *testing.T) {
	c := tiny.Config()
	p, err := interp.NewZero[float64](c)
	if err != nil {
		t.Fatal(err)
	}
	p.WU.Set(1, 0, 0)
	p.WU.Set(-2, 0, 1)
	a, err := NewAdam[float64](AdamOptions{LR: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	step := func(g0, g1, lr float64) {
		g := tensor.Zeros[float64](c.DModel, c.DVocab)
		g.Set(g0, 0, 0)
		g.Set(g1, 0, 1)
		if err := a.Step(p, map[string]*tensor.Dense[float64]{"W_U": g}, lr); err != nil {
			t.Fatal(err)
		}
	}
	check := func(want0, want1 float64) {
		t.Helper()
		if got0, got1 := p.WU.At(0, 0), p.WU.At(0, 1); math.Abs(got0-want0) > 1e-8 || math.Abs(got1-want1) > 1e-8 {
			t.Errorf("after step %d: θ = (%.12g, %.12g), want (%.12g, %.12g)", a.Steps(), got0, got1, want0, want1)
		}
	}
	step(0.5, -1, 0)
	check(0.9, -1.9)
	step(0.5, 1, 0)
	check(0.8, -1.9-0.1/19)
	if p.WU.At(1, 0) != 0 || p.WE.MaxAbs() != 0 {
		t.Error("Adam changed a parameter whose gradient is zero or absent")
	}
	// Weight decay: with λ = 0.5 and α = 0.1 a zero gradient leaves θ·0.95.
	wd, err := NewAdam[float64](AdamOptions{LR: 0.1, WeightDecay: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	before := p.WU.At(0, 0)
	if err := wd.Step(p, map[string]*tensor.Dense[float64]{"W_U": tensor.Zeros[float64](c.DModel, c.DVocab)}, 0); err != nil {
		t.Fatal(err)
	}
	if got := p.WU.At(0, 0); math.Abs(got-0.95*before) > 1e-15 {
		t.Errorf("weight decay: θ = %g, want %g", got, 0.95*before)
	}
}

func TestAdamErrors(t *testing.T) {
	for _, o := range []AdamOptions{{LR: -1}, {LR: math.NaN()}, {LR: math.Inf(1)}, {Beta1: 1}, {Beta2: -0.5}, {Eps: -1}, {WeightDecay: math.NaN()}} {
		if _, err := NewAdam[float64](o); err == nil || !strings.HasPrefix(err.Error(), "train: ") {
			t.Errorf("%+v: error %v", o, err)
		}
	}
	p, err := interp.NewZero[float64](tiny.Config())
	if err != nil {
		t.Fatal(err)
	}
	a, _ := NewAdam[float64](AdamOptions{})
	for name, g := range map[string]*tensor.Dense[float64]{"W_X": tensor.Zeros[float64](2), "W_U": tensor.Zeros[float64](3, 3)} {
		if err := a.Step(p, map[string]*tensor.Dense[float64]{name: g}, 0); err == nil {
			t.Errorf("gradient %s %v: no error", name, g.Shape())
		}
	}
	if a.Steps() != 0 {
		t.Error("a rejected step counted")
	}
}

func TestSchedule(t *testing.T) {
	for _, c := range []struct {
		step, steps, warmup int
		want                float64
	}{{0, 100, 10, 0.1}, {4, 100, 10, 0.5}, {9, 100, 10, 1}, {10, 100, 10, 1}, {99, 100, 10, 0.1}, {0, 1, 0, 1},
		{54, 100, 10, 0.1 + 0.9*0.5*(1+math.Cos(math.Pi*44/89))}} {
		if got := Schedule(c.step, c.steps, c.warmup, 1); math.Abs(got-c.want) > 1e-15 {
			t.Errorf("Schedule(%d, %d, %d) = %g, want %g", c.step, c.steps, c.warmup, got, c.want)
		}
	}
}

func TestNewBatch(t *testing.T) {
	c := ModelConfig(2, 2, 8, 4, 32, 21)
	r := rand.New(rand.NewPCG(1, 2))
	b, err := NewBatch(c, 50, 4, r)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	for i, seq := range b.Tokens {
		n := b.Repeat[i]
		seen[n] = true
		if len(seq) != c.NCtx || seq[0] != c.StartToken || n < 4 || n > 10 {
			t.Fatalf("sequence %d (N = %d): %v", i, n, seq)
		}
		first := seq[1 : c.NCtx-n]
		if slices.Contains(first, c.StartToken) || len(uniq(first)) != len(first) {
			t.Errorf("sequence %d: fillers and block not distinct: %v", i, seq)
		}
		if !slices.Equal(seq[c.NCtx-2*n:c.NCtx-n], seq[c.NCtx-n:]) {
			t.Errorf("sequence %d: the block is not repeated: %v", i, seq)
		}
		if len(b.Predict[i]) != n-1 || b.Predict[i][0] != c.NCtx-n || slices.Max(b.Predict[i]) != c.NCtx-2 {
			t.Errorf("sequence %d (N = %d): predicted positions %v", i, n, b.Predict[i])
		}
	}
	if len(seen) < 5 {
		t.Errorf("block lengths drawn: %v, want most of 4 … 10", seen)
	}
	// The targets weigh every predicted position alike and sum to one.
	y := targets[float64](b, c.DVocab)
	if s := y.Sum(); math.Abs(s-1) > 1e-12 {
		t.Errorf("targets sum to %g", s)
	}
	for _, bad := range []struct{ size, minN, vocab int }{{0, 4, 32}, {5, 1, 32}, {5, 11, 32}, {5, 4, 16}} {
		c2 := c
		c2.DVocab = bad.vocab
		if _, err := NewBatch(c2, bad.size, bad.minN, r); err == nil || !strings.HasPrefix(err.Error(), "train: ") {
			t.Errorf("%+v: error %v", bad, err)
		}
	}
}

func uniq(x []int) map[int]bool {
	m := map[int]bool{}
	for _, v := range x {
		m[v] = true
	}
	return m
}

func TestModelErrors(t *testing.T) {
	c := tiny.Config()
	withLN := c
	withLN.NoLayerNorm = false
	if _, err := NewModel[float64](withLN, 2); err == nil || !strings.Contains(err.Error(), "LayerNorm") {
		t.Errorf("LayerNorm model: error %v", err)
	}
	if _, err := NewModel[float64](c, 0); err == nil {
		t.Error("batch 0: no error")
	}
	if _, err := Program(interp.Config{}, 1); err == nil {
		t.Error("zero config: no error")
	}
	m, p, b := tinyModel(t, 1)
	b.Tokens = b.Tokens[:1]
	if _, _, err := m.Loss(p, b); err == nil {
		t.Error("short batch: no error")
	}
	other, _ := Init[float64](ModelConfig(2, 2, 8, 4, 17, 9), tensor.NewRand(1))
	if _, _, err := m.Loss(other, b); err == nil {
		t.Error("weights of another config: no error")
	}
	one := tiny
	one.Layers = 1
	p1, _ := Init[float64](one.Config(), tensor.NewRand(1))
	if _, err := Analyze(p1, AnalyzeOptions{}); err == nil {
		t.Error("Analyze of a one-layer model: no error")
	}
	if _, err := Train[float64](Options{Steps: -1}); err == nil {
		t.Error("negative steps: no error")
	}
	if _, err := Train[float64](Options{Vocab: 8}); err == nil {
		t.Error("a vocabulary too small for the sequences: no error")
	}
}

// TestTrainShort trains the tiny model for a few seconds' worth of steps:
// the loss falls, and the same seed gives the same loss curve and weights
// bit for bit (a different seed does not).
func TestTrainShort(t *testing.T) {
	o := tiny
	o.Steps, o.EvalEvery, o.EvalSequences, o.Seed = 60, 20, 2, 5
	calls := 0
	o.Progress = func(p Progress) {
		calls++
		if p.Step != calls || p.Steps != 60 || p.Eval == nil || !(p.LR > 0) {
			t.Fatalf("progress %+v", p)
		}
	}
	a, err := Train[float64](o)
	if err != nil {
		t.Fatal(err)
	}
	if calls != 60 || len(a.Loss) != 60 || len(a.Evals) != 4 || a.Evals[3].Step != 60 {
		t.Fatalf("%d progress calls, %d losses, %d evals", calls, len(a.Loss), len(a.Evals))
	}
	if first, last := mean(a.Loss[:10]), mean(a.Loss[50:]); !(last < first-0.5) {
		t.Errorf("loss %.3f over the first 10 steps, %.3f over the last 10: want a drop of 0.5 nats", first, last)
	}
	o.Progress = nil
	b, err := Train[float64](o)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Loss, b.Loss) {
		t.Error("same seed, different loss curves")
	}
	bp := b.Params.Params()
	for i, q := range a.Params.Params() {
		if d := tensor.MaxAbsDiff(*q.Ptr, *bp[i].Ptr); d != 0 {
			t.Errorf("same seed: %s differs by %g", q.Name, d)
		}
	}
	o.Seed = 6
	c, err := Train[float64](o)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(a.Loss, c.Loss) {
		t.Error("different seeds, same loss curve")
	}
}

// TestTrainInduction is the full training run of `strand interp
// train-induction` (a minute or two on two cores); set STRAND_TRAIN_FULL=1
// to run it. Induction heads must form and the analysis must show
// K-composition with the previous-token head carrying them.
func TestTrainInduction(t *testing.T) {
	if os.Getenv("STRAND_TRAIN_FULL") == "" || testing.Short() {
		t.Skip("the full training run takes minutes: set STRAND_TRAIN_FULL=1")
	}
	run, err := Train[float64](Options{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := Analyze(interp.Convert[float64](run.Params), AnalyzeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%v: induction %.3f in %s, previous token %.3f in %s, K %.3f (baseline %.3f ± %.3f), K share %.2f",
		run.Elapsed, m.InductionScore, m.InductionHead, m.PrevScore, m.PrevHead, m.K, m.Baseline, m.BaselineStd, m.KShare)
	checkMechanism(t, m)
}

// checkMechanism asserts what a trained induction circuit shows.
func checkMechanism(t testing.TB, m *Mechanism) {
	t.Helper()
	if m.InductionScore < 0.5 || m.Base.Loss > 0.5 {
		t.Errorf("induction score %.3f in %s, loss %.3f: no induction head", m.InductionScore, m.InductionHead, m.Base.Loss)
	}
	if m.PrevFirst < 0.5 {
		t.Errorf("previous-token score %.3f (first repeat) in %s", m.PrevFirst, m.PrevHead)
	}
	if m.K < m.Baseline+3*m.BaselineStd {
		t.Errorf("K-composition %.3f, baseline %.3f ± %.3f", m.K, m.Baseline, m.BaselineStd)
	}
	if m.KShare < 0.5 || m.PrevKShare < 0.5 {
		t.Errorf("K-composition terms carry %.2f of the stripe margin (%.2f through %s)", m.KShare, m.PrevKShare, m.PrevHead)
	}
	if m.SingleShare < 0.5 || math.Abs(m.VirtualShare) > 0.25 {
		t.Errorf("single heads carry %.2f of the logit margin, virtual heads %.2f", m.SingleShare, m.VirtualShare)
	}
	for _, a := range m.Ablations {
		if a.Head == m.PrevHead.String() && a.Loss < m.Base.Loss+1 {
			t.Errorf("ablating %s: loss %.3f, unablated %.3f", a.Head, a.Loss, m.Base.Loss)
		}
	}
}
