package contract

import (
	"fmt"
	"slices"
	"strings"
	"unsafe"

	"github.com/strand-tn/strand/path"
	"github.com/strand-tn/strand/tensor"
)

// DefaultMemoryLimit is the memory an evaluation may use for any one
// intermediate or result tensor unless Options.MemoryLimit says otherwise.
const DefaultMemoryLimit = 4 << 30

// Options control [Eval]. The zero value plans a path automatically and
// applies [DefaultMemoryLimit].
type Options struct {
	// Path is an explicit contraction path in opt_einsum's linear format:
	// each step lists positions in the current list of terms, which are
	// removed; their contraction is appended. Nil plans one with Plan.
	Path [][]int
	// Plan chooses the optimizer that plans the path (zero value: "auto").
	Plan path.Options
	// MemoryLimit bounds the bytes of any single intermediate or result;
	// 0 means DefaultMemoryLimit and a negative value means no limit.
	MemoryLimit int64
}

// MemoryError reports a contraction whose intermediate would not fit.
type MemoryError struct {
	Legs  []string // legs of the offending tensor
	Bytes int64    // its size
	Limit int64
}

func (e *MemoryError) Error() string {
	return fmt.Sprintf("contract: a tensor with legs [%s] would need %s, over the memory limit of %s",
		strings.Join(e.Legs, " "), FormatBytes(e.Bytes), FormatBytes(e.Limit))
}

// FormatBytes renders a byte count with a binary unit: "3.0 GiB".
func FormatBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	v, u := float64(n), 0
	for v >= unit && u < 5 {
		v /= unit
		u++
	}
	return fmt.Sprintf("%.1f %ciB", v, "KMGTPE"[u-1])
}

// Einsum evaluates s on the operands with default options.
func Einsum[T tensor.Elem](s Spec, ops ...*tensor.Dense[T]) (*tensor.Dense[T], error) {
	return Eval(s, Options{}, ops...)
}

// Eval evaluates the contraction s on the operands:
//
//	out[o…] = Σ_{labels not in o} Π_k ops[k][labels of k]
//
// The result is a new contiguous tensor; the operands are not modified.
func Eval[T tensor.Elem](s Spec, opts Options, ops ...*tensor.Dense[T]) (*tensor.Dense[T], error) {
	e, err := Compile[T](s, opts, shapesOf(ops)...)
	if err != nil {
		return nil, err
	}
	return e.Eval(ops...)
}

// Expr is a contraction planned once for fixed operand shapes and evaluated
// many times (opt_einsum's contract_expression).
type Expr[T tensor.Elem] struct {
	p      *problem
	shapes [][]int
	steps  [][]int
	sliced *slicing // nil unless the path is sliced to fit the memory limit
}

// Compile resolves s against the operand shapes, plans (or checks) the path
// and checks the memory limit, so that Eval does only arithmetic. When an
// intermediate of the planned path would exceed the limit, it re-plans with
// slicing (see [Expr.Sliced]); it refuses only what slicing cannot fit.
func Compile[T tensor.Elem](s Spec, opts Options, shapes ...[]int) (*Expr[T], error) {
	p, err := resolve(s, shapes)
	if err != nil {
		return nil, err
	}
	if len(shapes) == 0 {
		return nil, fmt.Errorf("contract: no operands")
	}
	steps := opts.Path
	if steps == nil {
		if steps, err = plan(p, opts.Plan); err != nil {
			return nil, err
		}
	}
	if err := checkPath(steps, len(shapes)); err != nil {
		return nil, err
	}
	var sliced *slicing
	if err := checkMemory[T](p, steps, memoryLimit(opts)); err != nil {
		if steps, sliced, err = sliceToFit[T](p, opts, err); err != nil {
			return nil, err
		}
	}
	sh := make([][]int, len(shapes))
	for k := range shapes {
		sh[k] = slices.Clone(shapes[k])
	}
	return &Expr[T]{p: p, shapes: sh, steps: steps, sliced: sliced}, nil
}

// Path returns the contraction path in linear format.
func (e *Expr[T]) Path() [][]int {
	out := make([][]int, len(e.steps))
	for i, s := range e.steps {
		out[i] = slices.Clone(s)
	}
	return out
}

// Info reports the cost of the contraction path step by step, in
// opt_einsum's convention (see [path.Info]: FLOPs, the largest
// intermediate, the naive cost and the speed-up over it), per slice and
// over all slices when the expression is sliced.
func (e *Expr[T]) Info() (*path.Info, error) {
	var sliced []int
	if e.sliced != nil {
		sliced = e.sliced.labels
	}
	return path.AnalyzeSliced(pathProblem(e.p), e.steps, sliced)
}

// Eval contracts operands of the shapes the expression was compiled for.
func (e *Expr[T]) Eval(ops ...*tensor.Dense[T]) (*tensor.Dense[T], error) {
	if len(ops) != len(e.shapes) {
		return nil, fmt.Errorf("contract: %d operands given, the expression takes %d", len(ops), len(e.shapes))
	}
	for k, op := range ops {
		if !slices.Equal(op.Shape(), e.shapes[k]) {
			return nil, fmt.Errorf("contract: operand %d has shape %v, the expression was compiled for %v", k, op.Shape(), e.shapes[k])
		}
	}
	if e.sliced != nil {
		return runSliced(e.p, e.steps, e.sliced, ops), nil
	}
	return run(e.p, e.steps, ops), nil
}

