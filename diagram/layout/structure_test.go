package layout

import (
	"math"
	"reflect"
	"testing"

	"github.com/strand-tn/strand/diagram"
)

// net of the given edges between vertices 0…n−1 (each edge a leg pair).
func netOf(n int, edges [][2]int) (*net, [][]int) {
	g := Graph{}
	for i := range n {
		g.Nodes = append(g.Nodes, Node{ID: string(rune('A' + i))})
	}
	for k, e := range edges {
		name := string(rune('a'+k%26)) + string(rune('0'+k/26))
		g.Nodes[e[0]].Legs = append(g.Nodes[e[0]].Legs, Leg{Name: name})
		g.Nodes[e[1]].Legs = append(g.Nodes[e[1]].Legs, Leg{Name: name})
	}
	nt, err := build(&g, Options{}, "", "", nil)
	if err != nil {
		panic(err)
	}
	return nt, nt.adjacency()
}

func gridEdges(r, c int) [][2]int {
	var out [][2]int
	for i := range r {
		for j := range c {
			v := i*c + j
			if j+1 < c {
				out = append(out, [2]int{v, v + 1})
			}
			if i+1 < r {
				out = append(out, [2]int{v, v + c})
			}
		}
	}
	return out
}

func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		name  string
		n     int
		edges [][2]int
		want  structure
	}{
		{"single", 1, nil, single},
		{"pair", 2, [][2]int{{0, 1}}, chain},
		{"trace pair", 2, [][2]int{{0, 1}, {1, 0}}, chain},
		{"path", 4, [][2]int{{0, 1}, {1, 2}, {2, 3}}, chain},
		{"triangle", 3, [][2]int{{0, 1}, {1, 2}, {2, 0}}, ring},
		{"square ring", 4, [][2]int{{0, 1}, {1, 2}, {2, 3}, {3, 0}}, ring},
		{"ladder 2x5", 10, gridEdges(2, 5), grid},
		{"grid 3x3", 9, gridEdges(3, 3), grid},
		{"grid 3x4", 12, gridEdges(3, 4), grid},
		{"star", 4, [][2]int{{0, 1}, {0, 2}, {0, 3}}, star},
		{"tree", 7, [][2]int{{0, 1}, {0, 2}, {1, 3}, {1, 4}, {2, 5}, {2, 6}}, tree},
		{"K4", 4, [][2]int{{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 3}}, general},
		{"grid plus diagonal", 9, append(gridEdges(3, 3), [2]int{0, 4}), general},
	} {
		_, adj := netOf(tc.n, tc.edges)
		comps := components(adj)
		if len(comps) != 1 {
			t.Fatalf("%s: %d components", tc.name, len(comps))
		}
		if got := classify(comps[0], adj); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestGridRows: the ten-tensor ladder (input order A V B W … as in the
// seed's einsum) comes out as two rows with A top left.
func TestGridRows(t *testing.T) {
	// Vertices 0..9 = A V B W C X D Y E Z: A–V rung, A–B row, V–W row…
	var edges [][2]int
	for i := 0; i < 10; i += 2 {
		edges = append(edges, [2]int{i, i + 1})
		if i+2 < 10 {
			edges = append(edges, [2]int{i, i + 2}, [2]int{i + 1, i + 3})
		}
	}
	_, adj := netOf(10, edges)
	rows, ok := gridRows(components(adj)[0], adj)
	want := [][]int{{0, 2, 4, 6, 8}, {1, 3, 5, 7, 9}}
	if !ok || !reflect.DeepEqual(rows, want) {
		t.Errorf("rows %v, want %v", rows, want)
	}
	// A 3×4 grid numbered column-major is still laid out landscape.
	_, adj = netOf(12, gridEdges(4, 3))
	rows, ok = gridRows(components(adj)[0], adj)
	if !ok || len(rows) != 3 || len(rows[0]) != 4 {
		t.Errorf("4×3 grid laid out as %v", rows)
	}
}

func TestNameMarkup(t *testing.T) {
	for in, want := range map[string]string{
		"W1":    "W_{1}",
		"Top":   "Top",
		"dzdW":  "dzdW",
		"W_1":   "W_{1}",
		"W_O":   "W_{O}",
		"W_out": "W_{out}",
		"a^b":   `a\^b`,
		"x_a_b": `x_{a\_b}`,
		"_x":    "_{x}",
		"T_":    `T\_`,
	} {
		if got := tensorMarkup(in); got != want {
			t.Errorf("tensorMarkup(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"i":         "i",
		"z2":        "z_{2}",
		"p_12":      "p_{12}",
		"b_1":       "b_{1}",
		"seq_pos":   "seq pos",
		"num_heads": "num heads",
		"x_a_b":     "x_{a}_{b}",
		"a__bc":     `a\_ bc`,
	} {
		if got := legMarkup(in); got != want {
			t.Errorf("legMarkup(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestRoundCorners: a right-angled corner becomes a chain of cubics that
// starts and ends where the polyline does and passes within the radius of
// the corner, about (1 − 1/√2)·r from it.
func TestRoundCorners(t *testing.T) {
	in := []diagram.Point{{X: 0, Y: 0}, {X: 20, Y: 0}, {X: 20, Y: 20}}
	pts := roundCorners(in, 5)
	if (len(pts)-1)%3 != 0 || pts[0] != in[0] || pts[len(pts)-1] != in[2] {
		t.Fatalf("corner path %v", pts)
	}
	flat := diagram.Flatten(pts, true, 0.01)
	d := math.Inf(1)
	for _, p := range flat {
		d = math.Min(d, p.Sub(in[1]).Len())
	}
	want := 5 * (math.Sqrt2 - 1) // distance from the corner to a quarter arc of radius 5
	if math.Abs(d-want) > 0.05 {
		t.Errorf("closest approach to the corner %.3f, want %.3f", d, want)
	}
}
