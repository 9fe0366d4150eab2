package layout

import (
	"math"
	"slices"
	"strings"

	"github.com/strand-tn/strand/diagram"
)

// shape returns the vertex as a diagram node for outline geometry.
func (v *vert) shapeNode() *diagram.Node {
	return &diagram.Node{Box: v.box(), Shape: v.shape, Angle: v.angle}
}

func (v *vert) box() diagram.Box {
	return diagram.Box{X: v.pos.X, Y: v.pos.Y, W: v.w, H: v.h}
}

// snap4 rounds a direction to the nearest of east, south, west, north.
func snap4(d diagram.Point) diagram.Point {
	if math.Abs(d.X) >= math.Abs(d.Y) {
		return diagram.Pt(math.Copysign(1, d.X), 0)
	}
	return diagram.Pt(0, math.Copysign(1, d.Y))
}

// otherEnd returns the vertex at the far end of leg l of v.
func (n *net) otherEnd(v int, l *vleg) int {
	if l.edge.a == v {
		return l.edge.b
	}
	return l.edge.a
}

// orientTriangles points each isometry's tip toward the partners of its tip
// legs (or away from the partners of its base legs; east when it has none),
// rounded to one of the four axis directions.
func (n *net) orientTriangles(comp []int) {
	for _, vi := range comp {
		v := n.verts[vi]
		if v.shape != diagram.Triangle {
			continue
		}
		var tip, base diagram.Point
		for _, l := range v.legs {
			var d diagram.Point
			switch {
			case l.edge != nil && l.edge.a != l.edge.b:
				d = n.verts[n.otherEnd(vi, l)].pos.Sub(v.pos).Unit()
			case l.stub != nil:
				d = n.stubWish(vi, l.stub)
			}
			if l.tip {
				tip = tip.Add(d)
			} else {
				base = base.Add(d)
			}
		}
		dir := tip
		if dir.Len() < 1e-9 {
			dir = base.Scale(-1)
		}
		if dir.Len() < 1e-9 {
			dir = diagram.Pt(1, 0)
		}
		dir = snap4(dir)
		// The box was sized with the tip pointing east: W along the tip axis.
		if (dir.Y != 0) != (v.angle == 90 || v.angle == 270) {
			v.w, v.h = v.h, v.w
		}
		v.angle = dir.Angle()
	}
}

// stubWish is the direction a free leg asks for before placement: its side,
// else the side the layout around its bubble wishes for, else the first
// free leg leftward and the last rightward (turned for a vertical layout),
// else nothing.
func (n *net) stubWish(v int, s *stub) diagram.Point {
	if s.side != Auto {
		return s.side.dir()
	}
	if s.hint != Auto {
		return s.hint.dir()
	}
	var d diagram.Point
	switch s.name {
	case n.firstFree:
		d = diagram.Pt(-1, 0)
	case n.lastFree:
		d = diagram.Pt(1, 0)
	}
	if n.vertical {
		d = d.CW()
	}
	return d
}

