//go:build amd64 && !purego

package kernel

import (
	"unsafe"

	"golang.org/x/sys/cpu"
)

// The assembly kernels (gemm_amd64.s); their reference loop is microKernel's.
// They take element strides and pointers to the first element of A, B and C.

//go:noescape
func dgemmAVX512(k int, a *float64, rsA, csA int, b *float64, rsB int, c *float64, rsC, mr, nr int, alpha, beta float64)

//go:noescape
func sgemmAVX512(k int, a *float32, rsA, csA int, b *float32, rsB int, c *float32, rsC, mr, nr int, alpha, beta float32)

//go:noescape
func dgemmAVX512x16(k int, a *float64, rsA, csA int, b *float64, rsB int, c *float64, rsC, mr, nr int, alpha, beta float64)

//go:noescape
func sgemmAVX512x32(k int, a *float32, rsA, csA int, b *float32, rsB int, c *float32, rsC, mr, nr int, alpha, beta float32)

//go:noescape
func dgemmAVX512x8(k int, a *float64, rsA, csA int, b *float64, rsB int, c *float64, rsC, mr, nr int, alpha, beta float64)

//go:noescape
func sgemmAVX512x16(k int, a *float32, rsA, csA int, b *float32, rsB int, c *float32, rsC, mr, nr int, alpha, beta float32)

//go:noescape
func dgemmAVX2(k int, a *float64, rsA, csA int, b *float64, rsB int, c *float64, rsC, mr, nr int, alpha, beta float64)

//go:noescape
func sgemmAVX2(k int, a *float32, rsA, csA int, b *float32, rsB int, c *float32, rsC, mr, nr int, alpha, beta float32)

//go:noescape
func copyPanel192(dst, src unsafe.Pointer, rows, srcStride int)

// copyPanel192T packs full panels of B for the AVX-512 kernels, whose
// panel rows are 192 bytes (see panelCopy).
func copyPanel192T[T Float](dst, src []T, soff, rs, rows int) {
	var z T
	copyPanel192(unsafe.Pointer(&dst[0]), unsafe.Pointer(&src[soff]), rows, rs*int(unsafe.Sizeof(z)))
}

//go:noescape
func transpose8x8f64(dst *float64, dstStride int, src *float64, srcStride int)

//go:noescape
func transpose8x8f32(dst *float32, dstStride int, src *float32, srcStride int)

// transposePanel returns the cols packer of an NR-wide panel (NR a multiple
// of 8) that moves 8×8 blocks through registers with transpose8x8; the
// rows of kc past a multiple of 8 are copied one by one.
func transposePanel[T Float](nr int, transpose8x8 func(dst *T, dstStride int, src *T, srcStride int)) func(dst, src []T, soff, cs, kc int) {
	return func(dst, src []T, soff, cs, kc int) {
		p := 0
		for ; p+8 <= kc; p += 8 {
			for j := 0; j < nr; j += 8 {
				o := soff + j*cs + p
				// The corners of the block: every element between is in bounds too.
				_, _, _, _ = src[o+7], src[o+7*cs], src[o+7*cs+7], dst[(p+7)*nr+j+7]
				transpose8x8(&dst[p*nr+j], nr, &src[o], cs)
			}
		}
		for ; p < kc; p++ {
			for j := range nr {
				dst[p*nr+j] = src[soff+j*cs+p]
			}
		}
	}
}

// packers returns the panel packers of an AVX set with NR = nr: the
// 192-byte row copy only where a panel row is 192 bytes.
func packers[T Float](nr int) panelPackers[T] {
	var z T
	var pk panelPackers[T]
	switch any(z).(type) {
	case float64:
		pk.cols = any(transposePanel(nr, transpose8x8f64)).(func(dst, src []T, soff, cs, kc int))
	case float32:
		pk.cols = any(transposePanel(nr, transpose8x8f32)).(func(dst, src []T, soff, cs, kc int))
	}
	if nr*int(unsafe.Sizeof(z)) == 192 {
		pk.rows = copyPanel192T[T]
	}
	return pk
}

// asmTile adapts an assembly kernel to microKernel.
func asmTile[T Float](fn func(k int, a *T, rsA, csA int, b *T, rsB int, c *T, rsC, mr, nr int, alpha, beta T)) microKernel[T] {
	return func(k int, a []T, offA, rsA, csA int, b []T, offB, rsB int, c []T, offC, rsC, mr, nr int, alpha, beta T) {
		fn(k, &a[offA], rsA, csA, &b[offB], rsB, &c[offC], rsC, mr, nr, alpha, beta)
	}
}

