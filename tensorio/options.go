package tensorio

// DefaultMaxBytes is the memory limit used when [Options.MaxBytes] is zero: 4 GiB.
const DefaultMaxBytes = 4 << 30

// Options tunes reading and writing. The zero value reads with a 4 GiB limit
// and writes the stored type matching the element type, uncompressed.
type Options struct {
	// MaxBytes caps the memory a read may allocate for tensor data, counted as
	// elements × size of the requested element type and summed over the tensors
	// of one call. Zero means DefaultMaxBytes; a negative value means no limit.
	MaxBytes int64

	// DType is the stored element type on write (Float16, BFloat16, Float32, …);
	// zero means the type matching the tensors' element type. Values that the
	// chosen type cannot hold (overflow, non-integers for integer types, complex
	// numbers with a non-zero imaginary part for real types) are an error.
	DType DType

	// Metadata is written as the "__metadata__" map of a .safetensors file.
	Metadata map[string]string

	// Compress deflates the members of a .npz file (numpy.savez_compressed);
	// by default they are stored, as numpy.savez does.
	Compress bool
}

// limit returns the byte limit for reads, or −1 for none.
func (o Options) limit() int64 {
	switch {
	case o.MaxBytes == 0:
		return DefaultMaxBytes
	case o.MaxBytes < 0:
		return -1
	}
	return o.MaxBytes
}
