package layout_test

import (
	"strings"
	"testing"

	"github.com/strand-tn/strand/diagram"
	"github.com/strand-tn/strand/diagram/layout"
)

// graphFromBytes reads a small network from fuzz input: each byte pair adds
// a leg (tensor = b0 % 10, each of its own kind, residual streams' included;
// name = b1 % 9), the high bits choose free legs, pins and a bubble.
func graphFromBytes(data []byte) layout.Graph {
	kinds := []diagram.Kind{diagram.General, diagram.Isometry, diagram.Unitary, diagram.Delta, diagram.Hole, diagram.General,
		diagram.Add, diagram.Copy, diagram.Join, diagram.Identity}
	g := layout.Graph{}
	for i := range kinds {
		g.Nodes = append(g.Nodes, layout.Node{ID: string(rune('A' + i)), Kind: kinds[i]})
	}
	names := "ijklmnopq"
	for i := 0; i+1 < len(data) && i < 40; i += 2 {
		n, l := int(data[i])%len(kinds), int(data[i+1]%9)
		leg := layout.Leg{Name: names[l : l+1], Dim: int(data[i+1] >> 4)}
		g.Nodes[n].Legs = append(g.Nodes[n].Legs, leg)
		if data[i]&0x40 != 0 {
			g.Free = append(g.Free, layout.FreeLeg{Name: leg.Name})
		}
		if data[i]&0x80 != 0 {
			g.Nodes[n].Pin = &layout.Pin{X: float64(data[i+1] % 4), Y: float64(data[i] % 3)}
		}
	}
	if len(data) > 0 && data[0]&0x20 != 0 {
		inner := layout.Graph{Nodes: []layout.Node{{ID: "W", Legs: []layout.Leg{{Name: "z"}, {Name: "y"}}}, {ID: "x", Legs: []layout.Leg{{Name: "y"}}}},
			Free: []layout.FreeLeg{{Name: "z"}}}
		g.Nodes = append(g.Nodes, layout.Node{ID: "f", Label: "σ", Kind: diagram.Function, Inner: &inner})
	}
	if len(data) > 1 && data[1]&0x20 != 0 {
		g.Vertical = true
	}
	return g
}

// FuzzLayout: any network either lays out into a scene with no
// overlapping tensors, or is refused with a layout error; never a panic.
func FuzzLayout(f *testing.F) {
	for _, s := range []string{"", "\x00\x01\x01\x01", "\x40\x00\x01\x00\x01\x01\x02\x01", "\x20\x09\xa0\x12\x41\x00", "ABCDEFGHIJKL"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		g := graphFromBytes(data)
		s, err := layout.Layout(g, layout.Options{})
		if err != nil {
			if !strings.HasPrefix(err.Error(), "layout: ") {
				t.Fatalf("error %v", err)
			}
			return
		}
		if q := layout.Measure(s); q.NodeOverlaps != 0 {
			t.Fatalf("%+v for %+v", q, g)
		}
	})
}

// FuzzFromText: any text in any notation either draws (every figure lays
// out) or is refused with an error; never a panic. The "# draw:"
// directives are parsed here too.
func FuzzFromText(f *testing.F) {
	for _, s := range []string{
		"ij,jk->ik",
		"i α β, β, β α j -> i j",
		"einsum(A, B, 'i j, j k -> i k')",
		"dim i=2 j=3\nM[i j] = A[i k] B[k j]  # draw: value",
		"dim k=4 q=4\nA[k q] = δ[k q+1]",
		"y[s e] = x[s e] + W[m e] gelu(x[s f] V[f m])",
		"R[(i l) (k j)] = T[i j k l]",
		"d[j k] = A[i j] C[k i]  # draw: hole(j k) flat",
		"V: isometry(i -> j)\nV†[k i] V[i j] == I[k j]",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 400 {
			return
		}
		figs, err := layout.FromText(text, nil, layout.FromOptions{})
		if err != nil {
			return
		}
		if _, err := layout.LayoutFigures(figs, layout.Options{}); err != nil && !strings.HasPrefix(err.Error(), "layout: ") {
			t.Fatalf("%q: %v", text, err)
		}
	})
}
