package studio

import (
	"context"
	"slices"
	"strings"

	"github.com/strand-tn/strand/network"
	"github.com/strand-tn/strand/path"
)

// contraction is the order in which one term's tensors are contracted
// pairwise, with opt_einsum's cost table (see path.Info).
type contraction struct {
	Term     int        `json:"term"`     // index into the statement's terms
	Label    string     `json:"label"`    // "term 1", or "term 1, inside softmax" for a bubble's argument
	Method   string     `json:"method"`   // optimizer that chose the order
	Optimal  bool       `json:"optimal"`  // the order is optimal among pairwise orders
	Operands []string   `json:"operands"` // the tensors, e.g. A[i α β]
	Steps    []pathStep `json:"steps"`
	Flops    string     `json:"flops"`   // Σ_steps FLOPs (opt_einsum's convention)
	Largest  string     `json:"largest"` // elements of the largest intermediate
	Naive    string     `json:"naive"`   // FLOPs of the single-loop evaluation
	Speedup  float64    `json:"speedup"` // Naive / Flops
}

// pathStep is one pairwise contraction: the scene IDs of the tensors on
// either side (intermediates gather the tensors they were made from), the
// legs summed away and the legs of the result.
type pathStep struct {
	A          []string `json:"a"`
	B          []string `json:"b"`
	Expr       string   `json:"expr"` // "A[i α β] v[β] -> [i α]"
	Contracted []string `json:"contracted"`
	Result     []string `json:"result"`
	Flops      string   `json:"flops"`
	Size       string   `json:"size"`
}

// operandSet is a term lowered for path search: copy tensors and
// identities merged away (their legs become one index), each remaining
// operand with its distinct labels and the network node it comes from.
type operandSet struct {
	names  []string
	labels [][]string
	nodes  []int
	output []string
	sizes  map[string]int
}

// lower reads a network as a contraction of data operands. Identities and
// unshifted copy tensors join their labels into one index, as the evaluator
// does (contract never builds them).
func lower(net *network.Network) (*operandSet, error) {
	e, err := net.Einsum()
	if err != nil {
		return nil, err
	}
	parent := map[string]string{}
	var find func(string) string
	find = func(l string) string {
		p, ok := parent[l]
		if !ok || p == l {
			return l
		}
		r := find(p)
		parent[l] = r
		return r
	}
	var data []network.Operand
	for _, op := range e.Operands {
		if (op.Kind == network.Delta || op.Kind == network.Identity) && op.Offsets == nil {
			for _, l := range op.Labels[1:] {
				a, b := find(op.Labels[0]), find(l)
				if a != b {
					parent[b] = a
				}
			}
			continue
		}
		data = append(data, op)
	}
	set := &operandSet{sizes: map[string]int{}}
	for l, s := range e.Sizes {
		set.sizes[find(l)] = s
	}
	for _, op := range data {
		var ls []string
		for _, l := range op.Labels {
			if r := find(l); !slices.Contains(ls, r) {
				ls = append(ls, r)
			}
		}
		set.names = append(set.names, net.Nodes[op.Node].Display())
		set.labels = append(set.labels, ls)
		set.nodes = append(set.nodes, op.Node)
	}
	for _, l := range e.Output {
		set.output = append(set.output, find(l))
	}
	return set, nil
}

// plan is the contraction order of one network, before it is shown on a
// drawing.
type plan struct {
	set  *operandSet
	p    path.Problem
	info *path.Info
}

// planNet finds the contraction order of a network with path.Optimize's
// "auto" method; cancelling ctx ends the search with the best order so far.
// It returns nil when the network has fewer than two tensors to contract,
// or when it cannot be read as one contraction (an output leg joined to
// another by a copy tensor).
func planNet(ctx context.Context, net *network.Network) (*plan, error) {
	set, err := lower(net)
	if err != nil {
		return nil, err
	}
	if len(set.labels) < 2 {
		return nil, nil
	}
	for i, l := range set.output {
		if slices.Contains(set.output[:i], l) {
			return nil, nil
		}
	}
	p, err := path.FromLabels(set.labels, set.output, set.sizes)
	if err != nil {
		return nil, err
	}
	_, info, err := path.OptimizeContext(ctx, p, path.Options{})
	if err != nil {
		return nil, err
	}
	return &plan{set, p, info}, nil
}

// contraction shows a plan on the drawing: ids maps a network node index to
// its scene ID.
func (pl *plan) contraction(ids func(node int) string) *contraction {
	set, p, info := pl.set, pl.p, pl.info
	c := &contraction{Method: info.Method, Optimal: info.Optimal, Flops: info.Flops.String(),
		Largest: info.Largest.String(), Naive: info.Naive.String(), Speedup: info.Speedup}
	name := func(ls []int) string {
		parts := make([]string, len(ls))
		for i, l := range ls {
			parts[i] = p.Names[l]
		}
		return strings.Join(parts, " ")
	}
	// The current list of terms: the scene IDs each was made from, its name
	// ("A", or "(A v)" for an intermediate) and its written form.
	groups := make([][]string, len(set.labels))
	short := slices.Clone(set.names)
	exprs := make([]string, len(set.labels))
	for k := range set.labels {
		groups[k] = []string{ids(set.nodes[k])}
		exprs[k] = set.names[k] + "[" + strings.Join(set.labels[k], " ") + "]"
		c.Operands = append(c.Operands, exprs[k])
	}
	for _, st := range info.Steps {
		step := pathStep{Contracted: labelNames(p, st.Contracted), Result: labelNames(p, st.Result),
			Flops: st.Flops.String(), Size: st.Size.String()}
		var joined, parts, names []string
		for j, pos := range st.Operands {
			if j == 0 {
				step.A = groups[pos]
			} else {
				step.B = append(step.B, groups[pos]...)
			}
			joined = append(joined, groups[pos]...)
			parts = append(parts, exprs[pos])
			names = append(names, short[pos])
		}
		step.Expr = strings.Join(parts, " ") + " -> [" + name(st.Result) + "]"
		groups = append(removeAt(groups, st.Operands), joined)
		short = append(removeAt(short, st.Operands), "("+strings.Join(names, " ")+")")
		exprs = append(removeAt(exprs, st.Operands), short[len(short)-1]+"["+name(st.Result)+"]")
		c.Steps = append(c.Steps, step)
	}
	return c
}

func labelNames(p path.Problem, ls []int) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = p.Names[l]
	}
	return out
}

// removeAt removes the elements at the given positions, keeping the order
// of the rest.
func removeAt[T any](list []T, pos []int) []T {
	out := make([]T, 0, len(list))
	for i, x := range list {
		if !slices.Contains(pos, i) {
			out = append(out, x)
		}
	}
	return out
}
