package contract

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/strand-tn/strand/tensor"
)

// spec builds a Spec from numpy-like strings, one rune per label.
func spec(inputs string, output string) Spec {
	var s Spec
	for _, term := range strings.Split(inputs, ",") {
		labels := []string{}
		for _, r := range term {
			labels = append(labels, string(r))
		}
		s.Inputs = append(s.Inputs, labels)
	}
	s.Output = []string{}
	for _, r := range output {
		s.Output = append(s.Output, string(r))
	}
	return s
}

func randOps(r *rand.Rand, shapes ...[]int) []*tensor.Dense[float64] {
	ops := make([]*tensor.Dense[float64], len(shapes))
	for i, s := range shapes {
		ops[i] = tensor.RandNormal[float64](r, s...)
	}
	return ops
}

func assertClose(t *testing.T, name string, got, want *tensor.Dense[float64]) {
	t.Helper()
	tol := 1e-12 * max(1, want.MaxAbs())
	if !slices.Equal(got.Shape(), want.Shape()) {
		t.Fatalf("%s: shape %v, want %v", name, got.Shape(), want.Shape())
	}
	if d := tensor.MaxAbsDiff(got, want); !(d <= tol) {
		t.Fatalf("%s: max |got−want| = %g > %g", name, d, tol)
	}
}

func TestKnownValues(t *testing.T) {
	a := tensor.MustFromSlice([]float64{1, 2, 3, 4}, 2, 2)
	b := tensor.MustFromSlice([]float64{5, 6, 7, 8}, 2, 2)
	cases := []struct {
		in, out string
		ops     []*tensor.Dense[float64]
		want    []float64
	}{
		{"ij,jk", "ik", []*tensor.Dense[float64]{a, b}, []float64{19, 22, 43, 50}},
		{"ij,kj", "ik", []*tensor.Dense[float64]{a, b}, []float64{17, 23, 39, 53}},
		{"ii", "", []*tensor.Dense[float64]{a}, []float64{5}},
		{"ii", "i", []*tensor.Dense[float64]{a}, []float64{1, 4}},
		{"ij", "ji", []*tensor.Dense[float64]{a}, []float64{1, 3, 2, 4}},
		{"ij,ij", "", []*tensor.Dense[float64]{a, b}, []float64{70}},
		{"ij,ij", "ij", []*tensor.Dense[float64]{a, b}, []float64{5, 12, 21, 32}},
		{"i,j", "ij", []*tensor.Dense[float64]{a.Index(0, 0), b.Index(0, 1)}, []float64{7, 8, 14, 16}},
	}
	for _, c := range cases {
		got, err := Einsum(spec(c.in, c.out), c.ops...)
		if err != nil {
			t.Fatalf("%s->%s: %v", c.in, c.out, err)
		}
		if !slices.Equal(got.Data(), c.want) {
			t.Errorf("%s->%s = %v, want %v", c.in, c.out, got.Data(), c.want)
		}
	}
}

// randomProblem draws a contraction with hyperedges, repeated labels,
// broadcast axes, batch legs and traces.
func randomProblem(r *rand.Rand) (Spec, [][]int) {
	nLabels := 1 + r.IntN(6)
	sizes := make([]int, nLabels)
	for i := range sizes {
		sizes[i] = 1 + r.IntN(4)
	}
	name := func(l int) string { return string(rune('a' + l)) }
	nOps := 1 + r.IntN(4)
	var s Spec
	var shapes [][]int
	used := map[int]bool{}
	for range nOps {
		rank := r.IntN(4)
		var labels []string
		var shape []int
		for range rank {
			l := r.IntN(nLabels)
			used[l] = true
			labels = append(labels, name(l))
			d := sizes[l]
			if r.IntN(8) == 0 && !slices.Contains(labels[:len(labels)-1], name(l)) {
				d = 1 // numpy-style broadcast of a labelled axis
			}
			shape = append(shape, d)
		}
		s.Inputs = append(s.Inputs, labels)
		shapes = append(shapes, shape)
	}
	s.Output = []string{}
	for _, l := range r.Perm(nLabels) {
		if used[l] && r.IntN(2) == 0 {
			s.Output = append(s.Output, name(l))
		}
	}
	return s, shapes
}

