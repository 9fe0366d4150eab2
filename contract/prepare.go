package contract

import (
	"slices"

	"github.com/strand-tn/strand/internal/kernel"
	"github.com/strand-tn/strand/tensor"
)

// operand is a tensor (often a view) together with one label per axis; labels
// are distinct after prepare. An owned operand is an intermediate result
// whose memory nothing else refers to: the step that consumes it returns
// the memory to the pools (see result and release).
type operand[T tensor.Elem] struct {
	t      *tensor.Dense[T]
	labels []int
	owned  bool
}

// prepare does the single-operand work before any pair is contracted:
//   - an axis of size 1 whose label is larger elsewhere is dropped (broadcast);
//   - a label repeated within the operand becomes a diagonal view (no copy);
//   - labels that appear in no other operand and not in keep are summed away.
//
// keep lists the labels needed later (output labels); others holds, per label,
// how many operands mention it.
func prepare[T tensor.Elem](p *problem, t *tensor.Dense[T], labels []int, uses []int, keep []int) operand[T] {
	labels = slices.Clone(labels)
	// Broadcast axes.
	for a := len(labels) - 1; a >= 0; a-- {
		if t.Dim(a) == 1 && p.sizes[labels[a]] != 1 {
			t = t.Index(a, 0)
			labels = slices.Delete(labels, a, a+1)
		}
	}
	// Diagonals: Diagonal moves the merged axis to the end.
	for {
		a, b := repeatedPair(labels)
		if a < 0 {
			break
		}
		l := labels[a]
		t = t.Diagonal(a, b)
		labels = slices.Delete(labels, b, b+1)
		labels = slices.Delete(labels, a, a+1)
		labels = append(labels, l)
	}
	// Labels used only here and not kept are summed.
	var sum []int
	for _, l := range labels {
		if uses[l] == 1 && !contains(keep, l) {
			sum = append(sum, l)
		}
	}
	if len(sum) > 0 {
		return sumLabels(operand[T]{t: t, labels: labels}, sum)
	}
	return operand[T]{t: t, labels: labels}
}

func repeatedPair(labels []int) (int, int) {
	for a := range labels {
		for b := a + 1; b < len(labels); b++ {
			if labels[a] == labels[b] {
				return a, b
			}
		}
	}
	return -1, -1
}

// sumLabels returns op with the axes labelled by sum reduced by addition,
//
//	out[kept…] = Σ_{sum labels} op[…],
//
// in one pass over op in its memory order (kernel.Sum). It reads only the
// elements of the view, so a diagonal of a large tensor costs only the
// diagonal. op is consumed (released when owned).
func sumLabels[T tensor.Elem](op operand[T], sum []int) operand[T] {
	var kept, shape []int
	empty := false
	for a, l := range op.labels {
		if !contains(sum, l) {
			kept = append(kept, l)
			shape = append(shape, op.t.Dim(a))
		} else {
			empty = empty || op.t.Dim(a) == 0
		}
	}
	// A sum over an empty axis is 0, which the kernel does not write.
	res := result[T](shape, empty)
	res.labels = kept
	out := res.t
	strides := make([]int, len(op.labels))
	k := 0
	for a, l := range op.labels {
		if !contains(sum, l) {
			strides[a] = out.Strides()[k]
			k++
		}
	}
	err := kernel.Sum(op.t.Shape(), 1, kernel.Strided[T]{Data: op.t.Backing(), Off: op.t.Offset(), Strides: op.t.Strides()},
		0, kernel.Strided[T]{Data: out.Backing(), Strides: strides})
	if err != nil {
		panic("contract: internal error: " + err.Error())
	}
	release(op)
	return res
}

// odometer walks a strided index space in row-major order, tracking the
// linear position pos = Σ idx[k]·strides[k].
type odometer struct {
	shape, strides, idx []int
	pos                 int
}

func newOdometer(shape, strides []int) *odometer {
	return &odometer{shape: shape, strides: strides, idx: make([]int, len(shape))}
}

// next advances to the following index and reports false after the last one
// (leaving the odometer back at the start).
func (o *odometer) next() bool {
	for k := len(o.shape) - 1; k >= 0; k-- {
		o.idx[k]++
		o.pos += o.strides[k]
		if o.idx[k] < o.shape[k] {
			return true
		}
		o.pos -= o.idx[k] * o.strides[k]
		o.idx[k] = 0
	}
	return false
}
