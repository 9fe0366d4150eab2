package contract

import (
	"math/bits"
	"runtime"
	"sync"
	"unsafe"
	"weak"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/strand-tn/strand/internal/kernel"
	"github.com/strand-tn/strand/tensor"
)

// The arithmetic of a pair step: real types go to internal/kernel (packed
// GEMM straight from strided views, batched, parallel); complex types to
// gonum's BLAS, which needs one unit stride per matrix.

var impl gonum.Implementation

// smallGEMM is the m·n·k below which a complex product uses the direct loop.
const smallGEMM = 1 << 15

// isFloat reports whether T is a real type, which the kernel multiplies.
func isFloat[T tensor.Elem]() bool { return isReal[T]() }

// batchedGEMM computes C[b] = A[b]·B[b] for every batch index b (C
// overwritten, contiguous, C[b] at offset b·rows·cols). batchShape gives the
// sizes of the batch labels; A and B carry their strides per batch label.
func batchedGEMM[T tensor.Elem](batchShape []int, A, B, C matrix[T]) {
	nb := 1
	for _, d := range batchShape {
		nb *= d
	}
	block := C.rows * C.cols
	if isFloat[T]() {
		if sa, ok := mergeBatch(batchShape, A.batchStrides); ok {
			if sb, ok := mergeBatch(batchShape, B.batchStrides); ok {
				kernelGEMM(nb, A, sa, B, sb, C, block)
				return
			}
		}
	}
	ao := newOdometer(batchShape, A.batchStrides)
	bo := newOdometer(batchShape, B.batchStrides)
	for i := range nb {
		a, b, c := A, B, C
		a.off += ao.pos
		b.off += bo.pos
		c.off = i * block
		if isFloat[T]() {
			kernelGEMM(1, a, 0, b, 0, c, 0)
		} else {
			complexGEMM(a, b, c)
		}
		ao.next()
		bo.next()
	}
}

// mergeBatch returns the single stride that walks a batch of the given shape
// in row-major order, if there is one.
func mergeBatch(shape, strides []int) (int, bool) {
	inner, next := 0, -1
	for i := len(shape) - 1; i >= 0; i-- {
		if shape[i] == 1 {
			continue
		}
		if next < 0 {
			inner = strides[i]
		} else if strides[i] != next {
			return 0, false
		}
		next = strides[i] * shape[i]
	}
	return inner, true
}

// kernelGEMM runs C_t = A_t·B_t for t < nb on the kernel, X_t offset by t·sX.
func kernelGEMM[T tensor.Elem](nb int, A matrix[T], sa int, B matrix[T], sb int, C matrix[T], sc int) {
	var err error
	switch a := any(A.data).(type) {
	case []float64:
		err = kernel.GemmBatched(nb, 1, kmat(a, A), sa, kmat(any(B.data).([]float64), B), sb, 0, kmat(any(C.data).([]float64), C), sc, kernel.Options{})
	case []float32:
		err = kernel.GemmBatched(nb, 1, kmat(a, A), sa, kmat(any(B.data).([]float32), B), sb, 0, kmat(any(C.data).([]float32), C), sc, kernel.Options{})
	}
	if err != nil {
		panic("contract: internal error: " + err.Error())
	}
}

func kmat[F kernel.Float, T tensor.Elem](data []F, m matrix[T]) kernel.Matrix[F] {
	return kernel.Matrix[F]{Data: data, Off: m.off, Rows: m.rows, Cols: m.cols, RowStride: m.rs, ColStride: m.cs, RowOffsets: m.rowOffs, ColOffsets: m.colOffs}
}

// complexGEMM computes C = A·B for complex types with gonum's BLAS, or the
// direct loop for small products, outer products and dot products.
func complexGEMM[T tensor.Elem](A, B, C matrix[T]) {
	m, n, k := A.rows, B.cols, A.cols
	if m*n*k < smallGEMM || k == 1 || (m == 1 && n == 1) {
		gemmLoop(A, B, C)
		return
	}
	ta, lda, _ := A.blasLayout()
	tb, ldb, _ := B.blasLayout()
	a, b, c := A.data[A.off:], B.data[B.off:], C.data[C.off:]
	switch a := any(a).(type) {
	case []complex128:
		impl.Zgemm(trans(ta), trans(tb), m, n, k, 1, a, lda, any(b).([]complex128), ldb, 0, any(c).([]complex128), C.rs)
	case []complex64:
		impl.Cgemm(trans(ta), trans(tb), m, n, k, 1, a, lda, any(b).([]complex64), ldb, 0, any(c).([]complex64), C.rs)
	}
}

func trans(t bool) blas.Transpose {
	if t {
		return blas.Trans
	}
	return blas.NoTrans
}

