package contract

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"unsafe"

	"github.com/strand-tn/strand/tensor"
)

// TestPairSteps checks pair steps on operands big enough for the packed,
// threaded kernel paths, stored with their axes permuted so that label
// groups rarely flatten to one stride (real types gather through offsets,
// complex types copy), in all four element types, against Naive: matrix
// products, batched products, outer products and Hadamard reductions.
func TestPairSteps(t *testing.T) {
	testPairSteps[float64](t, 1e-12)
	testPairSteps[float32](t, 1e-4)
	testPairSteps[complex128](t, 1e-12)
	testPairSteps[complex64](t, 1e-4)
}

func testPairSteps[T tensor.Elem](t *testing.T, tol float64) {
	r := rand.New(rand.NewPCG(11, 12))
	sizes := map[rune]int{'a': 19, 'b': 17, 'c': 11, 'd': 6, 'e': 13, 'f': 15, 'g': 3}
	for _, c := range []struct{ in, out string }{
		{"abcd,cdef", "abef"}, {"abcd,efdc", "abfe"}, {"acbd,dbce", "aed"}, {"dcba,cdef", "faeb"},
		{"gab,gbc", "gac"}, {"agb,cbg", "gca"}, {"abc,de", "adcbe"}, {"ab,cd", "cadb"},
		{"abc,cba", "b"}, {"abcd,bdca", ""}, {"gabc,gcd", "dga"},
	} {
		s := spec(c.in, c.out)
		ops := make([]*tensor.Dense[T], len(s.Inputs))
		for k, term := range s.Inputs {
			// Store the axes in a random order, then view them in the term's.
			perm := r.Perm(len(term))
			shape := make([]int, len(term))
			for i, a := range perm {
				shape[i] = sizes[rune(term[a][0])]
			}
			inv := make([]int, len(perm))
			for i, a := range perm {
				inv[a] = i
			}
			ops[k] = tensor.Convert[T](tensor.RandNormal[float64](r, shape...)).Permute(inv...)
		}
		want, err := Naive(s, ops...)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Einsum(s, ops...)
		if err != nil {
			t.Fatalf("%s->%s: %v", c.in, c.out, err)
		}
		if !slices.Equal(got.Shape(), want.Shape()) {
			t.Fatalf("%s->%s: shape %v, want %v", c.in, c.out, got.Shape(), want.Shape())
		}
		if d := tensor.MaxAbsDiff(got, want); !(d <= tol*max(1, want.MaxAbs())) {
			t.Fatalf("%T %s->%s: max |got−want| = %g", *new(T), c.in, c.out, d)
		}
	}
}

// TestAsMatrixViews checks that real operands become matrices without a
// copy whatever their layout, label groups that no stride walks getting
// offsets, and that those offsets address the right elements.
func TestAsMatrixViews(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	p, err := resolve(spec("abcd", "abcd"), [][]int{{3, 4, 5, 6}})
	if err != nil {
		t.Fatal(err)
	}
	x := tensor.RandNormal[float64](r, 3, 4, 5, 6)
	for _, perm := range [][]int{{0, 1, 2, 3}, {2, 0, 3, 1}, {3, 2, 1, 0}, {1, 3, 0, 2}} {
		op := operand[float64]{t: x.Permute(perm...), labels: perm}
		for _, groups := range [][2][]int{{{0, 1}, {2, 3}}, {{3, 1}, {0, 2}}, {{2}, {1, 3, 0}}} {
			rows, cols := groups[0], groups[1]
			m := asMatrix(p, op, nil, rows, cols)
			what := fmt.Sprintf("perm %v rows %v cols %v", perm, rows, cols)
			if unsafe.SliceData(m.data) != unsafe.SliceData(x.Backing()) {
				t.Fatalf("%s: copied", what)
			}
			at := func(i, j int) float64 {
				ro, co := i*m.rs, j*m.cs
				if m.rowOffs != nil {
					ro = m.rowOffs[i]
				}
				if m.colOffs != nil {
					co = m.colOffs[j]
				}
				return m.data[m.off+ro+co]
			}
			// Element (i, j) is x at the labels' digits of i and j.
			for i := range m.rows {
				for j := range m.cols {
					idx := make([]int, 4)
					digits := func(n int, labels []int) {
						for k := len(labels) - 1; k >= 0; k-- {
							idx[labels[k]] = n % p.sizes[labels[k]]
							n /= p.sizes[labels[k]]
						}
					}
					digits(i, rows)
					digits(j, cols)
					if got, want := at(i, j), x.At(idx...); got != want {
						t.Fatalf("%s: M[%d,%d] = %v, want x%v = %v", what, i, j, got, idx, want)
					}
				}
			}
		}
	}
}
