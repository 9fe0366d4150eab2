package tensor

import (
	"math"
	"slices"
)

// AllClose reports whether a and b have the same shape and every pair of
// elements satisfies |a−b| ≤ atol + rtol·|b| (numpy.allclose; NaNs are never close).
func AllClose[T Elem](a, b *Dense[T], rtol, atol float64) bool {
	if !slices.Equal(a.shape, b.shape) {
		return false
	}
	ok := true
	forEach2(a, b, func(i, j int) {
		d := Abs(a.data[i] - b.data[j])
		if !(d <= atol+rtol*Abs(b.data[j])) {
			ok = false
		}
	})
	return ok
}

// MaxAbsDiff returns maxᵢ |aᵢ − bᵢ| for tensors of equal shape (+Inf when the
// shapes differ, NaN when an element is NaN).
func MaxAbsDiff[T Elem](a, b *Dense[T]) float64 {
	if !slices.Equal(a.shape, b.shape) {
		return math.Inf(1)
	}
	m := 0.0
	forEach2(a, b, func(i, j int) {
		d := Abs(a.data[i] - b.data[j])
		if d > m || math.IsNaN(d) {
			m = d
		}
	})
	return m
}
