package tikz

import (
	"bytes"
	"flag"
	"github.com/strand-tn/strand/internal/golden"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strand-tn/strand/diagram"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

func TestMathText(t *testing.T) {
	for in, want := range map[string]string{
		"A":         "A",
		"W_1":       "W_{1}",
		"W_{up}":    `W_{\mathrm{up}}`,
		"V†":        `V^{\dagger}`,
		"Aᵀ":        "A^{T}",
		"seq pos":   `\mathrm{seq}\ \mathrm{pos}`,
		"Match":     `\mathrm{Match}`,
		"αx":        `\alpha x`,
		"σ_1":       `\sigma_{1}`,
		"(i l)":     `(i\ l)`,
		"X⁻¹":       "X^{-1}",
		"A_{k,q}":   "A_{k,q}",
		`a\_b`:      `a\_b`,
		"Σ_h":       `\Sigma_{h}`,
		"0.5":       "0.5",
		"W↑":        `W\uparrow`,
		"100%":      `100\%`,
		"δ_{k,q+1}": `\delta_{k,q+1}`,
	} {
		got, err := mathText(in)
		if err != nil || got != want {
			t.Errorf("mathText(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := mathText("日本"); err == nil || !strings.HasPrefix(err.Error(), "tikz: ") {
		t.Errorf("CJK: %v", err)
	}
	if _, err := mathText("W_"); err == nil {
		t.Error("bad markup accepted")
	}
}

// scene is a small hand-made scene with every shape.
func scene() *diagram.Scene {
	n := func(id string, k diagram.Kind, sh diagram.Shape, x, w, h float64) diagram.Node {
		return diagram.Node{ID: id, Label: id, Kind: k, Shape: sh, Box: diagram.Box{X: x, Y: 30, W: w, H: h}}
	}
	s := &diagram.Scene{
		Nodes: []diagram.Node{
			n("A", diagram.General, diagram.Circle, 30, 28, 28),
			n("Match", diagram.General, diagram.RoundBox, 100, 50, 26),
			n("U", diagram.Unitary, diagram.Square, 170, 26, 26),
			n("V", diagram.Isometry, diagram.Triangle, 230, 30, 34),
			n("δ(m)", diagram.Delta, diagram.Dot, 290, 7, 7),
			n("I", diagram.Identity, diagram.Bare, 330, 0, 0),
		},
		Bounds: diagram.Box{X: 180, Y: 30, W: 360, H: 60},
	}
	s.Nodes[0].Color = "grey"
	s.Nodes[1].Flip = true
	wire := func(a, b int, leg string) {
		na, nb := &s.Nodes[a], &s.Nodes[b]
		p, q := na.Boundary(diagram.Pt(1, 0)), nb.Boundary(diagram.Pt(-1, 0))
		s.Wires = append(s.Wires, diagram.Wire{From: na.ID, To: nb.ID, Leg: leg, Points: []diagram.Point{p, q}, Width: 1.5})
		l, _ := diagram.PlaceLabel(leg, diagram.LegLabel, 11, p.Lerp(q, 0.5).Add(diagram.Pt(0, -8)))
		l.Wire, l.At = len(s.Wires), p.Lerp(q, 0.5)
		s.Labels = append(s.Labels, l)
	}
	wire(0, 1, "j")
	wire(1, 2, "k")
	wire(2, 3, "l")
	wire(3, 4, "m")
	wire(4, 5, "n")
	s.Wires = append(s.Wires, diagram.Wire{From: "A", To: "U", Leg: "r", Curve: true, Width: 2,
		Points: []diagram.Point{{X: 30, Y: 44}, {X: 30, Y: 60}, {X: 170, Y: 60}, {X: 170, Y: 43}}})
	s.Stubs = []diagram.Stub{{Node: "I", Leg: "p", Points: []diagram.Point{{X: 330, Y: 30}, {X: 350, Y: 30}}, Width: 1.5}}
	l, _ := diagram.PlaceLabel("p", diagram.LegLabel, 11, diagram.Pt(354, 30))
	l.Stub, l.At = 1, diagram.Pt(350, 30)
	s.Labels = append(s.Labels, l)
	for _, nd := range s.Nodes {
		if nd.Shape != diagram.Dot && nd.Shape != diagram.Bare {
			l, _ := diagram.PlaceLabel(nd.Label, diagram.NodeLabel, 14, nd.Center())
			l.Owner, l.Flip = nd.ID, nd.Flip
			s.Labels = append(s.Labels, l)
		}
	}
	eq, _ := diagram.PlaceLabel("=", diagram.OpLabel, 20, diagram.Pt(345, 50))
	s.Labels = append(s.Labels, eq)
	return s
}

func TestRender(t *testing.T) {
	var b bytes.Buffer
	if err := Render(&b, scene(), Options{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		`\documentclass{article}`,
		`\coordinate (A) at (30,30);`,
		`\coordinate (deltam) at (290,30);`,
		`\node[tn circle, minimum size=20pt, fill={rgb,255:red,217;green,217;blue,217}] at (A) {};`,
		`\draw[tn isometry] ([shift={(15,0)}]V) --`,
		`node[tn leg, font=\footnotesize, pos=0.5, anchor=-90] {$j$}`,
		`.. controls (w6-1) and (w6-2) ..`,
		`\path (Match) node[tn name, font=\normalsize, rotate=180] {$\mathrm{Match}$};`,
		`-- ++(20,0) node[tn leg, font=\footnotesize, anchor=180] {$p$};`,
		`node[tn name, font=\Large] {$=$}`,
		`\shipout`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %s", want)
		}
	}
	// Every coordinate is defined once.
	seen := map[string]bool{}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, `\coordinate (`) {
			name := line[len(`\coordinate (`):strings.Index(line, ")")]
			if seen[name] {
				t.Errorf("coordinate %s defined twice", name)
			}
			seen[name] = true
		}
	}
	checkGolden(t, "testdata/shapes.tex", b.Bytes())

	var frag bytes.Buffer
	if err := Render(&frag, scene(), Options{Fragment: true}); err != nil {
		t.Fatal(err)
	}
	if f := frag.String(); strings.Contains(f, `\documentclass`) || !strings.HasPrefix(f, "% Needs") || !strings.Contains(f, `\end{tikzpicture}`) {
		t.Errorf("fragment:\n%s", f)
	}
	if latex, err := exec.LookPath("pdflatex"); err == nil {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "s.tex"), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(latex, "-interaction=nonstopmode", "-halt-on-error", "s.tex")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("pdflatex: %v\n%s", err, out[max(0, len(out)-1500):])
		}
	}
}

func TestErrors(t *testing.T) {
	s := scene()
	s.Labels[0].Text = "日"
	if err := Render(&bytes.Buffer{}, s, Options{}); err == nil {
		t.Error("label without LaTeX form accepted")
	}
	s = scene()
	s.Wires[0].To = "nobody"
	if err := Render(&bytes.Buffer{}, s, Options{}); err == nil || !strings.Contains(err.Error(), "unknown nodes") {
		t.Errorf("wire to unknown node: %v", err)
	}
	s = scene()
	s.Nodes[0].Color = "mauve"
	if err := Render(&bytes.Buffer{}, s, Options{}); err == nil {
		t.Error("unknown colour accepted")
	}
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	golden.Check(t, path, got, *update)
}
