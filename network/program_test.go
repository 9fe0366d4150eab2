package network

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestProgramBinding(t *testing.T) {
	src := "C[i k] = A[i j] B[j k]\nD[i] = C[i k] v[k]"
	p := build(t, src, ProgramOptions{Operands: [][]int{{2, 3}, {3, 4}}, Shapes: map[string][]int{"v": {4}}})
	var names []string
	for _, in := range p.Inputs {
		names = append(names, in.Name+intsText(in.Shape))
	}
	if got := strings.Join(names, " "); got != "A[2 3] B[3 4] v[4]" {
		t.Errorf("inputs %s", got)
	}
	if d := p.Statements[1]; !slices.Equal(d.RHS.OutShape(), []int{2}) || d.RHS.Terms[0].Net.Nodes[0].Input != -1 {
		t.Errorf("D uses C %+v", d.RHS.Terms[0].Net.Nodes[0])
	}
	// Sizes from Dims, and a transposed tensor bound by name.
	p = build(t, "s = A[i j] Bᵀ[i j]", ProgramOptions{Dims: map[string]int{"i": 3}, Shapes: map[string][]int{"B": {4, 3}}})
	if got := p.Inputs[0].Shape; !slices.Equal(got, []int{3, 4}) {
		t.Errorf("A inferred as %v", got)
	}
	low, err := p.Statements[0].RHS.Terms[0].Net.Einsum()
	if err != nil {
		t.Fatal(err)
	}
	if b := low.Operands[1]; b.Name != "B" || b.Input != 1 || !slices.Equal(b.Labels, []string{"j", "i"}) || !slices.Equal(b.Dims, []int{4, 3}) {
		t.Errorf("Bᵀ lowered as %+v", b)
	}
}

