package tensor

import (
	"fmt"
	"math"
	"slices"
	"testing"
)

// naiveAt addresses a row-major copy by index, as an oracle for views.
func rowMajorAt(data []float64, shape []int, idx []int) float64 {
	p := 0
	for k, i := range idx {
		p = p*shape[k] + i
	}
	return data[p]
}

func TestZerosAndStrides(t *testing.T) {
	x := Zeros[float64](2, 3, 4)
	if got := x.Strides(); !slices.Equal(got, []int{12, 4, 1}) {
		t.Fatalf("strides %v", got)
	}
	if x.Size() != 24 || x.Rank() != 3 || !x.IsContiguous() {
		t.Fatalf("size %d rank %d contiguous %v", x.Size(), x.Rank(), x.IsContiguous())
	}
	s := Scalar(2.5)
	if s.Rank() != 0 || s.Size() != 1 || s.Item() != 2.5 || s.At() != 2.5 {
		t.Fatalf("scalar %v", s)
	}
}

func TestFromSliceErrors(t *testing.T) {
	if _, err := FromSlice([]float64{1, 2, 3}, 2, 2); err == nil {
		t.Fatal("want size error")
	}
	if _, err := FromSlice([]float64{}, -1); err == nil {
		t.Fatal("want negative dimension error")
	}
	if _, err := FromSlice([]float64{}, 1<<62, 1<<62); err == nil {
		t.Fatal("want overflow error")
	}
}

func TestPermuteMatchesOracle(t *testing.T) {
	r := NewRand(1)
	x := RandNormal[float64](r, 2, 3, 4, 5)
	data := x.Data()
	perm := []int{2, 0, 3, 1}
	y := x.Permute(perm...)
	if !slices.Equal(y.Shape(), []int{4, 2, 5, 3}) {
		t.Fatalf("shape %v", y.Shape())
	}
	if y.IsContiguous() {
		t.Fatal("permuted view claims to be contiguous")
	}
	c := y.Clone()
	for a := range 4 {
		for b := range 2 {
			for d := range 5 {
				for e := range 3 {
					want := rowMajorAt(data, []int{2, 3, 4, 5}, []int{b, e, a, d})
					if y.At(a, b, d, e) != want || c.At(a, b, d, e) != want {
						t.Fatalf("mismatch at %v", []int{a, b, d, e})
					}
				}
			}
		}
	}
}

func TestDiagonalAndTrace(t *testing.T) {
	x := Arange[float64](27).MustReshape(3, 3, 3)
	d := x.Diagonal(0, 2) // D[j, i] = x[i, j, i]
	if !slices.Equal(d.Shape(), []int{3, 3}) {
		t.Fatalf("shape %v", d.Shape())
	}
	for i := range 3 {
		for j := range 3 {
			if d.At(j, i) != x.At(i, j, i) {
				t.Fatalf("D[%d,%d]=%v want %v", j, i, d.At(j, i), x.At(i, j, i))
			}
		}
	}
	tr := Eye[float64](4).Scale(2).Diagonal(0, 1).Sum()
	if tr != 8 {
		t.Fatalf("trace %v", tr)
	}
}

func TestSliceIndexSqueeze(t *testing.T) {
	x := Arange[float64](20).MustReshape(4, 5)
	s := x.Slice(1, 1, 5, 2) // columns 1, 3
	want := []float64{1, 3, 6, 8, 11, 13, 16, 18}
	if got := s.Data(); !slices.Equal(got, want) {
		t.Fatalf("slice %v want %v", got, want)
	}
	if got := x.Slice(0, -2, 100, 1).Shape(); !slices.Equal(got, []int{2, 5}) {
		t.Fatalf("clamped slice shape %v", got)
	}
	if got := x.Slice(0, 3, 1, 1).Size(); got != 0 {
		t.Fatalf("empty slice size %d", got)
	}
	row := x.Index(0, 2)
	if got := row.Data(); !slices.Equal(got, []float64{10, 11, 12, 13, 14}) {
		t.Fatalf("row %v", got)
	}
	col := x.Index(1, 4)
	if got := col.Data(); !slices.Equal(got, []float64{4, 9, 14, 19}) {
		t.Fatalf("col %v", got)
	}
	e := x.ExpandDims(1)
	if !slices.Equal(e.Shape(), []int{4, 1, 5}) || e.Squeeze(1).At(3, 4) != 19 {
		t.Fatalf("expand/squeeze %v", e.Shape())
	}
}

