package studio

import (
	"math"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// Dragging a tensor writes pins into the text; drawn again, the tensor is
// where it was dropped relative to the others (to the pin grid).
func TestMoveWritesPins(t *testing.T) {
	s := newServer(t, Options{})
	a := call[analysis](t, s, "/api/analyze", analyzeRequest{Text: seed})
	st := a.Statements[0]
	v, A := nodeByName(t, st, "v"), nodeByName(t, st, "A")
	drop := [2]float64{v.X + 40, v.Y + 25}
	m := call[moved](t, s, "/api/move", moveRequest{Text: seed, Statement: 0, Node: v.ID, X: drop[0], Y: drop[1]})
	// The first drag pins every tensor of the term, on the statement's line.
	if !strings.HasPrefix(m.Text, seed+" @") || strings.Count(m.Text, "@") != 3 {
		t.Fatalf("text %q", m.Text)
	}
	for _, name := range []string{"A", "v", "B"} {
		if !regexp.MustCompile(`@` + name + `\(-?[0-9.]+, -?[0-9.]+\)`).MatchString(m.Text) {
			t.Errorf("no pin for %s in %q", name, m.Text)
		}
	}
	if m.Offset != 0 || m.End != len([]rune(m.Text)) {
		t.Errorf("span %d..%d of %q", m.Offset, m.End, m.Text)
	}
	b := call[analysis](t, s, "/api/analyze", analyzeRequest{Text: m.Text})
	if len(b.Errors) != 0 {
		t.Fatal(b.Errors)
	}
	v2, A2 := nodeByName(t, b.Statements[0], "v"), nodeByName(t, b.Statements[0], "A")
	if v2.Pin == nil || A2.Pin == nil {
		t.Fatalf("not pinned: %+v %+v", v2, A2)
	}
	tol := pinStep * a.Cell
	if dx, dy := (v2.X-A2.X)-(drop[0]-A.X), (v2.Y-A2.Y)-(drop[1]-A.Y); math.Hypot(dx, dy) > tol {
		t.Errorf("v is off by (%.2f, %.2f) from where it was dropped, relative to A", dx, dy)
	}
	// A second drag rewrites v's pin in place and leaves the others.
	drop2 := [2]float64{v2.X - 64, v2.Y}
	m2 := call[moved](t, s, "/api/move", moveRequest{Text: m.Text, Statement: 0, Node: v2.ID, X: drop2[0], Y: drop2[1]})
	pins := regexp.MustCompile(`@[A-Za-z]\([^)]*\)`)
	before, after := pins.FindAllString(m.Text, -1), pins.FindAllString(m2.Text, -1)
	if len(after) != 3 || after[0] != before[0] || after[2] != before[2] || after[1] == before[1] {
		t.Errorf("pins %v became %v", before, after)
	}
	c := call[analysis](t, s, "/api/analyze", analyzeRequest{Text: m2.Text})
	v3, A3 := nodeByName(t, c.Statements[0], "v"), nodeByName(t, c.Statements[0], "A")
	if dx, dy := (v3.X-A3.X)-(drop2[0]-A2.X), (v3.Y-A3.Y)-(drop2[1]-A2.Y); math.Hypot(dx, dy) > tol {
		t.Errorf("v is off by (%.2f, %.2f) after the second drag", dx, dy)
	}
}

// A pin on a hint line is rewritten where it is; other statements and
// comments are left as they were.
func TestMoveRewritesHintLine(t *testing.T) {
	s := newServer(t, Options{})
	text := "dim i=2 j=3 k=4\n@A(0, 0) @B(1, 0)\nC[i k] = A[i j] B[j k]  # product\nD[i k] = A[i j] B[j k]\n"
	a := call[analysis](t, s, "/api/analyze", analyzeRequest{Text: text})
	if len(a.Errors) != 0 {
		t.Fatal(a.Errors)
	}
	B := nodeByName(t, a.Statements[0], "B")
	m := call[moved](t, s, "/api/move", moveRequest{Text: text, Statement: 0, Node: B.ID, X: B.X, Y: B.Y + 64})
	want := "dim i=2 j=3 k=4\n@A(0, 0) @B(1, 1)\nC[i k] = A[i j] B[j k]  # product\nD[i k] = A[i j] B[j k]\n"
	if m.Text != want {
		t.Errorf("text\n%s\nwant\n%s", m.Text, want)
	}
	// A pin on the statement's own line wins over nothing else: it is
	// rewritten there, before the comment.
	text = "dim i=2 j=3 k=4\nC[i k] = A[i j] B[j k] @A(0, 0) @B(2, 0)  # product\n"
	a = call[analysis](t, s, "/api/analyze", analyzeRequest{Text: text})
	A := nodeByName(t, a.Statements[0], "A")
	m = call[moved](t, s, "/api/move", moveRequest{Text: text, Statement: 0, Node: A.ID, X: A.X + 32, Y: A.Y - 32})
	if want := "dim i=2 j=3 k=4\nC[i k] = A[i j] B[j k] @A(0.5, -0.5) @B(2, 0)  # product\n"; m.Text != want {
		t.Errorf("text\n%s\nwant\n%s", m.Text, want)
	}
}

func TestMoveRefusals(t *testing.T) {
	s := newServer(t, Options{})
	apiError(t, s, "/api/move", moveRequest{Text: "ij,jk->ik", Statement: 0, Node: "A", X: 1, Y: 1}, http.StatusUnprocessableEntity)
	apiError(t, s, "/api/move", moveRequest{Text: seed + "[", Statement: 0, Node: "A", X: 1, Y: 1}, http.StatusUnprocessableEntity)
	apiError(t, s, "/api/move", moveRequest{Text: seed, Statement: 3, Node: "A", X: 1, Y: 1}, http.StatusBadRequest)
	apiError(t, s, "/api/move", moveRequest{Text: seed, Statement: 0, Node: "nope", X: 1, Y: 1}, http.StatusBadRequest)
	// The second A of a term cannot be named by a pin.
	text := "dim i=2\nx[i] = A[i j] A[j k] v[k]"
	a := call[analysis](t, s, "/api/analyze", analyzeRequest{Text: text})
	var second string
	for _, n := range a.Statements[0].Nodes {
		if n.Name == "A" && !n.Pinnable {
			second = n.ID
		}
	}
	if second == "" {
		t.Fatalf("no unpinnable second A in %+v", a.Statements[0].Nodes)
	}
	apiError(t, s, "/api/move", moveRequest{Text: text, Statement: 0, Node: second, X: 1, Y: 1}, http.StatusUnprocessableEntity)
}

func TestSnapAndFormat(t *testing.T) {
	for _, c := range []struct {
		x, y float64
		want string
	}{{0, 0, "@A(0, 0)"}, {1.04, -0.96, "@A(1, -1)"}, {0.26, -0.04, "@A(0.3, 0)"}, {12.349, 3.06, "@A(12.3, 3.1)"}} {
		if got := formatPin(namedPin{"A", snap(c.x), snap(c.y)}); got != c.want {
			t.Errorf("(%v, %v): %s, want %s", c.x, c.y, got, c.want)
		}
	}
}