func TestProgramErrors(t *testing.T) {
	for _, tc := range []struct {
		src  string
		opts ProgramOptions
		pos  int // -1: do not check
		msg  string
	}{
		{"dim i=2 j=2\nM[i j] = A[i k] B[k j]", ProgramOptions{}, 25, "the size of leg k is unknown"},
		{"x[i]", ProgramOptions{Operands: [][]int{{2}, {3}}}, 0, "2 operands given but the program reads 1 tensor (x)"},
		{"x[i]", ProgramOptions{Shapes: map[string][]int{"y": {2}}}, 0, "no tensor of that name"},
		{"x[i]", ProgramOptions{Operands: [][]int{{2}}, Shapes: map[string][]int{"x": {3}}}, 0, "shape [2] from operand 0 but [3]"},
		{"x[i]", ProgramOptions{Operands: [][]int{{-1}}}, 0, "negative size"},
		{"x[i j]", ProgramOptions{Operands: [][]int{{2}}}, 0, "has 1 axis (shape [2]) but is written with 2 legs"},
		{"dim i=2\ndim i=3", ProgramOptions{}, 12, "dim i=3 conflicts with dim i=2"},
		{"dim i=2\nx[i]", ProgramOptions{Dims: map[string]int{"i": 3}}, 0, "the given sizes conflicts with dim i=2"},
		{"y[i] = x[i] + z[j]", ProgramOptions{Dims: map[string]int{"i": 2, "j": 2}}, 14, "leg i of the left side is not in term 2"},
		{"x[i] + z[j]", ProgramOptions{Dims: map[string]int{"i": 2, "j": 2}}, 7, "term 2 has free legs [j] but term 1 has [i]"},
		{"y[i] = x[j]", ProgramOptions{Dims: map[string]int{"i": 2, "j": 2}}, 7, "leg i of the left side is not in term 1"},
		{"y[i i] = x[i]", ProgramOptions{}, 4, "appears twice on the left side"},
		{"x[i] == y[j]", ProgramOptions{Dims: map[string]int{"i": 2, "j": 2}}, 5, "different free legs: [i] and [j]"},
		{"Σ_j x[i]", ProgramOptions{Dims: map[string]int{"i": 2}}, 3, "Σ_j: leg j does not appear"},
		{"y[j] = Σ_j x[j]", ProgramOptions{Dims: map[string]int{"j": 2}}, 10, "which the left side lists as free"},
		{"M[i] = x[i]\nM[i] = y[i]", ProgramOptions{Dims: map[string]int{"i": 2}}, 12, "defined twice"},
		{"y = M[i] x[i]\nM[i] = z[i]", ProgramOptions{Dims: map[string]int{"i": 2}}, 14, "used as an input before"},
		{"δ[i] = x[i]", ProgramOptions{}, 0, "is a delta and cannot be defined"},
		{"U: spinor", ProgramOptions{}, 3, `unknown kind "spinor"`},
		{"U: unitary; U: isometry", ProgramOptions{}, 12, "already has a kind"},
		{"A: general(i -> j)", ProgramOptions{}, 3, "only isometry and unitary take legs"},
		{"U: isometry(i j)", ProgramOptions{}, 3, "names the legs at the tip"},
		{"U: isometry(i -> i)", ProgramOptions{}, 17, "appears twice"},
		{"U[a b]: isometry(a -> c)", ProgramOptions{}, 22, "not among the legs of U[a b]"},
		{"U[a b c]: isometry(a -> c)", ProgramOptions{}, 10, "must place each of its 3 legs"},
		{"U[a a]: unitary", ProgramOptions{}, 4, "appears twice"},
		{"U: isometry(i -> j)\ndim a=2 b=3\nx = U[a b c]", ProgramOptions{}, 36, "declared with 2 legs but written with 3"},
		{"U: isometry(i -> j)\ndim a=2 b=3\ny[a b] = U[a b]", ProgramOptions{}, 41, "its tip (b) has size 3, larger than its other legs (2)"},
		{"Q: unitary(i -> j)\ndim a=2 b=3\ny[a b] = Q[a b]", ProgramOptions{}, 40, "sides have sizes 2 and 3"},
		{"Q: unitary\ndim a=2 b=3\ny[a b] = Q[a b]", ProgramOptions{}, 36, "leg b of tensor Q has size 3, but b is 2"},
		{"dim i=2\nI[i j k]", ProgramOptions{}, 8, "identity I needs two legs"},
		{"dim i=2\nδ", ProgramOptions{}, 8, "delta δ needs at least one leg"},
		{"dim i=2\nX⁻¹[i]", ProgramOptions{}, 8, "the inverse X⁻¹ needs two legs"},
		{"dim i=2\nA[i j+1]", ProgramOptions{}, 12, "only δ and identity legs may be shifted"},
		{"dim i=2 j=3\nI[i j]", ProgramOptions{}, 16, "leg j of tensor I has size 2, but j is 3 (from dim j=3)"},
		{"dim i=2\nf(2)", ProgramOptions{}, 8, "f needs a tensor argument"},
		{"dim i=2\nsoftmax_i(x[i] y[i]) + z[i]", ProgramOptions{}, 16, "leg i is not a free leg of the argument"},
		{"dim i=2\nf(x[i])[i j]", ProgramOptions{}, 18, "leg j of f is in none of its arguments"},
		{"dim i=2\nf(x[i])[i i]", ProgramOptions{}, 18, "appears twice on f"},
		{"dim i=2\ns = sum_i(x[i j])[i]", ProgramOptions{Dims: map[string]int{"j": 2}}, 16, "cannot be one of its legs"},
		{"dim i=2\nD: diagonal\nD[i i]", ProgramOptions{Shapes: map[string][]int{"D": {2, 2}}}, 20, "given by its diagonal, a vector"},
		{"dim i=2\nx[i] @B(0, 1)", ProgramOptions{}, 13, "pin @B: the statement has no tensor B"},
		{"dim i=2\nx[i] @left(j)", ProgramOptions{}, 13, "none of these free legs"},
		{"dim i=2\n@B(0, 1)\nx[i]", ProgramOptions{}, 8, "matches no tensor or free leg"},
		{"dim i=2 j=3\n(x[i] + y[i]) (x[j] + y[j]) (x[j] + y[j]) (x[i] + y[i]) " +
			"(x[i] + y[i]) (x[j] + y[j]) (x[j] + y[j]) (x[i] + y[i]) (x[i] + y[i]) (x[j] + y[j]) " +
			"(x[j] + y[j]) (x[i] + y[i]) (x[i] + y[i])", ProgramOptions{}, 12, "more than 4096 terms"},
		{"dim i=2\nM[i (j k)]", ProgramOptions{Shapes: map[string][]int{"M": {2, 12}}}, 13, "the size of leg j is unknown"},
		{"dim i=2 j=5\nM[i (j k)]", ProgramOptions{Shapes: map[string][]int{"M": {2, 12}}}, 16, "leg (j k) of tensor M has size 12, which is not a multiple of 5"},
	} {
		err := buildErr(t, tc.src, tc.opts)
		if err == nil {
			t.Errorf("%q accepted", tc.src)
			continue
		}
		if !strings.Contains(err.Error(), tc.msg) || !strings.HasPrefix(err.Error(), "network: ") {
			t.Errorf("%q: error %q, want %q", tc.src, err, tc.msg)
		}
		if pos, ok := Position(err); !ok || (tc.pos >= 0 && pos != tc.pos) {
			t.Errorf("%q: error %q at %d, want %d", tc.src, err, pos, tc.pos)
		}
	}
}

