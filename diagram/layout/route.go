package layout

import (
	"math"
	"slices"

	"github.com/strand-tn/strand/diagram"
)

const (
	clearGap = 5.0   // routed wires keep this far from outlines
	cellSize = 4.0   // grid of the router
	maxPops  = 40000 // a search that expands more states gives up (the wire stays straight)
	// blockedCost is the price of a step into a cell near a tensor.
	blockedCost = 200
)

// hits reports whether segment ab passes through v's shape grown by margin.
// Circles are tested as circles, other shapes as their boxes.
func (v *vert) hits(a, b diagram.Point, margin float64) bool {
	switch v.shape {
	case diagram.Bare:
		return false
	case diagram.Circle, diagram.Dot:
		r := math.Min(v.w, v.h)/2 + margin
		return segDist(v.pos, a, b) < r-1e-6
	}
	return diagram.SegmentHitsBox(a, b, v.box().Inflate(margin))
}

// segDist is the distance from p to segment ab.
func segDist(p, a, b diagram.Point) float64 {
	ab := b.Sub(a)
	l2 := ab.Dot(ab)
	if l2 == 0 {
		return p.Sub(a).Len()
	}
	t := math.Max(0, math.Min(1, p.Sub(a).Dot(ab)/l2))
	return p.Sub(a.Lerp(b, t)).Len()
}

// blocked reports whether a wire as drawn so far (straight, or an arc of a
// bundle) passes through a tensor of the component (its own two ends
// included, which a wire from a port that faces away would cross).
func (n *net) blocked(e *edge, comp []int) bool {
	line := diagram.Flatten(e.pts, e.curve, 0.5)
	for _, vi := range comp {
		v := n.verts[vi]
		margin := 2.0
		if vi == e.a || vi == e.b {
			// Its own ends: only going back inside counts (a port near a
			// rounded corner lies inside the sharp box).
			margin = -0.5 - v.shapeNode().CornerRadius()
		}
		for i := 1; i < len(line); i++ {
			if v.hits(line[i-1], line[i], margin) {
				return true
			}
		}
	}
	return false
}

// route draws every wire of a component: straight when nothing is in the
// way, else as a gentle arc around what is in the way when one of a few
// arcs is clear, else along a shortest path with few bends on a grid
// around the tensors (A*, Hart, Nilsson and Raphael 1968) with rounded
// corners. Straight wires are placed first; routed ones then avoid running
// along them and cross them only when they must.
func (n *net) route(comp []int) {
	var todo []*edge
	var straight [][]diagram.Point
	for _, e := range n.edges {
		if !slices.Contains(comp, e.a) {
			continue
		}
		if e.a == e.b {
			straight = append(straight, diagram.Flatten(e.pts, true, 0.5))
			continue
		}
		if n.blocked(e, comp) {
			todo = append(todo, e)
		} else {
			straight = append(straight, e.pts)
		}
	}
	if len(todo) == 0 {
		return
	}
	slices.SortStableFunc(todo, func(x, y *edge) int {
		return cmpFloat(n.verts[x.a].pos.Sub(n.verts[x.b].pos).Len(), n.verts[y.a].pos.Sub(n.verts[y.b].pos).Len())
	})
	g := n.newGrid(comp)
	for _, p := range straight {
		g.mark(p)
	}
	for _, e := range todo {
		if n.detour(e, comp) {
			g.mark(diagram.Flatten(e.pts, true, 1))
			continue
		}
		if pts := n.astar(g, e); pts != nil {
			g.mark(pts)
			e.pts, e.curve = roundCorners(pts, 9), true
		}
	}
}

// detour tries to bend a blocked wire into an arc that clears every
// tensor: a cubic whose control points sit at the thirds of the line
// between the centres, pushed sideways by 15, 30, 45 or 60 units (either
// side). It leaves bundles' arcs to the grid router.
func (n *net) detour(e *edge, comp []int) bool {
	va, vb := n.verts[e.a], n.verts[e.b]
	la, lb := va.legs[e.la], vb.legs[e.lb]
	if la.fixed || lb.fixed {
		return false
	}
	from, to := va.pos, vb.pos
	nrm := to.Sub(from).Unit().CW()
	saved := e.pts
	for _, off := range []float64{15, -15, 30, -30, 45, -45, 60, -60} {
		c1 := from.Lerp(to, 1.0/3).Add(nrm.Scale(off))
		c2 := from.Lerp(to, 2.0/3).Add(nrm.Scale(off))
		da, db := c1.Sub(from).Unit(), c2.Sub(to).Unit()
		p := va.shapeNode().Exit(from, da)
		q := vb.shapeNode().Exit(to, db)
		e.pts, e.curve = []diagram.Point{p, c1, c2, q}, true
		if !n.blocked(e, comp) {
			la.port, la.dir = p, da
			lb.port, lb.dir = q, db
			return true
		}
	}
	e.pts, e.curve = saved, false
	return false
}

