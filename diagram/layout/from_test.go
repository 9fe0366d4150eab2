package layout_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/strand-tn/strand/diagram"
	"github.com/strand-tn/strand/diagram/layout"
	"github.com/strand-tn/strand/network"
	"github.com/strand-tn/strand/notation"
)

// resolve parses and resolves an index-notation program.
func resolve(t *testing.T, src string) (*network.Program, *notation.Program) {
	t.Helper()
	ast, err := notation.ParseProgram(src)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := network.FromProgram(ast, network.ProgramOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return prog, ast
}

// value converts the value of a program's last statement (one network).
func value(t *testing.T, src string, opt layout.FromOptions) layout.Graph {
	t.Helper()
	prog, _ := resolve(t, src)
	st := prog.Statements[len(prog.Statements)-1]
	g, err := layout.FromNetwork(st.RHS.Terms[0].Net, opt)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func node(t *testing.T, g layout.Graph, id string) layout.Node {
	t.Helper()
	for _, n := range g.Nodes {
		if n.ID == id {
			return n
		}
	}
	var have []string
	for _, n := range g.Nodes {
		have = append(have, n.ID)
	}
	t.Fatalf("no node %q (have %v)", id, have)
	return layout.Node{}
}

func legNames(n layout.Node) []string {
	var out []string
	for _, l := range n.Legs {
		out = append(out, l.Name)
	}
	return out
}

func freeNames(g layout.Graph) []string {
	var out []string
	for _, f := range g.Free {
		out = append(out, f.Name)
	}
	return out
}

// TestFromNetworkKinds: every kind of the network model becomes its shape,
// with names as label markup and legs with their sizes.
func TestFromNetworkKinds(t *testing.T) {
	g := value(t, `dim i=2 j=8 k=3
V: isometry(j -> k)
Q: unitary
y[i k] = W_O[i j] V[j k] Q[k m] I[m n] δ[n p q] x[p] z[q]
dim m=3 n=3 p=3 q=3`, layout.FromOptions{})
	if w := node(t, g, "W_O"); w.Label != "W_{O}" || w.Kind != "" || w.Legs[0].Dim != 2 || w.Legs[1].Dim != 8 {
		t.Errorf("W_O: %+v", w)
	}
	v := node(t, g, "V")
	if v.Kind != diagram.Isometry || v.Legs[0].Tip || !v.Legs[1].Tip {
		t.Errorf("V: kind %q, tips %v %v (want the tip on k)", v.Kind, v.Legs[0].Tip, v.Legs[1].Tip)
	}
	if q := node(t, g, "Q"); q.Kind != diagram.Unitary {
		t.Errorf("Q kind %q", q.Kind)
	}
	if i := node(t, g, "I"); i.Kind != diagram.Identity {
		t.Errorf("I kind %q", i.Kind)
	}
	if d := node(t, g, "δ"); d.Kind != diagram.Delta || len(d.Legs) != 3 {
		t.Errorf("δ: %+v", d)
	}
	if !slices.Equal(freeNames(g), []string{"i", "k"}) {
		t.Errorf("free legs %v", freeNames(g))
	}
	// The graph lays out.
	if _, err := layout.Layout(g, layout.Options{}); err != nil {
		t.Fatal(err)
	}
}

// TestFromNetworkDecorations: a transposed general tensor is drawn upside
// down, a conjugate marked *, an inverse ⁻¹; triangles keep † and ᵀ.
func TestFromNetworkDecorations(t *testing.T) {
	g := value(t, `dim i=3 j=3 k=3 l=3 m=3
V: isometry
s = Bᵀ[i j] X⁻¹[j k] conj(C)[k l] V†[l m] e[i] f[m]`, layout.FromOptions{})
	if b := node(t, g, "Bᵀ"); !b.Flip || b.Label != "B" {
		t.Errorf("Bᵀ: flip %v label %q", b.Flip, b.Label)
	}
	if x := node(t, g, "X⁻¹"); x.Flip || x.Label != "X^{−1}" {
		t.Errorf("X⁻¹: flip %v label %q", x.Flip, x.Label)
	}
	if c := node(t, g, "conj(C)"); c.Label != "C^{*}" {
		t.Errorf("conj(C) label %q", c.Label)
	}
	if v := node(t, g, "V†"); v.Flip || v.Label != "V^{†}" || v.Kind != diagram.Isometry {
		t.Errorf("V†: %+v", v)
	}
}

// TestFromNetworkDiagonal: D_ij = λ_k δ_kij, the vector in grey on a dot.
func TestFromNetworkDiagonal(t *testing.T) {
	g := value(t, "dim i=3 j=3\nD: diagonal\ny[i j] = D[i j]", layout.FromOptions{})
	vec, dot := node(t, g, "D"), node(t, g, "δ")
	if vec.Color != "grey" || len(vec.Legs) != 1 || !vec.Legs[0].Unnamed || vec.Legs[0].Dim != 3 {
		t.Errorf("vector %+v", vec)
	}
	if dot.Kind != diagram.Delta || !slices.Equal(legNames(dot), []string{"i", "j", vec.Legs[0].Name}) {
		t.Errorf("dot %+v", dot)
	}
}

// TestFromNetworkShift: δ[k q+1] is a dot whose leg q carries the shift.
func TestFromNetworkShift(t *testing.T) {
	g := value(t, "dim k=4 q=4\nA[k q] = δ[k q+1]", layout.FromOptions{})
	d := node(t, g, "δ")
	if d.Kind != diagram.Delta || d.Legs[0].Shift != 0 || d.Legs[1].Shift != 1 {
		t.Errorf("δ %+v", d)
	}
	// A shifted identity is drawn as a dot too (a bare line cannot show it).
	g = value(t, "dim k=4 q=4\nA[k q] = I[k q-1]", layout.FromOptions{})
	if d := node(t, g, "δ"); d.Legs[1].Shift != -1 {
		t.Errorf("shifted identity %+v", d)
	}
	s, err := layout.Layout(g, layout.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(s.Labels, func(l diagram.Label) bool { return l.Text == "−1" }) {
		t.Error("no −1 drawn beside the shifted leg")
	}
}

// TestFromNetworkBubble: a function node is a bubble around its argument,
// named by the function and its leg; a consumed leg ends at the contour.
func TestFromNetworkBubble(t *testing.T) {
	g := value(t, "dim q=3 k=4 d=2\nA[q k] = softmax_k(Q[q d] K[k d])", layout.FromOptions{})
	b := node(t, g, "softmax")
	if b.Kind != diagram.Function || b.Label != "softmax_{k}" || b.Inner == nil || len(b.Inner.Nodes) != 2 {
		t.Fatalf("bubble %+v", b)
	}
	if !slices.Equal(legNames(b), []string{"q", "k"}) || !slices.Equal(freeNames(*b.Inner), []string{"q", "k"}) {
		t.Errorf("legs %v, inner free %v", legNames(b), freeNames(*b.Inner))
	}
	g = value(t, "dim i=3 k=4\ns[i] = sum_k(A[i k])", layout.FromOptions{})
	b = node(t, g, "sum")
	if !slices.Equal(legNames(b), []string{"i"}) || !slices.Equal(freeNames(*b.Inner), []string{"i", "k"}) {
		t.Errorf("sum_k: legs %v, inner free %v (k ends at the contour)", legNames(b), freeNames(*b.Inner))
	}
	if _, err := layout.Layout(g, layout.Options{}); err != nil {
		t.Fatal(err)
	}
	prog, _ := resolve(t, "dim i=3\ny[i] = exp(x[i] + z[i])")
	if _, err := layout.FromNetwork(prog.Statements[0].RHS.Terms[0].Net, layout.FromOptions{}); err == nil ||
		!strings.Contains(err.Error(), "sum or a multiple") {
		t.Errorf("a bubble around a sum: %v", err)
	}
}

// TestFromNetworkGroups: grouped legs are one thick leg; where their
// labels go their own ways they meet at a join.
func TestFromNetworkGroups(t *testing.T) {
	// An output group of one tensor's legs: the legs meet at a join.
	g := value(t, "dim i=2 j=3 k=4 l=5\nR[(i l) (k j)] = T[i j k l]", layout.FromOptions{})
	if !slices.Equal(freeNames(g), []string{"(i l)", "(k j)"}) {
		t.Errorf("free %v", freeNames(g))
	}
	joins := 0
	for _, n := range g.Nodes {
		if n.Kind == diagram.Join {
			joins++
			if l := n.Legs[len(n.Legs)-1]; l.Name == "(i l)" && l.Dim != 10 {
				t.Errorf("(i l) has size %d, want 10", l.Dim)
			}
		}
	}
	if joins != 2 {
		t.Errorf("%d joins, want 2", joins)
	}
	// A grouped leg whose labels are exactly an output group is that free leg.
	g = value(t, "dim i=5 j=5 k=3 l=3\nI15: identity\nK[(i k) (j l)] = I15[(i k) (j l)]", layout.FromOptions{})
	if len(g.Nodes) != 1 || !slices.Equal(legNames(g.Nodes[0]), []string{"(i k)", "(j l)"}) || g.Nodes[0].Legs[0].Dim != 15 {
		t.Errorf("I15 %+v", g.Nodes)
	}
	// Two grouped legs with the same labels are one wire.
	g = value(t, "dim a=2 b=3\nz = X[(a b)] Y[(a b)]", layout.FromOptions{})
	if len(g.Nodes) != 2 || g.Nodes[0].Legs[0].Name != g.Nodes[1].Legs[0].Name || g.Nodes[0].Legs[0].Label != "(a b)" {
		t.Errorf("X, Y: %+v", g.Nodes)
	}
}

// TestFromNetworkHintsAndHole: pins, side hints and unknown sizes carry
// over; hole legs meet at a dashed node.
func TestFromNetworkHintsAndHole(t *testing.T) {
	g := value(t, "dim i=2 j=3 k=4\nM[i k] = A[i j] B[j k] @A(0, 1) @right(i)",
		layout.FromOptions{Unsized: map[string]bool{"j": true}})
	if a := node(t, g, "A"); a.Pin == nil || *a.Pin != (layout.Pin{X: 0, Y: 1}) || a.Legs[1].Dim != 0 {
		t.Errorf("A: pin %v, leg j size %d", a.Pin, a.Legs[1].Dim)
	}
	if g.Free[0] != (layout.FreeLeg{Name: "i", Side: layout.Right}) {
		t.Errorf("free %+v", g.Free)
	}
	g = value(t, "dim i=2 j=3 k=4\nd[j k] = A[i j] C[k i]", layout.FromOptions{Hole: []string{"j", "k"}})
	h := node(t, g, "hole")
	if h.Kind != diagram.Hole || !slices.Equal(legNames(h), []string{"j", "k"}) || len(g.Free) != 0 {
		t.Errorf("hole %+v, free %v", h, g.Free)
	}
	prog, _ := resolve(t, "dim i=2\nd[i] = A[i]")
	if _, err := layout.FromNetwork(prog.Statements[0].RHS.Terms[0].Net, layout.FromOptions{Hole: []string{"x"}}); err == nil {
		t.Error("a hole leg that is not free was accepted")
	}
}

// TestFromStatement: equations have both sides and their relation,
// assignments the assigned tensor on the left, sums their signs and
// coefficients.
func TestFromStatement(t *testing.T) {
	prog, _ := resolve(t, `dim i=3 j=3
y[i] = x[i] - 0.5 W[i j] x[j]
V[i j] != W[j i]`)
	f, err := layout.FromStatement(prog.Statements[0], layout.FromOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Sides) != 2 || f.Sides[0].Terms[0].Graph.Nodes[0].ID != "y" || len(f.Sides[1].Terms) != 2 {
		t.Fatalf("assignment %+v", f)
	}
	if term := f.Sides[1].Terms[1]; !term.Neg || term.Coef != "0.5" {
		t.Errorf("second term: neg %v coef %q", term.Neg, term.Coef)
	}
	if f, _ = layout.FromStatement(prog.Statements[0], layout.FromOptions{NoLHS: true}); len(f.Sides) != 1 {
		t.Errorf("NoLHS: %d sides", len(f.Sides))
	}
	f, err = layout.FromStatement(prog.Statements[1], layout.FromOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Sides) != 2 || len(f.Rels) != 1 || f.Rels[0] != "≠" {
		t.Errorf("equation: %d sides, relations %q", len(f.Sides), f.Rels)
	}
	if _, err := layout.LayoutFigure(f, layout.Options{}); err != nil {
		t.Fatal(err)
	}
}

// TestFromProgramDirectives: "# draw:" comments tune one statement's figure.
func TestFromProgramDirectives(t *testing.T) {
	prog, ast := resolve(t, `dim i=2 j=3 k=4
d[j k] = A[i j] C[k i]  # draw: value hole(j k)
e[j k] = A[i j] C[k i]`)
	figs, err := layout.FromProgram(prog, ast, layout.FromOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(figs) != 2 || len(figs[0].Sides) != 1 || len(figs[1].Sides) != 2 {
		t.Fatalf("figures %+v", figs)
	}
	if !slices.ContainsFunc(figs[0].Sides[0].Terms[0].Graph.Nodes, func(n layout.Node) bool { return n.Kind == diagram.Hole }) {
		t.Error("no hole in the first figure")
	}
	for _, bad := range []string{"# draw: sideways", "# draw: hole", "# draw: hole(j"} {
		prog, ast := resolve(t, "dim i=2 j=3 k=4\nd[j k] = A[i j] C[k i]  "+bad)
		if _, err := layout.FromProgram(prog, ast, layout.FromOptions{}); err == nil || !strings.HasPrefix(err.Error(), "layout: ") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

// TestResidual: y = x + f(x) statements are drawn on one vertical stream
// with a "+" per statement, blocks reading pasted copies of the stream,
// and the statement after them that reads the stream's end at its foot.
func TestResidual(t *testing.T) {
	prog, ast := resolve(t, `dim s=4 e=6 m=8 t=5 f=6
x1[s e] = x0[s e] + W_out[m e] gelu(x0[s f] W_in[f m])
x2[s e] = x1[s e] + x1[s f] M[f e]
logits[s t] = x2[s e] W_U[e t]`)
	figs, err := layout.FromProgram(prog, ast, layout.FromOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(figs) != 1 {
		t.Fatalf("%d figures, want the stream in one", len(figs))
	}
	g := figs[0].Sides[0].Terms[0].Graph
	count := map[diagram.Kind]int{}
	pasted := 0
	for _, n := range g.Nodes {
		count[n.Kind]++
		if n.Color == "pink" {
			pasted++
		}
	}
	if !g.Vertical || count[diagram.Add] != 2 || count[diagram.Copy] != 2 || pasted != 1 || !slices.Equal(freeNames(g), []string{"s@t", "t@t"}) {
		t.Errorf("vertical %v, kinds %v, %d pasted copies, free %v", g.Vertical, count, pasted, freeNames(g))
	}
	s, err := layout.Layout(g, layout.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// The stream runs straight down through x0, the copy points and "+".
	var spine []diagram.Node
	for _, n := range s.Nodes {
		if n.ID == "x0" || n.Kind == diagram.Add || n.Kind == diagram.Copy {
			spine = append(spine, n)
		}
	}
	for i := 1; i < len(spine); i++ {
		if spine[i].X != spine[0].X || spine[i].Y <= spine[i-1].Y {
			t.Errorf("stream not straight down: %s at (%g, %g) after %s at (%g, %g)",
				spine[i].ID, spine[i].X, spine[i].Y, spine[i-1].ID, spine[i-1].X, spine[i-1].Y)
		}
	}
	if q := layout.Measure(s); q != (layout.Quality{}) {
		t.Errorf("quality %+v", q)
	}
	// flat draws the same statements as sums.
	figs, err = layout.FromProgram(prog, ast, layout.FromOptions{Flat: true})
	if err != nil || len(figs) != 3 {
		t.Errorf("flat: %d figures, %v", len(figs), err)
	}
}

// TestFromText: every notation draws, with sizes made up where unknown.
func TestFromText(t *testing.T) {
	for _, tc := range []struct {
		text  string
		nodes int
		sized bool // eye(n) gives its sizes
	}{
		{"ij,jk->ik", 2, false},
		{"i, j, -> i j", 2, false},
		{"einsum(U, λ, t.conj(V), ' i j, j, k j -> i k')", 3, false},
		{"einsum(t.eye(5), t.eye(3), 'i j, k l -> (i k) (j l)')", 4, true},
		{"M[i k] = A[i j] B[j k]", 2, false},
	} {
		figs, err := layout.FromText(tc.text, nil, layout.FromOptions{})
		if err != nil {
			t.Errorf("%q: %v", tc.text, err)
			continue
		}
		last := figs[len(figs)-1].Sides
		g := last[len(last)-1].Terms[0].Graph
		if len(g.Nodes) != tc.nodes {
			t.Errorf("%q: %d nodes, want %d", tc.text, len(g.Nodes), tc.nodes)
		}
		for _, n := range g.Nodes {
			for _, l := range n.Legs {
				if l.Dim != 0 && !tc.sized {
					t.Errorf("%q: leg %s of %s has made-up size %d, want unknown", tc.text, l.Name, n.ID, l.Dim)
				}
			}
		}
		if _, err := layout.LayoutFigures(figs, layout.Options{}); err != nil {
			t.Errorf("%q: %v", tc.text, err)
		}
	}
	if _, err := layout.FromText("rearrange(T, 'i j -> j i')", nil, layout.FromOptions{}); err == nil {
		t.Error("rearrange call accepted")
	}
	_, err := layout.FromText("M[i j] = A[i j", nil, layout.FromOptions{})
	var se *notation.SyntaxError
	var list notation.ErrorList
	if !errorsAs(err, &se) && !errorsAs(err, &list) {
		t.Errorf("syntax error %T %v, want a notation error with its position", err, err)
	}
}

func errorsAs(err error, target any) bool { return errors.As(err, target) }
