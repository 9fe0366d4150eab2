//go:build openblas

package kernel

import (
	"fmt"
	"math"
	"testing"

	"github.com/strand-tn/strand/internal/kernel/openblas"
)

// TestOpenBLAS checks, in an openblas build, that products with BLAS
// layouts go to OpenBLAS and give the naive loop's result (NaN in C with
// β = 0 included), and that the others stay on the kernels.
func TestOpenBLAS(t *testing.T) {
	t.Logf("OpenBLAS kernels: %s", openblas.Corename())
	testOpenBLAS[float64](t)
	testOpenBLAS[float32](t)
}

func testOpenBLAS[T Float](t *testing.T) {
	rng := newRand(31)
	blasLayouts := map[layout]bool{rowMajor: true, colMajor: true}
	for _, s := range []gemmShape{{1, 1, 1}, {7, 33, 65}, {65, 1, 7}, {120, 65, 90}} {
		for la := range numLayouts {
			for lb := range numLayouts {
				for _, lc := range []layout{rowMajor, colMajor, gapped} {
					a := newGuarded[T](rng, s.m, s.k, la)
					b := newGuarded[T](rng, s.k, s.n, lb)
					c := newGuarded[T](rng, s.m, s.n, lc)
					for i := 0; i < s.m; i++ {
						for j := 0; j < s.n; j++ {
							c.Data[c.Off+i*c.RowStride+j*c.ColStride] = T(math.NaN())
						}
					}
					what := fmt.Sprintf("%s %v A=%v B=%v C=%v", typeName[T](), s, la, lb, lc)
					want := naiveGemm(1.5, a.Matrix, b.Matrix, 0, c.Matrix)
					// Any layout of a vector is a BLAS layout: check the
					// routing on proper matrices.
					external := blasLayouts[la] && blasLayouts[lb] && blasLayouts[lc]
					got := externalGemm(Options{}, 1, 1.5, a.Matrix, 0, b.Matrix, 0, 0, c.Matrix, 0)
					if got != external && min(s.m, s.n, s.k) > 1 {
						t.Fatalf("%s: external %v, want %v", what, got, external)
					}
					if !got {
						if err := Gemm(1.5, a.Matrix, b.Matrix, 0, c.Matrix, Options{}); err != nil {
							t.Fatalf("%s: %v", what, err)
						}
					}
					c.checkGuards(t, what)
					compare(t, what, c.Matrix, want, tolerance[T](s.k))
				}
			}
		}
	}
}
