//go:build amd64 && !purego

#include "textflag.h"

// Register tiles of C = α·A·B + β·C. Reference loop of every kernel here:
//
//	for p := 0; p < k; p++ {
//		for i := 0; i < MR; i++ {
//			for j := 0; j < NR; j++ {
//				acc[i][j] += A[i, p] * B[p, j]
//			}
//		}
//	}
//	for i < mr, j < nr: C[i, j] = α·acc[i][j] + β·C[i, j]   (β = 0: C is not read)
//
// with A[i, p] at a + (i·rsA + p·csA) elements, B[p, j] at b + (p·rsB + j)
// and C[i, j] at c + (i·rsC + j). Rows i ≥ mr of A are read from row mr-1,
// so a short tile never reads past A's last row, and they are not stored.
// The AVX-512 kernels mask columns j ≥ nr in every load and store of B and
// C; the AVX2 kernels need nr = NR.
//
// Arguments (ABI0), the same for all eight kernels:
//	k+0 a+8 rsA+16 csA+24 b+32 rsB+40 c+48 rsC+56 mr+64 nr+72 alpha+80 beta
// Locals: rsB in bytes at rsb-8(SP), k mod 4 at kr-16(SP).
// Registers in the k loop: SI = p·csA in bytes, DX = csA in bytes,
// DI = &B[p, 0], CX = k/4 iterations left; the row pointers of A are
// R8…R13, AX, BX (AVX-512, 8 rows) or R8…R13 (AVX2, 6 rows).

// ROWPTRS8 sets R8, R9, R10, R11, R12, R13, AX, BX to rows 0…7 of A,
// clamped to row mr-1. In: R8 = row 0, DX = rsA in bytes, CX = mr.
#define ROWPTRS8 \
	LEAQ (R8)(DX*1), R9; CMPQ CX, $2; CMOVQLT R8, R9;     \
	LEAQ (R9)(DX*1), R10; CMPQ CX, $3; CMOVQLT R9, R10;   \
	LEAQ (R10)(DX*1), R11; CMPQ CX, $4; CMOVQLT R10, R11; \
	LEAQ (R11)(DX*1), R12; CMPQ CX, $5; CMOVQLT R11, R12; \
	LEAQ (R12)(DX*1), R13; CMPQ CX, $6; CMOVQLT R12, R13; \
	LEAQ (R13)(DX*1), AX; CMPQ CX, $7; CMOVQLT R13, AX;   \
	LEAQ (AX)(DX*1), BX; CMPQ CX, $8; CMOVQLT AX, BX

// ROWPTRS6 is ROWPTRS8 for six rows, R8…R13.
#define ROWPTRS6 \
	LEAQ (R8)(DX*1), R9; CMPQ CX, $2; CMOVQLT R8, R9;     \
	LEAQ (R9)(DX*1), R10; CMPQ CX, $3; CMOVQLT R9, R10;   \
	LEAQ (R10)(DX*1), R11; CMPQ CX, $4; CMOVQLT R10, R11; \
	LEAQ (R11)(DX*1), R12; CMPQ CX, $5; CMOVQLT R11, R12; \
	LEAQ (R12)(DX*1), R13; CMPQ CX, $6; CMOVQLT R12, R13

// ---------------------------------------------------------------------------
// AVX-512: 8 rows × 3 vectors. Z0…Z23 accumulate (row i in Z3i…Z3i+2),
// Z24…Z26 hold a row of B, Z27/Z28 a broadcast element of A, Z30/Z31 α/β,
// K1…K3 the column masks.

#define ZERO24 \
	VPXORQ Z0, Z0, Z0; VPXORQ Z1, Z1, Z1; VPXORQ Z2, Z2, Z2; VPXORQ Z3, Z3, Z3;         \
	VPXORQ Z4, Z4, Z4; VPXORQ Z5, Z5, Z5; VPXORQ Z6, Z6, Z6; VPXORQ Z7, Z7, Z7;         \
	VPXORQ Z8, Z8, Z8; VPXORQ Z9, Z9, Z9; VPXORQ Z10, Z10, Z10; VPXORQ Z11, Z11, Z11;   \
	VPXORQ Z12, Z12, Z12; VPXORQ Z13, Z13, Z13; VPXORQ Z14, Z14, Z14; VPXORQ Z15, Z15, Z15; \
	VPXORQ Z16, Z16, Z16; VPXORQ Z17, Z17, Z17; VPXORQ Z18, Z18, Z18; VPXORQ Z19, Z19, Z19; \
	VPXORQ Z20, Z20, Z20; VPXORQ Z21, Z21, Z21; VPXORQ Z22, Z22, Z22; VPXORQ Z23, Z23, Z23

#define Z512ROW(BCAST, FMA, rp, t, r0, r1, r2) \
	BCAST (rp)(SI*1), t; FMA Z24, t, r0; FMA Z25, t, r1; FMA Z26, t, r2

// Z512STEP is one k-step: B's row p (masked), then the 8 rows of A.
#define Z512STEP(LOAD, BCAST, FMA) \
	LOAD (DI), K1, Z24; LOAD 64(DI), K2, Z25; LOAD 128(DI), K3, Z26; \
	Z512ROW(BCAST, FMA, R8, Z27, Z0, Z1, Z2);     \
	Z512ROW(BCAST, FMA, R9, Z28, Z3, Z4, Z5);     \
	Z512ROW(BCAST, FMA, R10, Z27, Z6, Z7, Z8);    \
	Z512ROW(BCAST, FMA, R11, Z28, Z9, Z10, Z11);  \
	Z512ROW(BCAST, FMA, R12, Z27, Z12, Z13, Z14); \
	Z512ROW(BCAST, FMA, R13, Z28, Z15, Z16, Z17); \
	Z512ROW(BCAST, FMA, AX, Z27, Z18, Z19, Z20);  \
	Z512ROW(BCAST, FMA, BX, Z28, Z21, Z22, Z23);  \
	ADDQ DX, SI; ADDQ rsb-8(SP), DI

