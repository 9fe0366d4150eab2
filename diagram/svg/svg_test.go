package svg_test

import (
	"bytes"
	"encoding/xml"
	"flag"
	"github.com/strand-tn/strand/internal/golden"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/strand-tn/strand/diagram"
	"github.com/strand-tn/strand/diagram/layout"
	"github.com/strand-tn/strand/diagram/svg"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// kinds lays out a network with one tensor of every kind, a colour, a
// flipped tensor, a hyperedge and a bubble.
func kinds(t *testing.T) *diagram.Scene {
	t.Helper()
	leg := func(names ...string) []layout.Leg {
		var l []layout.Leg
		for _, n := range names {
			l = append(l, layout.Leg{Name: n})
		}
		return l
	}
	inner := layout.Graph{Nodes: []layout.Node{{ID: "W", Legs: leg("q", "r")}, {ID: "x", Legs: leg("r")}}, Free: []layout.FreeLeg{{Name: "q"}}}
	g := layout.Graph{
		Nodes: []layout.Node{
			{ID: "A", Color: "grey", Legs: leg("i", "j")},
			{ID: "Match", Flip: true, Legs: leg("j", "k")},
			{ID: "U", Kind: diagram.Unitary, Legs: leg("k", "l")},
			{ID: "V", Kind: diagram.Isometry, Legs: []layout.Leg{{Name: "l", Dim: 8}, {Name: "m", Dim: 2}}},
			{ID: "d", Kind: diagram.Delta, Legs: leg("m", "n", "o")},
			{ID: "I", Kind: diagram.Identity, Legs: leg("n", "p")},
			{ID: "H", Kind: diagram.Hole, Legs: leg("o", "q")},
			{ID: "f", Label: "σ", Kind: diagram.Function, Inner: &inner},
		},
		Free: []layout.FreeLeg{{Name: "i"}, {Name: "p"}},
	}
	s, err := layout.Layout(g, layout.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestKinds(t *testing.T) {
	s := kinds(t)
	var b bytes.Buffer
	if err := svg.Render(&b, s, svg.Options{}); err != nil {
		t.Fatal(err)
	}
	// Well-formed XML; count the elements.
	count := map[string]int{}
	dec := xml.NewDecoder(bytes.NewReader(b.Bytes()))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			count[se.Name.Local]++
		}
	}
	if count["svg"] != 1 || count["style"] != 1 || count["text"] != len(s.Labels) {
		t.Errorf("elements %v", count)
	}
	if want := len(s.Nodes) + len(s.Wires) + len(s.Stubs); count["title"] != want {
		t.Errorf("%d titles, want one per tensor and leg (%d)", count["title"], want)
	}
	if count["polygon"] != 2 { // the isometry and the unitary
		t.Errorf("%d polygons, want 2", count["polygon"])
	}
	out := b.String()
	for _, want := range []string{
		`class="tensor general fill-grey"`, `class="tensor isometry"`, `class="tensor delta"`,
		`class="tensor hole"`, `class="tensor function"`, `transform="rotate(180 `, `class="it"`,
		`<title>σ: q</title>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %s", want)
		}
	}
	checkGolden(t, "testdata/kinds.svg", b.Bytes())
	// Same scene, same bytes.
	var again bytes.Buffer
	if err := svg.Render(&again, s, svg.Options{}); err != nil || !bytes.Equal(again.Bytes(), b.Bytes()) {
		t.Error("two renderings differ")
	}
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	golden.Check(t, path, got, *update)
}

func TestEscapingAndOptions(t *testing.T) {
	s := &diagram.Scene{
		Nodes:  []diagram.Node{{ID: `a"<&>`, Kind: diagram.General, Shape: diagram.Circle, Box: diagram.Box{X: 10, Y: 10, W: 10, H: 10}, Title: "x<y & z"}},
		Labels: []diagram.Label{{Text: "a<b", Box: diagram.Box{X: 10, Y: 10, W: 8, H: 8}, Baseline: 13, Kind: diagram.NodeLabel, Size: 14}},
		Bounds: diagram.Box{X: 10, Y: 10, W: 20, H: 20},
	}
	var b bytes.Buffer
	if err := svg.Render(&b, s, svg.Options{Scale: 2, NoStyle: true}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{`data-id="a&quot;&lt;&amp;&gt;"`, `<title>x&lt;y &amp; z</title>`, `>&lt;</tspan>`, `width="40" height="40"`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, "<style>") {
		t.Error("NoStyle wrote a style block")
	}
	if err := xml.Unmarshal(b.Bytes(), new(struct{})); err != nil {
		t.Errorf("not XML: %v", err)
	}
	if err := svg.Render(io.Discard, s, svg.Options{Scale: -1}); err == nil || !strings.HasPrefix(err.Error(), "svg: ") {
		t.Errorf("negative scale: %v", err)
	}
	s.Nodes[0].Color = "mauve"
	if err := svg.Render(io.Discard, s, svg.Options{}); err == nil {
		t.Error("unknown colour accepted")
	}
	s.Nodes[0].Color = ""
	s.Labels[0].Text = "W_"
	if err := svg.Render(io.Discard, s, svg.Options{}); err == nil {
		t.Error("bad label markup accepted")
	}
}

func ExampleRender() {
	s := &diagram.Scene{
		Nodes:  []diagram.Node{{ID: "v", Kind: diagram.General, Shape: diagram.Circle, Box: diagram.Box{X: 40, Y: 20, W: 28, H: 28}, Title: "v: i"}},
		Stubs:  []diagram.Stub{{Node: "v", Leg: "i", Points: []diagram.Point{{X: 26, Y: 20}, {X: 6, Y: 20}}, Width: 1.5, Title: "i, free"}},
		Bounds: diagram.Box{X: 30, Y: 20, W: 60, H: 40},
	}
	_ = svg.Render(os.Stdout, s, svg.Options{NoStyle: true})
	// Output:
	// <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 60 40" width="60" height="40">
	// <g class="bubbles">
	// </g>
	// <g class="wires">
	// </g>
	// <g class="stubs">
	// <path class="stub" data-leg="i" d="M26 20L6 20" stroke-width="1.5"><title>i, free</title></path>
	// </g>
	// <g class="tensors">
	// <g class="tensor general" data-id="v"><title>v: i</title><circle cx="40" cy="20" r="14"/></g>
	// </g>
	// <g class="labels">
	// </g>
	// </svg>
}
