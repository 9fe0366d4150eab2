package tensorio

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/strand-tn/strand/tensor"
)

// The .safetensors format (github.com/huggingface/safetensors): an 8-byte
// little-endian header length N, N bytes of UTF-8 JSON
//
//	{"__metadata__": {"k": "v"}, "name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}, …}
//
// padded with spaces, then the data buffer. Offsets are relative to the buffer;
// tensors are little-endian, row-major, and must tile the buffer exactly, without
// gaps or overlaps.

// MaxSafetensorsHeader is the largest header accepted, as in the reference
// implementation: 100 MB.
const MaxSafetensorsHeader = 100_000_000

// Safetensors is an opened .safetensors file: its header has been read and
// validated, and tensors are read on demand through the io.ReaderAt, so a large
// model need not be loaded whole.
type Safetensors struct {
	name    string
	r       io.ReaderAt
	base    int64 // file offset of the data buffer: 8 + N
	names   []string
	entries map[string]stEntry
	meta    map[string]string
	lim     int64
}

type stEntry struct {
	info       Info
	begin, end int64
}

// stHeaderEntry is one tensor's JSON object; pointers tell missing fields apart.
type stHeaderEntry struct {
	DType   *string  `json:"dtype"`
	Shape   *[]int64 `json:"shape"`
	Offsets *[]int64 `json:"data_offsets"`
}

// OpenSafetensors reads and validates the header of the .safetensors file r
// (size bytes): the header length is at most [MaxSafetensorsHeader] and inside
// the file, the JSON is valid UTF-8 without duplicate names, every dtype is
// known, every byte range matches its shape and dtype, and the ranges tile the
// data buffer exactly.
func OpenSafetensors(r io.ReaderAt, size int64, opt Options) (*Safetensors, error) {
	return openSafetensors(r, size, "safetensors", opt)
}

func openSafetensors(r io.ReaderAt, size int64, name string, opt Options) (*Safetensors, error) {
	var pre [8]byte
	if size < 8 {
		return nil, &Error{Name: name, Offset: -1, Err: io.ErrUnexpectedEOF,
			Msg: fmt.Sprintf("file is %d bytes, too short for the 8-byte header length", size)}
	}
	if m, err := r.ReadAt(pre[:], 0); m < len(pre) {
		return nil, &Error{Name: name, Offset: 0, Msg: "reading: " + err.Error(), Err: err}
	}
	n := binary.LittleEndian.Uint64(pre[:])
	if n > MaxSafetensorsHeader {
		return nil, errorf(name, 0, "header length %d is over the %d-byte limit", n, MaxSafetensorsHeader)
	}
	if int64(n) > size-8 {
		return nil, &Error{Name: name, Offset: 0, Err: io.ErrUnexpectedEOF,
			Msg: fmt.Sprintf("header length %d runs past the end of the file (%d bytes)", n, size)}
	}
	hdr := make([]byte, n)
	if m, err := r.ReadAt(hdr, 8); m < len(hdr) {
		return nil, &Error{Name: name, Offset: 8, Msg: "reading header: " + err.Error(), Err: err}
	}
	s := &Safetensors{name: name, r: r, base: 8 + int64(n), entries: map[string]stEntry{}, lim: opt.limit()}
	if err := s.parseHeader(hdr); err != nil {
		return nil, err
	}
	if err := s.checkLayout(size - s.base); err != nil {
		return nil, err
	}
	return s, nil
}

