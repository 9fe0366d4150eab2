package layout_test

import (
	"github.com/strand-tn/strand/diagram"
	"github.com/strand-tn/strand/diagram/layout"
)

// tn builds a general tensor with the named legs.
func tn(id string, legs ...string) layout.Node {
	n := layout.Node{ID: id}
	for _, l := range legs {
		n.Legs = append(n.Legs, layout.Leg{Name: l})
	}
	return n
}

// kind sets a node's kind.
func kind(n layout.Node, k diagram.Kind) layout.Node {
	n.Kind = k
	return n
}

// dims sets leg sizes in order.
func dims(n layout.Node, d ...int) layout.Node {
	for i := range d {
		n.Legs[i].Dim = d[i]
	}
	return n
}

func label(n layout.Node, l string) layout.Node {
	n.Label = l
	return n
}

func free(names ...string) []layout.FreeLeg {
	var out []layout.FreeLeg
	for _, n := range names {
		out = append(out, layout.FreeLeg{Name: n})
	}
	return out
}

func graph(freeLegs []layout.FreeLeg, nodes ...layout.Node) layout.Graph {
	return layout.Graph{Nodes: nodes, Free: freeLegs}
}

func one(g layout.Graph) layout.Figure {
	return layout.Figure{Sides: []layout.Sum{{Terms: []layout.Term{{Graph: g}}}}}
}

func bubble(id, fn string, inner layout.Graph) layout.Node {
	return layout.Node{ID: id, Label: fn, Kind: diagram.Function, Inner: &inner}
}

// example is a test figure with the quality it must reach.
type example struct {
	name string
	fig  layout.Figure
	// crossings is the number of wire crossings the drawing must have: 0
	// for planar examples, 1 for the deliberately crossed Tr(ABᵀ).
	crossings int
}

func ladder() layout.Graph {
	return graph(nil,
		tn("A", "i", "j"), tn("V", "i", "r"),
		tn("B", "j", "k", "l"), tn("W", "r", "k", "s"),
		tn("C", "l", "m", "n"), tn("X", "s", "m", "t"),
		tn("D", "n", "o", "p"), tn("Y", "t", "o", "u"),
		tn("E", "p", "q"), tn("Z", "u", "q"))
}

func trAB() layout.Graph  { return graph(nil, tn("A", "i", "j"), tn("B", "j", "i")) }
func trABT() layout.Graph { return graph(nil, tn("A", "i", "j"), tn("B", "i", "j")) }