func TestReshapeViewOrCopy(t *testing.T) {
	x := Arange[float64](24).MustReshape(2, 3, 4)
	v := x.MustReshape(6, -1)
	v.Set(-1, 0, 0)
	if x.At(0, 0, 0) != -1 {
		t.Fatal("reshape of contiguous tensor should be a view")
	}
	p := x.Permute(2, 1, 0)
	c := p.MustReshape(24)
	c.Set(-7, 0)
	if x.At(0, 0, 0) != -1 {
		t.Fatal("reshape of a permuted view must copy")
	}
	if got, want := c.At(1), p.At(0, 0, 1); got != want {
		t.Fatalf("reshape order %v want %v", got, want)
	}
	if _, err := x.Reshape(5, 5); err == nil {
		t.Fatal("want size error")
	}
	if _, err := x.Reshape(-1, -1); err == nil {
		t.Fatal("want error for two inferred dims")
	}
	if _, err := x.Reshape(7, -1); err == nil {
		t.Fatal("want error for indivisible inferred dim")
	}
}

func TestBroadcastTo(t *testing.T) {
	x := MustFromSlice([]float64{1, 2, 3}, 3, 1)
	b, err := x.BroadcastTo(2, 3, 4)
	if err != nil {
		t.Fatal(err)
	}
	if b.At(1, 2, 3) != 3 || b.At(0, 0, 2) != 1 {
		t.Fatalf("broadcast values %v", b)
	}
	if _, err := x.BroadcastTo(2, 4); err == nil {
		t.Fatal("want error")
	}
}

// TestElementwiseViews: Map, Apply and Zip on contiguous views (whole, or
// from an offset: the loop over one slice) and on strided ones (the
// odometer) agree with the definition element by element.
func TestElementwiseViews(t *testing.T) {
	// views returns fresh operand pairs of equal shape; base is 3×4×6, op
	// the same shape strided (a transposed 6×4×3).
	views := func(name string) (x, y *Dense[float64]) {
		base := RandNormal[float64](NewRand(4), 3, 4, 6)
		op := RandNormal[float64](NewRand(5), 6, 4, 3).Permute(2, 1, 0)
		switch name {
		case "whole":
			return base, op.Clone()
		case "offset":
			return base.Index(0, 1), op.Clone().Index(0, 2)
		case "mixed":
			return base.Index(0, 0), op.Index(0, 0)
		case "strided":
			return base.Slice(2, 1, 6, 2), op.Slice(2, 0, 5, 2)
		case "transposed":
			return base.Index(0, 2).T(), op.Clone().Index(0, 1).T()
		}
		return base.Slice(1, 2, 2, 1), op.Slice(1, 0, 0, 1) // empty
	}
	f := func(x float64) float64 { return 3*x + 1 }
	g := func(x, y float64) float64 { return x*y - x }
	for _, name := range []string{"whole", "offset", "mixed", "strided", "transposed", "empty"} {
		x, y := views(name)
		want, wantZip := slices.Clone(x.Data()), slices.Clone(x.Data())
		for i, yi := range y.Data() {
			want[i], wantZip[i] = f(want[i]), g(wantZip[i], yi)
		}
		if got := x.Map(f).Data(); !slices.Equal(got, want) {
			t.Errorf("%s: Map %v, want %v", name, got, want)
		}
		if got := Zip(x, y, g).Data(); !slices.Equal(got, wantZip) {
			t.Errorf("%s: Zip %v, want %v", name, got, wantZip)
		}
		if got := x.Apply(f).Data(); !slices.Equal(got, want) {
			t.Errorf("%s: Apply %v, want %v", name, got, want)
		}
	}
}

func TestElementwiseAndReductions(t *testing.T) {
	a := MustFromSlice([]float64{1, 2, 3, 4}, 2, 2)
	b := MustFromSlice([]float64{10, 20, 30, 40}, 2, 2).T()
	if got := Add(a, b).Data(); !slices.Equal(got, []float64{11, 32, 23, 44}) {
		t.Fatalf("add %v", got)
	}
	if got := Mul(a, a).Sum(); got != 30 {
		t.Fatalf("sum of squares %v", got)
	}
	if got := a.Norm(); math.Abs(got-math.Sqrt(30)) > 1e-15 {
		t.Fatalf("norm %v", got)
	}
	if got := Sub(a, a).MaxAbs(); got != 0 {
		t.Fatalf("maxabs %v", got)
	}
	c := a.Clone().AddScaled(2, a)
	if got := c.Data(); !slices.Equal(got, []float64{3, 6, 9, 12}) {
		t.Fatalf("axpy %v", got)
	}
	if got := Zeros[float64](0, 3).MaxAbs(); got != 0 {
		t.Fatalf("empty maxabs %v", got)
	}
}