func TestProgramDimError(t *testing.T) {
	src := "dim j=3\ny[i] = A[i j] x[j]"
	err := buildErr(t, src, ProgramOptions{Shapes: map[string][]int{"A": {2, 4}}})
	var d *DimError
	if !errors.As(err, &d) {
		t.Fatalf("got %v, want a DimError", err)
	}
	if d.Tensor != "A" || d.Leg != "j" || d.Got != 4 || d.Want != 3 || d.From != "dim j=3" || src[d.Pos:d.Pos+1] != "j" {
		t.Errorf("DimError %+v", d)
	}
	if want := "network: leg j of tensor A has size 4, but j is 3 (from dim j=3)"; d.Error() != want {
		t.Errorf("message %q", d.Error())
	}
}

func TestProgramSums(t *testing.T) {
	p := build(t, "y[i] = (A[i j] + 2 B[i j]) (x[j] - z[j]) - 0.5 w[i]", ProgramOptions{Dims: map[string]int{"i": 2, "j": 3}})
	rhs := p.Statements[0].RHS
	var got []string
	for _, term := range rhs.Terms {
		var names []string
		for _, n := range term.Net.Nodes {
			names = append(names, n.Name)
		}
		got = append(got, sprintG(term.Coef)+"·"+strings.Join(names, ""))
	}
	if want := "1·Ax -1·Az 2·Bx -2·Bz -0.5·w"; strings.Join(got, " ") != want {
		t.Errorf("expansion %s, want %s", strings.Join(got, " "), want)
	}
	for _, term := range rhs.Terms {
		if !slices.Equal(term.Net.Output, []string{"i"}) {
			t.Errorf("term output %v", term.Net.Output)
		}
	}
	// Σ sums a leg that appears once; without a left side the free legs are
	// those that appear once, in order of first appearance.
	p = build(t, "Σ_h Q[h q d] K[h k d] v[b]", ProgramOptions{Dims: map[string]int{"h": 2, "q": 3, "k": 4, "d": 5, "b": 6}})
	if got := p.Statements[0].RHS.Output; !slices.Equal(got, []string{"q", "k", "b"}) {
		t.Errorf("free legs %v", got)
	}
	p = build(t, "Σ_b v[b]", ProgramOptions{Dims: map[string]int{"b": 6}})
	if e := p.Statements[0].RHS.Terms[0].Net.Edge("b"); e.Kind != Summed || len(p.Statements[0].RHS.Output) != 0 {
		t.Errorf("Σ_b v[b]: %+v", e)
	}
	// A scalar term.
	p = build(t, "y = x[i] x[i] + 1", ProgramOptions{Dims: map[string]int{"i": 2}})
	if terms := p.Statements[0].RHS.Terms; len(terms) != 2 || len(terms[1].Net.Nodes) != 0 || terms[1].Coef != 1 {
		t.Errorf("scalar term %+v", terms[1])
	}
}

func TestProgramBubbles(t *testing.T) {
	p := build(t, "s[h] = sum_k(A[h k] B[h k])\nr = pow(x[i] x[i], 0.5)\nz[i j] = f(x[i], x[j])",
		ProgramOptions{Dims: map[string]int{"h": 2, "k": 3, "i": 4, "j": 4}})
	s := p.Statements[0].RHS.Terms[0].Net.Nodes[0]
	if !s.Bubble.Consumes || legList(s.Legs) != "h" || legList(s.Bubble.Args[0].Terms[0].Net.Nodes[0].Legs) != "h k" {
		t.Errorf("sum_k bubble %+v", s)
	}
	if inner := s.Bubble.Args[0].Terms[0].Net; inner.Edge("h").Kind != Hyper || !slices.Equal(inner.Output, []string{"h", "k"}) {
		t.Errorf("sum_k argument %v", inner)
	}
	r := p.Statements[1].RHS.Terms[0].Net.Nodes[0]
	if !slices.Equal(r.Bubble.Params, []float64{0.5}) || len(r.Legs) != 0 {
		t.Errorf("pow bubble %+v", r.Bubble)
	}
	f := p.Statements[2].RHS.Terms[0].Net.Nodes[0]
	if len(f.Bubble.Args) != 2 || legList(f.Legs) != "i j" {
		t.Errorf("f bubble %+v", f)
	}
}

