package diagram

import (
	"encoding/json"
	"fmt"
)

// Kind is the kind of tensor a node stands for.
type Kind string

// The node kinds. The JSON scene carries them verbatim.
const (
	General  Kind = "general"  // any tensor: circle or rounded box
	Isometry Kind = "isometry" // V with V†V = I: triangle, tip toward the smaller legs
	Unitary  Kind = "unitary"  // square isometry: square
	Delta    Kind = "delta"    // copy tensor δ_ijk… = [i = j = k = …]; every hyperedge: a dot
	Identity Kind = "identity" // δ_ij: a bare line, no shape
	Function Kind = "function" // a nonlinear function applied to the network inside its bubble
	Hole     Kind = "hole"     // a removed tensor (derivative): dashed empty circle
	// Join is where legs meet to form one grouped leg (i l), or where a
	// grouped leg splits into its parts: a point, no shape.
	Join Kind = "join"
	// Add is the elementwise sum of its incoming legs' tensors on a residual
	// stream: a small blue circle with "+".
	Add Kind = "add"
	// Copy hands a tensor on a residual stream to the blocks that read it
	// (a copy of the whole tensor, not a copy tensor δ): a small pink dot.
	Copy Kind = "copy"
)

// Shape is the outline a node is drawn with.
type Shape string

// The shapes.
const (
	Circle   Shape = "circle"
	RoundBox Shape = "roundbox"
	Triangle Shape = "triangle" // tip in the direction Node.Angle
	Square   Shape = "square"
	Dot      Shape = "dot"
	Bare     Shape = "none"   // nothing is drawn (identity)
	Bubble   Shape = "bubble" // a rounded contour around a group of nodes
)

// LabelKind tells what a label names.
type LabelKind string

// The label kinds.
const (
	NodeLabel     LabelKind = "node"     // a tensor's name, inside its shape
	LegLabel      LabelKind = "leg"      // a leg's name, beside its wire or beyond its stub
	FunctionLabel LabelKind = "function" // a bubble's function name
	OpLabel       LabelKind = "op"       // "+", "−", "=", "≠" between terms and sides
	CoefLabel     LabelKind = "coef"     // a scalar coefficient before a term
)

// GroupKind tells what a group gathers.
type GroupKind string

// The group kinds.
const (
	BubbleGroup GroupKind = "bubble" // the nodes inside a function bubble
	TermGroup   GroupKind = "term"   // one term of a sum, with its sign and coefficient
	SideGroup   GroupKind = "side"   // one side of an equation
)

// Scene is a complete drawing. Coordinates grow rightward (x) and downward
// (y); Bounds encloses everything that is drawn.
type Scene struct {
	Nodes  []Node  `json:"nodes"`
	Wires  []Wire  `json:"wires"`
	Stubs  []Stub  `json:"stubs"`
	Labels []Label `json:"labels"`
	Groups []Group `json:"groups"`
	Coords []Coord `json:"coords"`
	Bounds Box     `json:"bounds"`
}

