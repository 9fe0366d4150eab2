package layout_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"github.com/strand-tn/strand/internal/golden"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strand-tn/strand/diagram"
	"github.com/strand-tn/strand/diagram/layout"
	"github.com/strand-tn/strand/diagram/svg"
	"github.com/strand-tn/strand/diagram/tikz"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

func draw(tb testing.TB, ex example) *diagram.Scene {
	tb.Helper()
	s, err := layout.LayoutFigure(ex.fig, layout.Options{})
	if err != nil {
		tb.Fatalf("%s: %v", ex.name, err)
	}
	return s
}

// TestGalleryQuality checks every test figure: no overlapping shapes or
// labels, no wire through a tensor, no free leg touching anything, and
// exactly the expected wire crossings (none for planar networks).
func TestGalleryQuality(t *testing.T) {
	for _, ex := range gallery() {
		t.Run(ex.name, func(t *testing.T) {
			s := draw(t, ex)
			q := layout.Measure(s)
			want := layout.Quality{WireCrossings: ex.crossings}
			if q != want {
				t.Errorf("quality %+v, want %+v", q, want)
			}
		})
	}
}

// TestDeterministic lays every figure out twice and compares the JSON.
func TestDeterministic(t *testing.T) {
	for _, ex := range gallery() {
		a, _ := json.Marshal(draw(t, ex))
		b, _ := json.Marshal(draw(t, ex))
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two layouts differ", ex.name)
		}
	}
}

// TestContract checks the JSON scene contract: every wire runs from the
// outline of its "from" node to the outline of its "to" node, every stub
// starts on its node's outline, every label's box holds its text.
func TestContract(t *testing.T) {
	const eps = 0.02 // coordinates are rounded to 1/100
	onOutline := func(n *diagram.Node, p diagram.Point) bool {
		switch n.Shape {
		case diagram.Bare:
			return p.Sub(n.Center()).Len() < eps
		case diagram.Circle, diagram.Dot:
			return math.Abs(p.Sub(n.Center()).Len()-math.Min(n.W, n.H)/2) < eps
		}
		q := n.Boundary(p.Sub(n.Center()))
		return q.Sub(p).Len() < eps
	}
	for _, ex := range gallery() {
		s := draw(t, ex)
		for i, w := range s.Wires {
			from, ok1 := s.Node(w.From)
			to, ok2 := s.Node(w.To)
			if !ok1 || !ok2 {
				t.Fatalf("%s: wire %d joins unknown nodes %q, %q", ex.name, i, w.From, w.To)
			}
			if !onOutline(from, w.Points[0]) || !onOutline(to, w.Points[len(w.Points)-1]) {
				t.Errorf("%s: wire %d (%s) %v…%v does not run outline to outline of %s and %s",
					ex.name, i, w.Leg, w.Points[0], w.Points[len(w.Points)-1], w.From, w.To)
			}
			if w.Curve && (len(w.Points)-1)%3 != 0 {
				t.Errorf("%s: wire %d: a curve of %d points", ex.name, i, len(w.Points))
			}
		}
		for i, st := range s.Stubs {
			n, ok := s.Node(st.Node)
			if !ok || !onOutline(n, st.Points[0]) {
				t.Errorf("%s: stub %d (%s) does not start on %s's outline", ex.name, i, st.Leg, st.Node)
			}
		}
		for _, l := range s.Labels {
			txt, err := diagram.ParseText(l.Text)
			if err != nil {
				t.Fatal(err)
			}
			_, e := txt.Set(l.Size)
			if math.Abs(e.W-l.W) > eps || math.Abs(e.Ascent+e.Descent-l.H) > eps {
				t.Errorf("%s: label %q box %gx%g, text %gx%g", ex.name, l.Text, l.W, l.H, e.W, e.Ascent+e.Descent)
			}
		}
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, key := range []string{`"nodes":[{"id":`, `"wires":[`, `"stubs":[`, `"labels":[{"text":`} {
			if !bytes.Contains(b, []byte(key)) {
				t.Errorf("%s: JSON lacks %s", ex.name, key)
			}
		}
	}
}

// TestTraceParallelVsCrossed: Tr(AB) = A_ij B_ji is drawn as two arcs that
// do not cross, Tr(ABᵀ) = A_ij B_ij as two that cross once.
func TestTraceParallelVsCrossed(t *testing.T) {
	for _, tc := range []struct {
		g     layout.Graph
		cross int
	}{{trAB(), 0}, {trABT(), 1}} {
		s, err := layout.Layout(tc.g, layout.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Wires) != 2 {
			t.Fatalf("%d wires", len(s.Wires))
		}
		if got := diagram.PolylinesCross(s.Wires[0].Polyline(), s.Wires[1].Polyline()); got != tc.cross {
			t.Errorf("%v: %d crossings, want %d", tc.g.Nodes, got, tc.cross)
		}
		// The two wires leave A at different points.
		if s.Wires[0].Points[0].Sub(s.Wires[1].Points[0]).Len() < 5 {
			t.Errorf("wires of the bundle start on top of each other")
		}
	}
}

