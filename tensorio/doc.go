// Package tensorio reads and writes tensors in numpy's .npy and .npz formats
// and in the .safetensors format, on top of [tensor.Dense].
//
// # Formats
//
//   - .npy (numpy NEP 1): format versions 1.0, 2.0 and 3.0; C and Fortran
//     order; little- and big-endian b1 i1 u1 i2 u2 i4 u4 i8 u8 f2 f4 f8 c8 c16;
//     0-d and empty arrays. [ReadNPY], [ReadNPYHeader], [WriteNPY].
//   - .npz: a zip archive of .npy members, stored or deflated. [OpenNPZ], [WriteNPZ].
//   - .safetensors: an 8-byte header length, a JSON header, a data buffer;
//     dtypes BOOL U8 I8 I16 U16 I32 U32 I64 U64 F16 BF16 F32 F64 C64, read
//     lazily through an io.ReaderAt. [OpenSafetensors], [WriteSafetensors].
//
// [OpenFile], [ReadFile] and [WriteFile] pick the format by extension, and
// writes are atomic (temporary file, fsync, rename).
//
// # Conversion
//
// Reads are generic in the element type T and convert whatever is stored:
// integers and booleans to the nearest float, Float16 and BFloat16 exactly,
// float64 to float32 rounding to nearest. Two conversions would lose more than
// rounding and are errors instead: complex data read as a real type unless every
// imaginary part is zero, and finite values beyond float32's range read as
// float32 or complex64. Writes store T's own type (<f8, <f4, <c16, <c8) or
// [Options.DType]; narrowing to Float16 or BFloat16 rounds to nearest, ties to
// even (IEEE 754 roundTiesToEven), and values the stored type cannot hold are
// errors.
//
// # Safety
//
// Files are untrusted input: every malformed or truncated file gives an
// [*Error] naming the file (and the byte offset where there is one), never a
// panic. Sizes claimed by a header are checked against the bytes actually
// present before memory is allocated, and [Options.MaxBytes] (default 4 GiB)
// caps the memory a read may allocate; exceeding it wraps [ErrTooLarge].
package tensorio
