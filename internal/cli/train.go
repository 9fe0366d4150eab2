package cli

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/strand-tn/strand/interp"
	"github.com/strand-tn/strand/interp/train"
)

func init() {
	registerInterp(&Command{
		Name:    "train-induction",
		Usage:   "[--steps 1500] [--seed 0] [--d-model 32] [--heads 4] … -o DIR",
		Summary: "train a 2-layer attention-only transformer with strand's gradients until induction heads form, and report how they work",
		Flags:   trainInductionFlags,
	})
}

func trainInductionFlags(fs *flag.FlagSet) func(env *Env, args []string) error {
	var o train.Options
	fs.IntVar(&o.Steps, "steps", 1500, "training steps")
	fs.Uint64Var(&o.Seed, "seed", 0, "seed of the weights, the batches and the evaluation sequences")
	fs.IntVar(&o.Layers, "layers", 2, "attention layers")
	fs.IntVar(&o.Heads, "heads", 4, "heads per layer")
	fs.IntVar(&o.DModel, "d-model", 32, "residual stream width")
	fs.IntVar(&o.DHead, "d-head", 8, "query/key/value width of a head")
	fs.IntVar(&o.Vocab, "vocab", 64, "number of tokens (token 0 is the start token)")
	fs.IntVar(&o.N, "n", 20, "longest repeated block; sequences have 2N+1 positions")
	fs.IntVar(&o.MinN, "min-n", 0, "shortest repeated block (0: N/2)")
	fs.IntVar(&o.Batch, "batch", 16, "sequences per step")
	fs.Float64Var(&o.Adam.LR, "lr", 1e-2, "peak learning rate of Adam")
	fs.IntVar(&o.Warmup, "warmup", 0, "warm-up steps (0: steps/30)")
	single := fs.Bool("float32", false, "train in float32 (default float64; the analysis is in float64)")
	out := fs.String("o", "", "report `DIR` (required)")
	return func(env *Env, args []string) error {
		switch {
		case len(args) > 0:
			return usagef("interp train-induction: unexpected argument %q", args[0])
		case *out == "":
			return usagef("interp train-induction: -o DIR is required")
		}
		for _, f := range []struct {
			name string
			v    int
		}{{"steps", o.Steps}, {"layers", o.Layers}, {"heads", o.Heads}, {"d-model", o.DModel}, {"d-head", o.DHead}, {"vocab", o.Vocab}, {"n", o.N}, {"batch", o.Batch}} {
			if f.v < 1 {
				return usagef("interp train-induction: --%s %d, want ≥ 1", f.name, f.v)
			}
		}
		if o.Layers < 2 {
			return usagef("interp train-induction: --layers %d, want ≥ 2 (an induction circuit spans two layers)", o.Layers)
		}
		if !(o.Adam.LR > 0) {
			return usagef("interp train-induction: --lr %g, want > 0", o.Adam.LR)
		}
		bar := &progressBar{w: env.Stderr}
		if isTerminal(env.Stderr) {
			o.Progress = bar.update
		}
		var s *train.Summary
		var err error
		if *single {
			s, err = trainAndReport[float32](*out, o, bar.finish)
		} else {
			s, err = trainAndReport[float64](*out, o, bar.finish)
		}
		if err != nil {
			return err
		}
		fmt.Fprint(env.Stdout, s.KeyFigures())
		fmt.Fprintf(env.Stdout, "report %s\n", filepath.Join(*out, "report.md"))
		return nil
	}
}

// trainAndReport trains, calls trained, and writes the report.
func trainAndReport[T interp.Float](dir string, o train.Options, trained func()) (*train.Summary, error) {
	run, err := train.Train[T](o)
	trained()
	if err != nil {
		return nil, err
	}
	return train.Report(dir, run, train.AnalyzeOptions{Seed: o.Seed})
}

// progressBar redraws one line on a terminal, at most ten times a second:
//
//	[██████████··········]  750/1500  loss 0.872  induction 0.89 L1H3  previous token 0.64 L0H0  41s
type progressBar struct {
	w     io.Writer
	last  time.Time
	drawn bool
}

func (b *progressBar) update(p train.Progress) {
	if p.Step != p.Steps && time.Since(b.last) < 100*time.Millisecond {
		return
	}
	b.last = time.Now()
	const width = 24
	done := width * p.Step / max(1, p.Steps)
	line := fmt.Sprintf("[%s%s] %5d/%d  loss %.3f", strings.Repeat("█", done), strings.Repeat("·", width-done), p.Step, p.Steps, p.Loss)
	if p.Eval != nil {
		ih, is := train.Best(p.Eval.Induction, 1)
		ph, ps := train.Best(p.Eval.PrevToken[:max(1, ih.Layer)], 0)
		line += fmt.Sprintf("  induction %.2f %s  previous token %.2f %s", is, ih, ps, ph)
	}
	line += fmt.Sprintf("  %ds", int(p.Elapsed.Seconds()))
	fmt.Fprintf(b.w, "\r\033[K%s", line)
	b.drawn = true
}

// finish ends the bar's line once.
func (b *progressBar) finish() {
	if b.drawn {
		fmt.Fprintln(b.w)
		b.drawn = false
	}
}
