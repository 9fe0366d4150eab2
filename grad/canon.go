package grad

import (
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"

	"github.com/strand-tn/strand/network"
)

// A network is a labelled multigraph: a vertex per node, coloured by what the
// node is (tensor name, kind, conjugate, inverse; function and parameters for
// a bubble), a vertex per label, coloured by its size and, for a free leg, its
// position in the output, and an edge per leg, coloured by the data axis it is
// (axes of symmetric, diagonal and copy tensors are interchangeable, so their
// edges are not told apart). A bubble hangs its argument below it: a port
// vertex per free leg of the argument (joined to the outer label it is, the
// subscript leg marked) and a vertex per term, coloured by its coefficient,
// holding that term's nodes. Two networks are the same up to renaming labels
// and reordering nodes exactly when their graphs are isomorphic.
//
// Isomorphism is decided in two steps. The fast path is a hash of colour
// refinement (the 1-dimensional Weisfeiler–Leman test: B. Weisfeiler and
// A. Leman, 1968): isomorphic graphs get equal hashes, and unequal hashes
// prove graphs different. Equal hashes are then settled exactly by canonical
// labelling with individualisation and refinement (B. D. McKay,
// "Practical graph isomorphism", Congressus Numerantium 30, 1981; McKay and
// Piperno, J. Symbolic Comput. 60, 2014): a backtracking search over refined
// ordered partitions, pruned by the automorphisms it finds, that returns the
// least encoding of the graph under all the orderings it reaches. Equal
// encodings mean isomorphic graphs, since an encoding lists every vertex
// colour and edge. Colour refinement alone cannot tell a 6-cycle from two
// 3-cycles (every vertex has two neighbours of one colour); the search can.

// maxSearch bounds the number of search-tree nodes of one canonical labelling.
const maxSearch = 1 << 16

// ErrTooSymmetric is returned when canonical labelling gives up: the network
// has so many symmetries that the search would take too long.
var ErrTooSymmetric = errors.New("grad: the network is too symmetric to put in canonical form")

type arc struct{ to, color int }

// graph is a vertex- and edge-coloured multigraph.
type graph struct {
	color []string
	adj   [][]arc
	init  []int // colour classes of the vertices, once computed
	table []string
}

func (g *graph) vertex(color string) int {
	g.color = append(g.color, color)
	g.adj = append(g.adj, nil)
	return len(g.color) - 1
}

func (g *graph) edge(u, v, color int) {
	g.adj[u] = append(g.adj[u], arc{v, color})
	g.adj[v] = append(g.adj[v], arc{u, color})
}

// netGraph returns the graph of a network; its coefficient is not part of it.
func netGraph(n *network.Network) *graph {
	g := &graph{}
	scope := map[string]int{}
	for gi, grp := range n.OutputGroups {
		for p, l := range grp {
			scope[l] = g.vertex(fmt.Sprintf("O%d.%d:%d", gi, p, n.Sizes[l]))
		}
	}
	g.addNodes(n, scope, -1)
	return g
}

// symmetricKind reports whether a node's legs are interchangeable.
func symmetricKind(k network.Kind) bool {
	switch k {
	case network.Symmetric, network.Diagonal, network.Delta, network.Identity:
		return true
	}
	return false
}

// nodeColor describes a node up to its legs.
func nodeColor(node *network.Node) string {
	switch node.Kind {
	case network.Delta, network.Identity:
		return "δ"
	case network.Function:
		b := node.Bubble
		var ps []string
		for _, p := range b.Params {
			ps = append(ps, strconv.FormatFloat(p, 'g', -1, 64))
		}
		return fmt.Sprintf("F:%s:%s:%t", b.Func, strings.Join(ps, ","), b.Consumes)
	}
	return fmt.Sprintf("D:%s:%s:%t:%t", node.Kind, node.Name, node.Conj, node.Inverse)
}

// addNodes adds the nodes of n, hung from vertex owner (or from nothing when
// owner < 0). Labels in scope are the vertices given; the others are local.
func (g *graph) addNodes(n *network.Network, scope map[string]int, owner int) {
	labels := map[string]int{}
	for l, v := range scope {
		labels[l] = v
	}
	labelVertex := func(l string, size int) int {
		if v, ok := labels[l]; ok {
			return v
		}
		v := g.vertex("L:" + strconv.Itoa(size))
		labels[l] = v
		return v
	}
	for _, node := range n.Nodes {
		v := g.vertex(nodeColor(node))
		if owner >= 0 {
			g.edge(owner, v, 0)
		}
		if node.Bubble != nil {
			g.addBubble(node, v, labelVertex)
			continue
		}
		sym := symmetricKind(node.Kind)
		for a, leg := range dataLegs(node) {
			for p, l := range leg.Labels {
				port := 1 + p
				if !sym {
					port += (a + 1) << 8
				}
				if leg.Offset != 0 {
					port += (leg.Offset + 1<<10) << 20
				}
				g.edge(v, labelVertex(l, leg.Dims[p]), port)
			}
		}
	}
}

