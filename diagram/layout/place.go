package layout

import (
	"math"
	"slices"

	"github.com/strand-tn/strand/diagram"
)

// structure is the shape of a component's graph, detected before placing it.
type structure int

const (
	single    structure = iota // one tensor
	chain                      // a path: a matrix product, an MPS
	ring                       // a cycle: a trace of a product
	grid                       // R×C grid graph, R, C ≥ 2: a ladder, a PEPS
	star                       // a hub and ≥ 3 leaves: CP, Tucker
	tree                       // any other tree: a tree tensor network
	general                    // anything else: stress majorization
	residual                   // a residual stream: vertical backbone, blocks beside it
	hierarchy                  // isometries pointing up through layers (MERA)
	busRow                     // a path with copy dots over it (attention: A x W_V W_O with h)
)

var structureNames = [...]string{"single", "chain", "ring", "grid", "star", "tree", "general", "residual", "hierarchy", "bus"}

func (s structure) String() string { return structureNames[s] }

// adjacency returns, for each vertex, its distinct neighbours in increasing
// order (trace loops are not neighbours).
func (n *net) adjacency() [][]int {
	adj := make([][]int, len(n.verts))
	for _, e := range n.edges {
		if e.a == e.b {
			continue
		}
		if !slices.Contains(adj[e.a], e.b) {
			adj[e.a] = append(adj[e.a], e.b)
			adj[e.b] = append(adj[e.b], e.a)
		}
	}
	for _, a := range adj {
		slices.Sort(a)
	}
	return adj
}

// multiplicity counts the edges between two distinct vertices.
func (n *net) multiplicity(a, b int) int {
	k := 0
	for _, e := range n.edges {
		if e.a == a && e.b == b || e.a == b && e.b == a {
			k++
		}
	}
	return k
}

// components returns the connected components, each sorted, in order of
// their smallest vertex.
func components(adj [][]int) [][]int {
	seen := make([]bool, len(adj))
	var comps [][]int
	for s := range adj {
		if seen[s] {
			continue
		}
		comp := []int{s}
		seen[s] = true
		for i := 0; i < len(comp); i++ {
			for _, w := range adj[comp[i]] {
				if !seen[w] {
					seen[w] = true
					comp = append(comp, w)
				}
			}
		}
		slices.Sort(comp)
		comps = append(comps, comp)
	}
	return comps
}

// bfs returns the hop distances from s (−1 when unreachable).
func bfs(adj [][]int, s int) []int {
	d := make([]int, len(adj))
	for i := range d {
		d[i] = -1
	}
	d[s] = 0
	q := []int{s}
	for len(q) > 0 {
		v := q[0]
		q = q[1:]
		for _, w := range adj[v] {
			if d[w] < 0 {
				d[w] = d[v] + 1
				q = append(q, w)
			}
		}
	}
	return d
}

// classify detects the structure of a component.
func classify(comp []int, adj [][]int) structure {
	nv := len(comp)
	if nv == 1 {
		return single
	}
	m, maxDeg := 0, 0
	for _, v := range comp {
		m += len(adj[v])
		maxDeg = max(maxDeg, len(adj[v]))
	}
	m /= 2
	switch {
	case m == nv-1 && maxDeg <= 2:
		return chain
	case m == nv && maxDeg == 2:
		return ring
	case m == nv-1:
		for _, v := range comp {
			if len(adj[v]) == nv-1 {
				return star
			}
		}
		return tree
	}
	if _, ok := gridRows(comp, adj); ok {
		return grid
	}
	return general
}

