package codegen

import (
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/strand-tn/strand/network"
	"github.com/strand-tn/strand/path"
)

// script is a contraction ready to be written: the preparation of every
// operand, the steps of the path on per-slice labels, the slicing and the
// finish.
type script struct {
	c      *Contraction
	info   *path.Info
	prep   [][]prepStep // per operand, from its input to its prepared form
	labels [][]string   // per operand, its labels once prepared (distinct, in order)
	sliced []string     // labels fixed per slice
	steps  []step
	output []string // output labels (distinct)
}

// prepKind is one kind of preparation of an operand.
type prepKind int

const (
	prepConj    prepKind = iota // complex conjugate
	prepInverse                 // matrix inverse of the two data axes
	prepReshape                 // split grouped axes: reshape to shape
	prepIndex                   // drop broadcast axes: index[a] is ":" or "0"
	prepEinsum                  // take diagonals: einsum of eq
)

type prepStep struct {
	kind  prepKind
	shape []int
	index []string
	eq    string
}

// step is one einsum call of the per-slice path (sliced labels left out).
type step struct {
	operands []int      // positions in the current list of terms (the path's step)
	args     []string   // variable names of the operands
	inputs   [][]string // their labels
	result   []string   // labels of the result
	out      string     // variable name of the result
	flops    string     // per-slice FLOPs ("" for a step added to permute the result)
}

// build checks that c and info can be written and works out the script.
func build(c *Contraction, info *path.Info) (*script, error) {
	if len(c.Operands) == 0 {
		return nil, fmt.Errorf("codegen: the contraction has no tensor with data")
	}
	if err := c.Plain(); err != nil {
		return nil, err
	}
	for _, op := range c.Operands {
		if op.Index < 0 {
			return nil, fmt.Errorf("codegen: %s is not an input tensor (%s): a generated script reads only input files", op.Name, notInput(op))
		}
	}
	if err := info.Path.Check(len(c.Operands)); err != nil {
		return nil, fmt.Errorf("codegen: %w", err)
	}
	if len(info.Problem.Inputs) != len(c.Operands) {
		return nil, fmt.Errorf("codegen: the path is for %d operands, the contraction has %d", len(info.Problem.Inputs), len(c.Operands))
	}
	s := &script{c: c, info: info}
	for _, l := range info.Sliced {
		s.sliced = append(s.sliced, info.Problem.Names[l])
	}
	for _, l := range c.Output {
		if !slices.Contains(s.output, l) {
			s.output = append(s.output, l)
		}
	}
	for _, op := range c.Operands {
		prep, labels, err := prepare(op, c.Sizes)
		if err != nil {
			return nil, err
		}
		s.prep = append(s.prep, prep)
		s.labels = append(s.labels, labels)
	}
	return s, s.planSteps()
}

// notInput says why an operand has no input file.
func notInput(op Operand) string {
	switch {
	case op.Kind == network.Function:
		return "a function bubble"
	case op.Offsets != nil:
		return "a shifted copy tensor"
	}
	return "defined by another statement"
}

// prepare lists the steps that turn an input into the operand: conjugate,
// inverse, reshape of grouped axes, broadcast axes indexed at 0, diagonals.
func prepare(op Operand, sizes map[string]int) ([]prepStep, []string, error) {
	var out []prepStep
	if op.Conj {
		out = append(out, prepStep{kind: prepConj})
	}
	if op.Inverse {
		out = append(out, prepStep{kind: prepInverse})
	}
	if len(op.Dims) != len(op.Split) {
		out = append(out, prepStep{kind: prepReshape, shape: op.Dims})
	}
	var legs []string
	var index []string
	dropped := false
	for a, l := range op.Labels {
		if op.broadcast(a, sizes) {
			index, dropped = append(index, "0"), true
			continue
		}
		index, legs = append(index, ":"), append(legs, l)
	}
	if dropped {
		out = append(out, prepStep{kind: prepIndex, index: index})
	}
	labels := op.labels(sizes)
	if len(labels) != len(legs) {
		eq, err := equation([][]string{legs}, labels)
		if err != nil {
			return nil, nil, fmt.Errorf("codegen: tensor %s: %w", op.Name, err)
		}
		out = append(out, prepStep{kind: prepEinsum, eq: eq})
	}
	return out, labels, nil
}

