//go:build amd64 && !purego

#include "textflag.h"

// The float32 elementwise functions of the forward pass in AVX2, eight
// elements at a time: the GELU (gelu.go) and the shifted exponential of a
// softmax (exp.go). Each does the operations of its Go reference in the
// same order, each rounded to float32 (no FMA), so their results match it
// bit for bit and the caller's Go tail is seamless.

// func sgeluAVX2(dst, src *float32, n int, coef *float32)
//
// dst[i] = gelu32(src[i]) for i < n, n a multiple of 8, eight at a time:
// the operations of gelu32 and tanh32 (gelu.go) in their order, each
// rounded to float32 (no FMA), so the results are gelu32's bit for bit.
// coef is geluCoef: 0.5, 1, c, a, clamp, −clamp, p0…p6, q0…q3.
// Registers: Y15 = 0.5, Y14 = 1, Y13 = c, Y12 = a, Y11 = clamp,
// Y10 = −clamp; Y0 = x, Y1 = u (clamped), Y2 = u², Y3 = p, Y5 = q.
TEXT ·sgeluAVX2(SB), NOSPLIT, $0-32
	MOVQ         dst+0(FP), DI
	MOVQ         src+8(FP), SI
	MOVQ         n+16(FP), CX
	MOVQ         coef+24(FP), AX
	VBROADCASTSS 0(AX), Y15
	VBROADCASTSS 4(AX), Y14
	VBROADCASTSS 8(AX), Y13
	VBROADCASTSS 12(AX), Y12
	VBROADCASTSS 16(AX), Y11
	VBROADCASTSS 20(AX), Y10
	SHRQ         $3, CX
	JZ           done

loop:
	VMOVUPS (SI), Y0
	// u = c·(x + ((a·x)·x)·x)
	VMULPS  Y0, Y12, Y1
	VMULPS  Y0, Y1, Y1
	VMULPS  Y0, Y1, Y1
	VADDPS  Y1, Y0, Y1
	VMULPS  Y1, Y13, Y1
	// Clamp to ±clamp; NaN passes (VMINPS/VMAXPS return their last
	// operand here when either is NaN, as the comparisons of tanh32 do).
	VMINPS  Y1, Y11, Y1
	VMAXPS  Y1, Y10, Y1
	VMULPS  Y1, Y1, Y2
	// p = ((((((p0·u² + p1)·u² + p2)·u² + p3)·u² + p4)·u² + p5)·u² + p6
	VBROADCASTSS 24(AX), Y3
	VMULPS       Y2, Y3, Y3
	VBROADCASTSS 28(AX), Y4
	VADDPS       Y4, Y3, Y3
	VMULPS       Y2, Y3, Y3
	VBROADCASTSS 32(AX), Y4
	VADDPS       Y4, Y3, Y3
	VMULPS       Y2, Y3, Y3
	VBROADCASTSS 36(AX), Y4
	VADDPS       Y4, Y3, Y3
	VMULPS       Y2, Y3, Y3
	VBROADCASTSS 40(AX), Y4
	VADDPS       Y4, Y3, Y3
	VMULPS       Y2, Y3, Y3
	VBROADCASTSS 44(AX), Y4
	VADDPS       Y4, Y3, Y3
	VMULPS       Y2, Y3, Y3
	VBROADCASTSS 48(AX), Y4
	VADDPS       Y4, Y3, Y3
	// q = ((q0·u² + q1)·u² + q2)·u² + q3
	VBROADCASTSS 52(AX), Y5
	VMULPS       Y2, Y5, Y5
	VBROADCASTSS 56(AX), Y4
	VADDPS       Y4, Y5, Y5
	VMULPS       Y2, Y5, Y5
	VBROADCASTSS 60(AX), Y4
	VADDPS       Y4, Y5, Y5
	VMULPS       Y2, Y5, Y5
	VBROADCASTSS 64(AX), Y4
	VADDPS       Y4, Y5, Y5
	// tanh = (u·p)/q; gelu = (½·x)·(1 + tanh)
	VMULPS  Y3, Y1, Y3
	VDIVPS  Y5, Y3, Y3
	VADDPS  Y3, Y14, Y3
	VMULPS  Y0, Y15, Y4
	VMULPS  Y3, Y4, Y4
	VMOVUPS Y4, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	DECQ    CX
	JNZ     loop

