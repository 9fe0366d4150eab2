package linalg

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// reflectors describes Householder reflectors H_i = I − τᵢ vᵢ vᵢᵀ (i < count)
// stored LAPACK-style in the row-major matrix a: vᵢ is zero before position
// i+shift, one at i+shift, and beyond it holds a[p][i] (colWise) or a[i][p]
// (row-wise), as left by Dgeqrf (columns, shift 0), Dgelqf (rows, shift 0)
// and Dgebrd (both, shift 0 or 1).
type reflectors struct {
	a       []float64
	lda     int
	tau     []float64
	count   int
	shift   int
	colWise bool
}

// blockSize is the number of reflectors aggregated per block.
const blockSize = 32

// apply overwrites the nq×nc row-major matrix c with H₀ H₁ ⋯ H_{count−1} · c.
//
// Blocks of b reflectors are aggregated in compact WY form
// H_j ⋯ H_{j+b−1} = I − V T Vᵀ (Schreiber & Van Loan 1989) and applied as
// c ← c − V (T (Vᵀ c)), two matrix products per block, last block first.
func (h reflectors) apply(c []float64, nq, nc int) {
	if h.count <= 0 || nc == 0 {
		return
	}
	bi := blas64.Implementation()
	for j := (h.count - 1) / blockSize * blockSize; j >= 0; j -= blockSize {
		b := min(blockSize, h.count-j)
		lo := j + h.shift
		L := nq - lo
		// Vt is b×L: row r is v_{j+r} restricted to positions lo…nq−1.
		vt := make([]float64, b*L)
		for r := range b {
			row := vt[r*L : (r+1)*L]
			row[r] = 1
			for p := r + 1; p < L; p++ {
				if h.colWise {
					row[p] = h.a[(lo+p)*h.lda+j+r]
				} else {
					row[p] = h.a[(j+r)*h.lda+lo+p]
				}
			}
		}
		t := h.triangular(vt, b, L, j)
		// W = T·(Vt·c), then c −= V·W.
		w := make([]float64, b*nc)
		gemm(blas.NoTrans, blas.NoTrans, b, nc, L, vt, L, c[lo*nc:], nc, w, nc)
		tw := make([]float64, b*nc)
		gemm(blas.NoTrans, blas.NoTrans, b, nc, b, t, b, w, nc, tw, nc)
		v := transpose(vt, b, L)
		bi.Dgemm(blas.NoTrans, blas.NoTrans, L, nc, b, -1, v, b, tw, nc, 1, c[lo*nc:], nc)
	}
}

// triangular returns the b×b upper triangular T of the compact WY form of
// the block starting at reflector j (LAPACK dlarft, forward, columnwise):
//
//	T_ii = τᵢ,   T[0:i, i] = −τᵢ · T[0:i, 0:i] · (V[:, 0:i]ᵀ vᵢ).
func (h reflectors) triangular(vt []float64, b, L, j int) []float64 {
	g := make([]float64, b*b) // Gram matrix Vᵀ V
	gemm(blas.NoTrans, blas.Trans, b, b, L, vt, L, vt, L, g, b)
	t := make([]float64, b*b)
	bi := blas64.Implementation()
	for i := range b {
		tau := h.tau[j+i]
		t[i*b+i] = tau
		if i == 0 {
			continue
		}
		for r := range i {
			t[r*b+i] = g[r*b+i]
		}
		bi.Dtrmv(blas.Upper, blas.NoTrans, blas.NonUnit, i, t, b, t[i:], b)
		bi.Dscal(i, -tau, t[i:], b)
	}
	return t
}
