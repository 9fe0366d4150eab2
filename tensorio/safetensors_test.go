package tensorio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/strand-tn/strand/tensor"
)

func openST(t *testing.T, b []byte, opt Options) *Safetensors {
	t.Helper()
	s, err := OpenSafetensors(bytes.NewReader(b), int64(len(b)), opt)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestReadSafetensorsFixture(t *testing.T) {
	b := fixture(t, "python.safetensors")
	s := openST(t, b, Options{})
	want := []string{"bf16", "bool", "empty", "f16", "f32", "f64", "i16", "i32", "i64", "i8", "scalar", "u8"}
	if got := s.Names(); !slices.Equal(got, want) {
		t.Fatalf("names %v", got)
	}
	if m := s.Metadata(); !maps.Equal(m, map[string]string{"format": "np", "source": "gen.py"}) {
		t.Fatalf("metadata %v", m)
	}
	kinds := map[string]byte{"bf16": 'f', "bool": 'b', "f16": 'f', "f32": 'f', "f64": 'f', "i16": 'i', "i32": 'i', "i64": 'i', "i8": 'i', "u8": 'u'}
	dts := map[string]DType{"bf16": BFloat16, "bool": Bool, "f16": Float16, "f32": Float32, "f64": Float64, "i16": Int16, "i32": Int32, "i64": Int64, "i8": Int8, "u8": Uint8}
	for name, kind := range kinds {
		info, ok := s.Info(name)
		if !ok || info.DType != dts[name] || !slices.Equal(info.Shape, []int{2, 3}) {
			t.Fatalf("%s: info %+v", name, info)
		}
		x, err := Get[float32](s, name)
		if err != nil {
			t.Fatal(err)
		}
		if got := asComplex(x); !slices.Equal(got, fixtureValues(kind, 6)) {
			t.Errorf("%s: %v", name, got)
		}
	}
	all, err := ReadAll[complex128](s)
	if err != nil {
		t.Fatal(err)
	}
	if all["scalar"].Rank() != 0 || all["scalar"].Item() != 2.5 || !slices.Equal(all["empty"].Shape(), []int{0, 3}) || len(all) != 12 {
		t.Fatalf("all: %v", all)
	}
}

// The reference implementation's own serialization tests (safetensors/src/tensor.rs):
// the writer must produce exactly these bytes.
func TestWriteSafetensorsReferenceBytes(t *testing.T) {
	cases := []struct {
		tensors map[string]*tensor.Dense[float32]
		meta    map[string]string
		want    []byte
	}{
		{
			map[string]*tensor.Dense[float32]{"attn.0": tensor.Arange[float32](6).MustReshape(1, 2, 3)}, nil,
			[]byte{64, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 46, 48, 34, 58, 123, 34, 100,
				116, 121, 112, 101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34,
				58, 91, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102, 115,
				101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 0, 0, 0, 0, 0, 0, 128, 63,
				0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64},
		},
		{
			map[string]*tensor.Dense[float32]{"attn0": tensor.Arange[float32](6).MustReshape(1, 1, 2, 3)}, nil,
			[]byte{72, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 48, 34, 58, 123, 34, 100, 116,
				121, 112, 101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34, 58,
				91, 49, 44, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102,
				115, 101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 32, 32, 32, 32, 32,
				32, 32, 0, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0,
				160, 64},
		},
		{nil, nil, []byte{8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32}},
		{nil, map[string]string{"framework": "pt"}, []byte{40, 0, 0, 0, 0, 0, 0, 0, 123, 34, 95, 95, 109, 101, 116, 97, 100, 97, 116, 97, 95,
			95, 34, 58, 123, 34, 102, 114, 97, 109, 101, 119, 111, 114, 107, 34, 58, 34, 112,
			116, 34, 125, 125, 32, 32, 32, 32, 32}},
	}
	for i, c := range cases {
		var buf bytes.Buffer
		if err := WriteSafetensors(&buf, c.tensors, Options{Metadata: c.meta}); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), c.want) {
			t.Errorf("case %d:\n got %q\nwant %q", i, buf.Bytes(), c.want)
		}
		s := openST(t, buf.Bytes(), Options{})
		if len(s.Names()) != len(c.tensors) || !maps.Equal(s.Metadata(), c.meta) {
			t.Errorf("case %d: reads back %v %v", i, s.Names(), s.Metadata())
		}
	}
}