// gemmLoop is the direct strided loop C_ij = Σ_k A_ik B_kj.
func gemmLoop[T tensor.Elem](A, B, C matrix[T]) {
	a, b, c := A.data, B.data, C.data
	for i := range A.rows {
		ai := A.off + i*A.rs
		ci := C.off + i*C.rs
		for j := range B.cols {
			bj := B.off + j*B.cs
			var s T
			pa, pb := ai, bj
			for range A.cols {
				s += a[pa] * b[pb]
				pa += A.cs
				pb += B.rs
			}
			c[ci+j] = s
		}
	}
}

// hadamard computes out[batch] = Σ_sum x[batch, sum]·y[batch, sum], the
// step where neither operand keeps a leg of its own (Hadamard products, dot
// products, traces of products).
func hadamard[T tensor.Elem](shape []int, x, y, out kernel.Strided[T]) {
	if err := kernel.HadamardReduce(shape, 1, x, y, 0, out); err != nil {
		panic("contract: internal error: " + err.Error())
	}
}

// Intermediate results. Every step writes all of its result, so results
// take their memory from pools of buffers that consumed intermediates have
// returned instead of fresh zeroed allocations: a path of many steps then
// allocates and zeroes little. A buffer's classes come in quarter steps
// between powers of two (at most 25% unused).

// poolMin is the smallest result, in elements, that comes from the pools.
const poolMin = 1 << 12

// sizeClass returns the class of a buffer for n > poolMin/2 elements and
// the size of the class's buffers: with 2^e < n ≤ 2^(e+1), the smallest of
// 2^e·(1 + (q+1)/4), q = 0…3, that holds n.
func sizeClass(n int) (class, size int) {
	e := bits.Len(uint(n-1)) - 1
	step := 1 << (e - 2)
	q := (n-(1<<e)+step-1)/step - 1
	return 4*e + q, 1<<e + (q+1)*step
}

// pools holds, per element type, one pool of buffers (*[]T) per class.
var pools struct {
	f32, f64, c64, c128 [4 * 64]sync.Pool
}

func poolOf[T tensor.Elem](class int) *sync.Pool {
	var z T
	switch any(z).(type) {
	case float32:
		return &pools.f32[class]
	case float64:
		return &pools.f64[class]
	case complex64:
		return &pools.c64[class]
	}
	return &pools.c128[class]
}

// result returns a contiguous tensor of the given shape for a step that
// writes all of it: its elements are not zeroed unless zero is set.
func result[T tensor.Elem](shape []int, zero bool) operand[T] {
	n, _ := tensor.SizeOf(shape)
	if n < poolMin {
		return operand[T]{t: tensor.Zeros[T](shape...), owned: true}
	}
	class, size := sizeClass(n)
	var buf []T
	if b, ok := poolOf[T](class).Get().(*[]T); ok {
		buf = (*b)[:n]
		if zero {
			clear(buf)
		}
	} else {
		buf = make([]T, n, size)
		remember(buf)
	}
	t, err := tensor.FromSlice(buf, shape...)
	if err != nil {
		panic("contract: internal error: " + err.Error())
	}
	return operand[T]{t: t, owned: true}
}

// Recycle hands the memory of t, a result the caller is done with, to the
// pools that later results draw from. It takes only memory that this
// package allocated for its pools (results of 4096 elements and more, and
// views of them); anything else, an operand or a view of one in
// particular, is left to the garbage collector. After Recycle, t and every
// tensor that shares its memory must not be used: later results overwrite
// it.
func Recycle[T tensor.Elem](t *tensor.Dense[T]) {
	if t != nil && ours(t.Backing()) {
		release(operand[T]{t: t, owned: true})
	}
}

// pooled remembers the buffers result allocated for the pools, by the
// address of their first element, each with a weak pointer to it: the weak
// pointer tells a live buffer from a later allocation at the same address,
// and a cleanup forgets the buffer once the garbage collector frees it.
var pooled sync.Map // uintptr → weak.Pointer[T]

func remember[T tensor.Elem](buf []T) {
	p := &buf[:1][0]
	w := weak.Make(p)
	key := uintptr(unsafe.Pointer(p))
	pooled.Store(key, w)
	runtime.AddCleanup(p, func(key uintptr) { pooled.CompareAndDelete(key, w) }, key)
}

// ours reports whether buf starts a buffer that result allocated.
func ours[T tensor.Elem](buf []T) bool {
	if cap(buf) == 0 {
		return false
	}
	p := &buf[:1][0]
	v, ok := pooled.Load(uintptr(unsafe.Pointer(p)))
	if !ok {
		return false
	}
	w, ok := v.(weak.Pointer[T])
	return ok && w.Value() == p
}

// release returns the memory of a consumed intermediate to its pool; an
// operand that does not own its memory (an input or a view of one) is
// left alone.
func release[T tensor.Elem](op operand[T]) {
	if !op.owned {
		return
	}
	buf := op.t.Backing()
	if cap(buf) < poolMin {
		return
	}
	buf = buf[:cap(buf)]
	class, size := sizeClass(len(buf))
	if size != len(buf) {
		return // not one of the pools' buffers
	}
	poolOf[T](class).Put(&buf)
}
