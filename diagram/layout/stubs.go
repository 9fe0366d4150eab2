package layout

import (
	"math"
	"slices"

	"github.com/strand-tn/strand/diagram"
)

// obstacles is what a stub or label being placed must keep clear of.
type obstacles struct {
	verts  []*vert
	lines  [][]diagram.Point // wires (flattened) and stubs
	labels []diagram.Box
}

func (n *net) obstaclesOf(comp []int) *obstacles {
	o := &obstacles{}
	for _, vi := range comp {
		o.verts = append(o.verts, n.verts[vi])
	}
	for _, e := range n.edges {
		if slices.Contains(comp, e.a) {
			o.lines = append(o.lines, diagram.Flatten(e.pts, e.curve, 0.5))
		}
	}
	return o
}

// segConflicts counts what segment ab runs into: shapes other than self
// (with a margin), lines it crosses or ends too close to.
func (o *obstacles) segConflicts(a, b diagram.Point, self *vert) int {
	k := 0
	for _, v := range o.verts {
		if v != self && v.hits(a, b, 3) {
			k++
		}
	}
	for _, l := range o.lines {
		if diagram.PolylinesCross([]diagram.Point{a, b}, l) > 0 || polyDist(b, l) < 5 {
			k++
		}
	}
	for _, lb := range o.labels {
		if diagram.SegmentHitsBox(a, b, lb) {
			k++
		}
	}
	return k
}

// boxConflicts counts what a label box overlaps: shapes (a bubble only when
// the box straddles its contour), lines and other labels.
func (o *obstacles) boxConflicts(b diagram.Box) int {
	k := 0
	for _, v := range o.verts {
		vb := v.box()
		if v.shape == diagram.Bare {
			continue
		}
		if v.shape == diagram.Bubble {
			if vb.Overlaps(b) && !vb.Inflate(-1).Contains(b.Min()) || vb.Overlaps(b) && !vb.Inflate(-1).Contains(b.Max()) {
				k++
			}
			continue
		}
		if vb.Inflate(1.5).Overlaps(b) {
			k++
		}
	}
	for _, l := range o.lines {
		if diagram.PolylineHitsBox(l, b.Inflate(1)) {
			k++
		}
	}
	for _, lb := range o.labels {
		if lb.Inflate(1).Overlaps(b) {
			k++
		}
	}
	return k
}

// polyDist is the distance from p to a polyline.
func polyDist(p diagram.Point, l []diagram.Point) float64 {
	d := math.Inf(1)
	for i := 1; i < len(l); i++ {
		d = math.Min(d, segDist(p, l[i-1], l[i]))
	}
	return d
}

// extent is half the size of box b measured along direction d.
func extent(b diagram.Box, d diagram.Point) float64 {
	return math.Abs(d.X)*b.W/2 + math.Abs(d.Y)*b.H/2
}

