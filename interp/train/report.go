package train

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/strand-tn/strand/interp"
	"github.com/strand-tn/strand/interp/plot"
	"github.com/strand-tn/strand/interp/report"
	"github.com/strand-tn/strand/tensor"
)

// Summary holds the numbers of a training report (report.json).
type Summary struct {
	Config      interp.Config `json:"config"`
	Steps       int           `json:"steps"`
	Batch       int           `json:"batch"`
	MinN        int           `json:"min_n"`
	LR          float64       `json:"lr"`
	Warmup      int           `json:"warmup"`
	Seed        uint64        `json:"seed"`
	Float32     bool          `json:"float32"`
	Program     string        `json:"program"`
	WallSeconds float64       `json:"wall_seconds"`
	// Loss is the batch loss of every step (mean cross-entropy of the
	// second repeats, nats); Evals the measurements during training.
	Loss  []float64 `json:"loss"`
	Evals []Eval    `json:"evals"`
	// FormedAt is the first measured step at which some head after the
	// first layer has an induction score above 0.5 (−1: never).
	FormedAt int `json:"formed_at"`

	N              int         `json:"n"`
	Sequences      int         `json:"sequences"`
	ShortN         int         `json:"short_n"`
	Tokens         []int       `json:"tokens"`
	EvalLoss       float64     `json:"eval_loss"`
	Accuracy       float64     `json:"accuracy"`
	Induction      [][]float64 `json:"induction"`
	PrevToken      [][]float64 `json:"prev_token"`
	InductionHead  string      `json:"induction_head"`
	InductionScore float64     `json:"induction_score"`
	ShortScore     float64     `json:"induction_score_short"`
	PrevTokenHead  string      `json:"prev_token_head"`
	PrevTokenScore float64     `json:"prev_token_score"`
	PrevTokenFirst float64     `json:"prev_token_score_first_repeat"`

	CompositionK float64 `json:"composition_k"`
	CompositionQ float64 `json:"composition_q"`
	CompositionV float64 `json:"composition_v"`
	Baseline     float64 `json:"composition_baseline"`
	BaselineStd  float64 `json:"composition_baseline_std"`
	KFrom        []Share `json:"k_composition_from"`

	StripeMargin []Share    `json:"stripe_margin"`
	KShare       float64    `json:"k_share"`
	PrevKShare   float64    `json:"prev_k_share"`
	LogitMargin  []Share    `json:"logit_margin"`
	VirtualShare float64    `json:"virtual_share"`
	SingleShare  float64    `json:"single_share"`
	Ablations    []Ablation `json:"ablations"`

	Figures []report.Figure `json:"figures"`
}

// KeyFigures returns the lines the CLI prints.
func (s *Summary) KeyFigures() string {
	var b strings.Builder
	c := s.Config
	fmt.Fprintf(&b, "induction score %.3f in %s (mean attention on the stripe at offset 1−N, N = %d; %.3f at N = %d)\n", s.InductionScore, s.InductionHead, s.N, s.ShortScore, s.ShortN)
	fmt.Fprintf(&b, "previous-token score %.3f in %s (%.3f over the first repeat)\n", s.PrevTokenScore, s.PrevTokenHead, s.PrevTokenFirst)
	fmt.Fprintf(&b, "trained %d steps in %.1f s (%d layers × %d heads, d_model %d, d_head %d, vocab %d, blocks of %d…%d tokens, batch %d, seed %d); ",
		s.Steps, s.WallSeconds, c.NLayer, c.NHead, c.DModel, c.DHead, c.DVocab, s.MinN, s.N, s.Batch, s.Seed)
	if s.FormedAt >= 0 {
		fmt.Fprintf(&b, "induction head formed by step %d\n", s.FormedAt)
	} else {
		fmt.Fprintf(&b, "no induction head formed\n")
	}
	fmt.Fprintf(&b, "loss %.3f → %.3f nats (batch, second repeats); on a repeated sequence %.4f nats, accuracy %.3f\n", mean(head(s.Loss, 25)), mean(tail(s.Loss, 25)), s.EvalLoss, s.Accuracy)
	fmt.Fprintf(&b, "composition %s→%s: K %.3f against the random baseline %.3f ± %.3f (Q %.3f, V %.3f)\n", s.PrevTokenHead, s.InductionHead, s.CompositionK, s.Baseline, s.BaselineStd, s.CompositionQ, s.CompositionV)
	fmt.Fprintf(&b, "%s's score margin on the stripe: K-composition terms %.0f%% (through %s %.0f%%)\n", s.InductionHead, 100*s.KShare, s.PrevTokenHead, 100*s.PrevKShare)
	fmt.Fprintf(&b, "correct-token logit margin: single heads of %s's layer %.0f%%, virtual heads (V-composition) %.0f%%\n", s.InductionHead, 100*s.SingleShare, 100*s.VirtualShare)
	fmt.Fprintf(&b, "zero-ablating %s: loss %.4f → %.3f nats, %s's induction score %.3f\n", s.PrevTokenHead, s.EvalLoss, ablation(s.Ablations, s.PrevTokenHead).Loss, s.InductionHead, ablation(s.Ablations, s.PrevTokenHead).Induction)
	return b.String()
}

