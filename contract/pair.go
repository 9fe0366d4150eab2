package contract

import (
	"slices"

	"github.com/strand-tn/strand/internal/kernel"
	"github.com/strand-tn/strand/tensor"
)

// matrix is a strided batch of matrices inside a flat slice: element (b, i, j)
// lives at off + batch(b) + i·rs + j·cs, where batch(b) walks the batch labels
// with their own strides. For real types a row (column) group that no single
// stride walks has offsets instead (rowOffs[i] replaces i·rs), which the
// kernel gathers through while packing.
type matrix[T tensor.Elem] struct {
	data         []T
	off          int
	rows, cols   int
	rs, cs       int
	rowOffs      []int
	colOffs      []int
	batchStrides []int
}

// contractPair returns Σ_K a·b over the labels K shared by a and b that keep
// rejects. Shared labels that keep accepts are batch legs; the rest stay as
// free legs. The result's labels are ordered batch, a-only, b-only; when order
// is non-nil, labels inside each group follow their positions in order, which
// lets the last step produce the output layout directly. a and b are
// consumed: the memory of owned operands returns to the pools.
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
	// A sum over an empty label is 0, which no loop below writes.
	res := result[T](p.shapeOf(outLabels), p.elements(sum) == 0)
	res.labels = outLabels
	out := res.t
	switch {
	case out.Size() == 0:
	case (len(left) == 0 && len(right) == 0) || len(sum) == 0:
		// out[batch, left, right] = Σ_sum a·b with no matrix product to
		// form: Hadamard products and inner products (no free legs), outer
		// products (nothing summed), in one elementwise loop.
		axes := slices.Concat(outLabels, sum)
		outStrides := append(out.Strides(), make([]int, len(sum))...)
		hadamard(p.shapeOf(axes), stridedOf(a, axes), stridedOf(b, axes),
			kernel.Strided[T]{Data: out.Backing(), Strides: outStrides})
	default:
		A := asMatrix(p, a, batch, left, sum)
		B := asMatrix(p, b, batch, sum, right)
		C := matrix[T]{data: out.Backing(), rows: A.rows, cols: B.cols, rs: B.cols, cs: 1}
		batchedGEMM(p.shapeOf(batch), A, B, C)
	}
	release(a)
	release(b)
	return res
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
// groups. Real types never copy: a group that does not flatten to one stride
// gets offsets. Complex types (multiplied by BLAS, which needs one unit
// stride per matrix) are copied into that layout when their strides cannot
// express it.
func asMatrix[T tensor.Elem](p *problem, op operand[T], batch, rows, cols []int) matrix[T] {
	m, rowsOK, colsOK := viewMatrix(p, op, batch, rows, cols)
	if isFloat[T]() {
		stride := strideOf(op)
		if !rowsOK {
			m.rowOffs = groupOffsets(p, rows, stride)
		}
		if !colsOK {
			m.colOffs = groupOffsets(p, cols, stride)
		}
		return m
	}
	if _, _, ok := m.blasLayout(); ok && rowsOK && colsOK {
		return m
	}
	perm := make([]int, 0, len(op.labels))
	for _, l := range slices.Concat(batch, rows, cols) {
		perm = append(perm, slices.Index(op.labels, l))
	}
	c := op.t.Permute(perm...).Clone()
	m, _, _ = viewMatrix(p, operand[T]{t: c, labels: slices.Concat(batch, rows, cols)}, batch, rows, cols)
	return m
}

// strideOf returns the stride of each of op's labels.
func strideOf[T tensor.Elem](op operand[T]) func(int) int {
	strides := op.t.Strides()
	return func(l int) int { return strides[slices.Index(op.labels, l)] }
}

// groupOffsets returns the offset of every index of a label group flattened
// row-major: offs[i] = Σ_k i_k·stride(label_k), i = (i_0, i_1, …).
func groupOffsets(p *problem, labels []int, stride func(int) int) []int {
	offs := make([]int, p.elements(labels))
	n := 1
	for _, l := range labels {
		d, s := p.sizes[l], stride(l)
		// Expand in place from the back: entry i·d + j = offs[i] + j·s.
		for i := n - 1; i >= 0; i-- {
			o := offs[i]
			for j := d - 1; j >= 0; j-- {
				offs[i*d+j] = o + j*s
			}
		}
		n *= d
	}
	return offs
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

// viewMatrix expresses op as a strided batch of matrices, reporting whether
// the row and the column group each flatten to one stride; complex types
// (multiplied by BLAS) also need a valid BLAS layout (see blasLayout).
func viewMatrix[T tensor.Elem](p *problem, op operand[T], batch, rows, cols []int) (m matrix[T], rowsOK, colsOK bool) {
	stride := strideOf(op)
	rs, rowsOK := mergedStride(p, rows, stride)
	cs, colsOK := mergedStride(p, cols, stride)
	m = matrix[T]{
		data: op.t.Backing(), off: op.t.Offset(),
		rows: int(p.elements(rows)), cols: int(p.elements(cols)), rs: rs, cs: cs,
	}
	for _, l := range batch {
		m.batchStrides = append(m.batchStrides, stride(l))
	}
	if isFloat[T]() {
		return m, rowsOK, colsOK
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
	return m, rowsOK, colsOK
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
