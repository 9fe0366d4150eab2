package layout

import (
	"fmt"
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
	for _, d := range Defects(s) {
		switch d.Kind {
		case NodeOverlap:
			q.NodeOverlaps++
		case LabelOverlap:
			q.LabelOverlaps++
		case WireThroughNode:
			q.WiresThroughNodes++
		case FreeLegCrossing:
			q.FreeLegCrossings++
		case WireCrossing:
			q.WireCrossings++
		}
	}
	return q
}

// DefectKind names one kind of defect that Quality counts.
type DefectKind string

// The defect kinds.
const (
	NodeOverlap     DefectKind = "node overlap"
	LabelOverlap    DefectKind = "label overlap"
	WireThroughNode DefectKind = "wire through node"
	FreeLegCrossing DefectKind = "free leg crossing"
	WireCrossing    DefectKind = "wire crossing"
)

// Defect is one thing a careful author would redraw: its kind and the
// elements involved, as "node A", "label \"i\"", "wire j (A–B)".
type Defect struct {
	Kind DefectKind
	What string
}

func (d Defect) String() string { return string(d.Kind) + ": " + d.What }

// Defects lists the defects of a scene that Measure counts, in a fixed
// order, so that a test can say what is wrong.
func Defects(s *diagram.Scene) []Defect {
	var out []Defect
	add := func(k DefectKind, format string, args ...any) {
		out = append(out, Defect{k, fmt.Sprintf(format, args...)})
	}
	wireName := func(w diagram.Wire) string { return fmt.Sprintf("wire %s (%s–%s)", w.Leg, w.From, w.To) }
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
				add(NodeOverlap, "nodes %s and %s", a.ID, b.ID)
			}
		}
	}

	for i := range s.Labels {
		for j := i + 1; j < len(s.Labels); j++ {
			if s.Labels[i].Box.Inflate(-tolerance).Overlaps(s.Labels[j].Box.Inflate(-tolerance)) {
				add(LabelOverlap, "labels %q and %q", s.Labels[i].Text, s.Labels[j].Text)
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
					add(LabelOverlap, "label %q across bubble %s", l.Text, n.ID)
				}
				continue
			}
			if boxOnShape(l.Box.Inflate(-tolerance), n) {
				add(LabelOverlap, "label %q on node %s", l.Text, n.ID)
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
					add(WireThroughNode, "%s across bubble %s", wireName(w), n.ID)
				}
				continue
			}
			if lineOnShape(wires[i], n) {
				add(WireThroughNode, "%s through node %s", wireName(w), n.ID)
			}
		}
		for j := i + 1; j < len(wires); j++ {
			for range diagram.PolylinesCross(wires[i], wires[j]) {
				add(WireCrossing, "%s and %s", wireName(w), wireName(s.Wires[j]))
			}
		}
	}

	for i, st := range s.Stubs {
		seg := st.Points
		bad := ""
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
				bad = wireName(s.Wires[k])
			}
		}
		for j, o := range s.Stubs {
			if j == i || continues(o.Node, o.Leg) {
				continue
			}
			if diagram.PolylinesCross(seg, o.Points) > 0 || polyDist(seg[len(seg)-1], o.Points) < 1 {
				bad = "free leg " + o.Leg
			}
		}
		for k := range s.Nodes {
			n := &s.Nodes[k]
			if n.ID == st.Node || inside(st.Node, n.ID) || n.Shape == diagram.Bare {
				continue
			}
			if n.Shape == diagram.Bubble {
				if crossesContourLine(seg, n.Box) {
					bad = "bubble " + n.ID
				}
				continue
			}
			if lineOnShape(seg, n) {
				bad = "node " + n.ID
			}
		}
		for k := range s.Labels {
			if s.Labels[k].Stub != i+1 && diagram.PolylineHitsBox(seg, s.Labels[k].Box.Inflate(-tolerance)) {
				bad = fmt.Sprintf("label %q", s.Labels[k].Text)
			}
		}
		if bad != "" {
			add(FreeLegCrossing, "free leg %s of %s touches %s", st.Leg, st.Node, bad)
		}
	}
	return out
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