// placeStubs gives every free leg of a component a direction, a stub and a
// label. A side hint is obeyed; a triangle's or bubble's legs leave where
// the shape says; a bare line continues straight; otherwise each stub takes
// the direction that keeps it and its label clear of everything, farthest
// from the other legs, preferring the direction the structure asks for
// (down in a matrix-product state, outward in a grid) and the output order
// (first free leg left, last right).
// It returns the stubs in the order placed and their labels, index for index.
func (n *net) placeStubs(comp []int, o *obstacles) ([]*stub, []diagram.Label) {
	var stubs []*stub
	for _, s := range n.stubs {
		if slices.Contains(comp, s.v) {
			stubs = append(stubs, s)
		}
	}
	// Legs that ask for a side (the first free leg left, the last right,
	// a hint) choose first, then the others in output order.
	wishes := func(s *stub) int {
		if s.side != Auto || s.hint != Auto || s.name == n.firstFree || s.name == n.lastFree {
			return 0
		}
		return 1
	}
	slices.SortStableFunc(stubs, func(a, b *stub) int {
		if d := wishes(a) - wishes(b); d != 0 {
			return d
		}
		return a.order - b.order
	})
	var labels []diagram.Label
	lone := len(comp) == 1
	for _, s := range stubs {
		v := n.verts[s.v]
		l := v.legs[s.leg]
		text := n.legText(s.label, s.dim, true)
		lab, _ := diagram.PlaceLabel(text, diagram.LegLabel, legFont, diagram.Point{})
		// try places the stub in direction d, at full length if that is
		// clear, else shortened.
		try := func(d diagram.Point) (p0, p1 diagram.Point, lb diagram.Label, conflicts int) {
			if l.fixed {
				p0 = l.port
			} else {
				p0 = v.shapeNode().Exit(v.pos, d)
			}
			for i, length := range []float64{stubLen, 0.65 * stubLen, 0.4 * stubLen} {
				q1 := p0.Add(d.Scale(length))
				q := lab.Move(q1.Add(d.Scale(labelGap + extent(lab.Box, d))))
				// A stub crossing something is worse than its label touching.
				k := 3 * o.segConflicts(p0, q1, v)
				if !s.unnamed {
					k += o.boxConflicts(q.Box)
				}
				if i == 0 || k < conflicts {
					p1, lb, conflicts = q1, q, k
				}
				if conflicts == 0 {
					break
				}
			}
			return p0, p1, lb, conflicts
		}
		var dir diagram.Point
		switch {
		case l.fixed && v.shape == diagram.Bubble:
			dir = l.dir
		case l.fixed:
			// A triangle: straight out of the tip, or square off the base.
			dir = l.dir
		case s.side != Auto:
			dir = s.side.dir()
		case v.kind == diagram.Join:
			dir = n.fanDir(stubs, s)
		case v.shape == diagram.Bare && len(n.occupied(s.v)) == 1:
			dir = n.occupied(s.v)[0].Scale(-1)
		default:
			var want diagram.Point
			switch {
			case s.hint != Auto:
				want = s.hint.dir()
			case lone:
				want = n.loneDir(stubs, s)
			default:
				want = n.prefFan(stubs, s, wishes)
			}
			dir = n.bestStubDir(s, want, try)
		}
		p0, p1, lb, _ := try(dir)
		s.p0, s.p1, s.dir = p0, p1, dir
		l.port, l.dir = p0, dir
		labels = append(labels, lb)
		o.lines = append(o.lines, []diagram.Point{p0, p1})
		if !s.unnamed {
			o.labels = append(o.labels, lb.Box)
		}
	}
	return stubs, labels
}

// loneDir is the direction of the rank-th free leg of a tensor standing
// alone: its first free leg points left and its last right (a vector's one
// leg left, unless it is the network's last free leg), the others down,
// up, then diagonally; four legs or more fan out along the bottom.
func (n *net) loneDir(stubs []*stub, s *stub) diagram.Point {
	k, rank := 0, 0
	for _, t := range stubs {
		if t.v == s.v {
			k++
			if t.order < s.order {
				rank++
			}
		}
	}
	var d diagram.Point
	switch {
	case k == 1 && s.name == n.lastFree && s.name != n.firstFree:
		d = diagram.Pt(1, 0)
	case rank == 0:
		d = diagram.Pt(-1, 0)
	case rank == k-1:
		d = diagram.Pt(1, 0)
	case k >= 4:
		// Four legs or more: a fan along the bottom, left to right in order.
		d = diagram.Dir(180 - float64(rank)*180/float64(k-1))
	default:
		d = []diagram.Point{{Y: 1}, {Y: -1}, diagram.Pt(-1, 1).Unit(), diagram.Pt(1, 1).Unit(),
			diagram.Pt(-1, -1).Unit(), diagram.Pt(1, -1).Unit()}[(rank-1)%6]
	}
	if n.vertical {
		d = d.CW()
	}
	return d
}