// One row of C, masked: C = α·acc + β·C (Z512STB) or C = α·acc (Z512ST0).
#define Z512STB(LOAD, STORE, MUL, FMA, r0, r1, r2) \
	MUL Z30, r0, r0; MUL Z30, r1, r1; MUL Z30, r2, r2;               \
	LOAD (DI), K1, Z24; LOAD 64(DI), K2, Z25; LOAD 128(DI), K3, Z26; \
	FMA Z31, Z24, r0; FMA Z31, Z25, r1; FMA Z31, Z26, r2;            \
	STORE r0, K1, (DI); STORE r1, K2, 64(DI); STORE r2, K3, 128(DI); \
	ADDQ DX, DI

#define Z512ST0(STORE, MUL, r0, r1, r2) \
	MUL Z30, r0, r0; MUL Z30, r1, r1; MUL Z30, r2, r2;               \
	STORE r0, K1, (DI); STORE r1, K2, 64(DI); STORE r2, K3, 128(DI); \
	ADDQ DX, DI

// Z512STORE writes rows 0…mr-1 (CX = mr, DI = c, DX = rsC bytes); AX holds
// β's bits shifted left by one (zero for β = ±0).
#define Z512STORE(LOAD, STORE, MUL, FMA, B0, DONE) \
	TESTQ AX, AX; JZ B0; \
	Z512STB(LOAD, STORE, MUL, FMA, Z0, Z1, Z2); DECQ CX; JZ DONE;    \
	Z512STB(LOAD, STORE, MUL, FMA, Z3, Z4, Z5); DECQ CX; JZ DONE;    \
	Z512STB(LOAD, STORE, MUL, FMA, Z6, Z7, Z8); DECQ CX; JZ DONE;    \
	Z512STB(LOAD, STORE, MUL, FMA, Z9, Z10, Z11); DECQ CX; JZ DONE;  \
	Z512STB(LOAD, STORE, MUL, FMA, Z12, Z13, Z14); DECQ CX; JZ DONE; \
	Z512STB(LOAD, STORE, MUL, FMA, Z15, Z16, Z17); DECQ CX; JZ DONE; \
	Z512STB(LOAD, STORE, MUL, FMA, Z18, Z19, Z20); DECQ CX; JZ DONE; \
	Z512STB(LOAD, STORE, MUL, FMA, Z21, Z22, Z23); JMP DONE;         \
B0: \
	Z512ST0(STORE, MUL, Z0, Z1, Z2); DECQ CX; JZ DONE;    \
	Z512ST0(STORE, MUL, Z3, Z4, Z5); DECQ CX; JZ DONE;    \
	Z512ST0(STORE, MUL, Z6, Z7, Z8); DECQ CX; JZ DONE;    \
	Z512ST0(STORE, MUL, Z9, Z10, Z11); DECQ CX; JZ DONE;  \
	Z512ST0(STORE, MUL, Z12, Z13, Z14); DECQ CX; JZ DONE; \
	Z512ST0(STORE, MUL, Z15, Z16, Z17); DECQ CX; JZ DONE; \
	Z512ST0(STORE, MUL, Z18, Z19, Z20); DECQ CX; JZ DONE; \
	Z512ST0(STORE, MUL, Z21, Z22, Z23)

// func dgemmAVX512(k int, a *float64, rsA, csA int, b *float64, rsB int, c *float64, rsC, mr, nr int, alpha, beta float64)
// MR = 8, NR = 24.
TEXT ·dgemmAVX512(SB), NOSPLIT, $16-96
	// Column masks: bits 0…nr-1 of (1<<nr)-1, eight per vector.
	MOVQ nr+72(FP), CX
	MOVQ $1, AX
	SHLQ CX, AX
	DECQ AX
	KMOVW AX, K1
	SHRQ $8, AX
	KMOVW AX, K2
	SHRQ $8, AX
	KMOVW AX, K3

	MOVQ a+8(FP), R8
	MOVQ rsA+16(FP), DX
	SHLQ $3, DX
	MOVQ mr+64(FP), CX
	ROWPTRS8

	XORQ SI, SI
	MOVQ csA+24(FP), DX
	SHLQ $3, DX
	MOVQ b+32(FP), DI
	MOVQ rsB+40(FP), CX
	SHLQ $3, CX
	MOVQ CX, rsb-8(SP)
	MOVQ k+0(FP), CX
	ANDQ $3, CX
	MOVQ CX, kr-16(SP)
	MOVQ k+0(FP), CX
	ZERO24
	SHRQ $2, CX
	JZ   d512tail

d512loop4:
	Z512STEP(VMOVUPD.Z, VBROADCASTSD, VFMADD231PD)
	Z512STEP(VMOVUPD.Z, VBROADCASTSD, VFMADD231PD)
	Z512STEP(VMOVUPD.Z, VBROADCASTSD, VFMADD231PD)
	Z512STEP(VMOVUPD.Z, VBROADCASTSD, VFMADD231PD)
	DECQ CX
	JNZ  d512loop4

d512tail:
	MOVQ kr-16(SP), CX
	TESTQ CX, CX
	JZ   d512store

d512loop1:
	Z512STEP(VMOVUPD.Z, VBROADCASTSD, VFMADD231PD)
	DECQ CX
	JNZ  d512loop1

d512store:
	MOVQ c+48(FP), DI
	MOVQ rsC+56(FP), DX
	SHLQ $3, DX
	MOVQ mr+64(FP), CX
	VBROADCASTSD alpha+80(FP), Z30
	VBROADCASTSD beta+88(FP), Z31
	MOVQ beta+88(FP), AX
	SHLQ $1, AX
	Z512STORE(VMOVUPD.Z, VMOVUPD, VMULPD, VFMADD231PD, d512beta0, d512done)

