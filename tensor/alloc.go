package tensor

import "unsafe"

// hugeBytes is the smallest slice Alloc asks to keep in huge pages.
const hugeBytes = 4 << 20

// Alloc returns a zeroed slice of n elements and capacity capacity (at
// least n), the storage of a tensor. On Linux a slice of 4 MiB or more asks
// the kernel for transparent huge pages (madvise MADV_HUGEPAGE on its
// 2 MiB-aligned interior), as numpy does for its arrays: a pass over a
// large tensor then takes one page fault and one TLB entry per 2 MiB
// instead of per 4 KiB, which a virtual machine's nested page tables make
// dear. The advice takes effect on memory not yet touched, which a fresh
// allocation from the operating system is; elsewhere it is a no-op, and
// STRAND_MADVISE_HUGEPAGE=0 in the environment turns it off.
func Alloc[T Elem](n, capacity int) []T {
	s := make([]T, n, max(n, capacity))
	if c := cap(s); c > 0 {
		if bytes := uintptr(c) * unsafe.Sizeof(s[:1][0]); bytes >= hugeBytes {
			adviseHuge(unsafe.Pointer(unsafe.SliceData(s)), bytes)
		}
	}
	return s
}
