//go:build amd64 && !purego

package kernel

import "testing"

// TestVecLoopsAVX2 repeats TestVecLoops with the AVX2 reductions on a CPU
// where the AVX-512 ones run by default, so that both are checked.
func TestVecLoopsAVX2(t *testing.T) {
	if !vecAVX512 {
		t.Skip("no AVX-512: TestVecLoops checked the AVX2 loops")
	}
	vecAVX512 = false
	defer func() { vecAVX512 = true }()
	TestVecLoops(t)
}
