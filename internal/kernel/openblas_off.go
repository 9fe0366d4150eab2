//go:build !openblas

package kernel

// Without the openblas build tag every product runs on this package's
// kernels.

// externalGemm reports false: there is no external BLAS in this build.
func externalGemm[T Float](opt Options, batch int, alpha T, a Matrix[T], sa int, b Matrix[T], sb int, beta T, c Matrix[T], sc int) bool {
	return false
}
