package tensorio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/strand-tn/strand/tensor"
)

// fixtureDescrs are the (2, 3) C-order fixtures, one per dtype and byte order.
var fixtureDescrs = []string{"<f8", "<f4", "<f2", "<i8", "<i4", "<i2", "|i1", "|u1", "<u2", "<u4",
	"<u8", "|b1", "<c16", "<c8", ">f8", ">f4", ">f2", ">i8", ">i4", ">i2",
	">u2", ">u4", ">u8", ">c16", ">c8"}

func descrFile(d string) string {
	return map[byte]string{'<': "le", '>': "be", '|': "na"}[d[0]] + "_" + d[1:] + ".npy"
}

func TestReadNPYFixtures(t *testing.T) {
	for _, d := range fixtureDescrs {
		t.Run(d, func(t *testing.T) {
			b := fixture(t, descrFile(d))
			h, err := ReadNPYHeader(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			wantDT, _ := ParseDType(d)
			if h.DType != wantDT || h.BigEndian != (d[0] == '>') || h.FortranOrder || !slices.Equal(h.Shape, []int{2, 3}) || h.DataOffset != 128 || h.Major != 1 {
				t.Fatalf("header %+v", h)
			}
			want := fixtureValues(d[1], 6)
			got, err := ReadNPY[complex128](bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got.Shape(), []int{2, 3}) || !slices.Equal(got.Data(), want) {
				t.Fatalf("complex128: got %v, want %v", got, want)
			}
			g64, err := ReadNPY[float64](bytes.NewReader(b))
			if h.DType.IsComplex() {
				// Element 0 is real; element 1 has imaginary part 0.25.
				if err == nil || !strings.Contains(err.Error(), "element 1 ((-1.5+0.25i)) has a non-zero imaginary part") {
					t.Fatalf("complex read as float64: err = %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range g64.Data() {
				if v != real(want[k]) {
					t.Fatalf("float64 element %d = %v, want %v", k, v, want[k])
				}
			}
			g32, err := ReadNPY[float32](onlyReader{bytes.NewReader(b)})
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range g32.Data() {
				if float64(v) != real(want[k]) {
					t.Fatalf("float32 element %d = %v, want %v", k, v, want[k])
				}
			}
		})
	}
}

func TestReadNPYFortran(t *testing.T) {
	for _, name := range []string{"fortran_le_f8.npy", "fortran_le_c16.npy", "fortran_be_f4.npy", "fortran_na_u1.npy"} {
		t.Run(name, func(t *testing.T) {
			b := fixture(t, name)
			h, err := ReadNPYHeader(bytes.NewReader(b))
			if err != nil || !h.FortranOrder {
				t.Fatalf("header %+v, %v", h, err)
			}
			got, err := ReadNPY[complex64](bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got.Shape(), []int{2, 3, 4}) || !slices.Equal(got.Strides(), []int{1, 2, 6}) {
				t.Fatalf("shape %v strides %v, want a column-major view of (2, 3, 4)", got.Shape(), got.Strides())
			}
			for i := range 2 {
				for j := range 3 {
					for k := range 4 {
						if v := got.At(i, j, k); v != complex(float32(12*i+4*j+k), 0) {
							t.Fatalf("At(%d,%d,%d) = %v", i, j, k, v)
						}
					}
				}
			}
		})
	}
}

func TestReadNPYVersionsScalarsEmpty(t *testing.T) {
	for _, v := range []int{1, 2, 3} {
		b := fixture(t, fmt.Sprintf("v%d_f8.npy", v))
		h, err := ReadNPYHeader(bytes.NewReader(b))
		if err != nil || h.Major != v || h.Minor != 0 || h.DataOffset%64 != 0 {
			t.Fatalf("v%d: header %+v, %v", v, h, err)
		}
		got, err := ReadNPY[float64](bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if want := tensor.Arange[float64](12).Scale(0.25).MustReshape(3, 4); !tensor.AllClose(got, want, 0, 0) {
			t.Fatalf("v%d: got %v", v, got)
		}
	}
	s, err := ReadNPY[float64](bytes.NewReader(fixture(t, "scalar_f8.npy")))
	if err != nil || s.Rank() != 0 || s.Item() != 2.5 {
		t.Fatalf("scalar: %v, %v", s, err)
	}
	c, err := ReadNPY[complex128](bytes.NewReader(fixture(t, "scalar_c16.npy")))
	if err != nil || c.Rank() != 0 || c.Item() != 1.5-2i {
		t.Fatalf("complex scalar: %v, %v", c, err)
	}
	for name, shape := range map[string][]int{"empty_0x3_f8.npy": {0, 3}, "empty_3x0_f4.npy": {3, 0}, "empty_0_f8.npy": {0}} {
		e, err := ReadNPY[float32](bytes.NewReader(fixture(t, name)))
		if err != nil || !slices.Equal(e.Shape(), shape) || e.Size() != 0 {
			t.Fatalf("%s: %v, %v", name, e, err)
		}
	}
	r, err := ReadNPY[float64](bytes.NewReader(fixture(t, "realvalued_c16.npy")))
	if err != nil || !slices.Equal(r.Data(), []float64{1, -2, 3.5}) {
		t.Fatalf("real-valued complex: %v, %v", r, err)
	}
}

// TestWriteNPYMatchesNumpy reads every C-order little-endian fixture and writes
// it back with the stored dtype: the bytes must equal numpy's.
func TestWriteNPYMatchesNumpy(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "numpy", "*.npy"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, path := range files {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		h, err := ReadNPYHeader(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if h.FortranOrder || h.BigEndian || h.Major != 1 {
			continue
		}
		x, err := ReadNPY[complex128](bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		var out bytes.Buffer
		if err := WriteNPYWith(&out, x, Options{DType: h.DType}); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if !bytes.Equal(out.Bytes(), b) {
			t.Errorf("%s: written bytes differ from numpy's", path)
		}
		n++
	}
	if n < 20 {
		t.Fatalf("only %d fixtures compared", n)
	}
}

// roundTripValues returns n values that dt holds exactly.
func roundTripValues(dt DType, n int, seed uint64) []complex128 {
	r := tensor.NewRand(seed)
	out := make([]complex128, n)
	for k := range out {
		var v float64
		switch dt {
		case Bool:
			v = float64(r.IntN(2))
		case Int8, Int16, Int32, Int64:
			v = float64(r.IntN(200) - 100)
		case Uint8, Uint16, Uint32, Uint64:
			v = float64(r.IntN(250))
		case Float16, BFloat16:
			v = float64(r.IntN(512)-256) / 8
		case Float32, Complex64:
			v = float64(float32(r.NormFloat64()))
		default:
			v = r.NormFloat64()
		}
		out[k] = complex(v, 0)
		if dt == Complex64 {
			out[k] += complex(0, float64(float32(r.NormFloat64())))
		} else if dt == Complex128 {
			out[k] += complex(0, r.NormFloat64())
		}
	}
	return out
}

var roundTripShapes = [][]int{{}, {0}, {3, 0}, {1}, {7}, {2, 3, 4}, {1, 1, 5, 1}}

// roundTrip writes values of dt in shape through write and reads them back as T.
func roundTrip[T tensor.Elem](t *testing.T, dt DType, shape []int, write func(io.Writer, *tensor.Dense[T], DType) error, read func([]byte) (*tensor.Dense[T], error)) {
	t.Helper()
	n, _ := tensor.SizeOf(shape)
	vals := roundTripValues(dt, n, uint64(n)+uint64(dt))
	src := tensor.Convert[T](tensor.MustFromSlice(vals, shape...))
	var buf bytes.Buffer
	if err := write(&buf, src, dt); err != nil {
		t.Fatalf("%s %v as %s: %v", dt, shape, DTypeOf[T](), err)
	}
	got, err := read(buf.Bytes())
	if err != nil {
		t.Fatalf("%s %v as %s: %v", dt, shape, DTypeOf[T](), err)
	}
	if !slices.Equal(got.Shape(), shape) || !tensor.AllClose(got, src, 0, 0) {
		t.Fatalf("%s %v as %s: got %v, want %v", dt, shape, DTypeOf[T](), got, src)
	}
}

func npyWrite[T tensor.Elem](w io.Writer, x *tensor.Dense[T], dt DType) error {
	return WriteNPYWith(w, x, Options{DType: dt})
}

func npyRead[T tensor.Elem](b []byte) (*tensor.Dense[T], error) {
	return ReadNPY[T](bytes.NewReader(b))
}

func TestNPYRoundTrip(t *testing.T) {
	for dt := Bool; dt <= Complex128; dt++ {
		if dt == BFloat16 {
			continue
		}
		for _, shape := range roundTripShapes {
			roundTrip(t, dt, shape, npyWrite[complex128], npyRead[complex128])
			roundTrip(t, dt, shape, npyWrite[float64], npyRead[float64])
			roundTrip(t, dt, shape, npyWrite[float32], npyRead[float32])
			roundTrip(t, dt, shape, npyWrite[complex64], npyRead[complex64])
		}
	}
	// A non-contiguous view is written in row-major order.
	x := tensor.Arange[float64](6).MustReshape(2, 3).T()
	var buf bytes.Buffer
	if err := WriteNPY(&buf, x); err != nil {
		t.Fatal(err)
	}
	got, err := ReadNPY[float64](&buf)
	if err != nil || !slices.Equal(got.Data(), []float64{0, 3, 1, 4, 2, 5}) {
		t.Fatalf("transposed: %v, %v", got, err)
	}
}

func TestNPYBackToBack(t *testing.T) {
	var buf bytes.Buffer
	a := tensor.Arange[float64](5)
	b := tensor.Arange[float32](3).MustReshape(3, 1)
	if err := WriteNPY(&buf, a); err != nil {
		t.Fatal(err)
	}
	if err := WriteNPY(&buf, b); err != nil {
		t.Fatal(err)
	}
	r := onlyReader{bytes.NewReader(buf.Bytes())}
	ga, err1 := ReadNPY[float64](r)
	gb, err2 := ReadNPY[float32](r)
	if err1 != nil || err2 != nil || !tensor.AllClose(ga, a, 0, 0) || !tensor.AllClose(gb, b, 0, 0) {
		t.Fatalf("%v %v / %v %v", ga, err1, gb, err2)
	}
}

// TestNPYVersion2Header writes a header over 65535 bytes, which needs format 2.0.
func TestNPYVersion2Header(t *testing.T) {
	shape := make([]int, 25000)
	for k := range shape {
		shape[k] = 1
	}
	shape[0] = 2
	x := tensor.Zeros[float64](shape...).Fill(1.5)
	var buf bytes.Buffer
	if err := WriteNPY(&buf, x); err != nil {
		t.Fatal(err)
	}
	h, err := ReadNPYHeader(bytes.NewReader(buf.Bytes()))
	if err != nil || h.Major != 2 || h.DataOffset%64 != 0 || len(h.Shape) != 25000 {
		t.Fatalf("header %d.%d at %d, rank %d: %v", h.Major, h.Minor, h.DataOffset, len(h.Shape), err)
	}
	got, err := ReadNPY[float64](&buf)
	if err != nil || !tensor.AllClose(got, x, 0, 0) {
		t.Fatalf("%v", err)
	}
}

// npyBytes builds a .npy file from a header dict text and data bytes.
func npyBytes(major int, dict string, data []byte) []byte {
	b := append([]byte{}, npyMagic...)
	b = append(b, byte(major), 0)
	if major == 1 {
		b = binary.LittleEndian.AppendUint16(b, uint16(len(dict)))
	} else {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(dict)))
	}
	b = append(b, dict...)
	return append(b, data...)
}

func TestNPYHeaderErrors(t *testing.T) {
	f8 := func(shape string) string {
		return "{'descr': '<f8', 'fortran_order': False, 'shape': " + shape + ", }"
	}
	cases := []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "tensorio: npy: empty, not a .npy file"},
		{"not npy", []byte("PK\x03\x04 zip file"), "tensorio: npy: byte 0: not a .npy file"},
		{"short magic", []byte("\x93NUM"), "file ends after 4 bytes, in the 10-byte preamble"},
		{"version", npyBytes(1, f8("(1,)"), nil)[:6:6], "file ends after 6 bytes"},
		{"version 4", append(npyMagic[:6:6], 4, 0, 0, 0), "byte 6: unsupported .npy format version 4.0"},
		{"v2 short length", append(npyMagic[:6:6], 2, 0, 1, 0), "file ends after 10 bytes, in the 12-byte preamble"},
		{"header short", npyBytes(1, f8("(1,)"), nil)[:20], "file ends after 20 bytes, in the 57-byte header"},
		{"header limit", append(npyMagic[:6:6], 2, 0, 0, 0, 0, 1), "byte 8: header length 16777216 is over the 1048576-byte limit"},
		{"not dict", npyBytes(1, "[1, 2]", nil), "byte 10: header is a list, not a dict"},
		{"missing shape", npyBytes(1, "{'descr': '<f8', 'fortran_order': False}", nil), "header lacks the key \"shape\""},
		{"extra key", npyBytes(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (), 'x': 1}", nil), "byte 64: unexpected header key \"x\""},
		{"duplicate", npyBytes(1, "{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': ()}", nil), "duplicate header key \"descr\""},
		{"key type", npyBytes(1, "{1: 2}", nil), "byte 11: header key is an integer, not a string"},
		{"dtype", npyBytes(1, "{'descr': '<U5', 'fortran_order': False, 'shape': ()}", nil), "byte 20: unsupported dtype \"<U5\""},
		{"object", npyBytes(1, "{'descr': '|O', 'fortran_order': False, 'shape': ()}", nil), "unsupported dtype \"|O\""},
		{"structured", npyBytes(1, "{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': ()}", nil), "structured dtypes"},
		{"descr type", npyBytes(1, "{'descr': 8, 'fortran_order': False, 'shape': ()}", nil), "descr is an integer, not a string"},
		{"fortran", npyBytes(1, "{'descr': '<f8', 'fortran_order': 1, 'shape': ()}", nil), "fortran_order is an integer, not True or False"},
		{"shape list", npyBytes(1, f8("[2, 3]"), nil), "shape is a list, not a tuple"},
		{"shape negative", npyBytes(1, f8("(2, -3)"), nil), "shape entry 1 is -3, not a valid dimension"},
		{"shape str", npyBytes(1, f8("('2',)"), nil), "shape entry 0 is a string, not an integer"},
		{"shape int", npyBytes(1, f8("(7)"), nil), "shape is an integer, not a tuple"},
		{"shape overflow", npyBytes(1, f8("(4611686018427387904, 4)"), nil), "has more bytes than a file can hold"},
		{"int range", npyBytes(1, f8("(99999999999999999999,)"), nil), "integer 99999999999999999999 out of range"},
		{"unterminated", npyBytes(1, "{'descr: 1}", nil), "unterminated string"},
		{"colon", npyBytes(1, "{'descr' '<f8'}", nil), "byte 19: header: expected ':' after a dict key, found '\\''"},
		{"trailing", npyBytes(1, f8("()")+" x", nil), "unexpected 'x' after the header dict"},
		{"deep", npyBytes(1, strings.Repeat("(", 100), nil), "nested more than 32 levels deep"},
		{"escape", npyBytes(1, "{'de\\qscr': 1}", nil), "unsupported escape \\q"},
		{"v3 utf8", npyBytes(3, "{'descr': '\xff'}", nil), "version 3.0 header is not valid UTF-8"},
		{"short data", npyBytes(1, f8("(3, 4)"), make([]byte, 40)), "tensorio: npy: header says shape (3, 4) of <f8 (96 bytes) but only 40 bytes follow"},
		{"huge shape", npyBytes(1, f8("(100000, 100000)"), make([]byte, 8)), "header says shape (100000, 100000) of <f8 (80000000000 bytes) but only 8 bytes follow"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadNPY[float64](bytes.NewReader(c.in))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v\nwant it to contain %q", err, c.want)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("%T is not an *Error", err)
			}
		})
	}
}

