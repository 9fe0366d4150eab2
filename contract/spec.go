package contract

import (
	"fmt"
	"slices"
	"strings"

	"github.com/strand-tn/strand/tensor"
)

// Spec describes a contraction by labels: Inputs[k] names the axes of operand k
// and Output names the axes of the result, in order. A label may appear in any
// number of operands (twice in one operand means its diagonal) and at most once
// in Output; every output label must appear in some operand.
type Spec struct {
	Inputs [][]string
	Output []string
}

// String renders the spec in einops form: "i j, j k -> i k".
func (s Spec) String() string {
	terms := make([]string, len(s.Inputs))
	for k, in := range s.Inputs {
		terms[k] = strings.Join(in, " ")
	}
	return strings.Join(terms, ", ") + " -> " + strings.Join(s.Output, " ")
}

// ShapeError reports an operand whose axis disagrees with the size of its label
// elsewhere in the contraction.
type ShapeError struct {
	Operand int    // operand index
	Label   string // the label of the offending axis
	Got     int    // the axis size of this operand
	Want    int    // the label's size established by other operands
}

func (e *ShapeError) Error() string {
	return fmt.Sprintf("contract: operand %d: leg %q has size %d, but it is %d elsewhere", e.Operand, e.Label, e.Got, e.Want)
}

// problem is a Spec with labels numbered 0..n-1 and sizes resolved against
// concrete operand shapes.
type problem struct {
	names  []string // label number → name
	inputs [][]int
	output []int
	sizes  []int // label number → size (the broadcast size)
}

// resolve numbers the labels and checks the spec against the operand shapes.
// A labelled axis of size 1 broadcasts against a larger size, as in numpy.
func resolve(s Spec, shapes [][]int) (*problem, error) {
	if len(s.Inputs) != len(shapes) {
		return nil, fmt.Errorf("contract: %d operands given for %d terms", len(shapes), len(s.Inputs))
	}
	p := &problem{}
	ids := map[string]int{}
	id := func(name string) int {
		if n, ok := ids[name]; ok {
			return n
		}
		ids[name] = len(p.names)
		p.names = append(p.names, name)
		p.sizes = append(p.sizes, 1)
		return ids[name]
	}
	for k, in := range s.Inputs {
		if len(in) != len(shapes[k]) {
			return nil, fmt.Errorf("contract: operand %d has %d axes but its term %q names %d", k, len(shapes[k]), strings.Join(in, " "), len(in))
		}
		labels := make([]int, len(in))
		for a, name := range in {
			labels[a] = id(name)
		}
		p.inputs = append(p.inputs, labels)
	}
	// Sizes: the largest size seen; every other size must equal it or be 1.
	for k, in := range p.inputs {
		for a, l := range in {
			p.sizes[l] = max(p.sizes[l], shapes[k][a])
		}
	}
	for k, in := range p.inputs {
		for a, l := range in {
			if d := shapes[k][a]; d != 0 && d != p.sizes[l] && d != 1 {
				return nil, &ShapeError{Operand: k, Label: p.names[l], Got: d, Want: p.sizes[l]}
			}
		}
	}
	for k, in := range p.inputs {
		for a, l := range in {
			if shapes[k][a] == 0 {
				p.sizes[l] = 0
			}
		}
	}
	// A zero-size label forces size 0 everywhere; re-check that nothing disagrees.
	for k, in := range p.inputs {
		for a, l := range in {
			if d := shapes[k][a]; p.sizes[l] == 0 && d != 0 && d != 1 {
				return nil, &ShapeError{Operand: k, Label: p.names[l], Got: d, Want: 0}
			}
		}
	}
	seen := map[int]bool{}
	for _, name := range s.Output {
		l, ok := ids[name]
		if !ok {
			return nil, fmt.Errorf("contract: output leg %q appears in no operand", name)
		}
		if seen[l] {
			return nil, fmt.Errorf("contract: output leg %q appears twice", name)
		}
		seen[l] = true
		p.output = append(p.output, l)
	}
	return p, nil
}

func (p *problem) shapeOf(labels []int) []int {
	s := make([]int, len(labels))
	for i, l := range labels {
		s[i] = p.sizes[l]
	}
	return s
}

// elements returns Π sizes of labels, saturating at maxInt64.
func (p *problem) elements(labels []int) int64 {
	n := int64(1)
	for _, l := range labels {
		d := int64(p.sizes[l])
		if d == 0 {
			return 0
		}
		if n > (1<<63-1)/d {
			return 1<<63 - 1
		}
		n *= d
	}
	return n
}

func shapesOf[T tensor.Elem](ops []*tensor.Dense[T]) [][]int {
	s := make([][]int, len(ops))
	for k, op := range ops {
		s[k] = op.Shape()
	}
	return s
}

func contains(labels []int, l int) bool { return slices.Contains(labels, l) }
