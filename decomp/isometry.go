package decomp

import (
	"fmt"
	"slices"

	"github.com/strand-tn/strand/linalg"
)

// IsometryDefect returns max |Σ_in X[in, o] X[in, o′] − δ_{o o′}| for the named
// tensor x: how far contracting x with itself over the legs in leaves the
// identity on the legs out. in and out must partition x's legs.
func IsometryDefect(x Labeled, in, out []string) (float64, error) {
	if len(in)+len(out) != len(x.Legs) {
		return 0, fmt.Errorf("decomp: legs %v and %v do not partition %v", in, out, x.Legs)
	}
	for _, l := range out {
		if slices.Contains(in, l) || !slices.Contains(x.Legs, l) {
			return 0, fmt.Errorf("decomp: legs %v and %v do not partition %v", in, out, x.Legs)
		}
	}
	g, err := group(x, in, "")
	if err != nil {
		return 0, err
	}
	return linalg.OrthoDefect(g.matrix)
}

// IsIsometry reports whether x is an isometry from its in legs to its out
// legs (a triangle pointing toward out): Σ_in x x = δ_out to within tol.
func IsIsometry(x Labeled, in, out []string, tol float64) (bool, error) {
	d, err := IsometryDefect(x, in, out)
	return err == nil && d <= tol, err
}

// IsUnitary reports whether x is a square isometry: the in and out legs have
// the same total dimension and Σ_in x x = δ_out to within tol (then also
// Σ_out x x = δ_in).
func IsUnitary(x Labeled, in, out []string, tol float64) (bool, error) {
	d, err := IsometryDefect(x, in, out)
	if err != nil {
		return false, err
	}
	din, dout := 1, 1
	for _, l := range in {
		din *= x.Dim(l)
	}
	for _, l := range out {
		dout *= x.Dim(l)
	}
	return din == dout && d <= tol, nil
}
