package tensor

// CopyStrided copies the elements of the strided view (shape, strides, offset)
// of src into dst in row-major order. dst must hold exactly the view's size.
func CopyStrided[T Elem](dst, src []T, shape, strides []int, offset int) {
	n := len(dst)
	if n == 0 {
		return
	}
	r := len(shape)
	if r == 0 {
		dst[0] = src[offset]
		return
	}
	// Merge adjacent axes that are contiguous with each other to lengthen the inner loop.
	shape, strides = mergeAxes(shape, strides)
	r = len(shape)
	inner, innerStride := shape[r-1], strides[r-1]
	idx := make([]int, r)
	pos := offset
	for out := 0; out < n; out += inner {
		d := dst[out : out+inner]
		if innerStride == 1 {
			copy(d, src[pos:pos+inner])
		} else {
			p := pos
			for i := range d {
				d[i] = src[p]
				p += innerStride
			}
		}
		// Advance the odometer over the outer axes.
		for k := r - 2; k >= 0; k-- {
			idx[k]++
			pos += strides[k]
			if idx[k] < shape[k] {
				break
			}
			pos -= idx[k] * strides[k]
			idx[k] = 0
		}
	}
}

// mergeAxes drops size-1 axes and fuses axis k with k+1 when
// strides[k] == shape[k+1]*strides[k+1], which leaves the addressed elements
// and their order unchanged.
func mergeAxes(shape, strides []int) ([]int, []int) {
	s := make([]int, 0, len(shape))
	st := make([]int, 0, len(shape))
	for k := range shape {
		if shape[k] == 1 {
			continue
		}
		if n := len(s); n > 0 && st[n-1] == shape[k]*strides[k] {
			s[n-1] *= shape[k]
			st[n-1] = strides[k]
			continue
		}
		s = append(s, shape[k])
		st = append(st, strides[k])
	}
	if len(s) == 0 {
		return []int{1}, []int{1}
	}
	return s, st
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