// randomPath returns a random valid linear path for n terms.
func randomPath(r *rand.Rand, n int) [][]int {
	if n == 1 {
		return [][]int{{0}}
	}
	var steps [][]int
	for n > 1 {
		k := 2
		if n > 2 && r.IntN(4) == 0 {
			k = 3
		}
		steps = append(steps, r.Perm(n)[:k])
		n -= k - 1
	}
	return steps
}

func TestEvalMatchesNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 3000 {
		s, shapes := randomProblem(r)
		ops := randOps(r, shapes...)
		want, err := Naive(s, ops...)
		if err != nil {
			t.Fatalf("trial %d %v %v: naive: %v", trial, s, shapes, err)
		}
		for _, path := range [][][]int{nil, randomPath(r, len(ops))} {
			got, err := Eval(s, Options{Path: path}, ops...)
			if err != nil {
				t.Fatalf("trial %d %v %v path %v: %v", trial, s, shapes, path, err)
			}
			assertClose(t, fmt.Sprintf("trial %d %v %v path %v", trial, s, shapes, path), got, want)
		}
	}
}

func TestEvalStridedInputs(t *testing.T) {
	// Operands that are permuted, sliced and diagonal views.
	r := rand.New(rand.NewPCG(3, 4))
	big := tensor.RandNormal[float64](r, 6, 7, 8)
	a := big.Permute(2, 0, 1).Slice(0, 1, 8, 2)                // (4, 6, 7), strided
	b := tensor.RandNormal[float64](r, 7, 5, 7).Diagonal(0, 2) // (5, 7)
	s := Spec{Inputs: [][]string{{"x", "i", "k"}, {"j", "k"}}, Output: []string{"j", "i", "x"}}
	want, err := Naive(s, a, b)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Einsum(s, a, b)
	if err != nil {
		t.Fatal(err)
	}
	assertClose(t, "strided", got, want)
}

func TestLargeGEMMPath(t *testing.T) {
	// Sizes above smallGEMM take the BLAS route in every layout.
	r := rand.New(rand.NewPCG(5, 6))
	for _, c := range []struct{ in, out string }{
		{"ij,jk", "ik"}, {"ji,jk", "ik"}, {"ij,kj", "ik"}, {"ji,kj", "ki"}, {"bij,bjk", "bik"}, {"ibj,kjb", "bki"},
	} {
		s := spec(c.in, c.out)
		shape := func(term []string) []int {
			out := []int{}
			for _, l := range term {
				out = append(out, map[string]int{"i": 40, "j": 33, "k": 37, "b": 3}[l])
			}
			return out
		}
		ops := randOps(r, shape(s.Inputs[0]), shape(s.Inputs[1]))
		want, _ := Naive(s, ops...)
		got, err := Einsum(s, ops...)
		if err != nil {
			t.Fatal(err)
		}
		assertClose(t, c.in, got, want)
	}
}

func TestGenericElementTypes(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	s := spec("ij,jk", "ik")
	za := tensor.RandNormal[complex128](r, 40, 35)
	zb := tensor.RandNormal[complex128](r, 35, 30)
	want, _ := Naive(s, za, zb)
	got, err := Einsum(s, za, zb)
	if err != nil {
		t.Fatal(err)
	}
	if d := tensor.MaxAbsDiff(got, want); d > 1e-12 {
		t.Fatalf("complex128: %g", d)
	}
	fa, fb := tensor.Convert[float32](za), tensor.Convert[float32](zb)
	wantF, _ := Naive(s, fa, fb)
	gotF, err := Einsum(s, fa, fb)
	if err != nil {
		t.Fatal(err)
	}
	if d := tensor.MaxAbsDiff(gotF, wantF); d > 1e-4 {
		t.Fatalf("float32: %g", d)
	}
}

// TestZeroSizeLabels: a label of size 0 everywhere sums nothing (numpy's
// einsum gives zeros), one operand may broadcast it with size 1, and any
// other size against it is an error naming the label.
func TestZeroSizeLabels(t *testing.T) {
	s := spec("ij,jk", "ik")
	for _, shapes := range [][2][]int{{{3, 0}, {0, 4}}, {{3, 1}, {0, 4}}} {
		got, err := Einsum(s, tensor.Zeros[float64](shapes[0]...), tensor.Zeros[float64](shapes[1]...))
		if err != nil {
			t.Fatalf("%v: %v", shapes, err)
		}
		if !slices.Equal(got.Shape(), []int{3, 4}) || got.MaxAbs() != 0 {
			t.Fatalf("%v: shape %v, max |out| %v; want 3×4 zeros", shapes, got.Shape(), got.MaxAbs())
		}
	}
	var se *ShapeError
	if _, err := Einsum(s, tensor.Zeros[float64](3, 0), tensor.Zeros[float64](5, 4)); !errors.As(err, &se) || se.Label != "j" || se.Got != 5 || se.Want != 0 {
		t.Fatalf("want ShapeError on j (5 against 0), got %v", err)
	}
}