// parseHeader reads the JSON header; offsets in errors count from the file start.
func (s *Safetensors) parseHeader(hdr []byte) error {
	fail := func(pos int64, format string, args ...any) error {
		return errorf(s.name, 8+pos, format, args...)
	}
	if !utf8.Valid(hdr) {
		return fail(0, "header is not valid UTF-8")
	}
	if len(hdr) == 0 || hdr[0] != '{' {
		return fail(0, "header does not start with '{'")
	}
	// Validate the whole text first: its syntax errors carry reliable offsets,
	// and only white space may follow the object.
	if err := json.Unmarshal(hdr, new(json.RawMessage)); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return fail(se.Offset-1, "header JSON: %s", se.Error())
		}
		return fail(0, "header JSON: %s", err)
	}
	dec := json.NewDecoder(bytes.NewReader(hdr))
	jsonErr := func(err error) error { return fail(dec.InputOffset(), "header JSON: %s", err) }
	if _, err := dec.Token(); err != nil { // the '{' checked above
		return jsonErr(err)
	}
	for dec.More() {
		pos := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return jsonErr(err)
		}
		key, ok := tok.(string)
		if !ok {
			return fail(pos, "expected a tensor name, found %v", tok)
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return jsonErr(err)
		}
		if key == "__metadata__" {
			if s.meta != nil {
				return fail(pos, "duplicate \"__metadata__\"")
			}
			if err := json.Unmarshal(raw, &s.meta); err != nil || s.meta == nil {
				return fail(pos, "\"__metadata__\" must map strings to strings")
			}
			continue
		}
		if _, dup := s.entries[key]; dup {
			return fail(pos, "duplicate tensor name %q", key)
		}
		e, err := parseEntry(key, raw)
		if err != nil {
			return fail(pos, "%s", err)
		}
		s.entries[key] = e
		s.names = append(s.names, key)
	}
	return nil
}

// parseEntry checks one tensor's fields.
func parseEntry(name string, raw json.RawMessage) (stEntry, error) {
	var h stHeaderEntry
	if err := json.Unmarshal(raw, &h); err != nil {
		return stEntry{}, fmt.Errorf("tensor %q: %v", name, err)
	}
	if h.DType == nil || h.Shape == nil || h.Offsets == nil {
		return stEntry{}, fmt.Errorf("tensor %q needs \"dtype\", \"shape\" and \"data_offsets\"", name)
	}
	e := stEntry{info: Info{Name: name}}
	for d := Bool; d <= Complex128; d++ {
		if dtypes[d].st != "" && dtypes[d].st == *h.DType {
			e.info.DType = d
		}
	}
	if e.info.DType == 0 {
		return e, fmt.Errorf("tensor %q: unsupported dtype %q", name, *h.DType)
	}
	e.info.Shape = make([]int, len(*h.Shape))
	for k, d := range *h.Shape {
		if d < 0 || int64(int(d)) != d {
			return e, fmt.Errorf("tensor %q: shape %v has an invalid dimension %d", name, *h.Shape, d)
		}
		e.info.Shape[k] = int(d)
	}
	off := *h.Offsets
	if len(off) != 2 || off[0] < 0 || off[1] < off[0] {
		return e, fmt.Errorf("tensor %q: data_offsets %v is not a range [begin, end]", name, off)
	}
	e.begin, e.end = off[0], off[1]
	want, ok := storedBytes(e.info.Shape, e.info.DType)
	if !ok || want != e.end-e.begin {
		need := "more bytes than an int64 counts"
		if ok {
			need = fmt.Sprintf("%d", want)
		}
		return e, fmt.Errorf("tensor %q: data_offsets [%d, %d] hold %d bytes but shape %s of %s needs %s",
			name, e.begin, e.end, e.end-e.begin, jsonShape(e.info.Shape), *h.DType, need)
	}
	return e, nil
}

// checkLayout sorts the tensors by offset and checks that they tile the data
// buffer of length buf.
func (s *Safetensors) checkLayout(buf int64) error {
	slices.SortStableFunc(s.names, func(a, b string) int {
		ea, eb := s.entries[a], s.entries[b]
		if ea.begin != eb.begin {
			return cmp.Compare(ea.begin, eb.begin)
		}
		return cmp.Compare(ea.end, eb.end)
	})
	var at int64
	prev := ""
	for _, n := range s.names {
		e := s.entries[n]
		if e.begin != at {
			what := "the start of the data buffer"
			if prev != "" {
				what = fmt.Sprintf("the end of tensor %q", prev)
			}
			return errorf(s.name, -1, "tensor %q starts at byte %d of the data buffer, but %s is at %d (tensors must tile the buffer without gaps or overlaps)", n, e.begin, what, at)
		}
		at, prev = e.end, n
	}
	if at != buf {
		msg := fmt.Sprintf("tensors cover %d bytes but the data buffer holds %d", at, buf)
		if at > buf {
			return &Error{Name: s.name, Offset: -1, Err: io.ErrUnexpectedEOF, Msg: msg}
		}
		return errorf(s.name, -1, "%s", msg)
	}
	return nil
}

