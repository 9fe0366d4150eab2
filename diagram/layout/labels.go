package layout

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/strand-tn/strand/diagram"
)

// nodeLabels centres each tensor's name in its shape; in a triangle it sits
// at the centroid, a sixth of the tip axis back from the middle.
func (n *net) nodeLabels(comp []int) []diagram.Label {
	var out []diagram.Label
	for _, vi := range comp {
		v := n.verts[vi]
		if v.label == "" || v.shape == diagram.Bubble {
			continue
		}
		c := v.pos
		if v.shape == diagram.Triangle {
			d := diagram.Dir(v.angle)
			c = c.Sub(d.Scale(extent(v.box(), d) / 3))
		}
		lb, _ := diagram.PlaceLabel(v.label, diagram.NodeLabel, nodeFont, c)
		lb.Owner, lb.Flip, lb.At = v.id, v.flip, v.pos
		out = append(out, lb)
	}
	return out
}

// pointAt returns the point at fraction t of a polyline's length and the
// unit tangent there.
func pointAt(l []diagram.Point, t float64) (diagram.Point, diagram.Point) {
	total := 0.0
	for i := 1; i < len(l); i++ {
		total += l[i].Sub(l[i-1]).Len()
	}
	want := t * total
	for i := 1; i < len(l); i++ {
		s := l[i].Sub(l[i-1]).Len()
		if want <= s || i == len(l)-1 {
			if s == 0 {
				return l[i], diagram.Pt(1, 0)
			}
			return l[i-1].Lerp(l[i], math.Min(1, want/s)), l[i].Sub(l[i-1]).Unit()
		}
		want -= s
	}
	return l[0], diagram.Pt(1, 0)
}

// wireLabels names each contracted leg beside its wire: at the middle if it
// is clear there, else further along; on the side away from the middle of
// the drawing, else above a horizontal wire and right of a vertical one. A
// hyperedge is named once, next to its dot (placed first: dots are crowded).
func (n *net) wireLabels(comp []int, o *obstacles) []diagram.Label {
	var out []diagram.Label
	if n.opt.NoLegLabels {
		return out
	}
	for _, vi := range comp {
		v := n.verts[vi]
		if !v.hyper || v.legs[len(v.legs)-1].stub != nil {
			continue // a free hyperedge is named at its stub
		}
		lab, _ := diagram.PlaceLabel(v.legs[0].label, diagram.LegLabel, legFont, diagram.Point{})
		occ := n.occupied(vi)
		cands := slices.Clone(compass)
		slices.SortStableFunc(cands, func(a, b diagram.Point) int { return cmpFloat(clearance(b, occ), clearance(a, occ)) })
		var best diagram.Label
		bestK := math.MaxInt
		for _, d := range cands {
			lb := lab.Move(v.pos.Add(d.Scale(v.w/2 + labelGap + extent(lab.Box, d))))
			lb.At, lb.Owner = v.pos, v.id
			if k := o.boxConflicts(lb.Box); k < bestK {
				best, bestK = lb, k
			}
			if bestK == 0 {
				break
			}
		}
		out = append(out, best)
		o.labels = append(o.labels, best.Box)
	}
	var mid diagram.Point
	for _, vi := range comp {
		mid = mid.Add(n.verts[vi].pos)
	}
	mid = mid.Scale(1 / float64(len(comp)))
	for ei, e := range n.edges {
		if e.unlabelled || !slices.Contains(comp, e.a) || e.inCable && e.cable == "" {
			continue
		}
		text := e.label
		if e.inCable {
			text = e.cable
		}
		lab, _ := diagram.PlaceLabel(text, diagram.LegLabel, legFont, diagram.Point{})
		poly := diagram.Flatten(e.pts, e.curve, 0.5)
		var best diagram.Label
		bestK := math.MaxInt
		ts := []float64{0.5, 0.35, 0.65, 0.22, 0.78}
		if e.a == e.b {
			ts = []float64{0.5}
		}
		for _, t := range ts {
			p, u := pointAt(poly, t)
			nrm := u.CW()
			if off := p.Sub(mid).Dot(nrm); math.Abs(off) > 0.2*n.opt.wire() {
				// Outside the drawing, away from its centre.
				if off < 0 {
					nrm = nrm.Scale(-1)
				}
			} else if nrm.Y > 0.1 || math.Abs(nrm.Y) <= 0.1 && nrm.X < 0 {
				nrm = nrm.Scale(-1)
			}
			for _, side := range []diagram.Point{nrm, nrm.Scale(-1)} {
				lb := lab.Move(p.Add(side.Scale(labelGap + extent(lab.Box, side))))
				lb.At = p
				if k := o.boxConflicts(lb.Box); k < bestK {
					best, bestK = lb, k
				}
				if bestK == 0 {
					break
				}
			}
			if bestK == 0 {
				break
			}
		}
		best.Wire = ei + 1 // an edge index; renumbered when the piece is assembled
		out = append(out, best)
		o.labels = append(o.labels, best.Box)
	}
	return out
}

// shiftLabels writes the offset of each shifted leg ("+1" for δ[k q+1])
// beside the leg where it leaves its dot, on the first clear side.
func (n *net) shiftLabels(comp []int, o *obstacles) []diagram.Label {
	var out []diagram.Label
	for _, vi := range comp {
		v := n.verts[vi]
		for _, l := range v.legs {
			if l.shift == 0 {
				continue
			}
			text := strings.Replace(fmt.Sprintf("%+d", l.shift), "-", "−", 1)
			lab, _ := diagram.PlaceLabel(text, diagram.LegLabel, shiftFont, diagram.Point{})
			d := l.dir
			if d == (diagram.Point{}) {
				d = diagram.Pt(1, 0)
			}
			var best diagram.Label
			bestK := math.MaxInt
			for _, along := range []float64{5, 12, 2} {
				for _, side := range []diagram.Point{d.CW(), d.CW().Scale(-1)} {
					c := l.port.Add(d.Scale(along)).Add(side.Scale(labelGap + extent(lab.Box, side)))
					lb := lab.Move(c)
					lb.Owner, lb.At = v.id, l.port
					if k := o.boxConflicts(lb.Box); k < bestK {
						best, bestK = lb, k
					}
				}
				if bestK == 0 {
					break
				}
			}
			out = append(out, best)
			o.labels = append(o.labels, best.Box)
		}
	}
	return out
}
