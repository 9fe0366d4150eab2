package layout_test

import (
	"strings"
	"testing"

	"github.com/strand-tn/strand/diagram"
	"github.com/strand-tn/strand/diagram/layout"
)

// graphFromBytes reads a small network from fuzz input: each byte pair adds
// a leg (tensor = b0 % 6, name = b1 % 9), the high bits choose kinds, free
// legs, pins and a bubble.
func graphFromBytes(data []byte) layout.Graph {
	kinds := []diagram.Kind{diagram.General, diagram.Isometry, diagram.Unitary, diagram.Delta, diagram.Hole, diagram.General}
	g := layout.Graph{}
	for i := range 6 {
		g.Nodes = append(g.Nodes, layout.Node{ID: string(rune('A' + i)), Kind: kinds[i]})
	}
	names := "ijklmnopq"
	for i := 0; i+1 < len(data) && i < 40; i += 2 {
		n, l := int(data[i]%6), int(data[i+1]%9)
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