// The old Python 2 writers put an L after each dimension; double quotes and
// odd spacing are also valid literals.
func TestNPYHeaderPythonSyntax(t *testing.T) {
	data := make([]byte, 48)
	for _, dict := range []string{
		"{'descr': '<f8', 'fortran_order': False, 'shape': (2L, 3L), }",
		"{\"shape\":(2,3),\"fortran_order\":False,\"descr\":\"<f8\"}\n",
		"{ 'descr' : '\\x3cf8' ,\n\t'fortran_order' : False , 'shape' : ( 2 , 3 , ) }   \n",
	} {
		x, err := ReadNPY[float64](bytes.NewReader(npyBytes(1, dict, data)))
		if err != nil || !slices.Equal(x.Shape(), []int{2, 3}) {
			t.Errorf("%q: %v, %v", dict, x, err)
		}
	}
}

func TestNPYLimitsAndConversion(t *testing.T) {
	x := tensor.Arange[float64](12)
	var buf bytes.Buffer
	if err := WriteNPY(&buf, x); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadNPYWith[float64](bytes.NewReader(buf.Bytes()), Options{MaxBytes: 96}); err != nil {
		t.Fatalf("at the limit: %v", err)
	}
	_, err := ReadNPYWith[complex128](bytes.NewReader(buf.Bytes()), Options{MaxBytes: 100})
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "shape (12,) of <f8 as complex128 needs 192 bytes, over the limit of 100 bytes") {
		t.Fatalf("limit: %v", err)
	}
	// A stream that cannot tell its length: a 80 GB claim is over the default limit.
	huge := npyBytes(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 100000)}", nil)
	if _, err := ReadNPY[float64](onlyReader{bytes.NewReader(huge)}); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("huge stream: %v", err)
	}
	if _, err := ReadNPYWith[float64](onlyReader{bytes.NewReader(huge)}, Options{MaxBytes: -1}); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("huge stream without limit: %v", err)
	}
	big := tensor.MustFromSlice([]float64{1, 1e300}, 2)
	buf.Reset()
	if err := WriteNPY(&buf, big); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadNPY[float32](bytes.NewReader(buf.Bytes())); err == nil || !strings.Contains(err.Error(), "element 1 (1e+300) overflows float32") {
		t.Fatalf("overflow: %v", err)
	}
	if err := WriteNPYWith(&buf, big, Options{DType: Float16}); err == nil || !strings.Contains(err.Error(), "element 1 (1e+300) overflows float16") {
		t.Fatalf("write overflow: %v", err)
	}
	for _, c := range []struct {
		dt   DType
		x    *tensor.Dense[complex128]
		want string
	}{
		{Int32, tensor.MustFromSlice([]complex128{1, 2.5}, 2), "element 1 (2.5) is not representable as int32"},
		{Uint8, tensor.MustFromSlice([]complex128{256}, 1), "element 0 (256) is not representable as uint8"},
		{Bool, tensor.MustFromSlice([]complex128{0, 1, 2}, 3), "element 2 (2) is not representable as bool"},
		{Float64, tensor.MustFromSlice([]complex128{1, 1i}, 2), "element 1 ((0+1i)) has a non-zero imaginary part and cannot be stored as float64"},
		{BFloat16, tensor.MustFromSlice([]complex128{1}, 1), "the .npy format cannot store bfloat16"},
	} {
		if err := WriteNPYWith(io.Discard, c.x, Options{DType: c.dt}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.dt, err, c.want)
		}
	}
}

