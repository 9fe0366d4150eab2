// Package report writes strand's interpretability reports: a directory with
// report.md (numbers and pictures), report.json (the numbers) and the
// pictures as PNG and SVG — attention-pattern heatmaps, composition-score
// matrices and path-expansion bar charts. The CLI commands `strand interp
// induction` and `strand interp inspect` are thin wrappers around [Toy] and
// [Inspect].
package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/strand-tn/strand/interp"
	"github.com/strand-tn/strand/interp/plot"
	"github.com/strand-tn/strand/tensor"
)

// Figure names one picture of a report, written as NAME.png and NAME.svg.
type Figure struct {
	Name    string `json:"name"`
	Caption string `json:"caption"`
}

// writer accumulates a report's Markdown and pictures.
type writer struct {
	dir     string
	md      strings.Builder
	figures []Figure
}

func newWriter(dir, title string) (*writer, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	w := &writer{dir: dir}
	fmt.Fprintf(&w.md, "# %s\n\n", title)
	return w, nil
}

func (w *writer) para(format string, a ...any) { fmt.Fprintf(&w.md, format+"\n\n", a...) }

// figure writes f as name.png and name.svg and links the PNG from the Markdown.
func (w *writer) figure(name, caption string, f *plot.Figure) error {
	for ext, enc := range map[string]func(*bytes.Buffer) error{
		".png": func(b *bytes.Buffer) error { return f.PNG(b) },
		".svg": func(b *bytes.Buffer) error { return f.SVG(b) },
	} {
		var b bytes.Buffer
		if err := enc(&b); err != nil {
			return fmt.Errorf("report: %s%s: %w", name, ext, err)
		}
		if err := os.WriteFile(filepath.Join(w.dir, name+ext), b.Bytes(), 0o644); err != nil {
			return fmt.Errorf("report: %w", err)
		}
	}
	w.figures = append(w.figures, Figure{name, caption})
	fmt.Fprintf(&w.md, "![%s](%s.png)\n\n*%s* ([SVG](%s.svg))\n\n", name, name, caption, name)
	return nil
}

