package network

import (
	"slices"
	"strings"
	"testing"

	"github.com/strand-tn/strand/notation"
)

func einsumNet(t *testing.T, src string, shapes ...[]int) *Network {
	t.Helper()
	e, err := notation.ParseEinsum(src)
	if err != nil {
		t.Fatal(err)
	}
	n, err := FromEinsum(e, shapes)
	if err != nil {
		t.Fatalf("%q: %v", src, err)
	}
	return n
}

func TestLowerBroadcast(t *testing.T) {
	n := einsumNet(t, "...ij,...jk->...ik", []int{4, 1, 8, 2}, []int{1, 3, 2, 5})
	low, err := n.Einsum()
	if err != nil {
		t.Fatal(err)
	}
	a, b := low.Operands[0], low.Operands[1]
	if !slices.Equal(a.Labels, []string{"…0", "…1", "i", "j"}) || !slices.Equal(a.Dims, []int{4, 1, 8, 2}) {
		t.Errorf("A lowered as %+v", a)
	}
	if !slices.Equal(b.Labels, []string{"…0", "…1", "j", "k"}) || !slices.Equal(b.Dims, []int{1, 3, 2, 5}) {
		t.Errorf("B lowered as %+v", b)
	}
	if low.Sizes["…0"] != 4 || low.Sizes["…1"] != 3 || !slices.Equal(n.OutShape(), []int{4, 3, 8, 5}) {
		t.Errorf("sizes %v, shape %v", low.Sizes, n.OutShape())
	}
	// A shorter ellipsis is right-aligned.
	n = einsumNet(t, "...i,...i->...", []int{2, 3, 4}, []int{3, 4})
	low, _ = n.Einsum()
	if got := low.Operands[1].Labels; !slices.Equal(got, []string{"…1", "i"}) {
		t.Errorf("right-aligned ellipsis %v", got)
	}
	// Labelled size-1 dims broadcast.
	n = einsumNet(t, "ij,ij->j", []int{10, 2}, []int{1, 2})
	low, _ = n.Einsum()
	if low.Sizes["i"] != 10 || low.Operands[1].Dims[0] != 1 || n.Nodes[1].Legs[0].Dims[0] != 1 {
		t.Errorf("size-1 broadcast: %+v", low)
	}
}

func TestLowerGroupInference(t *testing.T) {
	n := einsumNet(t, "(i j) k, j -> j i k", []int{6, 4}, []int{3})
	low, err := n.Einsum()
	if err != nil {
		t.Fatal(err)
	}
	a := low.Operands[0]
	if !slices.Equal(a.Labels, []string{"i", "j", "k"}) || !slices.Equal(a.Dims, []int{2, 3, 4}) || !slices.Equal(a.Split, []int{2, 1}) {
		t.Errorf("A lowered as %+v", a)
	}
	if !slices.Equal(n.OutShape(), []int{3, 2, 4}) {
		t.Errorf("shape %v", n.OutShape())
	}
	n = einsumNet(t, "i j, k l -> (i k) (j l)", []int{2, 3}, []int{4, 5})
	if !slices.Equal(n.OutShape(), []int{8, 15}) || len(n.OutputGroups) != 2 {
		t.Errorf("kron shape %v %v", n.OutShape(), n.OutputGroups)
	}
	n = einsumNet(t, "a b ... -> (b ...) a", []int{2, 3, 4, 5})
	if !slices.Equal(n.OutShape(), []int{60, 2}) || !slices.Equal(n.OutputGroups[0], []string{"b", "…0", "…1"}) {
		t.Errorf("(b ...) gives %v %v", n.OutShape(), n.OutputGroups)
	}
}

func TestFromEinsumErrors(t *testing.T) {
	for _, tc := range []struct {
		src    string
		shapes [][]int
		pos    int
		msg    string
	}{
		{"(i j) k, k -> j i", [][]int{{6, 4}, {4}}, 0, "cannot infer the sizes in group (i j) of tensor A (size 6)"},
		{"(i j), j -> i", [][]int{{7}, {2}}, 0, "size 7, which is not a multiple of 2"},
		{"(i j), i, j -> i", [][]int{{7}, {2}, {3}}, 0, "leg (i j) of tensor A has size 7, but (i j) is 6"},
		{"...i->i", [][]int{{2, 3}}, 6, "the output has no '...' but the operands have 1 broadcast axis"},
		{"ij", [][]int{{2, -1}}, 0, "negative size"},
		{"ii", [][]int{{2, 3}}, 1, "leg i of tensor A has size 3, but i is 2 (from the same operand)"},
	} {
		e, err := notation.ParseEinsum(tc.src)
		if err != nil {
			t.Fatal(err)
		}
		_, err = FromEinsum(e, tc.shapes)
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%q %v: error %v, want %q", tc.src, tc.shapes, err, tc.msg)
			continue
		}
		if pos, _ := Position(err); pos != tc.pos {
			t.Errorf("%q: error at %d, want %d", tc.src, pos, tc.pos)
		}
	}
}

func TestLowerIdentityGroups(t *testing.T) {
	p := build(t, "dim i=2 j=3 k=6\nI[(i j) k] x[k]", ProgramOptions{})
	_, err := p.Statements[0].RHS.Terms[0].Net.Einsum()
	if err == nil || !strings.Contains(err.Error(), "grouped differently") {
		t.Errorf("identity between (i j) and k: %v", err)
	}
	p = build(t, "dim i=2 j=3 k=3 l=2\nI[(i j) (k l)] x[k l]", ProgramOptions{})
	_, err = p.Statements[0].RHS.Terms[0].Net.Einsum()
	if err == nil || !strings.Contains(err.Error(), "members differ in size") {
		t.Errorf("identity between (i j) and (k l) of other sizes: %v", err)
	}
	p = build(t, "dim i=2 j=3\nD: diag\nD[(i j) (i j)]", ProgramOptions{})
	_, err = p.Statements[0].RHS.Terms[0].Net.Einsum()
	if err == nil || !strings.Contains(err.Error(), "cannot have a grouped leg") {
		t.Errorf("grouped diagonal: %v", err)
	}
}

func TestLowerBubbleAndInverse(t *testing.T) {
	p := build(t, "dim i=2 j=2\ny[i] = gelu(W[i j] x[j]) G⁻¹[i j] conj(z)[j]", ProgramOptions{})
	low, err := p.Statements[0].RHS.Terms[0].Net.Einsum()
	if err != nil {
		t.Fatal(err)
	}
	if f := low.Operands[0]; f.Kind != Function || f.Input != -1 || f.Node != 0 || !slices.Equal(f.Labels, []string{"i"}) {
		t.Errorf("bubble operand %+v", f)
	}
	if g := low.Operands[1]; !g.Inverse || g.Input < 0 {
		t.Errorf("inverse operand %+v", g)
	}
	if z := low.Operands[2]; !z.Conj {
		t.Errorf("conj operand %+v", z)
	}
}
