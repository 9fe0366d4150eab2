//go:build amd64 && !purego

#include "textflag.h"

// Unit-stride vector loops with AVX2 and FMA, the inner loops of
// HadamardReduce. Each processes n elements, n a multiple of the block
// (16 float64 or 32 float32: four ymm registers); the caller finishes the
// tail in Go. Reference loops (vec.go):
//
//	dot:    s = Σ_i x[i]·y[i]           (four vector partial sums)
//	sum:    s = Σ_i x[i]
//	scal:   out[i] = α·x[i]
//	axpby:  out[i] = α·x[i] + β·out[i]
//	mul:    out[i] = α·x[i]·y[i]
//	muladd: out[i] = α·x[i]·y[i] + β·out[i]
//
// Registers: SI = x, DX = y, DI = out, CX = blocks left; Y0…Y3 accumulate
// (dot, sum) and Y14/Y15 hold α/β.

// HSUMPD reduces Y0…Y3 to a float64 in X0.
#define HSUMPD \
	VADDPD Y1, Y0, Y0; VADDPD Y3, Y2, Y2; VADDPD Y2, Y0, Y0; \
	VEXTRACTF128 $1, Y0, X1; VADDPD X1, X0, X0;              \
	VPERMILPD $1, X0, X1; VADDSD X1, X0, X0

// HSUMPS reduces Y0…Y3 to a float32 in X0.
#define HSUMPS \
	VADDPS Y1, Y0, Y0; VADDPS Y3, Y2, Y2; VADDPS Y2, Y0, Y0; \
	VEXTRACTF128 $1, Y0, X1; VADDPS X1, X0, X0;              \
	VPERMILPD $1, X0, X1; VADDPS X1, X0, X0;                 \
	VMOVSHDUP X0, X1; VADDSS X1, X0, X0

#define ZERO4 \
	VXORPS Y0, Y0, Y0; VXORPS Y1, Y1, Y1; VXORPS Y2, Y2, Y2; VXORPS Y3, Y3, Y3

// func ddotAVX2(x, y *float64, n int) float64
TEXT ·ddotAVX2(SB), NOSPLIT, $0-32
	MOVQ x+0(FP), SI
	MOVQ y+8(FP), DX
	MOVQ n+16(FP), CX
	ZERO4
	SHRQ $4, CX
	JZ   done

loop:
	VMOVUPD     (SI), Y4
	VMOVUPD     32(SI), Y5
	VMOVUPD     64(SI), Y6
	VMOVUPD     96(SI), Y7
	VFMADD231PD (DX), Y4, Y0
	VFMADD231PD 32(DX), Y5, Y1
	VFMADD231PD 64(DX), Y6, Y2
	VFMADD231PD 96(DX), Y7, Y3
	ADDQ        $128, SI
	ADDQ        $128, DX
	DECQ        CX
	JNZ         loop

done:
	HSUMPD
	VZEROUPPER
	MOVSD X0, ret+24(FP)
	RET

// func sdotAVX2(x, y *float32, n int) float32
TEXT ·sdotAVX2(SB), NOSPLIT, $0-28
	MOVQ x+0(FP), SI
	MOVQ y+8(FP), DX
	MOVQ n+16(FP), CX
	ZERO4
	SHRQ $5, CX
	JZ   done

loop:
	VMOVUPS     (SI), Y4
	VMOVUPS     32(SI), Y5
	VMOVUPS     64(SI), Y6
	VMOVUPS     96(SI), Y7
	VFMADD231PS (DX), Y4, Y0
	VFMADD231PS 32(DX), Y5, Y1
	VFMADD231PS 64(DX), Y6, Y2
	VFMADD231PS 96(DX), Y7, Y3
	ADDQ        $128, SI
	ADDQ        $128, DX
	DECQ        CX
	JNZ         loop

done:
	HSUMPS
	VZEROUPPER
	MOVSS X0, ret+24(FP)
	RET

// func dsumAVX2(x *float64, n int) float64
TEXT ·dsumAVX2(SB), NOSPLIT, $0-24
	MOVQ x+0(FP), SI
	MOVQ n+8(FP), CX
	ZERO4
	SHRQ $4, CX
	JZ   done

