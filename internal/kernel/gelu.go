package kernel

// Constants of gelu32 and tanh32: GPT-2's GELU is
//
//	gelu(x) = ½x(1 + tanh(√(2/π)(x + 0.044715x³))),
//
// and tanh32 approximates tanh on x clamped to ±tanhClamp by an odd
// polynomial of degree 13 over an even one of degree 6 (Eigen's
// generic_fast_tanh_float).
const (
	geluC     = 0.7978845608028654 // √(2/π)
	geluA     = 0.044715
	tanhClamp = 7.90531110763549805
	tanhP0    = -2.76076847742355e-16
	tanhP1    = 2.00018790482477e-13
	tanhP2    = -8.60467152213735e-11
	tanhP3    = 5.12229709037114e-08
	tanhP4    = 1.48572235717979e-05
	tanhP5    = 6.37261928875436e-04
	tanhP6    = 4.89352455891786e-03
	tanhQ0    = 1.19825839466702e-06
	tanhQ1    = 1.18534705686654e-04
	tanhQ2    = 2.26843463243900e-03
	tanhQ3    = 4.89352518554385e-03
)

// geluCoef holds the constants as float32, in the order the assembly loop
// loads them.
var geluCoef = [...]float32{0.5, 1, geluC, geluA, tanhClamp, -tanhClamp,
	tanhP0, tanhP1, tanhP2, tanhP3, tanhP4, tanhP5, tanhP6,
	tanhQ0, tanhQ1, tanhQ2, tanhQ3}

// GeluTanh32 sets dst[i] = gelu32(src[i]) for every i < len(src), GPT-2's
// tanh GELU in float32 arithmetic through tanh32: within 1e-6 (relative,
// or absolute below 1) of the float64 GELU. The AVX2 loop does the same
// operations in the same order as gelu32, each rounded to float32, so
// results agree bit for bit whichever CPU runs them and however a caller
// splits the slice. dst must be at least as long as src and not overlap
// it other than exactly.
func GeluTanh32(dst, src []float32) {
	dst = dst[:len(src)]
	n := geluAsm(dst, src)
	for i, x := range src[n:] {
		dst[n+i] = gelu32(x)
	}
}

// gelu32 is the reference of GeluTanh32 for one element. The conversions
// round every product to float32 before its sum, so that no compiler fuses
// them into one FMA, as the assembly does not.
func gelu32(x float32) float32 {
	u := geluC * (x + float32(float32(float32(geluA*x)*x)*x))
	return float32(0.5*x) * (1 + tanh32(u))
}

// tanh32 is tanh in float32 as a rational function on x clamped to
// ±tanhClamp: |tanh32(x) − tanh(x)| < 4e-7 for every x, a few float32 ulps.
// Comparisons rather than min and max, which order NaN and ±0 at a third
// of the speed; NaN passes through.
func tanh32(x float32) float32 {
	if x > tanhClamp {
		x = tanhClamp
	} else if x < -tanhClamp {
		x = -tanhClamp
	}
	x2 := x * x
	p := float32(tanhP0)
	p = float32(p*x2) + tanhP1
	p = float32(p*x2) + tanhP2
	p = float32(p*x2) + tanhP3
	p = float32(p*x2) + tanhP4
	p = float32(p*x2) + tanhP5
	p = float32(p*x2) + tanhP6
	q := float32(tanhQ0)
	q = float32(q*x2) + tanhQ1
	q = float32(q*x2) + tanhQ2
	q = float32(q*x2) + tanhQ3
	return float32(x*p) / q
}
