package train

import (
	"fmt"
	"math/rand/v2"

	"github.com/strand-tn/strand/interp"
	"github.com/strand-tn/strand/tensor"
)

// AnalyzeOptions configure [Analyze]. The zero value measures on blocks of
// N = (n_ctx − 1)/2 and N/2 tokens, 4 sequences each, seed 0, and a
// composition baseline of 200 random pairs.
type AnalyzeOptions struct {
	N               int    // block length of the repeated sequences; 0 means (n_ctx − 1)/2
	ShortN          int    // a second, shorter block length; 0 means max(2, N/2)
	Sequences       int    // sequences averaged per measurement; 0 means 4
	Seed            uint64 // seeds the sequences and the baseline
	BaselineSamples int    // random circuit pairs of the composition baseline; 0 means 200
}

func (o AnalyzeOptions) withDefaults(c interp.Config) AnalyzeOptions {
	if o.N == 0 {
		o.N = min((c.NCtx-1)/2, c.DVocab-1)
	}
	if o.ShortN == 0 {
		o.ShortN = max(2, o.N/2)
	}
	if o.Sequences == 0 {
		o.Sequences = 4
	}
	if o.BaselineSamples == 0 {
		o.BaselineSamples = 200
	}
	return o
}

// Share is a named part of a sum and its value.
type Share struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
}

// Ablation is the model's behaviour with one head's output removed (its
// W_O set to zero; the model has no biases, so the head then writes
// nothing).
type Ablation struct {
	Head      string  `json:"head"`
	Loss      float64 `json:"loss"`      // on the second repeat, nats
	Induction float64 `json:"induction"` // of the induction head
}

// Mechanism is the evidence of how a trained model predicts the second
// repeat: which heads do it, through which composition, and what removing
// each head does.
type Mechanism struct {
	N, ShortN int
	Sequences int   // repeated sequences averaged per measurement
	Tokens    []int // the sequence the path expansion and the pictures use

	Base Eval // the unablated model at N
	// Short is the induction score of the induction head at ShortN: blocks
	// that end before the last position, where a fixed-offset head would
	// fail.
	Short          float64
	InductionHead  interp.Head
	InductionScore float64
	PrevHead       interp.Head // the best previous-token head in an earlier layer
	PrevScore      float64
	PrevFirst      float64 // PrevHead's previous-token score over the first repeat

	// Composition scores of PrevHead into InductionHead, and the mean and
	// standard deviation of the score of random circuits of the same shapes.
	K, Q, V               float64
	Baseline, BaselineStd float64
	// KFrom is the K-composition score of every head of the layers before
	// the induction head into it.
	KFrom []Share

	// StripeMargin splits the induction head's scores on the induction
	// stripe into its query·key terms (interp.Expansion.QKTerms): for each
	// term, the mean over the second repeat of its score on the stripe key
	// minus its mean score on the other keys the query sees — what the
	// softmax responds to. The terms sum to the full margin. KShare is the
	// fraction carried by the K-composition terms (direct path on the query
	// side, an earlier head on the key side) and PrevKShare by the one
	// through PrevHead.
	StripeMargin []Share
	KShare       float64
	PrevKShare   float64

	// LogitMargin splits the logit of the correct next token on the second
	// repeat minus the mean logit over the vocabulary into the path terms of
	// interp.Expand (frozen attention): direct, single heads, virtual heads.
	// VirtualShare is the fraction carried by paths through two or more
	// heads (V-composition), SingleShare by single heads of the induction
	// head's layer.
	LogitMargin  []Share
	VirtualShare float64
	SingleShare  float64

	// Ablations lists, for every head, the second-repeat loss and the
	// induction head's score with that head zero-ablated.
	Ablations []Ablation
}

