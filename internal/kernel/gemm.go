package kernel

import "fmt"

// Gemm computes the matrix product
//
//	C = α·A·B + β·C,   C_ij = α·Σ_p A_ip·B_pj + β·C_ij,
//
// for an m×k A, a k×n B and an m×n C given as strided views (transposes and
// permuted tensor axes are just strides). It follows Goto and van de Geijn,
// "Anatomy of high-performance matrix multiplication", ACM TOMS 34(3), 2008,
// in the BLIS arrangement (Van Zee and van de Geijn, "BLIS: a framework for
// rapidly instantiating BLAS functionality", ACM TOMS 41(3), 2015): B is
// packed into kc×nc blocks of NR-wide panels that stay in L2, rows of A
// stream through L1 in MR-row slivers (packed only when neither stride is 1),
// and an MR×NR register tile is computed by an assembly micro-kernel
// (AVX-512 or AVX2+FMA, chosen at run time) or a pure-Go one. Large
// products are split over goroutines; small ones run on the calling
// goroutine without packing or allocation.
//
// When β = 0, C is only written: NaN and Inf in C do not propagate. When
// α = 0 or k = 0, A and B are not read and C = β·C. C must not share memory
// with A or B, and no two elements of C may share memory.
func Gemm[T Float](alpha T, a, b Matrix[T], beta T, c Matrix[T], opt Options) error {
	return GemmBatched(1, alpha, a, 0, b, 0, beta, c, 0, opt)
}

// GemmBatched computes batch independent products
//
//	C_t = α·A_t·B_t + β·C_t,   t = 0, …, batch-1,
//
// where operand X_t is the view X shifted by t·strideX elements (its Off
// becomes Off + t·strideX). A stride of 0 shares one operand across the
// batch (a shared A or B; never C). The batch loop runs inside the driver:
// batches of small products are spread over goroutines whole, and a batch
// that shares B, or A, and whose rows, or columns, follow on from one item
// to the next is computed as one larger product.
func GemmBatched[T Float](batch int, alpha T, a Matrix[T], strideA int, b Matrix[T], strideB int, beta T, c Matrix[T], strideC int, opt Options) error {
	return gemmChecked(nil, batch, alpha, a, strideA, b, strideB, beta, c, strideC, opt)
}

// gemmChecked validates a GemmBatched call and runs it with kernel set ks,
// or, when ks is nil, with the external BLAS of an openblas build where it
// takes the call and the fastest kernel set otherwise.
func gemmChecked[T Float](ks *kernelSet[T], batch int, alpha T, a Matrix[T], strideA int, b Matrix[T], strideB int, beta T, c Matrix[T], strideC int, opt Options) error {
	if err := opt.check(); err != nil {
		return err
	}
	if batch < 0 {
		return fmt.Errorf("kernel: negative batch %d", batch)
	}
	m, n, k := c.Rows, c.Cols, a.Cols
	if a.Rows != m || b.Rows != k || b.Cols != n {
		return fmt.Errorf("kernel: shapes do not chain: A is %d×%d, B is %d×%d, C is %d×%d", a.Rows, a.Cols, b.Rows, b.Cols, c.Rows, c.Cols)
	}
	alo, ahi, aok, err := matrixExtent("A", a, batch, strideA)
	if err != nil {
		return err
	}
	blo, bhi, bok, err := matrixExtent("B", b, batch, strideB)
	if err != nil {
		return err
	}
	if !c.strided() {
		return fmt.Errorf("kernel: C must be a strided view (no row or column offsets)")
	}
	clo, chi, cok, err := extent("C", len(c.Data), c.Off, []int{batch, c.Rows, c.Cols}, []int{strideC, c.RowStride, c.ColStride})
	if err != nil || !cok {
		return err
	}
	if selfOverlap([]int{batch, m, n}, []int{strideC, c.RowStride, c.ColStride}) {
		return errOverlap
	}
	if aok && sameMemory(c.Data, clo, chi, a.Data, alo, ahi) {
		return fmt.Errorf("kernel: C shares memory with A")
	}
	if bok && sameMemory(c.Data, clo, chi, b.Data, blo, bhi) {
		return fmt.Errorf("kernel: C shares memory with B")
	}
	if ks == nil {
		if externalGemm(opt, batch, alpha, a, strideA, b, strideB, beta, c, strideC) {
			return nil
		}
		ks = bestKernel[T]()
	}
	gemm(ks, opt, batch, alpha, a, strideA, b, strideB, beta, c, strideC)
	return nil
}

// Dgemm is the row-major BLAS dgemm: C = α·op(A)·op(B) + β·C with op(A)
// m×k, op(B) k×n and C m×n, where op(X) = Xᵀ when transX is set. Each
// matrix is stored row by row with its leading dimension (distance between
// rows) lda, ldb or ldc, which must be at least its stored column count.
func Dgemm(transA, transB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int, opt Options) error {
	return blasGemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, opt)
}

// Sgemm is Dgemm for float32.
func Sgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int, opt Options) error {
	return blasGemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, opt)
}

func blasGemm[T Float](transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int, opt Options) error {
	if m < 0 || n < 0 || k < 0 {
		return fmt.Errorf("kernel: negative dimension in m, n, k = %d, %d, %d", m, n, k)
	}
	// Each operand is stored row by row: op(A) = A is m×k (k stored
	// columns), op(A) = Aᵀ comes from a stored k×m (m stored columns).
	am, bm := Matrix[T]{Data: a, Rows: m, Cols: k, RowStride: lda, ColStride: 1}, Matrix[T]{Data: b, Rows: k, Cols: n, RowStride: ldb, ColStride: 1}
	colsA, colsB := k, n
	if transA {
		am.RowStride, am.ColStride, colsA = 1, lda, m
	}
	if transB {
		bm.RowStride, bm.ColStride, colsB = 1, ldb, k
	}
	switch {
	case lda < max(1, colsA):
		return fmt.Errorf("kernel: lda = %d, want ≥ %d", lda, max(1, colsA))
	case ldb < max(1, colsB):
		return fmt.Errorf("kernel: ldb = %d, want ≥ %d", ldb, max(1, colsB))
	case ldc < max(1, n):
		return fmt.Errorf("kernel: ldc = %d, want ≥ %d", ldc, max(1, n))
	}
	cm := Matrix[T]{Data: c, Rows: m, Cols: n, RowStride: ldc, ColStride: 1}
	return gemmChecked(nil, 1, alpha, am, 0, bm, 0, beta, cm, 0, opt)
}
