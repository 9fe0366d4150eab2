package network

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/strand-tn/strand/notation"
)

// TestDocPrograms resolves every index-notation block of docs/notation.md,
// which writes every formula of the seed post, and compares the networks
// with testdata/seed.golden.
func TestDocPrograms(t *testing.T) {
	var b strings.Builder
	for i, src := range docBlocks(t, "tn") {
		prog := build(t, src, ProgramOptions{})
		b.WriteString("### block " + strconv.Itoa(i) + "\n" + src + "---\n" + summary(prog) + "\n")
	}
	checkGolden(t, "seed.golden", b.String())
}

// docProgram resolves the block of docs/notation.md that contains text.
func docProgram(t *testing.T, text string) *Program {
	t.Helper()
	for _, b := range docBlocks(t, "tn") {
		if strings.Contains(b, text) {
			return build(t, b, ProgramOptions{})
		}
	}
	t.Fatalf("no doc block has %q", text)
	return nil
}

// stmt resolves a one-statement program and returns its value.
func stmt(t *testing.T, src string) *Statement {
	t.Helper()
	prog := build(t, src, ProgramOptions{})
	return prog.Statements[len(prog.Statements)-1]
}

// edgeText writes an edge as "kind label=size A.0 B.1".
func edgeText(n *Network, e *Edge) string {
	s := e.Kind.String() + " " + e.Label + "=" + strconv.Itoa(e.Size)
	for _, end := range e.Ends {
		s += " " + n.Nodes[end.Node].Display() + "." + strconv.Itoa(end.Leg)
	}
	return s
}

func edgesText(n *Network) string {
	var parts []string
	for _, e := range n.Edges {
		parts = append(parts, edgeText(n, e))
	}
	return strings.Join(parts, "; ")
}

func TestSeedContraction(t *testing.T) {
	st := stmt(t, "dim i=2 α=3 β=4 j=5\nM[i j] = A[i α β] v[β] B[β α j]")
	n := st.RHS.Terms[0].Net
	want := "free i=2 A.0; bond α=3 A.1 B.1; hyper β=4 A.2 v.0 B.0; free j=5 B.2"
	if got := edgesText(n); got != want {
		t.Errorf("edges %s\nwant  %s", got, want)
	}
	if !slices.Equal(n.OutShape(), []int{2, 5}) || st.Name != "M" || st.Kind != Assign {
		t.Errorf("M: %v %q %v", n.OutShape(), st.Name, st.Kind)
	}
	// The same network from the einops string and from the pasted call.
	for _, src := range []string{"i α β, β, β α j -> i j"} {
		e, err := notation.ParseEinsum(src)
		if err != nil {
			t.Fatal(err)
		}
		n2, err := FromEinsum(e, [][]int{{2, 3, 4}, {4}, {4, 3, 5}})
		if err != nil {
			t.Fatal(err)
		}
		if got := edgesText(n2); got != "free i=2 A.0; bond α=3 A.1 C.1; hyper β=4 A.2 B.0 C.0; free j=5 C.2" {
			t.Errorf("%q: edges %s", src, got)
		}
	}
	c, err := notation.ParseCall("M = einsum(A,v,B,'i α β, β, β α j -> i j')")
	if err != nil {
		t.Fatal(err)
	}
	n3, err := FromCall(c, [][]int{{2, 3, 4}, {4}, {4, 3, 5}})
	if err != nil {
		t.Fatal(err)
	}
	if got := edgesText(n3); got != want {
		t.Errorf("call: edges %s", got)
	}
}

