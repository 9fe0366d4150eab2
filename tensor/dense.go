package tensor

import (
	"fmt"
	"math"
	"math/cmplx"
	"strings"
)

// Elem is the set of element types a Dense may hold.
type Elem interface {
	float32 | float64 | complex64 | complex128
}

// Dense is a dense n-dimensional array: a strided view of a flat slice.
// The zero value is not usable; build one with [Zeros], [New], [FromSlice],
// [Scalar] or a random constructor.
type Dense[T Elem] struct {
	data    []T
	shape   []int
	strides []int
	offset  int
}

// Zeros returns a contiguous, row-major tensor of the given shape filled with zeros.
// A tensor with no axes is a scalar holding one element.
func Zeros[T Elem](shape ...int) *Dense[T] {
	n := checkedSize(shape)
	return &Dense[T]{data: make([]T, n), shape: cloneInts(shape), strides: RowMajorStrides(shape)}
}

// New is an alias of [Zeros] kept for readability at call sites that fill the tensor next.
func New[T Elem](shape ...int) *Dense[T] { return Zeros[T](shape...) }

// FromSlice wraps data (not copied) as a contiguous row-major tensor of the given
// shape. It returns an error when len(data) differs from the product of shape.
func FromSlice[T Elem](data []T, shape ...int) (*Dense[T], error) {
	for _, d := range shape {
		if d < 0 {
			return nil, fmt.Errorf("tensor: negative dimension in shape %v", shape)
		}
	}
	n, ok := SizeOf(shape)
	if !ok {
		return nil, fmt.Errorf("tensor: shape %v has more elements than an int can count", shape)
	}
	if n != len(data) {
		return nil, fmt.Errorf("tensor: %d values do not fill shape %v (%d elements)", len(data), shape, n)
	}
	return &Dense[T]{data: data, shape: cloneInts(shape), strides: RowMajorStrides(shape)}, nil
}

// MustFromSlice is [FromSlice] that panics on error; for literals in code and tests.
func MustFromSlice[T Elem](data []T, shape ...int) *Dense[T] {
	t, err := FromSlice(data, shape...)
	if err != nil {
		panic(err)
	}
	return t
}

// Scalar returns a rank-0 tensor holding v.
func Scalar[T Elem](v T) *Dense[T] {
	return &Dense[T]{data: []T{v}, shape: []int{}, strides: []int{}}
}

// View builds a tensor over data with explicit shape, strides and offset. It
// panics if any reachable element lies outside data. Most callers want
// [FromSlice]; View is for packages that lay out memory themselves.
func View[T Elem](data []T, shape, strides []int, offset int) *Dense[T] {
	if len(shape) != len(strides) {
		panic(fmt.Sprintf("tensor: shape %v and strides %v differ in rank", shape, strides))
	}
	lo, hi := offset, offset
	empty := false
	for k, d := range shape {
		if d < 0 {
			panic(fmt.Sprintf("tensor: negative dimension in shape %v", shape))
		}
		if d == 0 {
			empty = true
			continue
		}
		if s := strides[k]; s > 0 {
			hi += (d - 1) * s
		} else {
			lo += (d - 1) * s
		}
	}
	if !empty && (lo < 0 || hi >= len(data)) {
		panic(fmt.Sprintf("tensor: view shape %v strides %v offset %d reaches outside %d elements", shape, strides, offset, len(data)))
	}
	return &Dense[T]{data: data, shape: cloneInts(shape), strides: cloneInts(strides), offset: offset}
}

// RowMajorStrides returns the C-order strides (in elements) of shape.
func RowMajorStrides(shape []int) []int {
	s := make([]int, len(shape))
	acc := 1
	for k := len(shape) - 1; k >= 0; k-- {
		s[k] = acc
		acc *= shape[k]
	}
	return s
}

// SizeOf returns the number of elements of shape, and false if it overflows an int
// or a dimension is negative.
func SizeOf(shape []int) (int, bool) {
	n := 1
	for _, d := range shape {
		if d < 0 {
			return 0, false
		}
		if d == 0 {
			return 0, true
		}
		if n > math.MaxInt/d {
			return 0, false
		}
		n *= d
	}
	return n, true
}

func checkedSize(shape []int) int {
	n, ok := SizeOf(shape)
	if !ok {
		panic(fmt.Sprintf("tensor: invalid shape %v", shape))
	}
	return n
}

func cloneInts(s []int) []int {
	out := make([]int, len(s))
	copy(out, s)
	return out
}

// Shape returns a copy of the tensor's dimensions.
func (t *Dense[T]) Shape() []int { return cloneInts(t.shape) }

// Strides returns a copy of the tensor's strides, in elements.
func (t *Dense[T]) Strides() []int { return cloneInts(t.strides) }

// Offset is the position of element (0, …, 0) in the backing slice.
func (t *Dense[T]) Offset() int { return t.offset }

// Dim returns the size of axis k.
func (t *Dense[T]) Dim(k int) int { return t.shape[t.axis(k)] }

// Rank is the number of axes.
func (t *Dense[T]) Rank() int { return len(t.shape) }

// Size is the number of elements, the product of the dimensions.
func (t *Dense[T]) Size() int { n, _ := SizeOf(t.shape); return n }

