package layout

import (
	"math"
	"slices"

	"github.com/strand-tn/strand/diagram"
)

// tipLayers finds the hierarchy isometries give a component: each
// triangle or square points from its base to the tensors on its tip legs,
// which go a layer up. When these arrows reach every tensor of the
// component and have no cycle, it returns each vertex's layer, the longest
// path of arrows below it (layer 0 at the bottom): a MERA or a tree of
// isometries reads bottom to top.
func (n *net) tipLayers(comp []int) (map[int]int, bool) {
	up := map[int][]int{} // v → the tensors on its tip legs
	touched := map[int]bool{}
	shapes := 0
	for _, v := range comp {
		vv := n.verts[v]
		if vv.shape != diagram.Triangle && vv.shape != diagram.Square {
			continue
		}
		shapes++
		for _, l := range vv.legs {
			if l.tip && l.edge != nil && l.edge.a != l.edge.b {
				w := n.otherEnd(v, l)
				if !slices.Contains(up[v], w) {
					up[v] = append(up[v], w)
				}
				touched[v], touched[w] = true, true
			}
		}
	}
	if shapes < 2 {
		return nil, false
	}
	for _, v := range comp {
		if !touched[v] && !n.verts[v].hyper {
			return nil, false
		}
	}
	// Longest path by Kahn's topological order; a cycle refuses.
	indeg := map[int]int{}
	for _, ws := range up {
		for _, w := range ws {
			indeg[w]++
		}
	}
	var queue []int
	for _, v := range comp {
		if touched[v] && indeg[v] == 0 {
			queue = append(queue, v)
		}
	}
	layer := map[int]int{}
	seen := 0
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		seen++
		for _, w := range up[v] {
			layer[w] = max(layer[w], layer[v]+1)
			if indeg[w]--; indeg[w] == 0 {
				queue = append(queue, w)
			}
		}
	}
	if seen != len(touched) {
		return nil, false
	}
	// Dots sit a layer above the lowest tensor they join.
	for _, v := range comp {
		if !touched[v] {
			lo := -1
			for _, l := range n.verts[v].legs {
				if l.edge != nil {
					if w := n.otherEnd(v, l); touched[w] && (lo < 0 || layer[w] < lo) {
						lo = layer[w]
					}
				}
			}
			layer[v] = max(lo, 0)
		}
	}
	return layer, true
}

// placeHierarchy lays a component out in its tip layers, the top layer
// first, rows ordered by their neighbours above; free legs point down.
func (n *net) placeHierarchy(comp []int, adj [][]int, layer map[int]int) {
	top := 0
	for _, v := range comp {
		top = max(top, layer[v])
	}
	rows := make([][]int, top+1)
	for _, v := range comp {
		rows[top-layer[v]] = append(rows[top-layer[v]], v)
	}
	rows = slices.DeleteFunc(rows, func(r []int) bool { return len(r) == 0 })
	n.placeRows(rows, adj)
	for _, v := range comp {
		n.verts[v].pref = diagram.Pt(0, 1)
	}
	center(n.verts, comp)
}

// busRow recognises a row with buses: once the copy dots (hyperedges) are
// taken out, the other tensors form one path, apart from tensors joined
// only to dots (A_hqk x_kf W_Vhfd W_Ohde: the path A, x, W_V, W_O and the
// dot of h). It returns the path in order.
func (n *net) busRow(comp []int, adj [][]int) ([]int, bool) {
	padj := make([][]int, len(adj))
	var path []int
	dots := 0
	for _, v := range comp {
		if n.verts[v].hyper {
			dots++
			continue
		}
		for _, w := range adj[v] {
			if !n.verts[w].hyper {
				padj[v] = append(padj[v], w)
			}
		}
		if len(padj[v]) > 0 {
			path = append(path, v)
		}
	}
	if dots == 0 || len(path) < 2 {
		return nil, false
	}
	edges := 0
	for _, v := range path {
		if len(padj[v]) > 2 {
			return nil, false
		}
		edges += len(padj[v])
	}
	if edges/2 != len(path)-1 {
		return nil, false
	}
	reached := 0
	for _, d := range bfs(padj, path[0]) {
		if d >= 0 {
			reached++
		}
	}
	if reached != len(path) {
		return nil, false
	}
	return n.pathOrder(path, padj), true
}

// placeBusRow puts the path on a row, each dot above the row (the next
// below, alternately) over the middle of the tensors it joins, and the
// tensors joined only to dots beyond their dots.
func (n *net) placeBusRow(comp, path []int) {
	n.placeRow(path, false, true)
	onPath := map[int]bool{}
	maxH := 0.0
	for _, v := range path {
		onPath[v] = true
		maxH = math.Max(maxH, n.verts[v].h)
	}
	gap := n.opt.wire()
	side := -1.0
	placed := map[int]bool{}
	taken := map[float64][][2]float64{} // per side, the x intervals used
	for _, d := range comp {
		dv := n.verts[d]
		if !dv.hyper {
			continue
		}
		var sum diagram.Point
		k := 0
		half := dv.w / 2
		for _, l := range dv.legs {
			if l.edge == nil {
				continue
			}
			w := n.otherEnd(d, l)
			if onPath[w] {
				sum = sum.Add(n.verts[w].pos)
				k++
			} else if !placed[w] {
				half = math.Max(half, n.verts[w].w/2)
			}
		}
		x := 0.0
		if k > 0 {
			x = sum.X / float64(k)
		}
		// Dots over the same tensors stand side by side.
		for moved := true; moved; {
			moved = false
			for _, iv := range taken[side] {
				if x+half+gap/3 > iv[0]+1e-6 && x-half-gap/3 < iv[1]-1e-6 {
					x, moved = iv[1]+half+gap/3, true
				}
			}
		}
		taken[side] = append(taken[side], [2]float64{x - half, x + half})
		dv.pos = diagram.Pt(x, side*(maxH/2+gap))
		// What hangs from the dot only goes on beyond it.
		y := dv.pos.Y
		for _, l := range dv.legs {
			if l.edge == nil {
				continue
			}
			w := n.otherEnd(d, l)
			if onPath[w] || placed[w] || n.verts[w].hyper {
				continue
			}
			wv := n.verts[w]
			y += side * (gap + wv.h/2)
			wv.pos = diagram.Pt(x, y)
			y += side * wv.h / 2
			placed[w] = true
		}
		side = -side
	}
	center(n.verts, comp)
}
