package cli

import (
	"flag"

	"github.com/strand-tn/strand"
	"github.com/strand-tn/strand/contract"
	"github.com/strand-tn/strand/tensorio"
)

func init() {
	patternCommand("rearrange", "", "permute, group and split axes with an einops pattern: 'i j k l -> (i l) (k j)'")
	patternCommand("reduce", " [--reduction sum|mean|max|min|prod|any|all]", "reduce axes with an einops pattern: 'b c -> c' --reduction mean")
	patternCommand("repeat", "", "repeat along new axes with an einops pattern: 'h w -> h w c' --axis c=3")
}

// patternCommand registers one of the einops commands.
func patternCommand(op, extraUsage, summary string) {
	register(&Command{
		Name:    op,
		Usage:   "PATTERN IN.npy [-o OUT.npy] [--axis name=size ...]" + extraUsage,
		Summary: summary,
		Flags: func(fs *flag.FlagSet) func(*Env, []string) error {
			out := fs.String("o", "", "write the result to this .npy file; without it the result is printed")
			axes := axesFlag{}
			fs.Var(axes, "axis", "size of an axis, `name=size` (repeatable)")
			var reduction string
			if op == "reduce" {
				fs.StringVar(&reduction, "reduction", "sum", "sum, mean, max, min, prod, any or all")
			}
			limit := bytesFlag(contract.DefaultMemoryLimit)
			fs.Var(&limit, "memory-limit", "refuse inputs or results larger than `SIZE`")
			return func(env *Env, args []string) error {
				if len(args) != 2 {
					return usagef("%s needs a pattern and one input file", op)
				}
				x, err := tensorio.ReadFile[float64](args[1], tensorio.Options{MaxBytes: int64(limit)})
				if err != nil {
					return err
				}
				opts := strand.Options{Axes: axes, Reduction: reduction, MemoryLimit: int64(limit)}
				y, err := strand.ApplyPattern(op, x, args[0], opts)
				if err != nil {
					return withSource(err, args[0])
				}
				if *out == "" {
					printTensor(env.Stdout, y)
					return nil
				}
				return tensorio.WriteFile(*out, y, tensorio.Options{})
			}
		},
	})
}