// Names lists the tensors in the order of their data.
func (s *Safetensors) Names() []string { return slices.Clone(s.names) }

// Info describes the named tensor.
func (s *Safetensors) Info(name string) (Info, bool) {
	e, ok := s.entries[name]
	if !ok {
		return Info{}, false
	}
	info := e.info
	info.Shape = slices.Clone(info.Shape)
	return info, true
}

// Metadata returns the "__metadata__" map (nil when absent).
func (s *Safetensors) Metadata() map[string]string {
	if s.meta == nil {
		return nil
	}
	m := make(map[string]string, len(s.meta))
	for k, v := range s.meta {
		m[k] = v
	}
	return m
}

func (s *Safetensors) label() string { return s.name }
func (s *Safetensors) limit() int64  { return s.lim }

func (s *Safetensors) source(name string) (*source, func() error, error) {
	e := s.entries[name]
	return &source{
		name: s.name + ": " + name, dtype: e.info.DType, shape: e.info.Shape,
		what: fmt.Sprintf("shape %s of %s", jsonShape(e.info.Shape), dtypes[e.info.DType].st),
		r:    io.NewSectionReader(s.r, s.base+e.begin, e.end-e.begin), avail: e.end - e.begin,
	}, func() error { return nil }, nil
}

// WriteSafetensors writes the tensors to w as a .safetensors file as the
// reference implementation does: tensors sorted by name, data packed in that
// order, opt.Metadata as "__metadata__", the header padded with spaces to a
// multiple of 8 bytes. The stored type is opt.DType or the one matching T
// (F64, F32, C64; complex128 has no safetensors dtype); Float16 and BFloat16
// round to nearest, ties to even.
func WriteSafetensors[T tensor.Elem](w io.Writer, tensors map[string]*tensor.Dense[T], opt Options) error {
	return writeSafetensors(w, tensors, opt, "safetensors")
}

func writeSafetensors[T tensor.Elem](w io.Writer, tensors map[string]*tensor.Dense[T], opt Options, name string) error {
	dt := opt.DType
	if dt == 0 {
		dt = DTypeOf[T]()
	}
	if !dt.valid() || dtypes[dt].st == "" {
		return errorf(name, -1, "the safetensors format cannot store %s", dt)
	}
	names := make([]string, 0, len(tensors))
	for n := range tensors {
		if n == "__metadata__" {
			return errorf(name, -1, "a tensor cannot be named \"__metadata__\"")
		}
		names = append(names, n)
	}
	slices.Sort(names)
	var hdr strings.Builder
	hdr.WriteByte('{')
	if len(opt.Metadata) > 0 {
		keys := make([]string, 0, len(opt.Metadata))
		for k := range opt.Metadata {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		hdr.WriteString(`"__metadata__":{`)
		for i, k := range keys {
			if i > 0 {
				hdr.WriteByte(',')
			}
			fmt.Fprintf(&hdr, "%s:%s", jsonString(k), jsonString(opt.Metadata[k]))
		}
		hdr.WriteByte('}')
	}
	var off int64
	for i, n := range names {
		shape := tensors[n].Shape()
		size, _ := storedBytes(shape, dt)
		if i > 0 || len(opt.Metadata) > 0 {
			hdr.WriteByte(',')
		}
		dims := make([]string, len(shape))
		for k, d := range shape {
			dims[k] = fmt.Sprint(d)
		}
		fmt.Fprintf(&hdr, `%s:{"dtype":"%s","shape":[%s],"data_offsets":[%d,%d]}`, jsonString(n), dtypes[dt].st, strings.Join(dims, ","), off, off+size)
		off += size
	}
	hdr.WriteByte('}')
	for hdr.Len()%8 != 0 {
		hdr.WriteByte(' ')
	}
	pre := binary.LittleEndian.AppendUint64(nil, uint64(hdr.Len()))
	if err := writeAll(w, append(pre, hdr.String()...), name); err != nil {
		return err
	}
	for _, n := range names {
		if err := encode(w, tensors[n].Data(), dt, name+": "+n); err != nil {
			return err
		}
	}
	return nil
}

// jsonString quotes s as JSON without HTML escaping (as serde_json writes it).
func jsonString(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // encoding a string cannot fail
	return strings.TrimSuffix(b.String(), "\n")
}