// TestStructures checks the placement of structured networks.
func TestStructures(t *testing.T) {
	at := func(s *diagram.Scene, id string) diagram.Point {
		n, ok := s.Node(id)
		if !ok {
			t.Fatalf("no node %q", id)
		}
		return n.Center()
	}
	// A chain is one straight row, evenly spaced, first free leg left.
	s, _ := layout.Layout(graph(free("i", "l"), tn("A", "i", "j"), tn("B", "j", "k"), tn("C", "k", "l")), layout.Options{})
	a, b, c := at(s, "A"), at(s, "B"), at(s, "C")
	if a.Y != b.Y || b.Y != c.Y || !(a.X < b.X && b.X < c.X) || math.Abs((b.X-a.X)-(c.X-b.X)) > 0.02 {
		t.Errorf("chain at %v %v %v", a, b, c)
	}
	if d := s.Stubs[0].Points[1].Sub(s.Stubs[0].Points[0]); s.Stubs[0].Leg != "i" || d.X >= 0 || d.Y != 0 {
		t.Errorf("first free leg %s points %v, want left", s.Stubs[0].Leg, d)
	}
	// The ten-tensor ladder: two rows of five, A top left.
	s, _ = layout.Layout(ladder(), layout.Options{})
	top, bottom := "ABCDE", "VWXYZ"
	for i := range 5 {
		p, q := at(s, top[i:i+1]), at(s, bottom[i:i+1])
		if p.X != q.X || !(p.Y < q.Y) || p.Y != at(s, "A").Y || q.Y != at(s, "V").Y {
			t.Errorf("ladder column %d: %v above %v", i, p, q)
		}
	}
	// A matrix-product state: every free leg points down.
	s, _ = layout.Layout(graph(free("p", "q", "r"), tn("A", "p", "a"), tn("B", "a", "q", "b"), tn("C", "b", "r")), layout.Options{})
	for _, st := range s.Stubs {
		if d := st.Points[1].Sub(st.Points[0]); d.X != 0 || d.Y <= 0 {
			t.Errorf("MPS leg %s points %v, want down", st.Leg, d)
		}
	}
	// A vertical chain runs top to bottom.
	g := graph(free("i", "l"), tn("A", "i", "j"), tn("B", "j", "k"), tn("C", "k", "l"))
	g.Vertical = true
	s, _ = layout.Layout(g, layout.Options{})
	if a, b := at(s, "A"), at(s, "B"); a.X != b.X || !(a.Y < b.Y) {
		t.Errorf("vertical chain: A %v, B %v", a, b)
	}
	// An isometry's tip points toward its small leg.
	s, _ = layout.Layout(graph(free("i"), dims(kind(tn("V", "i", "j"), diagram.Isometry), 2, 8), tn("x", "j")), layout.Options{})
	v, _ := s.Node("V")
	x, _ := s.Node("x")
	if tip := diagram.Dir(v.Angle); tip.Dot(x.Center().Sub(v.Center())) >= 0 {
		t.Errorf("tip %v points toward x (the big leg)", tip)
	}
}

// TestThickness: a wire's width grows with the log of its dimension.
func TestThickness(t *testing.T) {
	s, err := layout.Layout(graph(free("i", "k"),
		dims(tn("A", "i", "j"), 2, 768), dims(tn("B", "j", "k"), 768, 50000)), layout.Options{})
	if err != nil {
		t.Fatal(err)
	}
	wi, wk, wj := s.Stubs[0].Width, s.Stubs[1].Width, s.Wires[0].Width
	if !(wi < wj && wj < wk) || s.Wires[0].Dim != 768 {
		t.Errorf("widths i(2)=%g j(768)=%g k(50000)=%g", wi, wj, wk)
	}
	want := 1 + 0.5*math.Log2(768)
	if math.Abs(wj-want) > 0.01 {
		t.Errorf("width of 768: %g, want %g", wj, want)
	}
}

