package kernel

import (
	"math"
	"testing"
)

// TestExp32 bounds exp32's relative error on a grid of 10⁷ points over its
// finite range and checks its edges.
func TestExp32(t *testing.T) {
	var worst float64
	var at float32
	for i := 0; i <= 10_000_000; i++ {
		x := float32(expLo + float64(i)*(expHi-expLo)/10_000_000)
		want := math.Exp(float64(x))
		if e := math.Abs(float64(exp32(x))-want) / want; e > worst {
			worst, at = e, x
		}
	}
	if worst > 1e-7 {
		t.Errorf("max relative error of exp32 = %.3g at x = %v, want ≤ 1e-7", worst, at)
	}
	inf := float32(math.Inf(1))
	for _, c := range []struct{ x, want float32 }{{0, 1}, {-inf, 0}, {-88, 0}, {-1e30, 0}, {89, inf}, {inf, inf}} {
		if got := exp32(c.x); got != c.want {
			t.Errorf("exp32(%v) = %v, want %v", c.x, got, c.want)
		}
	}
	if got := exp32(float32(math.NaN())); !math.IsNaN(float64(got)) {
		t.Errorf("exp32(NaN) = %v, want NaN", got)
	}
}

// TestExpShift32 checks ExpShift32 (the AVX2 loop where the CPU has it,
// then the Go tail) against exp32 for three shifts, with values that land
// below expLo, above expHi, on ±Inf and NaN.
func TestExpShift32(t *testing.T) {
	special := []float32{0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1)),
		float32(math.NaN()), -87.33654, -87.34, 88.37626, 88.38, -200, 200}
	for k, shift := range []float32{0, 3.5, -2} {
		checkFloat32Loop(t, uint64(9+k), -30, 10, special,
			func(dst, src []float32) { ExpShift32(dst, src, shift) },
			func(x float32) float32 { return exp32(x - shift) })
	}
}

// BenchmarkExpShift32: the exponentials of 128 softmax rows of 128.
func BenchmarkExpShift32(b *testing.B) {
	rng := newRand(10)
	src := make([]float32, 128*128)
	for i := range src {
		src[i] = float32(-20 * rng.Float64())
	}
	dst := make([]float32, len(src))
	for b.Loop() {
		ExpShift32(dst, src, 0)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(src)), "ns/elem")
}
