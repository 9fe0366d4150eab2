package report

import (
	"encoding/json"
	"flag"
	"github.com/strand-tn/strand/internal/golden"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strand-tn/strand/interp"
	"github.com/strand-tn/strand/tensor"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

func TestToy(t *testing.T) {
	dir := t.TempDir()
	s, err := Toy(dir, ToyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if s.InductionScore < 0.98 || s.PrevTokenScore < 0.999 || s.CompositionK != 0.125 || s.CompositionQ != 0 || s.CompositionV != 0 || s.Accuracy != 1 {
		t.Errorf("summary %+v", s)
	}
	for _, c := range s.Terms {
		if (c.Term == "L1H0") != (c.Logit != 0) {
			t.Errorf("term %s contributes %g", c.Term, c.Logit)
		}
	}
	for _, c := range s.QKTerms {
		if (c.Term == "direct·L0H0") != (c.Logit != 0) {
			t.Errorf("QK term %s contributes %g", c.Term, c.Logit)
		}
	}
	for _, f := range s.Figures {
		for _, ext := range []string{".png", ".svg"} {
			if st, err := os.Stat(filepath.Join(dir, f.Name+ext)); err != nil || st.Size() == 0 {
				t.Errorf("figure %s%s: %v", f.Name, ext, err)
			}
		}
	}
	md, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("testdata", "toy_report.md"), md, *update)
	var back ToySummary
	b, err := os.ReadFile(filepath.Join(dir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &back); err != nil || back.InductionScore != s.InductionScore || len(back.Figures) != 5 {
		t.Errorf("report.json: %v, %+v", err, back)
	}
	if !strings.HasPrefix(s.KeyFigures(), "induction score 0.9999 ") {
		t.Errorf("key figures:\n%s", s.KeyFigures())
	}
}

func TestInspect(t *testing.T) {
	p, err := interp.Load[float64](filepath.Join("..", "testdata", "gpt2_tiny", "model.safetensors"), interp.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	s, err := Inspect(dir, p, []int{49, 3, 4, 5, 3, 4, 5}, InspectOptions{Name: "tiny", N: 6})
	if err != nil {
		t.Fatal(err)
	}
	ind, err := interp.Induction(p, 6, newRand(0))
	if err != nil {
		t.Fatal(err)
	}
	if got := tensor.MustFromSlice(append(s.Induction[0], s.Induction[1]...), 2, 4); tensor.MaxAbsDiff(got, ind.Induction) != 0 {
		t.Errorf("induction scores %v, want %v", s.Induction, ind.Induction)
	}
	if s.Terms != nil {
		t.Error("path terms for a model with MLPs")
	}
	names := map[string]bool{}
	for _, f := range s.Figures {
		names[f.Name] = true
	}
	for _, n := range []string{"patterns_L0", "patterns_L1", "induction_scores", "induction_patterns", "composition"} {
		if !names[n] {
			t.Errorf("no figure %s", n)
		}
	}
	for i := 1; i < len(s.TopComposition); i++ {
		if s.TopComposition[i].Score > s.TopComposition[i-1].Score || s.TopComposition[i].Score < s.Baseline {
			t.Errorf("top compositions out of order or below the baseline: %v", s.TopComposition)
		}
	}
	// An attention-only model gets the path-expansion chart.
	toy, err := interp.ToyInduction[float32](interp.ToyOptions{D: 8, Vocab: 20, NCtx: 21})
	if err != nil {
		t.Fatal(err)
	}
	s, err = Inspect(t.TempDir(), toy, []int{0, 1, 2, 3, 1, 2, 3}, InspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Terms) != 4 || s.Induction[1][0] < 0.9 {
		t.Errorf("toy: %d terms, induction %v", len(s.Terms), s.Induction)
	}
	if _, err := Inspect(t.TempDir(), toy, []int{0, 99}, InspectOptions{}); err == nil {
		t.Error("token outside the vocabulary: no error")
	}
}
