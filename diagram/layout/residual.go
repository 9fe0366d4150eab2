package layout

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/strand-tn/strand/diagram"
	"github.com/strand-tn/strand/network"
)

// stream is a run of statements drawn on one residual stream (the
// backbone of a transformer, Elhage et al. 2021): an optional head that
// defines the stream's first value, the body x₁ = x₀ + f(x₀), x₂ = x₁ +
// g(x₁), …, and an optional tail that reads the last value once (the
// unembedding).
type stream struct {
	head *network.Statement
	body []*network.Statement
	tail *network.Statement
}

func (r stream) len() int {
	n := len(r.body)
	if r.head != nil {
		n++
	}
	if r.tail != nil {
		n++
	}
	return n
}

// residualAt finds the stream that starts at stmts[0], if any.
func residualAt(stmts []*network.Statement) stream {
	var r stream
	i := 0
	if streamOf(stmts[0]) == "" {
		if len(stmts) < 2 || stmts[0].Kind != network.Assign || streamOf(stmts[1]) != stmts[0].Name {
			return stream{}
		}
		r.head, i = stmts[0], 1
	}
	prev := ""
	for ; i < len(stmts); i++ {
		x := streamOf(stmts[i])
		if x == "" || prev != "" && x != prev {
			break
		}
		r.body = append(r.body, stmts[i])
		prev = stmts[i].Name
	}
	if i < len(stmts) && readsOnce(stmts[i], prev) {
		r.tail = stmts[i]
	}
	return r
}

// streamOf returns x when st is an assignment y = x + f(x) + …: a sum of
// terms with coefficient 1 whose first term is the lone tensor x with y's
// legs in y's order, which another term reads; else "".
func streamOf(st *network.Statement) string {
	if st.Kind != network.Assign || len(st.RHS.Terms) < 2 || len(st.RHS.Output) == 0 {
		return ""
	}
	for _, t := range st.RHS.Terms {
		if t.Coef != 1 {
			return ""
		}
	}
	for _, g := range st.RHS.OutputGroups {
		if len(g) != 1 {
			return ""
		}
	}
	first := st.RHS.Terms[0].Net
	if len(first.Nodes) != 1 {
		return ""
	}
	x := first.Nodes[0]
	if !x.Kind.HasData() || x.Kind == network.Diagonal || x.Conj || x.Transpose || x.Inverse || x.Name == st.Name ||
		!slices.Equal(nodeLabels(x), st.RHS.Output) || len(x.Legs) != len(st.RHS.Output) {
		return ""
	}
	for _, t := range st.RHS.Terms[1:] {
		if occurrences(t.Net, x.Name) > 0 {
			return x.Name
		}
	}
	return ""
}

// readsOnce reports whether st is one network that reads tensor x once.
func readsOnce(st *network.Statement, x string) bool {
	if st.Kind == network.Equation || len(st.RHS.Terms) != 1 || st.RHS.Terms[0].Coef != 1 {
		return false
	}
	n := st.RHS.Terms[0].Net
	top := slices.ContainsFunc(n.Nodes, func(node *network.Node) bool { return node.Name == x && node.Kind.HasData() })
	return top && occurrences(n, x) == 1
}

// occurrences counts the nodes of tensor x in a network, bubbles included.
func occurrences(n *network.Network, x string) int {
	k := 0
	for _, node := range n.Nodes {
		if node.Kind.HasData() && node.Name == x {
			k++
		}
		if node.Bubble != nil {
			for _, a := range node.Bubble.Args {
				for _, t := range a.Terms {
					k += occurrences(t.Net, x)
				}
			}
		}
	}
	return k
}

