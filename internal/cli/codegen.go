package cli

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/strand-tn/strand/codegen"
)

func init() {
	langs := make([]string, len(codegen.Langs()))
	for i, l := range codegen.Langs() {
		langs[i] = string(l)
	}
	register(&Command{
		Name:    "codegen",
		Usage:   "EXPR --shapes 2x3,3x4 [--lang " + strings.Join(langs, "|") + "] [--optimize NAME] [--memory-limit N] [-o FILE.py]",
		Summary: "write a Python script that runs a contraction step by step along strand's path (sliced with --memory-limit)",
		Flags: func(fs *flag.FlagSet) func(*Env, []string) error {
			var pf planFlags
			pf.register(fs)
			shapes := shapesFlag{}
			fs.Var(&shapes, "shapes", "operand shapes in order, `2x3,3x4` (() for a scalar); index notation takes sizes from its dim lines")
			axes := axesFlag{}
			fs.Var(axes, "axis", "size of a leg index notation does not declare, `name=size` (repeatable)")
			lang := fs.String("lang", "numpy", "target library: "+strings.Join(langs, ", "))
			out := fs.String("o", "", "write the script to `FILE.py` (default: standard output)")
			return func(env *Env, args []string) error {
				if len(args) != 1 {
					return usagef("codegen needs one EXPR")
				}
				l, err := codegen.ParseLang(*lang)
				if err != nil {
					return usagef("%v", err)
				}
				return runCodegen(env, args[0], shapes.shapes, axes, pf, l, *out)
			}
		},
	})
}

func runCodegen(env *Env, input string, shapes [][]int, dims map[string]int, pf planFlags, lang codegen.Lang, out string) error {
	src, err := readSource(input)
	if err != nil {
		return err
	}
	cs, err := contractionsOf(src, shapes, dims)
	if err != nil {
		return err
	}
	if len(cs) != 1 {
		return fmt.Errorf("the input holds %d contractions (%s, …): codegen writes one, an einsum or a single product statement", len(cs), cs[0].title)
	}
	p, err := cs[0].Problem()
	if err != nil {
		return err
	}
	info, err := pf.plan(env, p)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := codegen.Generate(&b, cs[0].Contraction, info, codegen.Options{Lang: lang, Source: src}); err != nil {
		return err
	}
	if out == "" {
		_, err = env.Stdout.Write(b.Bytes())
		return err
	}
	return os.WriteFile(out, b.Bytes(), 0o755)
}
