package report

import (
	"fmt"
	"math"
	"strings"

	"github.com/strand-tn/strand/interp"
	"github.com/strand-tn/strand/interp/plot"
)

// ToyOptions configure [Toy]. The zero value is the seed's example: d = 64,
// β = 16, a random block of N = 50 tokens repeated after a start token.
type ToyOptions struct {
	Model interp.ToyOptions
	N     int    // length of the repeated block; 0 means (n_ctx − 1)/2
	Seed  uint64 // seed of the random sequence
}

// ToySummary holds the numbers of the toy induction report.
type ToySummary struct {
	D              int     `json:"d"`
	Beta           float64 `json:"beta"`
	N              int     `json:"n"`
	Tokens         []int   `json:"tokens"`
	InductionScore float64 `json:"induction_score"`  // L1H0, mean attention on the stripe at offset 1−N
	PrevTokenScore float64 `json:"prev_token_score"` // L0H0, mean attention on the previous token
	CompositionQ   float64 `json:"composition_q"`    // L0H0 → L1H0
	CompositionK   float64 `json:"composition_k"`
	CompositionV   float64 `json:"composition_v"`
	Loss           float64 `json:"loss"`     // nats per predictable token of the second repeat
	Accuracy       float64 `json:"accuracy"` // of those predictions
	// Terms: mean contribution of each path term to the logit of the
	// correct next token over the second repeat.
	Terms []TermContribution `json:"terms"`
	// QKTerms: mean contribution of each query/key term to L1H0's scores on
	// the induction stripe.
	QKTerms []TermContribution `json:"qk_terms"`
	Figures []Figure           `json:"figures"`
}

// KeyFigures returns the lines the CLI prints.
func (s *ToySummary) KeyFigures() string {
	var b strings.Builder
	fmt.Fprintf(&b, "induction score %.4f (L1H0: mean attention on the stripe at offset 1−N, N = %d, d = %d, β = %g)\n", s.InductionScore, s.N, s.D, s.Beta)
	fmt.Fprintf(&b, "previous-token score %.4f (L0H0)\n", s.PrevTokenScore)
	fmt.Fprintf(&b, "composition L0H0→L1H0: K %.6g (1/√d = %.6g), Q %g, V %g\n", s.CompositionK, 1/math.Sqrt(float64(s.D)), s.CompositionQ, s.CompositionV)
	fmt.Fprintf(&b, "in-context accuracy %.3f, loss %.4g nats on the second repeat\n", s.Accuracy, s.Loss)
	return b.String()
}