// uses counts, for every label, the operands that mention it.
func uses(p *problem, inputs [][]int) []int {
	u := make([]int, len(p.sizes))
	for _, in := range inputs {
		seen := map[int]bool{}
		for _, l := range in {
			if !seen[l] {
				u[l]++
				seen[l] = true
			}
		}
	}
	return u
}

func run[T tensor.Elem](p *problem, steps [][]int, ops []*tensor.Dense[T]) *tensor.Dense[T] {
	u := uses(p, p.inputs)
	terms := make([]operand[T], len(ops))
	for k, op := range ops {
		terms[k] = prepare(p, op, p.inputs[k], u, p.output)
	}
	for si, step := range steps {
		last := si == len(steps)-1
		picked := make([]operand[T], len(step))
		for i, pos := range step {
			picked[i] = terms[pos]
		}
		terms = removePositions(terms, step)
		var order []int
		if last {
			order = p.output
		}
		acc := picked[0]
		for i, next := range picked[1:] {
			// Labels needed later: the remaining terms' and those of the
			// operands of this step not merged yet.
			keep := keepFunc(p, slices.Concat(terms, picked[i+2:]))
			acc = contractPair(p, acc, next, keep, order)
		}
		if len(picked) == 1 {
			if drop := unsharedDropped(acc, operand[T]{}, keepFunc(p, terms)); len(drop) > 0 {
				acc = sumLabels(acc, drop)
			}
		}
		terms = append(terms, acc)
	}
	return finish(p, terms[0])
}

// keepFunc accepts the labels still needed: those of the output and of the
// remaining terms.
func keepFunc[T tensor.Elem](p *problem, terms []operand[T]) func(int) bool {
	need := make([]bool, len(p.sizes))
	for _, l := range p.output {
		need[l] = true
	}
	for _, t := range terms {
		for _, l := range t.labels {
			need[l] = true
		}
	}
	return func(l int) bool { return need[l] }
}

// finish permutes the last term into output order and returns a standalone
// contiguous tensor.
func finish[T tensor.Elem](p *problem, op operand[T]) *tensor.Dense[T] {
	perm := make([]int, len(p.output))
	for i, l := range p.output {
		perm[i] = slices.Index(op.labels, l)
	}
	t := op.t.Permute(perm...)
	if t.IsContiguous() && t.Offset() == 0 && len(t.Backing()) == t.Size() {
		return t
	}
	return t.Clone()
}

func removePositions[T tensor.Elem](terms []operand[T], positions []int) []operand[T] {
	out := make([]operand[T], 0, len(terms))
	for i, t := range terms {
		if !slices.Contains(positions, i) {
			out = append(out, t)
		}
	}
	return out
}

// checkPath validates a linear-format path for n operands.
func checkPath(steps [][]int, n int) error {
	count := n
	for si, step := range steps {
		if len(step) == 0 {
			return fmt.Errorf("contract: path step %d is empty", si)
		}
		seen := map[int]bool{}
		for _, pos := range step {
			if pos < 0 || pos >= count {
				return fmt.Errorf("contract: path step %d refers to term %d, but only %d terms remain", si, pos, count)
			}
			if seen[pos] {
				return fmt.Errorf("contract: path step %d names term %d twice", si, pos)
			}
			seen[pos] = true
		}
		count -= len(step) - 1
	}
	if count != 1 {
		return fmt.Errorf("contract: path leaves %d terms, want 1", count)
	}
	return nil
}

// memoryLimit is the effective byte limit of opts (negative: none).
func memoryLimit(opts Options) int64 {
	if opts.MemoryLimit == 0 {
		return DefaultMemoryLimit
	}
	return opts.MemoryLimit
}

// checkSize refuses a tensor of n elements of type T with the given legs when
// it would exceed limit bytes (a negative limit allows anything).
func checkSize[T tensor.Elem](legs []string, n, limit int64) error {
	elem := int64(unsafe.Sizeof(*new(T)))
	if limit < 0 || n <= limit/elem {
		return nil
	}
	b := int64(1<<63 - 1)
	if n <= b/elem {
		b = n * elem
	}
	return &MemoryError{Legs: legs, Bytes: b, Limit: limit}
}

// checkMemory walks the path on label sets and refuses a contraction whose
// result or an intermediate would exceed limit bytes.
func checkMemory[T tensor.Elem](p *problem, steps [][]int, limit int64) error {
	check := func(labels []int) error {
		names := make([]string, len(labels))
		for i, l := range labels {
			names[i] = p.names[l]
		}
		return checkSize[T](names, p.elements(labels), limit)
	}
	terms := slices.Clone(p.inputs)
	for _, step := range steps {
		var labels []int
		for _, pos := range step {
			for _, l := range terms[pos] {
				if !contains(labels, l) {
					labels = append(labels, l)
				}
			}
		}
		rest := make([][]int, 0, len(terms))
		for i, t := range terms {
			if !slices.Contains(step, i) {
				rest = append(rest, t)
			}
		}
		keep := map[int]bool{}
		for _, l := range p.output {
			keep[l] = true
		}
		for _, t := range rest {
			for _, l := range t {
				keep[l] = true
			}
		}
		var result []int
		for _, l := range labels {
			if keep[l] {
				result = append(result, l)
			}
		}
		if err := check(result); err != nil {
			return err
		}
		terms = append(rest, result)
	}
	return check(p.output)
}