// Cache blocks: a kc×nc block of B (768 KiB) stays in L2, for 1–2 MiB of
// L2 per core (AMD Zen 4, Intel Sapphire/Emerald Rapids), and the MR×kc
// sliver of A (16–32 KiB) in L1d. Within that budget the AVX-512 sets take
// a deep kc and a narrow nc: each C tile is loaded and stored k/kc times,
// each kernel call runs longer, and two goroutines share a product in finer
// pieces. On Emerald Rapids, timed in random order in one process, float64
// kc = 512, nc = 192 ran 2–4 % faster than kc = 256, nc = 384 on one thread
// and 0–9 % on two (n = 512 and 1024); float32 kc = 1024, nc = 192 against
// 512, 384: 0–2 % and 1–6 %. The AVX2 sets keep the shallower blocks, which
// measured no better or worse there and were not measured on an AVX2-only
// CPU. A packed block of A (mc×kc, 1.5–3 MiB) sits in L3; the larger mc,
// the fewer times B is packed.
// The narrow AVX-512 sets serve small products whose n they pad less; the
// one-vector sets only those with n ≤ 8 (float64) or 16 (float32), since
// elsewhere their one load of B per 8 multiply-adds leaves them load-bound.
var (
	avx512One64    = &kernelSet[float64]{name: "avx512x8", mr: 8, nr: 8, kc: 256, mc: 768, nc: 384, masked: true, tile: asmTile(dgemmAVX512x8), pack: packers[float64](8)}
	avx512One32    = &kernelSet[float32]{name: "avx512x16", mr: 8, nr: 16, kc: 512, mc: 768, nc: 384, masked: true, tile: asmTile(sgemmAVX512x16), pack: packers[float32](16)}
	avx512Narrow64 = &kernelSet[float64]{name: "avx512x16", mr: 8, nr: 16, kc: 256, mc: 768, nc: 384, masked: true, tile: asmTile(dgemmAVX512x16), pack: packers[float64](16), narrow: avx512One64}
	avx512Narrow32 = &kernelSet[float32]{name: "avx512x32", mr: 8, nr: 32, kc: 512, mc: 768, nc: 384, masked: true, tile: asmTile(sgemmAVX512x32), pack: packers[float32](32), narrow: avx512One32}
	avx512Sets64   = &kernelSet[float64]{name: "avx512", mr: 8, nr: 24, kc: 512, mc: 768, nc: 192, masked: true, tile: asmTile(dgemmAVX512), pack: packers[float64](24), narrow: avx512Narrow64}
	avx512Sets32   = &kernelSet[float32]{name: "avx512", mr: 8, nr: 48, kc: 1024, mc: 768, nc: 192, masked: true, tile: asmTile(sgemmAVX512), pack: packers[float32](48), narrow: avx512Narrow32}
	avx2Sets64     = &kernelSet[float64]{name: "avx2", mr: 6, nr: 8, kc: 256, mc: 768, nc: 384, tile: asmTile(dgemmAVX2), pack: packers[float64](8)}
	avx2Sets32     = &kernelSet[float32]{name: "avx2", mr: 6, nr: 16, kc: 512, mc: 768, nc: 384, tile: asmTile(sgemmAVX2), pack: packers[float32](16)}
)

// kernelSets lists the kernel sets this CPU can run, fastest first (each
// narrow set after its wide one); the last is always the pure-Go one.
func kernelSets[T Float]() []*kernelSet[T] {
	var sets []*kernelSet[T]
	var z T
	switch any(z).(type) {
	case float64:
		if cpu.X86.HasAVX512F {
			sets = append(sets, any(avx512Sets64).(*kernelSet[T]), any(avx512Narrow64).(*kernelSet[T]), any(avx512One64).(*kernelSet[T]))
		}
		if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
			sets = append(sets, any(avx2Sets64).(*kernelSet[T]))
		}
	case float32:
		if cpu.X86.HasAVX512F {
			sets = append(sets, any(avx512Sets32).(*kernelSet[T]), any(avx512Narrow32).(*kernelSet[T]), any(avx512One32).(*kernelSet[T]))
		}
		if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
			sets = append(sets, any(avx2Sets32).(*kernelSet[T]))
		}
	}
	return append(sets, goKernel[T]())
}