done:
	VZEROUPPER
	RET

// func sexpShiftAVX2(dst, src *float32, n int, shift float32, coef *float32)
//
// dst[i] = exp32(src[i] − shift) for i < n, n a multiple of 8, eight at a
// time: exp32's operations (exp.go) in its order, each rounded to float32,
// its branches as masks (x < lo: 0, x > hi: +Inf; NaN flows through).
// coef is expCoef: lo, hi, log2e, ½, c1, c2, p0…p5, 1, +Inf.
// Registers: Y15 = shift, Y14 = lo, Y13 = hi, Y12 = log2e, Y11 = ½,
// Y10 = c1, Y9 = c2, Y8 = 1 (also the bits 127<<23); Y1 = x clamped to
// [lo, hi], Y2 = k, Y3 = r, Y4 = r², Y5 = the result, Y6/Y7 = the masks.
TEXT ·sexpShiftAVX2(SB), NOSPLIT, $0-40
	MOVQ         dst+0(FP), DI
	MOVQ         src+8(FP), SI
	MOVQ         n+16(FP), CX
	MOVQ         coef+32(FP), AX
	VBROADCASTSS shift+24(FP), Y15
	VBROADCASTSS 0(AX), Y14
	VBROADCASTSS 4(AX), Y13
	VBROADCASTSS 8(AX), Y12
	VBROADCASTSS 12(AX), Y11
	VBROADCASTSS 16(AX), Y10
	VBROADCASTSS 20(AX), Y9
	VBROADCASTSS 48(AX), Y8
	SHRQ         $3, CX
	JZ           expdone

exploop:
	VMOVUPS    (SI), Y0
	VSUBPS     Y15, Y0, Y0
	VCMPPS     $1, Y14, Y0, Y6  // x < lo (false for NaN)
	VCMPPS     $14, Y13, Y0, Y7 // x > hi (false for NaN)
	VMAXPS     Y0, Y14, Y1      // NaN passes
	VMINPS     Y1, Y13, Y1
	// k = ⌊x·log2e + ½⌋; r = (x − k·c1) − k·c2
	VMULPS     Y12, Y1, Y2
	VADDPS     Y11, Y2, Y2
	VROUNDPS   $1, Y2, Y2
	VMULPS     Y10, Y2, Y3
	VSUBPS     Y3, Y1, Y3
	VMULPS     Y9, Y2, Y0
	VSUBPS     Y0, Y3, Y3
	VMULPS     Y3, Y3, Y4
	// p = ((((p0·r + p1)·r + p2)·r + p3)·r + p4)·r + p5; e^r = (p·r² + r) + 1
	VBROADCASTSS 24(AX), Y5
	VMULPS       Y3, Y5, Y5
	VBROADCASTSS 28(AX), Y0
	VADDPS       Y0, Y5, Y5
	VMULPS       Y3, Y5, Y5
	VBROADCASTSS 32(AX), Y0
	VADDPS       Y0, Y5, Y5
	VMULPS       Y3, Y5, Y5
	VBROADCASTSS 36(AX), Y0
	VADDPS       Y0, Y5, Y5
	VMULPS       Y3, Y5, Y5
	VBROADCASTSS 40(AX), Y0
	VADDPS       Y0, Y5, Y5
	VMULPS       Y3, Y5, Y5
	VBROADCASTSS 44(AX), Y0
	VADDPS       Y0, Y5, Y5
	VMULPS       Y4, Y5, Y5
	VADDPS       Y3, Y5, Y5
	VADDPS       Y8, Y5, Y5
	// ·2ᵏ, the bits (k + 127)<<23 = k<<23 + bits(1)
	VCVTTPS2DQ Y2, Y0
	VPSLLD     $23, Y0, Y0
	VPADDD     Y8, Y0, Y0
	VMULPS     Y0, Y5, Y5
	// x < lo: 0; x > hi: +Inf
	VANDNPS      Y5, Y6, Y5
	VBROADCASTSS 52(AX), Y0
	VBLENDVPS    Y7, Y0, Y5, Y5
	VMOVUPS      Y5, (DI)
	ADDQ         $32, SI
	ADDQ         $32, DI
	DECQ         CX
	JNZ          exploop

expdone:
	VZEROUPPER
	RET