func TestSeedLadder(t *testing.T) {
	src := "einsum(A,V,B,W,C,X,D,Y,E,Z,'i j, i r, j k l, r k s, l m n, s m t, n o p, t o u, p q, u q -> ')"
	c, err := notation.ParseCall(src)
	if err != nil {
		t.Fatal(err)
	}
	shapes := [][]int{{2, 3}, {2, 2}, {3, 3, 2}, {2, 3, 3}, {2, 2, 3}, {3, 2, 2}, {3, 3, 2}, {2, 3, 3}, {2, 2}, {3, 2}}
	n, err := FromCall(c, shapes)
	if err != nil {
		t.Fatal(err)
	}
	if len(n.Nodes) != 10 || len(n.EdgesOf(Bond)) != 13 || len(n.EdgesOf(Hyper)) != 0 || len(n.Output) != 0 {
		t.Errorf("ladder: %d nodes, %d bonds, %d hyperedges, output %v", len(n.Nodes), len(n.EdgesOf(Bond)), len(n.EdgesOf(Hyper)), n.Output)
	}
	if n.Nodes[9].Name != "Z" || n.Nodes[9].Input != 9 {
		t.Errorf("last node %+v", n.Nodes[9])
	}
	st := docProgram(t, "z = A[i j] V[i r]").Statements[0]
	if got := len(st.RHS.Terms[0].Net.EdgesOf(Bond)); got != 13 {
		t.Errorf("index-notation ladder has %d bonds", got)
	}
}

func TestSeedDecompositions(t *testing.T) {
	for _, tc := range []struct {
		src    string
		shapes [][]int
		out    []int
		edges  string
	}{
		{"s, i s, j s, k s -> i j k", [][]int{{3}, {4, 3}, {5, 3}, {6, 3}}, []int{4, 5, 6},
			"hyper s=3 A.0 B.1 C.1 D.1; free i=4 B.0; free j=5 C.0; free k=6 D.0"},
		{"a b c, i a, j b, k c -> i j k", [][]int{{2, 2, 3}, {4, 2}, {5, 2}, {6, 3}}, []int{4, 5, 6},
			"bond a=2 A.0 B.1; bond b=2 A.1 C.1; bond c=3 A.2 D.1; free i=4 B.0; free j=5 C.0; free k=6 D.0"},
		{"i j, j, k j -> i k", [][]int{{6, 4}, {4}, {5, 4}}, []int{6, 5},
			"free i=6 A.0; hyper j=4 A.1 B.0 C.1; free k=5 C.0"},
		{"i, j, -> i j", [][]int{{3}, {4}}, []int{3, 4}, "free i=3 A.0; free j=4 B.0"},
		{"i, i, -> ", [][]int{{3}, {3}}, []int{}, "bond i=3 A.0 B.0"},
	} {
		e, err := notation.ParseEinsum(tc.src)
		if err != nil {
			t.Fatal(err)
		}
		n, err := FromEinsum(e, tc.shapes)
		if err != nil {
			t.Errorf("%q: %v", tc.src, err)
			continue
		}
		if !slices.Equal(n.OutShape(), tc.out) || edgesText(n) != tc.edges {
			t.Errorf("%q: %v %s\nwant %v %s", tc.src, n.OutShape(), edgesText(n), tc.out, tc.edges)
		}
	}
}

