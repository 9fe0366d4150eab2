package kernel

import "fmt"

// vector checks a strided vector x[i] = data[off + i·inc], i < n, and
// returns its extent.
func vector[T Elem](name string, n int, data []T, off, inc int) (lo, hi int, ok bool, err error) {
	return extent(name, len(data), off, []int{n}, []int{inc})
}

// Dot returns the unconjugated inner product
//
//	Σ_{i<n} x[i]·y[i],   x[i] = x[offX + i·incX],  y[i] = y[offY + i·incY].
//
// Unit strides sum in four interleaved partial sums.
func Dot[T Elem](n int, x []T, offX, incX int, y []T, offY, incY int) (T, error) {
	if _, _, _, err := vector("x", n, x, offX, incX); err != nil {
		return 0, err
	}
	if _, _, ok, err := vector("y", n, y, offY, incY); err != nil || !ok {
		return 0, err
	}
	return dot(n, x, offX, incX, y, offY, incY), nil
}

// Axpy computes y[i] += α·x[i] for i < n, with x[i] = x[offX + i·incX] and
// y[i] = y[offY + i·incY] (BLAS axpy). y must not share memory with x.
func Axpy[T Elem](n int, alpha T, x []T, offX, incX int, y []T, offY, incY int) error {
	xlo, xhi, _, err := vector("x", n, x, offX, incX)
	if err != nil {
		return err
	}
	ylo, yhi, ok, err := vector("y", n, y, offY, incY)
	if err != nil || !ok {
		return err
	}
	if incY == 0 && n > 1 {
		return errOverlap
	}
	if sameMemory(y, ylo, yhi, x, xlo, xhi) {
		return fmt.Errorf("kernel: y shares memory with x")
	}
	mulAdd(n, alpha, 1, x, offX, incX, nil, 0, 0, y, offY, incY)
	return nil
}

// Outer computes the rank-1 update (BLAS ger with a β)
//
//	A = α·x·yᵀ + β·A,   A_ij = α·x_i·y_j + β·A_ij,
//
// for an m×n A with x[i] = x[offX + i·incX] (i < m) and y[j] = y[offY +
// j·incY] (j < n). When β = 0, A is only written. A must not share memory
// with x or y.
func Outer[T Elem](alpha T, x []T, offX, incX int, y []T, offY, incY int, beta T, a Matrix[T]) error {
	shape := []int{a.Rows, a.Cols}
	return hadamardReduce(shape, alpha,
		Strided[T]{Data: x, Off: offX, Strides: []int{incX, 0}},
		Strided[T]{Data: y, Off: offY, Strides: []int{0, incY}},
		beta, Strided[T]{Data: a.Data, Off: a.Off, Strides: []int{a.RowStride, a.ColStride}})
}

// HadamardReduce multiplies two arrays elementwise and sums the products
// into out over the axes where out's stride is 0:
//
//	out[o(i)] = β·out[o(i)] + α·Σ_{i ↦ o(i)} x[i]·y[i],
//
// summing over every index i of shape that reaches the same element o(i)
// of out. With no zero strides in out it is the Hadamard product; with all
// of them zero, a dot product (einsum "ij,ij->"); "ij,ij->i" and "bij,bj->bi"
// sit in between, and zero strides in x or y broadcast them (an outer
// product is x with strides (1, 0) and y with (0, 1)). When β = 0, out is
// only written. out must not share memory with x or y, and its axes of
// nonzero stride must not reach one element twice.
func HadamardReduce[T Elem](shape []int, alpha T, x, y Strided[T], beta T, out Strided[T]) error {
	return hadamardReduce(shape, alpha, x, y, beta, out)
}

