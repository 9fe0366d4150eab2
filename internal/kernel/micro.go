package kernel

// microKernel computes one register tile of C = α·A·B + β·C:
//
//	C[i, j] = α·Σ_{p<k} A[i, p]·B[p, j] + β·C[i, j],   0 ≤ i < mr, 0 ≤ j < nr,
//
// with A[i, p] = a[offA + i·rsA + p·csA], B[p, j] = b[offB + p·rsB + j] and
// C[i, j] = c[offC + i·rsC + j]. When β = 0, C is written without being read,
// so NaN or Inf in C does not propagate. It needs 1 ≤ mr ≤ MR, 1 ≤ nr ≤ NR and
// k ≥ 1; a kernel that is not masked needs nr = NR and reads NR columns of B.
// Rows past mr are never read from A (the kernel reuses row mr-1 for them).
type microKernel[T Float] func(k int, a []T, offA, rsA, csA int, b []T, offB, rsB int, c []T, offC, rsC, mr, nr int, alpha, beta T)

// kernelSet is a micro-kernel with its register tile and the cache blocks
// that suit it (Goto & van de Geijn 2008, §6; Low et al. 2016 for choosing
// them from the cache sizes).
type kernelSet[T Float] struct {
	name   string
	mr, nr int // register tile MR×NR
	kc     int // depth of a packed panel: an MR×kc sliver of A stays in L1
	mc     int // rows of A packed at once when A must be packed (L2/L3)
	nc     int // columns of a packed kc×nc block of B, sized to stay in L2
	masked bool
	tile   microKernel[T]
	pack   panelPackers[T]
	// narrow, when set, is a set with a smaller NR for small products
	// whose n it pads less; its own narrow, if any, is for n ≤ its NR only.
	narrow *kernelSet[T]
}

// panelPackers pack one full NR-wide panel of B, rows p < kc, columns
// j < NR; packB's loops do what a nil one would.
type panelPackers[T Float] struct {
	// rows packs a B with unit column stride: dst[p·NR + j] = src[soff + p·rs + j].
	rows func(dst, src []T, soff, rs, kc int)
	// cols packs a B with unit row stride (a transposed B):
	// dst[p·NR + j] = src[soff + j·cs + p].
	cols func(dst, src []T, soff, cs, kc int)
}

// The kernel sets this CPU runs, fastest first (see kernelSets).
var (
	sets64 = kernelSets[float64]()
	sets32 = kernelSets[float32]()
)

// bestKernel returns the fastest kernel set for T.
func bestKernel[T Float]() *kernelSet[T] {
	var z T
	if _, ok := any(z).(float64); ok {
		return any(sets64[0]).(*kernelSet[T])
	}
	return any(sets32[0]).(*kernelSet[T])
}

// Register tile of the pure-Go kernel.
const (
	goMR = 4
	goNR = 4
)

// goKernel returns the portable kernel set.
func goKernel[T Float]() *kernelSet[T] {
	return &kernelSet[T]{name: "go", mr: goMR, nr: goNR, kc: 256, mc: 128, nc: 512, masked: true, tile: tileGo[T]}
}

// tileGo is the pure-Go micro-kernel. Its reference loop is the definition
// of microKernel; full 4×4 tiles keep the sixteen sums in registers.
func tileGo[T Float](k int, a []T, offA, rsA, csA int, b []T, offB, rsB int, c []T, offC, rsC, mr, nr int, alpha, beta T) {
	var acc [goMR * goNR]T
	if mr == goMR && nr == goNR {
		tileGo4x4(&acc, k, a, offA, rsA, csA, b, offB, rsB)
	} else {
		for p := 0; p < k; p++ {
			bp := b[offB+p*rsB : offB+p*rsB+nr]
			for i := 0; i < mr; i++ {
				ai := a[offA+i*rsA+p*csA]
				row := acc[i*goNR : i*goNR+nr]
				for j, bj := range bp {
					row[j] += ai * bj
				}
			}
		}
	}
	storeTile(acc[:], goNR, c, offC, rsC, 1, mr, nr, alpha, beta)
}

// tileGo4x4 sets acc[i·4+j] = Σ_{p<k} A[i, p]·B[p, j] for a full 4×4 tile.
func tileGo4x4[T Float](acc *[goMR * goNR]T, k int, a []T, offA, rsA, csA int, b []T, offB, rsB int) {
	var c00, c01, c02, c03, c10, c11, c12, c13 T
	var c20, c21, c22, c23, c30, c31, c32, c33 T
	i0, i1, i2, i3 := offA, offA+rsA, offA+2*rsA, offA+3*rsA
	for p := 0; p < k; p++ {
		bp := b[offB : offB+4 : offB+4]
		b0, b1, b2, b3 := bp[0], bp[1], bp[2], bp[3]
		x := a[i0]
		c00 += x * b0
		c01 += x * b1
		c02 += x * b2
		c03 += x * b3
		x = a[i1]
		c10 += x * b0
		c11 += x * b1
		c12 += x * b2
		c13 += x * b3
		x = a[i2]
		c20 += x * b0
		c21 += x * b1
		c22 += x * b2
		c23 += x * b3
		x = a[i3]
		c30 += x * b0
		c31 += x * b1
		c32 += x * b2
		c33 += x * b3
		i0 += csA
		i1 += csA
		i2 += csA
		i3 += csA
		offB += rsB
	}
	*acc = [goMR * goNR]T{c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33}
}

// storeTile merges an mr×nr tile t (row stride ldt) into C:
//
//	C[i, j] = α·t[i, j] + β·C[i, j],  C[i, j] = c[offC + i·rsC + j·csC],
//
// without reading C when β = 0.
func storeTile[T Float](t []T, ldt int, c []T, offC, rsC, csC, mr, nr int, alpha, beta T) {
	for i := 0; i < mr; i++ {
		ti := t[i*ldt : i*ldt+nr]
		o := offC + i*rsC
		if beta == 0 {
			for j, v := range ti {
				c[o+j*csC] = alpha * v
			}
		} else {
			for j, v := range ti {
				c[o+j*csC] = alpha*v + beta*c[o+j*csC]
			}
		}
	}
}