func TestSeedCalls(t *testing.T) {
	c, err := notation.ParseCall("einsum(U, λ, t.conj(V), ' i j, j, k j -> i k' )")
	if err != nil {
		t.Fatal(err)
	}
	n, err := FromCall(c, [][]int{{6, 4}, {4}, {5, 4}})
	if err != nil {
		t.Fatal(err)
	}
	if v := n.Nodes[2]; v.Name != "V" || !v.Conj || v.Display() != "conj(V)" || !slices.Equal(n.OutShape(), []int{6, 5}) {
		t.Errorf("SVD call: %+v %v", v, n.OutShape())
	}
	c, err = notation.ParseCall("einsum(t.eye(5), t.eye(3), 'i j, k l -> (i k) (j l)')")
	if err != nil {
		t.Fatal(err)
	}
	n, err = FromCall(c, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(n.OutShape(), []int{15, 15}) || n.Nodes[0].Kind != Identity || n.Nodes[0].Name != "I5" {
		t.Errorf("kron call: %v %+v", n.OutShape(), n.Nodes[0])
	}
	low, err := n.Einsum()
	if err != nil {
		t.Fatal(err)
	}
	if low.String() != "I5[i j] I3[k l] -> [(i k) (j l)]" || low.Operands[0].Input != -1 {
		t.Errorf("kron lowering %s %+v", low, low.Operands[0])
	}
	c, err = notation.ParseCall("einsum(X.T, Y, 'ij,jk->ik')")
	if err != nil {
		t.Fatal(err)
	}
	n, err = FromCall(c, [][]int{{3, 2}, {3, 4}})
	if err != nil {
		t.Fatal(err)
	}
	low, _ = n.Einsum()
	if !slices.Equal(n.OutShape(), []int{2, 4}) || !slices.Equal(low.Operands[0].Labels, []string{"j", "i"}) {
		t.Errorf("X.T: %v, lowered %v", n.OutShape(), low.Operands[0].Labels)
	}
	c, _ = notation.ParseCall("rearrange(T, 'i j k l -> (i l) (k j)')")
	if _, err := FromCall(c, nil); err == nil {
		t.Errorf("FromCall accepted a rearrange call")
	}
}

func TestSeedRearrange(t *testing.T) {
	c, err := notation.ParseCall("rearrange(T, 'i j k l -> (i l) (k j)')")
	if err != nil {
		t.Fatal(err)
	}
	p, err := PlanCall(c, []int{2, 3, 4, 5}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(p.OutShape, []int{10, 12}) || !slices.Equal(p.Perm, []int{0, 3, 2, 1}) || len(p.Reduced) != 0 {
		t.Errorf("reshape plan %+v", p)
	}
	c, err = notation.ParseCall("rearrange(M, 'i (j k) -> i j k', j=int(np.sqrt(M.shape[-1])))")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := PlanCall(c, []int{2, 9}, nil); err == nil || !strings.Contains(err.Error(), "Python expression int(np.sqrt(M.shape[-1]))") {
		t.Errorf("split without the size: %v", err)
	}
	p, err = PlanCall(c, []int{2, 9}, map[string]int{"j": 3})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(p.OutShape, []int{2, 3, 3}) || !slices.Equal(p.AxisSizes, []int{2, 3, 3}) {
		t.Errorf("split plan %+v", p)
	}
	c, _ = notation.ParseCall("repeat(x, 'h w -> h w c', c=3)")
	if p, err = PlanCall(c, []int{2, 4}, map[string]int{"c": 4}); err == nil {
		t.Errorf("conflicting sizes accepted: %+v", p)
	}
	if p, err = PlanCall(c, []int{2, 4}, nil); err != nil || !slices.Equal(p.OutShape, []int{2, 4, 3}) ||
		!slices.Equal(p.Expand, []int{2, 4, 1}) || !slices.Equal(p.Repeat, []int{2, 4, 3}) {
		t.Errorf("repeat plan %+v, %v", p, err)
	}
	c, _ = notation.ParseCall("einsum(A, 'ij->ji')")
	if _, err := PlanCall(c, []int{2, 4}, nil); err == nil {
		t.Errorf("PlanCall accepted an einsum call")
	}
}

func TestSeedPrograms(t *testing.T) {
	find := func(text string) *Program { return docProgram(t, text) }
	// Isometries: the tip of V is its last axis; V† flips it.
	p := find("V: isometry(big -> small)")
	eq := p.Statements[0]
	vd, v := eq.LHS.Terms[0].Net.Nodes[0], eq.LHS.Terms[0].Net.Nodes[1]
	if v.Kind != Isometry || !slices.Equal(v.Tip, []int{1}) || !vd.Conj || !vd.Transpose || !slices.Equal(vd.Tip, []int{0}) {
		t.Errorf("V %+v, V† %+v", v, vd)
	}
	if eq.Rel != notation.RelEqual || p.Statements[1].Rel != notation.RelNotEqual {
		t.Errorf("relations %v %v", eq.Rel, p.Statements[1].Rel)
	}
	if in := p.Inputs[0]; in.Name != "V" || !slices.Equal(in.Shape, []int{5, 3}) {
		t.Errorf("input V %+v", in)
	}
	// Kronecker product of identities: grouped legs on an identity.
	p = find("I5: identity")
	k := p.Statements[0]
	if !slices.Equal(k.RHS.OutShape(), []int{15, 15}) || k.RHS.Terms[0].Net.Nodes[0].Kind != Identity {
		t.Errorf("kron %v", k.RHS.OutShape())
	}
	low, err := p.Statements[1].RHS.Terms[0].Net.Einsum()
	if err != nil {
		t.Fatal(err)
	}
	if low.String() != "I15[i j] I15[k l] -> [i j k l]" {
		t.Errorf("grouped identity lowered as %s", low)
	}
	if got := p.Statements[1].RHS.Output; !slices.Equal(got, p.Statements[1].LHS.Output) {
		t.Errorf("equation sides not aligned: %v", got)
	}
	// The dense network: three nested σ bubbles.
	p = find("σ(W3[o c]")
	y := p.Statements[0].RHS.Terms[0].Net
	depth := 0
	for n := y; ; depth++ {
		if len(n.Nodes) == 0 || n.Nodes[len(n.Nodes)-1].Kind != Function {
			break
		}
		b := n.Nodes[len(n.Nodes)-1].Bubble
		if b.Func != "σ" || len(b.Args) != 1 {
			t.Fatalf("bubble %+v", b)
		}
		n = b.Args[0].Terms[0].Net
	}
	if depth != 3 || !slices.Equal(y.OutShape(), []int{2}) {
		t.Errorf("dense network: %d bubbles, shape %v", depth, y.OutShape())
	}
	// Attention: softmax over k keeps k; the head leg h is free inside.
	p = find("softmax_k")
	a := p.Statements[0].RHS.Terms[0].Net.Nodes[0]
	if a.Kind != Function || a.Bubble.Leg != "k" || a.Bubble.Consumes || legList(a.Legs) != "h q k" {
		t.Errorf("softmax bubble %+v", a)
	}
	inner := a.Bubble.Args[0].Terms[0].Net
	if e := inner.Edge("h"); e == nil || e.Kind != Hyper {
		t.Errorf("h inside softmax: %+v", e)
	}
	mlp := p.Statements[2].RHS
	if len(mlp.Terms) != 2 || !slices.Equal(mlp.OutShape(), []int{6, 16}) {
		t.Errorf("MLP block %v", mlp)
	}
	// The shifted delta of the previous-token head.
	p = find("δ[k q+1]")
	low, err = p.Statements[0].RHS.Terms[0].Net.Einsum()
	if err != nil {
		t.Fatal(err)
	}
	if op := low.Operands[0]; op.Kind != Delta || !slices.Equal(op.Offsets, []int{0, 1}) {
		t.Errorf("shifted delta lowered as %+v", op)
	}
	// SVD of a tensor by grouping legs: X's first axis is (a b).
	p = find("Y†[s (c d)]")
	last := p.Statements[len(p.Statements)-1].RHS.Terms[0].Net
	low, err = last.Einsum()
	if err != nil {
		t.Fatal(err)
	}
	if x := low.Operands[0]; !slices.Equal(x.Split, []int{2, 1}) || !slices.Equal(x.Labels, []string{"a", "b", "s"}) {
		t.Errorf("X lowered as %+v", x)
	}
	if y := low.Operands[2]; !slices.Equal(y.Labels, []string{"c", "d", "s"}) || !y.Conj || !slices.Equal(y.Split, []int{2, 1}) {
		t.Errorf("Y† lowered as %+v", y)
	}
}
