package tensor

import (
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

// hugePage is the size of an x86-64 or arm64 transparent huge page.
const hugePage = 2 << 20

// adviseOff is set by STRAND_MADVISE_HUGEPAGE=0 in the environment, as
// numpy's NUMPY_MADVISE_HUGEPAGE=0 turns off numpy's advice.
var adviseOff = os.Getenv("STRAND_MADVISE_HUGEPAGE") == "0"

// adviseHuge asks for transparent huge pages on the whole 2 MiB pages
// inside [p, p+bytes). It only advises: the memory's contents and
// lifetime stay the Go heap's, and a kernel without transparent huge
// pages refuses the advice, which changes nothing.
func adviseHuge(p unsafe.Pointer, bytes uintptr) {
	if adviseOff {
		return
	}
	lo := (uintptr(p) + hugePage - 1) &^ (hugePage - 1)
	hi := (uintptr(p) + bytes) &^ (hugePage - 1)
	if hi <= lo {
		return
	}
	_ = unix.Madvise(unsafe.Slice((*byte)(unsafe.Add(p, lo-uintptr(p))), hi-lo), unix.MADV_HUGEPAGE)
}