// TestPins: pinned tensors keep their pins (relative to each other, in
// cells), the others are laid out around them without overlaps.
func TestPins(t *testing.T) {
	g := ladder()
	g.Nodes[0].Pin = &layout.Pin{X: 0, Y: 0} // A
	g.Nodes[9].Pin = &layout.Pin{X: 5, Y: 2} // Z, far from where the ladder puts it
	opt := layout.Options{}
	s, err := layout.Layout(g, opt)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := s.Node("A")
	z, _ := s.Node("Z")
	want := diagram.Pt(5*opt.Cell(), 2*opt.Cell())
	if d := z.Center().Sub(a.Center()).Sub(want); d.Len() > 0.02 {
		t.Errorf("Z - A = %v, want %v", z.Center().Sub(a.Center()), want)
	}
	if q := layout.Measure(s); q.NodeOverlaps != 0 || q.WiresThroughNodes != 0 {
		t.Errorf("pinned ladder: %+v", q)
	}
	// One pin moves the whole drawing: relative positions are those of the
	// unpinned layout.
	g = ladder()
	g.Nodes[4].Pin = &layout.Pin{X: 3, Y: 1}
	s1, _ := layout.Layout(g, opt)
	s0, _ := layout.Layout(ladder(), opt)
	for i := range s0.Nodes {
		d0 := s0.Nodes[i].Center().Sub(s0.Nodes[0].Center())
		d1 := s1.Nodes[i].Center().Sub(s1.Nodes[0].Center())
		if d0.Sub(d1).Len() > 0.02 {
			t.Errorf("node %s moved relative to A: %v vs %v", s0.Nodes[i].ID, d1, d0)
		}
	}
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		g    layout.Graph
		want string
	}{
		{graph(nil, tn("", "i")), `layout: node 0: empty ID`},
		{graph(nil, tn("A", "i"), tn("A", "i")), `layout: node 1 "A": ID used twice`},
		{graph(free("k"), tn("A", "i")), `layout: free leg 0 "k": no tensor has this leg`},
		{graph(free("i", "i"), tn("A", "i")), `listed twice`},
		{graph(nil, dims(tn("A", "i"), -2)), `negative dimension -2`},
		{graph(nil, dims(tn("A", "i"), 2), dims(tn("B", "i"), 3)), `leg "i" has dimension 2 on "A" but 3 on "B"`},
		{graph(nil, label(tn("A", "i"), "W_")), `has no script`},
		{graph(nil, layout.Node{ID: "A", Color: "mauve"}), `unknown colour "mauve"`},
		{graph(nil, layout.Node{ID: "A", Kind: "blob"}), `unknown kind "blob"`},
		{graph(nil, kind(tn("I", "i"), diagram.Identity)), `an identity has 2 legs, not 1`},
		{graph(nil, layout.Node{ID: "f", Kind: diagram.Function}), `function node without an inner network`},
		{graph(nil, layout.Node{ID: "A", Pin: &layout.Pin{X: math.NaN()}}), `not finite`},
		{graph(nil, layout.Node{ID: "A", Legs: []layout.Leg{{Name: "i", Side: "sideways"}}}), `unknown side "sideways"`},
		{graph(nil, bubble("f", "σ", graph(free("b"), tn("A", "b", "b2"), tn("A", "b2")))), `node 0 "f": inner: node 1 "A": ID used twice`},
	} {
		_, err := layout.Layout(tc.g, layout.Options{})
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "layout: ") {
			t.Errorf("error %v, want one containing %q", err, tc.want)
		}
	}
	if _, err := layout.LayoutFigure(layout.Figure{}, layout.Options{}); err == nil {
		t.Error("empty figure accepted")
	}
	if _, err := layout.LayoutFigure(layout.Figure{Sides: []layout.Sum{{Terms: []layout.Term{{}}}}}, layout.Options{}); err == nil ||
		!strings.Contains(err.Error(), "neither a network nor a coefficient") {
		t.Errorf("empty term: %v", err)
	}
	if _, err := layout.Layout(trAB(), layout.Options{Wire: -1}); err == nil {
		t.Error("negative wire length accepted")
	}
}

// TestGolden compares the SVG and TikZ of every test figure with the files
// under testdata/ (go test -update rewrites them).
func TestGolden(t *testing.T) {
	for _, ex := range gallery() {
		s := draw(t, ex)
		var sb, tb bytes.Buffer
		if err := svg.Render(&sb, s, svg.Options{}); err != nil {
			t.Fatal(err)
		}
		if err := tikz.Render(&tb, s, tikz.Options{}); err != nil {
			t.Fatal(err)
		}
		golden.Check(t, filepath.Join("testdata", ex.name+".svg"), sb.Bytes(), *update)
		golden.Check(t, filepath.Join("testdata", ex.name+".tex"), tb.Bytes(), *update)
	}
}

// TestTikZCompiles runs pdflatex on the TikZ of every test figure when
// LaTeX is installed (.ci/run installs texlive-latex-base and
// texlive-pictures).
func TestTikZCompiles(t *testing.T) {
	latex, err := exec.LookPath("pdflatex")
	if err != nil {
		t.Skip("pdflatex not installed")
	}
	dir := t.TempDir()
	// One standalone document, then every picture as a fragment in one
	// document (a single pdflatex run).
	var doc bytes.Buffer
	doc.WriteString("\\documentclass{article}\n\\usepackage{tikz}\n\\begin{document}\n")
	for i, ex := range gallery() {
		s := draw(t, ex)
		if i == 0 {
			var b bytes.Buffer
			if err := tikz.Render(&b, s, tikz.Options{}); err != nil {
				t.Fatal(err)
			}
			compile(t, latex, dir, "standalone", b.Bytes())
		}
		if err := tikz.Render(&doc, s, tikz.Options{Fragment: true}); err != nil {
			t.Fatal(err)
		}
		doc.WriteString("\n\n")
	}
	doc.WriteString("\\end{document}\n")
	compile(t, latex, dir, "all", doc.Bytes())
}

