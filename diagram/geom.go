package diagram

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// Point is a position or a vector in scene units (y down).
type Point struct{ X, Y float64 }

// Pt is shorthand for Point{x, y}.
func Pt(x, y float64) Point { return Point{x, y} }

// Add returns p + q.
func (p Point) Add(q Point) Point { return Point{p.X + q.X, p.Y + q.Y} }

// Sub returns p − q.
func (p Point) Sub(q Point) Point { return Point{p.X - q.X, p.Y - q.Y} }

// Scale returns k·p.
func (p Point) Scale(k float64) Point { return Point{k * p.X, k * p.Y} }

// Dot returns p·q.
func (p Point) Dot(q Point) float64 { return p.X*q.X + p.Y*q.Y }

// Cross returns the z component of p × q; with y down it is positive when q
// lies clockwise of p.
func (p Point) Cross(q Point) float64 { return p.X*q.Y - p.Y*q.X }

// Len returns |p|.
func (p Point) Len() float64 { return math.Hypot(p.X, p.Y) }

// Unit returns p/|p|, or the zero vector for the zero vector.
func (p Point) Unit() Point {
	l := p.Len()
	if l == 0 {
		return Point{}
	}
	return Point{p.X / l, p.Y / l}
}

// CW returns p turned a quarter turn clockwise on the screen (y down):
// east becomes south.
func (p Point) CW() Point { return Point{-p.Y, p.X} }

// Lerp returns p + t·(q − p).
func (p Point) Lerp(q Point, t float64) Point {
	return Point{p.X + t*(q.X-p.X), p.Y + t*(q.Y-p.Y)}
}

// Dir returns the unit vector at angle deg degrees clockwise from +x.
func Dir(deg float64) Point {
	s, c := math.Sincos(deg * math.Pi / 180)
	return Point{c, s}
}

// Angle returns the direction of p in degrees clockwise from +x, in [0, 360).
func (p Point) Angle() float64 {
	a := math.Atan2(p.Y, p.X) * 180 / math.Pi
	if a < 0 {
		a += 360
	}
	return a
}

// MarshalJSON writes p as [x, y].
func (p Point) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 24)
	b = append(b, '[')
	b = strconv.AppendFloat(b, p.X, 'f', -1, 64)
	b = append(b, ',')
	b = strconv.AppendFloat(b, p.Y, 'f', -1, 64)
	return append(b, ']'), nil
}

// UnmarshalJSON reads [x, y].
func (p *Point) UnmarshalJSON(b []byte) error {
	var xy []float64
	if err := json.Unmarshal(b, &xy); err != nil {
		return fmt.Errorf("diagram: point: %w", err)
	}
	if len(xy) != 2 {
		return fmt.Errorf("diagram: point has %d coordinates, want 2", len(xy))
	}
	p.X, p.Y = xy[0], xy[1]
	return nil
}

// Box is an axis-aligned rectangle given by its centre and size.
type Box struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
	W float64 `json:"w"`
	H float64 `json:"h"`
}

// BoxOf returns the box with corners min and max.
func BoxOf(min, max Point) Box {
	return Box{(min.X + max.X) / 2, (min.Y + max.Y) / 2, max.X - min.X, max.Y - min.Y}
}

// Center returns the box's centre.
func (b Box) Center() Point { return Point{b.X, b.Y} }

// Min returns the top-left corner.
func (b Box) Min() Point { return Point{b.X - b.W/2, b.Y - b.H/2} }

// Max returns the bottom-right corner.
func (b Box) Max() Point { return Point{b.X + b.W/2, b.Y + b.H/2} }

// Inflate returns b grown by d on every side (shrunk when d < 0, never below
// zero size).
func (b Box) Inflate(d float64) Box {
	return Box{b.X, b.Y, math.Max(0, b.W+2*d), math.Max(0, b.H+2*d)}
}

// Overlaps reports whether b and c share a region of positive area.
func (b Box) Overlaps(c Box) bool {
	return math.Abs(b.X-c.X) < (b.W+c.W)/2 && math.Abs(b.Y-c.Y) < (b.H+c.H)/2
}

// Contains reports whether p lies strictly inside b.
func (b Box) Contains(p Point) bool {
	return math.Abs(p.X-b.X) < b.W/2 && math.Abs(p.Y-b.Y) < b.H/2
}

// Union returns the smallest box holding b and c. The zero Box is treated as
// empty.
func (b Box) Union(c Box) Box {
	if b == (Box{}) {
		return c
	}
	if c == (Box{}) {
		return b
	}
	lo := Point{math.Min(b.X-b.W/2, c.X-c.W/2), math.Min(b.Y-b.H/2, c.Y-c.H/2)}
	hi := Point{math.Max(b.X+b.W/2, c.X+c.W/2), math.Max(b.Y+b.H/2, c.Y+c.H/2)}
	return BoxOf(lo, hi)
}

// Translate returns b moved by d.
func (b Box) Translate(d Point) Box { return Box{b.X + d.X, b.Y + d.Y, b.W, b.H} }

