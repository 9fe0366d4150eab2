package layout

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"

	"github.com/strand-tn/strand/diagram"
)

// ideal is the preferred distance between the centres of two neighbours.
// A wire into a copy dot is shorter, so that a hyperedge's dot sits inside
// the tensors it joins.
func (n *net) ideal(a, b int) float64 {
	va, vb := n.verts[a], n.verts[b]
	g := n.gap(a, b)
	if va.hyper || vb.hyper {
		g *= 0.6
	}
	return math.Max(va.w, va.h)/2 + g + math.Max(vb.w, vb.h)/2
}

// stress places a component by stress majorization (Gansner, Koren and
// North, "Graph drawing by stress majorization", 2004): it minimises
//
//	stress(X) = Σ_{i<j} w_ij (‖x_i − x_j‖ − d_ij)²,  w_ij = d_ij⁻²,
//
// where d_ij is the shortest-path distance with each edge as long as its
// ideal length. Each sweep moves every free vertex to the minimiser of the
// majorizing quadratic in that vertex alone,
//
//	x_i ← Σ_j w_ij (x_j + d_ij (x_i − x_j)/‖x_i − x_j‖) / Σ_j w_ij,
//
// which never increases the stress. Without fixed vertices the start is
// classical multidimensional scaling (Torgerson 1952) of the distances, as
// the paper recommends; with fixed ones (pins) it is the current positions.
func (n *net) stress(comp []int, adj [][]int, fixed map[int]bool) {
	k := len(comp)
	if k < 2 {
		return
	}
	at := map[int]int{}
	for i, v := range comp {
		at[v] = i
	}
	inf := math.Inf(1)
	d := make([][]float64, k)
	for i := range d {
		d[i] = make([]float64, k)
		for j := range d[i] {
			if i != j {
				d[i][j] = inf
			}
		}
	}
	for i, v := range comp {
		for _, w := range adj[v] {
			d[i][at[w]] = n.ideal(v, w)
		}
	}
	// Floyd–Warshall all-pairs shortest paths.
	for m := range k {
		for i := range k {
			if d[i][m] == inf {
				continue
			}
			for j := range k {
				if s := d[i][m] + d[m][j]; s < d[i][j] {
					d[i][j] = s
				}
			}
		}
	}
	x := make([]diagram.Point, k)
	if fixed == nil {
		x = classicalMDS(d)
	} else {
		for i, v := range comp {
			x[i] = n.verts[v].pos
		}
	}
	scale := 0.0
	for i := range k {
		for j := range k {
			scale = math.Max(scale, d[i][j])
		}
	}
	for sweep := 0; sweep < 600; sweep++ {
		moved := 0.0
		for i, v := range comp {
			if fixed[v] {
				continue
			}
			var num diagram.Point
			den := 0.0
			for j := range k {
				if j == i {
					continue
				}
				w := 1 / (d[i][j] * d[i][j])
				diff := x[i].Sub(x[j])
				l := diff.Len()
				var u diagram.Point
				if l > 1e-9 {
					u = diff.Scale(1 / l)
				} else {
					u = diagram.Dir(float64(37 * (i - j)))
				}
				num = num.Add(x[j].Add(u.Scale(d[i][j])).Scale(w))
				den += w
			}
			nx := num.Scale(1 / den)
			moved = math.Max(moved, nx.Sub(x[i]).Len())
			x[i] = nx
		}
		if moved < 1e-4*scale {
			break
		}
	}
	for i, v := range comp {
		if !fixed[v] {
			n.verts[v].pos = x[i]
		}
	}
}

