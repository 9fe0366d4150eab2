//go:build amd64 && !purego

#include "textflag.h"

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
