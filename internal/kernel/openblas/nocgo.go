//go:build openblas && !cgo

package openblas

// The openblas build tag links OpenBLAS through cgo: build with
// CGO_ENABLED=1 (and a C compiler), or without the tag.
var _ = the_openblas_build_tag_needs_cgo
