//go:build linux

package kernel

import (
	"fmt"
	"syscall"
	"testing"
	"unsafe"
)

// fenced returns a slice of n elements that ends exactly at an inaccessible
// page (and, when atStart, also begins right after one), so that any read
// past the slice faults instead of passing silently.
func fenced[T Float](t *testing.T, n int, atStart bool) []T {
	t.Helper()
	page := syscall.Getpagesize()
	var z T
	size := int(unsafe.Sizeof(z))
	body := (n*size + page - 1) / page * page
	mem, err := syscall.Mmap(-1, 0, body+2*page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Skipf("mmap: %v", err)
	}
	t.Cleanup(func() { syscall.Munmap(mem) })
	if err := syscall.Mprotect(mem[:page], syscall.PROT_NONE); err != nil {
		t.Skipf("mprotect: %v", err)
	}
	if err := syscall.Mprotect(mem[page+body:], syscall.PROT_NONE); err != nil {
		t.Skipf("mprotect: %v", err)
	}
	start := page + body - n*size
	if atStart {
		start = page
	}
	return unsafe.Slice((*T)(unsafe.Pointer(&mem[start])), n)
}

// TestKernelReadsStayInBounds runs short and narrow tiles with A, B and C
// flush against inaccessible pages: rows of A past mr and columns of B or C
// past nr must not be read (a stray read faults the test binary).
func TestKernelReadsStayInBounds(t *testing.T) {
	testFenced(t, sets64)
	testFenced(t, sets32)
}

func testFenced[T Float](t *testing.T, sets []*kernelSet[T]) {
	rng := newRand(11)
	for _, ks := range sets {
		for _, mr := range []int{1, ks.mr - 1, ks.mr} {
			for _, nr := range []int{1, ks.nr / 2, ks.nr - 1, ks.nr} {
				if mr < 1 || (!ks.masked && nr != ks.nr) {
					continue
				}
				k := 5
				for _, atStart := range []bool{false, true} {
					// Row-major A, B and C with no padding, ending (or starting) at a fence.
					a := fenced[T](t, mr*k, atStart)
					b := fenced[T](t, k*nr, atStart)
					c := fenced[T](t, mr*nr, atStart)
					for i := range a {
						a[i] = T(rng.Float64())
					}
					for i := range b {
						b[i] = T(rng.Float64())
					}
					am := Matrix[T]{Data: a, Rows: mr, Cols: k, RowStride: k, ColStride: 1}
					bm := Matrix[T]{Data: b, Rows: k, Cols: nr, RowStride: nr, ColStride: 1}
					cm := Matrix[T]{Data: c, Rows: mr, Cols: nr, RowStride: nr, ColStride: 1}
					want := naiveGemm(1, am, bm, 0, cm)
					ks.tile(k, a, 0, k, 1, b, 0, nr, c, 0, nr, mr, nr, 1, 0)
					compare(t, fmt.Sprintf("%s/%s mr=%d nr=%d", typeName[T](), ks.name, mr, nr), cm, want, tolerance[T](k))
				}
			}
		}
		// The whole driver on the small path too: odd shapes flush against fences.
		for _, s := range []gemmShape{{7, 9, 5}, {17, 50, 3}, {1, 1, 1}} {
			a := fenced[T](t, s.m*s.k, false)
			b := fenced[T](t, s.k*s.n, true)
			c := fenced[T](t, s.m*s.n, false)
			am := Matrix[T]{Data: a, Rows: s.m, Cols: s.k, RowStride: s.k, ColStride: 1}
			bm := Matrix[T]{Data: b, Rows: s.k, Cols: s.n, RowStride: s.n, ColStride: 1}
			cm := Matrix[T]{Data: c, Rows: s.m, Cols: s.n, RowStride: s.n, ColStride: 1}
			if err := gemmChecked(ks, 1, 1, am, 0, bm, 0, 0, cm, 0, Options{}); err != nil {
				t.Fatal(err)
			}
			compare(t, fmt.Sprintf("%s/%s %v", typeName[T](), ks.name, s), cm, naiveGemm(1, am, bm, 0, cm), tolerance[T](s.k))
		}
	}
}
