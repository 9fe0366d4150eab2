package contract

import (
	"slices"

	"github.com/strand-tn/strand/tensor"
)

// operand is a tensor (often a view) together with one label per axis; labels
// are distinct after prepare.
type operand[T tensor.Elem] struct {
	t      *tensor.Dense[T]
	labels []int
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
		return sumLabels(operand[T]{t, labels}, sum)
	}
	return operand[T]{t, labels}
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

// sumLabels returns op with the axes labelled by sum reduced by addition:
// out[kept…] = Σ_{sum labels} op[…]. It reads only the elements of the view,
// so a diagonal of a large tensor costs only the diagonal.
func sumLabels[T tensor.Elem](op operand[T], sum []int) operand[T] {
	var keepAxes, sumAxes []int
	var kept []int
	for a, l := range op.labels {
		if contains(sum, l) {
			sumAxes = append(sumAxes, a)
		} else {
			keepAxes = append(keepAxes, a)
			kept = append(kept, l)
		}
	}
	v := op.t.Permute(append(slices.Clone(keepAxes), sumAxes...)...)
	shape, strides := v.Shape(), v.Strides()
	nk := len(keepAxes)
	out := tensor.Zeros[T](shape[:nk]...)
	dst := out.Backing()
	src := v.Backing()
	inner := newOdometer(shape[nk:], strides[nk:])
	outer := newOdometer(shape[:nk], strides[:nk])
	if out.Size() > 0 {
		for o := 0; ; o++ {
			dst[o] = sumOver(inner, src, v.Offset()+outer.pos)
			if !outer.next() {
				break
			}
		}
	}
	return operand[T]{out, kept}
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

// sumOver adds src[base + pos] over o's whole index space, the innermost axis
// as a tight loop, and leaves o at its start.
func sumOver[T tensor.Elem](o *odometer, src []T, base int) T {
	r := len(o.shape)
	if r == 0 {
		return src[base]
	}
	if slices.Contains(o.shape, 0) {
		return 0
	}
	n, st := o.shape[r-1], o.strides[r-1]
	outer := &odometer{shape: o.shape[:r-1], strides: o.strides[:r-1], idx: o.idx[:r-1]}
	var s T
	for {
		p := base + outer.pos
		for range n {
			s += src[p]
			p += st
		}
		if !outer.next() {
			return s
		}
	}
}