func stWrite[T tensor.Elem](w io.Writer, x *tensor.Dense[T], dt DType) error {
	return WriteSafetensors(w, map[string]*tensor.Dense[T]{"x": x}, Options{DType: dt})
}

func stRead[T tensor.Elem](b []byte) (*tensor.Dense[T], error) {
	s, err := OpenSafetensors(bytes.NewReader(b), int64(len(b)), Options{})
	if err != nil {
		return nil, err
	}
	return Get[T](s, "x")
}

func TestSafetensorsRoundTrip(t *testing.T) {
	for dt := Bool; dt <= Complex64; dt++ {
		for _, shape := range roundTripShapes {
			roundTrip(t, dt, shape, stWrite[complex128], stRead[complex128])
			roundTrip(t, dt, shape, stWrite[complex64], stRead[complex64])
			roundTrip(t, dt, shape, stWrite[float64], stRead[float64])
			roundTrip(t, dt, shape, stWrite[float32], stRead[float32])
		}
	}
	r := tensor.NewRand(3)
	in := map[string]*tensor.Dense[float32]{
		"wte.weight":             tensor.RandNormal[float32](r, 10, 4),
		"h.0.attn.c_attn.weight": tensor.RandNormal[float32](r, 4, 12),
		"h.0.attn.c_attn.bias":   tensor.RandNormal[float32](r, 12),
		"ln_f.weight":            tensor.RandNormal[float32](r, 4),
	}
	var buf bytes.Buffer
	if err := WriteSafetensors(&buf, in, Options{Metadata: map[string]string{"format": "pt"}}); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "gpt2-like.safetensors", buf.Bytes())
	out, err := ReadAll[float32](openST(t, buf.Bytes(), Options{}))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range in {
		if !tensor.AllClose(out[k], v, 0, 0) {
			t.Fatalf("%s differs", k)
		}
	}
	if err := WriteSafetensors(io.Discard, map[string]*tensor.Dense[complex128]{"x": tensor.Scalar(1i)}, Options{}); err == nil || !strings.Contains(err.Error(), "cannot store complex128") {
		t.Fatalf("complex128: %v", err)
	}
	if err := WriteSafetensors(io.Discard, map[string]*tensor.Dense[float64]{"__metadata__": tensor.Scalar(1.0)}, Options{}); err == nil {
		t.Fatal("tensor named __metadata__ accepted")
	}
}

// TestWriteSafetensorsHalf checks the stored bits of F16 and BF16 writes,
// including ties, which round to the even neighbour.
func TestWriteSafetensorsHalf(t *testing.T) {
	x := tensor.MustFromSlice([]float64{1, -2.5, 1 + 1.0/2048, 1 + 3.0/2048, 65504, 1 + 1.0/256, 1 + 3.0/256, 3e38}, 8)
	for _, c := range []struct {
		dt   DType
		n    int
		want []uint16
	}{
		{Float16, 5, []uint16{0x3c00, 0xc100, 0x3c00, 0x3c02, 0x7bff}},
		{BFloat16, 8, []uint16{0x3f80, 0xc020, 0x3f80, 0x3f80, 0x4780, 0x3f80, 0x3f82, 0x7f62}},
	} {
		var buf bytes.Buffer
		if err := WriteSafetensors(&buf, map[string]*tensor.Dense[float64]{"x": x.Slice(0, 0, c.n, 1)}, Options{DType: c.dt}); err != nil {
			t.Fatal(err)
		}
		data := buf.Bytes()[len(buf.Bytes())-2*c.n:]
		for k, w := range c.want {
			if got := binary.LittleEndian.Uint16(data[2*k:]); got != w {
				t.Errorf("%s element %d (%v): %#04x, want %#04x", c.dt, k, x.At(k), got, w)
			}
		}
	}
	err := WriteSafetensors(io.Discard, map[string]*tensor.Dense[float64]{"x": x}, Options{DType: Float16})
	if err == nil || err.Error() != "tensorio: safetensors: x: element 7 (3e+38) overflows float16" {
		t.Fatalf("overflow: %v", err)
	}
}

