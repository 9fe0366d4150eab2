package kernel

import (
	"fmt"
	"unsafe"
)

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
	mulAdd(n, alpha, 1, x, offX, incX, nil, 0, 0, y, offY, incY, false)
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

// Sum adds up x over the axes where out's stride is 0:
//
//	out[o(i)] = β·out[o(i)] + α·Σ_{i ↦ o(i)} x[i],
//
// HadamardReduce with y = 1: "ij->i" is out with strides (1, 0), a trace
// "ii->" a diagonal view of x (stride n+1) with out's stride 0, and with
// no zero strides in out it is a scaled copy. When β = 0, out is only
// written. out must not share memory with x, and its axes of nonzero
// stride must not reach one element twice.
func Sum[T Elem](shape []int, alpha T, x Strided[T], beta T, out Strided[T]) error {
	if len(shape) > maxRank {
		return fmt.Errorf("kernel: rank %d is above the limit %d", len(shape), maxRank)
	}
	one := [1]T{1}
	return hadamardReduce(shape, alpha, x, Strided[T]{Data: one[:], Strides: make([]int, len(shape))}, beta, out)
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
		mulAdd(1, alpha, beta, x.Data, x.Off, 0, y.Data, y.Off, 0, out.Data, out.Off, 0, false)
		return nil
	}
	// Split large loops between goroutines: along an axis of out's own
	// when it has one (the parts write disjoint elements, each summed in
	// the same order as by one goroutine), or else, for a scalar out, into
	// chunks whose partial sums are added in order at the end.
	axis := splitAxis(&l, maxChunks, func(a int) bool { return l.strides[0][a] != 0 })
	scalar := axis < 0
	if scalar {
		axis = splitAxis(&l, maxChunks, func(int) bool { return true })
	}
	// An output far larger than the caches is streamed to memory.
	var z T
	stream := beta == 0 && (ohi-olo+1)*int(unsafe.Sizeof(z)) >= streamBytes
	switch chunks := chunksFor(&l, axis); {
	case chunks == 1:
		reduceND(&l, off, alpha, beta, x.Data, y.Data, out.Data, stream)
	case scalar:
		out.Data[out.Off] = reduceChunks(&l, off, axis, chunks, alpha, beta, x.Data, y.Data, out.Data[out.Off])
	default:
		reduceSplit(&l, off, axis, chunks, alpha, beta, x.Data, y.Data, out.Data, stream)
	}
	return nil
}

// streamBytes is the output size from which HadamardReduce writes with
// non-temporal stores (where the CPU has them), as memclr does.
const streamBytes = 32 << 20

// reduceSplit runs reduceND on chunks of l along axis, an axis of out's own.
func reduceSplit[T Elem](l *nd, off [3]int, axis, chunks int, alpha, beta T, x, y, out []T, stream bool) {
	split(l, off, axis, chunks, func(l *nd, off [3]int, _ int) { reduceND(l, off, alpha, beta, x, y, out, stream) })
}

// reduceChunks returns β·o + α·Σ_i x[i]·y[i] over the iteration space l
// (whose out strides are all 0), summed in chunks along axis (see split)
// whose partial sums are added in order.
func reduceChunks[T Elem](l *nd, off [3]int, axis, chunks int, alpha, beta T, x, y []T, o T) T {
	partial := make([]T, chunks)
	split(l, off, axis, chunks, func(l *nd, off [3]int, c int) {
		off[0] = c
		reduceND(l, off, alpha, 0, x, y, partial, false)
	})
	var s T
	for _, p := range partial {
		s += p
	}
	if beta != 0 {
		s += beta * o
	}
	return s
}