loop:
	VADDPD (SI), Y0, Y0
	VADDPD 32(SI), Y1, Y1
	VADDPD 64(SI), Y2, Y2
	VADDPD 96(SI), Y3, Y3
	ADDQ   $128, SI
	DECQ   CX
	JNZ    loop

done:
	HSUMPD
	VZEROUPPER
	MOVSD X0, ret+16(FP)
	RET

// func ssumAVX2(x *float32, n int) float32
TEXT ·ssumAVX2(SB), NOSPLIT, $0-20
	MOVQ x+0(FP), SI
	MOVQ n+8(FP), CX
	ZERO4
	SHRQ $5, CX
	JZ   done

loop:
	VADDPS (SI), Y0, Y0
	VADDPS 32(SI), Y1, Y1
	VADDPS 64(SI), Y2, Y2
	VADDPS 96(SI), Y3, Y3
	ADDQ   $128, SI
	DECQ   CX
	JNZ    loop

done:
	HSUMPS
	VZEROUPPER
	MOVSS X0, ret+16(FP)
	RET

// The reductions again with AVX-512 where the CPU has it: zmm loads move a
// whole cache line each, and the memory-bound dot and sum stream about 10 %
// faster (and keep pace with OpenBLAS's ddot). n is a multiple of the same
// blocks as above; a main loop takes two of them at a time, four zmm
// partial sums (Z0…Z3), and an odd last block goes into Z0 and Z1.

// ZERO4Z clears Z0…Z3.
#define ZERO4Z \
	VPXORQ Z0, Z0, Z0; VPXORQ Z1, Z1, Z1; VPXORQ Z2, Z2, Z2; VPXORQ Z3, Z3, Z3

// HSUMZPD reduces Z0…Z3 to a float64 in X0.
#define HSUMZPD \
	VADDPD Z1, Z0, Z0; VADDPD Z3, Z2, Z2; VADDPD Z2, Z0, Z0;    \
	VEXTRACTF64X4 $1, Z0, Y1; VADDPD Y1, Y0, Y0;                \
	VEXTRACTF128 $1, Y0, X1; VADDPD X1, X0, X0;                 \
	VPERMILPD $1, X0, X1; VADDSD X1, X0, X0

// HSUMZPS reduces Z0…Z3 to a float32 in X0.
#define HSUMZPS \
	VADDPS Z1, Z0, Z0; VADDPS Z3, Z2, Z2; VADDPS Z2, Z0, Z0;    \
	VEXTRACTF64X4 $1, Z0, Y1; VADDPS Y1, Y0, Y0;                \
	VEXTRACTF128 $1, Y0, X1; VADDPS X1, X0, X0;                 \
	VPERMILPD $1, X0, X1; VADDPS X1, X0, X0;                    \
	VMOVSHDUP X0, X1; VADDSS X1, X0, X0

// func ddotAVX512(x, y *float64, n int) float64
TEXT ·ddotAVX512(SB), NOSPLIT, $0-32
	MOVQ x+0(FP), SI
	MOVQ y+8(FP), DX
	MOVQ n+16(FP), CX
	ZERO4Z
	MOVQ CX, BX
	SHRQ $5, CX
	JZ   last

loop:
	VMOVUPD     (SI), Z4
	VMOVUPD     64(SI), Z5
	VMOVUPD     128(SI), Z6
	VMOVUPD     192(SI), Z7
	VFMADD231PD (DX), Z4, Z0
	VFMADD231PD 64(DX), Z5, Z1
	VFMADD231PD 128(DX), Z6, Z2
	VFMADD231PD 192(DX), Z7, Z3
	ADDQ        $256, SI
	ADDQ        $256, DX
	DECQ        CX
	JNZ         loop

last:
	TESTQ       $16, BX
	JZ          done
	VMOVUPD     (SI), Z4
	VMOVUPD     64(SI), Z5
	VFMADD231PD (DX), Z4, Z0
	VFMADD231PD 64(DX), Z5, Z1

done:
	HSUMZPD
	VZEROUPPER
	MOVSD X0, ret+24(FP)
	RET