d512done:
	VZEROUPPER
	RET

// func sgemmAVX512(k int, a *float32, rsA, csA int, b *float32, rsB int, c *float32, rsC, mr, nr int, alpha, beta float32)
// MR = 8, NR = 48.
TEXT ·sgemmAVX512(SB), NOSPLIT, $16-88
	// Column masks: bits 0…nr-1 of (1<<nr)-1, sixteen per vector.
	MOVQ nr+72(FP), CX
	MOVQ $1, AX
	SHLQ CX, AX
	DECQ AX
	KMOVW AX, K1
	SHRQ $16, AX
	KMOVW AX, K2
	SHRQ $16, AX
	KMOVW AX, K3

	MOVQ a+8(FP), R8
	MOVQ rsA+16(FP), DX
	SHLQ $2, DX
	MOVQ mr+64(FP), CX
	ROWPTRS8

	XORQ SI, SI
	MOVQ csA+24(FP), DX
	SHLQ $2, DX
	MOVQ b+32(FP), DI
	MOVQ rsB+40(FP), CX
	SHLQ $2, CX
	MOVQ CX, rsb-8(SP)
	MOVQ k+0(FP), CX
	ANDQ $3, CX
	MOVQ CX, kr-16(SP)
	MOVQ k+0(FP), CX
	ZERO24
	SHRQ $2, CX
	JZ   s512tail

s512loop4:
	Z512STEP(VMOVUPS.Z, VBROADCASTSS, VFMADD231PS)
	Z512STEP(VMOVUPS.Z, VBROADCASTSS, VFMADD231PS)
	Z512STEP(VMOVUPS.Z, VBROADCASTSS, VFMADD231PS)
	Z512STEP(VMOVUPS.Z, VBROADCASTSS, VFMADD231PS)
	DECQ CX
	JNZ  s512loop4

s512tail:
	MOVQ kr-16(SP), CX
	TESTQ CX, CX
	JZ   s512store

s512loop1:
	Z512STEP(VMOVUPS.Z, VBROADCASTSS, VFMADD231PS)
	DECQ CX
	JNZ  s512loop1

s512store:
	MOVQ c+48(FP), DI
	MOVQ rsC+56(FP), DX
	SHLQ $2, DX
	MOVQ mr+64(FP), CX
	VBROADCASTSS alpha+80(FP), Z30
	VBROADCASTSS beta+84(FP), Z31
	MOVL beta+84(FP), AX
	SHLL $1, AX
	Z512STORE(VMOVUPS.Z, VMOVUPS, VMULPS, VFMADD231PS, s512beta0, s512done)

s512done:
	VZEROUPPER
	RET

// ---------------------------------------------------------------------------
// AVX-512, narrow: 8 rows × 2 vectors, for small products whose n fits 16
// (float64) or 32 (float32) columns better than 24 or 48. Z0…Z15 accumulate
// (row i in Z2i, Z2i+1); the other registers are used as above.

#define ZERO16 \
	VPXORQ Z0, Z0, Z0; VPXORQ Z1, Z1, Z1; VPXORQ Z2, Z2, Z2; VPXORQ Z3, Z3, Z3;         \
	VPXORQ Z4, Z4, Z4; VPXORQ Z5, Z5, Z5; VPXORQ Z6, Z6, Z6; VPXORQ Z7, Z7, Z7;         \
	VPXORQ Z8, Z8, Z8; VPXORQ Z9, Z9, Z9; VPXORQ Z10, Z10, Z10; VPXORQ Z11, Z11, Z11;   \
	VPXORQ Z12, Z12, Z12; VPXORQ Z13, Z13, Z13; VPXORQ Z14, Z14, Z14; VPXORQ Z15, Z15, Z15

#define Z512ROW2(BCAST, FMA, rp, t, r0, r1) \
	BCAST (rp)(SI*1), t; FMA Z24, t, r0; FMA Z25, t, r1

#define Z512STEP2(LOAD, BCAST, FMA) \
	LOAD (DI), K1, Z24; LOAD 64(DI), K2, Z25; \
	Z512ROW2(BCAST, FMA, R8, Z27, Z0, Z1);    \
	Z512ROW2(BCAST, FMA, R9, Z28, Z2, Z3);    \
	Z512ROW2(BCAST, FMA, R10, Z27, Z4, Z5);   \
	Z512ROW2(BCAST, FMA, R11, Z28, Z6, Z7);   \
	Z512ROW2(BCAST, FMA, R12, Z27, Z8, Z9);   \
	Z512ROW2(BCAST, FMA, R13, Z28, Z10, Z11); \
	Z512ROW2(BCAST, FMA, AX, Z27, Z12, Z13);  \
	Z512ROW2(BCAST, FMA, BX, Z28, Z14, Z15);  \
	ADDQ DX, SI; ADDQ rsb-8(SP), DI

#define Z512STB2(LOAD, STORE, MUL, FMA, r0, r1) \
	MUL Z30, r0, r0; MUL Z30, r1, r1;          \
	LOAD (DI), K1, Z24; LOAD 64(DI), K2, Z25;  \
	FMA Z31, Z24, r0; FMA Z31, Z25, r1;        \
	STORE r0, K1, (DI); STORE r1, K2, 64(DI);  \
	ADDQ DX, DI

#define Z512ST02(STORE, MUL, r0, r1) \
	MUL Z30, r0, r0; MUL Z30, r1, r1;          \
	STORE r0, K1, (DI); STORE r1, K2, 64(DI);  \
	ADDQ DX, DI

