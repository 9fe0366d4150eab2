package kernel

import (
	"fmt"
	"math"
	"runtime"
	"testing"
)

// TestVecLoops checks the unit-stride loops (assembly prefix plus Go tail
// where the CPU has it) against float64 loops for every length up to 100
// and a few long ones, with sentinels after out to catch stray writes.
func TestVecLoops(t *testing.T) {
	testVecLoops[float64](t, 1e-15)
	testVecLoops[float32](t, 1e-6)
}

func testVecLoops[T Float](t *testing.T, eps float64) {
	rng := newRand(21)
	lengths := []int{1000, 1023, 4099}
	for n := range 101 {
		lengths = append(lengths, n)
	}
	vec := func(n int) []T {
		v := make([]T, n)
		for i := range v {
			v[i] = T(2*rng.Float64() - 1)
		}
		return v
	}
	for _, n := range lengths {
		x, y := vec(n), vec(n)
		var dot, sum, mag float64
		for i := range n {
			dot += float64(x[i]) * float64(y[i])
			sum += float64(x[i])
			mag += math.Abs(float64(x[i]))
		}
		if got := float64(dotUnit(x, y)); math.Abs(got-dot) > eps*float64(n) {
			t.Errorf("%s dotUnit n=%d: %v, want %v", typeName[T](), n, got, dot)
		}
		if got := float64(sumUnit(x)); math.Abs(got-sum) > eps*mag {
			t.Errorf("%s sumUnit n=%d: %v, want %v", typeName[T](), n, got, sum)
		}
		for _, beta := range []T{0, 1, -0.5} {
			for _, mul := range []bool{false, true} {
				for _, stream := range []bool{false, true} {
					// out starts n%4 elements into its buffer, so that the
					// streaming loops see every alignment.
					skip := n % 4
					buf := append(vec(skip+n), sentinel[T](), sentinel[T]())
					out := buf[skip : skip+n]
					orig := append([]T(nil), out...)
					if beta == 0 {
						for i := range out {
							out[i] = T(math.NaN())
						}
					}
					if mul {
						mulUnit(1.5, beta, x, y, out, stream)
					} else {
						scaleUnit(1.5, beta, x, out, stream)
					}
					for i := range n {
						w := 1.5 * float64(x[i])
						if mul {
							w *= float64(y[i])
						}
						if beta != 0 {
							w += float64(beta) * float64(orig[i])
						}
						if d := math.Abs(float64(out[i]) - w); !(d <= 2*eps) {
							t.Fatalf("%s mul=%v β=%v stream=%v n=%d: out[%d] = %v, want %v", typeName[T](), mul, beta, stream, n, i, out[i], w)
						}
					}
					if buf[skip+n] != sentinel[T]() || buf[skip+n+1] != sentinel[T]() {
						t.Fatalf("%s mul=%v β=%v stream=%v n=%d: wrote past out", typeName[T](), mul, beta, stream, n)
					}
				}
			}
		}
	}
}

// TestSplitLoops checks Copy and HadamardReduce on arrays large enough to
// be split between goroutines (along out's own axes, or into chunks of a
// full reduction), and that the result does not depend on GOMAXPROCS.
func TestSplitLoops(t *testing.T) {
	rng := newRand(22)
	shapes := [][]int{{600, 300}, {3, 70000}, {70000, 3}, {40, 50, 70}, {2, 2, 40000}}
	for _, shape := range shapes {
		rank := len(shape)
		for trial := range 4 {
			perm := randPerm(rng, rank)
			src := newNDView[float64](rng, shape, randPerm(rng, rank), trial%2 == 0, nil)
			dst := newNDView[float64](rng, shape, perm, trial == 1, nil)
			what := fmt.Sprintf("Copy shape %v src %v dst %v", shape, src.Strides, dst.Strides)
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
		// Every subset of summed axes, the full reduction included.
		for mask := range 1 << rank {
			summed := map[int]bool{}
			terms := 1
			for a := range rank {
				if mask&(1<<a) != 0 {
					summed[a] = true
					terms *= shape[a]
				}
			}
			x := newNDView[float64](rng, shape, randPerm(rng, rank), mask%2 == 0, nil)
			y := newNDView[float64](rng, shape, randPerm(rng, rank), false, map[int]bool{rank - 1: mask%3 == 0})
			out := newNDView[float64](rng, shape, randPerm(rng, rank), false, summed)
			beta := []float64{0, 0.5}[mask%2]
			want := naiveReduce(shape, 1, x, y, out, beta)
			orig := append([]float64(nil), out.Data...)
			what := fmt.Sprintf("HadamardReduce shape %v summed %v β=%v", shape, summed, beta)
			results := map[int][]float64{}
			for _, procs := range []int{1, 2, 3} {
				copy(out.Data, orig)
				prev := runtime.GOMAXPROCS(procs)
				err := HadamardReduce(shape, 1, x.Strided, y.Strided, beta, out.Strided)
				runtime.GOMAXPROCS(prev)
				if err != nil {
					t.Fatalf("%s: %v", what, err)
				}
				checkReduced(t, what, out, want, 1e-15*float64(terms))
				results[procs] = append([]float64(nil), out.Data...)
			}
			for o := range want {
				if results[1][o] != results[2][o] || results[1][o] != results[3][o] {
					t.Fatalf("%s: out element %d depends on GOMAXPROCS: %v, %v, %v", what, o-guard, results[1][o], results[2][o], results[3][o])
				}
			}
		}
	}
}
