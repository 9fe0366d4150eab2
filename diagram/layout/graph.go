package layout

import (
	"fmt"
	"math"

	"github.com/strand-tn/strand/diagram"
)

// Graph is one tensor network to draw.
//
// Legs of different nodes that carry the same Name are joined by a wire. A
// name carried by three or more legs (or by two legs and also listed in
// Free) is a hyperedge and is drawn as a copy-tensor dot joined to each of
// them. A name on two legs of one node is a trace: a loop. A name on a
// single leg is a free leg (a labelled stub) when it is listed in Free, and
// otherwise a leg summed on its own, drawn joined to a one-leg dot (the
// all-ones vector, δ with one leg).
type Graph struct {
	Nodes []Node
	// Free lists the network's free legs in output order (the left side of an
	// index statement, the part after "->" of an einsum). The first free leg
	// is drawn leftmost, the last rightmost, unless a Side says otherwise.
	Free []FreeLeg
	// Vertical lays the main axis out top to bottom (the residual stream of
	// a transformer) instead of left to right.
	Vertical bool
}

// FreeLeg is an output leg of a network.
type FreeLeg struct {
	Name string
	Side Side // where its stub points; "" chooses
}

// Side is a direction hint for a leg.
type Side string

// The sides. Auto lets the layout choose.
const (
	Auto  Side = ""
	Left  Side = "left"
	Right Side = "right"
	Up    Side = "up"
	Down  Side = "down"
)

// Node is one tensor.
type Node struct {
	// ID names the node in the scene; it must be unique in the whole figure
	// term, including the insides of bubbles (two occurrences of one tensor
	// get two IDs and the same Label).
	ID string
	// Label is the text drawn, in diagram label markup ("W_1", "V^†"); ""
	// draws the ID. For a Function node it is the function's name.
	Label string
	// Kind is the shape: "" is diagram.General; a Join (at least two legs)
	// is the point where legs meet a grouped leg; Add and Copy are the "+"
	// and the copy points of a residual stream, whose legs 0 and 1 are the
	// stream coming in and going on (laid out on a vertical backbone when
	// the graph is Vertical).
	Kind diagram.Kind
	Legs []Leg
	// Pin fixes the node's centre, in grid cells (see Options.Cell) with y
	// pointing down; the other nodes are laid out around the pinned ones.
	Pin *Pin
	// Flip draws the tensor upside down (a transpose drawn as in the seed's
	// Tr(AB) = Tr(BA) figure). Its legs are taken as listed transposed
	// (Bᵀ[i j] is B with its axes reversed), so the clockwise order that
	// decides between parallel and crossed pairs of wires is reversed.
	Flip bool
	// Color is a fill from diagram.Palette; "" is white.
	Color string
	// Inner is the network a Function node is applied to; it is drawn inside
	// the bubble, and its free legs are the bubble's legs. Legs is then
	// empty (every free leg of Inner leaves the bubble) or names some of
	// Inner.Free, in order: the others end at the contour (a leg the
	// function consumes, as sum_k does k).
	Inner *Graph
}

// Leg is one index of a tensor.
type Leg struct {
	Name  string
	Label string // markup drawn for the leg; "" draws Name
	// Dim is the leg's size, 0 when unknown. Wires and stubs grow thicker
	// with log(Dim); a grouped leg "(i l)" has the product of the sizes.
	Dim int
	// Tip marks, on an isometry, a leg that leaves from the triangle's tip
	// (the small side). With no Tip set, the legs of smallest Dim are the
	// tip, or else the last leg.
	Tip bool
	// Side asks for the leg's free stub to point that way.
	Side Side
	// Shift is the offset of a shifted copy-tensor leg: δ[k q+1] has Shift
	// 1 on its leg q, drawn as "+1" beside the dot where the leg leaves.
	Shift int
	// Unnamed draws the leg's wire or stub without a name (the wire between
	// a diagonal matrix's vector and its dot, a residual stream's segments).
	Unnamed bool
}

// Pin is a position in grid cells.
type Pin struct{ X, Y float64 }

// Figure is a sum of networks or an equation between sums.
type Figure struct {
	Sides []Sum
	// Rels holds the relation drawn between Sides[k] and Sides[k+1] ("=",
	// "≠", "≈"); an empty or missing entry is "=".
	Rels []string
}

// Sum is a sum of terms, drawn side by side with "+" and "−" between them.
type Sum struct {
	Terms []Term
}

// Term is a signed, scaled network. An empty Graph with a Coef is a bare
// scalar.
type Term struct {
	Neg   bool
	Coef  string // label markup drawn before the network ("0.5", "Σ_h"); "" draws none
	Graph Graph
}

// Options tune the layout. The zero value is a good default.
type Options struct {
	// Wire is the length of a straight wire between the outlines of two
	// neighbouring tensors, in scene units; 0 means 36.
	Wire float64
	// NoLegLabels leaves contracted legs unnamed (free legs keep their
	// names).
	NoLegLabels bool
	// Sizes appends each free leg's dimension to its label: "i (2)".
	Sizes bool
	// Width is where a sum wraps onto a new line, in scene units; 0 means
	// 1000. A term wider than that gets a line of its own.
	Width float64
}

// Scene units of the drawing.
const (
	nodeFont  = 14.0 // tensor names
	legFont   = 11.0 // leg names
	shiftFont = 9.0  // the offset of a shifted leg
	funcFont  = 13.0 // function names on bubbles
	opFont    = 20.0 // + − = between terms and sides
	coefFont  = 16.0 // coefficients
	nodeSize  = 28.0 // diameter of a tensor's circle
	dotSize   = 7.0  // diameter of a copy dot
	addSize   = 18.0 // diameter of a residual stream's "+"
	copySize  = 10.0 // diameter of a residual stream's copy point
	stubLen   = 20.0 // length of a free leg's stub
	defWire   = 36.0
	labelGap  = 2.5 // between a label and the line it names
	bubblePad = 10.0
)