// gridRows recognises an R×C grid graph (R, C ≥ 2) and returns its rows. Of
// the eight ways to lay a grid down, it takes a landscape one (C ≥ R) whose
// vertices, read row by row, come earliest in input order. The coordinates
// come from hop distances: from corner (0,0), d₀ = r + c; from corner
// (0, C−1), d₁ = r + C−1−c.
func gridRows(comp []int, adj [][]int) ([][]int, bool) {
	nv := len(comp)
	if nv < 4 {
		return nil, false
	}
	var corners []int
	m := 0
	for _, v := range comp {
		m += len(adj[v])
		switch d := len(adj[v]); {
		case d == 2:
			corners = append(corners, v)
		case d < 2 || d > 4:
			return nil, false
		}
	}
	m /= 2
	if len(corners) != 4 {
		return nil, false
	}
	var best [][]int
	var bestKey []int
	for _, c0 := range corners {
		d0 := bfs(adj, c0)
		for _, c1 := range corners {
			if c1 == c0 {
				continue
			}
			cols := d0[c1] + 1
			if cols < 2 || nv%cols != 0 {
				continue
			}
			rows := nv / cols
			if rows < 2 || m != rows*(cols-1)+cols*(rows-1) {
				continue
			}
			d1 := bfs(adj, c1)
			cell := make([]int, nv)
			for i := range cell {
				cell[i] = -1
			}
			ok := true
			at := map[int][2]int{}
			for _, v := range comp {
				r2 := d0[v] + d1[v] - (cols - 1)
				if r2 < 0 || r2%2 != 0 {
					ok = false
					break
				}
				r, c := r2/2, d0[v]-r2/2
				if r >= rows || c < 0 || c >= cols || cell[r*cols+c] >= 0 {
					ok = false
					break
				}
				cell[r*cols+c] = v
				at[v] = [2]int{r, c}
			}
			if !ok {
				continue
			}
			for _, v := range comp {
				for _, w := range adj[v] {
					a, b := at[v], at[w]
					if abs(a[0]-b[0])+abs(a[1]-b[1]) != 1 {
						ok = false
					}
				}
			}
			if !ok {
				continue
			}
			key := append([]int{boolInt(cols < rows)}, cell...)
			if best == nil || slices.Compare(key, bestKey) < 0 {
				bestKey = key
				best = nil
				for r := range rows {
					best = append(best, cell[r*cols:(r+1)*cols])
				}
			}
		}
	}
	return best, best != nil
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// place positions the vertices of one component around the origin.
func (n *net) place(comp []int, adj [][]int) structure {
	if n.vertical {
		if spine := n.backbone(comp); len(spine) >= 2 {
			n.placeResidual(comp, adj, spine)
			n.pinComponent(comp, adj)
			return residual
		}
	}
	if n.vertical {
		for _, v := range comp {
			vv := n.verts[v]
			vv.w, vv.h = vv.h, vv.w
		}
	}
	s := classify(comp, adj)
	var layer map[int]int
	var bus []int
	if s == ring || s == general {
		if l, ok := n.tipLayers(comp); ok {
			s, layer = hierarchy, l
		} else if p, ok := n.busRow(comp, adj); ok && s == general {
			s, bus = busRow, p
		}
	}
	switch s {
	case single:
		n.verts[comp[0]].pos = diagram.Point{}
	case chain:
		n.placeRow(n.pathOrder(comp, adj), false, true)
	case ring:
		if slices.ContainsFunc(comp, func(v int) bool { return n.verts[v].hyper || n.verts[v].shape == diagram.Bare }) {
			n.placePolygon(n.ringOrder(comp, adj))
		} else {
			n.placeRow(n.ringOrder(comp, adj), true, false)
		}
	case grid:
		rows, _ := gridRows(comp, adj)
		n.placeGrid(rows)
	case star:
		n.placeStar(comp, adj)
	case tree:
		n.placeTree(comp, adj)
	case hierarchy:
		n.placeHierarchy(comp, adj, layer)
	case busRow:
		n.placeBusRow(comp, bus)
	default:
		n.stress(comp, adj, nil)
		n.tidy(comp, adj)
	}
	if n.vertical {
		// A quarter turn clockwise: left-to-right becomes top-to-bottom.
		for _, v := range comp {
			vv := n.verts[v]
			vv.w, vv.h = vv.h, vv.w
			vv.pos = vv.pos.CW()
			vv.pref = vv.pref.CW()
		}
	}
	n.pinComponent(comp, adj)
	return s
}

// holds reports whether vertex v carries the free leg named name.
func (n *net) holds(v int, name string) bool {
	if name == "" {
		return false
	}
	for _, l := range n.verts[v].legs {
		if l.stub != nil && l.name == name {
			return true
		}
	}
	return false
}

// pathOrder walks a path from the end that should be on the left: the end
// whose free legs lean left by their side hints, else the end holding the
// first free leg, else the other end holding the last free leg, else the
// end that comes first in the input.
func (n *net) pathOrder(comp []int, adj [][]int) []int {
	var ends []int
	for _, v := range comp {
		if len(adj[v]) == 1 {
			ends = append(ends, v)
		}
	}
	start := ends[0]
	// Side hints decide first: the end whose free legs ask for the left
	// (or not for the right) starts the row.
	lean := func(v int) float64 {
		x := 0.0
		for _, l := range n.verts[v].legs {
			if l.stub != nil {
				x += l.stub.side.dir().X + l.stub.hint.dir().X
			}
		}
		return x
	}
	switch l0, l1 := lean(ends[0]), lean(ends[1]); {
	case l1 < l0:
		start = ends[1]
	case l0 < l1:
	case n.holds(ends[1], n.firstFree) && !n.holds(ends[0], n.firstFree):
		start = ends[1]
	case n.holds(ends[0], n.firstFree):
	case n.holds(ends[0], n.lastFree) && !n.holds(ends[1], n.lastFree):
		start = ends[1]
	}
	order := []int{start}
	prev := -1
	for len(order) < len(comp) {
		cur := order[len(order)-1]
		for _, w := range adj[cur] {
			if w != prev {
				prev = cur
				order = append(order, w)
				break
			}
		}
	}
	return order
}

// ringOrder walks a cycle from its first vertex toward its smaller neighbour.
func (n *net) ringOrder(comp []int, adj [][]int) []int {
	order := []int{comp[0]}
	prev := adj[comp[0]][1]
	for len(order) < len(comp) {
		cur := order[len(order)-1]
		for _, w := range adj[cur] {
			if w != prev {
				prev = cur
				order = append(order, w)
				break
			}
		}
	}
	return order
}

// gap is the distance between the outlines of two neighbours: the wire
// length, more when several wires join them or when a wire's name is too
// long to sit beside it.
func (n *net) gap(a, b int) float64 {
	k := n.multiplicity(a, b)
	g := n.opt.wire() + 10*float64(max(0, k-1))
	if !n.opt.NoLegLabels {
		for _, e := range n.edges {
			if (e.a == a && e.b == b || e.a == b && e.b == a) && !e.unlabelled {
				g = math.Max(g, textWidth(e.label, legFont)+16)
			}
		}
	}
	return g
}

// placeRow puts vertices on a horizontal line, evenly spaced outline to
// outline (or, with hang, below the first when it holds both the first and
// the last free legs). In a matrix-product state (at least half the inner tensors with
// a free leg) the free legs all point down; in a ring, whose closing wire
// runs below, up.
func (n *net) placeRow(order []int, closed, hang bool) {
	x := 0.0
	withFree := 0
	for i, v := range order {
		vv := n.verts[v]
		if i > 0 {
			p := n.verts[order[i-1]]
			x += p.w/2 + n.gap(order[i-1], v) + vv.w/2
		}
		vv.pos = diagram.Pt(x, n.axisOffset(vv))
		if i == 0 || i == len(order)-1 {
			continue
		}
		for _, l := range vv.legs {
			if l.stub != nil {
				withFree++
				break
			}
		}
	}
	if hang && len(order) > 1 && n.firstFree != n.lastFree && n.holds(order[0], n.firstFree) && n.holds(order[0], n.lastFree) {
		// The first tensor has both the first and the last free legs, going
		// left and right: hang the rest of the chain below it (a diagonal
		// matrix's vector under its copy dot).
		for i, v := range order {
			vv := n.verts[v]
			vv.pos = diagram.Pt(0, 0)
			if i > 0 {
				p := n.verts[order[i-1]]
				vv.pos = diagram.Pt(0, p.pos.Y+p.h/2+n.gap(order[i-1], v)+vv.h/2)
			}
		}
	}
	if closed {
		for _, v := range order {
			n.verts[v].pref = diagram.Pt(0, -1)
		}
	} else if len(order) >= 3 && 2*withFree >= len(order)-2 {
		for _, v := range order {
			n.verts[v].pref = diagram.Pt(0, 1)
		}
	}
	center(n.verts, order)
}

// axisOffset is where a vertex sits off the axis of a row so that its
// ports along the row lie on the axis: 0 for shapes, which are symmetric;
// for a bubble, whose inside sits below its name, the mean offset of the
// ports that face along the row (before a vertical layout's turn).
func (n *net) axisOffset(v *vert) float64 {
	if v.inner == nil {
		return 0
	}
	names := make([]string, 0, len(v.inner.ports))
	for name := range v.inner.ports {
		names = append(names, name)
	}
	slices.Sort(names)
	sum, k := 0.0, 0
	for _, name := range names {
		p := v.inner.ports[name]
		switch {
		case n.vertical && math.Abs(p.dir.Y) > 0.9:
			sum += p.at.X
			k++
		case !n.vertical && math.Abs(p.dir.X) > 0.9:
			sum -= p.at.Y
			k++
		}
	}
	if k == 0 {
		return 0
	}
	return sum / float64(k)
}

// placePolygon puts a cycle's vertices on a circle, clockwise from the
// west, starting with the holder of the first free leg; each vertex's free
// legs point outward. It draws rings through copy dots (A_ij B_ij → ij).
func (n *net) placePolygon(order []int) {
	if h := slices.IndexFunc(order, func(v int) bool { return n.holds(v, n.firstFree) }); h > 0 {
		order = append(order[h:], order[:h]...)
	}
	k := len(order)
	if order[1] > order[k-1] {
		// Go round the other way, so the earlier tensor comes first.
		slices.Reverse(order[1:])
	}
	longest := 0.0
	for i, v := range order {
		longest = math.Max(longest, n.ideal(v, order[(i+1)%k]))
	}
	r := longest / (2 * math.Sin(math.Pi/float64(k)))
	// A ring of bare lines and dots only (legs splitting and meeting
	// again, as in kron(I5, I3)) is flattened into a lens.
	flat := 1.0
	if !slices.ContainsFunc(order, func(v int) bool { return n.verts[v].w > dotSize }) {
		flat = 0.5
	}
	for i, v := range order {
		d := diagram.Dir(180 + 360*float64(i)/float64(k))
		n.verts[v].pos = diagram.Pt(d.X*r, d.Y*r*flat)
		n.verts[v].pref = d
	}
	center(n.verts, order)
}

// center moves the given vertices so their bounding box is centred on the
// origin.
func center(verts []*vert, comp []int) {
	var b diagram.Box
	for i, v := range comp {
		vb := diagram.Box{X: verts[v].pos.X, Y: verts[v].pos.Y, W: verts[v].w, H: verts[v].h}
		if i == 0 {
			b = vb
		} else {
			b = b.Union(vb)
		}
	}
	for _, v := range comp {
		verts[v].pos = verts[v].pos.Sub(b.Center())
	}
}

// placeGrid lays rows out as rows and columns, each column as wide as its
// widest tensor. Free legs point outward on the border; when every tensor
// has one (a PEPS), they all point down and to the right.
func (n *net) placeGrid(rows [][]int) {
	nr, nc := len(rows), len(rows[0])
	colW, rowH := make([]float64, nc), make([]float64, nr)
	all := 0
	for r, row := range rows {
		for c, v := range row {
			colW[c] = math.Max(colW[c], n.verts[v].w)
			rowH[r] = math.Max(rowH[r], n.verts[v].h)
			for _, l := range n.verts[v].legs {
				if l.stub != nil {
					all++
					break
				}
			}
		}
	}
	gx, gy := n.opt.wire(), n.opt.wire()
	xs, ys := make([]float64, nc), make([]float64, nr)
	for c := 1; c < nc; c++ {
		xs[c] = xs[c-1] + colW[c-1]/2 + gx + colW[c]/2
	}
	for r := 1; r < nr; r++ {
		ys[r] = ys[r-1] + rowH[r-1]/2 + gy + rowH[r]/2
	}
	var comp []int
	for r, row := range rows {
		for c, v := range row {
			vv := n.verts[v]
			vv.pos = diagram.Pt(xs[c], ys[r])
			switch {
			case all == nr*nc:
				vv.pref = diagram.Pt(1, 1).Unit()
			case r == 0:
				vv.pref = diagram.Pt(0, -1)
			case r == nr-1:
				vv.pref = diagram.Pt(0, 1)
			case c == 0:
				vv.pref = diagram.Pt(-1, 0)
			case c == nc-1:
				vv.pref = diagram.Pt(1, 0)
			}
			comp = append(comp, v)
		}
	}
	center(n.verts, comp)
}

// legOrder returns the index of the first leg of v joined to w, for
// ordering neighbours by leg order.
func (n *net) legOrder(v, w int) int {
	for i, l := range n.verts[v].legs {
		if l.edge != nil && (l.edge.a == w || l.edge.b == w) && !(l.edge.a == v && l.edge.b == v) {
			return i
		}
	}
	return len(n.verts[v].legs)
}

// spread gives k directions for legs or leaves around a centre, clockwise
// from west: 1 → W; 2 → W, E; 3 → W, E, S; 4 → W, N, E, S; more evenly
// spaced.
func spread(k int) []diagram.Point {
	switch k {
	case 1:
		return []diagram.Point{{X: -1}}
	case 2:
		return []diagram.Point{{X: -1}, {X: 1}}
	case 3:
		return []diagram.Point{{X: -1}, {X: 1}, {Y: 1}}
	case 4:
		return []diagram.Point{{X: -1}, {Y: -1}, {X: 1}, {Y: 1}}
	}
	out := make([]diagram.Point, k)
	for i := range out {
		out[i] = diagram.Dir(180 + 360*float64(i)/float64(k))
	}
	return out
}

// placeStar puts the hub in the middle and its leaves around it in the
// hub's leg order; their free legs point away from the hub.
func (n *net) placeStar(comp []int, adj [][]int) {
	hub := comp[0]
	for _, v := range comp {
		if len(adj[v]) == len(comp)-1 {
			hub = v
			break
		}
	}
	leaves := slices.Clone(adj[hub])
	slices.SortStableFunc(leaves, func(a, b int) int { return n.legOrder(hub, a) - n.legOrder(hub, b) })
	dirs := spread(len(leaves))
	// The holders of the first and last free legs take the west and east
	// places (M_ik = U_ij λ_j V_kj: U left, V right, λ below).
	east := 0
	for i, d := range dirs {
		if d.X > dirs[east].X+1e-9 {
			east = i
		}
	}
	place := func(name string, slot int) {
		if i := slices.IndexFunc(leaves, func(v int) bool { return n.holds(v, name) }); i >= 0 && i != slot {
			w := leaves[i]
			leaves = slices.Delete(leaves, i, i+1)
			leaves = slices.Insert(leaves, min(slot, len(leaves)), w)
		}
	}
	place(n.firstFree, 0)
	if !n.holds(leaves[0], n.lastFree) {
		place(n.lastFree, east)
	}
	h := n.verts[hub]
	h.pos = diagram.Point{}
	for i, w := range leaves {
		l := n.verts[w]
		d := dirs[i]
		r := extentAlong(h, d) + n.gap(hub, w) + extentAlong(l, d)
		l.pos = d.Scale(r)
		l.pref = d
	}
}

// extentAlong is half the size of v's box measured along direction d.
func extentAlong(v *vert, d diagram.Point) float64 {
	return math.Abs(d.X)*v.w/2 + math.Abs(d.Y)*v.h/2
}

// placeTree draws a tree. A caterpillar (a path with single leaves hanging
// off it, at most two per vertex) keeps its longest path as a horizontal
// spine with leaves below and above; other trees are drawn in layers from
// their centre down, each parent over the middle of its children (after
// Reingold and Tilford, "Tidier drawings of trees", 1981). A tree whose
// leaves are all equally deep from the centre is always layered.
func (n *net) placeTree(comp []int, adj [][]int) {
	root, ecc := comp[0], math.MaxInt
	for _, v := range comp {
		d := bfs(adj, v)
		e := 0
		for _, w := range comp {
			e = max(e, d[w])
		}
		if e < ecc {
			root, ecc = v, e
		}
	}
	if spine := n.caterpillar(comp, adj); spine != nil && !balanced(comp, adj, root) {
		n.placeSpine(spine, adj)
		return
	}
	n.placeLayers(root, comp, adj)
}

// balanced reports whether every leaf is at the same depth (≥ 2) from root.
func balanced(comp []int, adj [][]int, root int) bool {
	d := bfs(adj, root)
	depth := -1
	for _, v := range comp {
		if len(adj[v]) == 1 && v != root {
			if depth >= 0 && d[v] != depth {
				return false
			}
			depth = d[v]
		}
	}
	return depth >= 2
}

// caterpillar returns the longest path of a tree whose other vertices are
// leaves hanging off it, at most two per path vertex; nil otherwise.
func (n *net) caterpillar(comp []int, adj [][]int) []int {
	far := func(s int) int {
		d := bfs(adj, s)
		best := s
		for _, v := range comp {
			if d[v] > d[best] {
				best = v
			}
		}
		return best
	}
	a := far(comp[0])
	b := far(a)
	db := bfs(adj, b)
	// Walk back from a to b along decreasing distance to b.
	spine := []int{a}
	for cur := a; cur != b; {
		for _, w := range adj[cur] {
			if db[w] == db[cur]-1 {
				cur = w
				break
			}
		}
		spine = append(spine, cur)
	}
	on := map[int]bool{}
	for _, v := range spine {
		on[v] = true
	}
	for _, v := range spine {
		hang := 0
		for _, w := range adj[v] {
			if on[w] {
				continue
			}
			if len(adj[w]) != 1 {
				return nil
			}
			hang++
		}
		if hang > 2 {
			return nil
		}
	}
	if n.holds(spine[len(spine)-1], n.firstFree) && !n.holds(spine[0], n.firstFree) {
		slices.Reverse(spine)
	}
	return spine
}

// placeSpine lays a caterpillar's spine out as a row and hangs its leaves
// below, then above, each spine vertex.
func (n *net) placeSpine(spine []int, adj [][]int) {
	n.placeRow(spine, false, false)
	on := map[int]bool{}
	for _, v := range spine {
		on[v] = true
	}
	comp := slices.Clone(spine)
	for _, v := range spine {
		vv := n.verts[v]
		hang := 0
		for _, w := range adj[v] {
			if on[w] {
				continue
			}
			d := diagram.Pt(0, 1)
			if hang == 1 {
				d = diagram.Pt(0, -1)
			}
			hang++
			l := n.verts[w]
			l.pos = vv.pos.Add(d.Scale(vv.h/2 + n.gap(v, w) + l.h/2))
			l.pref = d
			comp = append(comp, w)
		}
	}
	center(n.verts, comp)
}

// placeLayers draws a rooted tree top-down: leaves get consecutive slots in
// depth-first order, every parent is centred over its children.
func (n *net) placeLayers(root int, comp []int, adj [][]int) {
	maxW, maxH := 0.0, 0.0
	for _, v := range comp {
		maxW = math.Max(maxW, n.verts[v].w)
		maxH = math.Max(maxH, n.verts[v].h)
	}
	dx, dy := maxW+n.opt.wire(), maxH+n.opt.wire()
	slot := 0.0
	var walk func(v, parent, depth int) float64
	walk = func(v, parent, depth int) float64 {
		var kids []int
		for _, w := range adj[v] {
			if w != parent {
				kids = append(kids, w)
			}
		}
		slices.SortStableFunc(kids, func(a, b int) int { return n.legOrder(v, a) - n.legOrder(v, b) })
		vv := n.verts[v]
		var x float64
		if len(kids) == 0 {
			x = slot * dx
			slot++
			vv.pref = diagram.Pt(0, 1)
		} else {
			first := walk(kids[0], v, depth+1)
			last := first
			for _, k := range kids[1:] {
				last = walk(k, v, depth+1)
			}
			x = (first + last) / 2
		}
		if parent < 0 {
			vv.pref = diagram.Pt(0, -1)
		}
		vv.pos = diagram.Pt(x, float64(depth)*dy)
		return x
	}
	walk(root, -1, 0)
	center(n.verts, comp)
}

// pinComponent moves a component so that its pinned vertices sit on their
// pins. One pin translates the drawing; several fit a translation and a
// uniform scale by least squares, and when that leaves a pin more than a
// unit off, stress majorization re-places the free vertices around the
// pinned ones.
func (n *net) pinComponent(comp []int, adj [][]int) {
	var pinned []int
	for _, v := range comp {
		if n.verts[v].pin != nil {
			pinned = append(pinned, v)
		}
	}
	if len(pinned) == 0 {
		return
	}
	cell := n.opt.Cell()
	target := func(v int) diagram.Point {
		p := n.verts[v].pin
		return diagram.Pt(p.X*cell, p.Y*cell)
	}
	var pm, tm diagram.Point
	for _, v := range pinned {
		pm = pm.Add(n.verts[v].pos)
		tm = tm.Add(target(v))
	}
	k := 1 / float64(len(pinned))
	pm, tm = pm.Scale(k), tm.Scale(k)
	s := 1.0
	var num, den float64
	for _, v := range pinned {
		p, t := n.verts[v].pos.Sub(pm), target(v).Sub(tm)
		num += p.Dot(t)
		den += p.Dot(p)
	}
	if den > 0 && num > 0 {
		s = num / den
	}
	worst := 0.0
	for _, v := range comp {
		vv := n.verts[v]
		vv.pos = vv.pos.Sub(pm).Scale(s).Add(tm)
	}
	for _, v := range pinned {
		worst = math.Max(worst, n.verts[v].pos.Sub(target(v)).Len())
		n.verts[v].pos = target(v)
	}
	if worst > 1 && len(comp) > len(pinned) {
		fixed := map[int]bool{}
		for _, v := range pinned {
			fixed[v] = true
		}
		n.stress(comp, adj, fixed)
	}
	n.separate(comp)
}

// checkPins refuses pinned tensors whose shapes overlap: no layout can keep
// both pins.
func (n *net) checkPins() error {
	for i, a := range n.verts {
		for _, b := range n.verts[i+1:] {
			if a.pin != nil && b.pin != nil && a.box().Overlaps(b.box()) {
				return errorf("", "nodes %q and %q are pinned on top of each other, at (%g, %g) and (%g, %g)",
					a.id, b.id, a.pin.X, a.pin.Y, b.pin.X, b.pin.Y)
			}
		}
	}
	return nil
}
