package path

import (
	"math/bits"
	"unsafe"
)

// bitset is a fixed-width set of small integers (labels or term numbers). All sets
// combined in one operation have the same number of words.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (s bitset) add(i int)      { s[i>>6] |= 1 << (uint(i) & 63) }
func (s bitset) remove(i int)   { s[i>>6] &^= 1 << (uint(i) & 63) }
func (s bitset) has(i int) bool { return s[i>>6]&(1<<(uint(i)&63)) != 0 }
func (s bitset) clone() bitset  { return append(bitset(nil), s...) }
func (s bitset) key() string {
	return unsafe.String((*byte)(unsafe.Pointer(unsafe.SliceData(s))), len(s)*8)
}
func (s bitset) copyKey() string   { return string([]byte(s.key())) }
func (s bitset) copyFrom(t bitset) { copy(s, t) }

func (s bitset) empty() bool {
	for _, w := range s {
		if w != 0 {
			return false
		}
	}
	return true
}

func (s bitset) count() int {
	n := 0
	for _, w := range s {
		n += bits.OnesCount64(w)
	}
	return n
}

// or sets s = a | b.
func (s bitset) or(a, b bitset) {
	for i := range s {
		s[i] = a[i] | b[i]
	}
}

// and sets s = a & b.
func (s bitset) and(a, b bitset) {
	for i := range s {
		s[i] = a[i] & b[i]
	}
}

// andNot sets s = a &^ b.
func (s bitset) andNot(a, b bitset) {
	for i := range s {
		s[i] = a[i] &^ b[i]
	}
}

func (s bitset) intersects(t bitset) bool {
	for i := range s {
		if s[i]&t[i] != 0 {
			return true
		}
	}
	return false
}

// subsetOf reports whether every element of s is in t.
func (s bitset) subsetOf(t bitset) bool {
	for i := range s {
		if s[i]&^t[i] != 0 {
			return false
		}
	}
	return true
}

// each calls f for every element of s in increasing order.
func (s bitset) each(f func(i int)) {
	for wi, w := range s {
		for w != 0 {
			b := bits.TrailingZeros64(w)
			f(wi<<6 | b)
			w &= w - 1
		}
	}
}

// list returns the elements of s in increasing order.
func (s bitset) list() []int {
	out := make([]int, 0, s.count())
	s.each(func(i int) { out = append(out, i) })
	return out
}

// sizeOf returns Π_{ℓ∈s} sizes[ℓ] as a float64 (exact below 2^53).
func (s bitset) sizeOf(sizes []float64) float64 {
	p := 1.0
	for wi, w := range s {
		for w != 0 {
			b := bits.TrailingZeros64(w)
			p *= sizes[wi<<6|b]
			w &= w - 1
		}
	}
	return p
}
