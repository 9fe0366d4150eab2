package tensorio

import (
	"io"

	"github.com/strand-tn/strand/tensor"
)

// encode writes data to w as little-endian elements of dt. When dt is T's own
// type on a little-endian machine the memory is written as is; otherwise the
// elements are converted in chunks (see encodeReal and encodeComplex for what is
// representable).
func encode[T tensor.Elem](w io.Writer, data []T, dt DType, name string) error {
	if dt == DTypeOf[T]() && hostLittle {
		return writeAll(w, asBytes(data), name)
	}
	size := dt.Size()
	k := min(len(data), chunkElems)
	buf := make([]byte, k*size)
	re := make([]float64, k)
	var cx []complex128
	if dt.IsComplex() {
		cx = make([]complex128, k)
	}
	for i := 0; i < len(data); i += chunkElems {
		seg := data[i:min(i+chunkElems, len(data))]
		b := buf[:len(seg)*size]
		var err error
		if dt.IsComplex() {
			toComplex(cx[:len(seg)], seg)
			err = encodeComplex(b, cx[:len(seg)], i, dt)
		} else if err = toReal(re[:len(seg)], seg, i, dt); err == nil {
			err = encodeReal(b, re[:len(seg)], i, dt)
		}
		if err != nil {
			return errorf(name, -1, "%s", err)
		}
		if err := writeAll(w, b, name); err != nil {
			return err
		}
	}
	return nil
}

// writeAll writes b, reporting a failure as an *Error.
func writeAll(w io.Writer, b []byte, name string) error {
	if _, err := w.Write(b); err != nil {
		return &Error{Name: name, Offset: -1, Msg: "writing: " + err.Error(), Err: err}
	}
	return nil
}
