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

// asmTile adapts an assembly kernel to microKernel.
func asmTile[T Float](fn func(k int, a *T, rsA, csA int, b *T, rsB int, c *T, rsC, mr, nr int, alpha, beta T)) microKernel[T] {
	return func(k int, a []T, offA, rsA, csA int, b []T, offB, rsB int, c []T, offC, rsC, mr, nr int, alpha, beta T) {
		fn(k, &a[offA], rsA, csA, &b[offB], rsB, &c[offC], rsC, mr, nr, alpha, beta)
	}
}

// Cache blocks: kc·MR elements of A (16 KiB for float64) stay in L1d and a
// kc×nc block of B (768 KiB for float64) in L2, for 32–48 KiB L1d and 1–2 MiB
// L2 per core (AMD Zen 4, Intel Sapphire/Emerald Rapids). A packed block of
// A (mc×kc, 1.5 MiB) sits in L3; the larger mc, the fewer times B is packed.
// The narrow AVX-512 sets serve small products whose n they pad less; the
// one-vector sets only those with n ≤ 8 (float64) or 16 (float32), since
// elsewhere their one load of B per 8 multiply-adds leaves them load-bound.
var (
	avx512One64    = &kernelSet[float64]{name: "avx512x8", mr: 8, nr: 8, kc: 256, mc: 768, nc: 384, masked: true, tile: asmTile(dgemmAVX512x8)}
	avx512One32    = &kernelSet[float32]{name: "avx512x16", mr: 8, nr: 16, kc: 512, mc: 768, nc: 384, masked: true, tile: asmTile(sgemmAVX512x16)}
	avx512Narrow64 = &kernelSet[float64]{name: "avx512x16", mr: 8, nr: 16, kc: 256, mc: 768, nc: 384, masked: true, tile: asmTile(dgemmAVX512x16), narrow: avx512One64}
	avx512Narrow32 = &kernelSet[float32]{name: "avx512x32", mr: 8, nr: 32, kc: 512, mc: 768, nc: 384, masked: true, tile: asmTile(sgemmAVX512x32), narrow: avx512One32}
	avx512Sets64   = &kernelSet[float64]{name: "avx512", mr: 8, nr: 24, kc: 256, mc: 768, nc: 384, masked: true, tile: asmTile(dgemmAVX512), copyPanel: copyPanel192T[float64], narrow: avx512Narrow64}
	avx512Sets32   = &kernelSet[float32]{name: "avx512", mr: 8, nr: 48, kc: 512, mc: 768, nc: 384, masked: true, tile: asmTile(sgemmAVX512), copyPanel: copyPanel192T[float32], narrow: avx512Narrow32}
	avx2Sets64     = &kernelSet[float64]{name: "avx2", mr: 6, nr: 8, kc: 256, mc: 768, nc: 384, tile: asmTile(dgemmAVX2)}
	avx2Sets32     = &kernelSet[float32]{name: "avx2", mr: 6, nr: 16, kc: 512, mc: 768, nc: 384, tile: asmTile(sgemmAVX2)}
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
