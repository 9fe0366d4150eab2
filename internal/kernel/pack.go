package kernel

// packStrip is the number of rows of B transposed at a time when packing a
// B whose columns are contiguous.
const packStrip = 8

// maxMR and maxNR bound the register tiles of every kernel set.
const (
	maxMR = 8
	maxNR = 48
)

// packB copies the block B[p0:p0+kc, j0:j0+nc] into NR-wide panels: panel q
// holds columns j0+q·NR… and
//
//	dst[q·NR·kc + p·NR + jj] = B[p0+p, j0+q·NR+jj],
//
// with zeros in the columns of the last panel past nc. pk packs the full
// panels it can.
func packB[T Float](dst []T, b Matrix[T], p0, kc, j0, nc, nr int, pk panelPackers[T]) {
	rs, cs := b.RowStride, b.ColStride
	base := b.Off + p0*rs + j0*cs
	switch {
	case !b.strided():
		// Gather through the offsets, a panel's column offsets at hand.
		var cols [maxNR]int
		for jr := 0; jr < nc; jr += nr {
			panel := dst[jr*kc : jr*kc+kc*nr]
			w := min(nr, nc-jr)
			for jj := range w {
				cols[jj] = b.Off + b.colOff(j0+jr+jj)
			}
			for p := 0; p < kc; p++ {
				d := panel[p*nr : p*nr+nr]
				ro := b.rowOff(p0 + p)
				for jj, co := range cols[:w] {
					d[jj] = b.Data[ro+co]
				}
				clear(d[w:])
			}
		}
	case cs == 1 && pk.rows != nil || rs == 1 && pk.cols != nil:
		jr := 0
		for ; jr+nr <= nc; jr += nr {
			if cs == 1 {
				pk.rows(dst[jr*kc:], b.Data, base+jr, rs, kc)
			} else {
				pk.cols(dst[jr*kc:], b.Data, base+jr*cs, cs, kc)
			}
		}
		if jr < nc {
			packB(dst[jr*kc:], b, p0, kc, j0+jr, nc-jr, nr, panelPackers[T]{})
		}
	case cs == 1:
		// Rows of B are contiguous: copy each row's stretch of every panel.
		for p := 0; p < kc; p++ {
			src := b.Data[base+p*rs : base+p*rs+nc]
			for jr := 0; jr < nc; jr += nr {
				d := dst[jr*kc+p*nr : jr*kc+p*nr+nr]
				n := copy(d, src[jr:])
				clear(d[n:])
			}
		}
	case rs == 1:
		// Columns of B are contiguous (a transposed B): transpose strips of
		// packStrip rows, so the panel rows being written stay in L1.
		for jr := 0; jr < nc; jr += nr {
			panel := dst[jr*kc : jr*kc+kc*nr]
			w := min(nr, nc-jr)
			for p0 := 0; p0 < kc; p0 += packStrip {
				p1 := min(p0+packStrip, kc)
				for jj := 0; jj < w; jj++ {
					col := b.Data[base+(jr+jj)*cs+p0 : base+(jr+jj)*cs+p1]
					for p, v := range col {
						panel[(p0+p)*nr+jj] = v
					}
				}
			}
			for p := 0; p < kc && w < nr; p++ {
				clear(panel[p*nr+w : p*nr+nr])
			}
		}
	default:
		for jr := 0; jr < nc; jr += nr {
			panel := dst[jr*kc : jr*kc+kc*nr]
			w := min(nr, nc-jr)
			for p := 0; p < kc; p++ {
				d := panel[p*nr : p*nr+nr]
				o := base + p*rs + jr*cs
				for jj := 0; jj < w; jj++ {
					d[jj] = b.Data[o+jj*cs]
				}
				clear(d[w:])
			}
		}
	}
}

// packA copies the block A[i0:i0+mc, p0:p0+kc] into MR-row slivers: sliver
// q holds rows i0+q·MR… and
//
//	dst[q·MR·kc + p·MR + ii] = A[i0+q·MR+ii, p0+p].
//
// Rows of the last sliver past mc are left as they are: the micro-kernel
// never reads them.
func packA[T Float](dst []T, a Matrix[T], i0, mc, p0, kc, mr int) {
	rs, cs := a.RowStride, a.ColStride
	for ir := 0; ir < mc; ir += mr {
		h := min(mr, mc-ir)
		sliver := dst[ir*kc : ir*kc+kc*mr]
		if !a.strided() {
			// Gather through the offsets, the sliver's row offsets at hand.
			var rows [maxMR]int
			for ii := range h {
				rows[ii] = a.Off + a.rowOff(i0+ir+ii)
			}
			for p := 0; p < kc; p++ {
				co := a.colOff(p0 + p)
				for ii, ro := range rows[:h] {
					sliver[p*mr+ii] = a.Data[ro+co]
				}
			}
			continue
		}
		base := a.Off + (i0+ir)*rs + p0*cs
		if rs == 1 {
			// Columns of A are contiguous (a transposed A).
			for p := 0; p < kc; p++ {
				copy(sliver[p*mr:p*mr+h], a.Data[base+p*cs:base+p*cs+h])
			}
			continue
		}
		for ii := 0; ii < h; ii++ {
			o := base + ii*rs
			for p := 0; p < kc; p++ {
				sliver[p*mr+ii] = a.Data[o+p*cs]
			}
		}
	}
}
