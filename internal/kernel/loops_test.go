package kernel

import (
	"fmt"
	"math"
	"math/cmplx"
	"strings"
	"testing"
)

// ndView is an n-d operand for the loop tests: a view inside a
// sentinel-filled slice, with its elements marked.
type ndView[T Elem] struct {
	Strided[T]
	inView []bool
}

// newND builds a view of shape whose axes are stored in the order perm
// (perm[0] outermost), with a gap of one element after every run along the
// innermost stored axis when gap is set, and axes listed in zero (if any)
// given stride 0. Elements get distinct pseudo-random values.
func newNDView[T Elem](rng interface{ Float64() float64 }, shape, perm []int, gap bool, zero map[int]bool) ndView[T] {
	strides := make([]int, len(shape))
	size := 1
	for i := len(perm) - 1; i >= 0; i-- {
		a := perm[i]
		if zero[a] {
			continue
		}
		strides[a] = size
		size *= shape[a]
		if i == len(perm)-1 && gap {
			size++
		}
	}
	empty := false
	for _, d := range shape {
		empty = empty || d == 0
	}
	if empty {
		size = 0
	}
	data := make([]T, size+2*guard)
	for i := range data {
		data[i] = sentinel[T]()
	}
	v := ndView[T]{Strided: Strided[T]{Data: data, Off: guard, Strides: strides}, inView: make([]bool, len(data))}
	forEachIndex(shape, func(idx []int) {
		o := v.offset(idx)
		v.inView[o] = true
		data[o] = elem[T](2*rng.Float64()-1, 2*rng.Float64()-1)
	})
	return v
}

// elem returns re (+ i·im for complex types) as a T.
func elem[T Elem](re, im float64) T {
	var z T
	switch any(z).(type) {
	case float32:
		return any(float32(re)).(T)
	case float64:
		return any(re).(T)
	case complex64:
		return any(complex64(complex(re, im))).(T)
	}
	return any(complex(re, im)).(T)
}

func (v ndView[T]) offset(idx []int) int {
	o := v.Off
	for a, i := range idx {
		o += i * v.Strides[a]
	}
	return o
}

func (v ndView[T]) checkGuards(t *testing.T, what string) {
	t.Helper()
	for i, x := range v.Data {
		if !v.inView[i] && x != sentinel[T]() {
			t.Fatalf("%s: element %d outside the view was overwritten (%v)", what, i-guard, x)
		}
	}
}

// forEachIndex calls fn with every index of shape, last axis fastest.
func forEachIndex(shape []int, fn func(idx []int)) {
	for _, d := range shape {
		if d == 0 {
			return
		}
	}
	idx := make([]int, len(shape))
	for {
		fn(idx)
		a := len(shape) - 1
		for ; a >= 0; a-- {
			idx[a]++
			if idx[a] < shape[a] {
				break
			}
			idx[a] = 0
		}
		if a < 0 {
			return
		}
	}
}

func absDiff[T Elem](x, y T) float64 {
	switch v := any(x - y).(type) {
	case float32:
		return math.Abs(float64(v))
	case float64:
		return math.Abs(v)
	case complex64:
		return cmplx.Abs(complex128(v))
	case complex128:
		return cmplx.Abs(v)
	}
	panic("unreachable")
}

// randPerm returns a permutation of 0…n-1.
func randPerm(rng interface{ IntN(int) int }, n int) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	for i := n - 1; i > 0; i-- {
		j := rng.IntN(i + 1)
		p[i], p[j] = p[j], p[i]
	}
	return p
}

// randShape returns a shape of the given rank with sizes 1…max.
func randShape(rng interface{ IntN(int) int }, rank, maxSize int) []int {
	s := make([]int, rank)
	for i := range s {
		s[i] = 1 + rng.IntN(maxSize)
	}
	return s
}

// TestCopy checks Copy against the index-by-index definition for random
// shapes and pairs of axis orders (every transpose class: none, inner axes
// swapped, full reversal), with and without gaps, in all four types.
func TestCopy(t *testing.T) {
	testCopy[float64](t)
	testCopy[float32](t)
	testCopy[complex128](t)
	testCopy[complex64](t)
}

