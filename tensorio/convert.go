package tensorio

import (
	"encoding/binary"
	"fmt"
	"math"
	"sync"
	"unsafe"

	"github.com/strand-tn/strand/tensor"
)

// chunkElems is the number of elements converted per step when stored and
// in-memory types differ; it bounds the scratch memory of a read or write.
const chunkElems = 1 << 15

// hostLittle reports whether this machine stores numbers least significant
// byte first, so that little-endian data of the element type can be copied as is.
var hostLittle = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// asBytes views the memory of s as bytes (no copy).
func asBytes[T tensor.Elem](s []T) []byte {
	if len(s) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*int(unsafe.Sizeof(s[0])))
}

// elemSize is the size in bytes of T.
func elemSize[T tensor.Elem]() int64 {
	var z T
	return int64(unsafe.Sizeof(z))
}

// swapBytes reverses the byte order of every element of type dt in b, in place
// (each part of a complex number separately).
func swapBytes(b []byte, dt DType) {
	size := dt.Size()
	if dt.IsComplex() {
		size /= 2
	}
	for i := 0; i+size <= len(b); i += size {
		for l, r := i, i+size-1; l < r; l, r = l+1, r-1 {
			b[l], b[r] = b[r], b[l]
		}
	}
}

// decodeReal converts len(dst) little-endian elements of the real type dt from src.
// Booleans are 0 or 1 (any non-zero byte is true, as in numpy).
func decodeReal(dst []float64, src []byte, dt DType) {
	le := binary.LittleEndian
	switch dt {
	case Bool:
		for i := range dst {
			dst[i] = 0
			if src[i] != 0 {
				dst[i] = 1
			}
		}
	case Int8:
		for i := range dst {
			dst[i] = float64(int8(src[i]))
		}
	case Uint8:
		for i := range dst {
			dst[i] = float64(src[i])
		}
	case Int16:
		for i := range dst {
			dst[i] = float64(int16(le.Uint16(src[2*i:])))
		}
	case Uint16:
		for i := range dst {
			dst[i] = float64(le.Uint16(src[2*i:]))
		}
	case Int32:
		for i := range dst {
			dst[i] = float64(int32(le.Uint32(src[4*i:])))
		}
	case Uint32:
		for i := range dst {
			dst[i] = float64(le.Uint32(src[4*i:]))
		}
	case Int64:
		for i := range dst {
			dst[i] = float64(int64(le.Uint64(src[8*i:])))
		}
	case Uint64:
		for i := range dst {
			dst[i] = float64(le.Uint64(src[8*i:]))
		}
	case Float16:
		tab := f16Table()
		for i := range dst {
			dst[i] = float64(tab[le.Uint16(src[2*i:])])
		}
	case BFloat16:
		for i := range dst {
			dst[i] = float64(math.Float32frombits(uint32(le.Uint16(src[2*i:])) << 16))
		}
	case Float32:
		for i := range dst {
			dst[i] = float64(math.Float32frombits(le.Uint32(src[4*i:])))
		}
	case Float64:
		for i := range dst {
			dst[i] = math.Float64frombits(le.Uint64(src[8*i:]))
		}
	default:
		panic("tensorio: decodeReal of " + dt.String())
	}
}

// decodeComplex converts len(dst) little-endian complex elements of type dt from src.
func decodeComplex(dst []complex128, src []byte, dt DType) {
	le := binary.LittleEndian
	switch dt {
	case Complex64:
		for i := range dst {
			re := math.Float32frombits(le.Uint32(src[8*i:]))
			im := math.Float32frombits(le.Uint32(src[8*i+4:]))
			dst[i] = complex(float64(re), float64(im))
		}
	case Complex128:
		for i := range dst {
			dst[i] = complex(math.Float64frombits(le.Uint64(src[16*i:])), math.Float64frombits(le.Uint64(src[16*i+8:])))
		}
	default:
		panic("tensorio: decodeComplex of " + dt.String())
	}
}

// fromReal stores real values into dst; base is the index of src[0] in the
// tensor, for messages. Narrowing to float32 rounds to nearest; a finite value
// beyond float32's range is an error rather than a silent infinity.
func fromReal[T tensor.Elem](dst []T, src []float64, base int) error {
	switch d := any(dst).(type) {
	case []float64:
		copy(d, src)
	case []complex128:
		for i, v := range src {
			d[i] = complex(v, 0)
		}
	case []float32:
		for i, v := range src {
			f := float32(v)
			if math.IsInf(float64(f), 0) && !math.IsInf(v, 0) {
				return overflow(base+i, v, "float32")
			}
			d[i] = f
		}
	case []complex64:
		for i, v := range src {
			f := float32(v)
			if math.IsInf(float64(f), 0) && !math.IsInf(v, 0) {
				return overflow(base+i, v, "complex64")
			}
			d[i] = complex(f, 0)
		}
	}
	return nil
}