#define Z512STORE2(LOAD, STORE, MUL, FMA, B0, DONE) \
	TESTQ AX, AX; JZ B0; \
	Z512STB2(LOAD, STORE, MUL, FMA, Z0, Z1); DECQ CX; JZ DONE;   \
	Z512STB2(LOAD, STORE, MUL, FMA, Z2, Z3); DECQ CX; JZ DONE;   \
	Z512STB2(LOAD, STORE, MUL, FMA, Z4, Z5); DECQ CX; JZ DONE;   \
	Z512STB2(LOAD, STORE, MUL, FMA, Z6, Z7); DECQ CX; JZ DONE;   \
	Z512STB2(LOAD, STORE, MUL, FMA, Z8, Z9); DECQ CX; JZ DONE;   \
	Z512STB2(LOAD, STORE, MUL, FMA, Z10, Z11); DECQ CX; JZ DONE; \
	Z512STB2(LOAD, STORE, MUL, FMA, Z12, Z13); DECQ CX; JZ DONE; \
	Z512STB2(LOAD, STORE, MUL, FMA, Z14, Z15); JMP DONE;         \
B0: \
	Z512ST02(STORE, MUL, Z0, Z1); DECQ CX; JZ DONE;   \
	Z512ST02(STORE, MUL, Z2, Z3); DECQ CX; JZ DONE;   \
	Z512ST02(STORE, MUL, Z4, Z5); DECQ CX; JZ DONE;   \
	Z512ST02(STORE, MUL, Z6, Z7); DECQ CX; JZ DONE;   \
	Z512ST02(STORE, MUL, Z8, Z9); DECQ CX; JZ DONE;   \
	Z512ST02(STORE, MUL, Z10, Z11); DECQ CX; JZ DONE; \
	Z512ST02(STORE, MUL, Z12, Z13); DECQ CX; JZ DONE; \
	Z512ST02(STORE, MUL, Z14, Z15)

// func dgemmAVX512x16(k int, a *float64, rsA, csA int, b *float64, rsB int, c *float64, rsC, mr, nr int, alpha, beta float64)
// MR = 8, NR = 16.
TEXT ·dgemmAVX512x16(SB), NOSPLIT, $16-96
	MOVQ nr+72(FP), CX
	MOVQ $1, AX
	SHLQ CX, AX
	DECQ AX
	KMOVW AX, K1
	SHRQ $8, AX
	KMOVW AX, K2

	MOVQ a+8(FP), R8
	MOVQ rsA+16(FP), DX
	SHLQ $3, DX
	MOVQ mr+64(FP), CX
	ROWPTRS8

	XORQ SI, SI
	MOVQ csA+24(FP), DX
	SHLQ $3, DX
	MOVQ b+32(FP), DI
	MOVQ rsB+40(FP), CX
	SHLQ $3, CX
	MOVQ CX, rsb-8(SP)
	MOVQ k+0(FP), CX
	ANDQ $3, CX
	MOVQ CX, kr-16(SP)
	MOVQ k+0(FP), CX
	ZERO16
	SHRQ $2, CX
	JZ   d16tail

d16loop4:
	Z512STEP2(VMOVUPD.Z, VBROADCASTSD, VFMADD231PD)
	Z512STEP2(VMOVUPD.Z, VBROADCASTSD, VFMADD231PD)
	Z512STEP2(VMOVUPD.Z, VBROADCASTSD, VFMADD231PD)
	Z512STEP2(VMOVUPD.Z, VBROADCASTSD, VFMADD231PD)
	DECQ CX
	JNZ  d16loop4

d16tail:
	MOVQ kr-16(SP), CX
	TESTQ CX, CX
	JZ   d16store

d16loop1:
	Z512STEP2(VMOVUPD.Z, VBROADCASTSD, VFMADD231PD)
	DECQ CX
	JNZ  d16loop1

d16store:
	MOVQ c+48(FP), DI
	MOVQ rsC+56(FP), DX
	SHLQ $3, DX
	MOVQ mr+64(FP), CX
	VBROADCASTSD alpha+80(FP), Z30
	VBROADCASTSD beta+88(FP), Z31
	MOVQ beta+88(FP), AX
	SHLQ $1, AX
	Z512STORE2(VMOVUPD.Z, VMOVUPD, VMULPD, VFMADD231PD, d16beta0, d16done)

d16done:
	VZEROUPPER
	RET

// func sgemmAVX512x32(k int, a *float32, rsA, csA int, b *float32, rsB int, c *float32, rsC, mr, nr int, alpha, beta float32)
// MR = 8, NR = 32.
TEXT ·sgemmAVX512x32(SB), NOSPLIT, $16-88
	MOVQ nr+72(FP), CX
	MOVQ $1, AX
	SHLQ CX, AX
	DECQ AX
	KMOVW AX, K1
	SHRQ $16, AX
	KMOVW AX, K2

	MOVQ a+8(FP), R8
	MOVQ rsA+16(FP), DX
	SHLQ $2, DX
	MOVQ mr+64(FP), CX
	ROWPTRS8

	XORQ SI, SI
	MOVQ csA+24(FP), DX
	SHLQ $2, DX
	MOVQ b+32(FP), DI
	MOVQ rsB+40(FP), CX
	SHLQ $2, CX
	MOVQ CX, rsb-8(SP)
	MOVQ k+0(FP), CX
	ANDQ $3, CX
	MOVQ CX, kr-16(SP)
	MOVQ k+0(FP), CX
	ZERO16
	SHRQ $2, CX
	JZ   s32tail

s32loop4:
	Z512STEP2(VMOVUPS.Z, VBROADCASTSS, VFMADD231PS)
	Z512STEP2(VMOVUPS.Z, VBROADCASTSS, VFMADD231PS)
	Z512STEP2(VMOVUPS.Z, VBROADCASTSS, VFMADD231PS)
	Z512STEP2(VMOVUPS.Z, VBROADCASTSS, VFMADD231PS)
	DECQ CX
	JNZ  s32loop4

s32tail:
	MOVQ kr-16(SP), CX
	TESTQ CX, CX
	JZ   s32store

s32loop1:
	Z512STEP2(VMOVUPS.Z, VBROADCASTSS, VFMADD231PS)
	DECQ CX
	JNZ  s32loop1