// planSteps follows the path on the per-slice labels: each step's result keeps
// the labels still needed (the output's and the remaining terms'), in order of
// appearance, or in the output's order at the last step.
func (s *script) planSteps() error {
	type term struct {
		name   string
		labels []string
	}
	terms := make([]term, len(s.labels))
	for k, ls := range s.labels {
		terms[k] = term{fmt.Sprintf("x%d", k), s.unsliced(ls)}
	}
	n := len(terms)
	for i, pos := range s.info.Path {
		st := step{operands: pos, out: fmt.Sprintf("x%d", n+i), flops: s.info.Steps[i].Flops.String()}
		var union []string
		for _, p := range pos {
			st.args = append(st.args, terms[p].name)
			st.inputs = append(st.inputs, terms[p].labels)
			for _, l := range terms[p].labels {
				if !slices.Contains(union, l) {
					union = append(union, l)
				}
			}
		}
		var rest []term
		for j, t := range terms {
			if !slices.Contains(pos, j) {
				rest = append(rest, t)
			}
		}
		if len(rest) == 0 {
			st.result = s.output
		} else {
			for _, l := range union {
				needed := slices.Contains(s.output, l)
				for _, t := range rest {
					needed = needed || slices.Contains(t.labels, l)
				}
				if needed {
					st.result = append(st.result, l)
				}
			}
		}
		s.steps = append(s.steps, st)
		terms = append(rest, term{st.out, st.result})
	}
	if last := terms[0]; !slices.Equal(last.labels, s.output) {
		// A path without steps leaves the one operand in its own order.
		s.steps = append(s.steps, step{operands: []int{0}, args: []string{last.name},
			inputs: [][]string{last.labels}, result: s.output, out: fmt.Sprintf("x%d", n+len(s.info.Path))})
	}
	for i, st := range s.steps {
		if _, err := equation(st.inputs, st.result); err != nil {
			return fmt.Errorf("codegen: step %d: %w", i+1, err)
		}
	}
	return nil
}

// unsliced returns labels without the sliced ones.
func (s *script) unsliced(labels []string) []string {
	return slices.DeleteFunc(slices.Clone(labels), func(l string) bool { return slices.Contains(s.sliced, l) })
}

// letters are the labels einsum accepts.
const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

// equation writes an einsum equation over the given terms, renaming the labels
// to letters in order of first appearance.
func equation(inputs [][]string, result []string) (string, error) {
	var seen []string
	letter := func(l string) byte {
		i := slices.Index(seen, l)
		if i < 0 {
			i = len(seen)
			seen = append(seen, l)
		}
		if i < len(letters) {
			return letters[i]
		}
		return '?'
	}
	var b strings.Builder
	for k, in := range inputs {
		if k > 0 {
			b.WriteByte(',')
		}
		for _, l := range in {
			b.WriteByte(letter(l))
		}
	}
	b.WriteString("->")
	for _, l := range result {
		b.WriteByte(letter(l))
	}
	if len(seen) > len(letters) {
		return "", fmt.Errorf("%d labels in one einsum call, more than its %d letters", len(seen), len(letters))
	}
	return b.String(), nil
}

// outDims is the shape of run_path's result: one axis per output label.
func (s *script) outDims() []int {
	dims := make([]int, len(s.output))
	for i, l := range s.output {
		dims[i] = s.c.Sizes[l]
	}
	return dims
}

// sliceSizes is the size of every sliced label.
func (s *script) sliceSizes() []int {
	dims := make([]int, len(s.sliced))
	for i, l := range s.sliced {
		dims[i] = s.c.Sizes[l]
	}
	return dims
}

// pyTuple writes ints as a Python tuple: (), (2,), (2, 3).
func pyTuple(v []int) string {
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = strconv.Itoa(x)
	}
	if len(v) == 1 {
		return "(" + parts[0] + ",)"
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// pyString writes s as a Python string literal (Go's escapes are Python's).
func pyString(s string) string { return strconv.Quote(s) }

// count writes an exact count, with its float value when long.
func count(b *big.Int) string {
	s := b.String()
	if len(s) <= 12 {
		return s
	}
	f, _ := new(big.Float).SetInt(b).Float64()
	return fmt.Sprintf("%s (%.3e)", s, f)
}
