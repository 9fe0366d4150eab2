package cli

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/strand-tn/strand"
	"github.com/strand-tn/strand/examples"
	"github.com/strand-tn/strand/network"
	"github.com/strand-tn/strand/notation"
	"github.com/strand-tn/strand/tensor"
)

func init() {
	register(&Command{
		Name:    "example",
		Usage:   "[NAME] [--seed N]",
		Summary: "list the built-in examples (the seed post's figures), or evaluate one on seeded random tensors",
		Flags: func(fs *flag.FlagSet) func(*Env, []string) error {
			seed := fs.Uint64("seed", 1, "seed for the random tensors")
			return func(env *Env, args []string) error {
				switch len(args) {
				case 0:
					for _, e := range examples.All() {
						fmt.Fprintf(env.Stdout, "  %-22s %s\n", e.Name, e.Title)
					}
					return nil
				case 1:
					e, err := examples.Get(args[0])
					if err != nil {
						return err
					}
					return runProgramText(env.Stdout, e.Name+".tn", e.Text, *seed)
				}
				return usagef("example takes at most one name")
			}
		},
	})
}

// runProgramText evaluates an index-notation text on seeded random tensors
// and prints it with the value of each statement and the check of each equation.
func runProgramText(w io.Writer, name, text string, seed uint64) error {
	prog, err := notation.ParseProgram(text)
	if err != nil {
		return withSource(fmt.Errorf("%s: %w", name, err), text)
	}
	results, err := strand.Run[float64](prog, strand.Options{Random: true, Seed: seed})
	if err != nil {
		return withSource(fmt.Errorf("%s: %w", name, err), text)
	}
	fmt.Fprintf(w, "%s\n%s\n", name, strings.TrimRight(text, "\n"))
	fmt.Fprintf(w, "\nevaluated on random tensors (seed %d):\n", seed)
	failed := 0
	for _, r := range results {
		line, _ := notation.LineCol(text, r.Statement.Pos)
		src := strings.TrimSpace(strings.Split(text, "\n")[line-1])
		switch r.Statement.Kind {
		case network.Equation:
			status := "holds"
			if !r.Pass {
				status, failed = "FAILS", failed+1
			}
			fmt.Fprintf(w, "  line %d  %-7s max |lhs − rhs| = %.2g   %s\n", line, status, r.MaxError, src)
			continue
		case network.Decompose:
			fmt.Fprintf(w, "  line %d  %-7s max reconstruction error %.2g   %s\n", line, r.Statement.Func, r.MaxError, src)
			continue
		}
		fmt.Fprintf(w, "  line %d  %-7s %s   %s\n", line, "value", describe(r.Value), src)
	}
	if failed > 0 {
		return fmt.Errorf("%s: %d equations do not hold", name, failed)
	}
	return nil
}

// describe summarises a value: the number itself, or its shape and norm.
func describe(t *tensor.Dense[float64]) string {
	if t.Rank() == 0 {
		return fmt.Sprintf("%.6g", t.Item())
	}
	return fmt.Sprintf("shape %v, ‖·‖ = %.4g", t.Shape(), t.Norm())
}