// BoundsOf returns the smallest box holding every point.
func BoundsOf(pts []Point) Box {
	if len(pts) == 0 {
		return Box{}
	}
	lo, hi := pts[0], pts[0]
	for _, p := range pts[1:] {
		lo = Point{math.Min(lo.X, p.X), math.Min(lo.Y, p.Y)}
		hi = Point{math.Max(hi.X, p.X), math.Max(hi.Y, p.Y)}
	}
	return BoxOf(lo, hi)
}

// SegmentsCross reports whether segments ab and cd properly intersect: they
// cross at a single point interior to both. Touching at an end point or
// running collinear does not count.
func SegmentsCross(a, b, c, d Point) bool {
	d1 := b.Sub(a).Cross(c.Sub(a))
	d2 := b.Sub(a).Cross(d.Sub(a))
	d3 := d.Sub(c).Cross(a.Sub(c))
	d4 := d.Sub(c).Cross(b.Sub(c))
	return d1*d2 < 0 && d3*d4 < 0
}

// SegmentHitsBox reports whether segment ab passes through the interior of
// box (Liang–Barsky clipping, 1984).
func SegmentHitsBox(a, b Point, box Box) bool {
	if box.W <= 0 || box.H <= 0 {
		return false
	}
	lo, hi := box.Min(), box.Max()
	t0, t1 := 0.0, 1.0
	d := b.Sub(a)
	clip := func(p, q float64) bool {
		if p == 0 {
			return q > 0
		}
		r := q / p
		if p < 0 {
			if r > t1 {
				return false
			}
			t0 = math.Max(t0, r)
		} else {
			if r < t0 {
				return false
			}
			t1 = math.Min(t1, r)
		}
		return true
	}
	if !clip(-d.X, a.X-lo.X) || !clip(d.X, hi.X-a.X) || !clip(-d.Y, a.Y-lo.Y) || !clip(d.Y, hi.Y-a.Y) {
		return false
	}
	if t1-t0 <= 1e-9 {
		return false
	}
	m := a.Lerp(b, (t0+t1)/2)
	return box.Contains(m)
}

// PolylineHitsBox reports whether any segment of pts passes through box.
func PolylineHitsBox(pts []Point, box Box) bool {
	for i := 1; i < len(pts); i++ {
		if SegmentHitsBox(pts[i-1], pts[i], box) {
			return true
		}
	}
	return false
}

// PolylinesCross counts the points where two polylines cross. Each segment
// owns its start point but not its end (the last owns both), so a crossing
// through a vertex is counted once; meeting at an end point of either
// polyline (two wires at one port) does not count, nor does running
// collinear.
func PolylinesCross(p, q []Point) int {
	const eps = 1e-9
	n := 0
	ends := []Point{p[0], p[len(p)-1], q[0], q[len(q)-1]}
	for i := 1; i < len(p); i++ {
		a, b := p[i-1], p[i]
		r := b.Sub(a)
		for j := 1; j < len(q); j++ {
			c, d := q[j-1], q[j]
			s := d.Sub(c)
			den := r.Cross(s)
			if math.Abs(den) < eps*r.Len()*s.Len() || den == 0 {
				continue
			}
			t := c.Sub(a).Cross(s) / den
			u := c.Sub(a).Cross(r) / den
			tMax, uMax := 1-eps, 1-eps
			if i == len(p)-1 {
				tMax = 1 + eps
			}
			if j == len(q)-1 {
				uMax = 1 + eps
			}
			if t < -eps || t > tMax || u < -eps || u > uMax {
				continue
			}
			x := a.Add(r.Scale(t))
			end := false
			for _, e := range ends {
				if x.Sub(e).Len() < 1e-6 {
					end = true
				}
			}
			if !end {
				n++
			}
		}
	}
	return n
}

// Flatten returns a polyline through pts. When curve is false pts already is
// one; when true pts is a cubic Bézier chain P0 C C P1 C C P2 … and each
// segment is subdivided until it deviates from its chord by at most tol.
func Flatten(pts []Point, curve bool, tol float64) []Point {
	if !curve || len(pts) < 4 {
		return append([]Point(nil), pts...)
	}
	out := []Point{pts[0]}
	for i := 0; i+3 < len(pts); i += 3 {
		out = flattenCubic(out, pts[i], pts[i+1], pts[i+2], pts[i+3], tol, 0)
	}
	return out
}

// flattenCubic appends the subdivision of one cubic, excluding its first
// point, by de Casteljau splitting at t = 1/2.
func flattenCubic(out []Point, p0, p1, p2, p3 Point, tol float64, depth int) []Point {
	chord := p3.Sub(p0)
	l := chord.Len()
	var dev float64
	if l == 0 {
		dev = math.Max(p1.Sub(p0).Len(), p2.Sub(p0).Len())
	} else {
		dev = math.Max(math.Abs(chord.Cross(p1.Sub(p0))), math.Abs(chord.Cross(p2.Sub(p0)))) / l
	}
	if dev <= tol || depth >= 12 {
		return append(out, p3)
	}
	p01, p12, p23 := p0.Lerp(p1, .5), p1.Lerp(p2, .5), p2.Lerp(p3, .5)
	p012, p123 := p01.Lerp(p12, .5), p12.Lerp(p23, .5)
	m := p012.Lerp(p123, .5)
	out = flattenCubic(out, p0, p01, p012, m, tol, depth+1)
	return flattenCubic(out, m, p123, p23, p3, tol, depth+1)
}

