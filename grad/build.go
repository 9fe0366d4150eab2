package grad

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/strand-tn/strand/network"
)

// ctx holds what one derivation or simplification needs across networks: the
// size of every label and every name in use, so that new labels are fresh.
//
// Scopes: the labels of a network are its own; a bubble's argument is a scope
// of its own whose output labels (its ports) are the bubble's legs by name,
// except a consumed leg, which is local to the argument. Renaming is capture
// avoiding: a local label that would collide with a new name is renamed too.
type ctx struct {
	sizes map[string]int
	used  map[string]bool
}

func newCtx() *ctx { return &ctx{sizes: map[string]int{}, used: map[string]bool{}} }

// addExpr records the labels and sizes of x, inside bubbles too.
func (c *ctx) addExpr(x *network.Expr) error {
	for l, s := range x.Sizes {
		if err := c.addLabel(l, s); err != nil {
			return err
		}
	}
	for _, t := range x.Terms {
		if err := c.addNet(t.Net); err != nil {
			return err
		}
	}
	return nil
}

func (c *ctx) addNet(n *network.Network) error {
	for _, node := range n.Nodes {
		for _, leg := range node.Legs {
			if len(leg.Dims) != len(leg.Labels) {
				return fmt.Errorf("grad: leg %s of %s has no sizes", leg, node.Display())
			}
			for p, l := range leg.Labels {
				if err := c.addLabel(l, leg.Dims[p]); err != nil {
					return err
				}
			}
		}
		if node.Bubble != nil {
			for _, a := range node.Bubble.Args {
				if err := c.addExpr(a); err != nil {
					return err
				}
			}
		}
	}
	for l, s := range n.Sizes {
		if err := c.addLabel(l, s); err != nil {
			return err
		}
	}
	return nil
}

// addLabel records a label's size. A leg of size 1 on a label that is larger
// elsewhere broadcasts (numpy semantics); symbolic derivatives do not handle
// that, so it is an error.
func (c *ctx) addLabel(l string, size int) error {
	if old, ok := c.sizes[l]; ok && old != size {
		return fmt.Errorf("grad: leg %s has sizes %d and %d (broadcast legs are not supported)", l, old, size)
	}
	c.sizes[l] = size
	c.used[l] = true
	return nil
}

// fresh returns a new label like l (its name without trailing digits, then a
// number), of l's size.
func (c *ctx) fresh(l string) string { return c.freshSized(l, c.sizes[l]) }

// freshSized returns a new label like l of the given size.
func (c *ctx) freshSized(l string, size int) string {
	base := strings.TrimRightFunc(l, unicode.IsDigit)
	if base == "" {
		base = "x"
	}
	for k := 1; ; k++ {
		name := base + strconv.Itoa(k)
		if !c.used[name] {
			c.used[name] = true
			c.sizes[name] = size
			return name
		}
	}
}

// leg returns a leg with the given labels and their sizes.
func (c *ctx) leg(labels ...string) network.Leg {
	leg := network.Leg{Labels: slices.Clone(labels)}
	for _, l := range labels {
		leg.Dims = append(leg.Dims, c.sizes[l])
	}
	return leg
}

// delta returns the copy tensor δ over the labels (one leg each): 1 where all
// indices agree. With one label it is a vector of ones.
func (c *ctx) delta(labels ...string) *network.Node {
	n := &network.Node{Name: "δ", Kind: network.Delta, Input: -1}
	for _, l := range labels {
		n.Legs = append(n.Legs, c.leg(l))
	}
	return n
}

// identity returns I[a b] = δ_ab.
func (c *ctx) identity(a, b string) *network.Node {
	return &network.Node{Name: "I", Kind: network.Identity, Input: -1, Legs: []network.Leg{c.leg(a), c.leg(b)}}
}

// bubble returns the node f(arg)[legs]. For a function that acts along a leg,
// leg names it; consumes says it is removed (legs then lack it).
func (c *ctx) bubble(fn, leg string, consumes bool, params []float64, arg *network.Expr, legs []string) *network.Node {
	n := &network.Node{Name: fn, Kind: network.Function, Input: -1,
		Bubble: &network.Bubble{Func: fn, Leg: leg, Consumes: consumes, Args: []*network.Expr{arg}, Params: slices.Clone(params)}}
	for _, l := range legs {
		n.Legs = append(n.Legs, c.leg(l))
	}
	return n
}

// net builds a network from its nodes and output axes, computing its edges.
// An output label that no node carries gets a one-leg copy tensor δ[l] (a
// vector of ones), so that every term of a sum carries its free legs.
func (c *ctx) net(nodes []*network.Node, groups [][]string) *network.Network {
	output := flatten(groups)
	carried := map[string]bool{}
	for _, node := range nodes {
		for _, leg := range node.Legs {
			for _, l := range leg.Labels {
				carried[l] = true
			}
		}
	}
	nodes = slices.Clone(nodes)
	for _, l := range output {
		if !carried[l] {
			nodes = append(nodes, c.delta(l))
			carried[l] = true
		}
	}
	n := network.New(nodes, groups)
	return n
}

// expr builds a sum of terms with the given output axes.
func (c *ctx) expr(groups [][]string, terms []*network.Term) *network.Expr {
	x := &network.Expr{Terms: terms, Output: flatten(groups), OutputGroups: cloneGroups(groups), Sizes: map[string]int{}}
	for _, t := range terms {
		for l, s := range t.Net.Sizes {
			x.Sizes[l] = s
		}
	}
	for _, l := range x.Output {
		x.Sizes[l] = c.sizes[l]
	}
	return x
}

// single returns the expression of one network with coefficient 1.
func (c *ctx) single(n *network.Network) *network.Expr {
	return c.expr(n.OutputGroups, []*network.Term{{Coef: 1, Net: n}})
}

