package kernel

import (
	"sync"
	"sync/atomic"
)

// Work thresholds, counted in multiply-adds (m·n·k).
const (
	// smallWork: products up to 64³ run the micro-kernel straight on the
	// operands, with no packing and no goroutines.
	smallWork = 1 << 18
	// threadWork: the least work worth waking another goroutine for.
	threadWork = 1 << 20
	// packCost is the cost of packing one element of B, in multiply-adds
	// of the micro-kernel; it steers how a product is split over threads.
	packCost = 8
	// sliverGroup is the number of MR-row slivers a goroutine takes at a
	// time in a splitRowGroups product.
	sliverGroup = 2
)

// How a gemmJob divides its work between goroutines.
const (
	splitBatch     = iota // whole products of the batch
	splitRows             // MR-row slivers of one product
	splitCols             // NR-column panels of one product
	splitRowGroups        // groups of MR-row slivers of one product, taken in turn
	splitColGroups        // NR-column panels of one product, taken in shrinking groups
)

// gemmJob is one call of the driver: batch products X_t = X shifted by t·sX.
type gemmJob[T Float] struct {
	ks          *kernelSet[T]
	alpha, beta T
	a, b, c     Matrix[T]
	sa, sb, sc  int
	batch       int

	mode, parts int
	item        int           // the product split by all but splitBatch
	taken       *atomic.Int64 // sliver groups (splitRowGroups) or panels (splitColGroups) taken so far
}

// parallelJob is a gemmJob with what its goroutines synchronize on, kept
// apart so that the serial path's job can live on the stack (a gate holds
// a 64-bit atomic, which 32-bit platforms keep on the heap).
type parallelJob[T Float] struct {
	gemmJob[T]
	g     gate
	taken atomic.Int64
}

var (
	jobs64 = sync.Pool{New: func() any { return new(parallelJob[float64]) }}
	jobs32 = sync.Pool{New: func() any { return new(parallelJob[float32]) }}
)