// SumAxis sums src over one axis:
//
//	dst[i without axis] = β·dst[…] + α·Σ_{i_axis} src[i],
//
// where dst has the rank of shape minus one (dst.Strides skips axis). When
// β = 0, dst is only written. dst must not share memory with src.
func SumAxis[T Elem](shape []int, axis int, alpha T, src Strided[T], beta T, dst Strided[T]) error {
	if axis < 0 || axis >= len(shape) {
		return fmt.Errorf("kernel: axis %d is out of range for rank %d", axis, len(shape))
	}
	if len(shape) > maxRank {
		return fmt.Errorf("kernel: rank %d is above the limit %d", len(shape), maxRank)
	}
	if len(dst.Strides) != len(shape)-1 {
		return fmt.Errorf("kernel: dst has %d strides, want %d (rank %d less the summed axis)", len(dst.Strides), len(shape)-1, len(shape))
	}
	var outStrides, zeros [maxRank]int
	copy(outStrides[:axis], dst.Strides[:axis])
	copy(outStrides[axis+1:], dst.Strides[axis:])
	one := [1]T{1}
	r := len(shape)
	return hadamardReduce(shape, alpha, src, Strided[T]{Data: one[:], Strides: zeros[:r]}, beta,
		Strided[T]{Data: dst.Data, Off: dst.Off, Strides: outStrides[:r]})
}

// hadamardReduce is HadamardReduce.
func hadamardReduce[T Elem](shape []int, alpha T, x, y Strided[T], beta T, out Strided[T]) error {
	xlo, xhi, _, err := x.check("x", shape)
	if err != nil {
		return err
	}
	ylo, yhi, _, err := y.check("y", shape)
	if err != nil {
		return err
	}
	olo, ohi, ok, err := out.check("out", shape)
	if err != nil || !ok {
		return err
	}
	// out's own axes (nonzero stride) must not collide.
	var kept [maxRank]int
	for a, d := range shape {
		kept[a] = d
		if out.Strides[a] == 0 {
			kept[a] = 1
		}
	}
	if selfOverlap(kept[:len(shape)], out.Strides) {
		return errOverlap
	}
	if sameMemory(out.Data, olo, ohi, x.Data, xlo, xhi) {
		return fmt.Errorf("kernel: out shares memory with x")
	}
	if sameMemory(out.Data, olo, ohi, y.Data, ylo, yhi) {
		return fmt.Errorf("kernel: out shares memory with y")
	}

	l := newND(shape, 3, [3][]int{out.Strides, x.Strides, y.Strides})
	l.order([3]bool{true, true, true})
	l.merge()
	off := [3]int{out.Off, x.Off, y.Off}
	if l.rank == 0 {
		mulAdd(1, alpha, beta, x.Data, x.Off, 0, y.Data, y.Off, 0, out.Data, out.Off, 0)
		return nil
	}
	in := l.rank - 1
	n, so, sx, sy := l.shape[in], l.strides[0][in], l.strides[1][in], l.strides[2][in]
	// β can be folded into the single visit of each element of out unless
	// an outer axis sums into it.
	reducedOuter := false
	for a := 0; a < in; a++ {
		reducedOuter = reducedOuter || l.strides[0][a] == 0
	}
	if reducedOuter {
		scaleND(shape, beta, out)
		beta = 1
	}
	if so == 0 {
		l.each(1, off, func(o [3]int) {
			s := alpha * dot(n, x.Data, o[1], sx, y.Data, o[2], sy)
			if beta == 0 {
				out.Data[o[0]] = s
			} else {
				out.Data[o[0]] = s + beta*out.Data[o[0]]
			}
		})
		return nil
	}
	l.each(1, off, func(o [3]int) { mulAdd(n, alpha, beta, x.Data, o[1], sx, y.Data, o[2], sy, out.Data, o[0], so) })
	return nil
}