// fixPorts sets the ports that the shape decides: a triangle's tip legs
// leave from its tip, its base legs from points spread along the base in
// the order of their partners; a bubble's legs leave where the inside's free
// legs reach the contour.
func (n *net) fixPorts(comp []int) {
	for _, vi := range comp {
		v := n.verts[vi]
		switch v.shape {
		case diagram.Triangle:
			out := v.shapeNode().Outline()
			tipDir := diagram.Dir(v.angle)
			var tips, bases []*vleg
			for _, l := range v.legs {
				if l.tip {
					tips = append(tips, l)
				} else {
					bases = append(bases, l)
				}
			}
			for k, l := range tips {
				l.port, l.fixed = out[0], true
				l.dir = diagram.Dir(v.angle + 25*(float64(k)-float64(len(tips)-1)/2))
			}
			// Base from out[1] to out[2]; order base legs by where their
			// partner lies along that line, free legs by the side they ask
			// for, else in output order top to bottom or left to right.
			along := out[2].Sub(out[1]).Unit()
			read := math.Copysign(1, along.X+along.Y) // +1 when along points down or right
			key := func(l *vleg) float64 {
				switch {
				case l.edge != nil && l.edge.a != l.edge.b:
					return n.verts[n.otherEnd(vi, l)].pos.Sub(v.pos).Dot(along)
				case l.stub != nil:
					return n.stubWish(vi, l.stub).Dot(along)*1e6 + read*float64(l.stub.order)
				}
				return 0
			}
			slices.SortStableFunc(bases, func(a, b *vleg) int { return cmpFloat(key(a), key(b)) })
			for k, l := range bases {
				l.port = out[1].Lerp(out[2], (float64(k)+1)/(float64(len(bases))+1))
				l.dir, l.fixed = tipDir.Scale(-1), true
			}
			// A free leg the structure wants sideways (the physical leg of
			// a matrix-product state of isometries) leaves from the base's
			// corner on that side, in that direction.
			if p := v.pref; p != (diagram.Point{}) && math.Abs(p.Dot(tipDir)) < 0.5 {
				corner := out[1]
				if out[2].Sub(v.pos).Dot(p) > out[1].Sub(v.pos).Dot(p) {
					corner = out[2]
				}
				for i, l := range bases {
					if l.stub != nil && n.stubWish(vi, l.stub) == (diagram.Point{}) {
						l.port, l.dir = corner, p.Unit()
						rest := slices.Delete(slices.Clone(bases), i, i+1)
						for k, r := range rest {
							r.port = out[1].Lerp(out[2], (float64(k)+1)/(float64(len(rest))+1))
						}
						break
					}
				}
			}
		case diagram.Bubble:
			for _, l := range v.legs {
				if p, ok := v.inner.ports[l.name]; ok {
					l.port, l.dir, l.fixed = v.pos.Add(p.at), p.dir, true
				}
			}
		}
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// aim is the point a wire end at leg l of v heads from: its fixed port, or
// the centre.
func (v *vert) aim(l *vleg) diagram.Point {
	if l.fixed {
		return l.port
	}
	return v.pos
}

// wirePorts places both ends of every wire that is not a trace loop. Two
// wires between the same two tensors form a pair of arcs: at each end they
// leave spread around the tensor in clockwise order of leg index, so a pair
// whose two orders agree is drawn as parallel arcs (Tr(AB) = A_ij B_ji) and
// one whose orders disagree is drawn crossed (Tr(ABᵀ) = A_ij B_ij). Three or
// more run as a cable of parallel straight wires.
func (n *net) wirePorts(comp []int) {
	in := map[int]bool{}
	for _, v := range comp {
		in[v] = true
	}
	type pair struct{ a, b int }
	bundles := map[pair][]*edge{}
	var keys []pair
	for _, e := range n.edges {
		if e.a == e.b || !in[e.a] {
			continue
		}
		k := pair{min(e.a, e.b), max(e.a, e.b)}
		if _, ok := bundles[k]; !ok {
			keys = append(keys, k)
		}
		bundles[k] = append(bundles[k], e)
	}
	for _, k := range keys {
		es := bundles[k]
		va, vb := n.verts[k.a], n.verts[k.b]
		// A leg's place in its tensor's clockwise order: its index, counted
		// from the other end for a tensor drawn upside down, whose legs are
		// listed transposed (Bᵀ[i j] is B with its axes reversed).
		order := func(v *vert, i int) int {
			if v.flip {
				return len(v.legs) - 1 - i
			}
			return i
		}
		legA := func(e *edge) (*vleg, int) {
			if e.a == k.a {
				return va.legs[e.la], order(va, e.la)
			}
			return va.legs[e.lb], order(va, e.lb)
		}
		legB := func(e *edge) (*vleg, int) {
			if e.a == k.b {
				return vb.legs[e.la], order(vb, e.la)
			}
			return vb.legs[e.lb], order(vb, e.lb)
		}
		byA := slices.Clone(es)
		slices.SortStableFunc(byA, func(x, y *edge) int { _, i := legA(x); _, j := legA(y); return i - j })
		byB := slices.Clone(es)
		slices.SortStableFunc(byB, func(x, y *edge) int { _, i := legB(x); _, j := legB(y); return i - j })
		// A join's legs have no order of their own: lay them parallel.
		switch {
		case vb.kind == diagram.Join:
			byB = slices.Clone(byA)
			slices.Reverse(byB)
		case va.kind == diagram.Join:
			byA = slices.Clone(byB)
			slices.Reverse(byA)
		}
		nb := len(es)
		for _, e := range es {
			la, _ := legA(e)
			lb, _ := legB(e)
			ma := float64(slices.Index(byA, e)) - float64(nb-1)/2
			mb := float64(slices.Index(byB, e)) - float64(nb-1)/2
			d := vb.aim(lb).Sub(va.aim(la)).Unit()
			if d == (diagram.Point{}) {
				d = diagram.Pt(1, 0)
			}
			var pts []diagram.Point // from a to b
			switch {
			case nb > 2 && !la.fixed && !lb.fixed:
				// Three or more wires run straight and parallel, in the
				// order of the legs on a: a cable between the two tensors.
				perp := d.CW()
				half := math.Min(extent(va.box(), perp), extent(vb.box(), perp))
				sp := math.Min(9, 1.6*half/float64(nb-1))
				off := perp.Scale(ma * sp)
				la.port, la.dir = va.shapeNode().Exit(va.pos.Add(off), d), d
				lb.port, lb.dir = vb.shapeNode().Exit(vb.pos.Add(off), d.Scale(-1)), d.Scale(-1)
				pts = []diagram.Point{la.port, lb.port}
				// The cable is named once, on its first wire: "r, k, s".
				e.cable = ""
				if byA[0] == e {
					names := make([]string, nb)
					for k, x := range byA {
						names[k] = x.label
					}
					e.cable = strings.Join(names, ", ")
				}
				e.inCable = true
			case nb > 1 && !la.fixed && !lb.fixed:
				// Spread the bundle's ends around each tensor and join them
				// with arcs: angles grow clockwise with the leg order.
				spread := math.Min(60, 80/float64(nb-1))
				da := diagram.Dir(d.Angle() + ma*spread)
				db := diagram.Dir(d.Scale(-1).Angle() + mb*spread)
				la.port, la.dir = va.shapeNode().Exit(va.pos, da), da
				lb.port, lb.dir = vb.shapeNode().Exit(vb.pos, db), db
				reach := 0.4 * lb.port.Sub(la.port).Len()
				pts = []diagram.Point{la.port, la.port.Add(da.Scale(reach)), lb.port.Add(db.Scale(reach)), lb.port}
				e.curve = true
			default:
				if !la.fixed {
					dd := d
					if lb.fixed {
						dd = lb.port.Sub(va.pos).Unit()
					}
					la.port, la.dir = va.shapeNode().Exit(va.pos, dd), dd
				}
				if !lb.fixed {
					dd := d.Scale(-1)
					if la.fixed {
						dd = la.port.Sub(vb.pos).Unit()
					}
					lb.port, lb.dir = vb.shapeNode().Exit(vb.pos, dd), dd
				}
				pts = []diagram.Point{la.port, lb.port}
			}
			if e.a != k.a {
				slices.Reverse(pts)
			}
			e.pts = pts
		}
	}
}

// occupied lists the directions in which legs already leave v.
func (n *net) occupied(v int) []diagram.Point {
	var out []diagram.Point
	for _, l := range n.verts[v].legs {
		if l.dir != (diagram.Point{}) {
			out = append(out, l.dir)
		}
	}
	return out
}

// clearance is the smallest angle, in degrees, between d and any of dirs
// (180 when there are none).
func clearance(d diagram.Point, dirs []diagram.Point) float64 {
	c := 180.0
	for _, o := range dirs {
		cos := math.Max(-1, math.Min(1, d.Unit().Dot(o.Unit())))
		c = math.Min(c, math.Acos(cos)*180/math.Pi)
	}
	return c
}

// compass lists the eight directions, axes first, in a fixed order of
// preference: down, right, up, left, then the diagonals.
var compass = []diagram.Point{
	{Y: 1}, {X: 1}, {Y: -1}, {X: -1},
	diagram.Pt(1, 1).Unit(), diagram.Pt(-1, 1).Unit(), diagram.Pt(1, -1).Unit(), diagram.Pt(-1, -1).Unit(),
}

// loops draws each trace (two legs of one tensor joined) as a teardrop loop
// in the widest free direction, preferring up.
func (n *net) loops(comp []int) {
	for _, e := range n.edges {
		if e.a != e.b || !slices.Contains(comp, e.a) {
			continue
		}
		v := n.verts[e.a]
		occ := n.occupied(e.a)
		best, bestC := diagram.Pt(0, -1), -1.0
		for _, c := range []diagram.Point{{Y: -1}, {Y: 1}, {X: 1}, {X: -1}} {
			if cl := clearance(c, occ); cl > bestC+1e-9 {
				best, bestC = c, cl
			}
		}
		th := best.Angle()
		d1, d2 := diagram.Dir(th-35), diagram.Dir(th+35)
		if e.la > e.lb {
			d1, d2 = d2, d1
		}
		node := v.shapeNode()
		p0, p3 := node.Exit(v.pos, d1), node.Exit(v.pos, d2)
		reach := 30.0
		e.pts = []diagram.Point{p0, p0.Add(d1.Scale(reach)), p3.Add(d2.Scale(reach)), p3}
		e.curve = true
		v.legs[e.la].port, v.legs[e.la].dir = p0, d1
		v.legs[e.lb].port, v.legs[e.lb].dir = p3, d2
	}
}