type router struct {
	origin  diagram.Point
	side    float64 // side of a grid cell
	nx, ny  int
	blocked []bool
	used    []uint8 // 1: a wire runs horizontally here, 2: vertically, 3: other
	// Search state per (cell, heading), valid where stamp equals gen.
	dist  []float64
	prev  []int32
	stamp []uint32
	gen   uint32
}

// index numbers a search state.
func (g *router) index(s state) int { return (s.c[1]*g.nx+s.c[0])*4 + s.dir }

func (g *router) state(i int) state {
	c := i / 4
	return state{[2]int{c % g.nx, c / g.nx}, i % 4}
}

func (n *net) newGrid(comp []int) *router {
	var b diagram.Box
	for i, vi := range comp {
		if i == 0 {
			b = n.verts[vi].box()
		} else {
			b = b.Union(n.verts[vi].box())
		}
	}
	b = b.Inflate(n.opt.wire() + 24)
	// Cells of 4 units, coarser for big drawings (at most ~20000 cells).
	cell := math.Max(cellSize, math.Sqrt(b.W*b.H/20000))
	g := &router{origin: b.Min(), side: cell, nx: int(b.W/cell) + 1, ny: int(b.H/cell) + 1}
	g.blocked = make([]bool, g.nx*g.ny)
	g.used = make([]uint8, g.nx*g.ny)
	g.dist = make([]float64, 4*g.nx*g.ny)
	g.prev = make([]int32, 4*g.nx*g.ny)
	g.stamp = make([]uint32, 4*g.nx*g.ny)
	for _, vi := range comp {
		v := n.verts[vi]
		if v.shape == diagram.Bare {
			continue
		}
		ob := v.box().Inflate(clearGap)
		lo, hi := g.cell(ob.Min()), g.cell(ob.Max())
		for y := max(lo[1], 0); y <= min(hi[1], g.ny-1); y++ {
			for x := max(lo[0], 0); x <= min(hi[0], g.nx-1); x++ {
				g.blocked[y*g.nx+x] = true
			}
		}
	}
	return g
}

func (g *router) cell(p diagram.Point) [2]int {
	return [2]int{int(math.Floor((p.X - g.origin.X) / g.side)), int(math.Floor((p.Y - g.origin.Y) / g.side))}
}

func (g *router) center(c [2]int) diagram.Point {
	return diagram.Pt(g.origin.X+(float64(c[0])+0.5)*g.side, g.origin.Y+(float64(c[1])+0.5)*g.side)
}

func (g *router) in(c [2]int) bool { return c[0] >= 0 && c[1] >= 0 && c[0] < g.nx && c[1] < g.ny }

// mark records the cells a wire passes.
func (g *router) mark(pts []diagram.Point) {
	for i := 1; i < len(pts); i++ {
		a, b := pts[i-1], pts[i]
		var bit uint8 = 3
		switch {
		case math.Abs(a.Y-b.Y) < 0.5:
			bit = 1
		case math.Abs(a.X-b.X) < 0.5:
			bit = 2
		}
		steps := int(b.Sub(a).Len()/(g.side/2)) + 1
		for s := 0; s <= steps; s++ {
			c := g.cell(a.Lerp(b, float64(s)/float64(steps)))
			if g.in(c) {
				g.used[c[1]*g.nx+c[0]] |= bit
			}
		}
	}
}

var steps4 = [4][2]int{{1, 0}, {0, 1}, {-1, 0}, {0, -1}} // E S W N

type state struct {
	c   [2]int
	dir int
}

type item struct {
	s    state
	f, g float64
	seq  int
}

// pq is a binary min-heap of search items ordered by f, then by insertion
// (for determinism).
type pq []item

