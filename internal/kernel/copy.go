package kernel

import "fmt"

// copyBlock is the side of the square tiles a transposing copy moves at a
// time: two 32×32 tiles of float64 (16 KiB) stay in L1d.
const copyBlock = 32

// Copy copies an n-d array between strided views,
//
//	dst[i] = src[i]   for every index i of shape,
//
// which permutes axes (the TTGT transpose) when the two views order their
// strides differently. The loops follow dst's memory order; when src's
// fastest axis is another one, those two axes are copied in
// copyBlock×copyBlock tiles so that both sides stay in cache (the blocked
// transpose of Lam, Rothberg and Wolf, "The cache performance and
// optimizations of blocked algorithms", ASPLOS 1991). Large copies are
// split along dst's outermost axis over up to [Threads] goroutines. dst
// must not share memory with src, nor reach one element twice.
func Copy[T Elem](shape []int, dst, src Strided[T]) error {
	dlo, dhi, ok, err := dst.check("dst", shape)
	if err != nil {
		return err
	}
	slo, shi, _, err := src.check("src", shape)
	if err != nil || !ok {
		return err
	}
	if selfOverlap(shape, dst.Strides) {
		return errOverlap
	}
	if sameMemory(dst.Data, dlo, dhi, src.Data, slo, shi) {
		return fmt.Errorf("kernel: dst shares memory with src")
	}
	l := newND(shape, 2, [3][]int{dst.Strides, src.Strides})
	l.order([3]bool{true, false, false})
	l.merge()
	off := [3]int{dst.Off, src.Off}
	if l.rank == 0 {
		dst.Data[dst.Off] = src.Data[src.Off]
		return nil
	}
	body := func(l *nd, off [3]int, _ int) { copyND(l, off, dst.Data, src.Data) }
	if chunks := chunksFor(&l, 0); chunks > 1 {
		split(&l, off, 0, chunks, body)
		return nil
	}
	body(&l, off, 0)
	return nil
}

// copyND copies src into dst over the iteration space l (operand 0 is dst,
// ordered by dst's strides), starting from offsets off.
func copyND[T Elem](l *nd, off [3]int, dst, src []T) {
	in := l.rank - 1
	// The axis src walks fastest, if it is not dst's.
	y := -1
	for a := 0; a < in; a++ {
		if abs(l.strides[1][a]) < abs(l.strides[1][in]) && (y < 0 || abs(l.strides[1][a]) < abs(l.strides[1][y])) {
			y = a
		}
	}
	if y < 0 {
		n, ds, ss := l.shape[in], l.strides[0][in], l.strides[1][in]
		l.each(1, off, func(o [3]int) { copy1D(n, dst, o[0], ds, src, o[1], ss) })
		return
	}
	// Bring y next to the innermost axis and copy the pair in tiles.
	for a := y; a < in-1; a++ {
		l.swap(a, a+1)
	}
	ny, nx := l.shape[in-1], l.shape[in]
	dy, dx := l.strides[0][in-1], l.strides[0][in]
	sy, sx := l.strides[1][in-1], l.strides[1][in]
	l.each(2, off, func(o [3]int) { copy2D(ny, nx, dst, o[0], dy, dx, src, o[1], sy, sx) })
}

// copy1D sets dst[do + i·ds] = src[so + i·ss] for i < n.
func copy1D[T Elem](n int, dst []T, do, ds int, src []T, so, ss int) {
	if ds == 1 && ss == 1 {
		copy(dst[do:do+n], src[so:so+n])
		return
	}
	for i := 0; i < n; i++ {
		dst[do+i*ds] = src[so+i*ss]
	}
}

// copy2D sets dst[do + y·dy + x·dx] = src[so + y·sy + x·sx] for y < ny,
// x < nx, in copyBlock×copyBlock tiles.
func copy2D[T Elem](ny, nx int, dst []T, do, dy, dx int, src []T, so, sy, sx int) {
	for y0 := 0; y0 < ny; y0 += copyBlock {
		y1 := min(y0+copyBlock, ny)
		for x0 := 0; x0 < nx; x0 += copyBlock {
			x1 := min(x0+copyBlock, nx)
			for y := y0; y < y1; y++ {
				d, s := do+y*dy+x0*dx, so+y*sy+x0*sx
				for x := x0; x < x1; x++ {
					dst[d] = src[s]
					d += dx
					s += sx
				}
			}
		}
	}
}
