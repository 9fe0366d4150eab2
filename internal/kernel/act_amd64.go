//go:build amd64 && !purego

package kernel

//go:noescape
func sgeluAVX2(dst, src *float32, n int, coef *float32)

// geluAsm runs the AVX2 loop of GeluTanh32 on the longest prefix of src it
// can, a multiple of 8 elements, and returns its length.
func geluAsm(dst, src []float32) int {
	n := len(src) &^ 7
	if !vecAVX2 || n == 0 {
		return 0
	}
	sgeluAVX2(&dst[0], &src[0], n, &geluCoef[0])
	return n
}

//go:noescape
func sexpShiftAVX2(dst, src *float32, n int, shift float32, coef *float32)

// expAsm runs the AVX2 loop of ExpShift32 on the longest prefix of src it
// can, a multiple of 8 elements, and returns its length.
func expAsm(dst, src []float32, shift float32) int {
	n := len(src) &^ 7
	if !vecAVX2 || n == 0 {
		return 0
	}
	sexpShiftAVX2(&dst[0], &src[0], n, shift, &expCoef[0])
	return n
}
