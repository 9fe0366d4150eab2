package tensor

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// TestAlloc checks Alloc's length, capacity and zeros, and on Linux with
// transparent huge pages that the whole 2 MiB pages inside a large slice
// carry the advice (the "hg" flag of their mapping in /proc/self/smaps).
func TestAlloc(t *testing.T) {
	s := Alloc[float64](3<<20, 5<<20) // 40 MiB of capacity
	if len(s) != 3<<20 || cap(s) != 5<<20 {
		t.Fatalf("len %d cap %d, want %d and %d", len(s), cap(s), 3<<20, 5<<20)
	}
	for i, v := range s[:cap(s)] {
		if v != 0 {
			t.Fatalf("element %d is %v, want 0", i, v)
		}
	}
	if small := Alloc[float32](10, 0); len(small) != 10 || cap(small) != 10 {
		t.Fatalf("Alloc(10, 0): len %d cap %d, want 10 and 10", len(small), cap(small))
	}
	mode, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil || strings.Contains(string(mode), "[never]") {
		t.Skip("this kernel has no transparent huge pages to ask for")
	}
	if adviseOff {
		t.Skip("STRAND_MADVISE_HUGEPAGE=0")
	}
	page := (uintptr(unsafe.Pointer(&s[0])) + hugePage - 1) &^ (hugePage - 1)
	if flags := vmFlags(t, page); !strings.Contains(" "+flags+" ", " hg ") {
		t.Errorf("the mapping of %#x has flags %q, want hg (MADV_HUGEPAGE)", page, flags)
	}
}

// vmFlags returns the VmFlags line of the mapping that holds addr.
func vmFlags(t *testing.T, addr uintptr) string {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	inside := false
	for sc.Scan() {
		line := sc.Text()
		// A mapping's header starts with its range, "lo-hi"; its
		// attribute lines start with a name and a colon.
		first, _, _ := strings.Cut(line, " ")
		if lo, hi, ok := strings.Cut(first, "-"); ok && !strings.HasSuffix(first, ":") {
			a, err1 := strconv.ParseUint(lo, 16, 64)
			b, err2 := strconv.ParseUint(hi, 16, 64)
			inside = err1 == nil && err2 == nil && uint64(addr) >= a && uint64(addr) < b
			continue
		}
		if inside && strings.HasPrefix(line, "VmFlags:") {
			return strings.TrimSpace(strings.TrimPrefix(line, "VmFlags:"))
		}
	}
	t.Fatalf("no mapping holds %#x", addr)
	return ""
}
