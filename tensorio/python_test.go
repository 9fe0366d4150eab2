package tensorio

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/strand-tn/strand/tensor"
)

// spec describes one array for testdata/crosscheck.py: where it is and its
// exact values (JSON numbers round-trip float64 exactly).
type spec struct {
	File   string    `json:"file"`
	Member string    `json:"member,omitempty"`
	Shape  []int     `json:"shape"`
	DType  string    `json:"dtype"`
	Re     []float64 `json:"re"`
	Im     []float64 `json:"im"`
}

func specOf[T tensor.Elem](file, member, dtype string, x *tensor.Dense[T]) spec {
	s := spec{File: file, Member: member, Shape: x.Shape(), DType: dtype, Re: []float64{}, Im: []float64{}}
	for _, v := range asComplex(x) {
		s.Re = append(s.Re, real(v))
		s.Im = append(s.Im, imag(v))
	}
	return s
}

// TestNumpyCrossCheck writes files that numpy must read back exactly, and reads
// files that numpy wrote. It needs /usr/bin/python3 with numpy and is skipped
// without them.
func TestNumpyCrossCheck(t *testing.T) {
	const python = "/usr/bin/python3"
	if err := exec.Command(python, "-c", "import numpy").Run(); err != nil {
		t.Skipf("no numpy: %v", err)
	}
	dir := t.TempDir()
	r := tensor.NewRand(9)
	f8 := tensor.RandNormal[float64](r, 3, 4)
	f4 := tensor.RandNormal[float32](r, 2, 5)
	c16 := tensor.RandNormal[complex128](r, 2, 2)
	c8 := tensor.RandNormal[complex64](r, 3)
	half := tensor.RandNormal[float64](r, 9).Scale(100)
	want := map[string]spec{}
	write := func(name string, err error, s spec) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		want[name] = s
	}
	write("f8", WriteFile(filepath.Join(dir, "go_f8.npy"), f8, Options{}), specOf("go_f8.npy", "", "<f8", f8))
	write("f4", WriteFile(filepath.Join(dir, "go_f4.npy"), f4, Options{}), specOf("go_f4.npy", "", "<f4", f4))
	write("c16", WriteFile(filepath.Join(dir, "go_c16.npy"), c16, Options{}), specOf("go_c16.npy", "", "<c16", c16))
	write("c8", WriteFile(filepath.Join(dir, "go_c8.npy"), c8, Options{}), specOf("go_c8.npy", "", "<c8", c8))
	// Python compares with numpy's own float64 → float16 rounding.
	write("f2", WriteFile(filepath.Join(dir, "go_f2.npy"), half, Options{DType: Float16}), specOf("go_f2.npy", "", "<f2", half))
	write("i8", WriteFile(filepath.Join(dir, "go_i8.npy"), tensor.Arange[float64](6).Scale(-3), Options{DType: Int64}),
		specOf("go_i8.npy", "", "<i8", tensor.Arange[float64](6).Scale(-3)))
	write("scalar", WriteFile(filepath.Join(dir, "go_scalar.npy"), tensor.Scalar(0.1), Options{}), specOf("go_scalar.npy", "", "<f8", tensor.Scalar(0.1)))
	write("empty", WriteFile(filepath.Join(dir, "go_empty.npy"), tensor.Zeros[float64](0, 3), Options{}), specOf("go_empty.npy", "", "<f8", tensor.Zeros[float64](0, 3)))
	for _, compress := range []bool{false, true} {
		file := map[bool]string{false: "go.npz", true: "go_c.npz"}[compress]
		err := WriteFileAll(filepath.Join(dir, file), map[string]*tensor.Dense[float64]{"a": f8, "b": f8.T()}, Options{Compress: compress})
		write(file+"/a", err, specOf(file, "a", "<f8", f8))
		want[file+"/b"] = specOf(file, "b", "<f8", f8.T())
	}
	st := map[string]*tensor.Dense[float32]{"wte.weight": f4, "h.0.ln_1.bias": tensor.Arange[float32](4)}
	err := WriteFileAll(filepath.Join(dir, "go.safetensors"), st, Options{Metadata: map[string]string{"written-by": "tensorio"}})
	write("st/wte", err, specOf("go.safetensors", "wte.weight", "<f4", f4))
	want["st/ln"] = specOf("go.safetensors", "h.0.ln_1.bias", "<f4", st["h.0.ln_1.bias"])
	js, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go_expected.json"), js, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(python, filepath.Join("testdata", "crosscheck.py"), dir).CombinedOutput()
	if err != nil {
		t.Fatalf("crosscheck.py: %v\n%s", err, out)
	}
	t.Logf("%s", strings.TrimSpace(string(out)))

	// numpy → tensorio.
	js, err = os.ReadFile(filepath.Join(dir, "py_expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]spec
	if err := json.Unmarshal(js, &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 8 {
		t.Fatalf("python wrote %d arrays", len(got))
	}
	for name, s := range got {
		var x *tensor.Dense[complex128]
		var err error
		if s.Member != "" {
			var all map[string]*tensor.Dense[complex128]
			all, err = ReadFileAll[complex128](filepath.Join(dir, s.File), Options{})
			x = all[s.Member]
		} else {
			x, err = ReadFile[complex128](filepath.Join(dir, s.File), Options{})
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		w := specOf(s.File, s.Member, s.DType, x)
		if !slices.Equal(w.Shape, s.Shape) || !slices.Equal(w.Re, s.Re) || !slices.Equal(w.Im, s.Im) {
			t.Errorf("%s: got %v, want shape %v re %v im %v", name, x, s.Shape, s.Re, s.Im)
		}
	}
}
