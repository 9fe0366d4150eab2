package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = Main(args, &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
	return code, out.String(), errb.String()
}

func TestInterpInduction(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := runCLI("interp", "induction", "--d", "64", "--beta", "16", "-o", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "induction score 0.9999") || !strings.Contains(out, "K 0.125") {
		t.Errorf("output:\n%s", out)
	}
	for _, f := range []string{"report.md", "report.json", "patterns.png", "patterns.svg", "composition.png", "terms.svg", "qk_terms.png", "induction_head.png"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	var s struct {
		InductionScore float64 `json:"induction_score"`
		CompositionK   float64 `json:"composition_k"`
	}
	b, err := os.ReadFile(filepath.Join(dir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	if s.InductionScore < 0.98 || s.CompositionK != 0.125 {
		t.Errorf("report.json: %+v", s)
	}
}

func TestInterpInspect(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join("..", "..", "interp", "testdata", "gpt2_tiny", "model.safetensors")
	code, out, errs := runCLI("interp", "inspect", model, "--tokens", "49,1,2,3,1,2,3", "-o", dir, "--n", "5")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"gpt2_tiny: 2 layers × 4 heads", "induction scores", "L1 ", "composition baseline"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, f := range []string{"patterns_L0.png", "patterns_L1.svg", "induction_scores.png", "composition.svg", "report.md"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
}

func TestInterpErrors(t *testing.T) {
	model := filepath.Join("..", "..", "interp", "testdata", "gpt2_tiny", "model.safetensors")
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"interp"}, 2, "want a subcommand: induction, inspect"},
		{[]string{"interp", "nope"}, 2, `unknown subcommand "nope"`},
		{[]string{"interp", "induction"}, 2, "-o DIR is required"},
		{[]string{"interp", "induction", "--tokens", "1", "-o", "x"}, 2, "flag -tokens belongs to inspect"},
		{[]string{"interp", "induction", "--d", "x", "-o", "x"}, 2, "flag -d"},
		{[]string{"interp", "induction", "--d", "1", "-o", t.TempDir()}, 1, "d = 1, want 2 … 4096"},
		{[]string{"interp", "inspect", model, "-o", t.TempDir()}, 2, "--tokens is required"},
		{[]string{"interp", "inspect", "-o", "x", "--tokens", "1"}, 2, "want one MODEL.safetensors"},
		{[]string{"interp", "inspect", model, "--tokens", "1,x", "-o", t.TempDir()}, 1, `offset 2: "x"`},
		{[]string{"interp", "inspect", model, "--tokens", "1,99", "-o", t.TempDir()}, 1, "token 99 at position 1 is outside the vocabulary"},
		{[]string{"interp", "inspect", "nope.safetensors", "--tokens", "1", "-o", t.TempDir()}, 1, "cannot open"},
	} {
		code, _, errs := runCLI(c.args...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", c.args, code, errs, c.code, c.want)
		}
	}
	code, out, _ := runCLI("interp", "help")
	if code != 0 || !strings.Contains(out, "strand interp inspect MODEL.safetensors") {
		t.Errorf("interp help: exit %d\n%s", code, out)
	}
}
