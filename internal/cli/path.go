package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/strand-tn/strand/codegen"
	"github.com/strand-tn/strand/network"
	"github.com/strand-tn/strand/notation"
	"github.com/strand-tn/strand/path"
)

func init() {
	register(&Command{
		Name:    "path",
		Usage:   "(EXPR --shapes 2x3,3x4 | --network FILE.json) [--optimize NAME] [--max-time 5s] [--memory-limit N] [--json]",
		Summary: "find a contraction order and report its cost step by step (opt_einsum's FLOP convention)",
		Flags: func(fs *flag.FlagSet) func(*Env, []string) error {
			var pf planFlags
			pf.register(fs)
			shapes := shapesFlag{}
			fs.Var(&shapes, "shapes", "operand shapes in order, `2x3,3x4` (() for a scalar); index notation takes sizes from its dim lines")
			axes := axesFlag{}
			fs.Var(axes, "axis", "size of a leg index notation does not declare, `name=size` (repeatable)")
			file := fs.String("network", "", "read the contraction from a network `FILE.json`: {\"inputs\": [[\"i\",\"j\"],...], \"output\": [...], \"size_dict\": {...}}")
			asJSON := fs.Bool("json", false, "print {\"path\": [[i,j],...], \"flops\": N, \"largest_intermediate\": N, \"write\": N, \"slices\": [...], ...}")
			return func(env *Env, args []string) error {
				var nets []titledProblem
				switch {
				case *file != "" && len(args) > 0:
					return usagef("give either EXPR or --network FILE.json, not both")
				case *file != "":
					p, err := readNetworkFile(*file)
					if err != nil {
						return err
					}
					nets = []titledProblem{{problem: p}}
				case len(args) == 1:
					src, err := readSource(args[0])
					if err != nil {
						return err
					}
					cs, err := contractionsOf(src, shapes.shapes, axes)
					if err != nil {
						return err
					}
					for _, c := range cs {
						// A program's one-tensor statements have nothing to order.
						if len(c.Operands) < 2 && len(cs) > 1 {
							continue
						}
						p, err := c.Problem()
						if err != nil {
							return err
						}
						nets = append(nets, titledProblem{title: c.title, problem: p})
					}
					if len(nets) == 0 {
						return fmt.Errorf("the program has no product of tensors to order")
					}
				default:
					return usagef("path needs one EXPR or --network FILE.json")
				}
				return runPath(env, nets, pf, *asJSON)
			}
		},
	})
}

// planFlags are the path-search flags shared by path and codegen.
type planFlags struct {
	method    string
	objective string
	maxTime   time.Duration
	limit     elementsFlag
	seed      uint64
}

func (pf *planFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&pf.method, "optimize", "auto", "path optimizer: "+strings.Join(path.Methods(), ", "))
	fs.StringVar(&pf.objective, "objective", "flops", "what the search minimises: flops, size, write or combo (flops + 64·write)")
	fs.DurationVar(&pf.maxTime, "max-time", 0, "bound the search, e.g. `5s` (default: auto-hq 30s, the other methods their own budgets)")
	fs.Var(&pf.limit, "memory-limit", "the most elements any intermediate may hold, `N` (1e6, 2^20, or bytes of float64 such as 1GiB); labels are sliced to fit")
	fs.Uint64Var(&pf.seed, "seed", 0, "seed of the random-greedy trials")
}

// options turns the flags into path.Options.
func (pf *planFlags) options() (path.Options, error) {
	obj, err := path.ParseObjective(pf.objective)
	if err != nil {
		return path.Options{}, err
	}
	return path.Options{Method: pf.method, Objective: obj, MaxTime: pf.maxTime, MemoryLimit: int64(pf.limit), Seed: pf.seed}, nil
}

