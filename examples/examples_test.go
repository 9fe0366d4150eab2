package examples_test

import (
	"bytes"
	"flag"
	"github.com/strand-tn/strand/internal/golden"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/strand-tn/strand"
	"github.com/strand-tn/strand/diagram"
	"github.com/strand-tn/strand/diagram/layout"
	"github.com/strand-tn/strand/diagram/svg"
	"github.com/strand-tn/strand/diagram/tikz"
	"github.com/strand-tn/strand/examples"
	"github.com/strand-tn/strand/grad"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// TestAll checks the list: every example has a title and is in the seed's
// order, and Get finds it.
func TestAll(t *testing.T) {
	all := examples.All()
	if len(all) < 41 {
		t.Errorf("%d examples, want every figure of the seed (41)", len(all))
	}
	seen := map[string]bool{}
	for _, e := range all {
		if e.Title == "" || !strings.HasPrefix(e.Text, "# ") {
			t.Errorf("%s: no title comment on the first line", e.Name)
		}
		if seen[e.Name] {
			t.Errorf("%s listed twice", e.Name)
		}
		seen[e.Name] = true
		if g, err := examples.Get(e.Name); err != nil || g.Text != e.Text {
			t.Errorf("Get(%q): %v", e.Name, err)
		}
	}
	if names := []string{all[0].Name, all[1].Name}; !slices.Equal(names, []string{"tensor", "products"}) {
		t.Errorf("the list starts %v, want the seed's order (tensor, products, …)", names)
	}
	if _, err := examples.Get("no-such-example"); err == nil || !strings.Contains(err.Error(), "tensor") {
		t.Errorf("Get of an unknown name: %v (want an error listing the examples)", err)
	}
}

// TestEquationsHold evaluates every example on seeded random tensors of
// the declared kinds: every statement evaluates and every equation holds
// (a "!=" equation holds when the sides differ).
func TestEquationsHold(t *testing.T) {
	for _, e := range examples.All() {
		t.Run(e.Name, func(t *testing.T) {
			p, err := strand.Parse(e.Text)
			if err != nil {
				t.Fatal(err)
			}
			for seed := range uint64(2) {
				res, err := p.Eval(nil, strand.Options{Random: true, Seed: seed + 1})
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range res {
					if r.LHS != nil && !r.Pass {
						t.Errorf("seed %d: equation at offset %d fails: max error %g (tolerance %g)", seed+1, r.Statement.Pos, r.MaxError, r.Tolerance)
					}
				}
			}
		})
	}
}

// crossings lists the examples whose drawings cross wires, and how often:
// networks that are not planar, or not once the stream is drawn straight.
var crossings = map[string]int{
	"mera": 1, // ⟨Top, Top⟩ = Top_ab Top_ab: two wires in the same order cross (Tr(ABᵀ))
}

// scene draws an example as strand draw does.
func scene(tb testing.TB, e examples.Example) *diagram.Scene {
	tb.Helper()
	figs, err := layout.FromText(e.Text, nil, layout.FromOptions{})
	if err != nil {
		tb.Fatalf("%s: %v", e.Name, err)
	}
	s, err := layout.LayoutFigures(figs, layout.Options{})
	if err != nil {
		tb.Fatalf("%s: %v", e.Name, err)
	}
	return s
}

// TestLayoutQuality draws every example: no overlapping shapes or labels,
// no wire through a tensor, no free leg touching anything, and no wire
// crossings on the planar ones.
func TestLayoutQuality(t *testing.T) {
	for _, e := range examples.All() {
		t.Run(e.Name, func(t *testing.T) {
			s := scene(t, e)
			q := layout.Measure(s)
			if want := (layout.Quality{WireCrossings: crossings[e.Name]}); q != want {
				t.Errorf("quality %+v, want %+v", q, want)
				for _, d := range layout.Defects(s) {
					t.Log(d)
				}
			}
		})
	}
}

// TestGolden compares the SVG and TikZ of every example with the files
// under testdata/ (go test -update rewrites them; look at them then).
func TestGolden(t *testing.T) {
	for _, e := range examples.All() {
		s := scene(t, e)
		var sb, tb bytes.Buffer
		if err := svg.Render(&sb, s, svg.Options{}); err != nil {
			t.Fatal(err)
		}
		if err := tikz.Render(&tb, s, tikz.Options{}); err != nil {
			t.Fatal(err)
		}
		golden.Check(t, filepath.Join("testdata", e.Name+".svg"), sb.Bytes(), *update)
		golden.Check(t, filepath.Join("testdata", e.Name+".tex"), tb.Bytes(), *update)
	}
}

// TestTikZCompiles runs pdflatex on the TikZ of every example, all in one
// document of fragments, when LaTeX is installed (.ci/run installs
// texlive-latex-base and texlive-pictures).
func TestTikZCompiles(t *testing.T) {
	latex, err := exec.LookPath("pdflatex")
	if err != nil {
		t.Skip("pdflatex not installed")
	}
	var doc bytes.Buffer
	doc.WriteString("\\documentclass{article}\n\\usepackage{tikz}\n\\begin{document}\n")
	for _, e := range examples.All() {
		if err := tikz.Render(&doc, scene(t, e), tikz.Options{Fragment: true}); err != nil {
			t.Fatalf("%s: %v", e.Name, err)
		}
		doc.WriteString("\n\n")
	}
	doc.WriteString("\\end{document}\n")
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "gallery.tex"), doc.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(latex, "-interaction=nonstopmode", "-halt-on-error", "gallery.tex")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		if len(out) > 3000 {
			out = out[len(out)-3000:]
		}
		t.Fatalf("pdflatex: %v\n%s", err, out)
	}
}

// The derivatives the gallery shows are strand's own: each equals, up to
// renaming, what Program.Grad derives from the statement before it.
func TestDerivativesAreStrands(t *testing.T) {
	e, err := examples.Get("dense-derivative")
	if err != nil {
		t.Fatal(err)
	}
	p, err := strand.Parse(e.Text)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(e.Text, "\n")
	var upToY []string
	for _, l := range lines {
		upToY = append(upToY, l)
		if strings.HasPrefix(l, "y[o]") {
			break
		}
	}
	q, err := strand.Parse(strings.Join(upToY, "\n"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := q.Grad(strand.Options{}, true, "W")
	if err != nil {
		t.Fatal(err)
	}
	net, err := p.Resolve(nil, strand.Options{})
	if err != nil {
		t.Fatal(err)
	}
	shown := net.Statements[len(net.Statements)-1].RHS
	if equal, err := grad.Equal(shown, d.Expr); err != nil || !equal {
		t.Errorf("the example's derivative differs from strand's: %v\nstrand: %s", err, d)
	}
}
