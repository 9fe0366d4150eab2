package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// guard is the number of sentinel elements around every operand's backing
// slice, and sentinel their value: writes out of bounds show up as changed
// sentinels.
const guard = 19

func sentinel[T Elem]() T { return T(-7777.25) }

// newRand returns the tests' seeded generator.
func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x5eed)) }

// layout names a way to store a matrix.
type layout int

const (
	rowMajor     layout = iota // RowStride = cols+pad, ColStride = 1
	colMajor                   // RowStride = 1, ColStride = rows+pad
	gapped                     // RowStride = 2·cols+3, ColStride = 2: no unit stride
	gappedT                    // RowStride = 2, ColStride = 2·rows+1: no unit stride, transposed
	flipped                    // RowStride = -cols, ColStride = 1: rows stored bottom-up
	shuffled                   // rows and columns in shuffled order: RowOffsets, ColOffsets
	shuffledCols               // RowStride = 1, columns in shuffled order: ColOffsets
	numLayouts

	numStrided = shuffled // the layouts before it need no offsets
)

func (l layout) String() string {
	return [...]string{"row", "col", "gap", "gapT", "flip", "shuf", "shufC"}[l]
}

// guarded is a matrix view inside a sentinel-filled backing slice.
type guarded[T Float] struct {
	Matrix[T]
	inView []bool // inView[i]: Data[i] is an element of the view
}

// newGuarded lays out a rows×cols matrix with layout l, fills its elements
// with uniform values in [-1, 1) and everything else with sentinels.
func newGuarded[T Float](rng *rand.Rand, rows, cols int, l layout) guarded[T] {
	var rs, cs, off, size int
	pad := rng.IntN(3)
	switch l {
	case rowMajor:
		rs, cs = cols+pad, 1
		size = max(0, (rows-1)*rs+cols)
	case colMajor:
		rs, cs = 1, rows+pad
		size = max(0, (cols-1)*cs+rows)
	case gapped:
		rs, cs = 2*cols+3, 2
		size = max(0, (rows-1)*rs+(cols-1)*cs+1)
	case gappedT:
		rs, cs = 2, 2*rows+1
		size = max(0, (rows-1)*rs+(cols-1)*cs+1)
	case flipped:
		rs, cs = -cols, 1
		size = rows * cols
		off = (rows - 1) * cols
	case shuffled:
		size = rows * (cols + pad)
	case shuffledCols:
		size = cols * (rows + pad)
	}
	if rows == 0 || cols == 0 {
		size = 0
	}
	data := make([]T, size+2*guard)
	for i := range data {
		data[i] = sentinel[T]()
	}
	g := guarded[T]{Matrix: Matrix[T]{Data: data, Off: guard + off, Rows: rows, Cols: cols, RowStride: rs, ColStride: cs}, inView: make([]bool, len(data))}
	switch l {
	case shuffled:
		g.RowOffsets = randPerm(rng, rows)
		for i := range g.RowOffsets {
			g.RowOffsets[i] *= cols + pad
		}
		g.ColOffsets = randPerm(rng, cols)
	case shuffledCols:
		g.RowStride = 1
		g.ColOffsets = randPerm(rng, cols)
		for j := range g.ColOffsets {
			g.ColOffsets[j] *= rows + pad
		}
	}
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			o := g.Off + g.rowOff(i) + g.colOff(j)
			g.inView[o] = true
			data[o] = T(2*rng.Float64() - 1)
		}
	}
	return g
}

// at returns element (i, j) of a view.
func at[T Elem](m Matrix[T], i, j int) T { return m.Data[m.Off+m.rowOff(i)+m.colOff(j)] }

// checkGuards fails the test if anything outside the view changed.
func (g guarded[T]) checkGuards(t *testing.T, what string) {
	t.Helper()
	for i, v := range g.Data {
		if !g.inView[i] && v != sentinel[T]() {
			t.Fatalf("%s: element %d outside the view was overwritten (%v)", what, i-guard, v)
		}
	}
}

// naiveGemm returns α·A·B + β·C as a dense row-major m×n slice of float64,
// by the triple loop; β = 0 ignores C.
func naiveGemm[T Float](alpha T, a, b Matrix[T], beta T, c Matrix[T]) []float64 {
	m, n, k := c.Rows, c.Cols, a.Cols
	want := make([]float64, m*n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s float64
			for p := 0; p < k; p++ {
				s += float64(at(a, i, p)) * float64(at(b, p, j))
			}
			w := float64(alpha) * s
			if beta != 0 {
				w += float64(beta) * float64(at(c, i, j))
			}
			want[i*n+j] = w
		}
	}
	return want
}

// tolerance is the absolute error allowed in a sum of k products of
// numbers in [-1, 1) (plus α, β ≤ 2): 4·k·ε of the type, with k ≥ 1.
func tolerance[T Float](k int) float64 {
	var z T
	eps := 0x1p-52
	if _, ok := any(z).(float32); ok {
		eps = 0x1p-23
	}
	return 4 * float64(max(k, 1)) * eps
}

// compare fails the test at the first element of c farther than tol from want.
func compare[T Float](t *testing.T, what string, c Matrix[T], want []float64, tol float64) {
	t.Helper()
	for i := 0; i < c.Rows; i++ {
		for j := 0; j < c.Cols; j++ {
			got := float64(at(c, i, j))
			if d := math.Abs(got - want[i*c.Cols+j]); !(d <= tol) {
				t.Fatalf("%s: C[%d,%d] = %v, want %v (|diff| %.3g > %.3g)", what, i, j, got, want[i*c.Cols+j], d, tol)
			}
		}
	}
}

// typeName is "float64" or "float32".
func typeName[T Elem]() string {
	var z T
	return fmt.Sprintf("%T", z)
}