// addBubble hangs a bubble's arguments below its vertex v.
func (g *graph) addBubble(node *network.Node, v int, labelVertex func(string, int) int) {
	b := node.Bubble
	carried := map[string]int{}
	for _, leg := range node.Legs {
		for p, l := range leg.Labels {
			carried[l] = leg.Dims[p]
		}
	}
	for ai, arg := range b.Args {
		ports := map[string]int{}
		for _, l := range arg.Output {
			role := "n"
			if l == b.Leg {
				role = "k"
			}
			pv := g.vertex("P:" + role + ":" + strconv.Itoa(arg.Sizes[l]))
			g.edge(v, pv, 1+ai)
			if size, ok := carried[l]; ok {
				g.edge(pv, labelVertex(l, size), 0)
			}
			ports[l] = pv
		}
		for _, t := range arg.Terms {
			tv := g.vertex("T:" + strconv.FormatFloat(t.Coef, 'g', -1, 64))
			g.edge(v, tv, 1+ai)
			g.addNodes(t.Net, ports, tv)
		}
	}
}

// initial returns the colour classes of the vertices, numbered in the order
// of their colour strings, and the sorted colour strings.
func (g *graph) initial() ([]int, []string) {
	if g.init == nil {
		g.table = slices.Clone(g.color)
		slices.Sort(g.table)
		g.table = slices.Compact(g.table)
		g.init = make([]int, len(g.color))
		for v, c := range g.color {
			g.init[v], _ = slices.BinarySearch(g.table, c)
		}
	}
	return slices.Clone(g.init), g.table
}

// refine runs colour refinement from colors to a stable partition: a
// vertex's new colour is the rank of (its colour, the sorted colours of its
// neighbours with the edge colours). Ranks follow the order of those
// signatures, so the result depends only on the coloured graph, and a cell
// never moves ahead of one it followed. It returns the colours and the
// number of cells, and, when h is not nil, feeds every round's signatures to
// it.
func (g *graph) refine(colors []int, h func([]int)) ([]int, int) {
	n := len(colors)
	cells := countDistinct(colors)
	sigs := make([][]int, n)
	order := make([]int, n)
	for {
		for v := range n {
			pairs := make([]int, 0, 2*len(g.adj[v]))
			for _, a := range g.adj[v] {
				pairs = append(pairs, a.color<<32|colors[a.to])
			}
			slices.Sort(pairs)
			sigs[v] = append([]int{colors[v]}, pairs...)
			order[v] = v
		}
		slices.SortFunc(order, func(a, b int) int { return slices.Compare(sigs[a], sigs[b]) })
		next := make([]int, n)
		rank := 0
		for i, v := range order {
			if i > 0 && slices.Compare(sigs[v], sigs[order[i-1]]) != 0 {
				rank++
			}
			next[v] = rank
		}
		if h != nil {
			for _, v := range order {
				h(sigs[v])
			}
		}
		if n == 0 || rank+1 == cells {
			return next, cells
		}
		colors, cells = next, rank+1
	}
}

func countDistinct(xs []int) int {
	s := slices.Clone(xs)
	slices.Sort(s)
	return len(slices.Compact(s))
}

// wlHash returns the colour-refinement hash of the graph: equal for
// isomorphic graphs.
func (g *graph) wlHash() uint64 {
	f := fnv.New64a()
	colors, table := g.initial()
	for _, s := range table {
		f.Write([]byte(s))
		f.Write([]byte{0})
	}
	buf := make([]byte, 0, 64)
	g.refine(colors, func(sig []int) {
		buf = buf[:0]
		for _, x := range sig {
			buf = strconv.AppendInt(buf, int64(x), 36)
			buf = append(buf, ',')
		}
		f.Write(buf)
		f.Write([]byte{';'})
	})
	return f.Sum64()
}

// canonical returns the canonical encoding of the graph: the least
// encoding over the leaves of the individualisation–refinement search.
func (g *graph) canonical() (string, error) {
	colors, table := g.initial()
	s := &search{g: g}
	if err := s.run(colors, nil); err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(strings.Join(table, "\x00"))
	b.WriteString("\x01")
	for _, x := range s.bestCert {
		b.WriteString(strconv.Itoa(x))
		b.WriteByte(',')
	}
	return b.String(), nil
}