func TestProgramHints(t *testing.T) {
	src := "dim i=2 j=2 k=2\n@B(1, 0)\n@left(i)\nM[i k] = A[i j] B[j k]  @A(0, 0)\nN[i k] = B[i j] B[j k]\nx[j]"
	p := build(t, src, ProgramOptions{})
	m := p.Statements[0].RHS.Terms[0].Net
	if len(m.Pins) != 2 || m.Pins[0] != (Pin{Node: 0, X: 0, Y: 0}) || m.Pins[1] != (Pin{Node: 1, X: 1, Y: 0}) {
		t.Errorf("M pins %+v", m.Pins)
	}
	if len(m.Sides) != 1 || m.Sides[0] != (SideHint{Leg: "i", Side: "left"}) {
		t.Errorf("M sides %+v", m.Sides)
	}
	n := p.Statements[1].RHS.Terms[0].Net
	if len(n.Pins) != 1 || n.Pins[0].Node != 0 {
		t.Errorf("N pins %+v (the first B)", n.Pins)
	}
	if x := p.Statements[2].RHS.Terms[0].Net; len(x.Pins) != 0 || len(x.Sides) != 0 {
		t.Errorf("x has hints %+v %+v", x.Pins, x.Sides)
	}
}

func TestProgramGroups(t *testing.T) {
	p := build(t, "dim j=3\nN[i j k] = M[i (j k)]\nK[(i j) k] = N[i j k]", ProgramOptions{Shapes: map[string][]int{"M": {2, 12}}})
	if got := p.Statements[0].RHS.OutShape(); !slices.Equal(got, []int{2, 3, 4}) {
		t.Errorf("N shape %v", got)
	}
	if got := p.Statements[1].RHS.OutShape(); !slices.Equal(got, []int{6, 4}) {
		t.Errorf("K shape %v", got)
	}
	if got := p.Statements[1].RHS.OutputGroups; len(got) != 2 || !slices.Equal(got[0], []string{"i", "j"}) {
		t.Errorf("K groups %v", got)
	}
}

func TestProgramDiagonal(t *testing.T) {
	p := build(t, "D: diagonal\ny[i] = D[i j] x[j]", ProgramOptions{Shapes: map[string][]int{"D": {3}}})
	if got := p.Inputs[0].Shape; !slices.Equal(got, []int{3}) {
		t.Errorf("D shape %v", got)
	}
	low, err := p.Statements[0].RHS.Terms[0].Net.Einsum()
	if err != nil {
		t.Fatal(err)
	}
	if low.String() != "D[i] δ[i j] x[j] -> [i]" || low.Operands[0].Input != 0 || low.Operands[1].Input != -1 {
		t.Errorf("diagonal lowered as %s %+v", low, low.Operands)
	}
}

func sprintG(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

func TestDefaultSize(t *testing.T) {
	// k and l are sized by nothing; j is fixed by dim, and m spreads from l
	// through the identity, so only k and l take the default.
	src := "dim j=5\nM[i j] = A[i k] B[k j] I[l m] C[m]"
	prog := build(t, src, ProgramOptions{DefaultSize: 3})
	if want := []string{"i", "k", "l"}; !slices.Equal(prog.Assumed, want) {
		t.Errorf("assumed %v, want %v", prog.Assumed, want)
	}
	net := prog.Statements[0].RHS.Terms[0].Net
	for l, want := range map[string]int{"i": 3, "j": 5, "k": 3, "l": 3, "m": 3} {
		if net.Sizes[l] != want {
			t.Errorf("size of %s = %d, want %d", l, net.Sizes[l], want)
		}
	}
	if err := buildErr(t, src, ProgramOptions{}); !strings.Contains(err.Error(), "size of leg i is unknown") {
		t.Errorf("without a default: %v", err)
	}
}