func testCopy[T Elem](t *testing.T) {
	rng := newRand(7)
	for run := range 300 {
		rank := run % 6
		maxSize := []int{1, 70, 40, 12, 7, 5}[rank]
		shape := randShape(rng, rank, maxSize)
		if run == 7 {
			shape = []int{1023, 33}
		}
		if run == 8 {
			shape = []int{3, 0, 2} // empty
		}
		rank = len(shape)
		src := newNDView[T](rng, shape, randPerm(rng, rank), run%3 == 0, nil)
		dst := newNDView[T](rng, shape, randPerm(rng, rank), run%4 == 0, nil)
		what := fmt.Sprintf("%s shape %v src %v dst %v", typeName[T](), shape, src.Strides, dst.Strides)
		if err := Copy(shape, dst.Strided, src.Strided); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		dst.checkGuards(t, what)
		forEachIndex(shape, func(idx []int) {
			if got, want := dst.Data[dst.offset(idx)], src.Data[src.offset(idx)]; got != want {
				t.Fatalf("%s: dst%v = %v, want %v", what, idx, got, want)
			}
		})
	}
}

// naiveReduce is the definition of HadamardReduce, index by index.
func naiveReduce[T Elem](shape []int, alpha T, x, y, out ndView[T], beta T) map[int]T {
	want := map[int]T{}
	forEachIndex(shape, func(idx []int) {
		o := out.offset(idx)
		if _, ok := want[o]; !ok {
			want[o] = 0
			if beta != 0 {
				want[o] = beta * out.Data[o]
			}
		}
		want[o] += alpha * x.Data[x.offset(idx)] * y.Data[y.offset(idx)]
	})
	return want
}

// checkReduced compares out with want on its elements, within tol per
// summed term.
func checkReduced[T Elem](t *testing.T, what string, out ndView[T], want map[int]T, tol float64) {
	t.Helper()
	out.checkGuards(t, what)
	for o, w := range want {
		if d := absDiff(out.Data[o], w); !(d <= tol) {
			t.Fatalf("%s: out element %d = %v, want %v (|diff| %.3g > %.3g)", what, o-guard, out.Data[o], w, d, tol)
		}
	}
}

// TestHadamardReduce checks HadamardReduce against its definition for
// random shapes, axis orders, summed axes (out stride 0), broadcast axes
// (x or y stride 0) and β ∈ {0 with NaN in out, 1, 0.5}.
func TestHadamardReduce(t *testing.T) {
	testHadamardReduce[float64](t, 1e-13)
	testHadamardReduce[float32](t, 1e-5)
	testHadamardReduce[complex128](t, 1e-13)
}

func testHadamardReduce[T Elem](t *testing.T, tol float64) {
	rng := newRand(8)
	for run := range 400 {
		rank := run % 5
		shape := randShape(rng, rank, []int{1, 90, 20, 9, 6}[rank])
		if run == 5 {
			shape = []int{2048, 64} // one long reduction
		}
		rank = len(shape)
		summed, bx, by := map[int]bool{}, map[int]bool{}, map[int]bool{}
		for a := range rank {
			switch rng.IntN(5) {
			case 0, 1:
				summed[a] = true
			case 2:
				bx[a] = true
			case 3:
				by[a] = true
			}
		}
		if run%7 == 0 {
			for a := range rank {
				summed[a] = true // a full dot product
			}
		}
		x := newNDView[T](rng, shape, randPerm(rng, rank), run%3 == 0, bx)
		y := newNDView[T](rng, shape, randPerm(rng, rank), run%5 == 0, by)
		out := newNDView[T](rng, shape, randPerm(rng, rank), run%2 == 0, summed)
		alpha := T(1.5)
		beta := []T{0, 1, 0.5}[run%3]
		if beta == 0 {
			for i := range out.Data {
				if out.inView[i] {
					out.Data[i] = elem[T](math.NaN(), math.NaN())
				}
			}
		}
		want := naiveReduce(shape, alpha, x, y, out, beta)
		what := fmt.Sprintf("%s shape %v x %v y %v out %v β=%v", typeName[T](), shape, x.Strides, y.Strides, out.Strides, beta)
		if err := HadamardReduce(shape, alpha, x.Strided, y.Strided, beta, out.Strided); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		terms := 1
		for a, d := range shape {
			if summed[a] {
				terms *= d
			}
		}
		checkReduced(t, what, out, want, tol*float64(terms))
	}
}