// stFile builds a .safetensors file from header JSON and a data buffer.
func stFile(header string, data []byte) []byte {
	b := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
	return append(append(b, header...), data...)
}

func TestSafetensorsErrors(t *testing.T) {
	f32 := func(name string, shape string, lo, hi int) string {
		return `"` + name + `":{"dtype":"F32","shape":` + shape + `,"data_offsets":[` + strconv.Itoa(lo) + `,` + strconv.Itoa(hi) + `]}`
	}
	cases := []struct {
		name string
		in   []byte
		want string
	}{
		{"short", []byte{1, 2, 3}, "tensorio: safetensors: file is 3 bytes, too short for the 8-byte header length"},
		{"empty header", stFile("", nil), "byte 8: header does not start with '{'"},
		{"too long", binary.LittleEndian.AppendUint64(nil, 200_000_000), "byte 0: header length 200000000 is over the 100000000-byte limit"},
		{"past end", append(binary.LittleEndian.AppendUint64(nil, 50), "{}"...), "header length 50 runs past the end of the file (10 bytes)"},
		{"start", stFile(` {}`, nil), "byte 8: header does not start with '{'"},
		{"utf8", stFile("{\"\xff\":1}", nil), "header is not valid UTF-8"},
		{"json", stFile(`{"a":}`, nil), "byte 13: header JSON: invalid character '}'"},
		{"json end", stFile(`{"a":{}`, nil), "byte 14: header JSON: unexpected end of JSON input"},
		{"trailing", stFile(`{} x`, nil), "byte 11: header JSON: invalid character 'x' after top-level value"},
		{"duplicate", stFile(`{`+f32("a", "[1]", 0, 4)+`,`+f32("a", "[1]", 4, 8)+`}`, make([]byte, 8)), `duplicate tensor name "a"`},
		{"fields", stFile(`{"a":{"dtype":"F32","shape":[1]}}`, make([]byte, 4)), `tensor "a" needs "dtype", "shape" and "data_offsets"`},
		{"dtype", stFile(`{"a":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}}`, make([]byte, 1)), `tensor "a": unsupported dtype "F8_E4M3"`},
		{"negative dim", stFile(`{`+f32("a", "[-1]", 0, 4)+`}`, make([]byte, 4)), `tensor "a": shape [-1] has an invalid dimension -1`},
		{"float dim", stFile(`{`+f32("a", "[1.5]", 0, 4)+`}`, make([]byte, 4)), `tensor "a": json: cannot unmarshal number 1.5`},
		{"offsets", stFile(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[4]}}`, make([]byte, 4)), `tensor "a": data_offsets [4] is not a range`},
		{"reversed", stFile(`{`+f32("a", "[1]", 4, 0)+`}`, make([]byte, 4)), `data_offsets [4 0] is not a range`},
		{"size", stFile(`{`+f32("a", "[3,5]", 0, 40)+`}`, make([]byte, 40)), `tensor "a": data_offsets [0, 40] hold 40 bytes but shape [3, 5] of F32 needs 60`},
		{"overflow", stFile(`{`+f32("a", "[4611686018427387904,4]", 0, 4)+`}`, make([]byte, 4)), `needs more bytes than an int64 counts`},
		{"gap", stFile(`{`+f32("a", "[1]", 0, 4)+`,`+f32("b", "[1]", 8, 12)+`}`, make([]byte, 12)), `tensor "b" starts at byte 8 of the data buffer, but the end of tensor "a" is at 4`},
		{"overlap", stFile(`{`+f32("a", "[2]", 0, 8)+`,`+f32("b", "[1]", 4, 8)+`}`, make([]byte, 8)), `tensor "b" starts at byte 4`},
		{"not at 0", stFile(`{`+f32("a", "[1]", 4, 8)+`}`, make([]byte, 8)), `tensor "a" starts at byte 4 of the data buffer, but the start of the data buffer is at 0`},
		{"uncovered", stFile(`{`+f32("a", "[1]", 0, 4)+`}`, make([]byte, 6)), `tensors cover 4 bytes but the data buffer holds 6`},
		{"truncated", stFile(`{`+f32("a", "[3,4]", 0, 48)+`}`, make([]byte, 40)), `tensorio: safetensors: tensors cover 48 bytes but the data buffer holds 40`},
		{"metadata", stFile(`{"__metadata__":{"a":1}}`, nil), `"__metadata__" must map strings to strings`},
		{"metadata null", stFile(`{"__metadata__":null}`, nil), `"__metadata__" must map strings to strings`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := OpenSafetensors(bytes.NewReader(c.in), int64(len(c.in)), Options{})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v\nwant it to contain %q", err, c.want)
			}
		})
	}
	// Complex data read as a real type, and the memory limit.
	var buf bytes.Buffer
	if err := WriteSafetensors(&buf, map[string]*tensor.Dense[complex64]{"z": tensor.MustFromSlice([]complex64{1, 1 + 1i}, 2)}, Options{}); err != nil {
		t.Fatal(err)
	}
	s := openST(t, buf.Bytes(), Options{MaxBytes: 16})
	if _, err := Get[float64](s, "z"); err == nil || err.Error() != "tensorio: safetensors: z: element 1 ((1+1i)) has a non-zero imaginary part; complex data converts to a real type only when every imaginary part is zero" {
		t.Fatalf("complex: %v", err)
	}
	if _, err := Get[complex64](s, "w"); err == nil || err.Error() != `tensorio: safetensors: no tensor named "w" (it holds 1: z)` {
		t.Fatalf("missing: %v", err)
	}
	if _, err := Get[complex128](s, "z"); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "shape [2] of C64 as complex128 needs 32 bytes") {
		t.Fatalf("limit: %v", err)
	}
}

// countingReaderAt records the byte ranges read.
type countingReaderAt struct {
	r     io.ReaderAt
	mu    sync.Mutex
	bytes int64
}

func (c *countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.mu.Lock()
	c.bytes += int64(n)
	c.mu.Unlock()
	return n, err
}

// TestSafetensorsLazy opens a file of ~8 MB and reads one small tensor: only
// the header and that tensor's bytes may be read.
func TestSafetensorsLazy(t *testing.T) {
	in := map[string]*tensor.Dense[float32]{
		"big":   tensor.Zeros[float32](1 << 21),
		"small": tensor.Arange[float32](10),
	}
	var buf bytes.Buffer
	if err := WriteSafetensors(&buf, in, Options{}); err != nil {
		t.Fatal(err)
	}
	c := &countingReaderAt{r: bytes.NewReader(buf.Bytes())}
	s, err := OpenSafetensors(c, int64(buf.Len()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	x, err := Get[float64](s, "small")
	if err != nil || x.At(9) != 9 {
		t.Fatalf("%v %v", x, err)
	}
	if c.bytes > 512 {
		t.Fatalf("read %d bytes of a %d-byte file for a 40-byte tensor", c.bytes, buf.Len())
	}
}

func TestSafetensorsTruncated(t *testing.T) {
	b := fixture(t, "python.safetensors")
	for n := range len(b) {
		s, err := OpenSafetensors(bytes.NewReader(b[:n]), int64(n), Options{})
		if err == nil {
			_, err = ReadAll[float64](s)
		}
		if err == nil {
			t.Fatalf("cut at %d: no error", n)
		}
	}
	// A reader shorter than the size it claims fails when the tensor is read.
	s, err := OpenSafetensors(bytes.NewReader(b[:len(b)-4]), int64(len(b)), Options{})
	if err == nil {
		_, err = Get[float64](s, "u8")
	}
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("short reader: %v", err)
	}
}

func TestParseDType(t *testing.T) {
	for s, want := range map[string]DType{"float32": Float32, "FLOAT32": Float32, "f4": Float32, "<f4": Float32, "F32": Float32,
		"i8": Int64, "I8": Int8, "BF16": BFloat16, "bfloat16": BFloat16, "|b1": Bool, "BOOL": Bool, "c16": Complex128, "C64": Complex64} {
		if got, err := ParseDType(s); err != nil || got != want {
			t.Errorf("ParseDType(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	if _, err := ParseDType("f16x"); err == nil {
		t.Error("ParseDType accepted f16x")
	}
	if DType(0).String() != "DType(0)" || DType(0).Size() != 0 {
		t.Error("zero DType")
	}
}
