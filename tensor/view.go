package tensor

import (
	"fmt"
	"slices"
)

// Permute returns a view whose axis k is t's axis perm[k] (numpy's transpose(perm)).
func (t *Dense[T]) Permute(perm ...int) *Dense[T] {
	if len(perm) != len(t.shape) {
		panic(fmt.Sprintf("tensor: permutation %v for a tensor of rank %d", perm, len(t.shape)))
	}
	seen := make([]bool, len(perm))
	shape := make([]int, len(perm))
	strides := make([]int, len(perm))
	for k, p := range perm {
		if p < 0 || p >= len(perm) || seen[p] {
			panic(fmt.Sprintf("tensor: %v is not a permutation of %d axes", perm, len(perm)))
		}
		seen[p] = true
		shape[k], strides[k] = t.shape[p], t.strides[p]
	}
	return &Dense[T]{data: t.data, shape: shape, strides: strides, offset: t.offset}
}

// T returns the transpose view: the axes in reverse order.
func (t *Dense[T]) T() *Dense[T] {
	perm := make([]int, len(t.shape))
	for k := range perm {
		perm[k] = len(perm) - 1 - k
	}
	return t.Permute(perm...)
}

// SwapAxes returns a view with axes a and b exchanged.
func (t *Dense[T]) SwapAxes(a, b int) *Dense[T] {
	a, b = t.axis(a), t.axis(b)
	perm := make([]int, len(t.shape))
	for k := range perm {
		perm[k] = k
	}
	perm[a], perm[b] = b, a
	return t.Permute(perm...)
}

// Diagonal returns the view D with D[…, i] = t[…i…i…]: axes a and b (which must
// have equal size) are removed and their shared diagonal becomes the last axis,
// as numpy.diagonal does.
func (t *Dense[T]) Diagonal(a, b int) *Dense[T] {
	a, b = t.axis(a), t.axis(b)
	if a == b {
		panic("tensor: Diagonal of an axis with itself")
	}
	if t.shape[a] != t.shape[b] {
		panic(fmt.Sprintf("tensor: Diagonal of axes of sizes %d and %d", t.shape[a], t.shape[b]))
	}
	var shape, strides []int
	for k := range t.shape {
		if k != a && k != b {
			shape = append(shape, t.shape[k])
			strides = append(strides, t.strides[k])
		}
	}
	shape = append(shape, t.shape[a])
	strides = append(strides, t.strides[a]+t.strides[b])
	return &Dense[T]{data: t.data, shape: shape, strides: strides, offset: t.offset}
}

// Slice returns the view of axis k restricted to start, start+step, … < stop
// (Python's t[..., start:stop:step, ...] with step > 0 and clamped bounds).
func (t *Dense[T]) Slice(k, start, stop, step int) *Dense[T] {
	k = t.axis(k)
	if step <= 0 {
		panic(fmt.Sprintf("tensor: slice step %d must be positive", step))
	}
	n := t.shape[k]
	start, stop = clamp(start, n), clamp(stop, n)
	length := 0
	if stop > start {
		length = (stop - start + step - 1) / step
	}
	shape, strides := t.Shape(), t.Strides()
	shape[k] = length
	strides[k] *= step
	off := t.offset
	if length > 0 {
		off += start * t.strides[k]
	}
	return &Dense[T]{data: t.data, shape: shape, strides: strides, offset: off}
}

func clamp(i, n int) int {
	if i < 0 {
		i += n
	}
	return max(0, min(i, n))
}

// Index returns the view with axis k fixed at i (rank drops by one).
func (t *Dense[T]) Index(k, i int) *Dense[T] {
	k = t.axis(k)
	if i < 0 || i >= t.shape[k] {
		panic(fmt.Sprintf("tensor: index %d out of range for axis %d of size %d", i, k, t.shape[k]))
	}
	return &Dense[T]{
		data:    t.data,
		shape:   slices.Delete(t.Shape(), k, k+1),
		strides: slices.Delete(t.Strides(), k, k+1),
		offset:  t.offset + i*t.strides[k],
	}
}

// Reshape returns a tensor with the same elements in row-major order and a new
// shape. One dimension may be -1 and is then inferred. The result is a view when
// t is contiguous and a copy otherwise. It returns an error when the sizes differ.
func (t *Dense[T]) Reshape(shape ...int) (*Dense[T], error) {
	shape = cloneInts(shape)
	infer := -1
	known := 1
	for k, d := range shape {
		switch {
		case d == -1 && infer < 0:
			infer = k
		case d < 0:
			return nil, fmt.Errorf("tensor: cannot reshape %v to %v", t.shape, shape)
		default:
			known *= d
		}
	}
	size := t.Size()
	if infer >= 0 {
		if known == 0 || size%known != 0 {
			return nil, fmt.Errorf("tensor: cannot reshape %v (%d elements) to %v", t.shape, size, shape)
		}
		shape[infer] = size / known
	}
	if n, ok := SizeOf(shape); !ok || n != size {
		return nil, fmt.Errorf("tensor: cannot reshape %v (%d elements) to %v", t.shape, size, shape)
	}
	src := t
	if !t.IsContiguous() {
		src = t.Clone()
	}
	return &Dense[T]{data: src.data, shape: shape, strides: RowMajorStrides(shape), offset: src.offset}, nil
}

// MustReshape is [Dense.Reshape] that panics on error.
func (t *Dense[T]) MustReshape(shape ...int) *Dense[T] {
	r, err := t.Reshape(shape...)
	if err != nil {
		panic(err)
	}
	return r
}

// BroadcastTo returns a view of t with the given shape following numpy's rules:
// t's axes are aligned to the right, and an axis of size 1 (or a missing leading
// axis) is repeated with stride 0. It returns an error if the shapes are incompatible.
func (t *Dense[T]) BroadcastTo(shape ...int) (*Dense[T], error) {
	if len(shape) < len(t.shape) {
		return nil, fmt.Errorf("tensor: cannot broadcast %v to %v", t.shape, shape)
	}
	lead := len(shape) - len(t.shape)
	strides := make([]int, len(shape))
	for k := range shape {
		if k < lead {
			continue
		}
		d := t.shape[k-lead]
		switch {
		case d == shape[k]:
			strides[k] = t.strides[k-lead]
		case d == 1:
			strides[k] = 0
		default:
			return nil, fmt.Errorf("tensor: cannot broadcast %v to %v", t.shape, shape)
		}
	}
	return &Dense[T]{data: t.data, shape: cloneInts(shape), strides: strides, offset: t.offset}, nil
}

// ExpandDims returns a view with a new axis of size 1 inserted at position k
// (0 ≤ k ≤ rank).
func (t *Dense[T]) ExpandDims(k int) *Dense[T] {
	if k < 0 || k > len(t.shape) {
		panic(fmt.Sprintf("tensor: ExpandDims at %d for rank %d", k, len(t.shape)))
	}
	return &Dense[T]{
		data:    t.data,
		shape:   slices.Insert(t.Shape(), k, 1),
		strides: slices.Insert(t.Strides(), k, 0),
		offset:  t.offset,
	}
}

// Squeeze returns a view without axis k, which must have size 1.
func (t *Dense[T]) Squeeze(k int) *Dense[T] {
	k = t.axis(k)
	if t.shape[k] != 1 {
		panic(fmt.Sprintf("tensor: Squeeze of axis %d with size %d", k, t.shape[k]))
	}
	return t.Index(k, 0)
}
