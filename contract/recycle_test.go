package contract

import (
	"math/rand/v2"
	"runtime"
	"runtime/debug"
	"testing"
	"time"

	"github.com/strand-tn/strand/tensor"
)

// TestRecycle checks that a recycled result's memory backs the next result
// of its size class, which holds the right values whether the step writes
// all of it (a product) or writes nothing and must start from zeros (an
// elementwise sum over an empty label), and that what the pools did not
// allocate is left alone. One processor and no garbage collection keep the
// pool from dropping or moving the buffer.
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

	// Nil, small results and memory this package did not allocate (an
	// operand, even one of a pool size) are left alone.
	Recycle[float64](nil)
	small, _ := Einsum(s, randOps(r, []int{10, 5}, []int{5, 10})...)
	Recycle(small)
	input := randOps(r, []int{64, 64})[0] // 4096 elements: a pool size
	before := input.Clone()
	Recycle(input)
	third, _ := Einsum(s, randOps(r, []int{64, 90}, []int{90, 64})...)
	if reused(input, third) {
		t.Errorf("an operand's memory was pooled")
	}
	if d := tensor.MaxAbsDiff(input, before); d != 0 {
		t.Errorf("a recycled operand changed by %g", d)
	}
}

// TestPooledForgets checks that the record of the pools' buffers forgets
// those the garbage collector frees, so it does not grow with every result
// a program drops.
func TestPooledForgets(t *testing.T) {
	count := func() int {
		n := 0
		pooled.Range(func(any, any) bool { n++; return true })
		return n
	}
	r := rand.New(rand.NewPCG(7, 8))
	ops := randOps(r, []int{70, 90}, []int{90, 80})
	before := count()
	for range 50 {
		if _, err := Einsum(spec("ij,jk", "ik"), ops...); err != nil {
			t.Fatal(err)
		}
	}
	for try := 0; count() > before+4; try++ {
		if try == 100 {
			t.Fatalf("%d buffers still recorded after the results were dropped (%d before)", count(), before)
		}
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
}
