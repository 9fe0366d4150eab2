package network

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/strand-tn/strand/notation"
)

// Kind is the kind of a tensor node; it decides how the node is drawn and
// whether it carries data.
type Kind int

const (
	General   Kind = iota // any tensor: a circle or box
	Isometry              // V with V†V = I: a triangle, tip toward the smaller legs
	Unitary               // square isometry: a square
	Symmetric             // all legs of one size, invariant under permuting them
	Diagonal              // a diagonal tensor given by its diagonal vector: vector + copy dot
	Identity              // δ_ij, two legs: a bare line, no data
	Delta                 // copy tensor δ_ijk…: a dot, no data
	Function              // a function bubble around sub-networks
)

var kindNames = [...]string{"general", "isometry", "unitary", "symmetric", "diagonal", "identity", "delta", "function"}

func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// ParseKind returns the kind a declaration such as "U: isometry" names:
// general, isometry, unitary (or orthogonal), symmetric, diagonal (or diag),
// identity, delta (or copy). Function bubbles are not declared.
func ParseKind(name string) (Kind, bool) {
	switch name {
	case "diag":
		return Diagonal, true
	case "orthogonal":
		return Unitary, true
	case "copy":
		return Delta, true
	}
	for k, n := range kindNames {
		if n == name && Kind(k) != Function {
			return Kind(k), true
		}
	}
	return 0, false
}

// HasData reports whether a node of this kind is bound to a tensor of
// numbers; identity and delta nodes are not, and a function node is computed.
func (k Kind) HasData() bool {
	return k != Identity && k != Delta && k != Function
}

// builtinKind gives the kind of the built-in names δ, delta (copy tensors) and
// I, id (identities).
func builtinKind(name string) (Kind, bool) {
	switch name {
	case "δ", "delta":
		return Delta, true
	case "I", "id":
		return Identity, true
	}
	return General, false
}

// Leg is one leg (axis) of a node. A grouped leg such as (i l) is one axis of
// the tensor that is the row-major flattening of several labels (the first
// varies slowest); Dims gives each label's size as this tensor has it, which
// is 1 where the tensor broadcasts along that label (numpy semantics).
type Leg struct {
	Labels []string
	Dims   []int
	Offset int // a shifted delta's leg: δ[k q+1] has Offset 1 on its leg q
	Pos    int
}

// Size returns the size of the leg's axis: the product of its Dims.
func (l Leg) Size() int {
	n := 1
	for _, d := range l.Dims {
		n *= d
	}
	return n
}

// String returns "i", "q+1" or "(i l)".
func (l Leg) String() string {
	if len(l.Labels) == 1 {
		if l.Offset != 0 {
			return fmt.Sprintf("%s%+d", l.Labels[0], l.Offset)
		}
		return l.Labels[0]
	}
	return "(" + strings.Join(l.Labels, " ") + ")"
}

// Node is a tensor in a network. Its legs are listed as written: for a
// transposed node (Vᵀ, V†) they are the data axes in reverse order.
type Node struct {
	Name      string // tensor name without decorations: "A", "V", "δ", "gelu"
	Kind      Kind
	Conj      bool // complex conjugate of the data (V†, conj(V))
	Transpose bool // legs in reverse order of the data axes (Vᵀ, V†)
	Inverse   bool // matrix inverse of the data (X⁻¹)
	Legs      []Leg
	Input     int     // index of the bound input tensor, or -1
	Tip       []int   // isometry or unitary: the legs (indices into Legs) at the tip of its triangle
	Bubble    *Bubble // Kind == Function
	Pos       int
}

// Display returns the name with its decorations, as the notation writes it: "V†".
func (n *Node) Display() string {
	t := notation.Tensor{Name: n.Name, Conj: n.Conj, Transpose: n.Transpose, Inverse: n.Inverse}
	return t.DisplayName()
}

// Bubble is a function applied to sub-expressions, drawn as a contour around
// them: gelu(W[b a] x[a]), softmax_k(Q[q d] K[k d]). The node's legs are the
// free legs of the arguments (their union, in order of first appearance),
// less Leg when the function consumes it.
type Bubble struct {
	Func     string
	Leg      string    // the leg the function consumes or normalises over; "" for elementwise functions
	Consumes bool      // the function reduces Leg away (sum, mean, max, min, prod, norm, logsumexp)
	Args     []*Expr   // tensor arguments
	Params   []float64 // numeric arguments, as in pow(x, 2)
}

