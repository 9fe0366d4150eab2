package contract

import (
	"slices"

	"github.com/strand-tn/strand/internal/kernel"
	"github.com/strand-tn/strand/tensor"
)

// matrix is a strided batch of matrices inside a flat slice: element (b, i, j)
// lives at off + batch(b) + i·rs + j·cs, where batch(b) walks the batch labels
// with their own strides.
type matrix[T tensor.Elem] struct {
	data         []T
	off          int
	rows, cols   int
	rs, cs       int
	batchStrides []int
}

// contractPair returns Σ_K a·b over the labels K shared by a and b that keep
// rejects. Shared labels that keep accepts are batch legs; the rest stay as
// free legs. The result's labels are ordered batch, a-only, b-only; when order
// is non-nil, labels inside each group follow their positions in order, which
// lets the last step produce the output layout directly.
func contractPair[T tensor.Elem](p *problem, a, b operand[T], keep func(int) bool, order []int) operand[T] {
	if l := unsharedDropped(a, b, keep); len(l) > 0 {
		a = sumLabels(a, l)
	}
	if l := unsharedDropped(b, a, keep); len(l) > 0 {
		b = sumLabels(b, l)
	}
	var batch, sum, left, right []int
	for _, l := range a.labels {
		switch {
		case contains(b.labels, l) && keep(l):
			batch = append(batch, l)
		case contains(b.labels, l):
			sum = append(sum, l)
		default:
			left = append(left, l)
		}
	}
	for _, l := range b.labels {
		if !contains(a.labels, l) {
			right = append(right, l)
		}
	}
	// Label orders inside groups: by the requested output order when given,
	// otherwise by the memory layout (descending stride) so views merge.
	big := a
	if b.t.Size() > a.t.Size() {
		big = b
	}
	sortGroup(batch, order, big)
	sortGroup(left, order, a)
	sortGroup(right, order, b)
	sortGroup(sum, nil, big)
	// C = A·B puts a's legs before b's; when the requested order wants b's
	// first, compute Cᵀ = Bᵀ·Aᵀ instead of permuting the result afterwards.
	if order != nil && len(left) > 0 && len(right) > 0 && slices.Index(order, left[0]) > slices.Index(order, right[0]) {
		return contractPair(p, b, a, keep, order)
	}

	outLabels := slices.Concat(batch, left, right)
	out := tensor.Zeros[T](p.shapeOf(outLabels)...)
	if out.Size() == 0 {
		return operand[T]{out, outLabels}
	}
	if len(left) == 0 && len(right) == 0 {
		// out[batch] = Σ_sum a·b: no matrix to form.
		axes := slices.Concat(batch, sum)
		outStrides := append(out.Strides(), make([]int, len(sum))...)
		hadamard(p.shapeOf(axes), stridedOf(a, axes), stridedOf(b, axes),
			kernel.Strided[T]{Data: out.Backing(), Strides: outStrides})
		return operand[T]{out, outLabels}
	}
	A := asMatrix(p, a, batch, left, sum)
	B := asMatrix(p, b, batch, sum, right)
	C := matrix[T]{data: out.Backing(), rows: A.rows, cols: B.cols, rs: B.cols, cs: 1}
	batchedGEMM(p.shapeOf(batch), A, B, C)
	return operand[T]{out, outLabels}
}

// unsharedDropped lists the labels of x found neither in y nor in keep.
func unsharedDropped[T tensor.Elem](x, y operand[T], keep func(int) bool) []int {
	var out []int
	for _, l := range x.labels {
		if !contains(y.labels, l) && !keep(l) {
			out = append(out, l)
		}
	}
	return out
}

// sortGroup orders labels by their position in order when order is non-nil,
// and otherwise by decreasing stride in op (ties keep their order).
func sortGroup[T tensor.Elem](labels, order []int, op operand[T]) {
	if order != nil {
		slices.SortStableFunc(labels, func(x, y int) int { return slices.Index(order, x) - slices.Index(order, y) })
		return
	}
	strides := op.t.Strides()
	stride := func(l int) int { return strides[slices.Index(op.labels, l)] }
	slices.SortStableFunc(labels, func(x, y int) int { return stride(y) - stride(x) })
}

