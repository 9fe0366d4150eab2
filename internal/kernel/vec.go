package kernel

import "unsafe"

// Unit-stride vector loops: the innermost loops of HadamardReduce (and so
// of Sum, Outer, Dot and Axpy). On amd64 with AVX2 and FMA an assembly
// routine (vec_amd64.s) handles the longest prefix of whole blocks and the
// loops below finish the tail; elsewhere the loops below do everything.
// Each loop here is the reference of its assembly routine.

// dotUnit returns Σ_i x[i]·y[i] over len(x) elements (len(y) ≥ len(x)).
func dotUnit[T Elem](x, y []T) T {
	s, i := dotAsm(x, y[:len(x)])
	xs, ys := x[i:], y[i:len(x)]
	var s0, s1, s2, s3 T
	j := 0
	for ; j+4 <= len(xs); j += 4 {
		s0 += xs[j] * ys[j]
		s1 += xs[j+1] * ys[j+1]
		s2 += xs[j+2] * ys[j+2]
		s3 += xs[j+3] * ys[j+3]
	}
	for ; j < len(xs); j++ {
		s0 += xs[j] * ys[j]
	}
	return s + ((s0 + s1) + (s2 + s3))
}

// sumUnit returns Σ_i x[i].
func sumUnit[T Elem](x []T) T {
	s, i := sumAsm(x)
	var s0, s1, s2, s3 T
	xs := x[i:]
	j := 0
	for ; j+4 <= len(xs); j += 4 {
		s0 += xs[j]
		s1 += xs[j+1]
		s2 += xs[j+2]
		s3 += xs[j+3]
	}
	for ; j < len(xs); j++ {
		s0 += xs[j]
	}
	return s + ((s0 + s1) + (s2 + s3))
}

// scaleUnit sets out[i] = α·x[i] + β·out[i] for i < len(out), without
// reading out when β = 0. With stream set (and β = 0) the assembly writes
// out with non-temporal stores, for outputs much larger than the caches.
func scaleUnit[T Elem](alpha, beta T, x, out []T, stream bool) {
	x = x[:len(out)]
	h := streamHead(out, stream && beta == 0)
	scaleGo(alpha, beta, x[:h], out[:h])
	i := h + scaleAsm(alpha, beta, x[h:], out[h:], stream && beta == 0)
	scaleGo(alpha, beta, x[i:], out[i:])
}

// scaleGo is the reference loop of scaleUnit.
func scaleGo[T Elem](alpha, beta T, x, out []T) {
	x = x[:len(out)]
	switch beta {
	case 0:
		for j, v := range x {
			out[j] = alpha * v
		}
	case 1:
		for j, v := range x {
			out[j] += alpha * v
		}
	default:
		for j, v := range x {
			out[j] = alpha*v + beta*out[j]
		}
	}
}

// mulUnit sets out[i] = α·x[i]·y[i] + β·out[i] for i < len(out), without
// reading out when β = 0; stream as for scaleUnit.
func mulUnit[T Elem](alpha, beta T, x, y, out []T, stream bool) {
	x, y = x[:len(out)], y[:len(out)]
	h := streamHead(out, stream && beta == 0)
	mulGo(alpha, beta, x[:h], y[:h], out[:h])
	i := h + mulAsm(alpha, beta, x[h:], y[h:], out[h:], stream && beta == 0)
	mulGo(alpha, beta, x[i:], y[i:], out[i:])
}

// mulGo is the reference loop of mulUnit.
func mulGo[T Elem](alpha, beta T, x, y, out []T) {
	x, y = x[:len(out)], y[:len(out)]
	if beta == 0 {
		for j, v := range x {
			out[j] = alpha * v * y[j]
		}
		return
	}
	for j, v := range x {
		out[j] = alpha*v*y[j] + beta*out[j]
	}
}

// p64 and p32 reinterpret the first element of a []T known to be []float64
// or []float32.
func p64[T Elem](x []T) *float64 { return (*float64)(unsafe.Pointer(unsafe.SliceData(x))) }
func p32[T Elem](x []T) *float32 { return (*float32)(unsafe.Pointer(unsafe.SliceData(x))) }

// as reinterprets a float64 or float32 as T (of the same type).
func as[T Elem, F float32 | float64](v F) T { return *(*T)(unsafe.Pointer(&v)) }

// f64 and f32 reinterpret a T known to be float64 or float32.
func f64[T Elem](v T) float64 { return *(*float64)(unsafe.Pointer(&v)) }
func f32[T Elem](v T) float32 { return *(*float32)(unsafe.Pointer(&v)) }