// classicalMDS embeds a distance matrix in the plane: the top two
// eigenvectors of B = −½ J D⁽²⁾ J (J the centring matrix), found by power
// iteration from a fixed pseudo-random start, scaled by √λ. A tiny fixed
// jitter keeps degenerate (collinear) embeddings two-dimensional.
func classicalMDS(d [][]float64) []diagram.Point {
	k := len(d)
	b := make([][]float64, k)
	rowMean := make([]float64, k)
	all := 0.0
	for i := range k {
		b[i] = make([]float64, k)
		for j := range k {
			b[i][j] = d[i][j] * d[i][j]
			rowMean[i] += b[i][j] / float64(k)
		}
		all += rowMean[i] / float64(k)
	}
	for i := range k {
		for j := range k {
			b[i][j] = -0.5 * (b[i][j] - rowMean[i] - rowMean[j] + all)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var vecs [2][]float64
	var vals [2]float64
	for e := range 2 {
		v := make([]float64, k)
		for i := range v {
			v[i] = rng.Float64() - 0.5
		}
		for it := 0; it < 300; it++ {
			if e == 1 {
				orth(v, vecs[0])
			}
			w := make([]float64, k)
			for i := range k {
				for j := range k {
					w[i] += b[i][j] * v[j]
				}
			}
			if e == 1 {
				orth(w, vecs[0])
			}
			l := norm(w)
			if l < 1e-12 {
				break
			}
			for i := range w {
				w[i] /= l
			}
			vals[e] = l
			v = w
		}
		vecs[e] = v
	}
	x := make([]diagram.Point, k)
	for i := range k {
		x[i] = diagram.Pt(vecs[0][i]*math.Sqrt(vals[0]), vecs[1][i]*math.Sqrt(math.Max(vals[1], 0)))
		x[i] = x[i].Add(diagram.Pt(rng.Float64()-0.5, rng.Float64()-0.5))
	}
	return x
}

func orth(v, u []float64) {
	p := 0.0
	for i := range v {
		p += v[i] * u[i]
	}
	for i := range v {
		v[i] -= p * u[i]
	}
}

func norm(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x * x
	}
	return math.Sqrt(s)
}

// tidy cleans a stress layout: it turns the drawing so the first free leg's
// tensor is left of the last one's (or the main axis is horizontal), puts
// the chains of two-leg tensors on straight lines, scales it to the wire
// length, snaps nearly equal coordinates into rows and columns and pushes
// overlapping tensors apart.
func (n *net) tidy(comp []int, adj [][]int) {
	n.orient(comp, adj)
	n.straighten(comp, adj)
	n.rescale(comp, adj)
	n.snap(comp, adj, true)
	n.snap(comp, adj, false)
	n.separate(comp)
	center(n.verts, comp)
}

func (n *net) holder(comp []int, name string) int {
	for _, v := range comp {
		if n.holds(v, name) {
			return v
		}
	}
	return -1
}

// orient rotates and reflects a component. With first and last free legs
// on different tensors, the first's tensor goes left of the last's and the
// bulk of the drawing hangs below them. Otherwise it tries each rotation
// that makes some wire horizontal and keeps the one with the most wires
// along the axes (Σ cos 4θ over wire angles θ), reflected so the first
// tensor is on the left and high, breaking ties by that tensor's height.
func (n *net) orient(comp []int, adj [][]int) {
	var c diagram.Point
	for _, v := range comp {
		c = c.Add(n.verts[v].pos)
	}
	c = c.Scale(1 / float64(len(comp)))
	orig := make([]diagram.Point, len(comp))
	for i, v := range comp {
		orig[i] = n.verts[v].pos.Sub(c)
	}
	// apply rotates so that axis points east, then reflects so that vertex
	// ref lies left of the centre and, when up is set, above it.
	apply := func(axis diagram.Point, ref int, up bool) {
		for i, v := range comp {
			p := orig[i]
			n.verts[v].pos = diagram.Pt(p.X*axis.X+p.Y*axis.Y, -p.X*axis.Y+p.Y*axis.X)
		}
		r := n.verts[ref].pos
		for _, v := range comp {
			if r.X > 1e-9 {
				n.verts[v].pos.X = -n.verts[v].pos.X
			}
			if up && r.Y > 1e-9 {
				n.verts[v].pos.Y = -n.verts[v].pos.Y
			}
		}
	}
	f, l := n.holder(comp, n.firstFree), n.holder(comp, n.lastFree)
	if f >= 0 && l >= 0 && f != l {
		apply(n.verts[l].pos.Sub(n.verts[f].pos).Unit(), f, false)
		axisY, mass := n.verts[f].pos.Y, 0.0
		for _, v := range comp {
			mass += n.verts[v].pos.Y - axisY
		}
		if mass < -1e-9 {
			for _, v := range comp {
				n.verts[v].pos.Y = -n.verts[v].pos.Y
			}
		}
		return
	}
	ref := f
	if ref < 0 {
		ref = comp[0]
	}
	// Wires between tensors decide; wires into copy dots only when there
	// are no others.
	type pair struct{ a, b int }
	var wires []pair
	for _, dots := range []bool{false, true} {
		for _, a := range comp {
			for _, b := range adj[a] {
				if b > a && (dots || !n.verts[a].hyper && !n.verts[b].hyper) {
					wires = append(wires, pair{a, b})
				}
			}
		}
		if len(wires) > 0 {
			break
		}
	}
	var cands []diagram.Point
	for _, w := range wires {
		if d := n.verts[w.b].pos.Sub(n.verts[w.a].pos).Unit(); d != (diagram.Point{}) {
			cands = append(cands, d)
		}
	}
	if len(cands) == 0 {
		cands = []diagram.Point{{X: 1}}
	}
	var best diagram.Point
	bestKey := [3]float64{math.Inf(1)}
	for _, axis := range cands {
		apply(axis, ref, true)
		align := 0.0
		for _, w := range wires {
			align += math.Cos(4 * n.verts[w.b].pos.Sub(n.verts[w.a].pos).Angle() * math.Pi / 180)
		}
		r := n.verts[ref].pos
		key := [3]float64{-math.Round(align * 1e6), math.Round(r.Y * 1e3), math.Round(r.X * 1e3)}
		if key[0] < bestKey[0] || key[0] == bestKey[0] && (key[1] < bestKey[1] || key[1] == bestKey[1] && key[2] < bestKey[2]) {
			best, bestKey = axis, key
		}
	}
	apply(best, ref, true)
}

// straighten puts every maximal run of two-neighbour vertices evenly on the
// segment between the vertices at its ends.
func (n *net) straighten(comp []int, adj [][]int) {
	done := map[int]bool{}
	for _, s := range comp {
		if len(adj[s]) == 2 || done[s] {
			continue
		}
		for _, first := range adj[s] {
			if len(adj[first]) != 2 || done[first] {
				continue
			}
			run := []int{first}
			prev, cur := s, first
			for len(adj[cur]) == 2 {
				next := adj[cur][0]
				if next == prev {
					next = adj[cur][1]
				}
				prev, cur = cur, next
				if len(adj[cur]) == 2 {
					run = append(run, cur)
				}
			}
			end := cur
			for _, v := range run {
				done[v] = true
			}
			if end == s || slices.ContainsFunc(run, func(v int) bool { return n.verts[v].pin != nil }) {
				continue
			}
			a, b := n.verts[s].pos, n.verts[end].pos
			for i, v := range run {
				n.verts[v].pos = a.Lerp(b, float64(i+1)/float64(len(run)+1))
			}
		}
	}
}

// rescale scales positions so the median wire, outline to outline, has the
// wire length.
func (n *net) rescale(comp []int, adj [][]int) {
	var ratios []float64
	for _, v := range comp {
		for _, w := range adj[v] {
			if w < v {
				continue
			}
			dist := n.verts[w].pos.Sub(n.verts[v].pos).Len()
			if dist > 1e-9 {
				ratios = append(ratios, n.ideal(v, w)/dist)
			}
		}
	}
	if len(ratios) == 0 {
		return
	}
	sort.Float64s(ratios)
	s := ratios[len(ratios)/2]
	for _, v := range comp {
		n.verts[v].pos = n.verts[v].pos.Scale(s)
	}
}

// snap moves x (or y) coordinates that nearly agree onto their mean, unless
// that would bring two tensors too close or put one on another's wire.
func (n *net) snap(comp []int, adj [][]int, xAxis bool) {
	get := func(v int) float64 {
		if xAxis {
			return n.verts[v].pos.X
		}
		return n.verts[v].pos.Y
	}
	set := func(v int, c float64) {
		if xAxis {
			n.verts[v].pos.X = c
		} else {
			n.verts[v].pos.Y = c
		}
	}
	order := slices.Clone(comp)
	slices.SortStableFunc(order, func(a, b int) int {
		if get(a) < get(b) {
			return -1
		}
		if get(a) > get(b) {
			return 1
		}
		return 0
	})
	tol := 0.3 * (nodeSize + n.opt.wire())
	for i := 0; i < len(order); {
		j := i + 1
		for j < len(order) && get(order[j])-get(order[j-1]) < tol && get(order[j])-get(order[i]) < 2*tol {
			j++
		}
		// Snap the run, or the longest prefix of it that can be snapped.
		for ; j > i+1; j-- {
			cluster := order[i:j]
			mean := 0.0
			for _, v := range cluster {
				mean += get(v)
			}
			mean /= float64(len(cluster))
			old := make([]float64, len(cluster))
			for k, v := range cluster {
				old[k] = get(v)
				set(v, mean)
			}
			if !n.crowded(comp, false) && !n.wireThrough(comp, adj) {
				break
			}
			for k, v := range cluster {
				set(v, old[k])
			}
		}
		i = j
	}
}

// wireThrough reports whether the straight line between two neighbours
// passes through a third tensor.
func (n *net) wireThrough(comp []int, adj [][]int) bool {
	for _, a := range comp {
		for _, b := range adj[a] {
			if b < a {
				continue
			}
			pa, pb := n.verts[a].pos, n.verts[b].pos
			for _, c := range comp {
				if c != a && c != b && n.verts[c].hits(pa, pb, 2) {
					return true
				}
			}
		}
	}
	return false
}

// crowded reports whether two tensors of a component are closer than half a
// wire, outline to outline (with movable false, only pairs of which one
// at least is not pinned).
func (n *net) crowded(comp []int, movable bool) bool {
	minGap := n.opt.wire() / 2
	for i, a := range comp {
		for _, b := range comp[i+1:] {
			va, vb := n.verts[a], n.verts[b]
			if movable && va.pin != nil && vb.pin != nil {
				continue
			}
			ba := diagram.Box{X: va.pos.X, Y: va.pos.Y, W: va.w, H: va.h}.Inflate(minGap / 2)
			bb := diagram.Box{X: vb.pos.X, Y: vb.pos.Y, W: vb.w, H: vb.h}.Inflate(minGap / 2)
			if ba.Overlaps(bb) {
				return true
			}
		}
	}
	return false
}

// separate pushes apart tensors closer than half a wire, along the axis
// that needs the smaller move; a pinned tensor stays and the other moves
// the whole way (sideways, if it is still squeezed after 20 rounds).
func (n *net) separate(comp []int) {
	minGap := n.opt.wire() / 2
	for round := 0; round < 100 && n.crowded(comp, true); round++ {
		for i, a := range comp {
			for _, b := range comp[i+1:] {
				va, vb := n.verts[a], n.verts[b]
				dx := (va.w+vb.w)/2 + minGap - math.Abs(va.pos.X-vb.pos.X)
				dy := (va.h+vb.h)/2 + minGap - math.Abs(va.pos.Y-vb.pos.Y)
				if dx <= 0 || dy <= 0 {
					continue
				}
				if va.pin != nil && vb.pin != nil {
					continue // refused earlier if they overlap
				}
				// Shares of the move: half each, or all to the unpinned one.
				ka, kb := 0.5, 0.5
				if va.pin != nil {
					ka, kb = 0, 1
				} else if vb.pin != nil {
					ka, kb = 1, 0
				}
				alongX := dx <= dy
				if round >= 20 && (va.pin != nil || vb.pin != nil) {
					// Squeezed between pins: step aside instead.
					alongX = !alongX
				}
				if alongX {
					s := math.Copysign(dx+0.02, vb.pos.X-va.pos.X+1e-9*float64(b-a))
					va.pos.X -= ka * s
					vb.pos.X += kb * s
				} else {
					s := math.Copysign(dy+0.02, vb.pos.Y-va.pos.Y+1e-9*float64(b-a))
					va.pos.Y -= ka * s
					vb.pos.Y += kb * s
				}
			}
		}
	}
	if n.crowded(comp, true) {
		n.relocate(comp)
	}
}

// relocate moves each tensor that still overlaps another (and is not
// pinned) to the nearest free spot on a half-cell lattice around it.
func (n *net) relocate(comp []int) {
	minGap := n.opt.wire() / 2
	clear := func(v int, p diagram.Point) bool {
		vv := n.verts[v]
		b := diagram.Box{X: p.X, Y: p.Y, W: vv.w, H: vv.h}.Inflate(minGap / 2)
		for _, w := range comp {
			if w != v && n.verts[w].box().Inflate(minGap/2).Overlaps(b) {
				return false
			}
		}
		return true
	}
	step := n.opt.Cell() / 2
	for _, v := range comp {
		vv := n.verts[v]
		if vv.pin != nil || clear(v, vv.pos) {
			continue
		}
		for r := 1; r < 200; r++ {
			best, found := diagram.Point{}, false
			for dy := -r; dy <= r; dy++ {
				for dx := -r; dx <= r; dx++ {
					if max(abs(dx), abs(dy)) != r {
						continue
					}
					p := vv.pos.Add(diagram.Pt(float64(dx)*step, float64(dy)*step))
					if clear(v, p) && (!found || p.Sub(vv.pos).Len() < best.Sub(vv.pos).Len()) {
						best, found = p, true
					}
				}
			}
			if found {
				vv.pos = best
				break
			}
		}
	}
}