// residual draws a stream as one vertical graph. The backbone runs top to
// bottom through the stream's first value, then for each statement a copy
// point (kind copy) feeding the blocks that read the stream and a "+"
// (kind add) collecting what they write; each block is the network of one
// term with the stream tensor replaced by a join fed from the copy point,
// its free legs gathered at a join into the "+". The stream itself is one
// thick grouped leg named after the value it carries.
func (c *conv) residual(r stream) (Graph, error) {
	g := Graph{Vertical: true}
	first := r.body[0]
	out := first.RHS.Output
	marks := make([]string, len(out))
	for k, l := range out {
		marks[k] = legMarkup(l)
	}
	_, _, dim := c.group(out, first.RHS.Sizes)
	seg := 0
	segment := func() string { seg++; return fmt.Sprintf("stream@%d", seg) }
	cur := segment()
	top := Leg{Name: cur, Label: strings.Join(marks, ", "), Dim: dim}
	if r.head != nil {
		terms := r.head.RHS.Terms
		c.scope = "h"
		hg, err := c.network(terms[0].Net)
		if err != nil {
			return Graph{}, fmt.Errorf("%s: %w", r.head.Name, err)
		}
		g.Nodes = append(g.Nodes, hg.Nodes...)
		c.gather(&g, hg.Free, top)
		if len(terms) > 1 {
			next := Leg{Name: segment(), Label: tensorMarkup(r.head.Name), Dim: dim}
			if err := c.step(&g, "h", terms[1:], "", top, next); err != nil {
				return Graph{}, fmt.Errorf("%s: %w", r.head.Name, err)
			}
			top = next
		}
	} else {
		x := first.RHS.Terms[0].Net.Nodes[0]
		g.Nodes = append(g.Nodes, Node{ID: c.id(x.Display()), Label: c.label(x), Legs: []Leg{top}})
	}
	for k, st := range r.body {
		next := Leg{Name: segment(), Label: tensorMarkup(st.Name), Dim: dim}
		if err := c.step(&g, fmt.Sprint(k+1), st.RHS.Terms[1:], streamOf(st), top, next); err != nil {
			return Graph{}, fmt.Errorf("%s: %w", st.Name, err)
		}
		top = next
	}
	if r.tail == nil {
		g.Free = []FreeLeg{{Name: top.Name}}
		return g, nil
	}
	c.scope, c.tap, c.feed = "t", r.body[len(r.body)-1].Name, true
	before, at := len(c.taps), len(g.Nodes)
	tg, err := c.network(r.tail.RHS.Terms[0].Net)
	c.tap, c.feed = "", false
	if err != nil {
		return Graph{}, fmt.Errorf("%s: %w", r.tail.Name, err)
	}
	g.Nodes = append(g.Nodes, tg.Nodes...)
	g.Free = tg.Free
	// The last segment feeds the tail's join: name it by the value it carries.
	feed := c.taps[before]
	for i := at; i < len(g.Nodes); i++ {
		for k := range g.Nodes[i].Legs {
			if l := &g.Nodes[i].Legs[k]; l.Name == feed {
				*l = Leg{Name: top.Name, Label: top.Label, Dim: top.Dim}
			}
		}
	}
	return g, nil
}

// reads reports whether a graph node is, or holds in its bubble, a pasted
// copy of the stream tensor x.
func reads(n Node, x string) bool {
	if base, _, _ := strings.Cut(n.ID, "#"); n.Color == "pink" && base == x {
		return true
	}
	return n.Inner != nil && slices.ContainsFunc(n.Inner.Nodes, func(m Node) bool { return reads(m, x) })
}

// gather joins a network's free legs into one grouped leg: the legs of
// one tensor become that one leg of it, the legs of several meet at a join.
func (c *conv) gather(g *Graph, free []FreeLeg, into Leg) {
	holder, count := -1, 0
	for i, n := range g.Nodes {
		for _, l := range n.Legs {
			if slices.ContainsFunc(free, func(f FreeLeg) bool { return f.Name == l.Name }) {
				count++
				if holder == -1 || holder == i {
					holder = i
				} else {
					holder = -2
				}
			}
		}
	}
	if holder >= 0 && count == len(free) && g.Nodes[holder].Kind != diagram.Function {
		h := &g.Nodes[holder]
		first := true
		h.Legs = slices.DeleteFunc(h.Legs, func(l Leg) bool {
			if !slices.ContainsFunc(free, func(f FreeLeg) bool { return f.Name == l.Name }) {
				return false
			}
			if first {
				first = false
				return false
			}
			return true
		})
		for k, l := range h.Legs {
			if slices.ContainsFunc(free, func(f FreeLeg) bool { return f.Name == l.Name }) {
				h.Legs[k] = into
				break
			}
		}
		return
	}
	j := Node{ID: c.id("join"), Kind: diagram.Join}
	for _, f := range free {
		plainName, _, _ := strings.Cut(f.Name, "@")
		j.Legs = append(j.Legs, Leg{Name: f.Name, Label: legMarkup(plainName), Dim: legDim(g, f.Name)})
	}
	j.Legs = append(j.Legs, into)
	g.Nodes = append(g.Nodes, j)
}