func (q pq) less(i, j int) bool {
	if q[i].f != q[j].f {
		return q[i].f < q[j].f
	}
	return q[i].seq < q[j].seq
}

func (q *pq) push(it item) {
	*q = append(*q, it)
	h := *q
	for i := len(h) - 1; i > 0; {
		p := (i - 1) / 2
		if !h.less(i, p) {
			break
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
}

func (q *pq) pop() item {
	h := *q
	top := h[0]
	last := len(h) - 1
	h[0] = h[last]
	h = h[:last]
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(h) && h.less(l, m) {
			m = l
		}
		if r < len(h) && h.less(r, m) {
			m = r
		}
		if m == i {
			break
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
	*q = h
	return top
}

// gate is a way out of (or into) a tensor for a routed wire.
type gate struct {
	port, dir diagram.Point
	cell      [2]int
	cost      float64
}

// gates lists the ways a routed wire may leave v at leg l: the fixed port
// for triangles and bubbles, else the four axis directions, each costing
// more the closer it comes to a leg already leaving v.
func (n *net) gates(g *router, vi int, l *vleg, toward diagram.Point) []gate {
	v := n.verts[vi]
	dirs := []diagram.Point{{X: 1}, {Y: 1}, {X: -1}, {Y: -1}}
	if l.fixed {
		dirs = []diagram.Point{snap4(l.dir)}
	}
	var others []diagram.Point
	for _, o := range v.legs {
		if o != l && o.dir != (diagram.Point{}) {
			others = append(others, o.dir)
		}
	}
	var out []gate
	for _, d := range dirs {
		port := l.port
		if !l.fixed {
			port = v.shapeNode().Exit(v.pos, d)
		}
		c := g.cell(port.Add(d.Scale(clearGap + g.side)))
		if !g.in(c) || g.blocked[c[1]*g.nx+c[0]] {
			continue
		}
		cost := 0.0
		if cl := clearance(d, others); cl < 50 {
			cost += 60
		}
		cost += (1 - d.Dot(toward.Sub(v.pos).Unit())) * 2
		out = append(out, gate{port, d, c, cost})
	}
	return out
}

// astar finds a route for e on the grid and returns its corner points,
// from the port on e.a to the port on e.b.
func (n *net) astar(g *router, e *edge) []diagram.Point {
	va, vb := n.verts[e.a], n.verts[e.b]
	la, lb := va.legs[e.la], vb.legs[e.lb]
	starts := n.gates(g, e.a, la, vb.pos)
	goals := n.gates(g, e.b, lb, va.pos)
	if len(starts) == 0 || len(goals) == 0 {
		return nil
	}
	const turn, cross, along = 4.0, 6.0, 40.0
	// The Manhattan distance to the nearest goal, weighted by 1.5: a
	// weighted A* (Pohl 1970) whose routes cost at most 1.5 times the
	// cheapest, found with far fewer expansions.
	h := func(c [2]int) float64 {
		best := math.Inf(1)
		for _, gl := range goals {
			best = math.Min(best, float64(abs(c[0]-gl.cell[0])+abs(c[1]-gl.cell[1])))
		}
		return 1.5 * best
	}
	dirIndex := func(d diagram.Point) int {
		for i, s := range steps4 {
			if float64(s[0]) == d.X && float64(s[1]) == d.Y {
				return i
			}
		}
		return 0
	}
	g.gen++
	known := func(s state) (float64, bool) {
		i := g.index(s)
		return g.dist[i], g.stamp[i] == g.gen
	}
	set := func(s state, d float64, from int32) {
		i := g.index(s)
		g.dist[i], g.prev[i], g.stamp[i] = d, from, g.gen
	}
	q := &pq{}
	seq := 0
	for _, s := range starts {
		st := state{s.cell, dirIndex(snap4(s.dir))}
		if old, ok := known(st); ok && old <= s.cost {
			continue
		}
		set(st, s.cost, -1)
		q.push(item{st, s.cost + h(s.cell), s.cost, seq})
		seq++
	}
	var end state
	var endGate gate
	found := false
	for pops := 0; len(*q) > 0 && pops < maxPops; pops++ {
		it := q.pop()
		if d, _ := known(it.s); it.g > d {
			continue
		}
		if k := slices.IndexFunc(goals, func(gl gate) bool { return gl.cell == it.s.c }); k >= 0 {
			gl := goals[k]
			// Arrive heading into the tensor.
			if dirIndex(snap4(gl.dir.Scale(-1))) == it.s.dir {
				end, endGate, found = it.s, gl, true
				break
			}
		}
		for nd, st := range steps4 {
			if nd == (it.s.dir+2)%4 {
				continue
			}
			c := [2]int{it.s.c[0] + st[0], it.s.c[1] + st[1]}
			if !g.in(c) {
				continue
			}
			isGoal := slices.ContainsFunc(goals, func(gl gate) bool { return gl.cell == c })
			cost := 1.0
			if g.blocked[c[1]*g.nx+c[0]] && !isGoal {
				// Through a tensor's margin only when there is no other way:
				// the search then always ends.
				cost += blockedCost
			}
			if nd != it.s.dir {
				cost += turn
			}
			if u := g.used[c[1]*g.nx+c[0]]; u != 0 {
				bit := uint8(1)
				if st[0] == 0 {
					bit = 2
				}
				if u&bit != 0 || u == 3 {
					cost += along
				} else {
					cost += cross
				}
			}
			if isGoal {
				k := slices.IndexFunc(goals, func(gl gate) bool { return gl.cell == c })
				cost += goals[k].cost
			}
			ns := state{c, nd}
			ng := it.g + cost
			if old, ok := known(ns); ok && old <= ng {
				continue
			}
			set(ns, ng, int32(g.index(it.s)))
			q.push(item{ns, ng + h(c), ng, seq})
			seq++
		}
	}
	if !found {
		return nil
	}
	var cells []state
	for i := g.index(end); i >= 0; i = int(g.prev[i]) {
		cells = append(cells, g.state(i))
	}
	slices.Reverse(cells)
	startGate := starts[0]
	for _, s := range starts {
		if s.cell == cells[0].c && dirIndex(snap4(s.dir)) == cells[0].dir {
			startGate = s
			break
		}
	}
	la.port, la.dir = startGate.port, startGate.dir
	lb.port, lb.dir = endGate.port, endGate.dir
	// Corner points: where the heading changes.
	pts := []diagram.Point{startGate.port}
	for i := 1; i < len(cells); i++ {
		if cells[i].dir != cells[i-1].dir {
			pts = append(pts, g.center(cells[i-1].c))
		}
	}
	pts = append(pts, endGate.port)
	return alignRuns(pts, startGate.dir, endGate.dir)
}

// alignRuns makes the first and last runs of a routed path axis-parallel
// through their ports (leaving in directions d0 and arriving against d1):
// the corner after the start port takes the port's cross coordinate, and
// likewise at the end. A path with no corner is returned as it is.
func alignRuns(pts []diagram.Point, d0, d1 diagram.Point) []diagram.Point {
	fix := func(port diagram.Point, c *diagram.Point, d diagram.Point) {
		if d.Y == 0 {
			c.Y = port.Y
		} else {
			c.X = port.X
		}
	}
	last := len(pts) - 1
	if last >= 2 {
		fix(pts[0], &pts[1], snap4(d0))
		fix(pts[last], &pts[last-1], snap4(d1))
	}
	return pts
}

// roundCorners turns a polyline into a chain of cubic Bézier segments whose
// corners are quarter-circle-like arcs of radius at most r (control
// distance 0.5523·r, the usual cubic approximation of a quarter circle).
func roundCorners(pts []diagram.Point, r float64) []diagram.Point {
	const k = 0.5523
	out := []diagram.Point{pts[0]}
	line := func(a, b diagram.Point) {
		out = append(out, a.Lerp(b, 1.0/3), a.Lerp(b, 2.0/3), b)
	}
	cur := pts[0]
	for i := 1; i < len(pts)-1; i++ {
		in := pts[i].Sub(pts[i-1])
		outv := pts[i+1].Sub(pts[i])
		rr := math.Min(r, math.Min(in.Len(), outv.Len())/2)
		if rr < 0.5 || math.Abs(in.Unit().Cross(outv.Unit())) < 1e-6 {
			continue
		}
		a := pts[i].Sub(in.Unit().Scale(rr))
		b := pts[i].Add(outv.Unit().Scale(rr))
		line(cur, a)
		out = append(out, a.Add(in.Unit().Scale(k*rr)), b.Sub(outv.Unit().Scale(k*rr)), b)
		cur = b
	}
	line(cur, pts[len(pts)-1])
	return out
}
