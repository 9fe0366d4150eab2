package kernel

import (
	"fmt"
	"testing"
)

// TestPanelPackers checks every kernel set's assembly panel packers against
// packB's loops on blocks of B with unit row stride (columns in increasing
// and in decreasing memory order) and unit column stride, for depths that
// leave rows past a multiple of 8, with guards after the packed block.
func TestPanelPackers(t *testing.T) {
	testPanelPackers(t, sets64)
	testPanelPackers(t, sets32)
}

func testPanelPackers[T Float](t *testing.T, sets []*kernelSet[T]) {
	rng := newRand(11)
	for _, ks := range sets {
		if ks.pack.rows == nil && ks.pack.cols == nil {
			continue
		}
		for _, kc := range []int{1, 7, 8, 13, 64, ks.kc} {
			for _, l := range []layout{colMajor, rowMajor} {
				for _, reversed := range []bool{false, true} {
					nc := 3*ks.nr + 5 // three full panels and a partial one
					b := newGuarded[T](rng, kc+3, nc+2, l).Matrix
					if reversed {
						// The same elements, columns walked from the last one back.
						b.Off += (b.Cols - 1) * b.ColStride
						b.ColStride = -b.ColStride
					}
					what := fmt.Sprintf("%s/%s kc=%d B=%v reversed=%v", typeName[T](), ks.name, kc, l, reversed)
					size := ceilDiv(nc, ks.nr) * ks.nr * kc
					want := make([]T, size)
					packB(want, b, 2, kc, 1, nc, ks.nr, panelPackers[T]{})
					got := make([]T, size+guard)
					for i := range got {
						got[i] = sentinel[T]()
					}
					packB(got, b, 2, kc, 1, nc, ks.nr, ks.pack)
					for i, w := range want {
						if got[i] != w {
							t.Fatalf("%s: packed[%d] = %v, want %v", what, i, got[i], w)
						}
					}
					for i := size; i < len(got); i++ {
						if got[i] != sentinel[T]() {
							t.Fatalf("%s: wrote past the packed block at %d", what, i)
						}
					}
				}
			}
		}
	}
}