func (o Options) width() float64 {
	if o.Width > 0 {
		return o.Width
	}
	return 1000
}

func (o Options) wire() float64 {
	if o.Wire > 0 {
		return o.Wire
	}
	return defWire
}

// Cell is the size of one grid cell for pins: the distance between the
// centres of two neighbouring circles.
func (o Options) Cell() float64 { return nodeSize + o.wire() }

// Error is a layout error: what is wrong and where in the input it is.
type Error struct {
	Path string // e.g. `term 2: node "A" leg 1`
	Msg  string
}

func (e *Error) Error() string {
	if e.Path == "" {
		return "layout: " + e.Msg
	}
	return "layout: " + e.Path + ": " + e.Msg
}

func errorf(path, format string, args ...any) *Error {
	return &Error{path, fmt.Sprintf(format, args...)}
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + ": " + b
}

// validate checks a graph (recursively) before it is laid out. ids collects
// the node IDs of one figure term.
func (g *Graph) validate(path string, ids map[string]bool, opt Options) error {
	if opt.Wire < 0 || math.IsNaN(opt.Wire) || math.IsInf(opt.Wire, 0) {
		return errorf("", "Options.Wire is %v, want a positive length or 0", opt.Wire)
	}
	if opt.Width < 0 || math.IsNaN(opt.Width) {
		return errorf("", "Options.Width is %v, want a positive length or 0", opt.Width)
	}
	legNames := map[string]bool{}
	for i := range g.Nodes {
		n := &g.Nodes[i]
		np := join(path, fmt.Sprintf("node %d %q", i, n.ID))
		if n.ID == "" {
			return errorf(join(path, fmt.Sprintf("node %d", i)), "empty ID")
		}
		if ids[n.ID] {
			return errorf(np, "ID used twice")
		}
		ids[n.ID] = true
		switch n.Kind {
		case "", diagram.General, diagram.Isometry, diagram.Unitary, diagram.Delta, diagram.Identity, diagram.Hole,
			diagram.Join, diagram.Add, diagram.Copy:
			if n.Inner != nil {
				return errorf(np, "only a function node has an inner network")
			}
		case diagram.Function:
			if n.Inner == nil {
				return errorf(np, "function node without an inner network")
			}
			if err := n.Inner.validate(join(np, "inner"), ids, opt); err != nil {
				return err
			}
			next := 0 // the legs name inner free legs in order
			for k, l := range n.Legs {
				for next < len(n.Inner.Free) && n.Inner.Free[next].Name != l.Name {
					next++
				}
				if next == len(n.Inner.Free) {
					return errorf(np, "leg %d %q is not one of the inner network's free legs after leg %d", k, l.Name, k-1)
				}
				next++
			}
		default:
			return errorf(np, "unknown kind %q", n.Kind)
		}
		if n.Kind == diagram.Identity && len(n.Legs) != 2 {
			return errorf(np, "an identity has 2 legs, not %d", len(n.Legs))
		}
		if (n.Kind == diagram.Join || n.Kind == diagram.Add || n.Kind == diagram.Copy) && len(n.Legs) < 2 {
			return errorf(np, "a %s node has at least 2 legs, not %d", n.Kind, len(n.Legs))
		}
		if _, err := diagram.ColorHex(n.Color); err != nil {
			return errorf(np, "%v", err)
		}
		if _, err := diagram.ParseText(n.Label); err != nil {
			return errorf(np, "%v", err)
		}
		if n.Pin != nil && !(finite(n.Pin.X) && finite(n.Pin.Y)) {
			return errorf(np, "pin (%v, %v) is not finite", n.Pin.X, n.Pin.Y)
		}
		for k, l := range n.Legs {
			lp := join(np, fmt.Sprintf("leg %d %q", k, l.Name))
			if l.Name == "" {
				return errorf(lp, "empty leg name")
			}
			if l.Dim < 0 {
				return errorf(lp, "negative dimension %d", l.Dim)
			}
			if err := checkSide(l.Side); err != nil {
				return errorf(lp, "%v", err)
			}
			if _, err := diagram.ParseText(l.Label); err != nil {
				return errorf(lp, "%v", err)
			}
			legNames[l.Name] = true
		}
		if n.Kind == diagram.Function && len(n.Legs) == 0 {
			for _, f := range n.Inner.Free {
				legNames[f.Name] = true
			}
		}
	}
	seen := map[string]bool{}
	for k, f := range g.Free {
		fp := join(path, fmt.Sprintf("free leg %d %q", k, f.Name))
		if !legNames[f.Name] {
			return errorf(fp, "no tensor has this leg")
		}
		if seen[f.Name] {
			return errorf(fp, "listed twice")
		}
		seen[f.Name] = true
		if err := checkSide(f.Side); err != nil {
			return errorf(fp, "%v", err)
		}
	}
	return nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

func checkSide(s Side) error {
	switch s {
	case Auto, Left, Right, Up, Down:
		return nil
	}
	return fmt.Errorf("unknown side %q (want left, right, up or down)", s)
}

// dir returns the unit vector a side points to (y down), or the zero vector
// for Auto.
func (s Side) dir() diagram.Point {
	switch s {
	case Left:
		return diagram.Pt(-1, 0)
	case Right:
		return diagram.Pt(1, 0)
	case Up:
		return diagram.Pt(0, -1)
	case Down:
		return diagram.Pt(0, 1)
	}
	return diagram.Point{}
}
