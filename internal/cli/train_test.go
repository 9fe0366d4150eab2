package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strand-tn/strand/interp/train"
)

func TestInterpTrainInduction(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := runCLI("interp", "train-induction", "--steps", "40", "--heads", "2", "--d-model", "8", "--d-head", "4",
		"--vocab", "16", "--n", "4", "--batch", "4", "--seed", "3", "--float32", "-o", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if errs != "" {
		t.Errorf("stderr is not a terminal, yet: %q", errs)
	}
	for _, want := range []string{"induction score ", "previous-token score ", "trained 40 steps", "baseline", "zero-ablating", "report " + filepath.Join(dir, "report.md")} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, f := range []string{"report.md", "report.json", "loss.png", "patterns.svg", "model.safetensors", "inspect/composition.png"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	// The saved model is one `strand interp inspect` reads.
	code, out, errs = runCLI("interp", "inspect", filepath.Join(dir, "model.safetensors"), "--tokens", "0,1,2,3,1,2,3", "--n", "4", "-o", t.TempDir())
	if code != 0 || !strings.Contains(out, "2 layers × 2 heads") {
		t.Errorf("inspect of the trained model: exit %d\n%s%s", code, out, errs)
	}
}

func TestInterpTrainInductionUsage(t *testing.T) {
	for _, args := range [][]string{
		{"--steps", "10"},
		{"--steps", "0", "-o", "x"},
		{"--layers", "1", "-o", "x"},
		{"--lr", "-1", "-o", "x"},
		{"--beta", "2", "-o", "x"},
		{"extra", "-o", "x"},
	} {
		code, _, errs := runCLI(append([]string{"interp", "train-induction"}, args...)...)
		if code != 2 || !strings.Contains(errs, "train-induction") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errs)
		}
	}
	// Sizes the data cannot fill are errors from the library (exit 1).
	code, _, errs := runCLI("interp", "train-induction", "--vocab", "8", "-o", t.TempDir())
	if code != 1 || !strings.Contains(errs, "train: ") {
		t.Errorf("vocabulary of 8: exit %d, stderr %q", code, errs)
	}
}

func TestProgressBar(t *testing.T) {
	var b strings.Builder
	bar := &progressBar{w: &b}
	bar.finish() // nothing drawn: nothing to end
	bar.update(trainProgress(750, 1500))
	bar.update(trainProgress(751, 1500)) // within 100 ms: skipped
	bar.update(trainProgress(1500, 1500))
	bar.finish()
	got := b.String()
	if strings.Count(got, "\r\033[K") != 2 || !strings.Contains(got, "[████████████············]   750/1500  loss 0.500  induction 0.90 L1H1  previous token 0.80 L0H0") ||
		!strings.HasSuffix(got, "1500/1500  loss 0.500  induction 0.90 L1H1  previous token 0.80 L0H0  0s\n") {
		t.Errorf("progress output %q", got)
	}
}

func trainProgress(step, steps int) train.Progress {
	return train.Progress{Step: step, Steps: steps, Loss: 0.5, Eval: &train.Eval{
		Induction: [][]float64{{0.1, 0.2}, {0.3, 0.9}}, PrevToken: [][]float64{{0.8, 0.1}, {0, 0}}}}
}
