package tensorio

import (
	"fmt"
	"strings"

	"github.com/strand-tn/strand/tensor"
)

// DType is the element type of stored data. The zero value means "not set":
// in [Options] it selects the type matching the tensor being written.
type DType uint8

// The stored element types. Integers and booleans are read into any element type
// (booleans as 0 and 1); Float16 is IEEE 754 binary16 and BFloat16 the upper half
// of a binary32 (8 exponent bits, 7 fraction bits).
const (
	Bool DType = iota + 1
	Int8
	Uint8
	Int16
	Uint16
	Int32
	Uint32
	Int64
	Uint64
	Float16
	BFloat16
	Float32
	Float64
	Complex64
	Complex128
)

// dtypeInfo holds the names of a DType in each format; an empty npy or st name
// means the format cannot store the type.
type dtypeInfo struct {
	name string // numpy name, e.g. "float64"
	size int    // bytes per element
	npy  string // npy descr kind and size without byte order, e.g. "f8"
	st   string // safetensors dtype, e.g. "F64"
}

var dtypes = [...]dtypeInfo{
	Bool:       {"bool", 1, "b1", "BOOL"},
	Int8:       {"int8", 1, "i1", "I8"},
	Uint8:      {"uint8", 1, "u1", "U8"},
	Int16:      {"int16", 2, "i2", "I16"},
	Uint16:     {"uint16", 2, "u2", "U16"},
	Int32:      {"int32", 4, "i4", "I32"},
	Uint32:     {"uint32", 4, "u4", "U32"},
	Int64:      {"int64", 8, "i8", "I64"},
	Uint64:     {"uint64", 8, "u8", "U64"},
	Float16:    {"float16", 2, "f2", "F16"},
	BFloat16:   {"bfloat16", 2, "", "BF16"},
	Float32:    {"float32", 4, "f4", "F32"},
	Float64:    {"float64", 8, "f8", "F64"},
	Complex64:  {"complex64", 8, "c8", "C64"},
	Complex128: {"complex128", 16, "c16", ""},
}

func (d DType) valid() bool { return d >= Bool && d <= Complex128 }

// String returns numpy's name for d ("float64", "bfloat16", "bool", …).
func (d DType) String() string {
	if !d.valid() {
		return fmt.Sprintf("DType(%d)", uint8(d))
	}
	return dtypes[d].name
}

// Size is the number of bytes one element occupies in a file.
func (d DType) Size() int {
	if !d.valid() {
		return 0
	}
	return dtypes[d].size
}

// IsComplex reports whether d holds complex numbers.
func (d DType) IsComplex() bool { return d == Complex64 || d == Complex128 }

// ParseDType accepts a numpy name ("float32", any case), a numpy type code with
// or without byte order ("f4", "<f4", "i8" = int64) or a safetensors name
// ("F32", "BF16", "I8" = int8; upper case, as the format writes them).
func ParseDType(s string) (DType, error) {
	code := strings.TrimLeft(s, "<>|=")
	for d := Bool; d <= Complex128; d++ {
		in := dtypes[d]
		if strings.EqualFold(s, in.name) || in.npy != "" && code == in.npy || in.st != "" && s == in.st {
			return d, nil
		}
	}
	return 0, fmt.Errorf("tensorio: unknown dtype %q", s)
}

// DTypeOf returns the stored type that holds T exactly: Float32, Float64,
// Complex64 or Complex128.
func DTypeOf[T tensor.Elem]() DType {
	var z T
	switch any(z).(type) {
	case float32:
		return Float32
	case float64:
		return Float64
	case complex64:
		return Complex64
	default:
		return Complex128
	}
}
