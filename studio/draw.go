package studio

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/strand-tn/strand/diagram"
	"github.com/strand-tn/strand/diagram/layout"
	"github.com/strand-tn/strand/diagram/svg"
	"github.com/strand-tn/strand/network"
)

// drawing is the diagram of one statement with what the page needs to
// know about its tensors.
type drawing struct {
	scene *diagram.Scene
	nodes []nodeInfo
	// ids maps a tensor of the statement's networks, bubbles' insides
	// included, to its ID in the scene.
	ids map[*network.Node]string
}

// nodeInfo describes one drawn tensor for hover text and dragging.
type nodeInfo struct {
	ID    string    `json:"id"`
	Name  string    `json:"name"` // as written, decorations included: "V†"
	Kind  string    `json:"kind"`
	Legs  []legInfo `json:"legs"`
	Shape []int     `json:"shape"` // one size per leg (a grouped leg: the product)
	Term  int       `json:"term"`  // the term of the statement it is drawn in
	// Bubble is the scene ID of the function bubble it is drawn inside, ""
	// for a tensor of the term itself.
	Bubble string `json:"bubble,omitempty"`
	// Pin is the tensor's pin in grid cells, when the text pins it.
	Pin *pin `json:"pin,omitempty"`
	// Pinnable tells whether a pin @Name(x, y) on the statement reaches this
	// tensor: the first tensor of its name in its term, outside bubbles.
	Pinnable bool    `json:"pinnable"`
	X        float64 `json:"x"` // centre and size in scene units
	Y        float64 `json:"y"`
	W        float64 `json:"w"`
	H        float64 `json:"h"`
}

// pin is a position in grid cells (layout.Options.Cell scene units each).
type pin struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// legInfo is a leg's name and size.
type legInfo struct {
	Name string `json:"name"`
	Size int    `json:"size"`
}

// drawStmt lays out a statement with layout.FromStatement, the adapter
// `strand draw` uses: an equation's two sides joined by its relation, an
// assignment's tensor = its value, sums term by term with their signs and
// coefficients. Sizes the text leaves open are drawn as unknown. It refuses
// statements of more than maxNodes tensors, whose layout would take too
// long for a live page.
func drawStmt(s *stmt, unsized map[string]int, maxNodes int) (*drawing, error) {
	count := 0
	for _, t := range s.terms() {
		count += countNodes(t.Net)
	}
	if count > maxNodes {
		return nil, fmt.Errorf("studio: the statement has %d tensors, over the %d that are drawn live (Options.MaxTensors)", count, maxNodes)
	}
	opt := layout.FromOptions{Unsized: map[string]bool{}}
	for l := range unsized {
		opt.Unsized[l] = true
	}
	fig, err := layout.FromStatement(s.net, opt)
	if err != nil {
		return nil, err
	}
	scene, err := layout.LayoutFigure(fig, layout.Options{})
	if err != nil {
		return nil, err
	}
	d := &drawing{scene: scene, ids: mapNodes(scene, fig, s)}
	for k, t := range s.terms() {
		d.describe(t.Net, k, "")
	}
	return d, nil
}

// describe adds the nodeInfo of a network's drawn tensors, then of those
// inside its bubbles. Only a term's own tensors are pinnable: a pin names
// the first tensor of its name in a network, and inside a bubble it would
// be measured in the bubble's own frame.
func (d *drawing) describe(net *network.Network, term int, bubble string) {
	first := map[string]bool{}
	for i, n := range net.Nodes {
		id, ok := d.ids[n]
		if !ok {
			continue
		}
		sn, _ := d.scene.Node(id)
		info := nodeInfo{ID: id, Name: n.Display(), Kind: n.Kind.String(), Term: term, Bubble: bubble,
			X: sn.X, Y: sn.Y, W: sn.W, H: sn.H, Legs: []legInfo{}, Shape: []int{}}
		for _, l := range n.Legs {
			info.Legs = append(info.Legs, legInfo{Name: l.String(), Size: l.Size()})
			info.Shape = append(info.Shape, l.Size())
		}
		info.Pinnable = bubble == "" && !first[info.Name] && pinTarget(n)
		first[info.Name] = true
		for _, p := range net.Pins {
			if p.Node == i {
				info.Pin = &pin{p.X, p.Y}
			}
		}
		d.nodes = append(d.nodes, info)
	}
	for _, n := range net.Nodes {
		if n.Bubble == nil || d.ids[n] == "" {
			continue
		}
		for _, a := range n.Bubble.Args {
			for _, t := range a.Terms {
				d.describe(t.Net, term, d.ids[n])
			}
		}
	}
}