// TestSum checks Sum, which is HadamardReduce against a constant one, on
// random subsets of the axes of random arrays.
func TestSum(t *testing.T) {
	rng := newRand(9)
	for run := range 100 {
		rank := 1 + run%4
		shape := randShape(rng, rank, []int{0, 300, 30, 10, 6}[rank])
		if run == 3 {
			shape = []int{1024, 1024} // trace-sized reduction
		}
		rank = len(shape)
		summed := map[int]bool{rng.IntN(rank): true}
		for a := range rank {
			summed[a] = summed[a] || rng.IntN(3) == 0
		}
		src := newNDView[float64](rng, shape, randPerm(rng, rank), run%2 == 0, nil)
		out := newNDView[float64](rng, shape, randPerm(rng, rank), run%3 == 0, summed)
		ones := newNDView[float64](rng, shape, randPerm(rng, rank), false, nil)
		for i := range ones.Data {
			ones.Data[i] = 1
		}
		beta := []float64{0, 2}[run%2]
		want := naiveReduce(shape, -1, src, ones, out, beta)
		terms := 1
		for a := range summed {
			terms *= shape[a]
		}
		what := fmt.Sprintf("shape %v summed %v", shape, summed)
		if err := Sum(shape, -1, src.Strided, beta, out.Strided); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		checkReduced(t, what, out, want, 1e-13*float64(terms))
	}
}

// TestVectorLoops checks Dot, Axpy and Outer against their loops, with
// unit, long, negative and zero strides.
func TestVectorLoops(t *testing.T) {
	rng := newRand(10)
	vec := func(n, inc int) ([]float64, int) {
		size := 1 + (n-1)*abs(inc)
		x := make([]float64, size+2*guard)
		for i := range x {
			x[i] = 2*rng.Float64() - 1
		}
		off := guard
		if inc < 0 {
			off += (n - 1) * -inc
		}
		return x, off
	}
	for _, n := range []int{1, 2, 7, 33, 1023} {
		for _, inc := range [][2]int{{1, 1}, {2, 3}, {-1, 1}, {1, 0}, {0, -2}} {
			x, ox := vec(n, inc[0])
			y, oy := vec(n, inc[1])
			var want float64
			for i := range n {
				want += x[ox+i*inc[0]] * y[oy+i*inc[1]]
			}
			got, err := Dot(n, x, ox, inc[0], y, oy, inc[1])
			if err != nil || math.Abs(got-want) > 1e-13*float64(n) {
				t.Errorf("Dot n=%d inc=%v: %v, %v; want %v", n, inc, got, err, want)
			}
			if inc[1] == 0 {
				continue
			}
			orig := append([]float64(nil), y...)
			if err := Axpy(n, 0.5, x, ox, inc[0], y, oy, inc[1]); err != nil {
				t.Fatalf("Axpy: %v", err)
			}
			touched := map[int]bool{}
			for i := range n {
				o := oy + i*inc[1]
				touched[o] = true
				if w := orig[o] + 0.5*x[ox+i*inc[0]]; math.Abs(y[o]-w) > 1e-15 {
					t.Fatalf("Axpy n=%d inc=%v: y[%d] = %v, want %v", n, inc, i, y[o], w)
				}
			}
			for o := range y {
				if !touched[o] && y[o] != orig[o] {
					t.Fatalf("Axpy n=%d inc=%v wrote outside y at %d", n, inc, o)
				}
			}
		}
	}
	for _, s := range [][2]int{{1, 1}, {7, 33}, {65, 3}, {300, 400}} {
		m, n := s[0], s[1]
		for _, l := range []layout{rowMajor, colMajor, gapped} {
			for _, beta := range []float64{0, 0.5} {
				x, ox := vec(m, 2)
				y, oy := vec(n, -1)
				a := newGuarded[float64](rng, m, n, l)
				want := make([]float64, m*n)
				for i := range m {
					for j := range n {
						want[i*n+j] = 2 * x[ox+2*i] * y[oy-j]
						if beta != 0 {
							want[i*n+j] += beta * at(a.Matrix, i, j)
						}
					}
				}
				if err := Outer(2, x, ox, 2, y, oy, -1, beta, a.Matrix); err != nil {
					t.Fatalf("Outer: %v", err)
				}
				what := fmt.Sprintf("Outer %dx%d %v β=%v", m, n, l, beta)
				a.checkGuards(t, what)
				compare(t, what, a.Matrix, want, 1e-15)
			}
		}
	}
}

