package diagram

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseText(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Text
	}{
		{"A", Text{{"A", Base, true}}},
		{"Match", Text{{"Match", Base, false}}},
		{"W_1", Text{{"W", Base, true}, {"1", Sub, false}}},
		{"W₁", Text{{"W", Base, true}, {"1", Sub, false}}},
		{"W_{up}", Text{{"W", Base, true}, {"up", Sub, false}}},
		{"A^T", Text{{"A", Base, true}, {"T", Super, true}}},
		{"Aᵀ", Text{{"A", Base, true}, {"T", Super, true}}},
		{"V†", Text{{"V", Base, true}, {"†", Super, false}}},
		{"V^†", Text{{"V", Base, true}, {"†", Super, false}}},
		{"X⁻¹", Text{{"X", Base, true}, {"−1", Super, false}}},
		{"A_{k,q}", Text{{"A", Base, true}, {"k", Sub, true}, {",", Sub, false}, {"q", Sub, true}}},
		{"seq pos", Text{{"seq pos", Base, false}}},
		{"(i l)", Text{{"(", Base, false}, {"i", Base, true}, {" ", Base, false}, {"l", Base, true}, {")", Base, false}}},
		{"σ_1", Text{{"σ", Base, false}, {"1", Sub, false}}},
		{`a\_b`, Text{{"a", Base, true}, {"_", Base, false}, {"b", Base, true}}},
		{`x_\{`, Text{{"x", Base, true}, {"{", Sub, false}}},
		{"", nil},
	} {
		got, err := ParseText(tc.in)
		if err != nil {
			t.Errorf("ParseText(%q): %v", tc.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseText(%q) = %#v, want %#v", tc.in, got, tc.want)
		}
	}
}

