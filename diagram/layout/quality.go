package layout

import (
	"math"

	"github.com/strand-tn/strand/diagram"
)

// Quality counts the defects of a drawing that a careful author would
// redraw. A good drawing has zeros everywhere, except WireCrossings on a
// network that is not planar (or that crosses on purpose, as Tr(ABᵀ)).
type Quality struct {
	// NodeOverlaps counts pairs of shapes that overlap (a bubble and what it
	// holds excepted).
	NodeOverlaps int
	// LabelOverlaps counts pairs of overlapping labels, and labels lying on
	// a shape that is not theirs (or across a bubble's contour).
	LabelOverlaps int
	// WiresThroughNodes counts wires that pass through a shape other than
	// their two ends, or across the contour of a bubble neither end is in.
	WiresThroughNodes int
	// FreeLegCrossings counts free-leg stubs that cross or touch a wire,
	// another stub, a shape or a label other than their own.
	FreeLegCrossings int
	// WireCrossings counts proper crossings between wires.
	WireCrossings int
}

// tolerance forgives overlaps of this many units (rounding to 1/100).
const tolerance = 0.5

// Measure computes the quality of a scene.
func Measure(s *diagram.Scene) Quality {
	var q Quality
	parent := map[string]string{}
	for _, n := range s.Nodes {
		parent[n.ID] = n.Parent
	}
	// inside reports whether node id is (transitively) inside bubble b.
	inside := func(id, b string) bool {
		for p := parent[id]; p != ""; p = parent[p] {
			if p == b {
				return true
			}
		}
		return false
	}
	related := func(a, b string) bool { return a == b || inside(a, b) || inside(b, a) }

	for i := range s.Nodes {
		for j := i + 1; j < len(s.Nodes); j++ {
			a, b := &s.Nodes[i], &s.Nodes[j]
			if related(a.ID, b.ID) || a.Shape == diagram.Bare || b.Shape == diagram.Bare {
				continue
			}
			if shapesOverlap(a, b) {
				q.NodeOverlaps++
			}
		}
	}

	for i := range s.Labels {
		for j := i + 1; j < len(s.Labels); j++ {
			if s.Labels[i].Box.Inflate(-tolerance).Overlaps(s.Labels[j].Box.Inflate(-tolerance)) {
				q.LabelOverlaps++
			}
		}
		l := &s.Labels[i]
		for k := range s.Nodes {
			n := &s.Nodes[k]
			if n.ID == l.Owner || n.Shape == diagram.Bare {
				continue
			}
			if n.Shape == diagram.Bubble {
				if crossesContour(l.Box, n.Box) {
					q.LabelOverlaps++
				}
				continue
			}
			if boxOnShape(l.Box.Inflate(-tolerance), n) {
				q.LabelOverlaps++
			}
		}
	}

	wires := make([][]diagram.Point, len(s.Wires))
	for i := range s.Wires {
		wires[i] = s.Wires[i].Polyline()
	}
	for i, w := range s.Wires {
		for k := range s.Nodes {
			n := &s.Nodes[k]
			if n.ID == w.From || n.ID == w.To || n.Shape == diagram.Bare {
				continue
			}
			if n.Shape == diagram.Bubble {
				if inside(w.From, n.ID) && inside(w.To, n.ID) {
					continue
				}
				if crossesContourLine(wires[i], n.Box) {
					q.WiresThroughNodes++
				}
				continue
			}
			if lineOnShape(wires[i], n) {
				q.WiresThroughNodes++
			}
		}
		for j := i + 1; j < len(wires); j++ {
			q.WireCrossings += diagram.PolylinesCross(wires[i], wires[j])
		}
	}

	for i, st := range s.Stubs {
		seg := st.Points
		bad := false
		// A bubble's leg is one line: the stub inside from its tensor to the
		// contour, then the wire or stub outside from the bubble.
		continues := func(node, leg string) bool {
			return leg == st.Leg && (inside(st.Node, node) || inside(node, st.Node))
		}
		for k, w := range wires {
			if continues(s.Wires[k].From, s.Wires[k].Leg) || continues(s.Wires[k].To, s.Wires[k].Leg) {
				continue
			}
			if diagram.PolylinesCross(seg, w) > 0 || polyDist(seg[len(seg)-1], w) < 1 {
				bad = true
			}
		}
		for j, o := range s.Stubs {
			if j == i || continues(o.Node, o.Leg) {
				continue
			}
			if diagram.PolylinesCross(seg, o.Points) > 0 || polyDist(seg[len(seg)-1], o.Points) < 1 {
				bad = true
			}
		}
		for k := range s.Nodes {
			n := &s.Nodes[k]
			if n.ID == st.Node || inside(st.Node, n.ID) || n.Shape == diagram.Bare {
				continue
			}
			if n.Shape == diagram.Bubble {
				if crossesContourLine(seg, n.Box) {
					bad = true
				}
				continue
			}
			if lineOnShape(seg, n) {
				bad = true
			}
		}
		for k := range s.Labels {
			if s.Labels[k].Stub != i+1 && diagram.PolylineHitsBox(seg, s.Labels[k].Box.Inflate(-tolerance)) {
				bad = true
			}
		}
		if bad {
			q.FreeLegCrossings++
		}
	}
	return q
}

func radius(n *diagram.Node) float64 { return math.Min(n.W, n.H) / 2 }

func isRound(n *diagram.Node) bool { return n.Shape == diagram.Circle || n.Shape == diagram.Dot }

// shapesOverlap tests circles as circles and other shapes as boxes.
func shapesOverlap(a, b *diagram.Node) bool {
	if isRound(a) && isRound(b) {
		return a.Center().Sub(b.Center()).Len() < radius(a)+radius(b)-tolerance
	}
	return a.Box.Inflate(-tolerance).Overlaps(b.Box.Inflate(-tolerance))
}

// boxOnShape reports whether a box overlaps a node's shape.
func boxOnShape(b diagram.Box, n *diagram.Node) bool {
	if !isRound(n) {
		return b.Overlaps(n.Box.Inflate(-tolerance))
	}
	c := n.Center()
	lo, hi := b.Min(), b.Max()
	nearest := diagram.Pt(math.Max(lo.X, math.Min(c.X, hi.X)), math.Max(lo.Y, math.Min(c.Y, hi.Y)))
	return nearest.Sub(c).Len() < radius(n)-tolerance
}

// lineOnShape reports whether a polyline passes through a node's shape.
func lineOnShape(l []diagram.Point, n *diagram.Node) bool {
	if isRound(n) {
		return polyDist(n.Center(), l) < radius(n)-tolerance
	}
	return diagram.PolylineHitsBox(l, n.Box.Inflate(-tolerance))
}

// crossesContour reports whether a box straddles a bubble's outline.
func crossesContour(b, bubble diagram.Box) bool {
	if !b.Overlaps(bubble) {
		return false
	}
	in := bubble.Inflate(tolerance)
	return !(in.Contains(b.Min()) && in.Contains(b.Max()))
}

// crossesContourLine reports whether a polyline enters a bubble's region.
func crossesContourLine(l []diagram.Point, bubble diagram.Box) bool {
	return diagram.PolylineHitsBox(l, bubble.Inflate(-tolerance))
}
