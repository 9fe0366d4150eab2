package cli

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/strand-tn/strand/grad"
	"github.com/strand-tn/strand/network"
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

// resolveProgram parses and resolves index notation, sizes from its dim
// lines and from dims.
func resolveProgram(src string, dims map[string]int) (*network.Program, error) {
	node, err := notation.Parse(src)
	if err != nil {
		return nil, withSource(err, src)
	}
	p, ok := node.(*notation.Program)
	if !ok {
		return nil, fmt.Errorf("the input reads as %s, not index notation: write statements such as 'z = A[i j] B[j i]' with a dim line", notation.DetectForm(src))
	}
	prog, err := network.FromProgram(p, network.ProgramOptions{Dims: dims})
	if err != nil {
		return nil, withSource(err, src)
	}
	return prog, nil
}

func runGrad(env *Env, input string, wrt []string, simplify bool, dims map[string]int, out string) error {
	if out != "" && filepath.Ext(out) != ".tn" {
		return fmt.Errorf("-o %s: only .tn is written for now (drawing derivatives comes with the diagram package)", out)
	}
	src, err := readSource(input)
	if err != nil {
		return err
	}
	prog, err := resolveProgram(src, dims)
	if err != nil {
		return err
	}
	target := -1
	for i, st := range prog.Statements {
		if st.Kind != network.Equation {
			target = i
		}
	}
	if target < 0 {
		return fmt.Errorf("the input has no assignment or expression to differentiate")
	}
	x, err := grad.Inline(prog, target, wrt...)
	if err != nil {
		return err
	}
	for _, w := range wrt {
		if x, err = grad.Derive(x, w); err != nil {
			return err
		}
	}
	if simplify {
		if x, err = grad.Simplify(x); err != nil {
			return err
		}
	}
	text := grad.Format(x, derivativeName(prog.Statements[target].Name, wrt))
	if out == "" {
		_, err = fmt.Fprint(env.Stdout, text)
		return err
	}
	return os.WriteFile(out, []byte(text), 0o644)
}

// derivativeName names ∂y/∂A…: "dy_dA", or "d_dA" for an expression without
// a name.
func derivativeName(y string, wrt []string) string {
	return "d" + y + "_d" + strings.Join(wrt, "_d")
}
