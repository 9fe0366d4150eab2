package kernel

import (
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"unsafe"
)

// Float is the element type of the GEMM kernels.
type Float interface{ float32 | float64 }

// Elem is the element type of the copy and reduction loops.
type Elem interface {
	float32 | float64 | complex64 | complex128
}

// Matrix is a strided view of a Rows×Cols matrix in a flat slice:
//
//	M[i, j] = Data[Off + i·RowStride + j·ColStride].
//
// Strides may be zero or negative (A and B may repeat elements); every
// element must lie inside Data. Views of permuted tensors go in as they are:
// the GEMM packs them directly, with no transposing copy first.
//
// A row (column) index that flattens several tensor axes no single stride
// walks is given by offsets instead: when RowOffsets (ColOffsets) is not
// nil it replaces i·RowStride (j·ColStride), so that
//
//	M[i, j] = Data[Off + RowOffsets[i] + ColOffsets[j]],
//
// with len(RowOffsets) = Rows and len(ColOffsets) = Cols. These are the
// scatter vectors of D. A. Matthews, "High-performance tensor contraction
// without transposition", SIAM J. Sci. Comput. 40(1), 2018: the packing
// routines gather through them, so a tensor contraction needs no
// transposing copy at all. Only A and B may have offsets.
type Matrix[T Elem] struct {
	Data                   []T
	Off                    int
	Rows, Cols             int
	RowStride, ColStride   int
	RowOffsets, ColOffsets []int
}

// T returns the transposed view Mᵀ[i, j] = M[j, i], sharing Data.
func (m Matrix[T]) T() Matrix[T] {
	return Matrix[T]{Data: m.Data, Off: m.Off, Rows: m.Cols, Cols: m.Rows, RowStride: m.ColStride, ColStride: m.RowStride,
		RowOffsets: m.ColOffsets, ColOffsets: m.RowOffsets}
}

// rowOff and colOff return the offset of row i and column j from Off.
func (m *Matrix[T]) rowOff(i int) int {
	if m.RowOffsets != nil {
		return m.RowOffsets[i]
	}
	return i * m.RowStride
}

func (m *Matrix[T]) colOff(j int) int {
	if m.ColOffsets != nil {
		return m.ColOffsets[j]
	}
	return j * m.ColStride
}

// strided reports whether m has no offsets: strides alone place it.
func (m *Matrix[T]) strided() bool { return m.RowOffsets == nil && m.ColOffsets == nil }

// matrixExtent is extent for a batch of matrices X_t = m shifted by t·stride
// (t < batch), offsets included; it also checks that the offsets match the
// dimensions.
func matrixExtent[T Elem](name string, m Matrix[T], batch, stride int) (lo, hi int, ok bool, err error) {
	shape := []int{batch, m.Rows, m.Cols}
	strides := []int{stride, m.RowStride, m.ColStride}
	off, span := m.Off, 0
	for a, offs := range [2][]int{m.RowOffsets, m.ColOffsets} {
		if offs == nil {
			continue
		}
		what := [2]string{"row", "column"}[a]
		if len(offs) != shape[a+1] {
			return 0, 0, false, fmt.Errorf("kernel: %s has %d %s offsets for %d %ss", name, len(offs), what, shape[a+1], what)
		}
		for _, o := range offs {
			if o <= -len(m.Data) || o >= len(m.Data) {
				return 0, 0, false, fmt.Errorf("kernel: %s %s offset %d reaches outside its data (length %d)", name, what, o, len(m.Data))
			}
		}
		if len(offs) > 0 {
			off += slices.Min(offs)
			span += slices.Max(offs) - slices.Min(offs)
		}
		// The strided extent sees this axis as one element at its lowest offset.
		shape[a+1], strides[a+1] = min(shape[a+1], 1), 0
	}
	lo, hi, ok, err = extent(name, len(m.Data), off, shape, strides)
	if err != nil || !ok {
		return lo, hi, ok, err
	}
	if hi += span; hi >= len(m.Data) {
		return 0, 0, false, fmt.Errorf("kernel: %s reaches elements %d..%d, outside its data (length %d)", name, lo, hi, len(m.Data))
	}
	return lo, hi, true, nil
}

// Options tunes one call. The zero value is a good default.
type Options struct {
	// Threads is the most goroutines one call may use, the caller's
	// included; 0 means Threads() (SetThreads, else GOMAXPROCS). Small
	// problems always run on the calling goroutine.
	Threads int
}