// countNodes counts a network's tensors, those inside bubbles included.
func countNodes(net *network.Network) int {
	n := len(net.Nodes)
	for _, node := range net.Nodes {
		if node.Bubble == nil {
			continue
		}
		for _, a := range node.Bubble.Args {
			for _, t := range a.Terms {
				n += countNodes(t.Net)
			}
		}
	}
	return n
}

// pinTarget reports whether a pin can name the node: its display name is a
// name with the decorations a hint may carry (V, V†, Vᵀ, X⁻¹, not conj(V)).
func pinTarget(n *network.Node) bool {
	return !(n.Conj && !n.Transpose)
}

// mapNodes finds the scene node of each tensor of the statement's
// networks. The adapter names a tensor after what it draws (A, δ for a copy
// tensor, I for an identity, the function of a bubble), A#2, A#3, … for
// later ones of the same name in a term, and the layout prefixes the IDs of
// a figure of several terms with tK/, counting the figure's terms (the
// assigned tensor of an assignment is the first). So within a term the k-th
// tensor of a name is the scene node of that name with the k-th suffix,
// among the term's own nodes for its own tensors and among a bubble's
// children for the tensors of the bubble's arguments.
func mapNodes(scene *diagram.Scene, fig layout.Figure, s *stmt) map[*network.Node]string {
	figTerms := 0
	for _, side := range fig.Sides {
		figTerms += len(side.Terms)
	}
	terms := s.terms()
	offset := figTerms - len(terms)
	// pool lists the scene nodes under a parent ("" for the top level)
	// whose IDs start with prefix, by base name, in the order of their
	// suffixes.
	pool := func(prefix, parent string) map[string][]string {
		out := map[string][]string{}
		for _, n := range scene.Nodes {
			rest, ok := strings.CutPrefix(n.ID, prefix)
			if !ok || n.Parent != parent || (prefix == "" && parent == "" && strings.Contains(n.ID, "/")) {
				continue
			}
			base, _, _ := strings.Cut(rest, "#")
			out[base] = append(out[base], n.ID)
		}
		for _, ids := range out {
			slices.SortFunc(ids, func(a, b string) int { return suffix(a) - suffix(b) })
		}
		return out
	}
	ids := map[*network.Node]string{}
	// With fewer figure terms than terms, one drawing shows them all (a
	// residual stream), where a tensor several terms read, the stream, is
	// drawn once: later uses map to its first node.
	shared := offset < 0
	first := map[string]string{}
	var walk func(net *network.Network, p map[string][]string, prefix string)
	walk = func(net *network.Network, p map[string][]string, prefix string) {
		for _, n := range net.Nodes {
			base := drawnName(n)
			switch list := p[base]; {
			case len(list) > 0:
				ids[n] = list[0]
				p[base] = list[1:]
				if first[base] == "" {
					first[base] = list[0]
				}
			case shared && first[base] != "":
				ids[n] = first[base]
			}
		}
		for _, n := range net.Nodes {
			if n.Bubble == nil || ids[n] == "" {
				continue
			}
			inner := pool(prefix, ids[n])
			for _, a := range n.Bubble.Args {
				for _, t := range a.Terms {
					walk(t.Net, inner, prefix)
				}
			}
		}
	}
	var top map[string][]string
	if shared {
		top = pool("", "")
	}
	for k, t := range terms {
		prefix := ""
		if !shared {
			if figTerms > 1 {
				prefix = fmt.Sprintf("t%d/", k+offset+1)
			}
			top = pool(prefix, "")
		}
		walk(t.Net, top, prefix)
	}
	return ids
}

// drawnName is the name the adapter gives a network node's scene node.
func drawnName(n *network.Node) string {
	switch n.Kind {
	case network.Delta:
		return "δ"
	case network.Identity:
		for _, l := range n.Legs {
			if l.Offset != 0 {
				return "δ"
			}
		}
		return "I"
	case network.Function:
		return n.Bubble.Func
	}
	return n.Display()
}

// suffix is k of an ID ending in #k, 1 without one.
func suffix(id string) int {
	_, after, ok := strings.Cut(id, "#")
	k, err := strconv.Atoi(after)
	if !ok || err != nil {
		return 1
	}
	return k
}

// renderSVG writes a scene as SVG text.
func renderSVG(s *diagram.Scene) (string, error) {
	var buf bytes.Buffer
	if err := svg.Render(&buf, s, svg.Options{}); err != nil {
		return "", err
	}
	return buf.String(), nil
}
