package path

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Path is a contraction order in the linear format of numpy, opt_einsum and torch:
// each step lists positions in the current list of terms, which start as the
// inputs; the listed terms are removed and their contraction is appended at the
// end. A complete path leaves one term. Steps are usually pairs; a step of one
// position sums the labels only that term carries, and longer steps contract
// several terms at once.
type Path [][]int

// Check reports whether p is a complete path over n inputs: every step non-empty,
// positions in range and distinct, one term left at the end.
func (p Path) Check(n int) error {
	if n < 1 {
		return fmt.Errorf("path: a path needs at least one input, got %d", n)
	}
	terms := n
	for s, step := range p {
		if len(step) == 0 {
			return fmt.Errorf("path: step %d is empty", s)
		}
		for j, pos := range step {
			if pos < 0 || pos >= terms {
				return fmt.Errorf("path: step %d: position %d out of range (%d terms)", s, pos, terms)
			}
			if slices.Contains(step[:j], pos) {
				return fmt.Errorf("path: step %d repeats position %d", s, pos)
			}
		}
		terms -= len(step) - 1
	}
	if terms != 1 {
		return fmt.Errorf("path: the path leaves %d terms, want 1", terms)
	}
	return nil
}

// SSA converts p (over n inputs, checked by [Path.Check]) to static single
// assignment form: inputs are numbered 0..n-1 and the result of step s is n+s; each
// step lists the numbers of the terms it contracts.
func (p Path) SSA(n int) ([][]int, error) {
	if err := p.Check(n); err != nil {
		return nil, err
	}
	ids := make([]int, n)
	for i := range ids {
		ids[i] = i
	}
	out := make([][]int, len(p))
	for s, step := range p {
		out[s] = make([]int, len(step))
		for j, pos := range step {
			out[s][j] = ids[pos]
		}
		desc := slices.Clone(step)
		slices.Sort(desc)
		for j := len(desc) - 1; j >= 0; j-- {
			ids = slices.Delete(ids, desc[j], desc[j]+1)
		}
		ids = append(ids, n+s)
	}
	return out, nil
}

// FromSSA converts a path in static single assignment form over n inputs (see
// [Path.SSA]) to the linear format, positions in each step in increasing order (as
// opt_einsum writes them). It returns an error if a step names a term that
// does not exist yet or was already used.
func FromSSA(ssa [][]int, n int) (Path, error) {
	cur := make([]int, n) // term numbers in their current order
	for i := range cur {
		cur[i] = i
	}
	used := make([]bool, n+len(ssa))
	out := make(Path, len(ssa))
	for s, step := range ssa {
		if len(step) == 0 {
			return nil, fmt.Errorf("path: SSA step %d is empty", s)
		}
		out[s] = make([]int, len(step))
		for j, id := range step {
			if id < 0 || id >= n+s || used[id] {
				return nil, fmt.Errorf("path: SSA step %d names term %d, which is not available", s, id)
			}
			used[id] = true
			out[s][j] = slices.Index(cur, id)
		}
		slices.Sort(out[s])
		cur = slices.DeleteFunc(cur, func(id int) bool { return used[id] })
		cur = append(cur, n+s)
	}
	return out, nil
}

// String renders p as opt_einsum prints it: [(0, 1), (0, 2)].
func (p Path) String() string {
	var b strings.Builder
	b.WriteByte('[')
	for s, step := range p {
		if s > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j, pos := range step {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString(strconv.Itoa(pos))
		}
		if len(step) == 1 {
			b.WriteByte(',')
		}
		b.WriteByte(')')
	}
	b.WriteByte(']')
	return b.String()
}