// step draws one statement on the stream: the copy point (when a block
// reads tensor tap), the blocks (the terms), the "+" from segment in to
// segment out.
func (c *conv) step(g *Graph, scope string, terms []*network.Term, tap string, in, out Leg) error {
	mid := in
	if tap != "" {
		mid = Leg{Name: in.Name + "'", Dim: in.Dim, Unnamed: true}
	}
	cp := Node{ID: c.id("copy"), Kind: diagram.Copy, Legs: []Leg{in, mid}}
	add := Node{ID: c.id("add"), Kind: diagram.Add, Legs: []Leg{mid, out}}
	var blocks []Node
	before := len(c.taps)
	for k, t := range terms {
		c.scope, c.tap = fmt.Sprintf("%s.%d", scope, k+1), tap
		bg, err := c.network(t.Net)
		c.tap = ""
		if err != nil {
			return fmt.Errorf("term %d: %w", k+2, err)
		}
		w := Leg{Name: "block@" + c.scope, Dim: in.Dim, Unnamed: true}
		c.gather(&bg, bg.Free, w)
		// What reads the stream first: laid out nearest to it.
		slices.SortStableFunc(bg.Nodes, func(a, b Node) int { return boolInt(!reads(a, tap)) - boolInt(!reads(b, tap)) })
		blocks = append(blocks, bg.Nodes...)
		add.Legs = append(add.Legs, w)
	}
	c.scope = ""
	if len(c.taps) > before {
		g.Nodes = append(g.Nodes, cp)
	}
	g.Nodes = append(g.Nodes, blocks...)
	g.Nodes = append(g.Nodes, add)
	return nil
}

// Placement of a residual stream.

// backbone returns the vertices of a residual component from top to
// bottom: the stream's first value (a tensor or a join), then every copy
// point and "+", then the tail's join if any; nil when there is no such
// stream. Copy points and "+" have the incoming segment as leg 0 and the
// outgoing one as leg 1.
func (n *net) backbone(comp []int) []int {
	on := func(v int) bool { k := n.verts[v].kind; return k == diagram.Copy || k == diagram.Add }
	start := -1
	for _, v := range comp {
		if on(v) {
			if e := n.verts[v].legs[0].edge; e != nil && e.a != e.b && !on(n.otherEnd(v, n.verts[v].legs[0])) {
				start = v
				break
			}
		}
	}
	if start < 0 {
		return nil
	}
	spine := []int{n.otherEnd(start, n.verts[start].legs[0]), start}
	for v := start; ; {
		l := n.verts[v].legs[1]
		if l.edge == nil || l.edge.a == l.edge.b || slices.Contains(spine, n.otherEnd(v, l)) {
			break
		}
		v = n.otherEnd(v, l)
		spine = append(spine, v)
		if !on(v) {
			break
		}
	}
	return spine
}

