package tensorio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/strand-tn/strand/tensor"
)

// The .npy format (numpy's NEP 1, numpy/lib/format.py): the magic string
// "\x93NUMPY", a major and minor version byte, the header length (uint16 for
// version 1.0, uint32 for 2.0 and 3.0, little-endian), and the header: a Python
// dict literal {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }
// padded with spaces and a newline so that the data starts at a multiple of 64
// bytes. Versions 1.0 and 2.0 encode the header as latin-1, 3.0 as UTF-8. The
// data follows, C (row-major) or Fortran (column-major) order.

var npyMagic = []byte("\x93NUMPY")

// maxNPYHeader bounds the header length read: real headers are under a few
// hundred bytes, and a version 2.0 length field could otherwise claim 4 GiB.
const maxNPYHeader = 1 << 20

// npyAlign is the alignment of the data that numpy's writer pads the header to.
const npyAlign = 64

// NPYHeader describes a .npy file without its data.
type NPYHeader struct {
	Major, Minor int   // format version: 1.0, 2.0 or 3.0
	DType        DType // stored element type
	BigEndian    bool  // data stored most significant byte first (descr '>')
	FortranOrder bool  // data stored column-major
	Shape        []int // () for a scalar
	DataOffset   int64 // bytes before the data: magic, version, length and header

	descr string // the descr as written, for messages
}

// ReadNPYHeader reads a .npy header from r, leaving r at the first data byte.
func ReadNPYHeader(r io.Reader) (NPYHeader, error) { return readNPYHeader(r, "npy") }

// ReadNPY reads a .npy array from r and converts it to element type T with the
// default [Options]; see [ReadNPYWith].
func ReadNPY[T tensor.Elem](r io.Reader) (*tensor.Dense[T], error) {
	return ReadNPYWith[T](r, Options{})
}

// ReadNPYWith reads one .npy array from r and converts it to T. Any stored type
// converts to any element type, except that complex data reads as a real type
// only when every imaginary part is zero, and a finite value beyond float32's
// range is an error for float32 and complex64. Integers convert to the nearest
// float (exact up to 2⁵³ for float64, 2²⁴ for float32).
//
// Fortran-order data comes back as a column-major strided view over the data
// read (no copy); [tensor.Dense.Contiguous] gives a row-major copy. r is read
// exactly to the end of the array, so several arrays written back to back can be
// read in turn. When r can tell its remaining length (a bytes reader, a file),
// a header promising more data than is left is rejected before any allocation;
// otherwise memory grows with the data received. The result may use at most
// opt.MaxBytes.
func ReadNPYWith[T tensor.Elem](r io.Reader, opt Options) (*tensor.Dense[T], error) {
	return readNPY[T](r, "npy", -1, opt.limit())
}

// readNPY reads one array; size is the length of the whole .npy stream when
// known, else −1 (and r is asked for its remaining length).
func readNPY[T tensor.Elem](r io.Reader, name string, size, limit int64) (*tensor.Dense[T], error) {
	h, err := readNPYHeader(r, name)
	if err != nil {
		return nil, err
	}
	avail := int64(-1)
	if size >= 0 {
		avail = size - h.DataOffset
	} else if avail, err = remaining(r); err != nil {
		return nil, &Error{Name: name, Offset: -1, Msg: err.Error(), Err: err}
	}
	return decode[T](h.source(r, name, avail), limit)
}

// source prepares the data after header h for decoding.
func (h *NPYHeader) source(r io.Reader, name string, avail int64) *source {
	return &source{
		name: name, dtype: h.DType, big: h.BigEndian, fortran: h.FortranOrder, shape: h.Shape,
		what: fmt.Sprintf("shape %s of %s", pyShape(h.Shape), h.descr), r: r, avail: avail,
	}
}

