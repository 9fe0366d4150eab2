package interp

import (
	"testing"

	"github.com/strand-tn/strand/tensor"
)

// BenchmarkForwardGPT2Small times the forward pass of a GPT-2-small-sized
// model (12 layers, 12 heads, d_model 768, d_mlp 3072, vocabulary 50257,
// random weights, float32) on 128 tokens. Compare with
// testdata/gpt2_bench_torch.py at the same thread count (-cpu N and
// --threads N). It also reports the process's CPU seconds per forward pass
// (cpu-s/op), which a busy machine inflates less than wall time.
func BenchmarkForwardGPT2Small(b *testing.B) {
	p, err := NewRandom[float32](GPT2Small, tensor.NewRand(1))
	if err != nil {
		b.Fatal(err)
	}
	tokens := randomTokens(tensor.NewRand(2), 128, GPT2Small.DVocab)
	cpu := cpuSeconds()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Forward(p, tokens); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cpuSeconds()-cpu)/float64(b.N), "cpu-s/op")
}

// BenchmarkCompositionScores times all Q/K/V composition scores of a model
// with 4 layers of 8 heads, d_model 256, d_head 32.
func BenchmarkCompositionScores(b *testing.B) {
	c := Config{NLayer: 4, NHead: 8, DModel: 256, DHead: 32, NCtx: 16, DVocab: 16, AttnOnly: true}
	p, err := NewRandom[float64](c, tensor.NewRand(1))
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := CompositionScores(p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExpand times the path expansion (81 terms) of a two-layer,
// eight-head attention-only model on 64 tokens.
func BenchmarkExpand(b *testing.B) {
	c := Config{NLayer: 2, NHead: 8, DModel: 128, DHead: 16, NCtx: 64, DVocab: 256, AttnOnly: true}
	p, err := NewRandom[float64](c, tensor.NewRand(1))
	if err != nil {
		b.Fatal(err)
	}
	tokens := randomTokens(tensor.NewRand(2), 64, c.DVocab)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Expand(p, tokens); err != nil {
			b.Fatal(err)
		}
	}
}