// placeResidual lays a residual stream out top to bottom: the backbone on
// a vertical line; each statement's blocks side by side to its right,
// between the copy point they read from and the "+" they write to, each
// block in layers by distance from where it reads; what comes before the
// stream (the head) above it and what reads it at the end (the tail)
// below, in layers too.
func (n *net) placeResidual(comp []int, adj [][]int, spine []int) {
	on := map[int]bool{}
	for _, v := range spine {
		on[v] = true
	}
	// The blocks: components of what is left, each with where it hangs.
	var rest []int
	for _, v := range comp {
		if !on[v] {
			rest = append(rest, v)
		}
	}
	sub := make([][]int, len(adj))
	for _, v := range rest {
		for _, w := range adj[v] {
			if !on[w] {
				sub[v] = append(sub[v], w)
			}
		}
	}
	type block struct {
		verts       []int
		entry, exit []int // vertices fed by the stream's end / writing to a "+" or into the first value
		copyAt, add int   // their spine indices (−1: none)
	}
	var blocks []*block
	seen := map[int]bool{}
	for _, s := range rest {
		if seen[s] {
			continue
		}
		b := &block{copyAt: -1, add: -1}
		queue := []int{s}
		seen[s] = true
		for len(queue) > 0 {
			v := queue[0]
			queue = queue[1:]
			b.verts = append(b.verts, v)
			for _, w := range sub[v] {
				if !seen[w] {
					seen[w] = true
					queue = append(queue, w)
				}
			}
			for _, w := range adj[v] {
				if !on[w] {
					continue
				}
				i := slices.Index(spine, w)
				switch {
				case n.verts[w].kind == diagram.Copy || i == len(spine)-1 && n.verts[w].kind == diagram.Join:
					b.entry = append(b.entry, v)
					b.copyAt = i
				default:
					b.exit = append(b.exit, v)
					b.add = i
				}
			}
		}
		if b.copyAt < 0 && b.add > 0 && n.verts[spine[b.add-1]].kind == diagram.Copy {
			b.copyAt = b.add - 1 // reads the stream through pasted copies
		}
		slices.Sort(b.verts)
		blocks = append(blocks, b)
	}
	gap := n.opt.wire()
	// Lay each block out in layers, in its own coordinates (top left 0, 0).
	size := map[*block]diagram.Point{}
	for _, b := range blocks {
		size[b] = n.blockLayout(b.verts, sub, b.entry, b.exit)
	}
	right := 0.0 // half the width of the spine's widest shape
	for _, v := range spine {
		right = math.Max(right, n.verts[v].w/2)
	}
	x0 := right + 1.5*gap
	// Walk down the spine; bottom is the lowest point of the spine so far,
	// below is the lowest point of the blocks beside it. A copy point sits
	// level with the top row of the blocks that read it and the "+" level
	// with their bottom row, so that the branches run straight across.
	bottom, below := 0.0, 0.0
	addAt := math.Inf(-1)
	for i, v := range spine {
		vv := n.verts[v]
		var reading, beside []*block
		for _, b := range blocks {
			switch {
			case i > 0 && i < len(spine)-1 && b.copyAt == i:
				reading = append(reading, b) // below a copy point, up to its "+"
			case i > 0 && b.copyAt < 0 && b.add == i:
				beside = append(beside, b) // reads nothing: beside its "+"
			}
		}
		h := vv.h
		for _, b := range beside {
			h = math.Max(h, size[b].Y)
		}
		y := bottom + h/2
		if i > 0 {
			y += 0.8 * gap
		}
		if vv.kind == diagram.Add {
			y = math.Max(y, addAt)
			addAt = math.Inf(-1)
		}
		if len(reading) > 0 {
			top := y - h/2
			x := x0
			y = math.Inf(1)
			for _, b := range reading {
				n.shiftBlock(b.verts, diagram.Pt(x, top))
				x += size[b].X + gap
				below = math.Max(below, top+size[b].Y)
				for _, u := range b.verts {
					y = math.Min(y, n.verts[u].pos.Y) // level with the top row
				}
				for _, e := range b.exit {
					addAt = math.Max(addAt, n.verts[e].pos.Y)
				}
			}
		}
		vv.pos = diagram.Pt(0, y)
		bottom = y + h/2
		if vv.kind == diagram.Add {
			bottom = math.Max(bottom, below)
		}
		x := x0
		for _, b := range beside {
			n.shiftBlock(b.verts, diagram.Pt(x, y-size[b].Y/2))
			x += size[b].X + gap
		}
	}
	// The head above the first value, the tail below the last.
	for _, b := range blocks {
		switch {
		case b.add == 0 || b.copyAt < 0 && b.add < 0:
			first := n.verts[spine[0]]
			n.shiftBlock(b.verts, diagram.Pt(-size[b].X/2, first.pos.Y-first.h/2-gap-size[b].Y))
		case b.copyAt == len(spine)-1:
			// The tail reads the stream's end like a block: beside it,
			// level with it, the stream's other legs going on down.
			last := n.verts[spine[len(spine)-1]]
			n.shiftBlock(b.verts, diagram.Pt(x0, 0))
			dy := math.Inf(1)
			for _, e := range b.entry {
				dy = math.Min(dy, n.verts[e].pos.Y)
			}
			n.shiftBlock(b.verts, diagram.Pt(0, last.pos.Y-dy))
		}
	}
	n.verts[spine[len(spine)-1]].pref = diagram.Pt(0, 1)
	n.separate(comp) // a stream drawn by hand may not be one the adapter makes
	center(n.verts, comp)
}

