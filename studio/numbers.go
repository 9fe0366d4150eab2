package studio

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"

	"github.com/strand-tn/strand"
	"github.com/strand-tn/strand/contract"
	"github.com/strand-tn/strand/network"
	"github.com/strand-tn/strand/notation"
	"github.com/strand-tn/strand/path"
	"github.com/strand-tn/strand/tensor"
	"github.com/strand-tn/strand/tensorio"
)

// evalRequest asks for the numbers of a text: every statement evaluated on
// the uploaded tensors (.npy files, base64-encoded, by tensor name) and
// seeded random values of their kind for the others.
type evalRequest struct {
	Text   string            `json:"text"`
	Seed   uint64            `json:"seed"`
	Inputs map[string]string `json:"inputs"`
}

// numbers is the outcome of an evaluation.
type numbers struct {
	Errors  []problem      `json:"errors"`
	Assumed map[string]int `json:"assumed"`
	Seed    uint64         `json:"seed"`
	Inputs  []inputView    `json:"inputs"`
	Results []valueView    `json:"results"`
	Flops   float64        `json:"flops"` // the estimate checked against Options.MaxFlops
}

// inputView is a tensor the text reads and where its values came from.
type inputView struct {
	Name   string `json:"name"`
	Shape  []int  `json:"shape"`
	Source string `json:"source"` // "random" or "uploaded"
	Kind   string `json:"kind"`
}

// valueView is the value of one statement, or the check of an equation.
type valueView struct {
	Statement int      `json:"statement"`
	Line      int      `json:"line"`
	Source    string   `json:"source"`
	Kind      string   `json:"kind"`
	Name      string   `json:"name,omitempty"`
	Legs      []string `json:"legs"`
	Shape     []int    `json:"shape"`
	Size      int      `json:"size"`
	// Values prints the value, numpy-style, when it has at most
	// maxShownValues elements.
	Values   string     `json:"values,omitempty"`
	Norm     jsonFloat  `json:"norm"`
	Equation *checkView `json:"equation,omitempty"`
}

// checkView is an equation's numerical check: max |lhs − rhs| against the
// tolerance, and whether the relation (== or ≠) holds.
type checkView struct {
	Relation  string    `json:"relation"`
	Pass      bool      `json:"pass"`
	MaxError  jsonFloat `json:"maxError"`
	Tolerance jsonFloat `json:"tolerance"`
}

// maxShownValues is the largest result whose values are sent.
const maxShownValues = 256

// jsonFloat is a float64 that encodes NaN and ±Inf as the strings "NaN",
// "+Inf" and "-Inf", which JSON numbers cannot be.
type jsonFloat float64

func (f jsonFloat) MarshalJSON() ([]byte, error) {
	x := float64(f)
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return json.Marshal(strconv.FormatFloat(x, 'g', -1, 64))
	}
	return json.Marshal(x)
}