func jobPool[T Float]() *sync.Pool {
	var z T
	if _, ok := any(z).(float64); ok {
		return &jobs64
	}
	return &jobs32
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// gemm runs a validated GemmBatched call with kernel set ks.
func gemm[T Float](ks *kernelSet[T], opt Options, batch int, alpha T, a Matrix[T], sa int, b Matrix[T], sb int, beta T, c Matrix[T], sc int) {
	m, n, k := c.Rows, c.Cols, a.Cols
	if batch == 0 || m == 0 || n == 0 {
		return
	}
	if alpha == 0 || k == 0 {
		for t := 0; t < batch; t++ {
			scaleMatrix(c, c.Off+t*sc, beta)
		}
		return
	}
	// A batch whose items continue each other's rows (columns) of A and C
	// (B and C) around a shared B (A) is one taller (wider) product.
	if batch > 1 && sb == 0 && a.RowOffsets == nil && sa == m*a.RowStride && sc == m*c.RowStride {
		m *= batch
		a.Rows, c.Rows, batch = m, m, 1
	} else if batch > 1 && sa == 0 && b.ColOffsets == nil && sb == n*b.ColStride && sc == n*c.ColStride {
		n *= batch
		b.Cols, c.Cols, batch = n, n, 1
	}
	// Computing Cᵀ = Bᵀ·Aᵀ wastes less of the register tile when n is much
	// smaller than NR and m is not.
	if n < ks.nr && m > n && ceilDiv(m, ks.mr)*ks.mr*ks.nr > 2*ceilDiv(n, ks.mr)*ks.mr*ceilDiv(m, ks.nr)*ks.nr {
		a, b, c = b.T(), a.T(), c.T()
		sa, sb = sb, sa
		m, n = n, m
	}
	// A stride across a dimension of size 1 is never used; a unit one
	// enables the direct paths, and so does folding a single offset into Off.
	for _, x := range []*Matrix[T]{&a, &b, &c} {
		if x.Rows == 1 && x.RowOffsets != nil {
			x.Off, x.RowOffsets = x.Off+x.RowOffsets[0], nil
		}
		if x.Cols == 1 {
			if x.ColOffsets != nil {
				x.Off, x.ColOffsets = x.Off+x.ColOffsets[0], nil
			}
			x.ColStride = 1
		}
	}

	itemWork := float64(m) * float64(n) * float64(k)
	if ks.narrow != nil && itemWork <= smallWork && ceilDiv(n, ks.narrow.nr)*ks.narrow.nr < ceilDiv(n, ks.nr)*ks.nr {
		ks = ks.narrow
		if ks.narrow != nil && n <= ks.narrow.nr {
			ks = ks.narrow
		}
	}
	work := float64(batch) * itemWork
	threads := goroutines(work, opt)
	if threads == 1 && batch == 1 && work <= smallWork && a.strided() && b.strided() && b.ColStride == 1 && c.ColStride == 1 && ks.masked {
		gemmDirect(ks, alpha, a, b, beta, c)
		return
	}
	ws := wsPool.Get().(*workspace)
	defer wsPool.Put(ws)
	if threads == 1 {
		// One goroutine: no job from the pool, no workers.
		j := gemmJob[T]{ks: ks, alpha: alpha, beta: beta, a: a, b: b, c: c, sa: sa, sb: sb, sc: sc, batch: batch, mode: splitBatch, parts: 1}
		j.do(0, ws)
		return
	}
	pool := jobPool[T]()
	pj := pool.Get().(*parallelJob[T])
	pj.gemmJob = gemmJob[T]{ks: ks, alpha: alpha, beta: beta, a: a, b: b, c: c, sa: sa, sb: sb, sc: sc, batch: batch}
	defer func() {
		pj.gemmJob = gemmJob[T]{}
		pool.Put(pj)
	}()
	j := &pj.gemmJob
	j.mode, j.parts = splitOf(ks, a, batch, m, n, k, threads)
	if j.mode == splitBatch {
		parallel(j.parts, j.parts-1, j, &pj.g, ws)
		return
	}
	if j.mode == splitRowGroups || j.mode == splitColGroups {
		j.taken = &pj.taken
	}
	for t := 0; t < batch; t++ {
		j.item = t
		pj.taken.Store(0)
		parallel(j.parts, j.parts-1, j, &pj.g, ws)
	}
}

// goroutines returns how many goroutines share a call of work
// multiply-adds: one below 2·threadWork, else one per threadWork up to
// opt's thread count.
func goroutines(work float64, opt Options) int {
	if work < 2*threadWork {
		return 1
	}
	return min(opt.threads(), int(work/threadWork))
}

// splitOf returns the gemmJob mode by which threads goroutines divide
// batch m×n×k products with A laid out as a, and into how many parts. A
// batch with enough items is dealt out whole. Otherwise each product is
// split by rows or by columns, whichever leaves the busiest goroutine the
// least work, counting the B panels it packs. Rows are taken in groups in
// turn rather than dealt out when B fits one block, k ≤ kc deep and at
// most kc·nc elements (each goroutine packs it once), and columns when A
// is read in place (no goroutine packs any of it): that balances
// processors that run at different speeds, as virtual ones do.
func splitOf[T Float](ks *kernelSet[T], a Matrix[T], batch, m, n, k, threads int) (mode, parts int) {
	if batch >= threads && (batch%threads == 0 || batch >= 4*threads) {
		return splitBatch, threads
	}
	mt, nt := ceilDiv(m, ks.mr), ceilDiv(n, ks.nr)
	rowCost := ceilDiv(mt, threads)*ks.mr*nt*ks.nr*k + packCost*k*n
	colCost := mt*ks.mr*ceilDiv(nt, threads)*ks.nr*k + packCost*k*ceilDiv(nt, threads)*ks.nr
	switch {
	case rowCost < colCost && k <= ks.kc && k*n <= ks.kc*ks.nc && mt >= 2*sliverGroup*threads:
		return splitRowGroups, threads
	case rowCost < colCost:
		return splitRows, min(threads, mt)
	case a.ColStride == 1 && a.strided() && nt >= 2*threads:
		return splitColGroups, threads
	}
	return splitCols, min(threads, nt)
}

// do runs part `part` of the job on workspace ws.
func (j *gemmJob[T]) do(part int, ws *workspace) {
	bf := buffersOf[T](ws)
	m, n := j.c.Rows, j.c.Cols
	switch j.mode {
	case splitBatch:
		for t := part * j.batch / j.parts; t < (part+1)*j.batch/j.parts; t++ {
			j.run(bf, t, 0, m, 0, n)
		}
	case splitRows:
		mt := ceilDiv(m, j.ks.mr)
		i0 := part * mt / j.parts * j.ks.mr
		i1 := min(m, (part+1)*mt/j.parts*j.ks.mr)
		j.run(bf, j.item, i0, i1, 0, n)
	case splitCols:
		nt := ceilDiv(n, j.ks.nr)
		j0 := part * nt / j.parts * j.ks.nr
		j1 := min(n, (part+1)*nt/j.parts*j.ks.nr)
		j.run(bf, j.item, 0, m, j0, j1)
	case splitRowGroups:
		j.runRowGroups(bf)
	case splitColGroups:
		j.runColGroups(bf)
	}
}

// runColGroups computes panels of a splitColGroups product until none is
// left, taking at a time a share 1/(2·parts) of the panels left, at least
// one (guided self-scheduling: Polychronopoulos and Kuck, IEEE Trans.
// Computers 36(12), 1987). Every group streams the rows of A through L1
// once per kc block, so groups start large; the last ones, small, even out
// the goroutines' finishing times.
func (j *gemmJob[T]) runColGroups(bf *buffers[T]) {
	nr, n := j.ks.nr, j.c.Cols
	nt := int64(ceilDiv(n, nr))
	for {
		q0 := j.taken.Load()
		if q0 >= nt {
			return
		}
		q1 := q0 + max(1, (nt-q0)/int64(2*j.parts))
		if j.taken.CompareAndSwap(q0, q1) {
			j.run(bf, j.item, 0, j.c.Rows, int(q0)*nr, min(n, int(q1)*nr))
		}
	}
}

// runRowGroups computes groups of sliverGroup slivers of a splitRowGroups product
// until none is left, packing B, one block (see splitOf), before its first.
func (j *gemmJob[T]) runRowGroups(bf *buffers[T]) {
	ks := j.ks
	a, b, c := j.product(j.item)
	m, n, k := c.Rows, c.Cols, a.Cols
	rows := sliverGroup * ks.mr
	var bp []T
	for g := int(j.taken.Add(1) - 1); g*rows < m; g = int(j.taken.Add(1) - 1) {
		if bp == nil {
			bp = grow(&bf.b, ceilDiv(n, ks.nr)*ks.nr*k)
			packB(bp, b, 0, k, 0, n, ks.nr, ks.pack)
		}
		gemmBlock(ks, bf, j.alpha, a, b, j.beta, c, g*rows, min(m, (g+1)*rows), 0, n, false, bp)
	}
}

// run computes rows i0…i1-1 and columns j0…j1-1 of product t.
func (j *gemmJob[T]) run(bf *buffers[T], t, i0, i1, j0, j1 int) {
	a, b, c := j.product(t)
	small := float64(c.Rows)*float64(c.Cols)*float64(a.Cols) <= smallWork
	gemmBlock(j.ks, bf, j.alpha, a, b, j.beta, c, i0, i1, j0, j1, small, nil)
}

// product returns the operands of product t.
func (j *gemmJob[T]) product(t int) (a, b, c Matrix[T]) {
	a, b, c = j.a, j.b, j.c
	a.Off += t * j.sa
	b.Off += t * j.sb
	c.Off += t * j.sc
	return a, b, c
}

// gemmBlock computes the block C[i0:i1, j0:j1] = α·A[i0:i1, :]·B[:, j0:j1] +
// β·C[i0:i1, j0:j1] with the five loops of Goto's algorithm around the
// micro-kernel: kc-deep slices of the k dimension, mc-row blocks of A (only
// when A must be packed), nc-column blocks of B packed into NR-wide panels,
// then MR-row slivers of A against every panel of the block. A row-major A
// (unit column stride) is read in place: its MR×kc sliver is what stays in
// L1. When small is set, A and B are both read in place where the kernel
// can (B needs unit column stride) and k is not sliced. Operands with row
// or column offsets are always packed. A non-nil packedB is B packed
// whole, k ≤ kc deep and at most kc·nc elements (then j0 = 0 and j1 = n):
// one block, however wide.
func gemmBlock[T Float](ks *kernelSet[T], bf *buffers[T], alpha T, a, b Matrix[T], beta T, c Matrix[T], i0, i1, j0, j1 int, small bool, packedB []T) {
	mr, nr := ks.mr, ks.nr
	k := a.Cols
	directA := (small || a.ColStride == 1) && a.strided()
	directB := small && b.ColStride == 1 && b.strided()
	kcBlk, mcBlk, ncBlk := ks.kc, ks.mc, ks.nc
	if small {
		kcBlk, ncBlk = k, j1-j0
	}
	if packedB != nil {
		ncBlk = j1 - j0
	}
	if directA {
		mcBlk = i1 - i0
	}
	for pc := 0; pc < k; pc += kcBlk {
		kc := min(kcBlk, k-pc)
		betaK := beta
		if pc > 0 {
			betaK = 1
		}
		for ic := i0; ic < i1; ic += mcBlk {
			mc := min(mcBlk, i1-ic)
			var ap []T
			if !directA {
				ap = grow(&bf.a, ceilDiv(mc, mr)*mr*kc)
				packA(ap, a, ic, mc, pc, kc, mr)
			}
			for jc := j0; jc < j1; jc += ncBlk {
				nc := min(ncBlk, j1-jc)
				var bp, edge []T
				switch {
				case packedB != nil:
					bp = packedB
				case !directB:
					bp = grow(&bf.b, ceilDiv(nc, nr)*nr*kc)
					packB(bp, b, pc, kc, jc, nc, nr, ks.pack)
				case nc%nr != 0 && !ks.masked:
					// The kernel reads NR columns: give it a padded copy of the last panel.
					edge = grow(&bf.edge, nr*kc)
					packB(edge, b, pc, kc, jc+nc-nc%nr, nc%nr, nr, panelPackers[T]{})
				}
				for ir := 0; ir < mc; ir += mr {
					h := min(mr, mc-ir)
					// The A sliver: rows ic+ir… in place, or panel ir/mr of ap.
					aData, aOff, rsA, csA := a.Data, a.Off+(ic+ir)*a.RowStride+pc*a.ColStride, a.RowStride, a.ColStride
					if !directA {
						aData, aOff, rsA, csA = ap, ir*kc, 1, mr
					}
					for jr := 0; jr < nc; jr += nr {
						w := min(nr, nc-jr)
						bData, bOff, rsB := bp, jr*kc, nr
						if directB {
							bData, bOff, rsB = b.Data, b.Off+pc*b.RowStride+(jc+jr)*b.ColStride, b.RowStride
							if edge != nil && w < nr {
								bData, bOff, rsB = edge, 0, nr
							}
						}
						cOff := c.Off + (ic+ir)*c.RowStride + (jc+jr)*c.ColStride
						if c.ColStride == 1 && (w == nr || ks.masked) {
							ks.tile(kc, aData, aOff, rsA, csA, bData, bOff, rsB, c.Data, cOff, c.RowStride, h, w, alpha, betaK)
							continue
						}
						// C's columns are strided, or the kernel cannot mask: go through a scratch tile.
						tw := w
						if !ks.masked {
							tw = nr
						}
						tile := grow(&bf.tile, mr*nr)
						ks.tile(kc, aData, aOff, rsA, csA, bData, bOff, rsB, tile, 0, nr, h, tw, 1, 0)
						storeTile(tile, nr, c.Data, cOff, c.RowStride, c.ColStride, h, w, alpha, betaK)
					}
				}
			}
		}
	}
}

// gemmDirect computes a small C = α·A·B + β·C tile by tile straight from
// the operands, with no packing and no buffers: B and C need unit column
// stride and ks a masked kernel.
func gemmDirect[T Float](ks *kernelSet[T], alpha T, a, b Matrix[T], beta T, c Matrix[T]) {
	for ir := 0; ir < c.Rows; ir += ks.mr {
		h := min(ks.mr, c.Rows-ir)
		for jr := 0; jr < c.Cols; jr += ks.nr {
			ks.tile(a.Cols, a.Data, a.Off+ir*a.RowStride, a.RowStride, a.ColStride, b.Data, b.Off+jr, b.RowStride,
				c.Data, c.Off+ir*c.RowStride+jr, c.RowStride, h, min(ks.nr, c.Cols-jr), alpha, beta)
		}
	}
}

// scaleMatrix sets C = β·C for the view c at offset off (C = 0 when β = 0,
// whatever C held).
func scaleMatrix[T Float](c Matrix[T], off int, beta T) {
	for i := 0; i < c.Rows; i++ {
		o := off + i*c.RowStride
		for j := 0; j < c.Cols; j++ {
			if beta == 0 {
				c.Data[o+j*c.ColStride] = 0
			} else {
				c.Data[o+j*c.ColStride] *= beta
			}
		}
	}
}