// shiftBlock moves vertices laid out from (0, 0) so their box starts at p.
func (n *net) shiftBlock(vs []int, p diagram.Point) {
	for _, v := range vs {
		n.verts[v].pos = n.verts[v].pos.Add(p)
	}
}

// blockLayout places a block in its own coordinates, its box's top left
// at (0, 0), and returns its size. Without the joins that gather what it
// writes to the stream, a connected block is laid out like any network
// (left to right, by its structure), those joins below it; else in layers.
func (n *net) blockLayout(vs []int, adj [][]int, entry, exit []int) diagram.Point {
	var core, joins []int
	for _, v := range vs {
		if slices.Contains(exit, v) && n.verts[v].kind == diagram.Join {
			joins = append(joins, v)
		} else {
			core = append(core, v)
		}
	}
	cadj := make([][]int, len(adj))
	for _, v := range core {
		for _, w := range adj[v] {
			if slices.Contains(core, w) {
				cadj[v] = append(cadj[v], w)
			}
		}
	}
	if len(core) == 0 || len(components(restrictTo(cadj, core))) != 1 || len(entry) > 0 {
		return n.layers(vs, adj, entry, exit)
	}
	vertical := n.vertical
	n.vertical = false
	n.place(core, cadj)
	n.vertical = vertical
	bottom := math.Inf(-1)
	for _, v := range core {
		bottom = math.Max(bottom, n.verts[v].pos.Y+n.verts[v].h/2)
	}
	for _, j := range joins {
		x, k := 0.0, 0
		for _, w := range adj[j] {
			x += n.verts[w].pos.X
			k++
		}
		n.verts[j].pos = diagram.Pt(x/float64(max(k, 1)), bottom+n.opt.wire())
	}
	lo, hi := diagram.Pt(math.Inf(1), math.Inf(1)), diagram.Pt(math.Inf(-1), math.Inf(-1))
	for _, v := range vs {
		b := n.verts[v].box()
		lo = diagram.Pt(math.Min(lo.X, b.Min().X), math.Min(lo.Y, b.Min().Y))
		hi = diagram.Pt(math.Max(hi.X, b.Max().X), math.Max(hi.Y, b.Max().Y))
	}
	n.shiftBlock(vs, lo.Scale(-1))
	return hi.Sub(lo)
}

// restrictTo returns the adjacency lists of the vertices in keep, in the
// order of keep, renumbered 0…len(keep)−1.
func restrictTo(adj [][]int, keep []int) [][]int {
	at := map[int]int{}
	for i, v := range keep {
		at[v] = i
	}
	out := make([][]int, len(keep))
	for i, v := range keep {
		for _, w := range adj[v] {
			if j, ok := at[w]; ok {
				out[i] = append(out[i], j)
			}
		}
	}
	return out
}

