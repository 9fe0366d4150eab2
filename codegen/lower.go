package codegen

import (
	"fmt"
	"maps"
	"slices"

	"github.com/strand-tn/strand/network"
	"github.com/strand-tn/strand/path"
)

// Contraction is one product network read as a single einsum over the tensors
// that carry data, the way strand's evaluator executes it:
//
//	out[Output…] = Factor · Σ_{other labels} Π_k Operands[k][Legs_k…]
//
// Identity and copy (δ) tensors are not operands: the labels they join become
// one label (named after the first), so a hyperedge is one label shared by
// several operands and a copy tensor between two legs of one operand makes a
// diagonal. A label joined only by copy tensors, on no operand and not in the
// output, contributes the factor of its size.
type Contraction struct {
	Inputs   []Input   // the tensors read, in order (the order of the operands' files)
	Operands []Operand // the factors, in the order a path's positions refer to
	// Output lists the merged label of every output label, in order. Two
	// output labels joined by a copy tensor give the same label twice, and a
	// label only a copy tensor carries is on no operand: such outputs are not a
	// plain einsum (see [Contraction.Plain]).
	Output   []string
	OutShape []int          // shape of the result: the network's output axes (grouped legs flattened)
	Sizes    map[string]int // size of every merged label
	Factor   float64
}

// Input is a tensor the contraction reads.
type Input struct {
	Name  string
	Shape []int
}

// Operand is one factor: the lowered operand of the network, its data axes
// split into elementary axes (Dims, Split) whose Labels are the merged index
// classes (a repeat is a diagonal).
type Operand struct {
	network.Operand
	Index int // index into Contraction.Inputs; -1 when the data is not an input
}

// Lower reads a product network as a Contraction. Data operands that are not
// inputs (function bubbles, shifted copy tensors, tensors defined by earlier
// statements) are kept, with Index −1: a path can order them, but [Generate]
// cannot load them.
func Lower(n *network.Network) (*Contraction, error) {
	low, err := n.Einsum()
	if err != nil {
		return nil, err
	}
	m := low.Merge()
	c := &Contraction{Sizes: m.Sizes, Factor: m.Factor, Output: m.Output, OutShape: n.OutShape()}
	inputs := map[int]int{} // network input → index in c.Inputs
	for _, op := range m.Operands {
		o := Operand{Operand: op, Index: -1}
		if op.Input >= 0 && op.Kind.HasData() && op.Offsets == nil {
			idx, seen := inputs[op.Input]
			if !seen {
				idx = len(c.Inputs)
				inputs[op.Input] = idx
				c.Inputs = append(c.Inputs, Input{Name: op.Name, Shape: o.DataShape()})
			}
			o.Index = idx
		}
		c.Operands = append(c.Operands, o)
	}
	// Inputs in the network's order, whatever the order of first use.
	order := slices.Sorted(maps.Keys(inputs))
	remap := make([]int, len(c.Inputs))
	sorted := make([]Input, len(c.Inputs))
	for i, in := range order {
		remap[inputs[in]] = i
		sorted[i] = c.Inputs[inputs[in]]
	}
	c.Inputs = sorted
	for k := range c.Operands {
		if c.Operands[k].Index >= 0 {
			c.Operands[k].Index = remap[c.Operands[k].Index]
		}
	}
	return c, nil
}

// DataShape is the shape of the operand's data: each data axis is the
// row-major flattening of its Split elementary axes.
func (o Operand) DataShape() []int {
	shape := make([]int, len(o.Split))
	k := 0
	for a, s := range o.Split {
		shape[a] = 1
		for _, d := range o.Dims[k : k+s] {
			shape[a] *= d
		}
		k += s
	}
	return shape
}

// labels returns the operand's distinct labels in order of first appearance,
// leaving out broadcast axes (size 1 where the label is larger): the labels
// the operand carries once its diagonals are taken.
func (o Operand) labels(sizes map[string]int) []string {
	var out []string
	for a, l := range o.Labels {
		if o.broadcast(a, sizes) || slices.Contains(out, l) {
			continue
		}
		out = append(out, l)
	}
	return out
}

// broadcast reports whether elementary axis a has size 1 against a larger label.
func (o Operand) broadcast(a int, sizes map[string]int) bool {
	return o.Dims[a] == 1 && sizes[o.Labels[a]] != 1
}

// Plain reports whether the output is a plain einsum output: distinct labels,
// each carried by some operand. Otherwise the result is the einsum of the
// distinct labels embedded on a diagonal or broadcast, which [Generate] does
// not write.
func (c *Contraction) Plain() error {
	for i, l := range c.Output {
		if slices.Contains(c.Output[:i], l) {
			return fmt.Errorf("codegen: output legs %s are joined by a copy tensor (a diagonal output)", l)
		}
		found := false
		for _, op := range c.Operands {
			found = found || slices.Contains(op.labels(c.Sizes), l)
		}
		if !found {
			return fmt.Errorf("codegen: output leg %s is on no tensor (a broadcast output)", l)
		}
	}
	return nil
}

// Problem is the contraction as index sets and sizes for package path: one
// input per operand with its distinct labels (diagonals taken, broadcast axes
// dropped), the distinct output labels found on some operand.
func (c *Contraction) Problem() (path.Problem, error) {
	inputs := make([][]string, len(c.Operands))
	present := map[string]bool{}
	for k, op := range c.Operands {
		inputs[k] = op.labels(c.Sizes)
		for _, l := range inputs[k] {
			present[l] = true
		}
	}
	var output []string
	for _, l := range c.Output {
		if present[l] && !slices.Contains(output, l) {
			output = append(output, l)
		}
	}
	p, err := path.FromLabels(inputs, output, c.Sizes)
	if err != nil {
		return path.Problem{}, fmt.Errorf("codegen: %w", err)
	}
	return p, nil
}
