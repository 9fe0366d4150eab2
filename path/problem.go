package path

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Problem is one contraction: Inputs[k] lists the labels of operand k, Output lists
// the labels of the result in order, and Sizes[label] is the dimension of label.
// Labels are integers in [0, len(Sizes)). A label may appear in several inputs and
// in the output, but at most once per input and once in the output (take diagonals
// before building a Problem). Names, when not nil, gives a display name per label.
type Problem struct {
	Inputs [][]int
	Output []int
	Sizes  []int
	Names  []string
}

// FromLabels builds a Problem from string labels. Label numbers follow the order of
// first appearance, inputs first, then the output; Names records the strings.
// sizes must give the dimension of every label used; other entries are ignored.
func FromLabels(inputs [][]string, output []string, sizes map[string]int) (Problem, error) {
	var p Problem
	ids := map[string]int{}
	id := func(name string) (int, error) {
		if l, ok := ids[name]; ok {
			return l, nil
		}
		d, ok := sizes[name]
		if !ok {
			return 0, fmt.Errorf("path: label %q has no size", name)
		}
		l := len(p.Sizes)
		ids[name] = l
		p.Sizes = append(p.Sizes, d)
		p.Names = append(p.Names, name)
		return l, nil
	}
	p.Inputs = make([][]int, len(inputs))
	for k, in := range inputs {
		p.Inputs[k] = make([]int, len(in))
		for j, name := range in {
			l, err := id(name)
			if err != nil {
				return Problem{}, fmt.Errorf("%w (input %d, position %d)", err, k, j)
			}
			p.Inputs[k][j] = l
		}
	}
	p.Output = make([]int, len(output))
	for j, name := range output {
		l, err := id(name)
		if err != nil {
			return Problem{}, fmt.Errorf("%w (output, position %d)", err, j)
		}
		p.Output[j] = l
	}
	if err := p.Validate(); err != nil {
		return Problem{}, err
	}
	return p, nil
}

// Validate reports the first problem found with p: no inputs, a label out of range,
// a negative size, a label repeated inside one input or in the output, an output
// label that no input carries, or Names of the wrong length.
func (p Problem) Validate() error {
	if len(p.Inputs) == 0 {
		return fmt.Errorf("path: a contraction needs at least one input")
	}
	if p.Names != nil && len(p.Names) != len(p.Sizes) {
		return fmt.Errorf("path: %d names for %d labels", len(p.Names), len(p.Sizes))
	}
	for l, d := range p.Sizes {
		if d < 0 {
			return fmt.Errorf("path: label %s has negative size %d", p.labelName(l), d)
		}
	}
	seen := make([]int, len(p.Sizes)) // position+1 of the label in the current term
	used := make([]bool, len(p.Sizes))
	check := func(term []int, where string) error {
		for j, l := range term {
			if l < 0 || l >= len(p.Sizes) {
				return fmt.Errorf("path: %s, position %d: label %d out of range [0, %d)", where, j, l, len(p.Sizes))
			}
			if seen[l] != 0 {
				return fmt.Errorf("path: %s repeats label %s (positions %d and %d); take the diagonal before planning", where, p.labelName(l), seen[l]-1, j)
			}
			seen[l] = j + 1
		}
		for _, l := range term {
			seen[l] = 0
		}
		return nil
	}
	for k, in := range p.Inputs {
		if err := check(in, "input "+strconv.Itoa(k)); err != nil {
			return err
		}
		for _, l := range in {
			used[l] = true
		}
	}
	if err := check(p.Output, "output"); err != nil {
		return err
	}
	for _, l := range p.Output {
		if !used[l] {
			return fmt.Errorf("path: output label %s is in no input", p.labelName(l))
		}
	}
	return nil
}

// mustValidate panics when p is invalid; for entry points without an error result.
func (p Problem) mustValidate() {
	if err := p.Validate(); err != nil {
		panic(err.Error())
	}
}

// labelName is the display name of label l: Names[l] when set, otherwise a letter
// for l < 52 (a–z, A–Z) and "#l" beyond.
func (p Problem) labelName(l int) string {
	if l >= 0 && l < len(p.Names) {
		return p.Names[l]
	}
	const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	if l >= 0 && l < len(letters) {
		return letters[l : l+1]
	}
	return "#" + strconv.Itoa(l)
}

// compactNames reports whether every label used in p displays as one character, so
// that terms can be written einsum-style without separators.
func (p Problem) compactNames() bool {
	for l := range p.Sizes {
		n := p.labelName(l)
		if utf8.RuneCountInString(n) != 1 || strings.ContainsAny(n, " ,->") {
			return false
		}
	}
	return true
}

// formatTerm writes the labels of one term: "abc" when every name is one character,
// "i j k" otherwise.
func (p Problem) formatTerm(labels []int, compact bool) string {
	var b strings.Builder
	for j, l := range labels {
		if j > 0 && !compact {
			b.WriteByte(' ')
		}
		b.WriteString(p.labelName(l))
	}
	return b.String()
}

// Expr renders p as an einsum expression: "ab,bc->ac" when every label name is one
// character, "i j, j k -> i k" otherwise.
func (p Problem) Expr() string {
	compact := p.compactNames()
	sep, arrow := ",", "->"
	if !compact {
		sep, arrow = ", ", " -> "
	}
	terms := make([]string, len(p.Inputs))
	for k, in := range p.Inputs {
		terms[k] = p.formatTerm(in, compact)
	}
	return strings.Join(terms, sep) + arrow + p.formatTerm(p.Output, compact)
}

// withSliced returns a copy of p in which the labels in sliced have size 1: the
// problem one slice solves.
func (p Problem) withSliced(sliced []int) Problem {
	q := p
	q.Sizes = append([]int(nil), p.Sizes...)
	for _, l := range sliced {
		q.Sizes[l] = 1
	}
	return q
}