// layers places a block top to bottom: vertex v in layer d(v), its hop
// distance from the entries (or, without entries, from the vertices
// farthest from the exits), the exits in a last layer of their own; each
// layer a row ordered by the mean position of the neighbours above
// (Sugiyama, Tagawa and Toda 1981, barycentre heuristic). It returns the
// block's size; its box starts at (0, 0).
func (n *net) layers(vs []int, adj [][]int, entry, exit []int) diagram.Point {
	dist := func(from []int) map[int]int {
		d := map[int]int{}
		q := slices.Clone(from)
		for _, v := range from {
			d[v] = 0
		}
		for len(q) > 0 {
			v := q[0]
			q = q[1:]
			for _, w := range adj[v] {
				if _, ok := d[w]; !ok {
					d[w] = d[v] + 1
					q = append(q, w)
				}
			}
		}
		return d
	}
	var layer map[int]int
	switch {
	case len(entry) > 0:
		layer = dist(entry)
	case len(exit) > 0:
		back := dist(exit)
		far := 0
		for _, v := range vs {
			far = max(far, back[v])
		}
		layer = map[int]int{}
		for _, v := range vs {
			layer[v] = far - back[v]
		}
	default:
		layer = dist(vs[:1])
	}
	deepest := 0
	for _, v := range vs {
		if !slices.Contains(exit, v) {
			deepest = max(deepest, layer[v])
		}
	}
	for _, v := range exit {
		if !slices.Contains(entry, v) || len(vs) > 1 {
			layer[v] = deepest + 1
		}
	}
	nl := 0
	for _, v := range vs {
		nl = max(nl, layer[v]+1)
	}
	rows := make([][]int, nl)
	for _, v := range vs {
		rows[layer[v]] = append(rows[layer[v]], v)
	}
	rows = slices.DeleteFunc(rows, func(r []int) bool { return len(r) == 0 })
	h := n.placeRows(rows, adj)
	// Left edge at 0.
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range vs {
		lo = math.Min(lo, n.verts[v].pos.X-n.verts[v].w/2)
		hi = math.Max(hi, n.verts[v].pos.X+n.verts[v].w/2)
	}
	for _, v := range vs {
		n.verts[v].pos.X -= lo
	}
	return diagram.Pt(hi-lo, h)
}

// placeRows lays rows of vertices out top to bottom, the first row's top
// at y = 0, each row centred on x = 0 and ordered by the mean position of
// its neighbours in the rows above (Sugiyama, Tagawa and Toda 1981,
// barycentre heuristic). A wire that skips rows keeps a narrow slot free
// in each row it crosses (a dummy vertex, as in that paper), so that it
// can run past the tensors there. It returns the height of the drawing.
func (n *net) placeRows(rows [][]int, adj [][]int) float64 {
	const slot = 8.0 // width kept for a wire passing a row
	rowOf := map[int]int{}
	for r, row := range rows {
		for _, v := range row {
			rowOf[v] = r
		}
	}
	// Local adjacency with dummies (negative IDs) on long wires.
	nb := map[int][]int{}
	rows = slices.Clone(rows)
	for r := range rows {
		rows[r] = slices.Clone(rows[r])
	}
	dummy := 0
	for r, row := range rows {
		for _, v := range row {
			if v < 0 {
				continue
			}
			for _, w := range adj[v] {
				rw, ok := rowOf[w]
				switch {
				case !ok || rw < r:
				case rw <= r+1:
					nb[v] = append(nb[v], w)
					nb[w] = append(nb[w], v)
				default:
					prev := v
					for k := r + 1; k < rw; k++ {
						dummy--
						rows[k] = append(rows[k], dummy)
						nb[prev] = append(nb[prev], dummy)
						nb[dummy] = append(nb[dummy], prev)
						prev = dummy
					}
					nb[prev] = append(nb[prev], w)
					nb[w] = append(nb[w], prev)
				}
			}
		}
	}
	width := func(v int) float64 {
		if v < 0 {
			return slot
		}
		return n.verts[v].w
	}
	gap := n.opt.wire()
	y := 0.0
	xs := map[int]float64{}
	for r, row := range rows {
		if r > 0 {
			key := func(v int) float64 {
				s, k := 0.0, 0
				for _, w := range nb[v] {
					if x, ok := xs[w]; ok {
						s += x
						k++
					}
				}
				if k == 0 {
					return math.Inf(1)
				}
				return s / float64(k)
			}
			slices.SortStableFunc(row, func(a, b int) int { return cmpFloat(key(a), key(b)) })
		}
		h, x := 0.0, 0.0
		for i, v := range row {
			if i > 0 {
				x += width(row[i-1])/2 + gap + width(v)/2
			}
			xs[v] = x
			if v >= 0 {
				h = math.Max(h, n.verts[v].h)
			}
		}
		for _, v := range row {
			xs[v] -= x / 2 // rows centred on one axis
			if v >= 0 {
				n.verts[v].pos = diagram.Pt(xs[v], y+h/2)
			}
		}
		y += h + gap
	}
	return y - gap
}
