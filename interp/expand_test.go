package interp

import (
	"math"
	"strings"
	"testing"

	"github.com/strand-tn/strand/contract"
	"github.com/strand-tn/strand/tensor"
)

// attnOnlyConfig is a two-layer attention-only model for expansion tests.
var attnOnlyConfig = Config{NLayer: 2, NHead: 3, DModel: 16, DHead: 4, NCtx: 10, DVocab: 20, AttnOnly: true}

func TestExpandSumsToOutput(t *testing.T) {
	variants := map[string]func(*Config){
		"plain":        func(c *Config) { c.NoLayerNorm = true },
		"layernorm":    func(*Config) {},
		"untied":       func(c *Config) { c.NoLayerNorm, c.UntiedUnembed = true, true },
		"three layers": func(c *Config) { c.NLayer, c.NHead = 3, 2 },
	}
	for name, f := range variants {
		for _, biases := range []bool{false, true} {
			c := attnOnlyConfig
			f(&c)
			p := randomModel[float64](t, c, 21, 0.4)
			if !biases {
				zeroBiases(p)
			}
			tokens := randomTokens(tensor.NewRand(3), 9, c.DVocab)
			e, err := Expand(p, tokens)
			if err != nil {
				t.Fatal(err)
			}
			want := 1
			for range c.NLayer {
				want *= 1 + c.NHead
			}
			if biases {
				want++
			}
			if len(e.Terms) != want {
				t.Errorf("%s (biases %v): %d terms, want %d", name, biases, len(e.Terms), want)
			}
			sumL := tensor.Zeros[float64](e.Run.Logits.Shape()...)
			sumR := tensor.Zeros[float64](len(tokens), c.DModel)
			for _, term := range e.Terms {
				sumL.AddScaled(1, term.Logits)
				sumR.AddScaled(1, term.Resid)
				// Each term is the contraction its factors describe.
				got, err := contract.Einsum(term.Spec(), term.Operands()...)
				if err != nil {
					t.Fatalf("%s: term %s: %v", name, term.Name(), err)
				}
				if d := tensor.MaxAbsDiff(got, term.Logits); d > 1e-10 {
					t.Errorf("%s: term %s: contraction %v differs from Logits by %g", name, term.Name(), term.Spec(), d)
				}
			}
			if d := tensor.MaxAbsDiff(sumL, e.Run.Logits); d > 1e-9 {
				t.Errorf("%s (biases %v): Σ term logits differs from the logits by %g", name, biases, d)
			}
			if d := tensor.MaxAbsDiff(sumR, e.Run.Cache.Get(c.NLayer-1, HookResidPost)); d > 1e-9 {
				t.Errorf("%s (biases %v): Σ term residuals differs from the final residual by %g", name, biases, d)
			}
			// QK terms of every head sum to its scores on and below the diagonal.
			for _, hd := range c.Heads() {
				qk, err := e.QKTerms(hd)
				if err != nil {
					t.Fatal(err)
				}
				inputs := 1
				for range hd.Layer {
					inputs *= 1 + c.NHead
				}
				if biases {
					inputs++
				}
				if len(qk) != inputs*inputs {
					t.Errorf("%s: head %s has %d QK terms, want %d", name, hd, len(qk), inputs*inputs)
				}
				sum := tensor.Zeros[float64](len(tokens), len(tokens))
				for _, term := range qk {
					sum.AddScaled(1, term.Scores)
					got, err := contract.Einsum(term.Spec(), term.Operands()...)
					if err != nil {
						t.Fatalf("%s: QK term %s: %v", name, term.Name(), err)
					}
					if d := tensor.MaxAbsDiff(got, term.Scores); d > 1e-10 {
						t.Errorf("%s: QK term %s: contraction differs by %g", name, term.Name(), d)
					}
				}
				scores := e.Run.Cache.Get(hd.Layer, HookAttnScores).Index(0, hd.Head)
				var d float64
				for q := range len(tokens) {
					for k := 0; k <= q; k++ {
						d = max(d, math.Abs(sum.At(q, k)-scores.At(q, k)))
					}
				}
				if d > 1e-9 {
					t.Errorf("%s (biases %v): head %s: Σ QK terms differs from the scores by %g", name, biases, hd, d)
				}
			}
		}
	}
}

func zeroBiases[T Float](p *Params[T]) {
	for _, q := range p.Params() {
		if f := lastField(q.Name); f == "b" || strings.HasPrefix(f, "b_") {
			(*q.Ptr).Fill(0)
		}
	}
}

func TestExpandNeedsAttentionOnly(t *testing.T) {
	p := randomModel[float64](t, tinyConfig, 1, 0.3)
	if _, err := Expand(p, []int{1, 2}); err == nil {
		t.Error("expanding a model with MLPs: no error")
	}
}
