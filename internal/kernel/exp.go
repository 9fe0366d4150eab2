package kernel

import "math"

// Constants of exp32 (Cephes' expf): x = k·ln2 + r, ln2 split in two so that
// k·expC1 is exact, and eʳ ≈ 1 + r + r²·P(r) with P of degree 5.
const (
	expLo = -87.33654 // below: 0 (no subnormals)
	expHi = 88.37626  // above: +Inf
	log2e = 1.44269504088896341
	expC1 = 0.693359375
	expC2 = -2.12194440e-4
	expP0 = 1.9875691500e-4
	expP1 = 1.3981999507e-3
	expP2 = 8.3334519073e-3
	expP3 = 4.1665795894e-2
	expP4 = 1.6666665459e-1
	expP5 = 5.0000001201e-1
)

// expCoef holds exp32's constants as float32, in the order the assembly
// loop loads them.
var expCoef = [...]float32{expLo, expHi, log2e, 0.5, expC1, expC2,
	expP0, expP1, expP2, expP3, expP4, expP5, 1, float32(math.Inf(1))}

// ExpShift32 sets dst[i] = exp32(src[i] − shift) for every i < len(src): the
// exponentials of a float32 softmax after its maximum, within 1e-7 of
// math.Exp relative to the result. The AVX2 loop does exp32's operations
// in its order, each rounded to float32, so results are exp32's bit for
// bit on any CPU. dst must be at least as long as src and not overlap it
// other than exactly.
func ExpShift32(dst, src []float32, shift float32) {
	dst = dst[:len(src)]
	n := expAsm(dst, src, shift)
	for i, x := range src[n:] {
		dst[n+i] = exp32(x - shift)
	}
}

// exp32 is eˣ in float32: 0 below expLo, +Inf above expHi, NaN for NaN.
// The conversions round every product before its sum, so that no compiler
// fuses them into an FMA, as the assembly does not.
func exp32(x float32) float32 {
	switch {
	case x != x:
		return x
	case x < expLo:
		return 0
	case x > expHi:
		return float32(math.Inf(1))
	}
	k := float32(math.Floor(float64(float32(x*log2e) + 0.5)))
	r := x - float32(k*expC1)
	r = r - float32(k*expC2)
	p := float32(expP0)
	p = float32(p*r) + expP1
	p = float32(p*r) + expP2
	p = float32(p*r) + expP3
	p = float32(p*r) + expP4
	p = float32(p*r) + expP5
	p = float32(float32(p*float32(r*r))+r) + 1
	return p * math.Float32frombits(uint32(int32(k)+127)<<23)
}
