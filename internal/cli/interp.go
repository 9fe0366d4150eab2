package cli

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/strand-tn/strand/interp"
	"github.com/strand-tn/strand/interp/report"
)

// interpCommands is the table of `strand interp` subcommands. Each is a
// Command of its own (its flags are declared on its own FlagSet); other
// files add theirs with registerInterp in init.
var interpCommands = map[string]*Command{}

func registerInterp(c *Command) { interpCommands[c.Name] = c }

func init() {
	register(&Command{
		Name:    "interp",
		Usage:   "SUBCOMMAND [arguments] (run 'strand interp help' for the subcommands)",
		Summary: "transformer interpretability: the toy induction head, model inspection",
		Flags:   interpFlags,
	})
	registerInterp(&Command{
		Name:    "induction",
		Usage:   "[--d 64] [--beta 16] [--n 50] [--seed 0] -o DIR",
		Summary: "build the seed's toy induction head from explicit weights and report its patterns, composition scores and path terms",
		Flags:   inductionFlags,
	})
	registerInterp(&Command{
		Name:    "inspect",
		Usage:   "MODEL.safetensors --tokens 1,2,3 -o DIR",
		Summary: "report every head's attention pattern, composition scores and induction score (GPT-2 checkpoints or strand models)",
		Flags:   inspectFlags,
	})
}

// interpFlags declares, on the interp command's flag set, every flag of
// every subcommand as a proxy that records what was set; the run function
// picks the subcommand from the first argument and replays the recorded
// flags onto that subcommand's own flag set, rejecting flags it lacks.
func interpFlags(fs *flag.FlagSet) func(env *Env, args []string) error {
	var set []flagSetting
	owners := map[string][]string{}
	usage := map[string][]string{}
	var order []*flag.Flag
	for _, name := range sortedInterpNames() {
		sub := flag.NewFlagSet(name, flag.ContinueOnError)
		interpCommands[name].Flags(sub)
		sub.VisitAll(func(f *flag.Flag) {
			if len(owners[f.Name]) == 0 {
				order = append(order, f)
			}
			owners[f.Name] = append(owners[f.Name], name)
			u := f.Usage
			if f.DefValue != "" && f.DefValue != "0" && f.DefValue != "false" {
				u += " (default " + f.DefValue + ")"
			}
			usage[f.Name] = append(usage[f.Name], u)
		})
	}
	for _, f := range order {
		// One line per flag: "induction, inspect: text" when the subcommands
		// agree, "induction: text; inspect: text" otherwise.
		var parts []string
		if us := usage[f.Name]; slices.Equal(us, slices.Repeat(us[:1], len(us))) {
			parts = []string{strings.Join(owners[f.Name], ", ") + ": " + us[0]}
		} else {
			for k, u := range us {
				parts = append(parts, owners[f.Name][k]+": "+u)
			}
		}
		fs.Var(&proxyFlag{name: f.Name, bool: isBoolFlag(f), set: &set}, f.Name, strings.Join(parts, "; "))
	}
	return func(env *Env, args []string) error {
		if len(args) == 0 {
			return usagef("interp: want a subcommand: %s", strings.Join(sortedInterpNames(), ", "))
		}
		if args[0] == "help" {
			printInterpHelp(env.Stdout)
			return nil
		}
		c, ok := interpCommands[args[0]]
		if !ok {
			return usagef("interp: unknown subcommand %q (want %s)", args[0], strings.Join(sortedInterpNames(), ", "))
		}
		sub := flag.NewFlagSet("strand interp "+c.Name, flag.ContinueOnError)
		sub.SetOutput(io.Discard)
		run := c.Flags(sub)
		for _, s := range set {
			if sub.Lookup(s.name) == nil {
				return usagef("interp %s: flag -%s belongs to %s", c.Name, s.name, strings.Join(owners[s.name], ", "))
			}
			if err := sub.Set(s.name, s.value); err != nil {
				return usagef("interp %s: flag -%s: %v", c.Name, s.name, err)
			}
		}
		return run(env, args[1:])
	}
}

type flagSetting struct{ name, value string }

// proxyFlag stands for a subcommand's flag on the interp command's flag
// set; the subcommands' defaults are in its usage text.
type proxyFlag struct {
	name string
	bool bool
	set  *[]flagSetting
}

func (p *proxyFlag) String() string { return "" }

func (p *proxyFlag) Set(v string) error {
	*p.set = append(*p.set, flagSetting{p.name, v})
	return nil
}