s32store:
	MOVQ c+48(FP), DI
	MOVQ rsC+56(FP), DX
	SHLQ $2, DX
	MOVQ mr+64(FP), CX
	VBROADCASTSS alpha+80(FP), Z30
	VBROADCASTSS beta+84(FP), Z31
	MOVL beta+84(FP), AX
	SHLL $1, AX
	Z512STORE2(VMOVUPS.Z, VMOVUPS, VMULPS, VFMADD231PS, s32beta0, s32done)

s32done:
	VZEROUPPER
	RET

// ---------------------------------------------------------------------------
// AVX-512, one vector: 8 rows × 1 vector, for products with n ≤ 8 (float64)
// or ≤ 16 (float32). Z0…Z7 accumulate row i in Zi.

#define ZERO8 \
	VPXORQ Z0, Z0, Z0; VPXORQ Z1, Z1, Z1; VPXORQ Z2, Z2, Z2; VPXORQ Z3, Z3, Z3; \
	VPXORQ Z4, Z4, Z4; VPXORQ Z5, Z5, Z5; VPXORQ Z6, Z6, Z6; VPXORQ Z7, Z7, Z7

#define Z512STEP1(LOAD, BCAST, FMA) \
	LOAD (DI), K1, Z24; \
	BCAST (R8)(SI*1), Z27; FMA Z24, Z27, Z0;  \
	BCAST (R9)(SI*1), Z28; FMA Z24, Z28, Z1;  \
	BCAST (R10)(SI*1), Z29; FMA Z24, Z29, Z2; \
	BCAST (R11)(SI*1), Z26; FMA Z24, Z26, Z3; \
	BCAST (R12)(SI*1), Z27; FMA Z24, Z27, Z4; \
	BCAST (R13)(SI*1), Z28; FMA Z24, Z28, Z5; \
	BCAST (AX)(SI*1), Z29; FMA Z24, Z29, Z6;  \
	BCAST (BX)(SI*1), Z26; FMA Z24, Z26, Z7;  \
	ADDQ DX, SI; ADDQ rsb-8(SP), DI

#define Z512STB1(LOAD, STORE, MUL, FMA, r0) \
	MUL Z30, r0, r0; LOAD (DI), K1, Z24; FMA Z31, Z24, r0; STORE r0, K1, (DI); ADDQ DX, DI

#define Z512ST01(STORE, MUL, r0) \
	MUL Z30, r0, r0; STORE r0, K1, (DI); ADDQ DX, DI

#define Z512STORE1(LOAD, STORE, MUL, FMA, B0, DONE) \
	TESTQ AX, AX; JZ B0; \
	Z512STB1(LOAD, STORE, MUL, FMA, Z0); DECQ CX; JZ DONE; \
	Z512STB1(LOAD, STORE, MUL, FMA, Z1); DECQ CX; JZ DONE; \
	Z512STB1(LOAD, STORE, MUL, FMA, Z2); DECQ CX; JZ DONE; \
	Z512STB1(LOAD, STORE, MUL, FMA, Z3); DECQ CX; JZ DONE; \
	Z512STB1(LOAD, STORE, MUL, FMA, Z4); DECQ CX; JZ DONE; \
	Z512STB1(LOAD, STORE, MUL, FMA, Z5); DECQ CX; JZ DONE; \
	Z512STB1(LOAD, STORE, MUL, FMA, Z6); DECQ CX; JZ DONE; \
	Z512STB1(LOAD, STORE, MUL, FMA, Z7); JMP DONE;         \
B0: \
	Z512ST01(STORE, MUL, Z0); DECQ CX; JZ DONE; \
	Z512ST01(STORE, MUL, Z1); DECQ CX; JZ DONE; \
	Z512ST01(STORE, MUL, Z2); DECQ CX; JZ DONE; \
	Z512ST01(STORE, MUL, Z3); DECQ CX; JZ DONE; \
	Z512ST01(STORE, MUL, Z4); DECQ CX; JZ DONE; \
	Z512ST01(STORE, MUL, Z5); DECQ CX; JZ DONE; \
	Z512ST01(STORE, MUL, Z6); DECQ CX; JZ DONE; \
	Z512ST01(STORE, MUL, Z7)

// func dgemmAVX512x8(k int, a *float64, rsA, csA int, b *float64, rsB int, c *float64, rsC, mr, nr int, alpha, beta float64)
// MR = 8, NR = 8.
TEXT ·dgemmAVX512x8(SB), NOSPLIT, $16-96
	MOVQ nr+72(FP), CX
	MOVQ $1, AX
	SHLQ CX, AX
	DECQ AX
	KMOVW AX, K1

	MOVQ a+8(FP), R8
	MOVQ rsA+16(FP), DX
	SHLQ $3, DX
	MOVQ mr+64(FP), CX
	ROWPTRS8

	XORQ SI, SI
	MOVQ csA+24(FP), DX
	SHLQ $3, DX
	MOVQ b+32(FP), DI
	MOVQ rsB+40(FP), CX
	SHLQ $3, CX
	MOVQ CX, rsb-8(SP)
	MOVQ k+0(FP), CX
	ANDQ $3, CX
	MOVQ CX, kr-16(SP)
	MOVQ k+0(FP), CX
	ZERO8
	SHRQ $2, CX
	JZ   d8tail

d8loop4:
	Z512STEP1(VMOVUPD.Z, VBROADCASTSD, VFMADD231PD)
	Z512STEP1(VMOVUPD.Z, VBROADCASTSD, VFMADD231PD)
	Z512STEP1(VMOVUPD.Z, VBROADCASTSD, VFMADD231PD)
	Z512STEP1(VMOVUPD.Z, VBROADCASTSD, VFMADD231PD)
	DECQ CX
	JNZ  d8loop4

