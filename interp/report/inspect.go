package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/strand-tn/strand/interp"
	"github.com/strand-tn/strand/interp/plot"
	"github.com/strand-tn/strand/tensor"
)

// InspectOptions configure [Inspect]. The zero value measures induction on
// a repeated block of min(50, (n_ctx−1)/2) tokens and estimates the
// composition baseline from 100 random pairs, all with seed 0.
type InspectOptions struct {
	Name            string // the model's name in titles; empty means "model"
	N               int    // length of the repeated block for induction scores
	Seed            uint64 // seed of the repeated block and the baseline
	BaselineSamples int
}

// HeadScore is a head with a score.
type HeadScore struct {
	Head  string  `json:"head"`
	Score float64 `json:"score"`
}

// PairScore is a composition score between two heads.
type PairScore struct {
	From  string  `json:"from"`
	To    string  `json:"to"`
	Kind  string  `json:"kind"` // Q, K or V
	Score float64 `json:"score"`
}

// InspectSummary holds the numbers of an inspection report.
type InspectSummary struct {
	Name   string        `json:"name"`
	Config interp.Config `json:"config"`
	Tokens []int         `json:"tokens"`
	N      int           `json:"n"` // repeated block of the induction run
	// Induction and PrevToken are per head [layer][head], from the run on a
	// repeated random sequence.
	Induction [][]float64 `json:"induction"`
	PrevToken [][]float64 `json:"prev_token"`
	// Baseline is the mean (± std) composition score of random circuits of
	// the model's shapes; TopComposition lists the largest scores above it.
	Baseline       float64     `json:"composition_baseline"`
	BaselineStd    float64     `json:"composition_baseline_std"`
	TopComposition []PairScore `json:"top_composition"`
	// Terms (attention-only models): each path term's mean contribution to
	// the logit of the actual next token on Tokens.
	Terms   []TermContribution `json:"terms,omitempty"`
	Figures []Figure           `json:"figures"`
}

// KeyFigures returns the lines the CLI prints: the induction and
// previous-token score of every head and the strongest compositions.
func (s *InspectSummary) KeyFigures() string {
	var b strings.Builder
	c := s.Config
	fmt.Fprintf(&b, "%s: %d layers × %d heads, d_model %d, d_head %d, vocab %d\n", s.Name, c.NLayer, c.NHead, c.DModel, c.DHead, c.DVocab)
	table := func(title string, v [][]float64) {
		fmt.Fprintf(&b, "%s:\n", title)
		for l, row := range v {
			fmt.Fprintf(&b, "  L%-2d", l)
			for _, x := range row {
				fmt.Fprintf(&b, " %.3f", x)
			}
			b.WriteByte('\n')
		}
	}
	table(fmt.Sprintf("induction scores (mean attention on the stripe at offset 1−N, N = %d), heads H0…H%d", s.N, c.NHead-1), s.Induction)
	table("previous-token scores", s.PrevToken)
	best := HeadScore{Score: -1}
	for l, row := range s.Induction {
		for h, x := range row {
			if x > best.Score {
				best = HeadScore{interp.Head{Layer: l, Head: h}.String(), x}
			}
		}
	}
	fmt.Fprintf(&b, "top induction head %s: induction score %.3f\n", best.Head, best.Score)
	fmt.Fprintf(&b, "composition baseline %.4f ± %.4f; strongest:", s.Baseline, s.BaselineStd)
	for i, p := range s.TopComposition {
		if i == 5 {
			break
		}
		fmt.Fprintf(&b, " %s %s→%s %.3f;", p.Kind, p.From, p.To, p.Score)
	}
	b.WriteByte('\n')
	return b.String()
}