func ablation(as []Ablation, head string) Ablation {
	for _, a := range as {
		if a.Head == head {
			return a
		}
	}
	return Ablation{Head: head}
}

func head(x []float64, n int) []float64 { return x[:min(n, len(x))] }
func tail(x []float64, n int) []float64 { return x[max(0, len(x)-n):] }

func mean(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	var s float64
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// Report analyses a trained model ([Analyze], on its float64 copy) and
// writes a report to dir: report.md and report.json, the weights
// (model.safetensors, strand's native format, which `strand interp
// inspect` reads), the model's program (model.tn), and the pictures as PNG
// and SVG — the loss curve and the scores during training, the attention
// patterns of every head on a repeated sequence, the induction head beside
// the previous-token head, the query·key terms of the induction head's
// scores, the path terms of the logits and the ablations — plus the
// standard inspection of the model (report.Inspect) in inspect/, whose
// composition-score matrices the report shows.
func Report[T interp.Float](dir string, run *Run[T], o AnalyzeOptions) (*Summary, error) {
	p := interp.Convert[float64](run.Params)
	m, err := Analyze(p, o)
	if err != nil {
		return nil, err
	}
	ro := run.Options
	var zero T
	_, single := any(zero).(float32)
	s := &Summary{Config: p.Config, Steps: ro.Steps, Batch: ro.Batch, MinN: ro.MinN, LR: ro.Adam.LR, Warmup: ro.Warmup, Seed: ro.Seed,
		Float32: single, Program: run.Source, WallSeconds: run.Elapsed.Seconds(), Loss: run.Loss, Evals: run.Evals, FormedAt: -1,
		N: m.N, Sequences: m.Sequences, ShortN: m.ShortN, Tokens: m.Tokens, EvalLoss: m.Base.Loss, Accuracy: m.Base.Accuracy,
		Induction: m.Base.Induction, PrevToken: m.Base.PrevToken,
		InductionHead: m.InductionHead.String(), InductionScore: m.InductionScore, ShortScore: m.Short,
		PrevTokenHead: m.PrevHead.String(), PrevTokenScore: m.PrevScore, PrevTokenFirst: m.PrevFirst,
		CompositionK: m.K, CompositionQ: m.Q, CompositionV: m.V, Baseline: m.Baseline, BaselineStd: m.BaselineStd, KFrom: m.KFrom,
		StripeMargin: m.StripeMargin, KShare: m.KShare, PrevKShare: m.PrevKShare,
		LogitMargin: m.LogitMargin, VirtualShare: m.VirtualShare, SingleShare: m.SingleShare, Ablations: m.Ablations}
	for _, e := range run.Evals {
		if _, v := Best(e.Induction, 1); v > 0.5 {
			s.FormedAt = e.Step
			break
		}
	}

	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	if err := interp.Save(filepath.Join(dir, "model.safetensors"), p); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "model.tn"), []byte(run.Source), 0o644); err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	if _, err := report.Inspect(filepath.Join(dir, "inspect"), p, m.Tokens, report.InspectOptions{Name: "trained", N: m.N, Seed: o.Seed}); err != nil {
		return nil, err
	}
	w := &mdWriter{dir: dir}
	if err := s.write(w, p, m); err != nil {
		return nil, err
	}
	s.Figures = w.figures
	return s, w.finish(s)
}

