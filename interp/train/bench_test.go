package train

import (
	"testing"

	"github.com/strand-tn/strand/interp"
	"github.com/strand-tn/strand/tensor"
)

// BenchmarkStep times one training step at the default sizes (2 layers of
// 4 heads, d_model 32, 41 positions, 64 tokens, batch 16): the loss and its
// gradient by grad.Compile's reverse mode, and the Adam update.
func BenchmarkStep(b *testing.B) {
	b.Run("float64", benchStep[float64])
	b.Run("float32", benchStep[float32])
}

func benchStep[T interp.Float](b *testing.B) {
	o := Options{}.withDefaults()
	c := o.Config()
	m, err := NewModel[T](c, o.Batch)
	if err != nil {
		b.Fatal(err)
	}
	p, err := Init[T](c, tensor.NewRand(1))
	if err != nil {
		b.Fatal(err)
	}
	batch, err := NewBatch(c, o.Batch, o.MinN, tensor.NewRand(2))
	if err != nil {
		b.Fatal(err)
	}
	a, err := NewAdam[T](AdamOptions{})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		_, g, err := m.Loss(p, batch)
		if err != nil {
			b.Fatal(err)
		}
		if err := a.Step(p, g, 0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTrainInduction is the full default training run of `strand
// interp train-induction` (minutes; run it with -benchtime 1x). It reports
// the induction score reached and checks the mechanism as
// TestTrainInduction does.
func BenchmarkTrainInduction(b *testing.B) {
	for b.Loop() {
		run, err := Train[float64](Options{})
		if err != nil {
			b.Fatal(err)
		}
		m, err := Analyze(run.Params, AnalyzeOptions{})
		if err != nil {
			b.Fatal(err)
		}
		checkMechanism(b, m)
		b.ReportMetric(m.InductionScore, "induction")
		b.ReportMetric(m.Base.Loss, "loss")
	}
}
