package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/strand-tn/strand"
	"github.com/strand-tn/strand/contract"
	"github.com/strand-tn/strand/network"
	"github.com/strand-tn/strand/notation"
	"github.com/strand-tn/strand/tensor"
	"github.com/strand-tn/strand/tensorio"
)

func init() {
	register(&Command{
		Name:    "eval",
		Usage:   "EXPR FILE.npy... [-o OUT.npy] [--bench N] [--optimize NAME | --path JSON] [--memory-limit SIZE] [--threads N]",
		Summary: "evaluate a contraction (einsum, einops, a pasted call or index notation) on .npy files",
		Flags: func(fs *flag.FlagSet) func(*Env, []string) error {
			out := fs.String("o", "", "write the result to this .npy file (float64); without it the result is printed")
			bench := fs.Int("bench", 0, "also time `N` evaluations in-process and print {\"median_s\": ...}")
			pathJSON := fs.String("path", "", "contraction order in numpy's linear format, e.g. [[0,1],[0,1]]")
			optimize := fs.String("optimize", "", "path optimizer: greedy, optimal, dp, branch, random-greedy, auto, auto-hq (default: greedy, or auto for costly contractions)")
			limit := bytesFlag(contract.DefaultMemoryLimit)
			fs.Var(&limit, "memory-limit", "largest input, intermediate or result, `SIZE`; larger intermediates are sliced, larger inputs and results refused")
			axes := axesFlag{}
			fs.Var(axes, "axis", "size of a pattern axis or leg, `name=size` (repeatable)")
			random := fs.Bool("random", false, "index notation: fill tensors not given as files with seeded random values of their kind")
			seed := fs.Uint64("seed", 1, "seed for --random")
			threads := fs.Int("threads", 0, "goroutines one operation may use, `N` (default GOMAXPROCS)")
			return func(env *Env, args []string) error {
				if len(args) == 0 {
					return usagef("eval needs an expression")
				}
				if *threads < 0 {
					return usagef("--threads %d: want a positive count", *threads)
				}
				if *threads > 0 {
					defer strand.SetThreads(strand.SetThreads(*threads))
				}
				opts := strand.Options{MemoryLimit: int64(limit), Axes: axes, Random: *random, Seed: *seed, Optimize: *optimize}
				if *pathJSON != "" {
					if err := json.Unmarshal([]byte(*pathJSON), &opts.Path); err != nil {
						return fmt.Errorf("--path: %v (want e.g. [[0,1],[0,1]])", err)
					}
				}
				return runEval(env, args[0], args[1:], *out, *bench, opts)
			}
		},
	})
}

func runEval(env *Env, expr string, files []string, out string, bench int, opts strand.Options) error {
	node, err := notation.Parse(expr)
	if err != nil {
		return withSource(err, expr)
	}
	ops, err := readOperands(files, opts.MemoryLimit)
	if err != nil {
		return err
	}
	var result *tensor.Dense[float64]
	if prog, ok := node.(*notation.Program); ok {
		results, err := strand.Run(prog, opts, ops...)
		if err != nil {
			return withSource(err, expr)
		}
		if result, err = reportProgram(env.Stdout, expr, results); err != nil {
			return err
		}
	} else if result, err = strand.EinsumWith(expr, opts, ops...); err != nil {
		return withSource(err, expr)
	}
	if bench > 0 {
		median, err := timeEval(expr, opts, ops, bench)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "{\"median_s\": %.9g}\n", median)
	}
	if out != "" {
		return tensorio.WriteFile(out, result, tensorio.Options{})
	}
	if bench == 0 {
		printTensor(env.Stdout, result)
	}
	return nil
}

// readOperands loads .npy (or single-array .npz/.safetensors) files as float64.
func readOperands(files []string, limit int64) ([]*tensor.Dense[float64], error) {
	ops := make([]*tensor.Dense[float64], len(files))
	for k, f := range files {
		t, err := tensorio.ReadFile[float64](f, tensorio.Options{MaxBytes: limit})
		if err != nil {
			return nil, err
		}
		ops[k] = t
	}
	return ops, nil
}

// reportProgram prints one line per equation and returns the value of the
// last statement that is not an equation (or the last equation's right side).
func reportProgram(w io.Writer, src string, results []strand.Result[float64]) (*tensor.Dense[float64], error) {
	var value *tensor.Dense[float64]
	failed := 0
	for _, r := range results {
		line, _ := notation.LineCol(src, r.Statement.Pos)
		switch r.Statement.Kind {
		case network.Equation:
			status := "pass"
			if !r.Pass {
				status = "FAIL"
				failed++
			}
			fmt.Fprintf(w, "%s  line %d: max |lhs − rhs| = %.3g (tolerance %.3g)\n", status, line, r.MaxError, r.Tolerance)
		case network.Decompose:
			fmt.Fprintf(w, "%s  line %d: max reconstruction error %.3g\n", r.Statement.Func, line, r.MaxError)
		default:
			value = r.Value
		}
	}
	if value == nil && len(results) > 0 {
		value = results[len(results)-1].Value
	}
	if failed > 0 {
		return value, fmt.Errorf("%d of the program's equations do not hold", failed)
	}
	return value, nil
}

// timeEval returns the median wall time of n evaluations of expr after one
// warm-up, parse and planning included, file I/O excluded. Each timed call
// recycles its result (strand.Recycle), as numpy frees an array no longer
// referenced, so that the next allocates from a free list rather than from
// fresh pages.
func timeEval(expr string, opts strand.Options, ops []*tensor.Dense[float64], n int) (float64, error) {
	warm, err := strand.EinsumWith(expr, opts, ops...)
	if err != nil {
		return 0, err
	}
	strand.Recycle(warm)
	times := make([]float64, n)
	for i := range times {
		start := time.Now()
		out, err := strand.EinsumWith(expr, opts, ops...)
		if err != nil {
			return 0, err
		}
		strand.Recycle(out)
		times[i] = time.Since(start).Seconds()
	}
	slices.Sort(times)
	if n%2 == 1 {
		return times[n/2], nil
	}
	return (times[n/2-1] + times[n/2]) / 2, nil
}

// printTensor writes a result for people: its shape, and its values when small.
func printTensor(w io.Writer, t *tensor.Dense[float64]) {
	switch {
	case t.Rank() == 0:
		fmt.Fprintf(w, "%.12g\n", t.Item())
	case t.Size() <= 1000:
		fmt.Fprintf(w, "shape %v\n%v\n", t.Shape(), t)
	default:
		fmt.Fprintf(w, "shape %v (%d elements; write it with -o FILE.npy)\n", t.Shape(), t.Size())
	}
}