// fromComplex stores complex values into dst. Real element types need every
// imaginary part to be zero: dropping one would be a silent wrong answer; re is
// scratch space of len(src) for the real parts.
func fromComplex[T tensor.Elem](dst []T, src []complex128, re []float64, base int) error {
	switch d := any(dst).(type) {
	case []complex128:
		copy(d, src)
	case []complex64:
		for i, v := range src {
			c := complex64(v)
			if isInf32(real(c)) && !math.IsInf(real(v), 0) || isInf32(imag(c)) && !math.IsInf(imag(v), 0) {
				return fmt.Errorf("element %d (%g) overflows complex64", base+i, v)
			}
			d[i] = c
		}
	default:
		for i, v := range src {
			if imag(v) != 0 {
				return fmt.Errorf("element %d (%g) has a non-zero imaginary part; complex data converts to a real type only when every imaginary part is zero", base+i, v)
			}
			re[i] = real(v)
		}
		return fromReal(dst, re, base)
	}
	return nil
}

func isInf32(f float32) bool { return math.IsInf(float64(f), 0) }

func overflow(i int, v float64, typ string) error {
	return fmt.Errorf("element %d (%g) overflows %s", i, v, typ)
}

// toReal loads src into dst as float64; complex elements need a zero imaginary part.
func toReal[T tensor.Elem](dst []float64, src []T, base int, dt DType) error {
	switch s := any(src).(type) {
	case []float64:
		copy(dst, s)
	case []float32:
		for i, v := range s {
			dst[i] = float64(v)
		}
	case []complex64:
		for i, v := range s {
			if imag(v) != 0 {
				return fmt.Errorf("element %d (%g) has a non-zero imaginary part and cannot be stored as %s", base+i, v, dt)
			}
			dst[i] = float64(real(v))
		}
	case []complex128:
		for i, v := range s {
			if imag(v) != 0 {
				return fmt.Errorf("element %d (%g) has a non-zero imaginary part and cannot be stored as %s", base+i, v, dt)
			}
			dst[i] = real(v)
		}
	}
	return nil
}

// toComplex loads src into dst as complex128.
func toComplex[T tensor.Elem](dst []complex128, src []T) {
	switch s := any(src).(type) {
	case []float64:
		for i, v := range s {
			dst[i] = complex(v, 0)
		}
	case []float32:
		for i, v := range s {
			dst[i] = complex(float64(v), 0)
		}
	case []complex64:
		for i, v := range s {
			dst[i] = complex128(v)
		}
	case []complex128:
		copy(dst, s)
	}
}

// intRange holds the range of each integer type as float64 bounds
// lo ≤ v < hi; the upper bound is exclusive so that 2⁶³ and 2⁶⁴ are exact.
var intRange = map[DType][2]float64{
	Bool:   {0, 2},
	Int8:   {math.MinInt8, math.MaxInt8 + 1},
	Uint8:  {0, math.MaxUint8 + 1},
	Int16:  {math.MinInt16, math.MaxInt16 + 1},
	Uint16: {0, math.MaxUint16 + 1},
	Int32:  {math.MinInt32, math.MaxInt32 + 1},
	Uint32: {0, math.MaxUint32 + 1},
	Int64:  {math.MinInt64, 1 << 63},
	Uint64: {0, 1 << 64},
}

// encodeReal writes src as little-endian elements of the real type dt into dst.
// Integer types need integral values in range; float types reject finite values
// that would overflow to infinity. Float16 and BFloat16 round to nearest, ties to even.
func encodeReal(dst []byte, src []float64, base int, dt DType) error {
	le := binary.LittleEndian
	if r, ok := intRange[dt]; ok {
		for i, v := range src {
			if v != math.Trunc(v) || v < r[0] || v >= r[1] {
				return fmt.Errorf("element %d (%g) is not representable as %s", base+i, v, dt)
			}
		}
	}
	switch dt {
	case Bool, Uint8:
		for i, v := range src {
			dst[i] = uint8(v)
		}
	case Int8:
		for i, v := range src {
			dst[i] = uint8(int8(v))
		}
	case Int16:
		for i, v := range src {
			le.PutUint16(dst[2*i:], uint16(int16(v)))
		}
	case Uint16:
		for i, v := range src {
			le.PutUint16(dst[2*i:], uint16(v))
		}
	case Int32:
		for i, v := range src {
			le.PutUint32(dst[4*i:], uint32(int32(v)))
		}
	case Uint32:
		for i, v := range src {
			le.PutUint32(dst[4*i:], uint32(v))
		}
	case Int64:
		for i, v := range src {
			le.PutUint64(dst[8*i:], uint64(int64(v)))
		}
	case Uint64:
		for i, v := range src {
			le.PutUint64(dst[8*i:], uint64(v))
		}
	case Float16, BFloat16:
		for i, v := range src {
			b, ok := narrow(v, dt)
			if !ok {
				return overflow(base+i, v, dt.String())
			}
			le.PutUint16(dst[2*i:], b)
		}
	case Float32:
		for i, v := range src {
			f := float32(v)
			if isInf32(f) && !math.IsInf(v, 0) {
				return overflow(base+i, v, "float32")
			}
			le.PutUint32(dst[4*i:], math.Float32bits(f))
		}
	case Float64:
		for i, v := range src {
			le.PutUint64(dst[8*i:], math.Float64bits(v))
		}
	default:
		panic("tensorio: encodeReal of " + dt.String())
	}
	return nil
}