// plan runs the search for p, with a progress line on stderr when it is a
// terminal and the search runs long; an interrupt (Ctrl-C) ends the search
// early with the best path found so far.
func (pf *planFlags) plan(env *Env, p path.Problem) (*path.Info, error) {
	opts, err := pf.options()
	if err != nil {
		return nil, err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var prog *progress
	if isTerminal(env.Stderr) {
		prog = newProgress(env.Stderr, opts.Method, progressDelay, progressTick)
		opts.Progress = prog.update
		defer prog.stop()
	}
	_, info, err := path.OptimizeContext(ctx, p, opts)
	return info, err
}

// titledProblem is one contraction to plan; title says where it comes from
// when the input holds several.
type titledProblem struct {
	title   string
	problem path.Problem
}

// runPath plans every contraction and prints the reports.
func runPath(env *Env, nets []titledProblem, pf planFlags, asJSON bool) error {
	var docs []json.RawMessage
	for i, n := range nets {
		info, err := pf.plan(env, n.problem)
		if err != nil {
			return err
		}
		if asJSON {
			b, err := json.Marshal(info)
			if err != nil {
				return err
			}
			if len(nets) > 1 {
				title, _ := json.Marshal(n.title)
				b = slices.Concat([]byte(`{"network":`), title, []byte(","), b[1:])
			}
			docs = append(docs, b)
			continue
		}
		if i > 0 {
			fmt.Fprintln(env.Stdout)
		}
		if n.title != "" && len(nets) > 1 {
			fmt.Fprintf(env.Stdout, "== %s ==\n", n.title)
		}
		fmt.Fprint(env.Stdout, info)
		steps, _ := json.Marshal(info.Path)
		fmt.Fprintf(env.Stdout, "Path (linear format, for strand eval --path): %s\n", steps)
	}
	if !asJSON {
		return nil
	}
	if len(docs) == 1 {
		_, err := fmt.Fprintf(env.Stdout, "%s\n", docs[0])
		return err
	}
	_, err := fmt.Fprintf(env.Stdout, "[%s]\n", slices.Concat(joinRaw(docs)...))
	return err
}

// joinRaw interleaves JSON documents with commas.
func joinRaw(docs []json.RawMessage) [][]byte {
	var out [][]byte
	for i, d := range docs {
		if i > 0 {
			out = append(out, []byte(","))
		}
		out = append(out, d)
	}
	return out
}

// titledContraction is one product network of the input, lowered.
type titledContraction struct {
	*codegen.Contraction
	title string
}

// contractionsOf reads notation (einsum, einops, a pasted call or index
// notation) and returns its contractions: one for an einsum, one per term of
// every statement of a program (function bubbles' arguments first). shapes
// gives the operands' shapes (required for einsum forms); dims gives leg sizes
// index notation does not declare.
func contractionsOf(src string, shapes [][]int, dims map[string]int) ([]titledContraction, error) {
	node, err := notation.Parse(src)
	if err != nil {
		return nil, withSource(err, src)
	}
	var nets []titledContraction
	add := func(title string, n *network.Network) error {
		c, err := codegen.Lower(n)
		if err != nil {
			return withSource(err, src)
		}
		nets = append(nets, titledContraction{c, title})
		return nil
	}
	switch n := node.(type) {
	case *notation.Einsum:
		if shapes == nil {
			return nil, usagef("an einsum expression needs --shapes, one shape per operand (e.g. --shapes 2x3,3x4)")
		}
		net, err := network.FromEinsum(n, shapes)
		if err != nil {
			return nil, withSource(err, src)
		}
		return nets, add("", net)
	case *notation.Call:
		if n.Op != notation.OpEinsum {
			return nil, fmt.Errorf("%s has no contraction to order: it rearranges one tensor", n.Func)
		}
		if shapes == nil {
			return nil, usagef("a pasted einsum call needs --shapes, one shape per operand (e.g. --shapes 2x3,3x4)")
		}
		net, err := network.FromCall(n, shapes)
		if err != nil {
			return nil, withSource(err, src)
		}
		return nets, add("", net)
	case *notation.Program:
		prog, err := network.FromProgram(n, network.ProgramOptions{Operands: shapes, Dims: dims})
		if err != nil {
			return nil, withSource(err, src)
		}
		var walk func(title string, x *network.Expr) error
		walk = func(title string, x *network.Expr) error {
			for k, term := range x.Terms {
				t := title
				if len(x.Terms) > 1 {
					t += fmt.Sprintf(", term %d", k+1)
				}
				for _, node := range term.Net.Nodes {
					if node.Bubble == nil {
						continue
					}
					for _, arg := range node.Bubble.Args {
						if err := walk(t+", argument of "+node.Bubble.Func, arg); err != nil {
							return err
						}
					}
				}
				if err := add(t, term.Net); err != nil {
					return err
				}
			}
			return nil
		}
		for _, st := range prog.Statements {
			line, _ := notation.LineCol(src, st.Pos)
			title := fmt.Sprintf("line %d", line)
			if st.LHS != nil {
				if err := walk(title+", left side", st.LHS); err != nil {
					return nil, err
				}
				title += ", right side"
			}
			if err := walk(title, st.RHS); err != nil {
				return nil, err
			}
		}
		if len(nets) == 0 {
			return nil, fmt.Errorf("the program has no statement to contract")
		}
		return nets, nil
	}
	return nil, fmt.Errorf("cannot read %T as a contraction", node)
}

// networkFile is the benchmark network format (../shared/bench/networks/).
type networkFile struct {
	Inputs   [][]string     `json:"inputs"`
	Output   []string       `json:"output"`
	SizeDict map[string]int `json:"size_dict"`
}

// readNetworkFile reads a network file; a label repeated within one input is
// a diagonal, taken before any contraction, so it counts once.
func readNetworkFile(name string) (path.Problem, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return path.Problem{}, err
	}
	var f networkFile
	if err := json.Unmarshal(b, &f); err != nil {
		return path.Problem{}, fmt.Errorf("%s: %v", name, err)
	}
	if f.Inputs == nil || f.SizeDict == nil {
		return path.Problem{}, fmt.Errorf("%s: want {\"inputs\": [[\"i\",\"j\"],...], \"output\": [...], \"size_dict\": {...}}", name)
	}
	for k, in := range f.Inputs {
		var set []string
		for _, l := range in {
			if !slices.Contains(set, l) {
				set = append(set, l)
			}
		}
		f.Inputs[k] = set
	}
	if f.Output == nil {
		f.Output = []string{}
	}
	p, err := path.FromLabels(f.Inputs, f.Output, f.SizeDict)
	if err != nil {
		return path.Problem{}, fmt.Errorf("%s: %w", name, err)
	}
	return p, nil
}

