package strand

import (
	"github.com/strand-tn/strand/contract"
	"github.com/strand-tn/strand/decomp"
)

// Labeled is a tensor whose legs carry names, so contractions join legs by
// name and index mix-ups cannot happen (as in ITensor).
type Labeled[T Elem] = contract.Labeled[T]

// Legs names the axes of t: Legs(A, "i", "j").
func Legs[T Elem](t *Tensor[T], names ...string) (Labeled[T], error) {
	return contract.Label(t, names...)
}

// MustLegs is [Legs] that panics on error, for names fixed in code.
func MustLegs[T Elem](t *Tensor[T], names ...string) Labeled[T] {
	x, err := contract.Label(t, names...)
	if err != nil {
		panic(err)
	}
	return x
}

// Contract joins the legs of xs that share a name and sums over them, in a
// planned order; the result's legs are the names that appear once, in order
// of first appearance. Rename a leg (x.Rename("i", "i'")) to keep it apart.
func Contract[T Elem](xs ...Labeled[T]) (Labeled[T], error) { return contract.Contract(xs...) }

// LeftLegs names the legs that go to the left factor of a split.
type LeftLegs []string

// Left names the legs of the left factor: SVD(x, Left("i", "k"), Truncation{}).
func Left(names ...string) LeftLegs { return LeftLegs(names) }

// Truncation says how many singular values a split keeps (see decomp.Truncation).
type Truncation = decomp.Truncation

// SVDSplit is a tensor split as U S V† across a new bond (see decomp.SVDSplit).
type SVDSplit = decomp.SVDSplit

// SVD splits x between the named left legs and the rest, as the seed draws
// it: T[left… right…] ≈ Σ_a U[left… a] S[a] V†[a right…], U an isometry toward
// the new bond. The discarded weight is reported (Eckart–Young).
func SVD(x Labeled[float64], left LeftLegs, trunc Truncation) (SVDSplit, error) {
	return decomp.SVD(x, left, decomp.SplitOptions{Truncation: trunc})
}

// QR splits x as Q R across a new bond named bond: Q[left… bond] is an
// isometry toward the bond.
func QR(x Labeled[float64], left LeftLegs, bond string) (decomp.QRSplit, error) {
	return decomp.QR(x, left, bond)
}