// search is one canonical labelling.
type search struct {
	g        *graph
	best     []int // the best leaf: the vertex at each position
	bestCert []int
	autos    [][]int // automorphisms found: vertex → vertex
	steps    int
}

func (s *search) run(colors []int, prefix []int) error {
	s.steps++
	if s.steps > maxSearch {
		return ErrTooSymmetric
	}
	colors, cells := s.g.refine(colors, nil)
	n := len(colors)
	if cells == n {
		s.leaf(colors)
		return nil
	}
	// The target cell: the smallest non-singleton cell, the first of those.
	size := make([]int, cells)
	for _, c := range colors {
		size[c]++
	}
	target := -1
	for c, k := range size {
		if k > 1 && (target < 0 || k < size[target]) {
			target = c
		}
	}
	var explored []int
	for v := range n {
		if colors[v] != target || s.pruned(v, explored, prefix) {
			continue
		}
		explored = append(explored, v)
		child := make([]int, n)
		for u, c := range colors {
			child[u] = 2*c + 1
		}
		child[v] = 2 * colors[v]
		if err := s.run(child, append(slices.Clone(prefix), v)); err != nil {
			return err
		}
	}
	return nil
}

// leaf records the ordering of a discrete partition, keeping the least
// encoding; an ordering whose encoding equals the best gives an automorphism.
func (s *search) leaf(colors []int) {
	n := len(colors)
	at := make([]int, n)
	for v, c := range colors {
		at[c] = v
	}
	cert := s.g.encode(colors, at)
	switch cmp := slices.Compare(cert, s.bestCert); {
	case s.best == nil || cmp < 0:
		s.best, s.bestCert = at, cert
	case cmp == 0:
		gamma := make([]int, n)
		for p, v := range at {
			gamma[v] = s.best[p]
		}
		s.autos = append(s.autos, gamma)
	}
}

// pruned reports whether v is in the orbit of an explored vertex under the
// automorphisms found that fix the prefix: its subtree would repeat theirs.
func (s *search) pruned(v int, explored, prefix []int) bool {
	if len(explored) == 0 || len(s.autos) == 0 {
		return false
	}
	parent := make([]int, len(s.g.color))
	for i := range parent {
		parent[i] = i
	}
	find := func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	for _, gamma := range s.autos {
		fixes := true
		for _, p := range prefix {
			if gamma[p] != p {
				fixes = false
				break
			}
		}
		if !fixes {
			continue
		}
		for x, y := range gamma {
			if a, b := find(x), find(y); a != b {
				parent[a] = b
			}
		}
	}
	for _, u := range explored {
		if find(u) == find(v) {
			return true
		}
	}
	return false
}

// encode lists, for the ordering at (position → vertex), the colour class of
// each vertex and then every edge as (position, position, colour), sorted.
func (g *graph) encode(colors, at []int) []int {
	g.initial()
	out := make([]int, 0, len(at)*4)
	for _, v := range at {
		out = append(out, g.init[v])
	}
	var edges [][3]int
	for u := range g.adj {
		for _, a := range g.adj[u] {
			if colors[u] < colors[a.to] {
				edges = append(edges, [3]int{colors[u], colors[a.to], a.color})
			}
		}
	}
	slices.SortFunc(edges, func(a, b [3]int) int { return slices.Compare(a[:], b[:]) })
	for _, e := range edges {
		out = append(out, e[0], e[1], e[2])
	}
	return out
}

// Hash returns a hash of the network's structure that does not change when
// its labels are renamed or its nodes reordered (colour refinement of its
// graph). Networks with different hashes are not isomorphic; networks with
// equal hashes usually are, which [Isomorphic] decides.
func Hash(n *network.Network) uint64 { return netGraph(n).wlHash() }

// Canonical returns the canonical form of a network: a string that two
// networks share exactly when one is the other with its labels renamed and
// its nodes reordered (free legs keep their positions). It fails with
// [ErrTooSymmetric] on networks whose symmetry defeats the search.
func Canonical(n *network.Network) (string, error) { return netGraph(n).canonical() }

// Isomorphic reports whether two networks are the same up to renaming labels
// and reordering nodes, with free legs matched by position: the hash first,
// then canonical forms.
func Isomorphic(a, b *network.Network) (bool, error) {
	ga, gb := netGraph(a), netGraph(b)
	if len(ga.color) != len(gb.color) || ga.wlHash() != gb.wlHash() {
		return false, nil
	}
	ca, err := ga.canonical()
	if err != nil {
		return false, err
	}
	cb, err := gb.canonical()
	if err != nil {
		return false, err
	}
	return ca == cb, nil
}
