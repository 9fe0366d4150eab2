package tensor

import "math/rand/v2"

// NewRand returns a seeded generator (PCG) for reproducible tensors.
func NewRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x5eed_57a4d)) }

// RandUniform returns a tensor of the given shape with elements drawn uniformly
// from [lo, hi); complex types draw real and imaginary parts independently.
func RandUniform[T Elem](r *rand.Rand, lo, hi float64, shape ...int) *Dense[T] {
	return fill(Zeros[T](shape...), func() float64 { return lo + (hi-lo)*r.Float64() })
}

// RandNormal returns a tensor with standard normal elements (for complex types,
// real and imaginary parts each N(0, ½) so that E|z|² = 1).
func RandNormal[T Elem](r *rand.Rand, shape ...int) *Dense[T] {
	t := Zeros[T](shape...)
	var z T
	switch any(z).(type) {
	case complex64, complex128:
		const s = 0.7071067811865476
		return fill(t, func() float64 { return s * r.NormFloat64() })
	}
	return fill(t, r.NormFloat64)
}

func fill[T Elem](t *Dense[T], draw func() float64) *Dense[T] {
	for i := range t.data {
		var z T
		switch any(z).(type) {
		case complex64:
			re := draw()
			t.data[i] = any(complex(float32(re), float32(draw()))).(T)
		case complex128:
			re := draw()
			t.data[i] = any(complex(re, draw())).(T)
		default:
			t.data[i] = FromFloat[T](draw())
		}
	}
	return t
}