func TestParseTextErrors(t *testing.T) {
	for _, tc := range []struct {
		in  string
		pos int
		msg string
	}{
		{"W_", 1, "no script"},
		{"W^{ab", 2, "never closed"},
		{"a}", 1, "unmatched"},
		{"a{b}", 1, "outside a script"},
		{`ab\`, 2, "escapes nothing"},
		{"W_{a_b}", 4, "do not nest"},
		{"W^{₁}", 3, "do not nest"},
		{"W_{}", 1, "empty script"},
		{"W__", 2, "cannot be a script"},
		{"ok\xffno", 2, "UTF-8"},
	} {
		_, err := ParseText(tc.in)
		var te *TextError
		if !errors.As(err, &te) {
			t.Errorf("ParseText(%q): error %v, want *TextError", tc.in, err)
			continue
		}
		if te.Pos != tc.pos || !strings.Contains(te.Msg, tc.msg) || !strings.HasPrefix(err.Error(), "diagram: ") {
			t.Errorf("ParseText(%q): %v (pos %d), want pos %d and %q", tc.in, err, te.Pos, tc.pos, tc.msg)
		}
	}
}

func FuzzParseText(f *testing.F) {
	for _, s := range []string{"A", "W_1", "W_{up}", "V†", "X⁻¹", `a\_b`, "A_{k,q}", "seq pos", "W^{ab", "}{", "Σ_h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		txt, err := ParseText(s)
		if err != nil {
			var te *TextError
			if !errors.As(err, &te) || te.Pos < 0 || te.Pos > len(s) {
				t.Fatalf("ParseText(%q): bad error %v", s, err)
			}
			return
		}
		for _, r := range txt {
			if r.Text == "" || !utf8.ValidString(r.Text) {
				t.Fatalf("ParseText(%q): empty or invalid run %#v", s, r)
			}
		}
		m := txt.Markup()
		back, err := ParseText(m)
		if err != nil || !reflect.DeepEqual(back, txt) {
			t.Fatalf("ParseText(%q).Markup() = %q does not parse back: %#v, %v", s, m, back, err)
		}
		_, ext := txt.Set(14)
		if math.IsNaN(ext.W) || ext.W < 0 || ext.Ascent <= 0 || ext.Descent < 0 {
			t.Fatalf("ParseText(%q).Set: bad extent %+v", s, ext)
		}
	})
}

func TestSet(t *testing.T) {
	parse := func(s string) Text {
		x, err := ParseText(s)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	_, w := parse("W").Set(14)
	_, i := parse("i").Set(14)
	if !(w.W > 1.5*i.W) {
		t.Errorf("width of W (%.2f) should exceed 1.5× that of i (%.2f)", w.W, i.W)
	}
	// Width scales linearly with the size.
	_, w28 := parse("W").Set(28)
	if math.Abs(w28.W-2*w.W) > 1e-9 {
		t.Errorf("W at 28: %.4f, want 2×%.4f", w28.W, w.W)
	}
	// A subscript is set smaller and lower: W_1 is narrower than W1 and
	// reaches further down.
	spans, sub := parse("W_1").Set(14)
	_, flat := parse("W1").Set(14)
	if !(sub.W < flat.W) || !(sub.Descent > flat.Descent) {
		t.Errorf("W_1 %+v vs W1 %+v: subscript should be narrower and lower", sub, flat)
	}
	if len(spans) != 2 || math.Abs(spans[1].Size-14*ScriptScale) > 1e-12 || math.Abs(spans[1].Shift-14*SubShift) > 1e-12 || math.Abs(spans[1].X-w.W) > 1e-12 {
		t.Errorf("W_1 spans %+v", spans)
	}
	// Greek, dagger and arrows have real glyphs, not the notdef box.
	_, notdef := parse("\u4e00").Set(14)
	for _, s := range []string{"α", "β", "δ", "σ", "λ", "Σ", "V†", "W↑", "−"} {
		_, e := parse(s).Set(14)
		if e.W == notdef.W*float64(utf8.RuneCountInString(s)) {
			t.Errorf("%q is measured as missing glyphs", s)
		}
	}
	// The ink of "A" is about the cap height of the Go font (0.72 em).
	_, a := parse("A").Set(100)
	if math.Abs(a.Ascent-72) > 2 || a.Descent != 0 {
		t.Errorf("A at 100: %+v, want ascent ≈ 72, descent 0", a)
	}
}

func TestPlaceLabel(t *testing.T) {
	l, err := PlaceLabel("j", LegLabel, 10, Pt(5, 5))
	if err != nil {
		t.Fatal(err)
	}
	if l.X != 5 || l.Y != 5 || l.Baseline <= l.Min().Y || l.Baseline >= l.Max().Y {
		t.Errorf("label %+v: baseline should be inside the box", l)
	}
	m := l.Move(Pt(15, -5))
	if m.X != 15 || m.Y != -5 || math.Abs(m.Baseline-(l.Baseline-10)) > 1e-12 {
		t.Errorf("moved label %+v", m)
	}
	if _, err := PlaceLabel("W_", LegLabel, 10, Pt(0, 0)); err == nil {
		t.Error("PlaceLabel accepted bad markup")
	}
}

func TestSegments(t *testing.T) {
	if !SegmentsCross(Pt(0, 0), Pt(2, 2), Pt(0, 2), Pt(2, 0)) {
		t.Error("X should cross")
	}
	if SegmentsCross(Pt(0, 0), Pt(1, 1), Pt(1, 1), Pt(2, 0)) {
		t.Error("segments meeting at an end point should not count as crossing")
	}
	if SegmentsCross(Pt(0, 0), Pt(2, 0), Pt(1, 0), Pt(3, 0)) {
		t.Error("collinear overlap should not count as crossing")
	}
	box := Box{0, 0, 2, 2}
	for _, tc := range []struct {
		a, b Point
		want bool
	}{
		{Pt(-2, 0), Pt(2, 0), true},
		{Pt(-2, 1), Pt(2, 1), false}, // along the edge
		{Pt(-2, 2), Pt(2, 2), false},
		{Pt(-2, -2), Pt(2, 2), true},
		{Pt(0, 0), Pt(0, 0.5), true},
		{Pt(1, 0), Pt(3, 0), false}, // starts on the boundary, leaves outward
		{Pt(-3, 0), Pt(-1.5, 0), false},
	} {
		if got := SegmentHitsBox(tc.a, tc.b, box); got != tc.want {
			t.Errorf("SegmentHitsBox(%v, %v) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestFlatten(t *testing.T) {
	// A quarter circle approximated by a cubic (k = 0.5523): every flattened
	// point lies within 0.03 of the unit circle scaled by 100.
	k := 0.5523 * 100
	pts := Flatten([]Point{{100, 0}, {100, k}, {k, 100}, {0, 100}}, true, 0.05)
	if len(pts) < 8 || pts[0] != Pt(100, 0) || pts[len(pts)-1] != Pt(0, 100) {
		t.Fatalf("flattened to %d points from %v to %v", len(pts), pts[0], pts[len(pts)-1])
	}
	for _, p := range pts {
		if d := math.Abs(p.Len() - 100); d > 0.03*100 {
			t.Errorf("point %v is %.3f off the circle", p, d)
		}
	}
	line := []Point{{0, 0}, {1, 1}, {2, 0}}
	if got := Flatten(line, false, 1); !reflect.DeepEqual(got, line) {
		t.Errorf("polyline changed: %v", got)
	}
}

func TestBoundary(t *testing.T) {
	const eps = 1e-9
	circle := Node{Box: Box{10, 10, 20, 20}, Shape: Circle}
	if p := circle.Boundary(Pt(1, 1)); math.Abs(p.Sub(Pt(10, 10)).Len()-10) > eps {
		t.Errorf("circle boundary %v", p)
	}
	box := Node{Box: Box{0, 0, 40, 20}, Shape: RoundBox}
	if p := box.Boundary(Pt(1, 0)); p != Pt(20, 0) {
		t.Errorf("roundbox east %v", p)
	}
	// Toward the corner: the point lies on the corner's arc of radius 6.
	p := box.Boundary(Pt(20, 10))
	if d := p.Sub(Pt(14, 4)).Len(); math.Abs(d-6) > eps {
		t.Errorf("roundbox corner %v is %.6f from the arc centre", p, d)
	}
	// A triangle pointing south: its tip is at the bottom middle.
	tri := Node{Box: Box{0, 0, 30, 24}, Shape: Triangle, Angle: 90}
	out := tri.Outline()
	if out[0] != Pt(0, 12) {
		t.Errorf("south tip %v", out[0])
	}
	if q := tri.Boundary(Pt(0, 1)); math.Abs(q.Y-12) > eps || math.Abs(q.X) > eps {
		t.Errorf("south boundary %v", q)
	}
	if q := tri.Boundary(Pt(0, -1)); math.Abs(q.Y+12) > eps {
		t.Errorf("north boundary (base) %v", q)
	}
	bare := Node{Box: Box{3, 4, 0, 0}, Shape: Bare}
	if q := bare.Boundary(Pt(1, 0)); q != Pt(3, 4) {
		t.Errorf("bare boundary %v", q)
	}
}

func TestSceneJSON(t *testing.T) {
	s := Scene{
		Nodes:  []Node{{ID: "A", Label: "A", Kind: General, Box: Box{10, 20, 28, 28}, Shape: Circle}},
		Stubs:  []Stub{{Node: "A", Leg: "i", Points: []Point{{-4, 20}, {-26, 20}}, Width: 1.5}},
		Labels: []Label{{Text: "i", Box: Box{-30, 20, 3, 8}, Kind: LegLabel, Size: 11}},
	}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"nodes", "wires", "stubs", "labels"} {
		if _, ok := m[k].([]any); !ok {
			t.Errorf("key %q is %T, want a list", k, m[k])
		}
	}
	node := m["nodes"].([]any)[0].(map[string]any)
	for _, k := range []string{"id", "label", "kind", "x", "y", "w", "h"} {
		if _, ok := node[k]; !ok {
			t.Errorf("node lacks %q: %v", k, node)
		}
	}
	if got := fmt.Sprint(m["stubs"].([]any)[0].(map[string]any)["points"]); got != "[[-4 20] [-26 20]]" {
		t.Errorf("stub points %s", got)
	}
	var back Scene
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Nodes, s.Nodes) || !reflect.DeepEqual(back.Stubs, s.Stubs) {
		t.Errorf("round trip: %+v", back)
	}
	var p Point
	if err := json.Unmarshal([]byte("[1,2,3]"), &p); err == nil {
		t.Error("three coordinates accepted")
	}
}

func TestColorHex(t *testing.T) {
	if h, err := ColorHex("grey"); err != nil || h != "#d9d9d9" {
		t.Errorf("grey: %q %v", h, err)
	}
	if h, _ := ColorHex(""); h != "#ffffff" {
		t.Errorf("default: %q", h)
	}
	if _, err := ColorHex("mauve"); err == nil || !strings.HasPrefix(err.Error(), "diagram: ") {
		t.Errorf("mauve: %v", err)
	}
}

func ExampleParseText() {
	t, _ := ParseText("W_{up}ᵀ")
	for _, r := range t {
		fmt.Printf("%q script=%d italic=%v\n", r.Text, r.Script, r.Italic)
	}
	fmt.Println(t.Markup())
	// Output:
	// "W" script=0 italic=true
	// "up" script=1 italic=false
	// "T" script=2 italic=true
	// W_{up}^{T}
}