// encodeComplex writes src as little-endian elements of the complex type dt.
func encodeComplex(dst []byte, src []complex128, base int, dt DType) error {
	le := binary.LittleEndian
	switch dt {
	case Complex64:
		for i, v := range src {
			c := complex64(v)
			if isInf32(real(c)) && !math.IsInf(real(v), 0) || isInf32(imag(c)) && !math.IsInf(imag(v), 0) {
				return fmt.Errorf("element %d (%g) overflows complex64", base+i, v)
			}
			le.PutUint32(dst[8*i:], math.Float32bits(real(c)))
			le.PutUint32(dst[8*i+4:], math.Float32bits(imag(c)))
		}
	case Complex128:
		for i, v := range src {
			le.PutUint64(dst[16*i:], math.Float64bits(real(v)))
			le.PutUint64(dst[16*i+8:], math.Float64bits(imag(v)))
		}
	default:
		panic("tensorio: encodeComplex of " + dt.String())
	}
	return nil
}

// Binary16 and bfloat16 layouts: fraction bits and the smallest normal exponent.
const (
	f16Mant, f16Emin   = 10, -14
	bf16Mant, bf16Emin = 7, -126
)

// narrow rounds v to Float16 or BFloat16 (IEEE 754 round to nearest, ties to
// even, straight from float64 so there is no double rounding) and returns the bits.
// ok is false when a finite v rounds beyond the largest finite value.
//
// With x = |v| = f·2^e (1 ≤ f < 2) and e clamped below at emin (the subnormal
// range has quantum 2^(emin−mant)), q = round(x·2^(mant−e)) is an integer in
// [0, 2^(mant+1)] and the bits are (e−emin)·2^mant + q: the carry of q into the
// next binade and the step from subnormal to normal fall out of the addition.
func narrow(v float64, dt DType) (bits uint16, ok bool) {
	mant, emin := f16Mant, f16Emin
	if dt == BFloat16 {
		mant, emin = bf16Mant, bf16Emin
	}
	expAll := uint64(3 - 2*emin) // the all-ones exponent field of Inf and NaN (2·bias+1)
	var sign uint64
	if math.Signbit(v) {
		sign = 1 << 15
		v = -v
	}
	switch {
	case math.IsNaN(v):
		return uint16(sign | expAll<<mant | 1<<(mant-1)), true
	case math.IsInf(v, 0):
		return uint16(sign | expAll<<mant), true
	case v == 0:
		return uint16(sign), true
	}
	_, e := math.Frexp(v)
	e-- // v = f·2^e with 1 ≤ f < 2
	if e < emin {
		e = emin
	}
	if e-emin > int(expAll) { // far beyond the range; keeps the shift below small
		return uint16(sign | expAll<<mant), false
	}
	q := uint64(math.RoundToEven(math.Ldexp(v, mant-e)))
	b := uint64(e-emin)<<mant + q
	if b>>mant >= expAll {
		return uint16(sign | expAll<<mant), false
	}
	return uint16(sign | b), true
}

// f16Table maps every binary16 bit pattern to its float32 value (exact).
var f16Table = sync.OnceValue(func() *[1 << 16]float32 {
	var t [1 << 16]float32
	for b := range t {
		sign, exp, frac := b>>15, (b>>f16Mant)&0x1f, b&(1<<f16Mant-1)
		var v float64
		switch exp {
		case 0:
			v = math.Ldexp(float64(frac), f16Emin-f16Mant)
		case 0x1f:
			v = math.Inf(1)
			if frac != 0 {
				v = math.NaN()
			}
		default:
			v = math.Ldexp(float64(frac|1<<f16Mant), exp-15-f16Mant)
		}
		if sign == 1 {
			v = -v
		}
		t[b] = float32(v)
	}
	return &t
})