// evaluate runs every statement of the text. Before any tensor is made it
// checks the budgets: the estimated FLOPs of all contractions against
// Options.MaxFlops and the bytes of the inputs against Options.MemoryLimit,
// which also bounds every intermediate during the contraction.
func (s *Server) evaluate(ctx context.Context, req *evalRequest) (*numbers, error) {
	limit := s.opts.memoryLimit()
	uploads := map[string]*tensor.Dense[float64]{}
	shapes := map[string][]int{}
	for _, name := range sortedKeys(req.Inputs) {
		raw, err := base64.StdEncoding.DecodeString(req.Inputs[name])
		if err != nil {
			return nil, &httpError{400, fmt.Sprintf("studio: input %s: not base64: %v", name, err)}
		}
		t, err := tensorio.ReadNPYWith[float64](bytes.NewReader(raw), tensorio.Options{MaxBytes: limit})
		if err != nil {
			return nil, &httpError{422, fmt.Sprintf("studio: input %s: %v", name, err)}
		}
		uploads[name], shapes[name] = t, t.Shape()
	}
	d, err := compile(req.Text, shapes, s.opts.defaultSize())
	out := &numbers{Errors: []problem{}, Assumed: d.assumed, Seed: req.Seed, Inputs: []inputView{}, Results: []valueView{}}
	if err != nil {
		out.Errors = problems(req.Text, err)
		return out, nil
	}
	if len(d.stmts) == 0 {
		out.Errors = []problem{{Msg: "studio: " + d.note, Offset: -1}}
		return out, nil
	}
	if out.Flops, err = estimateFlops(d); err != nil {
		out.Errors = problems(req.Text, err)
		return out, nil
	}
	if out.Flops > s.opts.maxFlops() {
		return nil, &httpError{422, fmt.Sprintf("studio: evaluating this text needs about %.3g floating-point operations, over the studio's budget of %.3g (Options.MaxFlops, --max-flops); declare smaller sizes", out.Flops, s.opts.maxFlops())}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	opts := strand.Options{MemoryLimit: limit, Axes: d.assumed}
	if d.prog != nil {
		err = s.evalProgram(d, uploads, req.Seed, opts, out)
	} else {
		err = s.evalEinsum(d, uploads, req.Seed, opts, out)
	}
	if err != nil {
		var me *contract.MemoryError
		if errors.As(err, &me) {
			return nil, &httpError{422, "studio: " + err.Error() + " (Options.MemoryLimit, --memory-limit)"}
		}
		out.Errors = problems(req.Text, err)
	}
	return out, nil
}

// evalProgram evaluates an index-notation program statement by statement.
func (s *Server) evalProgram(d *doc, uploads map[string]*tensor.Dense[float64], seed uint64, opts strand.Options, out *numbers) error {
	var total int64
	for _, in := range d.prog.Inputs {
		if uploads[in.Name] == nil {
			total += bytesOf(in.Shape)
		}
	}
	if total > opts.MemoryLimit {
		return &contract.MemoryError{Legs: []string{"the random inputs"}, Bytes: total, Limit: opts.MemoryLimit}
	}
	ops, err := strand.RandomInputs(d.prog, seed)
	if err != nil {
		return err
	}
	kinds := inputKinds(d.prog)
	for k, in := range d.prog.Inputs {
		v := inputView{Name: in.Name, Shape: ops[k].Shape(), Source: "random", Kind: kinds[in.Name]}
		if t := uploads[in.Name]; t != nil {
			ops[k], v.Source, v.Shape = t, "uploaded", t.Shape()
		}
		out.Inputs = append(out.Inputs, v)
	}
	if err := unread(uploads, out.Inputs); err != nil {
		return err
	}
	results, err := strand.Run(d.ast, opts, ops...)
	for i, r := range results {
		out.Results = append(out.Results, s.valueOf(d, d.stmts[i], r.Value, &r))
	}
	return err
}

// unread refuses an upload that names no tensor the text reads.
func unread(uploads map[string]*tensor.Dense[float64], inputs []inputView) error {
	for _, name := range sortedKeys(uploads) {
		if !slices.ContainsFunc(inputs, func(in inputView) bool { return in.Name == name }) {
			return fmt.Errorf("studio: a tensor named %s was uploaded, but the text reads no tensor of that name", name)
		}
	}
	return nil
}

// inputKinds gives the kind of each input tensor as the program uses it,
// inside bubbles too.
func inputKinds(p *network.Program) map[string]string {
	kinds := map[string]string{}
	var walk func(x *network.Expr)
	walk = func(x *network.Expr) {
		if x == nil {
			return
		}
		for _, t := range x.Terms {
			for _, n := range t.Net.Nodes {
				if n.Input >= 0 && n.Input < len(p.Inputs) {
					if _, ok := kinds[p.Inputs[n.Input].Name]; !ok {
						kinds[p.Inputs[n.Input].Name] = n.Kind.String()
					}
				}
				if n.Bubble != nil {
					for _, a := range n.Bubble.Args {
						walk(a)
					}
				}
			}
		}
	}
	for _, st := range p.Statements {
		walk(st.LHS)
		walk(st.RHS)
	}
	return kinds
}

// evalEinsum evaluates an einsum equation or pasted call on its operands,
// random standard normal where none was uploaded.
func (s *Server) evalEinsum(d *doc, uploads map[string]*tensor.Dense[float64], seed uint64, opts strand.Options, out *numbers) error {
	var total int64
	for _, sh := range d.shapes {
		total += bytesOf(sh)
	}
	if total > opts.MemoryLimit {
		return &contract.MemoryError{Legs: []string{"the operands"}, Bytes: total, Limit: opts.MemoryLimit}
	}
	r := tensor.NewRand(seed)
	var ops []*tensor.Dense[float64]
	for _, n := range d.stmts[0].rhs.Terms[0].Net.Nodes {
		if n.Input < 0 {
			continue
		}
		t, src := uploads[n.Name], "uploaded"
		if t == nil {
			t, src = tensor.RandNormal[float64](r, d.shapes[n.Input]...), "random"
		}
		ops = append(ops, t)
		out.Inputs = append(out.Inputs, inputView{Name: n.Name, Shape: t.Shape(), Source: src, Kind: network.General.String()})
	}
	if err := unread(uploads, out.Inputs); err != nil {
		return err
	}
	v, err := strand.EinsumWith(d.text, opts, ops...)
	if err != nil {
		return err
	}
	out.Results = append(out.Results, s.valueOf(d, d.stmts[0], v, nil))
	// The view copies what it shows: the next evaluation (the next
	// keystroke) may reuse the result's memory.
	strand.Recycle(v)
	return nil
}

// valueOf describes a statement's value, and for an equation its check.
func (s *Server) valueOf(d *doc, st *stmt, v *tensor.Dense[float64], r *strand.Result[float64]) valueView {
	line, _ := notation.LineCol(d.text, st.pos)
	out := valueView{Statement: st.index, Line: line, Source: sourceLine(d.text, st.pos), Kind: st.kind.String(),
		Name: st.name, Legs: []string{}, Shape: v.Shape(), Size: v.Size(), Norm: jsonFloat(v.Norm())}
	for _, g := range st.rhs.OutputGroups {
		out.Legs = append(out.Legs, network.Leg{Labels: g}.String())
	}
	if v.Size() <= maxShownValues {
		out.Values = v.String()
		if v.Rank() == 0 {
			out.Values = strconv.FormatFloat(v.Item(), 'g', 10, 64)
		}
	}
	if r != nil && r.LHS != nil {
		rel := "=="
		if st.rel == notation.RelNotEqual {
			rel = "!="
		}
		out.Equation = &checkView{Relation: rel, Pass: r.Pass, MaxError: jsonFloat(r.MaxError), Tolerance: jsonFloat(r.Tolerance)}
	}
	return out
}

// estimateFlops adds up the FLOPs of every contraction the evaluation will
// do, along the greedy order the evaluator plans (bubbles' arguments
// included).
func estimateFlops(d *doc) (float64, error) {
	total := 0.0
	var walk func(x *network.Expr) error
	walk = func(x *network.Expr) error {
		if x == nil {
			return nil
		}
		for _, t := range x.Terms {
			f, err := greedyFlops(t.Net)
			if err != nil {
				return err
			}
			total += f
			for _, n := range t.Net.Nodes {
				if n.Bubble == nil {
					continue
				}
				for _, a := range n.Bubble.Args {
					if err := walk(a); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}
	for _, st := range d.stmts {
		if err := walk(st.lhs); err != nil {
			return 0, err
		}
		if err := walk(st.rhs); err != nil {
			return 0, err
		}
	}
	return total, nil
}

// greedyFlops is the cost of one network along path.Greedy's order; a
// network of one operand costs the size of that operand.
func greedyFlops(net *network.Network) (float64, error) {
	set, err := lower(net)
	if err != nil {
		return 0, err
	}
	if len(set.labels) < 2 {
		f := 1.0
		for _, ls := range set.labels {
			for _, l := range ls {
				f *= float64(set.sizes[l])
			}
		}
		return f, nil
	}
	p, err := path.FromLabels(set.labels, dedupe(set.output), set.sizes)
	if err != nil {
		return 0, err
	}
	info, err := path.Analyze(p, path.Greedy(p))
	if err != nil {
		return 0, err
	}
	return info.Cost().Flops, nil
}

func dedupe(list []string) []string {
	var out []string
	for _, x := range list {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// bytesOf is the size of a float64 tensor of the shape, saturating.
func bytesOf(shape []int) int64 {
	n := int64(8)
	for _, d := range shape {
		if d > 0 && n > math.MaxInt64/int64(d) {
			return math.MaxInt64
		}
		n *= int64(d)
	}
	return n
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
