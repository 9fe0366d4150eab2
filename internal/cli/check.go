package cli

import (
	"flag"
	"fmt"
	"strings"

	"github.com/strand-tn/strand"
	"github.com/strand-tn/strand/grad"
	"github.com/strand-tn/strand/notation"
)

func init() {
	register(&Command{
		Name:    "check",
		Usage:   "INPUT [--seed N] [--axis name=size…]",
		Summary: "check every equation of index notation (a .tn file or text), symbolically where possible and numerically always",
		Flags: func(fs *flag.FlagSet) func(*Env, []string) error {
			seed := fs.Uint64("seed", 1, "seed for the random tensors the numeric check draws (of each tensor's kind)")
			axes := axesFlag{}
			fs.Var(axes, "axis", "size of a leg the input does not declare, `name=size` (repeatable)")
			return func(env *Env, args []string) error {
				if len(args) != 1 {
					return usagef("check takes one INPUT: a .tn file or index notation")
				}
				return runCheck(env, args[0], *seed, axes)
			}
		},
	})
}

// runCheck prints one line per equation: pass or FAIL, its line, the method
// that decided it, the largest difference of the sides and the equation.
func runCheck(env *Env, input string, seed uint64, dims map[string]int) error {
	src, err := readSource(input)
	if err != nil {
		return err
	}
	if form := notation.DetectForm(src); form != notation.FormProgram {
		return fmt.Errorf("the input reads as %s, not index notation: check takes statements with equations (lhs == rhs)", form)
	}
	p, err := strand.Parse(src)
	if err != nil {
		return withSource(err, src)
	}
	verdicts, err := p.Check(nil, strand.Options{Axes: dims, Seed: seed})
	if err != nil {
		return withSource(err, src)
	}
	if len(verdicts) == 0 {
		fmt.Fprintln(env.Stdout, "no equations to check")
		return nil
	}
	lines := strings.Split(src, "\n")
	failed := 0
	for _, v := range verdicts {
		status := "pass"
		if !v.Pass {
			status = "FAIL"
			failed++
		}
		line, _ := notation.LineCol(src, v.Statement.Pos)
		text := strings.TrimSpace(lines[line-1])
		fmt.Fprintf(env.Stdout, "%s  line %d  %-9s max |lhs − rhs| = %.2g (tolerance %.2g)  %s\n", status, line, v.Method, v.MaxError, v.Tolerance, text)
		if v.Note != "" && (!v.Pass || v.Method == grad.Numeric) {
			fmt.Fprintf(env.Stdout, "      %s\n", v.Note)
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d equations fail", failed, len(verdicts))
	}
	return nil
}