// scaleND sets out = β·out on the distinct elements of out (axes of zero
// stride are visited once), or out = 0 when β = 0.
func scaleND[T Elem](shape []int, beta T, out Strided[T]) {
	if beta == 1 {
		return
	}
	l := newND(shape, 1, [3][]int{out.Strides})
	r := 0
	for a := 0; a < l.rank; a++ {
		if l.strides[0][a] != 0 {
			l.shape[r], l.strides[0][r] = l.shape[a], l.strides[0][a]
			r++
		}
	}
	l.rank = r
	l.order([3]bool{true})
	l.merge()
	n, s := 1, 0
	if l.rank > 0 {
		n, s = l.shape[l.rank-1], l.strides[0][l.rank-1]
	}
	l.each(1, [3]int{out.Off}, func(o [3]int) {
		for i := 0; i < n; i++ {
			if beta == 0 {
				out.Data[o[0]+i*s] = 0
			} else {
				out.Data[o[0]+i*s] *= beta
			}
		}
	})
}

// dot returns Σ_{i<n} x[ox + i·sx]·y[oy + i·sy].
func dot[T Elem](n int, x []T, ox, sx int, y []T, oy, sy int) T {
	switch {
	case sx == 1 && sy == 1:
		xs, ys := x[ox:ox+n], y[oy:oy+n]
		var s0, s1, s2, s3 T
		i := 0
		for ; i+4 <= n; i += 4 {
			s0 += xs[i] * ys[i]
			s1 += xs[i+1] * ys[i+1]
			s2 += xs[i+2] * ys[i+2]
			s3 += xs[i+3] * ys[i+3]
		}
		for ; i < n; i++ {
			s0 += xs[i] * ys[i]
		}
		return (s0 + s1) + (s2 + s3)
	case sy == 0 || sx == 0:
		// One side is constant: sum the other and multiply once.
		if sx == 0 {
			x, ox, sx, y, oy, sy = y, oy, sy, x, ox, sx
		}
		var s T
		for i := 0; i < n; i++ {
			s += x[ox+i*sx]
		}
		return s * y[oy]
	}
	var s T
	for i := 0; i < n; i++ {
		s += x[ox+i*sx] * y[oy+i*sy]
	}
	return s
}

// mulAdd sets out[i] = α·x[i]·y[i] + β·out[i] for i < n, where x[i] =
// x[ox + i·sx] and so on; a nil y stands for ones. β = 0 writes out without
// reading it.
func mulAdd[T Elem](n int, alpha, beta T, x []T, ox, sx int, y []T, oy, sy int, out []T, oo, so int) {
	if y != nil && sy == 0 {
		alpha *= y[oy]
		y = nil
	}
	if y != nil && sx == 0 {
		alpha *= x[ox]
		x, ox, sx, y = y, oy, sy, nil
	}
	switch {
	case y == nil && sx == 1 && so == 1:
		xs, os := x[ox:ox+n], out[oo:oo+n]
		switch beta {
		case 0:
			for i, v := range xs {
				os[i] = alpha * v
			}
		case 1:
			for i, v := range xs {
				os[i] += alpha * v
			}
		default:
			for i, v := range xs {
				os[i] = alpha*v + beta*os[i]
			}
		}
	case y == nil:
		for i := 0; i < n; i++ {
			o := oo + i*so
			if beta == 0 {
				out[o] = alpha * x[ox+i*sx]
			} else {
				out[o] = alpha*x[ox+i*sx] + beta*out[o]
			}
		}
	case sx == 1 && sy == 1 && so == 1:
		xs, ys, os := x[ox:ox+n], y[oy:oy+n], out[oo:oo+n]
		if beta == 0 {
			for i, v := range xs {
				os[i] = alpha * v * ys[i]
			}
		} else {
			for i, v := range xs {
				os[i] = alpha*v*ys[i] + beta*os[i]
			}
		}
	default:
		for i := 0; i < n; i++ {
			o := oo + i*so
			if beta == 0 {
				out[o] = alpha * x[ox+i*sx] * y[oy+i*sy]
			} else {
				out[o] = alpha*x[ox+i*sx]*y[oy+i*sy] + beta*out[o]
			}
		}
	}
}