// func sdotAVX512(x, y *float32, n int) float32
TEXT ·sdotAVX512(SB), NOSPLIT, $0-28
	MOVQ x+0(FP), SI
	MOVQ y+8(FP), DX
	MOVQ n+16(FP), CX
	ZERO4Z
	MOVQ CX, BX
	SHRQ $6, CX
	JZ   last

loop:
	VMOVUPS     (SI), Z4
	VMOVUPS     64(SI), Z5
	VMOVUPS     128(SI), Z6
	VMOVUPS     192(SI), Z7
	VFMADD231PS (DX), Z4, Z0
	VFMADD231PS 64(DX), Z5, Z1
	VFMADD231PS 128(DX), Z6, Z2
	VFMADD231PS 192(DX), Z7, Z3
	ADDQ        $256, SI
	ADDQ        $256, DX
	DECQ        CX
	JNZ         loop

last:
	TESTQ       $32, BX
	JZ          done
	VMOVUPS     (SI), Z4
	VMOVUPS     64(SI), Z5
	VFMADD231PS (DX), Z4, Z0
	VFMADD231PS 64(DX), Z5, Z1

done:
	HSUMZPS
	VZEROUPPER
	MOVSS X0, ret+24(FP)
	RET

// func dsumAVX512(x *float64, n int) float64
TEXT ·dsumAVX512(SB), NOSPLIT, $0-24
	MOVQ x+0(FP), SI
	MOVQ n+8(FP), CX
	ZERO4Z
	MOVQ CX, BX
	SHRQ $5, CX
	JZ   last

loop:
	VADDPD (SI), Z0, Z0
	VADDPD 64(SI), Z1, Z1
	VADDPD 128(SI), Z2, Z2
	VADDPD 192(SI), Z3, Z3
	ADDQ   $256, SI
	DECQ   CX
	JNZ    loop

last:
	TESTQ  $16, BX
	JZ     done
	VADDPD (SI), Z0, Z0
	VADDPD 64(SI), Z1, Z1

done:
	HSUMZPD
	VZEROUPPER
	MOVSD X0, ret+16(FP)
	RET

// func ssumAVX512(x *float32, n int) float32
TEXT ·ssumAVX512(SB), NOSPLIT, $0-20
	MOVQ x+0(FP), SI
	MOVQ n+8(FP), CX
	ZERO4Z
	MOVQ CX, BX
	SHRQ $6, CX
	JZ   last

loop:
	VADDPS (SI), Z0, Z0
	VADDPS 64(SI), Z1, Z1
	VADDPS 128(SI), Z2, Z2
	VADDPS 192(SI), Z3, Z3
	ADDQ   $256, SI
	DECQ   CX
	JNZ    loop

last:
	TESTQ  $32, BX
	JZ     done
	VADDPS (SI), Z0, Z0
	VADDPS 64(SI), Z1, Z1

done:
	HSUMZPS
	VZEROUPPER
	MOVSS X0, ret+16(FP)
	RET

// func dscalAVX2(alpha float64, x, out *float64, n int)
TEXT ·dscalAVX2(SB), NOSPLIT, $0-32
	VBROADCASTSD alpha+0(FP), Y14
	MOVQ         x+8(FP), SI
	MOVQ         out+16(FP), DI
	MOVQ         n+24(FP), CX
	SHRQ         $4, CX
	JZ           done

