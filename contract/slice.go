package contract

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"unsafe"

	"github.com/strand-tn/strand/internal/kernel"
	"github.com/strand-tn/strand/path"
	"github.com/strand-tn/strand/tensor"
)

// Sliced execution. When an intermediate of the planned path would exceed the
// memory limit, a set S of labels outside the output is fixed to each of its
// values in turn (the slices, chosen by path.Optimize with a memory limit), so
// that
//
//	out[o…] = Σ_{s ∈ Π_{ℓ∈S} [0, size(ℓ))} out_s[o…],
//	out_s[o…] = Σ_{other labels not in o} Π_k operand_k[labels of k]|_{S=s}
//
// Every slice runs the same per-slice path on views of the operands with the
// sliced axes indexed away, so its intermediates are smaller by the sizes of
// the sliced labels they carry. Slices run in parallel; each worker adds its
// slices into a private accumulator and the accumulators are added at the end.

// slicing is a compiled plan's sliced execution.
type slicing struct {
	labels  []int    // the sliced labels, fixed per slice
	count   int      // number of slices, Π_{ℓ∈labels} size(ℓ)
	sub     *problem // the problem one slice solves: sliced labels removed
	perWork int64    // bytes one worker needs at once (estimate, see workers)
	limit   int64    // the memory limit in bytes (positive)
}

// sliceToFit is called when steps (planned or given) would exceed the memory
// limit: refused is checkMemory's error. With a planned path it re-plans with
// a memory limit (in elements) so that the per-slice path fits and returns it
// with its slicing. It fails, wrapping refused, when the path was given
// explicitly or when the result itself does not fit, since no slicing can
// shrink the output; the message then names the smallest feasible limit.
func sliceToFit[T tensor.Elem](p *problem, opts Options, refused error) ([][]int, *slicing, error) {
	limit := memoryLimit(opts)
	elem := int64(unsafe.Sizeof(*new(T)))
	names := func(labels []int) []string {
		out := make([]string, len(labels))
		for i, l := range labels {
			out[i] = p.names[l]
		}
		return out
	}
	outElems := p.elements(p.output)
	if err := checkSize[T](names(p.output), outElems, limit); err != nil {
		var me *MemoryError
		errors.As(err, &me)
		return nil, nil, fmt.Errorf("%w; it is the result, which slicing cannot shrink: the smallest feasible memory limit is %s (width %.1f)",
			err, FormatBytes(me.Bytes), math.Log2(float64(outElems)))
	}
	if opts.Path != nil {
		return nil, nil, fmt.Errorf("%w; an explicit path is not sliced: leave the path to the planner to slice it", refused)
	}
	plan := opts.Plan
	if elems := limit / elem; plan.MemoryLimit <= 0 || elems < plan.MemoryLimit {
		plan.MemoryLimit = elems
	}
	steps, info, err := path.Optimize(pathProblem(p), plan)
	if err != nil {
		return nil, nil, fmt.Errorf("contract: %w", err)
	}
	if !info.Slices.IsInt64() || info.Slices.Int64() > math.MaxInt32 {
		return nil, nil, fmt.Errorf("%w; slicing would need %s slices: raise the memory limit", refused, info.Slices)
	}
	s := &slicing{labels: slices.Clone(info.Sliced), count: int(info.Slices.Int64()), sub: p.without(info.Sliced), limit: limit}
	if err := checkMemory[T](s.sub, steps, limit); err != nil {
		return nil, nil, fmt.Errorf("contract: the sliced path does not fit either: %w", err)
	}
	// A worker holds its accumulator and, at the peak of a step, the step's
	// result next to an operand of at most the same size.
	s.perWork = (2*info.Largest.Int64() + outElems) * elem
	return steps, s, nil
}

// without returns p with the labels in sliced removed from every input: the
// problem one slice solves once the operands' sliced axes are indexed away.
func (p *problem) without(sliced []int) *problem {
	q := &problem{names: p.names, output: p.output, sizes: slices.Clone(p.sizes)}
	for _, in := range p.inputs {
		q.inputs = append(q.inputs, slices.DeleteFunc(slices.Clone(in), func(l int) bool { return slices.Contains(sliced, l) }))
	}
	for _, l := range sliced {
		q.sizes[l] = 1
	}
	return q
}

// workers is the number of slices evaluated at once: at most kernel.Threads and the
// number of slices, and as many as fit in the memory limit side by side (at
// least one).
func (s *slicing) workers() int {
	w := min(kernel.Threads(), s.count)
	if s.perWork > 0 {
		w = min(w, int(max(1, s.limit/s.perWork)))
	}
	return max(1, w)
}

// value returns the value of the k-th sliced label in slice number i (mixed
// radix over the labels, the last one fastest).
func (s *slicing) value(p *problem, i, k int) int {
	for _, l := range slices.Backward(s.labels[k+1:]) {
		i /= p.sizes[l]
	}
	return i % p.sizes[s.labels[k]]
}

// fixSlice writes into views the operands with the sliced labels set to their
// values in slice number i. An axis of size 1 whose label is larger elsewhere
// broadcasts and is indexed at 0.
func fixSlice[T tensor.Elem](p *problem, s *slicing, i int, ops, views []*tensor.Dense[T]) {
	for k, op := range ops {
		v := op
		for a := len(p.inputs[k]) - 1; a >= 0; a-- {
			j := slices.Index(s.labels, p.inputs[k][a])
			if j < 0 {
				continue
			}
			at := 0
			if v.Dim(a) != 1 {
				at = s.value(p, i, j)
			}
			v = v.Index(a, at)
		}
		views[k] = v
	}
}

// runSliced evaluates p along steps slice by slice and returns the sum of the
// slices' results (see the comment at the top of this file).
func runSliced[T tensor.Elem](p *problem, steps [][]int, s *slicing, ops []*tensor.Dense[T]) *tensor.Dense[T] {
	w := s.workers()
	partial := make([]*tensor.Dense[T], w)
	var wg sync.WaitGroup
	for j := range w {
		lo, hi := j*s.count/w, (j+1)*s.count/w
		wg.Go(func() {
			acc := tensor.Zeros[T](p.shapeOf(p.output)...)
			views := make([]*tensor.Dense[T], len(ops))
			for i := lo; i < hi; i++ {
				fixSlice(p, s, i, ops, views)
				acc.AddScaled(1, run(s.sub, steps, views))
			}
			partial[j] = acc
		})
	}
	wg.Wait()
	for _, t := range partial[1:] {
		partial[0].AddScaled(1, t)
	}
	return partial[0]
}

// Sliced returns the labels the expression fixes to one value per slice (nil
// when its path fits the memory limit unsliced); the result is the sum over
// every combination of their values.
func (e *Expr[T]) Sliced() []string {
	if e.sliced == nil {
		return nil
	}
	names := make([]string, len(e.sliced.labels))
	for i, l := range e.sliced.labels {
		names[i] = e.p.names[l]
	}
	return names
}

// Slices returns the number of slices the expression is evaluated in (1 when
// it is not sliced).
func (e *Expr[T]) Slices() int {
	if e.sliced == nil {
		return 1
	}
	return e.sliced.count
}