// shapesFlag reads operand shapes: "2x3,3x4", "()" for a scalar.
type shapesFlag struct{ shapes [][]int }

func (s *shapesFlag) String() string {
	parts := make([]string, len(s.shapes))
	for k, sh := range s.shapes {
		dims := make([]string, len(sh))
		for a, d := range sh {
			dims[a] = strconv.Itoa(d)
		}
		parts[k] = strings.Join(dims, "x")
		if len(sh) == 0 {
			parts[k] = "()"
		}
	}
	return strings.Join(parts, ",")
}

func (s *shapesFlag) Set(v string) error {
	s.shapes = [][]int{}
	for _, part := range strings.Split(v, ",") {
		part = strings.TrimSpace(part)
		shape := []int{}
		if part != "()" {
			for _, d := range strings.Split(part, "x") {
				n, err := strconv.Atoi(strings.TrimSpace(d))
				if err != nil || n < 0 {
					return fmt.Errorf("invalid shape %q (write e.g. 2x3,3x4, or () for a scalar)", part)
				}
				shape = append(shape, n)
			}
		}
		s.shapes = append(s.shapes, shape)
	}
	return nil
}

// elementsFlag is an element count: 1000000, 1e6, 2^20, or a byte size with a
// unit (1GiB, 512MB), counted in float64 elements of 8 bytes.
type elementsFlag int64

func (e *elementsFlag) String() string { return strconv.FormatInt(int64(*e), 10) }

func (e *elementsFlag) Set(s string) error {
	t := strings.TrimSpace(s)
	if base, exp, ok := strings.Cut(t, "^"); ok {
		b, err1 := strconv.ParseFloat(base, 64)
		x, err2 := strconv.ParseFloat(exp, 64)
		if err1 != nil || err2 != nil || b <= 0 || math.Pow(b, x) >= 1<<62 {
			return fmt.Errorf("invalid element count %q (write e.g. 1e6, 2^20 or 1GiB)", s)
		}
		*e = elementsFlag(math.Pow(b, x))
		return nil
	}
	if strings.TrimRight(t, "0123456789.eE+-") != "" {
		n, err := parseBytes(t)
		if err != nil {
			return fmt.Errorf("invalid element count %q (write e.g. 1e6, 2^20 or 1GiB)", s)
		}
		*e = elementsFlag(n / 8)
		return nil
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || v < 0 || v >= 1<<62 {
		return fmt.Errorf("invalid element count %q (write e.g. 1e6, 2^20 or 1GiB)", s)
	}
	*e = elementsFlag(v)
	return nil
}

// Progress display for long searches.
const (
	progressDelay = 500 * time.Millisecond // searches shorter than this print nothing
	progressTick  = 200 * time.Millisecond // redraw interval
)

// isTerminal reports whether w is a character device (a terminal; /dev/null
// too, where the progress line is harmless).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// progress redraws one line with the best cost found so far until stopped,
// then erases it.
type progress struct {
	w      io.Writer
	method string
	start  time.Time
	done   chan struct{}
	wg     sync.WaitGroup

	mu    sync.Mutex
	best  path.Cost
	found bool
}

func newProgress(w io.Writer, method string, delay, tick time.Duration) *progress {
	p := &progress{w: w, method: method, start: time.Now(), done: make(chan struct{})}
	p.wg.Add(1)
	go p.loop(delay, tick)
	return p
}

// update records a better cost; it is path.Options.Progress, called with the
// search's lock held, so it only stores.
func (p *progress) update(c path.Cost) {
	p.mu.Lock()
	p.best, p.found = c, true
	p.mu.Unlock()
}

func (p *progress) loop(delay, tick time.Duration) {
	defer p.wg.Done()
	select {
	case <-p.done:
		return
	case <-time.After(delay):
	}
	t := time.NewTicker(tick)
	defer t.Stop()
	drawn := false
	for {
		if line := p.line(); line != "" {
			fmt.Fprintf(p.w, "\r\033[K%s", line)
			drawn = true
		}
		select {
		case <-p.done:
			if drawn {
				fmt.Fprint(p.w, "\r\033[K")
			}
			return
		case <-t.C:
		}
	}
}

// line is the progress text: "path: auto-hq, 3.2 s, best 1.234e+08 FLOPs
// (largest intermediate 4.096e+03)", or "" before any path is found.
func (p *progress) line() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.found {
		return ""
	}
	return fmt.Sprintf("path: %s, %.1f s, best %.4g FLOPs (largest intermediate %.4g)",
		p.method, time.Since(p.start).Seconds(), p.best.Flops, p.best.Largest)
}

func (p *progress) stop() {
	close(p.done)
	p.wg.Wait()
}