// TestLoopErrors checks the loops' validation.
func TestLoopErrors(t *testing.T) {
	buf := make([]float64, 50)
	other := make([]float64, 50)
	st := func(data []float64, off int, strides ...int) Strided[float64] {
		return Strided[float64]{Data: data, Off: off, Strides: strides}
	}
	_, dotErr := Dot(10, buf, 45, 1, other, 0, 1)
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"copy rank", Copy([]int{2, 3}, st(buf, 0, 3), st(other, 0, 3, 1)), "1 strides for 2 dimensions"},
		{"copy bounds", Copy([]int{5, 11}, st(buf, 0, 11, 1), st(other, 0, 11, 1)), "outside its data"},
		{"copy overlap", Copy([]int{5, 5}, st(buf, 0, 5, 1), st(buf, 20, 5, 1)), "dst shares memory with src"},
		{"copy self", Copy([]int{5, 5}, st(buf, 0, 1, 1), st(other, 0, 5, 1)), "share memory"},
		{"copy negative", Copy([]int{-1, 5}, st(buf, 0, 5, 1), st(other, 0, 5, 1)), "negative dimension"},
		{"rank", Copy(make([]int, maxRank+1), st(buf, 0, make([]int, maxRank+1)...), st(other, 0, make([]int, maxRank+1)...)), "above the limit"},
		{"dot", dotErr, "x reaches"},
		{"axpy zero inc", Axpy(3, 1, other, 0, 1, buf, 0, 0), "share memory"},
		{"axpy alias", Axpy(3, 1, buf, 0, 1, buf, 1, 1), "y shares memory with x"},
		{"reduce out", HadamardReduce([]int{4, 4}, 1, st(other, 0, 4, 1), st(other, 0, 4, 1), 0, st(buf, 0, 1, 1)), "share memory"},
		{"reduce alias", HadamardReduce([]int{4, 4}, 1, st(buf, 0, 4, 1), st(other, 0, 4, 1), 0, st(buf, 0, 0, 1)), "out shares memory with x"},
		{"sum strides", Sum([]int{4, 4}, 1, st(other, 0, 4, 1), 0, st(buf, 0, 1)), "out has 1 strides for 2 dimensions"},
		{"sum rank", Sum(make([]int, maxRank+1), 1, st(other, 0, make([]int, maxRank+1)...), 0, st(buf, 0, make([]int, maxRank+1)...)), "above the limit"},
		{"sum alias", Sum([]int{4, 4}, 1, st(buf, 0, 4, 1), 0, st(buf, 2, 0, 1)), "out shares memory with x"},
		{"outer", Outer(1, other, 0, 1, other, 0, 1, 0, Matrix[float64]{Data: buf, Rows: 8, Cols: 8, RowStride: 8, ColStride: 1}), "outside its data"},
	}
	for _, c := range cases {
		if c.err == nil || !strings.HasPrefix(c.err.Error(), "kernel: ") || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, c.err, c.want)
		}
	}
	for i, v := range buf {
		if v != 0 {
			t.Fatalf("a failed call wrote buf[%d] = %v", i, v)
		}
	}
}
