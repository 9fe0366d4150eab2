package contract

import (
	"math/rand/v2"
	"runtime"
	"runtime/debug"
	"testing"

	"github.com/strand-tn/strand/tensor"
)

// TestRecycle checks that a recycled result's memory backs the next result
// of its size class, which holds the right values whether the step writes
// all of it (a product) or writes nothing and must start from zeros (an
// elementwise sum over an empty label), and that what the pools cannot take is left alone. One processor
// and no garbage collection keep the pool from dropping or moving the
// buffer.
func TestRecycle(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	r := rand.New(rand.NewPCG(5, 6))
	s := spec("ij,jk", "ik")
	reused := func(prev, next *tensor.Dense[float64]) bool {
		return &prev.Backing()[:1][0] == &next.Backing()[:1][0]
	}

	ops := randOps(r, []int{70, 90}, []int{90, 80})
	first, err := Einsum(s, ops...)
	if err != nil {
		t.Fatal(err)
	}
	Recycle(first)
	ops = randOps(r, []int{70, 90}, []int{90, 80})
	second, err := Einsum(s, ops...)
	if err != nil {
		t.Fatal(err)
	}
	if !reused(first, second) {
		t.Errorf("the second 70×80 result does not reuse the recycled first")
	}
	want, _ := Naive(s, ops...)
	assertClose(t, "after Recycle", second, want)

	// A sum over an empty label writes nothing: the recycled memory must be
	// zeroed (5600 elements, as 70×80).
	Recycle(second)
	empty := tensor.Zeros[float64](5600, 0)
	zeros, err := Einsum(spec("ij,ij", "i"), empty, empty)
	if err != nil {
		t.Fatal(err)
	}
	if !reused(second, zeros) {
		t.Errorf("the empty-sum result does not reuse the recycled second")
	}
	if m := zeros.MaxAbs(); m != 0 {
		t.Errorf("Σ over an empty label after Recycle: max |out| = %v, want 0", m)
	}

	// Small tensors, nil and memory of no pool size are left alone.
	Recycle[float64](nil)
	small := tensor.Zeros[float64](10, 10)
	Recycle(small)
	odd := tensor.Zeros[float64](71, 80) // 5680 elements: not a pool size
	Recycle(odd)
	third, _ := Einsum(s, randOps(r, []int{71, 90}, []int{90, 80})...)
	if reused(odd, third) {
		t.Errorf("a tensor whose memory is not of a pool size was pooled")
	}
}
