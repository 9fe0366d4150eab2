package network

import "strings"

// Einsum is a network lowered for an evaluator: one operand per data-bearing
// node, with grouped legs split into their labels, so that the value is
//
//	out[Output…] = Σ over the other labels of Π_k operand_k[Labels_k…]
//
// reshaped into the output axes OutputGroups (each the row-major flattening of
// its labels; len(OutputGroups) is the number of output axes and their
// concatenation is Output). Sizes gives the size of every label.
type Einsum struct {
	Operands     []Operand
	Output       []string
	OutputGroups [][]string
	Sizes        map[string]int
}

// Operand is one factor of an [Einsum].
//
// Data: reshape the data of input tensor Input (or, when Input < 0 and Kind is
// a data kind, of the tensor Name that an earlier statement defined; or the
// evaluated bubble of node Node when Kind is Function) to Dims: data axis a
// becomes the next Split[a] elementary axes, whose labels are Labels. Where
// Dims[k] is 1 and Sizes[Labels[k]] is larger, the operand broadcasts. Take
// the complex conjugate when Conj and the matrix inverse (of the two data
// axes, before splitting) when Inverse. Labels are in data order: a transposed
// node (Vᵀ) has been turned back into V's axis order.
//
// Identity and Delta operands carry no data: they say that their labels are
// one index (δ_ij… = 1 when all are equal), so an evaluator merges the labels
// instead of building the tensor. A shifted delta (δ[k q+1]) has Offsets: its
// element is 1 where the values index_a + Offsets[a] are all equal, and 0
// elsewhere; it cannot be merged away and must be built. A grouped identity δ_(ik),(jl) is lowered
// into one operand per member, δ_ij δ_kl. A Diagonal node D[i j …] becomes an
// operand for its diagonal vector, labelled by its first leg, plus a Delta
// over all its legs.
type Operand struct {
	Node    int // index of the node in Network.Nodes
	Name    string
	Kind    Kind
	Input   int
	Labels  []string
	Dims    []int
	Split   []int
	Offsets []int // shifted delta only; nil otherwise
	Conj    bool
	Inverse bool
}

// Einsum lowers the network for evaluation (see [Einsum]).
func (n *Network) Einsum() (*Einsum, error) {
	e := &Einsum{Output: n.Output, OutputGroups: n.OutputGroups, Sizes: map[string]int{}}
	for l, s := range n.Sizes {
		e.Sizes[l] = s
	}
	for i, node := range n.Nodes {
		base := Operand{Node: i, Name: node.Name, Kind: node.Kind, Input: node.Input, Conj: node.Conj, Inverse: node.Inverse}
		switch node.Kind {
		case Identity, Delta:
			ops, err := copyOperands(base, node)
			if err != nil {
				return nil, err
			}
			e.Operands = append(e.Operands, ops...)
		case Diagonal:
			for _, leg := range node.Legs {
				if len(leg.Labels) != 1 {
					return nil, errorf(leg.Pos, "diagonal tensor %s cannot have a grouped leg %s", node.Display(), leg)
				}
			}
			v := base
			v.Labels, v.Dims, v.Split = []string{node.Legs[0].Labels[0]}, []int{node.Legs[0].Dims[0]}, []int{1}
			e.Operands = append(e.Operands, v)
			if len(node.Legs) > 1 {
				d := Operand{Node: i, Name: "δ", Kind: Delta, Input: -1}
				for _, leg := range node.Legs {
					d.Labels = append(d.Labels, leg.Labels[0])
					d.Dims = append(d.Dims, leg.Dims[0])
					d.Split = append(d.Split, 1)
				}
				e.Operands = append(e.Operands, d)
			}
		default:
			legs := node.Legs
			if node.Transpose {
				legs = make([]Leg, len(node.Legs))
				for k, leg := range node.Legs {
					legs[len(legs)-1-k] = leg
				}
			}
			for _, leg := range legs {
				base.Labels = append(base.Labels, leg.Labels...)
				base.Dims = append(base.Dims, leg.Dims...)
				base.Split = append(base.Split, len(leg.Labels))
			}
			e.Operands = append(e.Operands, base)
		}
	}
	return e, nil
}

// copyOperands lowers an identity or delta node, splitting grouped legs
// member by member.
func copyOperands(base Operand, node *Node) ([]Operand, error) {
	parts := len(node.Legs[0].Labels)
	for _, leg := range node.Legs {
		if len(leg.Labels) != parts {
			return nil, errorf(leg.Pos, "%s %s joins legs %s and %s, which are grouped differently",
				node.Kind, node.Display(), node.Legs[0], leg)
		}
		for p := range leg.Dims {
			if leg.Dims[p] != node.Legs[0].Dims[p] {
				return nil, errorf(leg.Pos, "%s %s joins legs %s and %s, whose members differ in size",
					node.Kind, node.Display(), node.Legs[0], leg)
			}
		}
	}
	ops := make([]Operand, parts)
	for p := range ops {
		op := base
		op.Input, op.Conj, op.Inverse = -1, false, false
		for k, leg := range node.Legs {
			op.Labels = append(op.Labels, leg.Labels[p])
			op.Dims = append(op.Dims, leg.Dims[p])
			op.Split = append(op.Split, 1)
			if leg.Offset != 0 {
				if op.Offsets == nil {
					op.Offsets = make([]int, len(node.Legs))
				}
				op.Offsets[k] = leg.Offset
			}
		}
		ops[p] = op
	}
	return ops, nil
}

// String writes the lowering as an einops-style equation with operand names:
// "A[i j] B[j k] -> [i k]".
func (e *Einsum) String() string {
	parts := make([]string, len(e.Operands))
	for i, op := range e.Operands {
		parts[i] = op.Name + "[" + strings.Join(op.Labels, " ") + "]"
	}
	return strings.Join(parts, " ") + " -> [" + groupList(e.OutputGroups) + "]"
}