func flatten(groups [][]string) []string {
	out := []string{}
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

func cloneGroups(groups [][]string) [][]string {
	out := make([][]string, len(groups))
	for i, g := range groups {
		out[i] = slices.Clone(g)
	}
	return out
}

func singletons(labels []string) [][]string {
	groups := make([][]string, len(labels))
	for i, l := range labels {
		groups[i] = []string{l}
	}
	return groups
}

// labelsOf lists the labels on a network's legs in order of first appearance.
func labelsOf(n *network.Network) []string {
	var out []string
	seen := map[string]bool{}
	for _, node := range n.Nodes {
		for _, leg := range node.Legs {
			for _, l := range leg.Labels {
				if !seen[l] {
					seen[l] = true
					out = append(out, l)
				}
			}
		}
	}
	return out
}

// mapLabel returns m[l], or l when m does not rename it.
func mapLabel(m map[string]string, l string) string {
	if r, ok := m[l]; ok {
		return r
	}
	return l
}

// renameNode returns node with its labels renamed by m. A bubble's argument
// follows: its ports take the new names of the legs, and its local labels
// that would collide with a new name are renamed fresh.
func (c *ctx) renameNode(node *network.Node, m map[string]string) *network.Node {
	out := *node
	out.Legs = make([]network.Leg, len(node.Legs))
	changed := false
	for i, leg := range node.Legs {
		nl := leg
		nl.Labels = make([]string, len(leg.Labels))
		nl.Dims = slices.Clone(leg.Dims)
		for p, l := range leg.Labels {
			nl.Labels[p] = mapLabel(m, l)
			changed = changed || nl.Labels[p] != l
		}
		out.Legs[i] = nl
	}
	if node.Bubble == nil || !changed {
		return &out
	}
	ports := map[string]string{}
	for _, leg := range node.Legs {
		for _, l := range leg.Labels {
			ports[l] = mapLabel(m, l)
		}
	}
	b := *node.Bubble
	b.Args = make([]*network.Expr, len(node.Bubble.Args))
	for i, a := range node.Bubble.Args {
		b.Args[i] = c.renameScope(a, ports)
		// The subscript leg is a port of the argument: it follows.
		if k := slices.Index(a.Output, node.Bubble.Leg); k >= 0 {
			b.Leg = b.Args[i].Output[k]
		}
	}
	out.Bubble = &b
	return &out
}

// renameScope renames the ports of an argument by ports (labels it lacks stay)
// and renames fresh every other label of it that collides with a new name.
func (c *ctx) renameScope(x *network.Expr, ports map[string]string) *network.Expr {
	targets := map[string]bool{}
	for _, v := range ports {
		targets[v] = true
	}
	outMap := map[string]string{}
	for _, l := range x.Output {
		if r, ok := ports[l]; ok {
			outMap[l] = r
		} else if targets[l] {
			outMap[l] = c.fresh(l)
		}
	}
	terms := make([]*network.Term, len(x.Terms))
	for i, t := range x.Terms {
		m := map[string]string{}
		for _, l := range labelsOf(t.Net) {
			switch r, ok := outMap[l]; {
			case ok:
				m[l] = r
			case targets[l] && !slices.Contains(x.Output, l):
				m[l] = c.fresh(l)
			}
		}
		terms[i] = &network.Term{Coef: t.Coef, Net: c.renameNet(t.Net, m), Pos: t.Pos}
	}
	groups := make([][]string, len(x.OutputGroups))
	for i, g := range x.OutputGroups {
		groups[i] = make([]string, len(g))
		for p, l := range g {
			groups[i][p] = mapLabel(outMap, l)
		}
	}
	return c.expr(groups, terms)
}

// renameNet returns n with labels renamed by m, output included.
func (c *ctx) renameNet(n *network.Network, m map[string]string) *network.Network {
	nodes := make([]*network.Node, len(n.Nodes))
	for i, node := range n.Nodes {
		nodes[i] = c.renameNode(node, m)
	}
	groups := make([][]string, len(n.OutputGroups))
	for i, g := range n.OutputGroups {
		groups[i] = make([]string, len(g))
		for p, l := range g {
			groups[i][p] = mapLabel(m, l)
		}
	}
	return c.net(nodes, groups)
}

// instantiate returns the nodes of network n with its output labels renamed by
// out and every other label fresh: a copy that can be spliced into another
// network without capturing its labels.
func (c *ctx) instantiate(n *network.Network, out map[string]string) []*network.Node {
	m := map[string]string{}
	for _, l := range labelsOf(n) {
		if r, ok := out[l]; ok {
			m[l] = r
		} else {
			m[l] = c.fresh(l)
		}
	}
	return c.renameNet(n, m).Nodes
}

// avoid renames the labels of n that are in names, and are not its output
// labels, to fresh ones.
func (c *ctx) avoid(n *network.Network, names map[string]bool) *network.Network {
	m := map[string]string{}
	for _, l := range labelsOf(n) {
		if names[l] && !slices.Contains(n.Output, l) {
			m[l] = c.fresh(l)
		}
	}
	if len(m) == 0 {
		return n
	}
	return c.renameNet(n, m)
}

// dataLegs returns a node's legs in the order of its data axes (a transposed
// node lists them reversed).
func dataLegs(node *network.Node) []network.Leg {
	if !node.Transpose {
		return node.Legs
	}
	legs := slices.Clone(node.Legs)
	slices.Reverse(legs)
	return legs
}

// without returns nodes less the one at index k.
func without(nodes []*network.Node, k int) []*network.Node {
	return slices.Concat(nodes[:k], nodes[k+1:])
}