func readNPYHeader(r io.Reader, name string) (NPYHeader, error) {
	var h NPYHeader
	pre := make([]byte, 12)
	n, err := io.ReadFull(r, pre[:10])
	if n == 0 && err == io.EOF {
		return h, &Error{Name: name, Offset: -1, Msg: "empty, not a .npy file", Err: io.ErrUnexpectedEOF}
	}
	if m := min(n, len(npyMagic)); !bytes.Equal(pre[:m], npyMagic[:m]) {
		return h, errorf(name, 0, "not a .npy file: it does not start with the magic string \"\\x93NUMPY\"")
	}
	if err != nil {
		return h, readErr(name, n, err, "in the 10-byte preamble")
	}
	h.Major, h.Minor = int(pre[6]), int(pre[7])
	var hlen int64
	switch {
	case h.Major == 1 && h.Minor == 0:
		hlen, h.DataOffset = int64(binary.LittleEndian.Uint16(pre[8:10])), 10
	case (h.Major == 2 || h.Major == 3) && h.Minor == 0:
		if n, err := io.ReadFull(r, pre[10:12]); err != nil {
			return h, readErr(name, 10+n, err, "in the 12-byte preamble")
		}
		hlen, h.DataOffset = int64(binary.LittleEndian.Uint32(pre[8:12])), 12
	default:
		return h, errorf(name, 6, "unsupported .npy format version %d.%d (1.0, 2.0 and 3.0 are known)", h.Major, h.Minor)
	}
	start := h.DataOffset
	if hlen > maxNPYHeader {
		return h, errorf(name, 8, "header length %d is over the %d-byte limit", hlen, maxNPYHeader)
	}
	text := make([]byte, hlen)
	if n, err := io.ReadFull(r, text); err != nil {
		return h, readErr(name, int(start)+n, err, fmt.Sprintf("in the %d-byte header", hlen))
	}
	h.DataOffset += hlen
	if h.Major == 3 && !utf8.Valid(text) {
		return h, errorf(name, start, "version 3.0 header is not valid UTF-8")
	}
	v, perr := pyParse(string(text))
	if perr != nil {
		return h, errorf(name, start+int64(perr.pos), "header: %s", perr.msg)
	}
	if err := h.fill(v); err != nil {
		err.Offset += start
		err.Name = name
		return h, err
	}
	return h, nil
}

// readErr reports a read failure after n bytes.
func readErr(name string, n int, err error, where string) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &Error{Name: name, Offset: -1, Err: io.ErrUnexpectedEOF, Msg: fmt.Sprintf("file ends after %d bytes, %s", n, where)}
	}
	return &Error{Name: name, Offset: -1, Msg: err.Error(), Err: err}
}

// fill checks the header dict and copies its fields into h. Offsets in the
// returned error are relative to the header text.
func (h *NPYHeader) fill(v pyValue) *Error {
	if v.kind != pyDict {
		return errorf("", int64(v.pos), "header is %s, not a dict", pyKindNames[v.kind])
	}
	seen := map[string]pyValue{}
	for k := 0; k < len(v.items); k += 2 {
		key := v.items[k]
		if key.kind != pyStr {
			return errorf("", int64(key.pos), "header key is %s, not a string", pyKindNames[key.kind])
		}
		switch key.str {
		case "descr", "fortran_order", "shape":
		default:
			return errorf("", int64(key.pos), "unexpected header key %q (a .npy header holds exactly 'descr', 'fortran_order' and 'shape')", key.str)
		}
		if _, dup := seen[key.str]; dup {
			return errorf("", int64(key.pos), "duplicate header key %q", key.str)
		}
		seen[key.str] = v.items[k+1]
	}
	for _, key := range []string{"descr", "fortran_order", "shape"} {
		if _, ok := seen[key]; !ok {
			return errorf("", -1, "header lacks the key %q", key)
		}
	}
	if d := seen["descr"]; d.kind != pyStr {
		if d.kind == pyList {
			return errorf("", int64(d.pos), "structured dtypes (a list descr) are not supported")
		}
		return errorf("", int64(d.pos), "descr is %s, not a string", pyKindNames[d.kind])
	} else if err := h.parseDescr(d.str); err != nil {
		err.Offset = int64(d.pos)
		return err
	}
	fo := seen["fortran_order"]
	if fo.kind != pyBool {
		return errorf("", int64(fo.pos), "fortran_order is %s, not True or False", pyKindNames[fo.kind])
	}
	h.FortranOrder = fo.b
	sh := seen["shape"]
	if sh.kind != pyTuple {
		return errorf("", int64(sh.pos), "shape is %s, not a tuple", pyKindNames[sh.kind])
	}
	h.Shape = make([]int, len(sh.items))
	for k, d := range sh.items {
		if d.kind != pyInt {
			return errorf("", int64(d.pos), "shape entry %d is %s, not an integer", k, pyKindNames[d.kind])
		}
		if d.num < 0 || d.num > math.MaxInt {
			return errorf("", int64(d.pos), "shape entry %d is %d, not a valid dimension", k, d.num)
		}
		h.Shape[k] = int(d.num)
	}
	if _, ok := storedBytes(h.Shape, h.DType); !ok {
		return errorf("", int64(sh.pos), "shape %s of %s has more bytes than a file can hold", pyShape(h.Shape), h.descr)
	}
	return nil
}