// bestStubDir scores candidate directions for a stub.
func (n *net) bestStubDir(s *stub, want diagram.Point, try func(diagram.Point) (diagram.Point, diagram.Point, diagram.Label, int)) diagram.Point {
	v := n.verts[s.v]
	occ := n.occupied(s.v)
	wish := n.stubWish(s.v, s)
	cands := slices.Clone(compass)
	for k := range 8 {
		// Between the compass points, for crowded tensors.
		cands = append(cands, diagram.Dir(22.5+45*float64(k)))
	}
	for _, extra := range []diagram.Point{want, v.pref, wish} {
		if extra != (diagram.Point{}) && !slices.ContainsFunc(cands, func(c diagram.Point) bool { return c.Sub(extra).Len() < 1e-9 }) {
			cands = append(cands, extra)
		}
	}
	best, bestScore := cands[0], math.Inf(-1)
	for i, c := range cands {
		cl := clearance(c, occ)
		score := math.Min(cl, 90)
		if cl < 35 {
			score -= 500
		}
		same := func(p diagram.Point) bool { return p != (diagram.Point{}) && c.Sub(p).Len() < 1e-9 }
		if same(want) {
			score += 200
		}
		if same(v.pref) {
			score += 100
		}
		if same(wish) {
			score += 30
		}
		switch {
		case c.X == 0 || c.Y == 0:
			score += 15
		case i >= len(compass) && i < len(compass)+8:
			score -= 10 // an odd angle, only when the others are taken
		}
		score -= 0.01 * float64(i)
		if _, _, _, k := try(c); k > 0 {
			score -= 400 * float64(k)
		}
		if score > bestScore {
			best, bestScore = c, score
		}
	}
	return best
}

// prefFan spreads the free legs of a tensor that have no wish of their own
// around the direction the structure prefers for them, 50° apart, in
// output order (two physical legs of a MERA's disentangler: down-left and
// down-right). One such leg, or no preference: no wish.
func (n *net) prefFan(stubs []*stub, s *stub, wishes func(*stub) int) diagram.Point {
	p := n.verts[s.v].pref
	if p == (diagram.Point{}) || wishes(s) == 0 {
		return diagram.Point{}
	}
	k, rank := 0, 0
	for _, t := range stubs {
		if t.v == s.v && wishes(t) == 1 {
			k++
			if t.order < s.order {
				rank++
			}
		}
	}
	if k < 2 {
		return diagram.Point{}
	}
	return spreadAround(p.Unit(), rank, k, 50)
}

// spreadAround is the direction of the rank-th of k legs fanned step
// degrees apart around base, the first on top or on the left.
func spreadAround(base diagram.Point, rank, k int, step float64) diagram.Point {
	off := (float64(rank) - float64(k-1)/2) * step
	if base.X < -1e-9 || math.Abs(base.X) <= 1e-9 && base.Y > 0 {
		off = -off
	}
	return diagram.Dir(base.Angle() + off)
}

// fanDir is the direction of a free leg of a join: the join's free legs
// fan out, 35° apart, opposite its wires, the first (in output order) on
// top or on the left.
func (n *net) fanDir(stubs []*stub, s *stub) diagram.Point {
	base := n.verts[s.v].pref // a join on a residual stream: the stream goes on
	if base == (diagram.Point{}) {
		for _, l := range n.verts[s.v].legs {
			if l.edge != nil {
				base = base.Sub(l.dir)
			}
		}
	}
	if base.Len() < 1e-9 {
		base = n.stubWish(s.v, s)
		if base == (diagram.Point{}) {
			base = diagram.Pt(1, 0)
		}
	}
	k, rank := 0, 0
	for _, t := range stubs {
		if t.v == s.v {
			if t.order < s.order {
				rank++
			}
			k++
		}
	}
	return spreadAround(base.Unit(), rank, k, 35)
}