// TestNPYStreamGrowsWithData reads a header claiming 800 MB from a stream that
// cannot tell its length and ends at once: memory must not follow the claim.
func TestNPYStreamGrowsWithData(t *testing.T) {
	in := npyBytes(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (100000000,)}", make([]byte, 64))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := ReadNPY[float64](onlyReader{bytes.NewReader(in)})
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "(800000000 bytes) but only 64 bytes follow") {
		t.Fatalf("err = %v", err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 16<<20 {
		t.Fatalf("allocated %d bytes for a stream of %d", grew, len(in))
	}
}

// TestNPYTruncated cuts every fixture at every byte: each prefix must fail
// cleanly, through a sized and an unsized reader.
func TestNPYTruncated(t *testing.T) {
	for _, name := range []string{"le_f8.npy", "be_c16.npy", "na_b1.npy", "fortran_le_f8.npy", "v2_f8.npy", "v3_f8.npy", "scalar_f8.npy", "empty_0x3_f8.npy", "le_f2.npy"} {
		b := fixture(t, name)
		for n := range len(b) {
			if _, err := ReadNPY[float64](bytes.NewReader(b[:n])); err == nil {
				t.Fatalf("%s cut at %d: no error", name, n)
			}
			if _, err := ReadNPY[complex128](onlyReader{bytes.NewReader(b[:n])}); err == nil {
				t.Fatalf("%s cut at %d (stream): no error", name, n)
			}
		}
	}
}

func TestFloat16MatchesNumpy(t *testing.T) {
	src, err := ReadNPY[float64](bytes.NewReader(fixture(t, "f16_src.npy")))
	if err != nil {
		t.Fatal(err)
	}
	want := fixture(t, "f16_numpy.npy")[128:]
	for k, v := range src.Data() {
		got, ok := narrow(v, Float16)
		w := binary.LittleEndian.Uint16(want[2*k:])
		if !ok || got != w {
			t.Errorf("float16(%v) = %#04x (ok %v), numpy %#04x", v, got, ok, w)
		}
	}
}

// TestFloat16Exhaustive: every binary16 value widens exactly and narrows back
// to itself; every midpoint between neighbours rounds to the even one.
func TestFloat16Exhaustive(t *testing.T) {
	for _, dt := range []DType{Float16, BFloat16} {
		wide := func(b uint16) float64 {
			var f [1]float64
			decodeReal(f[:], binary.LittleEndian.AppendUint16(nil, b), dt)
			return f[0]
		}
		maxFinite := map[DType]uint16{Float16: 0x7bff, BFloat16: 0x7f7f}[dt]
		for b := range uint16(0xffff) {
			v := wide(b)
			if math.IsNaN(v) {
				if got, _ := narrow(v, dt); !math.IsNaN(wide(got)) {
					t.Fatalf("%s NaN %#04x narrows to %#04x", dt, b, got)
				}
				continue
			}
			if got, ok := narrow(v, dt); !ok || got != b {
				t.Fatalf("%s %#04x = %v narrows to %#04x", dt, b, v, got)
			}
			if b&0x7fff >= maxFinite {
				continue
			}
			// b and b+1 are neighbours of the same sign.
			next := wide(b + 1)
			mid := (v + next) / 2
			even := b
			if b&1 == 1 {
				even = b + 1
			}
			if got, _ := narrow(mid, dt); got != even {
				t.Fatalf("%s midpoint %v of %#04x and %#04x narrows to %#04x, want %#04x", dt, mid, b, b+1, got, even)
			}
			if got, _ := narrow(math.Nextafter(mid, next), dt); got != b+1 {
				t.Fatalf("%s just above the midpoint of %#04x: %#04x", dt, b, got)
			}
			if got, _ := narrow(math.Nextafter(mid, v), dt); got != b {
				t.Fatalf("%s just below the midpoint of %#04x: %#04x", dt, b, got)
			}
		}
		// The largest finite value and the overflow threshold (its midpoint with 2^(emax+1)).
		top := wide(maxFinite)
		limit := top + (top-wide(maxFinite-1))/2
		if got, ok := narrow(math.Nextafter(limit, 0), dt); !ok || got != maxFinite {
			t.Fatalf("%s below the overflow threshold: %#04x %v", dt, got, ok)
		}
		if _, ok := narrow(limit, dt); ok {
			t.Fatalf("%s at the overflow threshold: no overflow", dt)
		}
		if _, ok := narrow(-1e300, dt); ok {
			t.Fatalf("%s -1e300: no overflow", dt)
		}
		if got, ok := narrow(math.SmallestNonzeroFloat64, dt); !ok || got != 0 {
			t.Fatalf("%s of the smallest double: %#04x", dt, got)
		}
	}
}

// failWriter accepts n bytes, then fails.
type failWriter struct{ n int }

var errDiskFull = errors.New("disk full")

func (f *failWriter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		k := f.n
		f.n = 0
		return k, errDiskFull
	}
	f.n -= len(p)
	return len(p), nil
}

func TestWriteErrors(t *testing.T) {
	x := tensor.Arange[float64](100000)
	for _, n := range []int{0, 100, 5000} {
		for _, dt := range []DType{Float64, Float32} {
			err := WriteNPYWith(&failWriter{n}, x, Options{DType: dt})
			if !errors.Is(err, errDiskFull) || !strings.HasPrefix(err.Error(), "tensorio: npy: writing: disk full") {
				t.Errorf("after %d bytes as %s: %v", n, dt, err)
			}
		}
		err := WriteSafetensors(&failWriter{n}, map[string]*tensor.Dense[float64]{"x": x}, Options{})
		if !errors.Is(err, errDiskFull) {
			t.Errorf("safetensors after %d bytes: %v", n, err)
		}
		err = WriteNPZ(&failWriter{n}, map[string]*tensor.Dense[float64]{"x": x}, Options{})
		if !errors.Is(err, errDiskFull) {
			t.Errorf("npz after %d bytes: %v", n, err)
		}
	}
}