func TestErrors(t *testing.T) {
	a := tensor.Zeros[float64](2, 3)
	var se *ShapeError
	if _, err := Einsum(spec("ij,jk", "ik"), a, tensor.Zeros[float64](4, 2)); !errors.As(err, &se) || se.Label != "j" || se.Got != 3 || se.Want != 4 {
		t.Fatalf("want ShapeError on j, got %v", err)
	}
	if _, err := Einsum(spec("ij", "ik"), a); err == nil || !strings.Contains(err.Error(), `"k"`) {
		t.Fatalf("unknown output label: %v", err)
	}
	if _, err := Einsum(spec("ij,jk", "ik"), a); err == nil {
		t.Fatal("operand count")
	}
	if _, err := Einsum(spec("ijk", "i"), a); err == nil {
		t.Fatal("rank mismatch")
	}
	if _, err := Eval(spec("ij,jk", "ik"), Options{Path: [][]int{{0, 2}}}, a, tensor.Zeros[float64](3, 2)); err == nil {
		t.Fatal("bad path")
	}
	big := tensor.Zeros[float64](1000, 1)
	var me *MemoryError
	_, err := Eval(spec("ia,jb,kc,ld", "ijkl"), Options{MemoryLimit: 1 << 30}, big, big, big, big)
	if !errors.As(err, &me) || !strings.Contains(err.Error(), "7.3 TiB") {
		t.Fatalf("want memory error, got %v", err)
	}
}

func TestTraceOfHugeInputReadsOnlyDiagonal(t *testing.T) {
	// iij->j on (n, n, 8): the diagonal view is summed in place.
	x := tensor.RandUniform[float64](rand.New(rand.NewPCG(9, 9)), 0, 1, 64, 64, 8)
	got, err := Einsum(spec("iij", "j"), x)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := Naive(spec("iij", "j"), x)
	assertClose(t, "iij->j", got, want)
}

func BenchmarkGEMM512(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	ops := randOps(r, []int{512, 512}, []int{512, 512})
	s := spec("ij,jk", "ik")
	for b.Loop() {
		if _, err := Einsum(s, ops...); err != nil {
			b.Fatal(err)
		}
	}
}

func ExampleContract() {
	a, _ := Label(tensor.MustFromSlice([]float64{1, 2, 3, 4}, 2, 2), "i", "j")
	b, _ := Label(tensor.MustFromSlice([]float64{5, 6, 7, 8}, 2, 2), "j", "k")
	c, _ := Contract(a, b)
	fmt.Println(c.Legs, c.Data)
	// Rename stops a join: the outer product of a with a copy of itself.
	a2, _ := a.Rename("i", "i'")
	a2, _ = a2.Rename("j", "j'")
	d, _ := Contract(a, a2)
	fmt.Println(d.Legs, d.Data.Shape())
	// Output:
	// [i k] [[19, 22], [43, 50]]
	// [i j i' j'] [2 2 2 2]
}

func TestResultsSurviveLaterEvaluations(t *testing.T) {
	// Intermediates return their memory to pools; results must never be
	// among them. Keep every result and check it after all the others ran.
	r := rand.New(rand.NewPCG(11, 12))
	type kept struct {
		got, copy *tensor.Dense[float64]
	}
	var all []kept
	for range 400 {
		s, shapes := randomProblem(r)
		for k := range shapes {
			for a := range shapes[k] {
				shapes[k][a] *= 20 // above the pools' smallest size
			}
		}
		ops := randOps(r, shapes...)
		got, err := Einsum(s, ops...)
		if err != nil {
			continue // over the memory limit
		}
		all = append(all, kept{got, got.Clone()})
	}
	for i, k := range all {
		if d := tensor.MaxAbsDiff(k.got, k.copy); d != 0 {
			t.Fatalf("result %d changed by %g after later evaluations", i, d)
		}
	}
}