func (p *proxyFlag) IsBoolFlag() bool { return p.bool }

func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

func sortedInterpNames() []string {
	names := make([]string, 0, len(interpCommands))
	for n := range interpCommands {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func printInterpHelp(w io.Writer) {
	fmt.Fprintln(w, "Usage: strand interp SUBCOMMAND [arguments]\n\nSubcommands:")
	for _, n := range sortedInterpNames() {
		c := interpCommands[n]
		fmt.Fprintf(w, "\n  strand interp %s %s\n      %s\n", c.Name, c.Usage, c.Summary)
		fs := flag.NewFlagSet(n, flag.ContinueOnError)
		c.Flags(fs)
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
}

func inductionFlags(fs *flag.FlagSet) func(env *Env, args []string) error {
	var o report.ToyOptions
	fs.IntVar(&o.Model.D, "d", 64, "width of the token subspace and of each head")
	fs.Float64Var(&o.Model.Beta, "beta", 16, "sharpness β of the Match tensor (layer-1 QK)")
	fs.Float64Var(&o.Model.Alpha, "alpha", 0, "sharpness of the previous-token head (0: β)")
	fs.IntVar(&o.Model.Vocab, "vocab", 512, "number of tokens")
	fs.IntVar(&o.N, "n", 50, "length N of the random block repeated twice after a start token")
	fs.Uint64Var(&o.Seed, "seed", 0, "seed of the token embeddings and of the sequence")
	out := fs.String("o", "", "report `DIR` (required)")
	return func(env *Env, args []string) error {
		if len(args) > 0 {
			return usagef("interp induction: unexpected argument %q", args[0])
		}
		if *out == "" {
			return usagef("interp induction: -o DIR is required")
		}
		if o.N < 1 {
			return usagef("interp induction: --n %d, want ≥ 1", o.N)
		}
		o.Model.NCtx = 2*o.N + 1
		o.Model.Seed = o.Seed
		s, err := report.Toy(*out, o)
		if err != nil {
			return err
		}
		fmt.Fprint(env.Stdout, s.KeyFigures())
		fmt.Fprintf(env.Stdout, "report %s\n", filepath.Join(*out, "report.md"))
		return nil
	}
}

func inspectFlags(fs *flag.FlagSet) func(env *Env, args []string) error {
	var o report.InspectOptions
	tokens := fs.String("tokens", "", "comma-separated token `IDS` to run the model on (required)")
	config := fs.String("config", "", "`PATH` of the config.json of a GPT-2 checkpoint (default: beside the model)")
	single := fs.Bool("float32", false, "compute in float32 (default float64)")
	fs.IntVar(&o.N, "n", 0, "length N of the repeated random block for induction scores (0: min(50, (n_ctx−1)/2))")
	fs.Uint64Var(&o.Seed, "seed", 0, "seed of the repeated block and of the composition baseline")
	fs.StringVar(&o.Name, "name", "", "model name in the report (default: the file name)")
	out := fs.String("o", "", "report `DIR` (required)")
	return func(env *Env, args []string) error {
		switch {
		case len(args) != 1:
			return usagef("interp inspect: want one MODEL.safetensors, got %d arguments", len(args))
		case *out == "":
			return usagef("interp inspect: -o DIR is required")
		case *tokens == "":
			return usagef("interp inspect: --tokens is required")
		}
		toks, err := interp.ParseTokens(*tokens)
		if err != nil {
			return err
		}
		if o.Name == "" {
			o.Name = strings.TrimSuffix(filepath.Base(args[0]), filepath.Ext(args[0]))
			if o.Name == "model" {
				o.Name = filepath.Base(filepath.Dir(args[0]))
			}
		}
		lo := interp.LoadOptions{ConfigPath: *config}
		var s *report.InspectSummary
		if *single {
			s, err = inspect[float32](args[0], lo, *out, toks, o)
		} else {
			s, err = inspect[float64](args[0], lo, *out, toks, o)
		}
		if err != nil {
			return err
		}
		fmt.Fprint(env.Stdout, s.KeyFigures())
		fmt.Fprintf(env.Stdout, "report %s\n", filepath.Join(*out, "report.md"))
		return nil
	}
}

func inspect[T interp.Float](path string, lo interp.LoadOptions, out string, tokens []int, o report.InspectOptions) (*report.InspectSummary, error) {
	p, err := interp.Load[T](path, lo)
	if err != nil {
		return nil, err
	}
	return report.Inspect(out, p, tokens, o)
}