d8tail:
	MOVQ kr-16(SP), CX
	TESTQ CX, CX
	JZ   d8store

d8loop1:
	Z512STEP1(VMOVUPD.Z, VBROADCASTSD, VFMADD231PD)
	DECQ CX
	JNZ  d8loop1

d8store:
	MOVQ c+48(FP), DI
	MOVQ rsC+56(FP), DX
	SHLQ $3, DX
	MOVQ mr+64(FP), CX
	VBROADCASTSD alpha+80(FP), Z30
	VBROADCASTSD beta+88(FP), Z31
	MOVQ beta+88(FP), AX
	SHLQ $1, AX
	Z512STORE1(VMOVUPD.Z, VMOVUPD, VMULPD, VFMADD231PD, d8beta0, d8done)

d8done:
	VZEROUPPER
	RET

// func sgemmAVX512x16(k int, a *float32, rsA, csA int, b *float32, rsB int, c *float32, rsC, mr, nr int, alpha, beta float32)
// MR = 8, NR = 16.
TEXT ·sgemmAVX512x16(SB), NOSPLIT, $16-88
	MOVQ nr+72(FP), CX
	MOVQ $1, AX
	SHLQ CX, AX
	DECQ AX
	KMOVW AX, K1

	MOVQ a+8(FP), R8
	MOVQ rsA+16(FP), DX
	SHLQ $2, DX
	MOVQ mr+64(FP), CX
	ROWPTRS8

	XORQ SI, SI
	MOVQ csA+24(FP), DX
	SHLQ $2, DX
	MOVQ b+32(FP), DI
	MOVQ rsB+40(FP), CX
	SHLQ $2, CX
	MOVQ CX, rsb-8(SP)
	MOVQ k+0(FP), CX
	ANDQ $3, CX
	MOVQ CX, kr-16(SP)
	MOVQ k+0(FP), CX
	ZERO8
	SHRQ $2, CX
	JZ   s16tail

s16loop4:
	Z512STEP1(VMOVUPS.Z, VBROADCASTSS, VFMADD231PS)
	Z512STEP1(VMOVUPS.Z, VBROADCASTSS, VFMADD231PS)
	Z512STEP1(VMOVUPS.Z, VBROADCASTSS, VFMADD231PS)
	Z512STEP1(VMOVUPS.Z, VBROADCASTSS, VFMADD231PS)
	DECQ CX
	JNZ  s16loop4

s16tail:
	MOVQ kr-16(SP), CX
	TESTQ CX, CX
	JZ   s16store

s16loop1:
	Z512STEP1(VMOVUPS.Z, VBROADCASTSS, VFMADD231PS)
	DECQ CX
	JNZ  s16loop1

s16store:
	MOVQ c+48(FP), DI
	MOVQ rsC+56(FP), DX
	SHLQ $2, DX
	MOVQ mr+64(FP), CX
	VBROADCASTSS alpha+80(FP), Z30
	VBROADCASTSS beta+84(FP), Z31
	MOVL beta+84(FP), AX
	SHLL $1, AX
	Z512STORE1(VMOVUPS.Z, VMOVUPS, VMULPS, VFMADD231PS, s16beta0, s16done)

s16done:
	VZEROUPPER
	RET

// ---------------------------------------------------------------------------
// AVX2: 6 rows × 2 vectors. Y0…Y11 accumulate (row i in Y2i, Y2i+1),
// Y12/Y13 hold a row of B, Y14/Y15 a broadcast element of A; after the
// loop Y14/Y15 hold α/β and Y12/Y13 a row of C.

#define ZERO12 \
	VXORPD Y0, Y0, Y0; VXORPD Y1, Y1, Y1; VXORPD Y2, Y2, Y2; VXORPD Y3, Y3, Y3;     \
	VXORPD Y4, Y4, Y4; VXORPD Y5, Y5, Y5; VXORPD Y6, Y6, Y6; VXORPD Y7, Y7, Y7;     \
	VXORPD Y8, Y8, Y8; VXORPD Y9, Y9, Y9; VXORPD Y10, Y10, Y10; VXORPD Y11, Y11, Y11

#define Y256ROW(BCAST, FMA, rp, t, r0, r1) \
	BCAST (rp)(SI*1), t; FMA Y12, t, r0; FMA Y13, t, r1

#define Y256STEP(MOV, BCAST, FMA) \
	MOV (DI), Y12; MOV 32(DI), Y13;          \
	Y256ROW(BCAST, FMA, R8, Y14, Y0, Y1);    \
	Y256ROW(BCAST, FMA, R9, Y15, Y2, Y3);    \
	Y256ROW(BCAST, FMA, R10, Y14, Y4, Y5);   \
	Y256ROW(BCAST, FMA, R11, Y15, Y6, Y7);   \
	Y256ROW(BCAST, FMA, R12, Y14, Y8, Y9);   \
	Y256ROW(BCAST, FMA, R13, Y15, Y10, Y11); \
	ADDQ DX, SI; ADDQ rsb-8(SP), DI

#define Y256STB(MOV, MUL, FMA, r0, r1) \
	MUL Y14, r0, r0; MUL Y14, r1, r1;      \
	MOV (DI), Y12; MOV 32(DI), Y13;        \
	FMA Y15, Y12, r0; FMA Y15, Y13, r1;    \
	MOV r0, (DI); MOV r1, 32(DI);        \
	ADDQ DX, DI

#define Y256ST0(MOV, MUL, r0, r1) \
	MUL Y14, r0, r0; MUL Y14, r1, r1;      \
	MOV r0, (DI); MOV r1, 32(DI);        \
	ADDQ DX, DI