// Polyline returns the wire's path as a polyline (curves flattened to within
// 0.25 units).
func (w *Wire) Polyline() []Point { return Flatten(w.Points, w.Curve, 0.25) }

// CornerRadius is the rounding radius of a node's outline.
func (n *Node) CornerRadius() float64 {
	switch n.Shape {
	case RoundBox:
		return math.Min(6, math.Min(n.W, n.H)/2)
	case Bubble:
		return math.Min(14, math.Min(n.W, n.H)/2)
	}
	return 0
}

// Outline returns the vertices of a triangle or square node in drawing
// order, and nil for the other shapes. A triangle with Angle 0 has its tip at
// the middle of the box's right side and its base along the left side; other
// angles (multiples of 90) turn it about the centre.
func (n *Node) Outline() []Point {
	c := n.Center()
	switch n.Shape {
	case Square:
		lo, hi := n.Min(), n.Max()
		return []Point{lo, {hi.X, lo.Y}, hi, {lo.X, hi.Y}}
	case Triangle:
		a, b := n.W/2, n.H/2 // half length along the tip axis, half base
		q := quadrant(n.Angle)
		if q%2 == 1 {
			a, b = b, a
		}
		d := [4]Point{{1, 0}, {0, 1}, {-1, 0}, {0, -1}}[q]
		nrm := d.CW()
		tip := c.Add(d.Scale(a))
		back := c.Sub(d.Scale(a))
		return []Point{tip, back.Add(nrm.Scale(b)), back.Sub(nrm.Scale(b))}
	}
	return nil
}

// quadrant rounds an angle in degrees to the nearest multiple of 90 and
// returns it as 0 (east), 1 (south), 2 (west) or 3 (north).
func quadrant(deg float64) int {
	q := int(math.Round(deg/90)) % 4
	if q < 0 {
		q += 4
	}
	return q
}

// Boundary returns where the ray from the node's centre in direction dir
// leaves its outline. A bare node is a point: its boundary is its centre.
func (n *Node) Boundary(dir Point) Point { return n.Exit(n.Center(), dir) }

// Exit returns where the ray from p, a point inside the node, in direction
// dir leaves its outline. For a bare node it returns p.
func (n *Node) Exit(p, dir Point) Point {
	u := dir.Unit()
	if u == (Point{}) || n.Shape == Bare {
		return p
	}
	switch n.Shape {
	case Circle, Dot:
		// |p + t·u − c| = r, larger root.
		q := p.Sub(n.Center())
		r := math.Min(n.W, n.H) / 2
		b := u.Dot(q)
		disc := b*b - q.Dot(q) + r*r
		if disc < 0 {
			return p
		}
		return p.Add(u.Scale(-b + math.Sqrt(disc)))
	case Triangle, Square:
		return rayPolygon(p, u, n.Outline())
	}
	return rayRoundRect(p, u, n.Box, n.CornerRadius())
}

// rayPolygon intersects the ray c + t·u (c inside) with a convex polygon.
func rayPolygon(c, u Point, poly []Point) Point {
	best := math.Inf(1)
	for i := range poly {
		a, b := poly[i], poly[(i+1)%len(poly)]
		e := b.Sub(a)
		den := u.Cross(e)
		if den == 0 {
			continue
		}
		t := a.Sub(c).Cross(e) / den
		s := a.Sub(c).Cross(u) / den
		if t >= 0 && s >= -1e-9 && s <= 1+1e-9 && t < best {
			best = t
		}
	}
	if math.IsInf(best, 1) {
		return c
	}
	return c.Add(u.Scale(best))
}

// rayRoundRect intersects the ray p + t·u (p inside) with the outline of box
// rounded by radius r.
func rayRoundRect(p, u Point, box Box, r float64) Point {
	lo, hi := box.Min(), box.Max()
	t := math.Inf(1)
	if u.X > 0 {
		t = math.Min(t, (hi.X-p.X)/u.X)
	} else if u.X < 0 {
		t = math.Min(t, (lo.X-p.X)/u.X)
	}
	if u.Y > 0 {
		t = math.Min(t, (hi.Y-p.Y)/u.Y)
	} else if u.Y < 0 {
		t = math.Min(t, (lo.Y-p.Y)/u.Y)
	}
	q := p.Add(u.Scale(t)).Sub(box.Center())
	hw, hh := box.W/2, box.H/2
	if r > 0 && math.Abs(q.X) > hw-r && math.Abs(q.Y) > hh-r {
		// In a corner: intersect with the corner's circle, larger root.
		k := box.Center().Add(Point{math.Copysign(hw-r, q.X), math.Copysign(hh-r, q.Y)})
		w := p.Sub(k)
		b := u.Dot(w)
		disc := b*b - w.Dot(w) + r*r
		if disc >= 0 {
			return p.Add(u.Scale(-b + math.Sqrt(disc)))
		}
	}
	return box.Center().Add(q)
}