func gallery() []example {
	peps := layout.Graph{}
	for r := range 3 {
		for c := range 3 {
			id := string(rune('a'+r)) + string(rune('1'+c))
			n := label(tn("T"+id, "p"+id), "T_{"+id+"}")
			if c > 0 {
				n.Legs = append(n.Legs, layout.Leg{Name: "h" + id[:1] + string(rune('0'+c))})
			}
			if c < 2 {
				n.Legs = append(n.Legs, layout.Leg{Name: "h" + id[:1] + string(rune('1'+c))})
			}
			if r > 0 {
				n.Legs = append(n.Legs, layout.Leg{Name: "v" + string(rune('0'+r)) + id[1:]})
			}
			if r < 2 {
				n.Legs = append(n.Legs, layout.Leg{Name: "v" + string(rune('1'+r)) + id[1:]})
			}
			peps.Nodes = append(peps.Nodes, n)
			peps.Free = append(peps.Free, layout.FreeLeg{Name: "p" + id})
		}
	}
	tree := graph(free("p_1", "p_2", "p_3", "p_4"),
		tn("R", "a", "b"), tn("A", "a", "c", "d"), tn("B", "b", "e", "f"),
		tn("C", "c", "p_1"), tn("D", "d", "p_2"), tn("E", "e", "p_3"), tn("F", "f", "p_4"))
	hyper := graph(free("i", "j"), tn("A", "i", "α", "β"), tn("v", "β"), tn("B", "β", "α", "j"))
	triangle := graph(nil, tn("A", "i", "j", "h"), tn("B", "j", "k", "h"), tn("C", "k", "i", "h"))
	gelu := graph(free("b"), bubble("g", "gelu", graph(free("b"), label(tn("W1", "b", "a"), "W_1"), tn("x", "a"))))
	dense := graph(free("d"),
		label(tn("W3", "d", "c"), "W_3"),
		bubble("s2", "σ_2", graph(free("c"),
			label(tn("W2", "c", "b"), "W_2"),
			bubble("s1", "σ_1", graph(free("b"), label(tn("W1", "b", "a"), "W_1"), tn("x", "a"))))))
	sum := layout.Figure{Sides: []layout.Sum{{Terms: []layout.Term{
		{Graph: graph(free("i"), tn("x", "i"))},
		{Coef: "0.5", Graph: graph(free("i"), tn("W", "i", "j"), tn("x", "j"))},
	}}}}
	trace := layout.Figure{Sides: []layout.Sum{
		{Terms: []layout.Term{{Graph: trAB()}}},
		{Terms: []layout.Term{{Graph: graph(nil, tn("B", "j", "i"), tn("A", "i", "j"))}}},
	}}
	iso := layout.Figure{Sides: []layout.Sum{
		{Terms: []layout.Term{{Graph: graph(free("k", "j"),
			label(dims(kind(tn("Vd", "k", "i"), diagram.Isometry), 3, 8), "V^†"),
			dims(kind(tn("V", "i", "j"), diagram.Isometry), 8, 3))}}},
		{Terms: []layout.Term{{Graph: graph(free("k", "j"), kind(tn("I", "k", "j"), diagram.Identity))}}},
	}}
	mps := graph(free("p_1", "p_2", "p_3", "p_4"),
		tn("A1", "p_1", "b_1"), tn("A2", "b_1", "p_2", "b_2"), tn("A3", "b_2", "p_3", "b_3"), tn("A4", "b_3", "p_4"))
	for i := range mps.Nodes {
		mps.Nodes[i].Label = "A_" + mps.Nodes[i].ID[1:]
	}
	tucker := graph(free("i", "j", "k"), tn("C", "a", "b", "c"), tn("U", "i", "a"), tn("V", "j", "b"), tn("W", "k", "c"))
	reshape := graph(free("(i l)", "(k j)"), layout.Node{ID: "T", Legs: []layout.Leg{{Name: "(i l)", Dim: 6}, {Name: "(k j)", Dim: 20}}})
	return []example{
		{"chain", one(graph(free("i", "l"), tn("A", "i", "j"), tn("B", "j", "k"), tn("C", "k", "l"))), 0},
		{"matvec", one(graph(free("i"), tn("A", "i", "j"), tn("v", "j"))), 0},
		{"ladder", one(ladder()), 0},
		{"peps", one(peps), 0},
		{"tree", one(tree), 0},
		{"hyperedge", one(hyper), 0},
		{"triangle", one(triangle), 0},
		{"trAB", one(trAB()), 0},
		{"trABT", one(trABT()), 1},
		{"bubble", one(gelu), 0},
		{"dense", one(dense), 0},
		{"sum", sum, 0},
		{"equation", trace, 0},
		{"isometry", iso, 0},
		{"mps", one(mps), 0},
		{"tucker", one(tucker), 0},
		{"tensor", one(graph(free("i", "j", "k"), tn("A", "i", "j", "k"))), 0},
		{"outer", one(graph(free("i", "j"), tn("a", "i"), tn("b", "j"))), 0},
		{"hadamard", one(graph(free("i", "j"), tn("A", "i", "j"), tn("B", "i", "j"))), 0},
		{"trace", one(graph(nil, tn("A", "i", "i"))), 0},
		{"ring", one(graph(nil, tn("A", "i", "j"), tn("B", "j", "k"), tn("C", "k", "i"))), 0},
		{"reshape", one(reshape), 0},
		{"derivative", one(graph(free("i", "m"), tn("A", "i", "j"), kind(tn("H", "j", "k"), diagram.Hole), tn("C", "k", "l"), tn("D", "l", "m"))), 0},
		{"diagonal", diagonal(), 0},
		{"kron", kron(), 0},
		{"unitary", one(graph(free("i", "j"), kind(tn("Q", "i", "k"), diagram.Unitary), label(kind(tn("Qd", "k", "j"), diagram.Unitary), "Q^†"))), 0},
	}
}

// diagonal is a diagonal matrix drawn as a vector hanging off a three-leg
// copy tensor: D_ij = Σ_k δ_ijk λ_k.
func diagonal() layout.Figure {
	lam := label(tn("lam", "k"), "λ")
	lam.Color = "grey"
	return layout.Figure{Sides: []layout.Sum{
		{Terms: []layout.Term{{Graph: graph(free("i", "j"), tn("D", "i", "j"))}}},
		{Terms: []layout.Term{{Graph: graph(free("i", "j"), kind(tn("d", "i", "j", "k"), diagram.Delta), lam)}}},
	}}
}

// kron is kron(I5, I3) = I15: two bare lines make one thick one.
func kron() layout.Figure {
	return layout.Figure{Sides: []layout.Sum{
		{Terms: []layout.Term{{Graph: graph(free("i", "j", "k", "l"),
			dims(kind(tn("I5", "i", "j"), diagram.Identity), 5, 5),
			dims(kind(tn("I3", "k", "l"), diagram.Identity), 3, 3))}}},
		{Terms: []layout.Term{{Graph: graph(free("(i k)", "(j l)"),
			dims(kind(tn("I15", "(i k)", "(j l)"), diagram.Identity), 15, 15))}}},
	}}
}
