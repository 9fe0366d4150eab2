package train

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strand-tn/strand/interp"
	"github.com/strand-tn/strand/tensor"
)

func TestReport(t *testing.T) {
	o := tiny
	o.Steps, o.EvalEvery = 30, 10
	run, err := Train[float32](o)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	s, err := Report(dir, run, AnalyzeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"report.md", "report.json", "model.safetensors", "model.tn", "loss.png", "loss.svg", "patterns.png",
		"induction_head.svg", "qk_terms.png", "terms.svg", "ablation.png", "inspect/composition.png", "inspect/report.md"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	if len(s.Figures) != 6 || s.Steps != 30 || !s.Float32 || len(s.Loss) != 30 || len(s.Evals) != 4 {
		t.Errorf("summary: %d figures, %d steps, float32 %v, %d losses, %d evals", len(s.Figures), s.Steps, s.Float32, len(s.Loss), len(s.Evals))
	}
	// The weights saved are the trained ones, and the program is the model's.
	p, err := interp.Load[float64](filepath.Join(dir, "model.safetensors"), interp.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := interp.Convert[float64](run.Params).Params()
	for i, q := range p.Params() {
		if d := tensor.MaxAbsDiff(*q.Ptr, *want[i].Ptr); d != 0 {
			t.Errorf("model.safetensors: %s differs by %g", q.Name, d)
		}
	}
	src, err := os.ReadFile(filepath.Join(dir, "model.tn"))
	if err != nil || string(src) != run.Source {
		t.Errorf("model.tn: %v", err)
	}
	var j map[string]any
	b, err := os.ReadFile(filepath.Join(dir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &j); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"induction_score", "induction_head", "prev_token_score", "composition_k", "composition_baseline", "k_share", "virtual_share", "ablations", "loss", "evals", "figures"} {
		if _, ok := j[k]; !ok {
			t.Errorf("report.json lacks %q", k)
		}
	}
	md, _ := os.ReadFile(filepath.Join(dir, "report.md"))
	for _, want := range []string{"# Training an induction head", "![loss](loss.png)", "inspect/composition.png", "K-composition"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	k := s.KeyFigures()
	for _, want := range []string{"induction score ", "previous-token score ", "K ", "baseline", "zero-ablating"} {
		if !strings.Contains(k, want) {
			t.Errorf("key figures lack %q:\n%s", want, k)
		}
	}
}

func TestTicks(t *testing.T) {
	for _, c := range []struct {
		lo, hi float64
		want   string
	}{{0, 1500, "[0 500 1000 1500]"}, {0, 1, "[0 0.2 0.4 0.6 0.8 1]"}, {0, 6, "[0 2 4 6]"}, {0, 7, "[0 2 4 6]"}, {2, 2, "[2]"}} {
		if got := fmt.Sprint(ticks(c.lo, c.hi)); got != c.want {
			t.Errorf("ticks(%g, %g) = %s, want %s", c.lo, c.hi, got, c.want)
		}
	}
}