// asMatrix views op as a batch of (rows × cols) matrices with the given label
// groups, copying op into that layout only when its strides cannot express it
// with one unit stride per matrix (as GEMM requires).
func asMatrix[T tensor.Elem](p *problem, op operand[T], batch, rows, cols []int) matrix[T] {
	if m, ok := viewMatrix(p, op, batch, rows, cols); ok {
		return m
	}
	perm := make([]int, 0, len(op.labels))
	for _, l := range slices.Concat(batch, rows, cols) {
		perm = append(perm, slices.Index(op.labels, l))
	}
	c := op.t.Permute(perm...).Clone()
	m, _ := viewMatrix(p, operand[T]{c, slices.Concat(batch, rows, cols)}, batch, rows, cols)
	return m
}

// stridedOf views op's data along the given labels (stride 0 where op lacks one).
func stridedOf[T tensor.Elem](op operand[T], labels []int) kernel.Strided[T] {
	strides := op.t.Strides()
	s := make([]int, len(labels))
	for i, l := range labels {
		if a := slices.Index(op.labels, l); a >= 0 {
			s[i] = strides[a]
		}
	}
	return kernel.Strided[T]{Data: op.t.Backing(), Off: op.t.Offset(), Strides: s}
}

// viewMatrix tries to express op as a strided batch of matrices without
// copying: each label group must flatten to one stride, and complex types
// (multiplied by BLAS) also need one unit stride per matrix.
func viewMatrix[T tensor.Elem](p *problem, op operand[T], batch, rows, cols []int) (matrix[T], bool) {
	strides := op.t.Strides()
	stride := func(l int) int { return strides[slices.Index(op.labels, l)] }
	rs, ok1 := mergedStride(p, rows, stride)
	cs, ok2 := mergedStride(p, cols, stride)
	m := matrix[T]{
		data: op.t.Backing(), off: op.t.Offset(),
		rows: int(p.elements(rows)), cols: int(p.elements(cols)), rs: rs, cs: cs,
	}
	for _, l := range batch {
		m.batchStrides = append(m.batchStrides, stride(l))
	}
	if !ok1 || !ok2 {
		return m, false
	}
	if isFloat[T]() {
		return m, true
	}
	// A stride along an axis of length ≤ 1 is never used: pick the value
	// that gives BLAS a valid layout.
	switch {
	case m.rows <= 1 && m.cols <= 1:
		m.rs, m.cs = 1, 1
	case m.rows <= 1 && m.cs == 1:
		m.rs = m.cols
	case m.rows <= 1:
		m.rs = 1
	case m.cols <= 1 && m.rs == 1:
		m.cs = m.rows
	case m.cols <= 1:
		m.cs = 1
	}
	_, _, ok := m.blasLayout()
	return m, ok
}

// mergedStride returns the stride of the innermost label of a group flattened
// in the given order; the flattening is a view when every label's stride is
// the size × stride of the label after it (size-1 labels are ignored).
func mergedStride(p *problem, labels []int, stride func(int) int) (int, bool) {
	inner, next := -1, 0
	for i := len(labels) - 1; i >= 0; i-- {
		l := labels[i]
		if p.sizes[l] == 1 {
			continue
		}
		if inner < 0 {
			inner = stride(l)
		} else if stride(l) != next {
			return 0, false
		}
		next = stride(l) * p.sizes[l]
	}
	if inner < 0 {
		return 1, true
	}
	return inner, true
}

// blasLayout reports how a BLAS routine can read the matrix: row-major with
// leading dimension ld (trans false), or as the transpose of a row-major
// cols×rows matrix (trans true).
func (m matrix[T]) blasLayout() (trans bool, ld int, ok bool) {
	if m.cs == 1 && m.rs >= max(1, m.cols) {
		return false, m.rs, true
	}
	if m.rs == 1 && m.cs >= max(1, m.rows) {
		return true, m.cs, true
	}
	return false, 0, false
}
