package tensor

import (
	"fmt"
	"math"
	"slices"
)

func mustSameShape[T Elem](op string, a, b *Dense[T]) {
	if !slices.Equal(a.shape, b.shape) {
		panic(fmt.Sprintf("tensor: %s of shapes %v and %v", op, a.shape, b.shape))
	}
}

// Map returns the tensor with f applied to every element: out[i] = f(t[i]).
func (t *Dense[T]) Map(f func(T) T) *Dense[T] {
	out := Zeros[T](t.shape...)
	if x, ok := t.elements(); ok {
		for i, v := range x {
			out.data[i] = f(v)
		}
		return out
	}
	o := 0
	forEach1(t, func(i int) { out.data[o] = f(t.data[i]); o++ })
	return out
}

// Apply replaces every element in place: t[i] = f(t[i]). It returns t.
func (t *Dense[T]) Apply(f func(T) T) *Dense[T] {
	if x, ok := t.elements(); ok {
		for i, v := range x {
			x[i] = f(v)
		}
		return t
	}
	forEach1(t, func(i int) { t.data[i] = f(t.data[i]) })
	return t
}

// Zip returns out[i] = f(a[i], b[i]) for tensors of equal shape.
func Zip[T Elem](a, b *Dense[T], f func(x, y T) T) *Dense[T] {
	mustSameShape("Zip", a, b)
	out := Zeros[T](a.shape...)
	x, xok := a.elements()
	y, yok := b.elements()
	if xok && yok {
		for i := range out.data {
			out.data[i] = f(x[i], y[i])
		}
		return out
	}
	o := 0
	forEach2(a, b, func(i, j int) { out.data[o] = f(a.data[i], b.data[j]); o++ })
	return out
}

// Add returns a + b elementwise.
func Add[T Elem](a, b *Dense[T]) *Dense[T] { return Zip(a, b, func(x, y T) T { return x + y }) }

// Sub returns a − b elementwise.
func Sub[T Elem](a, b *Dense[T]) *Dense[T] { return Zip(a, b, func(x, y T) T { return x - y }) }

// Mul returns the Hadamard product a ⊙ b.
func Mul[T Elem](a, b *Dense[T]) *Dense[T] { return Zip(a, b, func(x, y T) T { return x * y }) }

// Scale returns s·t.
func (t *Dense[T]) Scale(s T) *Dense[T] { return t.Map(func(x T) T { return s * x }) }

// AddScaled accumulates t += s·u in place (u must have t's shape) and returns t.
func (t *Dense[T]) AddScaled(s T, u *Dense[T]) *Dense[T] {
	mustSameShape("AddScaled", t, u)
	forEach2(t, u, func(i, j int) { t.data[i] += s * u.data[j] })
	return t
}

// Fill sets every element to v and returns t.
func (t *Dense[T]) Fill(v T) *Dense[T] {
	forEach1(t, func(i int) { t.data[i] = v })
	return t
}

// Sum returns Σᵢ tᵢ, accumulated pairwise-blocked for accuracy.
func (t *Dense[T]) Sum() T {
	if x, ok := t.elements(); ok {
		return sumSlice(x)
	}
	return sumSlice(t.Data())
}

// sumSlice adds in blocks of 128 so rounding error grows like log n, not n.
func sumSlice[T Elem](x []T) T {
	const block = 128
	if len(x) <= block {
		var s T
		for _, v := range x {
			s += v
		}
		return s
	}
	h := len(x) / 2
	return sumSlice(x[:h]) + sumSlice(x[h:])
}

// Norm returns the Frobenius norm sqrt(Σᵢ |tᵢ|²).
func (t *Dense[T]) Norm() float64 {
	// Scaled accumulation avoids overflow for huge entries.
	scale, ssq := 0.0, 1.0
	forEach1(t, func(i int) {
		a := Abs(t.data[i])
		if a == 0 {
			return
		}
		if scale < a {
			ssq = 1 + ssq*(scale/a)*(scale/a)
			scale = a
		} else {
			ssq += (a / scale) * (a / scale)
		}
	})
	return scale * math.Sqrt(ssq)
}

// MaxAbs returns maxᵢ |tᵢ| (0 for an empty tensor).
func (t *Dense[T]) MaxAbs() float64 {
	m := 0.0
	forEach1(t, func(i int) { m = max(m, Abs(t.data[i])) })
	return m
}

// Eye returns the n×n identity matrix δᵢⱼ.
func Eye[T Elem](n int) *Dense[T] {
	out := Zeros[T](n, n)
	for i := range n {
		out.data[i*n+i] = 1
	}
	return out
}

// Arange returns the vector [0, 1, …, n−1].
func Arange[T Elem](n int) *Dense[T] {
	out := Zeros[T](n)
	for i := range n {
		out.data[i] = FromFloat[T](float64(i))
	}
	return out
}

// Convert returns t's elements converted to element type U (complex to real
// keeps the real part).
func Convert[U, T Elem](t *Dense[T]) *Dense[U] {
	out := Zeros[U](t.shape...)
	o := 0
	forEach1(t, func(i int) { out.data[o] = convertElem[U](t.data[i]); o++ })
	return out
}

func convertElem[U, T Elem](v T) U {
	var re, im float64
	switch x := any(v).(type) {
	case float32:
		re = float64(x)
	case float64:
		re = x
	case complex64:
		re, im = float64(real(x)), float64(imag(x))
	case complex128:
		re, im = real(x), imag(x)
	}
	var z U
	switch any(z).(type) {
	case float32:
		return any(float32(re)).(U)
	case float64:
		return any(re).(U)
	case complex64:
		return any(complex(float32(re), float32(im))).(U)
	default:
		return any(complex(re, im)).(U)
	}
}
