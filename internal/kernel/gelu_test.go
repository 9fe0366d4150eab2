package kernel

import (
	"math"
	"testing"
)

// geluFloat64 is GPT-2's tanh GELU in float64, the accuracy reference.
func geluFloat64(x float64) float64 {
	return 0.5 * x * (1 + math.Tanh(math.Sqrt(2/math.Pi)*(x+0.044715*x*x*x)))
}

// TestTanh32 bounds tanh32's error on a grid of 4·10⁶ points in [-20, 20]
// and gelu32's against the float64 GELU.
func TestTanh32(t *testing.T) {
	var tanhErr, geluErr float64
	for i := -2000000; i <= 2000000; i++ {
		x := float32(float64(i) * 1e-5)
		tanhErr = math.Max(tanhErr, math.Abs(float64(tanh32(x))-math.Tanh(float64(x))))
		want := geluFloat64(float64(x))
		geluErr = math.Max(geluErr, math.Abs(float64(gelu32(x))-want)/math.Max(1, math.Abs(want)))
	}
	if tanhErr > 4e-7 {
		t.Errorf("max |tanh32(x) − tanh(x)| = %.3g, want ≤ 4e-7", tanhErr)
	}
	if geluErr > 1e-6 {
		t.Errorf("max relative error of gelu32 = %.3g, want ≤ 1e-6", geluErr)
	}
	if got := tanh32(float32(math.Inf(1))); got != tanh32(8) || math.Abs(float64(got)-1) > 4e-7 {
		t.Errorf("tanh32(+Inf) = %v, want ≈ 1", got)
	}
	if got := tanh32(float32(math.NaN())); !math.IsNaN(float64(got)) {
		t.Errorf("tanh32(NaN) = %v, want NaN", got)
	}
}

// TestGeluTanh32 checks GeluTanh32 (the AVX2 loop where the CPU has it,
// then the Go tail) against gelu32, with NaN, ±Inf, ±0 and the clamp's
// edges among the values.
func TestGeluTanh32(t *testing.T) {
	special := []float32{0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1)),
		float32(math.NaN()), 9.91, -9.91, 1e30, -1e30, 1e-30}
	checkFloat32Loop(t, 7, -12, 12, special, GeluTanh32, gelu32)
}

// checkFloat32Loop checks fn(dst, src) against ref element by element, bit
// for bit (any NaN matching any NaN), for every length up to 67 and start
// offset modulo 8, with values uniform on [lo, hi) or, one in five, drawn
// from special; and that fn writes nothing past len(src).
func checkFloat32Loop(t *testing.T, seed uint64, lo, hi float64, special []float32, fn func(dst, src []float32), ref func(float32) float32) {
	t.Helper()
	rng := newRand(seed)
	for n := 0; n <= 67; n++ {
		for off := range 8 {
			src := make([]float32, off+n)
			for i := range src {
				src[i] = float32(lo + (hi-lo)*rng.Float64())
				if rng.Float64() < 0.2 {
					src[i] = special[rng.IntN(len(special))]
				}
			}
			src = src[off:]
			dst := make([]float32, n+3)
			for i := range dst {
				dst[i] = 42
			}
			fn(dst, src)
			for i, x := range src {
				want, got := ref(x), dst[i]
				if math.Float32bits(got) != math.Float32bits(want) && !(got != got && want != want) {
					t.Fatalf("n=%d off=%d: %v gives %v, the reference %v", n, off, x, got, want)
				}
			}
			if dst[n] != 42 || dst[n+1] != 42 || dst[n+2] != 42 {
				t.Fatalf("n=%d: wrote past len(src): %v", n, dst[n:])
			}
		}
	}
}

// BenchmarkGeluTanh32: one GPT-2-small MLP activation, 128×3072 float32.
func BenchmarkGeluTanh32(b *testing.B) {
	rng := newRand(8)
	src := make([]float32, 128*3072)
	for i := range src {
		src[i] = float32(6*rng.Float64() - 3)
	}
	dst := make([]float32, len(src))
	for b.Loop() {
		GeluTanh32(dst, src)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(src)), "ns/elem")
}