// Backing returns the slice the tensor views, shared, not copied. Use
// [Dense.Offset] and [Dense.Strides] to address it, or [Dense.Data] for a
// contiguous copy-free read when [Dense.IsContiguous] holds.
func (t *Dense[T]) Backing() []T { return t.data }

// IsContiguous reports whether the elements are laid out in row-major order
// without gaps starting at Offset, so that Data is a zero-copy slice.
func (t *Dense[T]) IsContiguous() bool {
	acc := 1
	for k := len(t.shape) - 1; k >= 0; k-- {
		if t.shape[k] == 1 {
			continue
		}
		if t.strides[k] != acc {
			return false
		}
		acc *= t.shape[k]
	}
	return true
}

// Data returns the elements in row-major order. When the tensor is contiguous
// the result shares memory with it; otherwise it is a fresh copy.
func (t *Dense[T]) Data() []T {
	n := t.Size()
	if t.IsContiguous() {
		return t.data[t.offset : t.offset+n : t.offset+n]
	}
	out := make([]T, n)
	CopyStrided(out, t.data, t.shape, t.strides, t.offset)
	return out
}

// Contiguous returns t itself when it is contiguous and a row-major copy otherwise.
func (t *Dense[T]) Contiguous() *Dense[T] {
	if t.IsContiguous() && t.offset == 0 && len(t.data) == t.Size() {
		return t
	}
	return t.Clone()
}

// Clone returns a contiguous deep copy.
func (t *Dense[T]) Clone() *Dense[T] {
	out := Zeros[T](t.shape...)
	CopyStrided(out.data, t.data, t.shape, t.strides, t.offset)
	return out
}

// CopyFrom copies src's elements into t; the shapes must be equal. src may
// be a view of the same data as t.
func (t *Dense[T]) CopyFrom(src *Dense[T]) {
	mustSameShape("CopyFrom", t, src)
	if len(t.data) > 0 && len(src.data) > 0 && &t.data[0] == &src.data[0] {
		src = src.Clone()
	}
	if t.IsContiguous() {
		CopyStrided(t.data[t.offset:t.offset+t.Size()], src.data, src.shape, src.strides, src.offset)
		return
	}
	forEach2(t, src, func(i, j int) { t.data[i] = src.data[j] })
}

// At returns the element at the given index; it panics on a wrong rank or an
// index out of range.
func (t *Dense[T]) At(index ...int) T { return t.data[t.pos(index)] }

// Set stores v at the given index.
func (t *Dense[T]) Set(v T, index ...int) { t.data[t.pos(index)] = v }

// Item returns the single element of a tensor of size 1 (for example a scalar).
func (t *Dense[T]) Item() T {
	if t.Size() != 1 {
		panic(fmt.Sprintf("tensor: Item of a tensor of shape %v", t.shape))
	}
	return t.data[t.offset]
}

func (t *Dense[T]) pos(index []int) int {
	if len(index) != len(t.shape) {
		panic(fmt.Sprintf("tensor: index %v for a tensor of rank %d", index, len(t.shape)))
	}
	p := t.offset
	for k, i := range index {
		if i < 0 || i >= t.shape[k] {
			panic(fmt.Sprintf("tensor: index %v out of range for shape %v", index, t.shape))
		}
		p += i * t.strides[k]
	}
	return p
}

// axis normalises a possibly negative axis number (−1 is the last axis).
func (t *Dense[T]) axis(k int) int {
	if k < 0 {
		k += len(t.shape)
	}
	if k < 0 || k >= len(t.shape) {
		panic(fmt.Sprintf("tensor: axis %d out of range for rank %d", k, len(t.shape)))
	}
	return k
}

// String formats small tensors in full, numpy-style, and large ones by shape.
func (t *Dense[T]) String() string {
	if t.Size() > 1000 {
		return fmt.Sprintf("tensor%v", t.shape)
	}
	var b strings.Builder
	var rec func(prefix []int)
	rec = func(prefix []int) {
		k := len(prefix)
		if k == len(t.shape) {
			b.WriteString(formatElem(t.At(prefix...)))
			return
		}
		b.WriteByte('[')
		for i := 0; i < t.shape[k]; i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			rec(append(prefix, i))
		}
		b.WriteByte(']')
	}
	rec(make([]int, 0, len(t.shape)))
	return b.String()
}

func formatElem[T Elem](v T) string {
	switch x := any(v).(type) {
	case float32:
		return fmt.Sprintf("%.6g", x)
	case float64:
		return fmt.Sprintf("%.6g", x)
	case complex64:
		return fmt.Sprintf("%.6g", x)
	case complex128:
		return fmt.Sprintf("%.6g", x)
	}
	return fmt.Sprint(v)
}

// Abs returns |v| as a float64 for any element type.
func Abs[T Elem](v T) float64 {
	switch x := any(v).(type) {
	case float32:
		return math.Abs(float64(x))
	case float64:
		return math.Abs(x)
	case complex64:
		return cmplx.Abs(complex128(x))
	case complex128:
		return cmplx.Abs(x)
	}
	panic("unreachable")
}

// FromFloat converts a float64 to the element type T.
func FromFloat[T Elem](f float64) T {
	var z T
	switch any(z).(type) {
	case float32:
		return any(float32(f)).(T)
	case float64:
		return any(f).(T)
	case complex64:
		return any(complex(float32(f), 0)).(T)
	case complex128:
		return any(complex(f, 0)).(T)
	}
	panic("unreachable")
}