// consumingFuncs are the functions whose subscript leg disappears from the output.
var consumingFuncs = map[string]bool{
	"sum": true, "mean": true, "max": true, "min": true, "prod": true, "norm": true, "logsumexp": true,
}

// EdgeKind classifies a label by how many legs carry it and whether it is
// in the output.
type EdgeKind int

const (
	Free   EdgeKind = iota // on one leg, in the output
	Bond                   // on two legs, summed: a wire
	Hyper                  // on three or more legs, or on two and in the output: a copy dot
	Summed                 // on one leg, summed away (a trace with a vector of ones)
)

var edgeKindNames = [...]string{"free", "bond", "hyper", "summed"}

func (k EdgeKind) String() string { return edgeKindNames[k] }

// End is one occurrence of a label: node Node (index into Network.Nodes), its
// leg Leg and, for a grouped leg, the position Part in the group.
type End struct {
	Node, Leg, Part int
}

// Edge is a label with every place it occurs.
type Edge struct {
	Label string
	Size  int
	Kind  EdgeKind
	Ends  []End
}

// Pin fixes node Node of a network at (X, Y) in layout units.
type Pin struct {
	Node int
	X, Y float64
}

// SideHint puts free leg Leg on side Side ("left", "right", "top", "bottom").
type SideHint struct {
	Leg  string
	Side string
}

// Network is one product of tensors: nodes joined by labels, with the free
// labels in output order. Sizes gives the size of every label on its nodes.
// OutputGroups has one entry per output axis, listing the labels flattened
// into it (one label for a plain axis), so that Output is their concatenation.
type Network struct {
	Nodes        []*Node
	Output       []string
	OutputGroups [][]string
	Sizes        map[string]int
	Edges        []*Edge // in order of first appearance on the nodes
	Pins         []Pin
	Sides        []SideHint
	Pos          int
}

// OutShape returns the shape of the network's value: one size per output axis.
func (n *Network) OutShape() []int {
	shape := make([]int, len(n.OutputGroups))
	for i, g := range n.OutputGroups {
		shape[i] = 1
		for _, l := range g {
			shape[i] *= n.Sizes[l]
		}
	}
	return shape
}

// EdgesOf returns the edges of the given kind.
func (n *Network) EdgesOf(kind EdgeKind) []*Edge {
	var out []*Edge
	for _, e := range n.Edges {
		if e.Kind == kind {
			out = append(out, e)
		}
	}
	return out
}

// Edge returns the edge of label, or nil.
func (n *Network) Edge(label string) *Edge {
	for _, e := range n.Edges {
		if e.Label == label {
			return e
		}
	}
	return nil
}

// New builds a network from nodes and output axes (each output axis a group
// of labels; a plain axis is a group of one). A label's size is the largest
// of its legs' dimensions (a leg of dimension 1 broadcasts); edges and their
// kinds are derived from where the labels occur.
func New(nodes []*Node, outputGroups [][]string) *Network {
	n := &Network{Nodes: nodes}
	for _, g := range outputGroups {
		n.OutputGroups = append(n.OutputGroups, slices.Clone(g))
		n.Output = append(n.Output, g...)
	}
	sizes := map[string]int{}
	for _, node := range nodes {
		for _, leg := range node.Legs {
			for p, l := range leg.Labels {
				sizes[l] = max(sizes[l], leg.Dims[p])
			}
		}
	}
	n.finish(sizes)
	return n
}