func compile(t *testing.T, latex, dir, name string, src []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name+".tex"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(latex, "-interaction=nonstopmode", "-halt-on-error", name+".tex")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("pdflatex %s: %v\n%s", name, err, tail(out, 2000))
	}
	if _, err := os.Stat(filepath.Join(dir, name+".pdf")); err != nil {
		t.Fatalf("pdflatex %s wrote no PDF", name)
	}
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

// randomGraph is a connected network of n tensors: a random spanning tree
// plus extra random wires, so that about 1.5n legs are contracted, and a
// few free legs.
func randomGraph(n int, seed uint64) layout.Graph {
	rng := rand.New(rand.NewPCG(seed, 1))
	g := layout.Graph{}
	for i := range n {
		g.Nodes = append(g.Nodes, layout.Node{ID: fmt.Sprintf("T%d", i)})
	}
	bond := 0
	join := func(a, b int) {
		name := fmt.Sprintf("b%d", bond)
		bond++
		g.Nodes[a].Legs = append(g.Nodes[a].Legs, layout.Leg{Name: name, Dim: 2 + rng.IntN(6)})
		g.Nodes[b].Legs = append(g.Nodes[b].Legs, layout.Leg{Name: name, Dim: g.Nodes[a].Legs[len(g.Nodes[a].Legs)-1].Dim})
	}
	for i := 1; i < n; i++ {
		join(rng.IntN(i), i)
	}
	for range n / 2 {
		a, b := rng.IntN(n), rng.IntN(n)
		if a != b {
			join(a, b)
		}
	}
	for i := 0; i < n; i += 10 {
		name := fmt.Sprintf("p%d", i)
		g.Nodes[i].Legs = append(g.Nodes[i].Legs, layout.Leg{Name: name})
		g.Free = append(g.Free, layout.FreeLeg{Name: name})
	}
	return g
}

// TestRandom lays out random networks: no overlapping tensors, no wire
// through a tensor, no free leg touching anything.
func TestRandom(t *testing.T) {
	for seed := range uint64(6) {
		g := randomGraph(12+int(seed)*3, seed)
		s, err := layout.Layout(g, layout.Options{})
		if err != nil {
			t.Fatal(err)
		}
		q := layout.Measure(s)
		if q.NodeOverlaps != 0 || q.WiresThroughNodes != 0 || q.FreeLegCrossings != 0 {
			t.Errorf("seed %d: %+v", seed, q)
		}
	}
}

// BenchmarkLayout100 lays out a random network of 100 tensors (the issue
// asks for under a second).
func BenchmarkLayout100(b *testing.B) {
	g := randomGraph(100, 7)
	for b.Loop() {
		if _, err := layout.Layout(g, layout.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func ExampleLayout() {
	// M_ik = Σ_j A_ij B_jk: a chain, i leaving left and k right.
	g := layout.Graph{
		Nodes: []layout.Node{
			{ID: "A", Legs: []layout.Leg{{Name: "i"}, {Name: "j", Dim: 3}}},
			{ID: "B", Legs: []layout.Leg{{Name: "j", Dim: 3}, {Name: "k"}}},
		},
		Free: []layout.FreeLeg{{Name: "i"}, {Name: "k"}},
	}
	s, err := layout.Layout(g, layout.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, n := range s.Nodes {
		fmt.Printf("%s %s at (%g, %g)\n", n.ID, n.Shape, n.X, n.Y)
	}
	for _, w := range s.Wires {
		fmt.Printf("wire %s: %s→%s %v width %g\n", w.Leg, w.From, w.To, w.Points, w.Width)
	}
	for _, st := range s.Stubs {
		fmt.Printf("free %s on %s: %v\n", st.Leg, st.Node, st.Points)
	}
	fmt.Printf("%+v\n", layout.Measure(s))
	// Output:
	// A circle at (45.33, 20)
	// B circle at (109.33, 20)
	// wire j: A→B [{59.33 20} {95.33 20}] width 1.79
	// free i on A: [{31.33 20} {11.33 20}]
	// free k on B: [{123.33 20} {143.33 20}]
	// {NodeOverlaps:0 LabelOverlaps:0 WiresThroughNodes:0 FreeLegCrossings:0 WireCrossings:0}
}