// write renders the report's Markdown and pictures.
func (s *Summary) write(w *mdWriter, p *interp.Params[float64], m *Mechanism) error {
	c := s.Config
	w.para("# Training an induction head")
	w.para("A %d-layer attention-only transformer (%d heads per layer, d_model %d, d_head %d, no LayerNorm, no biases, vocabulary of %d with start token %d, %d positions), trained with strand's own gradients (`grad.Compile` on the program in [model.tn](model.tn)) and Adam for %d steps of %d sequences (peak learning rate %g, %d warm-up steps, cosine decay; seed %d%s) in %.1f s. Each sequence is a start token, distinct random filler tokens, and a block of N ∈ [%d, %d] distinct random tokens repeated twice; the loss is the mean cross-entropy of the second repeat's predictable tokens.",
		c.NLayer, c.NHead, c.DModel, c.DHead, c.DVocab, c.StartToken, c.NCtx, s.Steps, s.Batch, s.LR, s.Warmup, s.Seed, map[bool]string{true: ", float32", false: ""}[s.Float32], s.WallSeconds, s.MinN, s.N)
	if err := w.figure("loss", "Training: the batch loss of every step (light) and its 25-step mean, the loss on repeated sequences (N = "+fmt.Sprint(s.N)+"), and every head's induction score (later layers) and previous-token score (first layer) as training goes. The loss falls from the unigram plateau log(vocabulary − 1) when the induction heads form: the phase change of Olsson et al. (2022).",
		s.lossFigure()); err != nil {
		return err
	}
	if s.FormedAt >= 0 {
		w.para("An induction head (score > 0.5) had formed by step **%d**.", s.FormedAt)
	} else {
		w.para("**No head reached an induction score of 0.5.**")
	}
	w.para("**Induction score %.3f in %s** (mean attention on the stripe at offset 1−N over the second repeat, N = %d, %d sequences; %.3f at N = %d, where the block ends before the last position). Previous-token score of %s: **%.3f** (%.3f over the first repeat, where the induction heads' keys are: the head is trained to look back only where a first repeat can be, at positions up to n_ctx − 1 − %d). On repeated sequences the model predicts the second repeat with loss %.4f nats and accuracy %.3f.",
		s.InductionScore, s.InductionHead, s.N, s.Sequences, s.ShortScore, s.ShortN, s.PrevTokenHead, s.PrevTokenScore, s.PrevTokenFirst, s.MinN, s.EvalLoss, s.Accuracy)
	run, err := interp.Run(p, m.Tokens, interp.RunOptions[float64]{Cache: true})
	if err != nil {
		return err
	}
	if err := w.figure("patterns", "Every head's attention pattern on a start token and N random tokens repeated twice (rows: queries, columns: keys; the causal upper triangle is grey). The previous-token head shows a stripe just below the diagonal; the induction heads a stripe at offset 1−N in the second repeat.",
		patternGrid(c, run, m)); err != nil {
		return err
	}
	if err := w.figure("induction_head", "The previous-token head (left: a stripe one below the diagonal) and the induction head (right: a stripe at offset 1−N in the second repeat).", pairFigure(c, run, m)); err != nil {
		return err
	}
	w.para("## Composition\n\n![composition](inspect/composition.png)\n\n*Q-, K- and V-composition scores minus the random baseline %.3f ± %.3f, earlier head (row) into later head (column), from `strand interp inspect` of the trained model ([inspect/report.md](inspect/report.md)).*", s.Baseline, s.BaselineStd)
	var kfrom []string
	for _, k := range s.KFrom {
		kfrom = append(kfrom, fmt.Sprintf("%s %.3f", k.Name, k.Value))
	}
	w.para("%s → %s: **K-composition %.3f** against the random baseline %.3f ± %.3f (z = %.1f); Q %.3f, V %.3f. K-composition of every earlier head into %s: %s.",
		s.PrevTokenHead, s.InductionHead, s.CompositionK, s.Baseline, s.BaselineStd, (s.CompositionK-s.Baseline)/s.BaselineStd, s.CompositionQ, s.CompositionV, s.InductionHead, strings.Join(kfrom, ", "))
	w.para("## Path expansion")
	if err := w.figure("qk_terms", fmt.Sprintf("%s's attention scores split into query-side · key-side terms of its input (direct path, earlier heads; attention frozen): each term's score on the stripe key minus its mean on the other keys, averaged over the second repeat.", s.InductionHead),
		bars(s.InductionHead+": score margin on the induction stripe by query·key term", "mean margin (score units)", s.StripeMargin, 16)); err != nil {
		return err
	}
	w.para("The K-composition terms (direct path on the query side, an earlier head on the key side) carry **%.0f%%** of %s's margin on the stripe, the one through %s alone %.0f%%: the key at position k holds, through %s, the token at k−1, and the query's own token matches it.",
		100*s.KShare, s.InductionHead, s.PrevTokenHead, 100*s.PrevKShare, s.PrevTokenHead)
	if err := w.figure("terms", "The logits split into path terms (attention frozen): each term's mean logit of the correct next token minus its mean logit over the vocabulary, over the second repeat. The terms sum to the model's margin.",
		bars("Path terms: correct-token logit margin", "mean logit margin", s.LogitMargin, 20)); err != nil {
		return err
	}
	w.para("Single heads of %s's layer carry %.0f%% of the correct-token margin, the virtual heads (V-composition, paths through two heads) %.0f%%: the induction heads copy the attended token's embedding through their OV circuits, and the previous-token head acts on their keys, not their values.",
		s.InductionHead, 100*s.SingleShare, 100*s.VirtualShare)
	if err := w.figure("ablation", "Loss on the second repeat (nats) with each head zero-ablated (W_O = 0), and without ablation.",
		ablationBars(s)); err != nil {
		return err
	}
	pa := ablation(s.Ablations, s.PrevTokenHead)
	w.para("Zero-ablating %s raises the loss from %.4f to **%.3f** nats and drops %s's induction score to %.3f.", s.PrevTokenHead, s.EvalLoss, pa.Loss, s.InductionHead, pa.Induction)
	return nil
}