// MarshalJSON writes the scene contract; empty lists are written as [] rather
// than null so that scripts can iterate without checks.
func (s Scene) MarshalJSON() ([]byte, error) {
	type plain Scene
	p := plain(s)
	p.Nodes = orEmpty(p.Nodes)
	p.Wires = orEmpty(p.Wires)
	p.Stubs = orEmpty(p.Stubs)
	p.Labels = orEmpty(p.Labels)
	p.Groups = orEmpty(p.Groups)
	p.Coords = orEmpty(p.Coords)
	return json.Marshal(p)
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// Node is one tensor (or hyperedge dot, or function bubble).
type Node struct {
	ID    string `json:"id"`
	Label string `json:"label"` // the name in label markup (see ParseText); drawn by a Label of kind NodeLabel
	Kind  Kind   `json:"kind"`
	Box          // centre and size of the shape
	Shape Shape  `json:"shape"`
	// Angle is the direction of a triangle's tip in degrees, clockwise from
	// +x (y points down): 0 east, 90 south, 180 west, 270 north.
	Angle  float64 `json:"angle,omitempty"`
	Flip   bool    `json:"flip,omitempty"`   // transposed: drawn upside down
	Dashed bool    `json:"dashed,omitempty"` // outline dashed (a hole)
	Color  string  `json:"color,omitempty"`  // fill, a name from Palette; "" is white
	Title  string  `json:"title,omitempty"`  // hover text: name and legs with sizes
	Parent string  `json:"parent,omitempty"` // ID of the enclosing bubble
}

// Wire is a contracted leg drawn between two nodes.
type Wire struct {
	From string `json:"from"`
	To   string `json:"to"`
	Leg  string `json:"leg"`
	// Points runs from the boundary of From to the boundary of To. When Curve
	// is false it is a polyline; when true it is a chain of cubic Bézier
	// segments P0 C C P1 C C P2 … (3k+1 points).
	Points []Point `json:"points"`
	Curve  bool    `json:"curve,omitempty"`
	Width  float64 `json:"width"` // stroke width; grows with log(Dim)
	Dim    int     `json:"dim,omitempty"`
	Title  string  `json:"title,omitempty"`
}

// Stub is a free (uncontracted) leg: a short segment from the node's
// boundary outward.
type Stub struct {
	Node   string  `json:"node"`
	Leg    string  `json:"leg"`
	Points []Point `json:"points"` // boundary point, then the outer end
	Width  float64 `json:"width"`
	Dim    int     `json:"dim,omitempty"`
	Title  string  `json:"title,omitempty"`
}

// Label is a piece of text with the box its rendering occupies.
type Label struct {
	Text     string    `json:"text"` // label markup (see ParseText)
	Box                // the ink box of the text
	Baseline float64   `json:"baseline"` // y of the text's baseline
	Kind     LabelKind `json:"kind"`
	Size     float64   `json:"size"`            // font size in scene units
	Owner    string    `json:"owner,omitempty"` // the node a name belongs to (a tensor's, a bubble's, a hyperedge dot's)
	Flip     bool      `json:"flip,omitempty"`  // drawn rotated by 180° about its centre
	// Wire and Stub are 1 + the index of the wire or stub a leg label names
	// (0 when it names none). At is the point the label hangs from: on that
	// wire or stub, else its owner's centre, else its own centre. Renderers
	// that keep labels attached to what they name (TikZ) use them.
	Wire int   `json:"wire,omitempty"`
	Stub int   `json:"stub,omitempty"`
	At   Point `json:"at"`
}

// Group gathers nodes: a function bubble, a term of a sum, a side of an
// equation.
type Group struct {
	Kind    GroupKind `json:"kind"`
	ID      string    `json:"id"`
	Box               // the region the group covers
	Members []string  `json:"members"` // node IDs
}

// Coord is a named position. Every node centre and every bend of a wire
// has one; the TikZ renderer defines each once at the top of the picture.
type Coord struct {
	Name string `json:"name"`
	At   Point  `json:"at"`
}

// Node returns the node with the given ID.
func (s *Scene) Node(id string) (*Node, bool) {
	for i := range s.Nodes {
		if s.Nodes[i].ID == id {
			return &s.Nodes[i], true
		}
	}
	return nil, false
}

// Palette lists the fill colours a node may name, as sRGB hex codes. The
// names follow the seed post's figures: grey for the diagonal vector of a
// diagonal matrix, blue for isometries, pink and green for the operations
// that are not contractions.
var Palette = []struct{ Name, Hex string }{
	{"grey", "#d9d9d9"},
	{"blue", "#a9c8ec"},
	{"pink", "#f4b6c2"},
	{"green", "#b9e3b0"},
	{"yellow", "#f7e59b"},
	{"orange", "#f8c99b"},
	{"purple", "#d3c0ec"},
	{"red", "#f19999"},
}

// ColorHex returns the hex code of a palette colour; "" is white.
func ColorHex(name string) (string, error) {
	if name == "" {
		return "#ffffff", nil
	}
	for _, c := range Palette {
		if c.Name == name {
			return c.Hex, nil
		}
	}
	return "", fmt.Errorf("diagram: unknown colour %q (want one of grey, blue, pink, green, yellow, orange, purple, red)", name)
}