// parseDescr reads a simple dtype string: a byte order ('<' little, '>' big,
// '|' or '=' or nothing: this machine's order) and a type code such as f8.
func (h *NPYHeader) parseDescr(s string) *Error {
	h.descr = s
	code, order := s, byte('=')
	if s != "" && strings.IndexByte("<>|=", s[0]) >= 0 {
		code, order = s[1:], s[0]
	}
	for d := Bool; d <= Complex128; d++ {
		if c := dtypes[d].npy; c != "" && c == code {
			h.DType = d
			h.BigEndian = order == '>' || (order == '|' || order == '=') && !hostLittle
			return nil
		}
	}
	return errorf("", -1, "unsupported dtype %q (supported: b1 i1 u1 i2 u2 i4 u4 i8 u8 f2 f4 f8 c8 c16)", s)
}

// WriteNPY writes t to w as a .npy file with the default [Options]; see [WriteNPYWith].
func WriteNPY[T tensor.Elem](w io.Writer, t *tensor.Dense[T]) error {
	return WriteNPYWith(w, t, Options{})
}

// WriteNPYWith writes t to w as numpy.save would: format version 1.0 (2.0 when
// the header needs more than 65535 bytes), C order, little-endian, the header
// padded so the data starts at a multiple of 64 bytes. The stored type is
// opt.DType, or the one matching T ('<f8', '<f4', '<c16', '<c8'). Values the
// stored type cannot hold are an error, and w may then hold a partial file
// ([WriteFile] never leaves one).
func WriteNPYWith[T tensor.Elem](w io.Writer, t *tensor.Dense[T], opt Options) error {
	return writeNPY(w, t, opt.DType, "npy")
}

func writeNPY[T tensor.Elem](w io.Writer, t *tensor.Dense[T], dt DType, name string) error {
	if dt == 0 {
		dt = DTypeOf[T]()
	}
	if !dt.valid() || dtypes[dt].npy == "" {
		return errorf(name, -1, "the .npy format cannot store %s", dt)
	}
	if err := writeAll(w, npyHeader(dt, t.Shape()), name); err != nil {
		return err
	}
	return encode(w, t.Data(), dt, name)
}

// npyDescr returns numpy's descr for dt stored little-endian: '|' marks
// one-byte types, whose byte order does not matter.
func npyDescr(dt DType) string {
	if dt.Size() == 1 {
		return "|" + dtypes[dt].npy
	}
	return "<" + dtypes[dt].npy
}

// npyHeader returns the preamble and header numpy writes for a C-order array:
// the dict, 21 − len(str(shape[0])) spaces of room to grow the first axis in
// place, then spaces and a newline up to a multiple of 64 bytes.
func npyHeader(dt DType, shape []int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "{'descr': '%s', 'fortran_order': False, 'shape': %s, }", npyDescr(dt), pyShape(shape))
	if len(shape) > 0 {
		b.WriteString(strings.Repeat(" ", max(0, 21-len(strconv.Itoa(shape[0])))))
	}
	dict := b.String()
	hlen := len(dict) + 1 // with the final newline
	major, lenBytes := 1, 2
	pad := npyAlign - (len(npyMagic)+2+lenBytes+hlen)%npyAlign
	if hlen+pad > math.MaxUint16 {
		major, lenBytes = 2, 4
		pad = npyAlign - (len(npyMagic)+2+lenBytes+hlen)%npyAlign
	}
	out := make([]byte, 0, len(npyMagic)+2+lenBytes+hlen+pad)
	out = append(out, npyMagic...)
	out = append(out, byte(major), 0)
	if major == 1 {
		out = binary.LittleEndian.AppendUint16(out, uint16(hlen+pad))
	} else {
		out = binary.LittleEndian.AppendUint32(out, uint32(hlen+pad))
	}
	out = append(out, dict...)
	out = append(out, bytes.Repeat([]byte{' '}, pad)...)
	return append(out, '\n')
}
