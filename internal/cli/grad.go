package cli

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/strand-tn/strand"
	"github.com/strand-tn/strand/notation"
)

func init() {
	register(&Command{
		Name:    "grad",
		Usage:   "INPUT --wrt NAME [--wrt NAME…] [--simplify] [--axis name=size…] [-o OUT.tn]",
		Summary: "differentiate index notation (a .tn file or a statement) with respect to a tensor and print the derivative in notation",
		Flags: func(fs *flag.FlagSet) func(*Env, []string) error {
			var wrt namesFlag
			fs.Var(&wrt, "wrt", "differentiate with respect to tensor `NAME` (repeat for second derivatives: --wrt x --wrt x)")
			simplify := fs.Bool("simplify", false, "merge copy tensors and identities, cancel inverses and isometries, combine equal terms")
			out := fs.String("o", "", "write the derivative to this .tn file instead of printing it")
			axes := axesFlag{}
			fs.Var(axes, "axis", "size of a leg the input does not declare, `name=size` (repeatable)")
			return func(env *Env, args []string) error {
				if len(args) != 1 {
					return usagef("grad takes one INPUT: a .tn file or index notation such as 'z = x[i] A[i j] x[j]'")
				}
				if len(wrt) == 0 {
					return usagef("grad needs --wrt NAME")
				}
				return runGrad(env, args[0], wrt, *simplify, axes, *out)
			}
		},
	})
}

// namesFlag collects a repeated flag's values.
type namesFlag []string

func (n *namesFlag) String() string { return strings.Join(*n, ",") }

func (n *namesFlag) Set(s string) error {
	if strings.TrimSpace(s) == "" {
		return fmt.Errorf("empty name")
	}
	*n = append(*n, strings.TrimSpace(s))
	return nil
}

// readSource returns the text of INPUT: the contents of the file it names,
// or else INPUT itself.
func readSource(input string) (string, error) {
	if st, err := os.Stat(input); err == nil && !st.IsDir() {
		b, err := os.ReadFile(input)
		return string(b), err
	}
	if strings.HasSuffix(input, ".tn") {
		return "", fmt.Errorf("no file %s", input)
	}
	return input, nil
}

func runGrad(env *Env, input string, wrt []string, simplify bool, dims map[string]int, out string) error {
	if out != "" && filepath.Ext(out) != ".tn" {
		return fmt.Errorf("-o %s: only .tn is written for now", out)
	}
	src, err := readSource(input)
	if err != nil {
		return err
	}
	if form := notation.DetectForm(src); form != notation.FormProgram {
		return fmt.Errorf("the input reads as %s, not index notation: write statements such as 'z = A[i j] B[j i]' with a dim line", form)
	}
	p, err := strand.Parse(src)
	if err != nil {
		return withSource(err, src)
	}
	d, err := p.Grad(strand.Options{Axes: dims}, simplify, wrt...)
	if err != nil {
		return withSource(err, src)
	}
	if out == "" {
		_, err = fmt.Fprint(env.Stdout, d)
		return err
	}
	return os.WriteFile(out, []byte(d.String()), 0o644)
}