// Toy builds the seed's toy induction circuit ([interp.ToyInduction]), runs
// it on a repeated random sequence and writes the report to dir.
func Toy(dir string, o ToyOptions) (*ToySummary, error) {
	p, err := interp.ToyInduction[float64](o.Model)
	if err != nil {
		return nil, err
	}
	n := o.N
	if n == 0 {
		n = (p.Config.NCtx - 1) / 2
	}
	res, err := interp.Induction(p, n, newRand(o.Seed))
	if err != nil {
		return nil, err
	}
	comp, err := interp.CompositionScores(p)
	if err != nil {
		return nil, err
	}
	e, err := interp.Expand(p, res.Tokens)
	if err != nil {
		return nil, err
	}
	qk, err := e.QKTerms(interp.Head{Layer: 1, Head: 0})
	if err != nil {
		return nil, err
	}
	second := make([]int, 0, n)
	for q := n + 1; q < 2*n; q++ {
		second = append(second, q)
	}
	s := &ToySummary{
		D: p.Config.DHead, Beta: o.Model.Beta, N: n, Tokens: res.Tokens,
		InductionScore: res.Induction.At(1, 0), PrevTokenScore: res.PrevToken.At(0, 0),
		CompositionQ: comp.Q.At(0, 0, 1, 0), CompositionK: comp.K.At(0, 0, 1, 0), CompositionV: comp.V.At(0, 0, 1, 0),
		Loss: res.Loss, Accuracy: res.Accuracy, Terms: termContributions(e, second),
	}
	if s.Beta == 0 {
		s.Beta = 16
	}
	for _, t := range qk {
		s.QKTerms = append(s.QKTerms, TermContribution{t.Name(), interp.StripeMean(t.Scores, n)})
	}

	w, err := newWriter(dir, "Toy induction head")
	if err != nil {
		return nil, err
	}
	w.para("The seed's toy induction circuit, built from explicit weights (`strand interp induction`): a two-layer attention-only transformer with one head per layer, d = %d, β = %g. Layer 0 is a previous-token head whose pattern is the shifted delta A_{k,q} = δ_{k,q+1}; it copies each token's embedding into a \"previous token\" subspace. Layer 1's QK circuit reads that subspace on the key side and the token subspace on the query side — K-composition — so its scores are β·Match(x_q, x_{k−1}).", s.D, s.Beta)
	w.para("Input: a start token and %d distinct random tokens, repeated twice (%d positions).", n, len(res.Tokens))
	labels := tokenLabels(res.Tokens, p.Config.StartToken)
	pat0 := res.Run.Cache.Get(0, interp.HookPattern).Index(0, 0)
	pat1 := res.Run.Cache.Get(1, interp.HookPattern).Index(0, 0)
	if err := w.figure("patterns", "Attention patterns (rows: queries, columns: keys; the causal upper triangle is grey). Left: the previous-token head, a stripe one below the diagonal. Right: the induction head, a stripe at offset 1−N in the second repeat.",
		plot.Grid("Toy induction circuit: attention patterns", []plot.Heatmap{
			patternMap(fmt.Sprintf("L0H0 previous-token head (score %.3f)", s.PrevTokenScore), pat0, labels),
			patternMap(fmt.Sprintf("L1H0 induction head (score %.4f)", s.InductionScore), pat1, labels),
		}, 2, 560, 560)); err != nil {
		return nil, err
	}
	w.para("**Induction score %.4f**: the mean attention of L1H0 on the stripe A[q, q−N+1] over the N queries of the second repeat. Previous-token score of L0H0: %.4f. Predicting the second repeat: accuracy %.3f, loss %.4g nats.", s.InductionScore, s.PrevTokenScore, s.Accuracy, s.Loss)
	if err := w.figure("composition", "Composition scores ‖W_A W_B‖_F / (‖W_A‖_F ‖W_B‖_F) between the heads, earlier head (row) into later head (column); pairs that cannot compose are grey.",
		compositionFigure(comp, p.Config.Heads(), 0, "Toy induction circuit: composition scores")); err != nil {
		return nil, err
	}
	w.para("Composition L0H0 → L1H0: **K = %g** (1/√d = %g), Q = %g, V = %g. The heads read and write disjoint blocks of standard-basis coordinates, so the Q and V products are sums of exact zeros, and every factor of the K product is 0, 1 or β√d, which makes the K score exactly 1/√d when d is a power of 4.", s.CompositionK, 1/math.Sqrt(float64(s.D)), s.CompositionQ, s.CompositionV)
	if err := w.figure("terms", "Path expansion with frozen attention: each term's mean contribution to the logit of the correct next token over the second repeat. Only the single layer-1 head term is non-zero.",
		contributionBars("Path terms: mean logit of the correct next token", "mean logit contribution", s.Terms, 20)); err != nil {
		return nil, err
	}
	if err := w.figure("qk_terms", "The induction head's attention scores split into query-side × key-side terms of its input (direct path, layer-0 head): mean score on the induction stripe. The K-composition term direct·L0H0 carries all of it.",
		contributionBars("L1H0 scores on the stripe, by query·key term", "mean score", s.QKTerms, 20)); err != nil {
		return nil, err
	}
	if err := w.figure("induction_head", "The induction head's pattern alone.",
		plot.HeatmapFigure(patternMap("L1H0 induction head", pat1, labels), 760, 760)); err != nil {
		return nil, err
	}
	s.Figures = w.figures
	return s, w.finish(s)
}