// lossFigure draws the loss and the scores during training.
func (s *Summary) lossFigure() *plot.Figure {
	const w, h = 860, 340
	f := plot.New(w, 2*h)
	steps := make([]float64, len(s.Loss))
	for i := range steps {
		steps[i] = float64(i + 1)
	}
	smooth := movingMean(s.Loss, 25)
	var ex, el []float64
	for _, e := range s.Evals {
		ex, el = append(ex, float64(e.Step)), append(el, e.Loss)
	}
	ymax := 1.0
	for _, v := range append(slices.Clone(s.Loss), el...) {
		ymax = math.Max(ymax, math.Ceil(v))
	}
	xmax := float64(max(1, s.Steps))
	uniform := math.Log(float64(s.Config.DVocab - 1))
	lc := chart{Title: "Loss", XLabel: "step", YLabel: "cross-entropy (nats)", XMax: xmax, YMin: 0, YMax: ymax,
		Refs: []ref{{uniform, fmt.Sprintf("log(%d) = %.2f: uniform over the vocabulary", s.Config.DVocab-1, uniform)}},
		Series: []series{
			{Name: "batch loss", X: steps, Y: s.Loss, Color: color.RGBA{0x9e, 0xc5, 0xe6, 0xff}, Width: 1},
			{Name: "batch loss, 25-step mean", X: steps, Y: smooth, Color: palette[0]},
			{Name: fmt.Sprintf("loss on repeated sequences (N = %d)", s.N), X: ex, Y: el, Color: palette[1]},
		}}
	sc := chart{Title: "Induction and previous-token scores", XLabel: "step", YLabel: "score", XMax: xmax, YMin: 0, YMax: 1}
	k := 0
	for l := range s.Config.NLayer {
		for hh := range s.Config.NHead {
			hd := interp.Head{Layer: l, Head: hh}
			var y []float64
			name := hd.String() + " induction"
			for _, e := range s.Evals {
				if l == 0 {
					y = append(y, e.PrevToken[l][hh])
				} else {
					y = append(y, e.Induction[l][hh])
				}
			}
			if l == 0 {
				name = hd.String() + " previous token"
			}
			sc.Series = append(sc.Series, series{Name: name, X: ex, Y: y, Color: palette[k%len(palette)]})
			k++
		}
	}
	lc.Legend = math.Max(lc.legendWidth(), sc.legendWidth())
	sc.Legend = lc.Legend
	lc.draw(f, 0, 0, w, h)
	sc.draw(f, 0, h, w, h)
	return f
}

// movingMean returns the mean of each window of the last k values.
func movingMean(x []float64, k int) []float64 {
	out := make([]float64, len(x))
	var s float64
	for i, v := range x {
		s += v
		if i >= k {
			s -= x[i-k]
		}
		out[i] = s / float64(min(i+1, k))
	}
	return out
}

// patternMap is the heatmap of one attention pattern [q, k].
func patternMap(title string, pat *tensor.Dense[float64], labels []string) plot.Heatmap {
	rows := make([][]float64, pat.Dim(0))
	for q := range rows {
		rows[q] = make([]float64, pat.Dim(1))
		for k := range rows[q] {
			rows[q][k] = pat.At(q, k)
		}
	}
	return plot.Heatmap{Title: title, Values: rows, RowLabels: labels, ColLabels: labels, Masked: plot.CausalMask,
		Scale: plot.Sequential, Min: 0, Max: 1, ColorBar: true}
}

// headTitle labels a head with its score: previous-token in the first
// layer, induction after it.
func headTitle(m *Mechanism, hd interp.Head) string {
	if hd.Layer == 0 {
		return fmt.Sprintf("%s  previous token %.2f", hd, m.Base.PrevToken[hd.Layer][hd.Head])
	}
	return fmt.Sprintf("%s  induction %.2f", hd, m.Base.Induction[hd.Layer][hd.Head])
}