loop:
	VMULPD  (SI), Y14, Y0
	VMULPD  32(SI), Y14, Y1
	VMULPD  64(SI), Y14, Y2
	VMULPD  96(SI), Y14, Y3
	VMOVUPD Y0, (DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, 64(DI)
	VMOVUPD Y3, 96(DI)
	ADDQ    $128, SI
	ADDQ    $128, DI
	DECQ    CX
	JNZ     loop

done:
	VZEROUPPER
	RET

// func sscalAVX2(alpha float32, x, out *float32, n int)
TEXT ·sscalAVX2(SB), NOSPLIT, $0-32
	VBROADCASTSS alpha+0(FP), Y14
	MOVQ         x+8(FP), SI
	MOVQ         out+16(FP), DI
	MOVQ         n+24(FP), CX
	SHRQ         $5, CX
	JZ           done

loop:
	VMULPS  (SI), Y14, Y0
	VMULPS  32(SI), Y14, Y1
	VMULPS  64(SI), Y14, Y2
	VMULPS  96(SI), Y14, Y3
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	ADDQ    $128, SI
	ADDQ    $128, DI
	DECQ    CX
	JNZ     loop

done:
	VZEROUPPER
	RET

// func daxpbyAVX2(alpha, beta float64, x, out *float64, n int)
TEXT ·daxpbyAVX2(SB), NOSPLIT, $0-40
	VBROADCASTSD alpha+0(FP), Y14
	VBROADCASTSD beta+8(FP), Y15
	MOVQ         x+16(FP), SI
	MOVQ         out+24(FP), DI
	MOVQ         n+32(FP), CX
	SHRQ         $4, CX
	JZ           done

loop:
	VMULPD      (SI), Y14, Y0
	VMULPD      32(SI), Y14, Y1
	VMULPD      64(SI), Y14, Y2
	VMULPD      96(SI), Y14, Y3
	VFMADD231PD (DI), Y15, Y0
	VFMADD231PD 32(DI), Y15, Y1
	VFMADD231PD 64(DI), Y15, Y2
	VFMADD231PD 96(DI), Y15, Y3
	VMOVUPD     Y0, (DI)
	VMOVUPD     Y1, 32(DI)
	VMOVUPD     Y2, 64(DI)
	VMOVUPD     Y3, 96(DI)
	ADDQ        $128, SI
	ADDQ        $128, DI
	DECQ        CX
	JNZ         loop

done:
	VZEROUPPER
	RET

// func saxpbyAVX2(alpha, beta float32, x, out *float32, n int)
TEXT ·saxpbyAVX2(SB), NOSPLIT, $0-32
	VBROADCASTSS alpha+0(FP), Y14
	VBROADCASTSS beta+4(FP), Y15
	MOVQ         x+8(FP), SI
	MOVQ         out+16(FP), DI
	MOVQ         n+24(FP), CX
	SHRQ         $5, CX
	JZ           done

loop:
	VMULPS      (SI), Y14, Y0
	VMULPS      32(SI), Y14, Y1
	VMULPS      64(SI), Y14, Y2
	VMULPS      96(SI), Y14, Y3
	VFMADD231PS (DI), Y15, Y0
	VFMADD231PS 32(DI), Y15, Y1
	VFMADD231PS 64(DI), Y15, Y2
	VFMADD231PS 96(DI), Y15, Y3
	VMOVUPS     Y0, (DI)
	VMOVUPS     Y1, 32(DI)
	VMOVUPS     Y2, 64(DI)
	VMOVUPS     Y3, 96(DI)
	ADDQ        $128, SI
	ADDQ        $128, DI
	DECQ        CX
	JNZ         loop

done:
	VZEROUPPER
	RET

// func dmulAVX2(alpha float64, x, y, out *float64, n int)
TEXT ·dmulAVX2(SB), NOSPLIT, $0-40
	VBROADCASTSD alpha+0(FP), Y14
	MOVQ         x+8(FP), SI
	MOVQ         y+16(FP), DX
	MOVQ         out+24(FP), DI
	MOVQ         n+32(FP), CX
	SHRQ         $4, CX
	JZ           done

loop:
	VMULPD  (SI), Y14, Y0
	VMULPD  32(SI), Y14, Y1
	VMULPD  64(SI), Y14, Y2
	VMULPD  96(SI), Y14, Y3
	VMULPD  (DX), Y0, Y0
	VMULPD  32(DX), Y1, Y1
	VMULPD  64(DX), Y2, Y2
	VMULPD  96(DX), Y3, Y3
	VMOVUPD Y0, (DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, 64(DI)
	VMOVUPD Y3, 96(DI)
	ADDQ    $128, SI
	ADDQ    $128, DX
	ADDQ    $128, DI
	DECQ    CX
	JNZ     loop

done:
	VZEROUPPER
	RET

// func smulAVX2(alpha float32, x, y, out *float32, n int)
TEXT ·smulAVX2(SB), NOSPLIT, $0-40
	VBROADCASTSS alpha+0(FP), Y14
	MOVQ         x+8(FP), SI
	MOVQ         y+16(FP), DX
	MOVQ         out+24(FP), DI
	MOVQ         n+32(FP), CX
	SHRQ         $5, CX
	JZ           done

loop:
	VMULPS  (SI), Y14, Y0
	VMULPS  32(SI), Y14, Y1
	VMULPS  64(SI), Y14, Y2
	VMULPS  96(SI), Y14, Y3
	VMULPS  (DX), Y0, Y0
	VMULPS  32(DX), Y1, Y1
	VMULPS  64(DX), Y2, Y2
	VMULPS  96(DX), Y3, Y3
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	ADDQ    $128, SI
	ADDQ    $128, DX
	ADDQ    $128, DI
	DECQ    CX
	JNZ     loop

done:
	VZEROUPPER
	RET

// func dmuladdAVX2(alpha, beta float64, x, y, out *float64, n int)
TEXT ·dmuladdAVX2(SB), NOSPLIT, $0-48
	VBROADCASTSD alpha+0(FP), Y14
	VBROADCASTSD beta+8(FP), Y15
	MOVQ         x+16(FP), SI
	MOVQ         y+24(FP), DX
	MOVQ         out+32(FP), DI
	MOVQ         n+40(FP), CX
	SHRQ         $4, CX
	JZ           done

loop:
	VMULPD      (SI), Y14, Y0
	VMULPD      32(SI), Y14, Y1
	VMULPD      64(SI), Y14, Y2
	VMULPD      96(SI), Y14, Y3
	VMULPD      (DX), Y0, Y0
	VMULPD      32(DX), Y1, Y1
	VMULPD      64(DX), Y2, Y2
	VMULPD      96(DX), Y3, Y3
	VFMADD231PD (DI), Y15, Y0
	VFMADD231PD 32(DI), Y15, Y1
	VFMADD231PD 64(DI), Y15, Y2
	VFMADD231PD 96(DI), Y15, Y3
	VMOVUPD     Y0, (DI)
	VMOVUPD     Y1, 32(DI)
	VMOVUPD     Y2, 64(DI)
	VMOVUPD     Y3, 96(DI)
	ADDQ        $128, SI
	ADDQ        $128, DX
	ADDQ        $128, DI
	DECQ        CX
	JNZ         loop

done:
	VZEROUPPER
	RET

// func smuladdAVX2(alpha, beta float32, x, y, out *float32, n int)
TEXT ·smuladdAVX2(SB), NOSPLIT, $0-40
	VBROADCASTSS alpha+0(FP), Y14
	VBROADCASTSS beta+4(FP), Y15
	MOVQ         x+8(FP), SI
	MOVQ         y+16(FP), DX
	MOVQ         out+24(FP), DI
	MOVQ         n+32(FP), CX
	SHRQ         $5, CX
	JZ           done

loop:
	VMULPS      (SI), Y14, Y0
	VMULPS      32(SI), Y14, Y1
	VMULPS      64(SI), Y14, Y2
	VMULPS      96(SI), Y14, Y3
	VMULPS      (DX), Y0, Y0
	VMULPS      32(DX), Y1, Y1
	VMULPS      64(DX), Y2, Y2
	VMULPS      96(DX), Y3, Y3
	VFMADD231PS (DI), Y15, Y0
	VFMADD231PS 32(DI), Y15, Y1
	VFMADD231PS 64(DI), Y15, Y2
	VFMADD231PS 96(DI), Y15, Y3
	VMOVUPS     Y0, (DI)
	VMOVUPS     Y1, 32(DI)
	VMOVUPS     Y2, 64(DI)
	VMOVUPS     Y3, 96(DI)
	ADDQ        $128, SI
	ADDQ        $128, DX
	ADDQ        $128, DI
	DECQ        CX
	JNZ         loop

done:
	VZEROUPPER
	RET

// Streaming forms of scal and mul (β = 0) for outputs far larger than the
// caches: non-temporal stores write out without reading its lines first
// and without evicting the caches. out must be 32-byte aligned; SFENCE
// orders the stores before the routine returns.

// func dscalNTAVX2(alpha float64, x, out *float64, n int)
TEXT ·dscalNTAVX2(SB), NOSPLIT, $0-32
	VBROADCASTSD alpha+0(FP), Y14
	MOVQ         x+8(FP), SI
	MOVQ         out+16(FP), DI
	MOVQ         n+24(FP), CX
	SHRQ         $4, CX
	JZ           done

loop:
	VMULPD   (SI), Y14, Y0
	VMULPD   32(SI), Y14, Y1
	VMULPD   64(SI), Y14, Y2
	VMULPD   96(SI), Y14, Y3
	VMOVNTPD Y0, (DI)
	VMOVNTPD Y1, 32(DI)
	VMOVNTPD Y2, 64(DI)
	VMOVNTPD Y3, 96(DI)
	ADDQ     $128, SI
	ADDQ     $128, DI
	DECQ     CX
	JNZ      loop

done:
	SFENCE
	VZEROUPPER
	RET

// func sscalNTAVX2(alpha float32, x, out *float32, n int)
TEXT ·sscalNTAVX2(SB), NOSPLIT, $0-32
	VBROADCASTSS alpha+0(FP), Y14
	MOVQ         x+8(FP), SI
	MOVQ         out+16(FP), DI
	MOVQ         n+24(FP), CX
	SHRQ         $5, CX
	JZ           done

loop:
	VMULPS   (SI), Y14, Y0
	VMULPS   32(SI), Y14, Y1
	VMULPS   64(SI), Y14, Y2
	VMULPS   96(SI), Y14, Y3
	VMOVNTPS Y0, (DI)
	VMOVNTPS Y1, 32(DI)
	VMOVNTPS Y2, 64(DI)
	VMOVNTPS Y3, 96(DI)
	ADDQ     $128, SI
	ADDQ     $128, DI
	DECQ     CX
	JNZ      loop

done:
	SFENCE
	VZEROUPPER
	RET

// func dmulNTAVX2(alpha float64, x, y, out *float64, n int)
TEXT ·dmulNTAVX2(SB), NOSPLIT, $0-40
	VBROADCASTSD alpha+0(FP), Y14
	MOVQ         x+8(FP), SI
	MOVQ         y+16(FP), DX
	MOVQ         out+24(FP), DI
	MOVQ         n+32(FP), CX
	SHRQ         $4, CX
	JZ           done

loop:
	VMULPD   (SI), Y14, Y0
	VMULPD   32(SI), Y14, Y1
	VMULPD   64(SI), Y14, Y2
	VMULPD   96(SI), Y14, Y3
	VMULPD   (DX), Y0, Y0
	VMULPD   32(DX), Y1, Y1
	VMULPD   64(DX), Y2, Y2
	VMULPD   96(DX), Y3, Y3
	VMOVNTPD Y0, (DI)
	VMOVNTPD Y1, 32(DI)
	VMOVNTPD Y2, 64(DI)
	VMOVNTPD Y3, 96(DI)
	ADDQ     $128, SI
	ADDQ     $128, DX
	ADDQ     $128, DI
	DECQ     CX
	JNZ      loop

done:
	SFENCE
	VZEROUPPER
	RET

// func smulNTAVX2(alpha float32, x, y, out *float32, n int)
TEXT ·smulNTAVX2(SB), NOSPLIT, $0-40
	VBROADCASTSS alpha+0(FP), Y14
	MOVQ         x+8(FP), SI
	MOVQ         y+16(FP), DX
	MOVQ         out+24(FP), DI
	MOVQ         n+32(FP), CX
	SHRQ         $5, CX
	JZ           done

loop:
	VMULPS   (SI), Y14, Y0
	VMULPS   32(SI), Y14, Y1
	VMULPS   64(SI), Y14, Y2
	VMULPS   96(SI), Y14, Y3
	VMULPS   (DX), Y0, Y0
	VMULPS   32(DX), Y1, Y1
	VMULPS   64(DX), Y2, Y2
	VMULPS   96(DX), Y3, Y3
	VMOVNTPS Y0, (DI)
	VMOVNTPS Y1, 32(DI)
	VMOVNTPS Y2, 64(DI)
	VMOVNTPS Y3, 96(DI)
	ADDQ     $128, SI
	ADDQ     $128, DX
	ADDQ     $128, DI
	DECQ     CX
	JNZ      loop

done:
	SFENCE
	VZEROUPPER
	RET