// finish computes the edges and restricts Sizes to the network's labels.
func (n *Network) finish(sizes map[string]int) {
	out := map[string]bool{}
	for _, l := range n.Output {
		out[l] = true
	}
	index := map[string]*Edge{}
	n.Edges = nil
	for ni, node := range n.Nodes {
		for li, leg := range node.Legs {
			for p, l := range leg.Labels {
				e := index[l]
				if e == nil {
					e = &Edge{Label: l, Size: sizes[l]}
					index[l] = e
					n.Edges = append(n.Edges, e)
				}
				e.Ends = append(e.Ends, End{Node: ni, Leg: li, Part: p})
			}
		}
	}
	n.Sizes = map[string]int{}
	for _, e := range n.Edges {
		n.Sizes[e.Label] = e.Size
		switch k := len(e.Ends); {
		case k >= 3 || (k == 2 && out[e.Label]):
			e.Kind = Hyper
		case k == 2:
			e.Kind = Bond
		case out[e.Label]:
			e.Kind = Free
		default:
			e.Kind = Summed
		}
	}
}

// String summarises the network: its equation, then one line per node (with
// the arguments of a bubble below it, indented), bond, hyperedge, summed leg
// and the free legs, with sizes.
//
//	A[i α β] v[β] B[β α j] -> [i j]
//	  node A general: i=2 α=3 β=4
//	  bond α=3: A.1 B.1
//	  hyper β=4: A.2 v.0 B.0
//	  free: i=2 j=5
func (n *Network) String() string {
	var b strings.Builder
	for i, node := range n.Nodes {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(node.Display() + "[" + legList(node.Legs) + "]")
	}
	b.WriteString(" -> [" + groupList(n.OutputGroups) + "]\n")
	for _, node := range n.Nodes {
		fmt.Fprintf(&b, "  node %s %s:", node.Display(), node.Kind)
		for _, leg := range node.Legs {
			b.WriteString(" " + leg.String() + "=" + strconv.Itoa(leg.Size()))
		}
		if node.Bubble != nil && node.Bubble.Leg != "" {
			b.WriteString(" over " + node.Bubble.Leg)
		}
		b.WriteByte('\n')
		if node.Bubble != nil {
			for i, p := range node.Bubble.Params {
				fmt.Fprintf(&b, "    param %d: %s\n", i, strconv.FormatFloat(p, 'g', -1, 64))
			}
			for i, a := range node.Bubble.Args {
				fmt.Fprintf(&b, "    arg %d:\n", i)
				for _, line := range strings.SplitAfter(strings.TrimSuffix(a.String(), "\n"), "\n") {
					b.WriteString("      " + line)
				}
				b.WriteByte('\n')
			}
		}
	}
	for _, e := range n.Edges {
		if e.Kind == Free {
			continue
		}
		fmt.Fprintf(&b, "  %s %s=%d:", e.Kind, e.Label, e.Size)
		for _, end := range e.Ends {
			fmt.Fprintf(&b, " %s.%d", n.Nodes[end.Node].Display(), end.Leg)
		}
		b.WriteByte('\n')
	}
	b.WriteString("  free:")
	for _, l := range n.Output {
		fmt.Fprintf(&b, " %s=%d", l, n.Sizes[l])
	}
	b.WriteByte('\n')
	return b.String()
}

func legList(legs []Leg) string {
	parts := make([]string, len(legs))
	for i, l := range legs {
		parts[i] = l.String()
	}
	return strings.Join(parts, " ")
}

func groupList(groups [][]string) string {
	parts := make([]string, len(groups))
	for i, g := range groups {
		parts[i] = Leg{Labels: g}.String()
	}
	return strings.Join(parts, " ")
}

// Expr is a sum of networks, Σ_k Coef_k · Net_k, whose terms all have the same
// free legs, in the same order (Output, OutputGroups).
type Expr struct {
	Terms        []*Term
	Output       []string
	OutputGroups [][]string
	Sizes        map[string]int
	Pos          int
}

// Term is one term of an [Expr]: a coefficient times a network.
type Term struct {
	Coef float64
	Net  *Network
	Pos  int
}

// OutShape returns the shape of the expression's value.
func (x *Expr) OutShape() []int {
	n := Network{OutputGroups: x.OutputGroups, Sizes: x.Sizes}
	return n.OutShape()
}

// String writes the terms, one network summary each, with their coefficients.
func (x *Expr) String() string {
	var b strings.Builder
	for i, t := range x.Terms {
		fmt.Fprintf(&b, "term %d, coefficient %s: %s", i, strconv.FormatFloat(t.Coef, 'g', -1, 64), t.Net)
	}
	return b.String()
}