// check reports a negative thread count.
func (o Options) check() error {
	if o.Threads < 0 {
		return fmt.Errorf("kernel: Options.Threads = %d is negative", o.Threads)
	}
	return nil
}

// threads resolves the thread count of a valid Options.
func (o Options) threads() int {
	if o.Threads == 0 {
		return Threads()
	}
	return o.Threads
}

// maxRank bounds the rank of the n-d loops (numpy's limit is 64).
const maxRank = 64

// extent returns the smallest and largest offsets Off + Σ iₐ·stridesₐ over
// 0 ≤ iₐ < shapeₐ, or an error naming the operand when an element falls
// outside [0, size). An empty shape (some dimension 0) touches nothing and
// reports ok = false.
func extent(name string, size, off int, shape, strides []int) (lo, hi int, ok bool, err error) {
	for _, d := range shape {
		if d <= 0 {
			if d < 0 {
				return 0, 0, false, fmt.Errorf("kernel: %s has negative dimension %d", name, d)
			}
			return 0, 0, false, nil
		}
	}
	if off < 0 || off >= size {
		return 0, 0, false, fmt.Errorf("kernel: %s offset %d is outside its data (length %d)", name, off, size)
	}
	lo, hi = off, off
	for a, d := range shape {
		s := strides[a]
		// (d-1)·|s| must stay below size, computed without overflow.
		carry, reach := bits.Mul64(uint64(d-1), uint64(max(s, -s)))
		if carry != 0 || reach >= uint64(size) {
			return 0, 0, false, outside(name, a, d, s, size)
		}
		if s > 0 {
			hi += int(reach)
		} else {
			lo -= int(reach)
		}
	}
	if lo < 0 || hi >= size {
		return 0, 0, false, fmt.Errorf("kernel: %s reaches elements %d..%d, outside its data (length %d)", name, lo, hi, size)
	}
	return lo, hi, true, nil
}

// outside reports an axis whose extent alone exceeds the data.
func outside(name string, axis, d, s, size int) error {
	return fmt.Errorf("kernel: %s dimension %d (size %d, stride %d) reaches outside its data (length %d)", name, axis, d, s, size)
}

// selfOverlap reports whether two different indices of the strided view
// reach the same element. It sorts the axes by |stride| and asks every
// stride to step over everything the smaller ones reach; views built by
// permuting, slicing or diagonal-free reshaping pass, and so do all
// row-major and column-major layouts.
func selfOverlap(shape, strides []int) bool {
	if len(shape) <= 4 {
		// Matrices and batches of them: small scratch, cheap to clear.
		var abs, dim [4]int
		return overlapSorted(shape, strides, abs[:], dim[:])
	}
	var abs, dim [maxRank]int
	return overlapSorted(shape, strides, abs[:], dim[:])
}

// overlapSorted is selfOverlap with scratch space abs and dim of at least
// len(shape) entries.
func overlapSorted(shape, strides, abs, dim []int) bool {
	n := 0
	for a, d := range shape {
		if d <= 1 {
			continue
		}
		s := strides[a]
		if s < 0 {
			s = -s
		}
		// Insertion sort by stride: ranks are small.
		i := n
		for i > 0 && abs[i-1] > s {
			abs[i], dim[i] = abs[i-1], dim[i-1]
			i--
		}
		abs[i], dim[i] = s, d
		n++
	}
	reach := 0 // largest offset reachable by the smaller axes
	for i := 0; i < n; i++ {
		if abs[i] <= reach {
			return true
		}
		reach += (dim[i] - 1) * abs[i]
	}
	return false
}

// sameMemory reports whether x[xlo..xhi] and y[ylo..yhi] share memory.
func sameMemory[T Elem](x []T, xlo, xhi int, y []T, ylo, yhi int) bool {
	var z T
	sz := unsafe.Sizeof(z)
	x0 := uintptr(unsafe.Pointer(&x[xlo]))
	x1 := uintptr(unsafe.Pointer(&x[xhi])) + sz
	y0 := uintptr(unsafe.Pointer(&y[ylo]))
	y1 := uintptr(unsafe.Pointer(&y[yhi])) + sz
	return x0 < y1 && y0 < x1
}

var errOverlap = errors.New("kernel: the output's strides make two of its elements share memory")
