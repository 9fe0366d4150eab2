package tensor

import "github.com/strand-tn/strand/internal/kernel"

// CopyStrided copies the elements of the strided view (shape, strides, offset)
// of src into dst in row-major order. dst must hold exactly the view's size
// and must not overlap src. The copy is cache-tiled (internal/kernel), so
// transposing views costs about what a contiguous copy does.
func CopyStrided[T Elem](dst, src []T, shape, strides []int, offset int) {
	err := kernel.Copy(shape,
		kernel.Strided[T]{Data: dst, Strides: RowMajorStrides(shape)},
		kernel.Strided[T]{Data: src, Off: offset, Strides: strides})
	if err != nil {
		panic("tensor: CopyStrided: " + err.Error())
	}
}

// elements returns t's elements as one slice in row-major order when they
// are stored that way (t is contiguous); the slice aliases t.
func (t *Dense[T]) elements() ([]T, bool) {
	switch {
	case t.Size() == 0:
		return nil, true
	case !t.IsContiguous():
		return nil, false
	}
	return t.data[t.offset : t.offset+t.Size()], true
}

// forEach1 calls f with the backing position of every element of t in row-major order.
func forEach1[T Elem](t *Dense[T], f func(i int)) {
	if t.Size() == 0 {
		return
	}
	r := len(t.shape)
	idx := make([]int, r)
	pos := t.offset
	for {
		f(pos)
		k := r - 1
		for ; k >= 0; k-- {
			idx[k]++
			pos += t.strides[k]
			if idx[k] < t.shape[k] {
				break
			}
			pos -= idx[k] * t.strides[k]
			idx[k] = 0
		}
		if k < 0 {
			return
		}
	}
}

// forEach2 walks a and b (of equal shape) together in row-major order.
func forEach2[T Elem](a, b *Dense[T], f func(i, j int)) {
	if a.Size() == 0 {
		return
	}
	r := len(a.shape)
	idx := make([]int, r)
	pa, pb := a.offset, b.offset
	for {
		f(pa, pb)
		k := r - 1
		for ; k >= 0; k-- {
			idx[k]++
			pa += a.strides[k]
			pb += b.strides[k]
			if idx[k] < a.shape[k] {
				break
			}
			pa -= idx[k] * a.strides[k]
			pb -= idx[k] * b.strides[k]
			idx[k] = 0
		}
		if k < 0 {
			return
		}
	}
}