func TestSumAccuracy(t *testing.T) {
	// Σ of 1e6 copies of 0.1: naive accumulation drifts by ~1e-6 relative; blocked stays near 1e-12.
	n := 1_000_000
	x := Zeros[float64](n).Fill(0.1)
	if got := x.Sum(); math.Abs(got-0.1*float64(n))/(0.1*float64(n)) > 1e-12 {
		t.Fatalf("sum %v", got)
	}
}

func TestAllClose(t *testing.T) {
	a := MustFromSlice([]float64{1, 2, math.NaN()}, 3)
	b := MustFromSlice([]float64{1, 2 + 1e-10, math.NaN()}, 3)
	if AllClose(a, b, 1e-6, 0) {
		t.Fatal("NaN must never be close")
	}
	if !AllClose(a.Slice(0, 0, 2, 1), b.Slice(0, 0, 2, 1), 1e-9, 0) {
		t.Fatal("want close")
	}
	if AllClose(a.Slice(0, 0, 2, 1), b.Slice(0, 0, 2, 1), 1e-12, 0) {
		t.Fatal("want not close at rtol 1e-12")
	}
	if !math.IsInf(MaxAbsDiff(a, Zeros[float64](2)), 1) {
		t.Fatal("shape mismatch should be +Inf")
	}
	if !math.IsNaN(MaxAbsDiff(a, b)) {
		t.Fatal("NaN difference should be NaN")
	}
}

func TestGenericTypes(t *testing.T) {
	r := NewRand(3)
	z := RandNormal[complex128](r, 2, 3)
	zt := z.T().Clone().T()
	if !AllClose(z, zt, 0, 0) {
		t.Fatal("complex transpose round trip")
	}
	f := Convert[float32](Arange[float64](4))
	if f.At(3) != 3 {
		t.Fatalf("convert %v", f)
	}
	c := Convert[complex64](MustFromSlice([]float64{1.5}, 1))
	if c.At(0) != complex(1.5, 0) {
		t.Fatalf("convert complex %v", c)
	}
}

func TestSeededRandomIsReproducible(t *testing.T) {
	a := RandUniform[float64](NewRand(42), 0, 1, 100)
	b := RandUniform[float64](NewRand(42), 0, 1, 100)
	if !AllClose(a, b, 0, 0) {
		t.Fatal("same seed, different values")
	}
	if a.MaxAbs() >= 1 {
		t.Fatal("uniform out of range")
	}
}

func TestPanicsOnMisuse(t *testing.T) {
	x := Zeros[float64](2, 3)
	for name, f := range map[string]func(){
		"perm":     func() { x.Permute(0, 0) },
		"axis":     func() { x.Index(2, 0) },
		"diag":     func() { x.Diagonal(0, 1) },
		"at":       func() { x.At(2, 0) },
		"add":      func() { Add(x, Zeros[float64](3, 2)) },
		"view":     func() { View(make([]float64, 5), []int{2, 3}, []int{3, 1}, 0) },
		"item":     func() { x.Item() },
		"squeeze":  func() { x.Squeeze(0) },
		"sliceneg": func() { x.Slice(0, 0, 1, 0) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

func TestString(t *testing.T) {
	x := MustFromSlice([]float64{1, 2, 3, 4}, 2, 2)
	if got := x.String(); got != "[[1, 2], [3, 4]]" {
		t.Fatalf("%q", got)
	}
	if got := Zeros[float64](100, 100).String(); got != "tensor[100 100]" {
		t.Fatalf("%q", got)
	}
}

func ExampleDense_Permute() {
	a := MustFromSlice([]float64{1, 2, 3, 4, 5, 6}, 2, 3)
	fmt.Println(a.Permute(1, 0))
	// Output: [[1, 4], [2, 5], [3, 6]]
}

func ExampleDense_Diagonal() {
	a := MustFromSlice([]float64{1, 2, 3, 4}, 2, 2)
	fmt.Println(a.Diagonal(0, 1), a.Diagonal(0, 1).Sum())
	// Output: [1, 4] 5
}

func BenchmarkCopyStridedTranspose(b *testing.B) {
	x := RandNormal[float64](NewRand(1), 1024, 1024).T()
	dst := make([]float64, x.Size())
	b.SetBytes(int64(8 * len(dst)))
	for b.Loop() {
		CopyStrided(dst, x.Backing(), x.Shape(), x.Strides(), x.Offset())
	}
}

func TestCopyFromOverlappingView(t *testing.T) {
	x := Arange[float64](9).MustReshape(3, 3)
	want := x.T().Clone()
	x.CopyFrom(x.T())
	if !AllClose(x, want, 0, 0) {
		t.Fatalf("in-place transpose %v, want %v", x, want)
	}
}