#define Y256STORE(MOV, MUL, FMA, B0, DONE) \
	TESTQ AX, AX; JZ B0; \
	Y256STB(MOV, MUL, FMA, Y0, Y1); DECQ CX; JZ DONE;   \
	Y256STB(MOV, MUL, FMA, Y2, Y3); DECQ CX; JZ DONE;   \
	Y256STB(MOV, MUL, FMA, Y4, Y5); DECQ CX; JZ DONE;   \
	Y256STB(MOV, MUL, FMA, Y6, Y7); DECQ CX; JZ DONE;   \
	Y256STB(MOV, MUL, FMA, Y8, Y9); DECQ CX; JZ DONE;   \
	Y256STB(MOV, MUL, FMA, Y10, Y11); JMP DONE;         \
B0: \
	Y256ST0(MOV, MUL, Y0, Y1); DECQ CX; JZ DONE;   \
	Y256ST0(MOV, MUL, Y2, Y3); DECQ CX; JZ DONE;   \
	Y256ST0(MOV, MUL, Y4, Y5); DECQ CX; JZ DONE;   \
	Y256ST0(MOV, MUL, Y6, Y7); DECQ CX; JZ DONE;   \
	Y256ST0(MOV, MUL, Y8, Y9); DECQ CX; JZ DONE;   \
	Y256ST0(MOV, MUL, Y10, Y11)

// func dgemmAVX2(k int, a *float64, rsA, csA int, b *float64, rsB int, c *float64, rsC, mr, nr int, alpha, beta float64)
// MR = 6, NR = 8; nr must be 8.
TEXT ·dgemmAVX2(SB), NOSPLIT, $16-96
	MOVQ a+8(FP), R8
	MOVQ rsA+16(FP), DX
	SHLQ $3, DX
	MOVQ mr+64(FP), CX
	ROWPTRS6

	XORQ SI, SI
	MOVQ csA+24(FP), DX
	SHLQ $3, DX
	MOVQ b+32(FP), DI
	MOVQ rsB+40(FP), CX
	SHLQ $3, CX
	MOVQ CX, rsb-8(SP)
	MOVQ k+0(FP), CX
	MOVQ CX, AX
	ANDQ $3, AX
	MOVQ AX, kr-16(SP)
	ZERO12
	SHRQ $2, CX
	JZ   d256tail

d256loop4:
	Y256STEP(VMOVUPD, VBROADCASTSD, VFMADD231PD)
	Y256STEP(VMOVUPD, VBROADCASTSD, VFMADD231PD)
	Y256STEP(VMOVUPD, VBROADCASTSD, VFMADD231PD)
	Y256STEP(VMOVUPD, VBROADCASTSD, VFMADD231PD)
	DECQ CX
	JNZ  d256loop4

d256tail:
	MOVQ kr-16(SP), CX
	TESTQ CX, CX
	JZ   d256store

d256loop1:
	Y256STEP(VMOVUPD, VBROADCASTSD, VFMADD231PD)
	DECQ CX
	JNZ  d256loop1

d256store:
	MOVQ c+48(FP), DI
	MOVQ rsC+56(FP), DX
	SHLQ $3, DX
	MOVQ mr+64(FP), CX
	VBROADCASTSD alpha+80(FP), Y14
	VBROADCASTSD beta+88(FP), Y15
	MOVQ beta+88(FP), AX
	SHLQ $1, AX
	Y256STORE(VMOVUPD, VMULPD, VFMADD231PD, d256beta0, d256done)

d256done:
	VZEROUPPER
	RET

// func sgemmAVX2(k int, a *float32, rsA, csA int, b *float32, rsB int, c *float32, rsC, mr, nr int, alpha, beta float32)
// MR = 6, NR = 16; nr must be 16.
TEXT ·sgemmAVX2(SB), NOSPLIT, $16-88
	MOVQ a+8(FP), R8
	MOVQ rsA+16(FP), DX
	SHLQ $2, DX
	MOVQ mr+64(FP), CX
	ROWPTRS6

	XORQ SI, SI
	MOVQ csA+24(FP), DX
	SHLQ $2, DX
	MOVQ b+32(FP), DI
	MOVQ rsB+40(FP), CX
	SHLQ $2, CX
	MOVQ CX, rsb-8(SP)
	MOVQ k+0(FP), CX
	MOVQ CX, AX
	ANDQ $3, AX
	MOVQ AX, kr-16(SP)
	ZERO12
	SHRQ $2, CX
	JZ   s256tail

s256loop4:
	Y256STEP(VMOVUPS, VBROADCASTSS, VFMADD231PS)
	Y256STEP(VMOVUPS, VBROADCASTSS, VFMADD231PS)
	Y256STEP(VMOVUPS, VBROADCASTSS, VFMADD231PS)
	Y256STEP(VMOVUPS, VBROADCASTSS, VFMADD231PS)
	DECQ CX
	JNZ  s256loop4

s256tail:
	MOVQ kr-16(SP), CX
	TESTQ CX, CX
	JZ   s256store

s256loop1:
	Y256STEP(VMOVUPS, VBROADCASTSS, VFMADD231PS)
	DECQ CX
	JNZ  s256loop1

s256store:
	MOVQ c+48(FP), DI
	MOVQ rsC+56(FP), DX
	SHLQ $2, DX
	MOVQ mr+64(FP), CX
	VBROADCASTSS alpha+80(FP), Y14
	VBROADCASTSS beta+84(FP), Y15
	MOVL beta+84(FP), AX
	SHLL $1, AX
	Y256STORE(VMOVUPS, VMULPS, VFMADD231PS, s256beta0, s256done)

s256done:
	VZEROUPPER
	RET