// finish writes report.md and report.json (v, with the figure list added by
// the caller's struct).
func (w *writer) finish(v any) error {
	if err := os.WriteFile(filepath.Join(w.dir, "report.md"), []byte(w.md.String()), 0o644); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := os.WriteFile(filepath.Join(w.dir, "report.json"), append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
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

// patternMap is the heatmap of one head's attention pattern [q, k]: rows
// queries, columns keys, the causal upper triangle masked, colours 0…1.
func patternMap[T interp.Float](title string, a *tensor.Dense[T], labels []string) plot.Heatmap {
	return plot.Heatmap{Title: title, Values: rows(a), RowLabels: labels, ColLabels: labels,
		XLabel: "key (source) position", YLabel: "query (destination) position",
		Masked: plot.CausalMask, Scale: plot.Sequential, Min: 0, Max: 1, ColorBar: true}
}

// rows copies a matrix into nested slices of float64.
func rows[T interp.Float](a *tensor.Dense[T]) [][]float64 {
	out := make([][]float64, a.Dim(0))
	for i := range out {
		out[i] = make([]float64, a.Dim(1))
		for j := range out[i] {
			out[i][j] = float64(a.At(i, j))
		}
	}
	return out
}

// headMatrix is the [all heads × all heads] matrix of one kind of
// composition score, earlier head (row) writing into later head (column),
// minus baseline; pairs that cannot compose (l1 ≥ l2) are masked.
func headMatrix(title string, s *tensor.Dense[float64], heads []interp.Head, baseline float64, lim float64) plot.Heatmap {
	n := len(heads)
	v := make([][]float64, n)
	labels := make([]string, n)
	for i, a := range heads {
		labels[i] = a.String()
		v[i] = make([]float64, n)
		for j, b := range heads {
			v[i][j] = s.At(a.Layer, a.Head, b.Layer, b.Head) - baseline
		}
	}
	return plot.Heatmap{Title: title, Values: v, RowLabels: labels, ColLabels: labels,
		XLabel: "later head (reads)", YLabel: "earlier head (writes)", Scale: plot.Diverging,
		Min: -lim, Max: lim, ColorBar: true, Annotate: true,
		Masked: func(i, j int) bool { return heads[i].Layer >= heads[j].Layer }}
}

// compositionFigure draws the Q, K and V composition matrices side by side.
func compositionFigure(c *interp.Composition, heads []interp.Head, baseline float64, title string) *plot.Figure {
	lim := 0.0
	for _, s := range []*tensor.Dense[float64]{c.Q, c.K, c.V} {
		for _, a := range heads {
			for _, b := range heads {
				if a.Layer < b.Layer {
					lim = max(lim, abs(s.At(a.Layer, a.Head, b.Layer, b.Head)-baseline))
				}
			}
		}
	}
	if lim == 0 {
		lim = 1
	}
	suffix := ""
	if baseline != 0 {
		suffix = " − baseline"
	}
	size := min(max(320, 26*len(heads)+150), 900)
	return plot.Grid(title, []plot.Heatmap{
		headMatrix("Q-composition"+suffix, c.Q, heads, baseline, lim),
		headMatrix("K-composition"+suffix, c.K, heads, baseline, lim),
		headMatrix("V-composition"+suffix, c.V, heads, baseline, lim),
	}, 3, size, size)
}

func abs(x float64) float64 { return max(x, -x) }

// layerHeadMap is a [layer × head] heatmap of per-head scores in [0, 1].
func layerHeadMap(title string, s *tensor.Dense[float64]) plot.Heatmap {
	nl, nh := s.Dim(0), s.Dim(1)
	rl, cl := make([]string, nl), make([]string, nh)
	for l := range rl {
		rl[l] = fmt.Sprintf("L%d", l)
	}
	for h := range cl {
		cl[h] = fmt.Sprintf("H%d", h)
	}
	return plot.Heatmap{Title: title, Values: rows(s), RowLabels: rl, ColLabels: cl,
		XLabel: "head", YLabel: "layer", Scale: plot.Sequential, Min: 0, Max: 1, ColorBar: true}
}

// TermContribution is a path term's mean contribution to the logit of the
// correct next token.
type TermContribution struct {
	Term  string  `json:"term"`
	Logit float64 `json:"mean_logit"`
}

// termContributions averages each term's logit of tokens[q+1] over the
// positions q, largest |contribution| first.
func termContributions[T interp.Float](e *interp.Expansion[T], positions []int) []TermContribution {
	out := make([]TermContribution, 0, len(e.Terms))
	for _, t := range e.Terms {
		var s float64
		for _, q := range positions {
			s += float64(t.Logits.At(q, e.Tokens[q+1]))
		}
		out = append(out, TermContribution{t.Name(), s / float64(len(positions))})
	}
	return out
}

// contributionBars draws at most limit contributions, largest |value| first.
func contributionBars(title, xlabel string, cs []TermContribution, limit int) *plot.Figure {
	cs = slices.Clone(cs)
	slices.SortStableFunc(cs, func(a, b TermContribution) int {
		switch {
		case abs(a.Logit) > abs(b.Logit):
			return -1
		case abs(a.Logit) < abs(b.Logit):
			return 1
		}
		return 0
	})
	if len(cs) > limit {
		cs = cs[:limit]
	}
	b := plot.Bars{Title: title, XLabel: xlabel}
	for _, c := range cs {
		b.Labels = append(b.Labels, c.Term)
		b.Values = append(b.Values, c.Logit)
	}
	return b.Figure(720)
}

// newRand is the reports' seeded generator.
func newRand(seed uint64) *rand.Rand { return tensor.NewRand(seed) }
