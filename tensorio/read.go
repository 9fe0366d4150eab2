package tensorio

import (
	"errors"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"strings"

	"github.com/strand-tn/strand/tensor"
)

// growElems is the first allocation, in elements, when reading from a stream of
// unknown length: memory then grows with the data actually received, so a header
// that claims a huge shape cannot make the reader allocate before bytes arrive.
const growElems = 1 << 16

// source is one stored tensor whose data r is about to deliver.
type source struct {
	name    string // for messages: the file name, or the format for a stream
	dtype   DType
	big     bool // data most significant byte first
	fortran bool // data column-major
	shape   []int
	what    string // the header's own words, e.g. "shape (3, 4) of <f8"
	r       io.Reader
	avail   int64 // bytes known to follow in r, or −1 when unknown
}

// storedBytes returns the data size in bytes, and false if it overflows an int64.
func storedBytes(shape []int, dt DType) (int64, bool) {
	n, ok := tensor.SizeOf(shape)
	if !ok || int64(n) > (1<<63-1)/int64(dt.Size()) {
		return 0, false
	}
	return int64(n) * int64(dt.Size()), true
}

// checkLimit reports an error if holding elements of T for shape would need more
// than limit bytes (limit < 0: no limit).
func checkLimit[T tensor.Elem](name, what string, shape []int, limit int64) error {
	if limit < 0 {
		return nil
	}
	n, _ := tensor.SizeOf(shape)
	if int64(n) > limit/elemSize[T]() {
		return &Error{Name: name, Offset: -1, Err: ErrTooLarge,
			Msg: fmt.Sprintf("%s as %s needs %s bytes, over the limit of %d bytes (Options.MaxBytes)", what, DTypeOf[T](), mulString(n, elemSize[T]()), limit)}
	}
	return nil
}

// mulString formats n·k exactly, even beyond the int64 range.
func mulString(n int, k int64) string {
	return new(big.Int).Mul(big.NewInt(int64(n)), big.NewInt(k)).String()
}

// decode reads s's data and converts it to a tensor of T, allocating at most
// limit bytes (limit < 0: no limit). Fortran-order data comes back as a
// column-major strided view of the data read.
func decode[T tensor.Elem](s *source, limit int64) (*tensor.Dense[T], error) {
	n, _ := tensor.SizeOf(s.shape)
	size := s.dtype.Size()
	stored := int64(n) * int64(size)
	if s.avail >= 0 && stored > s.avail {
		return nil, s.short(stored, s.avail)
	}
	if err := checkLimit[T](s.name, s.what, s.shape, limit); err != nil {
		return nil, err
	}
	capElems := n
	if s.avail < 0 {
		capElems = min(n, growElems)
	}
	data := make([]T, 0, capElems)
	direct := s.dtype == DTypeOf[T]() && s.big != hostLittle
	var raw []byte
	var re []float64
	var cx []complex128
	if !direct {
		raw = make([]byte, min(n, chunkElems)*size)
		re = make([]float64, min(n, chunkElems))
		if s.dtype.IsComplex() {
			cx = make([]complex128, min(n, chunkElems))
		}
	}
	for len(data) < n {
		if len(data) == cap(data) {
			grown := make([]T, len(data), min(n, 2*cap(data)))
			copy(grown, data)
			data = grown
		}
		k := cap(data) - len(data)
		if !direct {
			k = min(k, chunkElems)
		}
		seg := data[len(data) : len(data)+k]
		buf := asBytes(seg)
		if !direct {
			buf = raw[:k*size]
		}
		if got, err := io.ReadFull(s.r, buf); err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
				return nil, s.short(stored, int64(len(data))*int64(size)+int64(got))
			}
			return nil, &Error{Name: s.name, Offset: -1, Msg: "reading data: " + err.Error(), Err: err}
		}
		if !direct {
			if s.big {
				swapBytes(buf, s.dtype)
			}
			var err error
			if s.dtype.IsComplex() {
				decodeComplex(cx[:k], buf, s.dtype)
				err = fromComplex(seg, cx[:k], re[:k], len(data))
			} else {
				decodeReal(re[:k], buf, s.dtype)
				err = fromReal(seg, re[:k], len(data))
			}
			if err != nil {
				return nil, errorf(s.name, -1, "%s", err)
			}
		}
		data = data[:len(data)+k]
	}
	if s.fortran && len(s.shape) > 1 {
		strides := make([]int, len(s.shape))
		acc := 1
		for k, d := range s.shape {
			strides[k] = acc
			acc *= max(d, 1)
		}
		return tensor.View(data, s.shape, strides, 0), nil
	}
	return tensor.FromSlice(data, s.shape...)
}

// short reports data that ends before the header's shape is filled.
func (s *source) short(want, have int64) error {
	return &Error{Name: s.name, Offset: -1, Err: io.ErrUnexpectedEOF,
		Msg: fmt.Sprintf("header says %s (%d bytes) but only %d bytes follow", s.what, want, have)}
}

// remaining returns how many bytes r still holds when r can tell (a bytes or
// strings reader, a seekable file), and −1 otherwise.
func remaining(r io.Reader) (int64, error) {
	switch v := r.(type) {
	case interface{ Len() int }:
		return int64(v.Len()), nil
	case io.Seeker:
		cur, err := v.Seek(0, io.SeekCurrent)
		if err != nil {
			return -1, nil // not seekable (a pipe): unknown
		}
		end, err := v.Seek(0, io.SeekEnd)
		if err != nil {
			return -1, nil
		}
		if _, err := v.Seek(cur, io.SeekStart); err != nil {
			return -1, err
		}
		return end - cur, nil
	}
	return -1, nil
}

// pyShape formats a shape as a Python tuple: (), (3,), (3, 4).
func pyShape(shape []int) string {
	var b strings.Builder
	b.WriteByte('(')
	for k, d := range shape {
		if k > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(d))
	}
	if len(shape) == 1 {
		b.WriteByte(',')
	}
	b.WriteByte(')')
	return b.String()
}

// jsonShape formats a shape as a JSON list: [], [3, 4].
func jsonShape(shape []int) string {
	s := make([]string, len(shape))
	for k, d := range shape {
		s[k] = strconv.Itoa(d)
	}
	return "[" + strings.Join(s, ", ") + "]"
}
