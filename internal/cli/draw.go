package cli

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/strand-tn/strand"
	"github.com/strand-tn/strand/diagram"
	"github.com/strand-tn/strand/examples"
)

func init() {
	register(&Command{
		Name:    "draw",
		Usage:   "INPUT -o OUT.{svg,tex,png,json} [--axis name=size] [--sizes] [--no-leg-labels] [--hole 'r k s'] [--flat] [--value] [--scale K]",
		Summary: "draw a network as a Penrose diagram; INPUT is a .tn file, an example's name or an expression in any notation",
		Flags: func(fs *flag.FlagSet) func(*Env, []string) error {
			out := fs.String("o", "", "write the drawing to this file: .svg, .tex (TikZ, for pdflatex), .png or .json (the scene)")
			axes := axesFlag{}
			fs.Var(axes, "axis", "size of a leg, `name=size` (repeatable); sizes still unknown are drawn as unknown")
			sizes := fs.Bool("sizes", false, "write each free leg's size beside its name")
			noLeg := fs.Bool("no-leg-labels", false, "leave contracted legs unnamed")
			hole := fs.String("hole", "", "free legs that meet at a hole (a derivative): `'r k s'`")
			flat := fs.Bool("flat", false, "draw residual streams as sums of terms, not on a vertical backbone")
			value := fs.Bool("value", false, "draw an assignment's value without the assigned tensor on the left")
			scale := fs.Float64("scale", 0, "PNG pixels per scene unit (default 2); SVG width and height factor (default 1)")
			return func(env *Env, args []string) error {
				if len(args) != 1 {
					return usagef("draw needs one INPUT: a .tn file, an example's name or an expression")
				}
				if *out == "" {
					return usagef("draw needs -o OUT.svg, OUT.tex, OUT.png or OUT.json")
				}
				text, err := drawInput(args[0])
				if err != nil {
					return err
				}
				opts := strand.DrawOptions{Dims: axes, NoLHS: *value, Flat: *flat, Hole: strings.Fields(*hole),
					Sizes: *sizes, NoLegLabels: *noLeg, Scale: *scale}
				scene, err := sceneOf(text, opts)
				if err != nil {
					return err
				}
				if err := writeScene(*out, scene, *scale); err != nil {
					return err
				}
				fmt.Fprintf(env.Stdout, "wrote %s (%d tensors, %d wires)\n", *out, len(scene.Nodes), len(scene.Wires))
				return nil
			}
		},
	})
}

// drawInput returns the text to draw: a file's contents, an example's
// text, or the argument itself.
func drawInput(input string) (string, error) {
	if st, err := os.Stat(input); err == nil && !st.IsDir() {
		b, err := os.ReadFile(input)
		return string(b), err
	}
	if strings.HasSuffix(input, ".tn") {
		return "", fmt.Errorf("no file %s", input)
	}
	if e, err := examples.Get(input); err == nil {
		return e.Text, nil
	}
	return input, nil
}

// sceneOf lays out any notation (see strand.Layout), with the source line
// and a caret under the fault of an error.
func sceneOf(text string, opts strand.DrawOptions) (*diagram.Scene, error) {
	s, err := strand.Layout(text, opts)
	return s, withSource(err, text)
}

// writeScene writes a scene to path in the format its extension names.
func writeScene(path string, s *diagram.Scene, scale float64) error {
	f, err := strand.FormatOf(path)
	if err != nil {
		return err
	}
	return writeFileAtomic(path, func(w io.Writer) error { return strand.Render(w, s, f, scale) })
}

// writeFileAtomic writes a file through a temporary file beside it,
// renamed into place once complete: a reader never sees half a file, and
// a failed write leaves what was there.
func writeFileAtomic(path string, write func(io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := write(tmp); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	mode := os.FileMode(0o644)
	if st, err := os.Stat(path); err == nil {
		mode = st.Mode().Perm()
	}
	if err := tmp.Chmod(mode); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
