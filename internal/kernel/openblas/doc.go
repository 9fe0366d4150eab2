// Package openblas is strand's optional OpenBLAS backend: with the build tag
// openblas (cgo and Debian's libopenblas-dev), internal/kernel sends the
// matrix products whose operands BLAS can read to cblas_dgemm and
// cblas_sgemm. Without the tag this package is empty and strand is pure Go.
//
//	sudo apt-get install libopenblas-dev
//	CGO_ENABLED=1 go test -tags openblas ./...
package openblas