// reduceND runs the loops of HadamardReduce on the iteration space l
// (operands out, x, y) from offsets off; stream asks for non-temporal
// stores where out is only written.
func reduceND[T Elem](l *nd, off [3]int, alpha, beta T, x, y, out []T, stream bool) {
	in := l.rank - 1
	// Short runs of out fed by a long summed axis (a trace such as
	// "iij->j"): make the summed axis the inner loop, a tight strided sum
	// that keeps many loads in flight, and revisit the few cache lines of
	// each run from L1/L2.
	if in > 0 && l.shape[in] <= shortRun && l.strides[0][in] != 0 && l.strides[0][in-1] == 0 && l.shape[in-1] > l.shape[in] {
		l.swap(in-1, in)
	}
	n, so, sx, sy := l.shape[in], l.strides[0][in], l.strides[1][in], l.strides[2][in]
	// β can be folded into the single visit of each element of out unless
	// an outer axis sums into it.
	reducedOuter := false
	for a := 0; a < in; a++ {
		reducedOuter = reducedOuter || l.strides[0][a] == 0
	}
	if reducedOuter {
		scaleND(l, beta, out, off[0])
		beta = 1
	}
	// The two innermost axes run here, without a call per row: rows of
	// length n at m offsets, stepping by the next axis's strides.
	m, om, xm, ym := 1, 0, 0, 0
	inner := 1
	if in > 0 {
		m, om, xm, ym = l.shape[in-1], l.strides[0][in-1], l.strides[1][in-1], l.strides[2][in-1]
		inner = 2
	}
	if so == 0 {
		l.each(inner, off, func(o [3]int) {
			for r := 0; r < m; r++ {
				p := o[0] + r*om
				s := alpha * dot(n, x, o[1]+r*xm, sx, y, o[2]+r*ym, sy)
				if beta == 0 {
					out[p] = s
				} else {
					out[p] = s + beta*out[p]
				}
			}
		})
		return
	}
	l.each(inner, off, func(o [3]int) {
		for r := 0; r < m; r++ {
			mulAdd(n, alpha, beta, x, o[1]+r*xm, sx, y, o[2]+r*ym, sy, out, o[0]+r*om, so, stream)
		}
	})
}

// shortRun is the longest run of out that reduceND fills along an outer
// summed axis rather than the other way round.
const shortRun = 16

// scaleND sets out = β·out on the distinct elements that operand 0 of l
// reaches from offset off (axes of zero stride are visited once), or
// out = 0 when β = 0.
func scaleND[T Elem](l *nd, beta T, out []T, off int) {
	if beta == 1 {
		return
	}
	s := nd{ops: 1}
	for a := 0; a < l.rank; a++ {
		if l.strides[0][a] != 0 {
			s.shape[s.rank], s.strides[0][s.rank] = l.shape[a], l.strides[0][a]
			s.rank++
		}
	}
	s.order([3]bool{true})
	s.merge()
	n, st := 1, 0
	if s.rank > 0 {
		n, st = s.shape[s.rank-1], s.strides[0][s.rank-1]
	}
	s.each(1, [3]int{off}, func(o [3]int) {
		if st == 1 && beta == 0 {
			clear(out[o[0] : o[0]+n])
			return
		}
		for i := 0; i < n; i++ {
			if beta == 0 {
				out[o[0]+i*st] = 0
			} else {
				out[o[0]+i*st] *= beta
			}
		}
	})
}

// dot returns Σ_{i<n} x[ox + i·sx]·y[oy + i·sy].
func dot[T Elem](n int, x []T, ox, sx int, y []T, oy, sy int) T {
	switch {
	case sx == 1 && sy == 1:
		return dotUnit(x[ox:ox+n], y[oy:oy+n])
	case sy == 0 || sx == 0:
		// One side is constant: sum the other and multiply once.
		if sx == 0 {
			x, ox, sx, y, oy = y, oy, sy, x, ox
		}
		if sx == 1 {
			return sumUnit(x[ox:ox+n]) * y[oy]
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
// reading it, streaming unit-stride runs to memory when stream is set.
func mulAdd[T Elem](n int, alpha, beta T, x []T, ox, sx int, y []T, oy, sy int, out []T, oo, so int, stream bool) {
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
		scaleUnit(alpha, beta, x[ox:ox+n], out[oo:oo+n], stream)
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
		mulUnit(alpha, beta, x[ox:ox+n], y[oy:oy+n], out[oo:oo+n], stream)
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