// Analyze measures how a trained attention-only model ([Program]'s models
// converted to interp.Params) predicts repeated sequences: its induction
// head (the largest induction score after the first layer), the
// previous-token head it reads, their composition scores against a random
// baseline, the induction head's scores split into query·key terms, the
// logits split into path terms, and zero-ablations of every head.
func Analyze(p *interp.Params[float64], o AnalyzeOptions) (*Mechanism, error) {
	if err := checkConfig(p.Config); err != nil {
		return nil, err
	}
	c := p.Config
	if c.NLayer < 2 {
		return nil, fmt.Errorf("train: an induction circuit needs two layers, the model has %d", c.NLayer)
	}
	o = o.withDefaults(c)
	base, err := evaluate(p, o.N, o.Sequences, o.Seed)
	if err != nil {
		return nil, err
	}
	m := &Mechanism{N: o.N, ShortN: o.ShortN, Sequences: o.Sequences, Base: *base}
	m.InductionHead, m.InductionScore = Best(base.Induction, 1)
	m.PrevHead, m.PrevScore = Best(base.PrevToken[:m.InductionHead.Layer], 0)
	m.PrevFirst = base.PrevTokenFirst[m.PrevHead.Layer][m.PrevHead.Head]
	short, err := evaluate(p, o.ShortN, o.Sequences, o.Seed)
	if err != nil {
		return nil, err
	}
	m.Short = short.Induction[m.InductionHead.Layer][m.InductionHead.Head]

	comp, err := interp.CompositionScores(p)
	if err != nil {
		return nil, err
	}
	at := func(s *tensor.Dense[float64], a, b interp.Head) float64 {
		return s.At(a.Layer, a.Head, b.Layer, b.Head)
	}
	ind, prev := m.InductionHead, m.PrevHead
	m.K, m.Q, m.V = at(comp.K, prev, ind), at(comp.Q, prev, ind), at(comp.V, prev, ind)
	for _, h := range c.Heads() {
		if h.Layer < ind.Layer {
			m.KFrom = append(m.KFrom, Share{h.String(), at(comp.K, h, ind)})
		}
	}
	if m.Baseline, m.BaselineStd, err = interp.CompositionBaseline(c.DModel, c.DHead, o.BaselineSamples, rand.New(rand.NewPCG(o.Seed, 0xba5e))); err != nil {
		return nil, err
	}

	if m.Tokens, err = interp.RepeatedTokens(c, o.N, rand.New(rand.NewPCG(o.Seed, 0xe7a1))); err != nil {
		return nil, err
	}
	e, err := interp.Expand(p, m.Tokens)
	if err != nil {
		return nil, err
	}
	if err := m.splitScores(e); err != nil {
		return nil, err
	}
	m.splitLogits(e)
	return m, m.ablate(p, o)
}

// splitScores fills StripeMargin, KShare and PrevKShare.
func (m *Mechanism) splitScores(e *interp.Expansion[float64]) error {
	terms, err := e.QKTerms(m.InductionHead)
	if err != nil {
		return err
	}
	n := m.N
	var total float64
	for _, t := range terms {
		var margin float64
		for q := n + 1; q <= 2*n; q++ {
			stripe := q - n + 1
			var rest float64
			for k := 0; k <= q; k++ {
				if k != stripe {
					rest += t.Scores.At(q, k)
				}
			}
			margin += t.Scores.At(q, stripe) - rest/float64(q)
		}
		margin /= float64(n)
		total += margin
		m.StripeMargin = append(m.StripeMargin, Share{t.Name(), margin})
		if len(t.Query.Path) == 0 && len(t.Key.Path) > 0 {
			m.KShare += margin
			if len(t.Key.Path) == 1 && t.Key.Path[0] == m.PrevHead {
				m.PrevKShare += margin
			}
		}
	}
	m.KShare, m.PrevKShare = fraction(m.KShare, total), fraction(m.PrevKShare, total)
	return nil
}

// splitLogits fills LogitMargin, VirtualShare and SingleShare.
func (m *Mechanism) splitLogits(e *interp.Expansion[float64]) {
	n, vocab := m.N, e.Terms[0].Logits.Dim(1)
	var total float64
	for _, t := range e.Terms {
		var margin float64
		for q := n + 1; q < 2*n; q++ {
			row := t.Logits.Index(0, q)
			margin += row.At(m.Tokens[q+1]) - row.Sum()/float64(vocab)
		}
		margin /= float64(n - 1)
		total += margin
		m.LogitMargin = append(m.LogitMargin, Share{t.Name(), margin})
		switch {
		case len(t.Path) >= 2:
			m.VirtualShare += margin
		case len(t.Path) == 1 && t.Path[0].Layer == m.InductionHead.Layer:
			m.SingleShare += margin
		}
	}
	m.VirtualShare, m.SingleShare = fraction(m.VirtualShare, total), fraction(m.SingleShare, total)
}

// fraction returns part/total, or 0 when the total is 0.
func fraction(part, total float64) float64 {
	if total == 0 {
		return 0
	}
	return part / total
}

// ablate fills Ablations.
func (m *Mechanism) ablate(p *interp.Params[float64], o AnalyzeOptions) error {
	ind := m.InductionHead
	for _, h := range p.Config.Heads() {
		q := p.Clone()
		q.Blocks[h.Layer].WO.Index(0, h.Head).Fill(0)
		e, err := evaluate(q, o.N, o.Sequences, o.Seed)
		if err != nil {
			return err
		}
		m.Ablations = append(m.Ablations, Ablation{h.String(), e.Loss, e.Induction[ind.Layer][ind.Head]})
	}
	return nil
}