// Inspect runs the model on tokens and on a repeated random sequence and
// writes a report to dir: every head's attention pattern on tokens, every
// head's induction and previous-token scores, the Q/K/V composition scores
// against a random baseline, and, for attention-only models, the path
// expansion's contributions to the logits.
func Inspect[T interp.Float](dir string, p *interp.Params[T], tokens []int, o InspectOptions) (*InspectSummary, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	c := p.Config
	if o.Name == "" {
		o.Name = "model"
	}
	n := o.N
	if n == 0 {
		n = min(50, (c.NCtx-1)/2, c.DVocab-1)
	}
	if o.BaselineSamples == 0 {
		o.BaselineSamples = 100
	}
	run, err := interp.Run(p, tokens, interp.RunOptions[T]{Cache: true})
	if err != nil {
		return nil, err
	}
	ind, err := interp.Induction(p, n, newRand(o.Seed))
	if err != nil {
		return nil, err
	}
	comp, err := interp.CompositionScores(p)
	if err != nil {
		return nil, err
	}
	base, std, err := interp.CompositionBaseline(c.DModel, c.DHead, o.BaselineSamples, newRand(o.Seed+1))
	if err != nil {
		return nil, err
	}
	s := &InspectSummary{Name: o.Name, Config: c, Tokens: tokens, N: n,
		Induction: rows(ind.Induction), PrevToken: rows(ind.PrevToken), Baseline: base, BaselineStd: std,
		TopComposition: topPairs(comp, c.Heads(), base, 20)}

	w, err := newWriter(dir, "Inspection of "+o.Name)
	if err != nil {
		return nil, err
	}
	w.para("%d layers × %d heads, d_model %d, d_head %d, d_mlp %d, vocabulary %d, %d positions (attention-only: %v, LayerNorm: %v).",
		c.NLayer, c.NHead, c.DModel, c.DHead, c.DMLP, c.DVocab, c.NCtx, c.AttnOnly, !c.NoLayerNorm)
	w.para("Tokens: `%s`.", intList(tokens))
	labels := tokenLabels(tokens, c.StartToken)
	panel := min(max(200, 10*len(tokens)+140), 480)
	for l := range c.NLayer {
		pat := run.Cache.Get(l, interp.HookPattern)
		var maps []plot.Heatmap
		for h := range c.NHead {
			hm := patternMap(interp.Head{Layer: l, Head: h}.String(), pat.Index(0, h), labels)
			hm.XLabel, hm.YLabel, hm.ColorBar = "", "", h == c.NHead-1
			maps = append(maps, hm)
		}
		if err := w.figure(fmt.Sprintf("patterns_L%d", l), fmt.Sprintf("Layer %d attention patterns on the tokens (rows: queries, columns: keys).", l),
			plot.Grid(fmt.Sprintf("%s: layer %d attention patterns", o.Name, l), maps, min(c.NHead, 4), panel, panel)); err != nil {
			return nil, err
		}
	}
	if err := w.figure("induction_scores", fmt.Sprintf("Per-head scores on a start token and %d distinct random tokens repeated twice: induction (mean attention on the stripe at offset 1−N over the second repeat) and previous token (mean attention on the token before).", n),
		plot.Grid(o.Name+": induction and previous-token scores", []plot.Heatmap{
			layerHeadMap("induction score", ind.Induction), layerHeadMap("previous-token score", ind.PrevToken),
		}, 2, min(max(280, 36*c.NHead+170), 700), min(max(220, 36*c.NLayer+150), 700))); err != nil {
		return nil, err
	}
	topInd, topPrev := argmax(ind.Induction), argmax(ind.PrevToken)
	rep := tokenLabels(ind.Tokens, c.StartToken)
	if err := w.figure("induction_patterns", "Patterns of the top induction head and the top previous-token head on the repeated sequence.",
		plot.Grid(o.Name+": on a repeated random sequence", []plot.Heatmap{
			patternMap(fmt.Sprintf("%s induction score %.3f", topInd, ind.Induction.At(topInd.Layer, topInd.Head)),
				ind.Run.Cache.Get(topInd.Layer, interp.HookPattern).Index(0, topInd.Head), rep),
			patternMap(fmt.Sprintf("%s previous-token score %.3f", topPrev, ind.PrevToken.At(topPrev.Layer, topPrev.Head)),
				ind.Run.Cache.Get(topPrev.Layer, interp.HookPattern).Index(0, topPrev.Head), rep),
		}, 2, 520, 520)); err != nil {
		return nil, err
	}
	w.para("Top induction head **%s**: induction score %.3f. Top previous-token head %s: %.3f.", topInd, ind.Induction.At(topInd.Layer, topInd.Head), topPrev, ind.PrevToken.At(topPrev.Layer, topPrev.Head))
	if c.NLayer > 1 {
		if err := w.figure("composition", fmt.Sprintf("Composition scores minus the random baseline %.4f ± %.4f (%d pairs of random circuits of the same shapes).", base, std, o.BaselineSamples),
			compositionFigure(comp, c.Heads(), base, o.Name+": composition scores")); err != nil {
			return nil, err
		}
		var lines []string
		for _, p := range s.TopComposition[:min(10, len(s.TopComposition))] {
			lines = append(lines, fmt.Sprintf("- %s-composition %s → %s: %.4f", p.Kind, p.From, p.To, p.Score))
		}
		w.para("Strongest compositions (baseline %.4f):\n\n%s", base, strings.Join(lines, "\n"))
	}
	if c.AttnOnly && len(tokens) > 1 {
		e, err := interp.Expand(p, tokens)
		if err != nil {
			return nil, err
		}
		positions := make([]int, len(tokens)-1)
		for i := range positions {
			positions[i] = i
		}
		s.Terms = termContributions(e, positions)
		if err := w.figure("terms", "Path expansion with frozen attention: each term's mean contribution to the logit of the actual next token (largest 20).",
			contributionBars(o.Name+": path terms, mean logit of the next token", "mean logit contribution", s.Terms, 20)); err != nil {
			return nil, err
		}
	}
	s.Figures = w.figures
	return s, w.finish(s)
}

func intList(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ",")
}

// argmax returns the head with the largest score of s [layer, head].
func argmax(s *tensor.Dense[float64]) interp.Head {
	var best interp.Head
	for l := range s.Dim(0) {
		for h := range s.Dim(1) {
			if s.At(l, h) > s.At(best.Layer, best.Head) {
				best = interp.Head{Layer: l, Head: h}
			}
		}
	}
	return best
}

// topPairs lists the k largest composition scores above the baseline.
func topPairs(c *interp.Composition, heads []interp.Head, baseline float64, k int) []PairScore {
	var out []PairScore
	for m, s := range []*tensor.Dense[float64]{c.Q, c.K, c.V} {
		for _, a := range heads {
			for _, b := range heads {
				if v := s.At(a.Layer, a.Head, b.Layer, b.Head); a.Layer < b.Layer && v > baseline {
					out = append(out, PairScore{a.String(), b.String(), string("QKV"[m]), v})
				}
			}
		}
	}
	slices.SortStableFunc(out, func(x, y PairScore) int {
		switch {
		case x.Score > y.Score:
			return -1
		case x.Score < y.Score:
			return 1
		}
		return 0
	})
	return out[:min(k, len(out))]
}