// func copyPanel192(dst, src unsafe.Pointer, rows, srcStride int)
// Packs one full panel of B for the AVX-512 kernels (NR·size = 24·8 =
// 48·4 = 192 bytes): for r < rows,
//	dst[r·192 : r·192+192] = src[r·srcStride : r·srcStride+192]   (bytes).
TEXT ·copyPanel192(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ rows+16(FP), CX
	MOVQ srcStride+24(FP), DX
	TESTQ CX, CX
	JZ   cpdone

cploop:
	VMOVDQU64 (SI), Z0
	VMOVDQU64 64(SI), Z1
	VMOVDQU64 128(SI), Z2
	VMOVDQU64 Z0, (DI)
	VMOVDQU64 Z1, 64(DI)
	VMOVDQU64 Z2, 128(DI)
	ADDQ DX, SI
	ADDQ $192, DI
	DECQ CX
	JNZ  cploop

cpdone:
	VZEROUPPER
	RET

// Packing a panel of a B whose columns are contiguous (unit row stride)
// transposes it: 8×8 blocks go through registers (AVX),
//	dst[p·dstStride + j] = src[j·srcStride + p],   p, j < 8   (strides in elements).

// TRANS4PD transposes the 4×4 float64 block at S (columns CX bytes apart,
// R8 = 3·CX) into rows at D (DX bytes apart, R9 = 3·DX).
#define TRANS4PD(S, D) \
	VMOVUPD (S), Y0; \
	VMOVUPD (S)(CX*1), Y1; \
	VMOVUPD (S)(CX*2), Y2; \
	VMOVUPD (S)(R8*1), Y3; \
	VUNPCKLPD Y1, Y0, Y4; \
	VUNPCKHPD Y1, Y0, Y5; \
	VUNPCKLPD Y3, Y2, Y6; \
	VUNPCKHPD Y3, Y2, Y7; \
	VPERM2F128 $0x20, Y6, Y4, Y0; \
	VPERM2F128 $0x20, Y7, Y5, Y1; \
	VPERM2F128 $0x31, Y6, Y4, Y2; \
	VPERM2F128 $0x31, Y7, Y5, Y3; \
	VMOVUPD Y0, (D); \
	VMOVUPD Y1, (D)(DX*1); \
	VMOVUPD Y2, (D)(DX*2); \
	VMOVUPD Y3, (D)(R9*1)

// func transpose8x8f64(dst *float64, dstStride int, src *float64, srcStride int)
TEXT ·transpose8x8f64(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ dstStride+8(FP), DX
	MOVQ src+16(FP), SI
	MOVQ srcStride+24(FP), CX
	SHLQ $3, DX
	SHLQ $3, CX
	LEAQ (CX)(CX*2), R8
	LEAQ (DX)(DX*2), R9
	TRANS4PD(SI, DI)         // columns 0–3, rows 0–3
	LEAQ 32(SI), R10
	LEAQ (DI)(DX*4), R11
	TRANS4PD(R10, R11)       // columns 0–3, rows 4–7
	LEAQ (SI)(CX*4), R10
	LEAQ 32(DI), R11
	TRANS4PD(R10, R11)       // columns 4–7, rows 0–3
	LEAQ 32(R10), R10
	LEAQ (R11)(DX*4), R11
	TRANS4PD(R10, R11)       // columns 4–7, rows 4–7
	VZEROUPPER
	RET

// func transpose8x8f32(dst *float32, dstStride int, src *float32, srcStride int)
TEXT ·transpose8x8f32(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ dstStride+8(FP), DX
	MOVQ src+16(FP), SI
	MOVQ srcStride+24(FP), CX
	SHLQ $2, DX
	SHLQ $2, CX
	LEAQ (CX)(CX*2), R8
	LEAQ (DX)(DX*2), R9
	// Y0–Y7: columns 0–7, rows 0–7 of each.
	VMOVUPS (SI), Y0
	VMOVUPS (SI)(CX*1), Y1
	VMOVUPS (SI)(CX*2), Y2
	VMOVUPS (SI)(R8*1), Y3
	LEAQ (SI)(CX*4), SI
	VMOVUPS (SI), Y4
	VMOVUPS (SI)(CX*1), Y5
	VMOVUPS (SI)(CX*2), Y6
	VMOVUPS (SI)(R8*1), Y7
	// Interleave pairs of columns, then pairs of pairs, then the 128-bit lanes.
	VUNPCKLPS Y1, Y0, Y8
	VUNPCKHPS Y1, Y0, Y9
	VUNPCKLPS Y3, Y2, Y10
	VUNPCKHPS Y3, Y2, Y11
	VUNPCKLPS Y5, Y4, Y12
	VUNPCKHPS Y5, Y4, Y13
	VUNPCKLPS Y7, Y6, Y14
	VUNPCKHPS Y7, Y6, Y15
	VSHUFPS $0x44, Y10, Y8, Y0
	VSHUFPS $0xEE, Y10, Y8, Y1
	VSHUFPS $0x44, Y11, Y9, Y2
	VSHUFPS $0xEE, Y11, Y9, Y3
	VSHUFPS $0x44, Y14, Y12, Y4
	VSHUFPS $0xEE, Y14, Y12, Y5
	VSHUFPS $0x44, Y15, Y13, Y6
	VSHUFPS $0xEE, Y15, Y13, Y7
	VPERM2F128 $0x20, Y4, Y0, Y8
	VPERM2F128 $0x20, Y5, Y1, Y9
	VPERM2F128 $0x20, Y6, Y2, Y10
	VPERM2F128 $0x20, Y7, Y3, Y11
	VPERM2F128 $0x31, Y4, Y0, Y12
	VPERM2F128 $0x31, Y5, Y1, Y13
	VPERM2F128 $0x31, Y6, Y2, Y14
	VPERM2F128 $0x31, Y7, Y3, Y15
	VMOVUPS Y8, (DI)
	VMOVUPS Y9, (DI)(DX*1)
	VMOVUPS Y10, (DI)(DX*2)
	VMOVUPS Y11, (DI)(R9*1)
	LEAQ (DI)(DX*4), DI
	VMOVUPS Y12, (DI)
	VMOVUPS Y13, (DI)(DX*1)
	VMOVUPS Y14, (DI)(DX*2)
	VMOVUPS Y15, (DI)(R9*1)
	VZEROUPPER
	RET