// patternGrid draws every head's pattern on the mechanism's tokens, one row
// of panels per layer.
func patternGrid(c interp.Config, run *interp.Result[float64], m *Mechanism) *plot.Figure {
	labels := tokenLabels(m.Tokens, c.StartToken)
	var maps []plot.Heatmap
	for _, hd := range c.Heads() {
		hm := patternMap(headTitle(m, hd), run.Cache.Get(hd.Layer, interp.HookPattern).Index(0, hd.Head), labels)
		hm.ColorBar = hd.Head == c.NHead-1
		maps = append(maps, hm)
	}
	return plot.Grid("Attention patterns of every head on a repeated random sequence", maps, c.NHead, 400, 400)
}

// pairFigure draws the previous-token head beside the induction head.
func pairFigure(c interp.Config, run *interp.Result[float64], m *Mechanism) *plot.Figure {
	labels := tokenLabels(m.Tokens, c.StartToken)
	var maps []plot.Heatmap
	for _, hd := range []interp.Head{m.PrevHead, m.InductionHead} {
		hm := patternMap(headTitle(m, hd), run.Cache.Get(hd.Layer, interp.HookPattern).Index(0, hd.Head), labels)
		hm.XLabel, hm.YLabel = "key (source) position", "query (destination) position"
		maps = append(maps, hm)
	}
	return plot.Grid("The circuit: previous-token head and induction head", maps, 2, 600, 600)
}

// tokenLabels labels positions by token id, the start token as "BOS".
func tokenLabels(tokens []int, start int) []string {
	out := make([]string, len(tokens))
	for i, t := range tokens {
		out[i] = fmt.Sprint(t)
		if i == 0 && t == start {
			out[i] = "BOS"
		}
	}
	return out
}

// bars draws at most limit shares, largest |value| first.
func bars(title, xlabel string, shares []Share, limit int) *plot.Figure {
	shares = slices.Clone(shares)
	slices.SortStableFunc(shares, func(a, b Share) int { return cmp.Compare(math.Abs(b.Value), math.Abs(a.Value)) })
	b := plot.Bars{Title: title, XLabel: xlabel}
	for _, s := range shares[:min(limit, len(shares))] {
		b.Labels = append(b.Labels, s.Name)
		b.Values = append(b.Values, s.Value)
	}
	return b.Figure(760)
}

// ablationBars draws the loss with each head ablated, after the unablated loss.
func ablationBars(s *Summary) *plot.Figure {
	b := plot.Bars{Title: "Loss on the second repeat with one head zero-ablated", XLabel: "cross-entropy (nats)",
		Labels: []string{"none"}, Values: []float64{s.EvalLoss}}
	for _, a := range s.Ablations {
		b.Labels = append(b.Labels, a.Head)
		b.Values = append(b.Values, a.Loss)
	}
	return b.Figure(760)
}

// mdWriter accumulates a report's Markdown and writes its pictures.
type mdWriter struct {
	dir     string
	md      strings.Builder
	figures []report.Figure
}

func (w *mdWriter) para(format string, a ...any) { fmt.Fprintf(&w.md, format+"\n\n", a...) }

// figure writes f as name.png and name.svg and links the PNG.
func (w *mdWriter) figure(name, caption string, f *plot.Figure) error {
	var png, svg bytes.Buffer
	if err := f.PNG(&png); err != nil {
		return fmt.Errorf("train: %s.png: %w", name, err)
	}
	if err := f.SVG(&svg); err != nil {
		return fmt.Errorf("train: %s.svg: %w", name, err)
	}
	for ext, b := range map[string][]byte{".png": png.Bytes(), ".svg": svg.Bytes()} {
		if err := os.WriteFile(filepath.Join(w.dir, name+ext), b, 0o644); err != nil {
			return fmt.Errorf("train: %w", err)
		}
	}
	w.figures = append(w.figures, report.Figure{Name: name, Caption: caption})
	fmt.Fprintf(&w.md, "![%s](%s.png)\n\n*%s* ([SVG](%s.svg))\n\n", name, name, caption, name)
	return nil
}

// finish writes report.md and report.json.
func (w *mdWriter) finish(s *Summary) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("train: %w", err)
	}
	for name, data := range map[string][]byte{"report.md": []byte(w.md.String()), "report.json": append(b, '\n')} {
		if err := os.WriteFile(filepath.Join(w.dir, name), data, 0o644); err != nil {
			return fmt.Errorf("train: %w", err)
		}
	}
	return nil
}
