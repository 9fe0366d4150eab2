package grad

import (
	"fmt"
	"math"
	"slices"

	"github.com/strand-tn/strand/contract"
	"github.com/strand-tn/strand/network"
)

// Derive returns the derivative of the expression x with respect to the
// tensor named wrt, as an expression whose free legs are x's followed by one
// new leg per data axis of wrt (named after the legs of its first
// occurrence):
//
//	(∂x/∂T)[o…, w…] = ∂x[o…] / ∂T[w…]
//
// A network is multilinear in its tensors, so its derivative with respect to
// one occurrence of T is the network with a hole where T was, the hole's legs
// joined to the new free legs by identities; by the product rule, k
// occurrences give the sum of the k holed networks. A matrix inverse gives
// ∂(X⁻¹)_ab/∂X_cd = −(X⁻¹)_ac (X⁻¹)_db; a diagonal tensor (data: its diagonal
// vector) a copy tensor over its legs and the new one. A function bubble
// f(u) gives, by the chain rule, its Jacobian contracted with ∂u/∂T: for an
// elementwise f, the Hadamard product f′(u) ⊙ ∂u/∂T, written by sharing the
// legs of f′(u) and ∂u/∂T (a copy tensor); for softmax_k, s_k δ_kk′ − s_k s_k′;
// for the functions that consume their leg, the gradient of the reduction
// (sum: ones; max: hardmax_k; logsumexp: softmax_k; …). The rules are listed
// in docs/derivatives.md. Differentiating the result again gives higher
// derivatives (Hessians).
//
// The result is not simplified: identities and copy tensors remain where the
// holes were. [Simplify] removes them. Derivatives are real derivatives:
// conjugation is taken as the identity.
func Derive(x *network.Expr, wrt string) (*network.Expr, error) {
	c := newCtx()
	if err := c.addExpr(x); err != nil {
		return nil, err
	}
	first := firstOccurrence(x, wrt)
	if first == nil {
		return nil, fmt.Errorf("grad: the expression does not contain tensor %s", wrt)
	}
	W := c.holeAxes(first, x.Output)
	return c.deriveExpr(x, wrt, W)
}

// firstOccurrence returns the first node that holds tensor name, looking
// into bubbles, or nil.
func firstOccurrence(x *network.Expr, name string) *network.Node {
	for _, t := range x.Terms {
		for _, node := range t.Net.Nodes {
			if node.Kind.HasData() && node.Name == name {
				return node
			}
			if node.Bubble != nil {
				for _, a := range node.Bubble.Args {
					if n := firstOccurrence(a, name); n != nil {
						return n
					}
				}
			}
		}
	}
	return nil
}

// holeAxes names the new free legs of a derivative: one group per data axis
// of the tensor, after the labels of the occurrence, made distinct from the
// expression's free legs.
func (c *ctx) holeAxes(node *network.Node, output []string) [][]string {
	taken := map[string]bool{}
	for _, l := range output {
		taken[l] = true
	}
	legs := dataLegs(node)
	if node.Kind == network.Diagonal {
		legs = legs[:1]
	}
	W := make([][]string, len(legs))
	for a, leg := range legs {
		for _, l := range leg.Labels {
			name := l
			if taken[name] {
				name = c.fresh(l)
			}
			taken[name] = true
			W[a] = append(W[a], name)
		}
	}
	return W
}

// deriveExpr differentiates x with respect to tensor w; W are the new free
// legs, distinct from x's free legs.
func (c *ctx) deriveExpr(x *network.Expr, w string, W [][]string) (*network.Expr, error) {
	wNames := map[string]bool{}
	for _, l := range flatten(W) {
		wNames[l] = true
	}
	groups := append(cloneGroups(x.OutputGroups), cloneGroups(W)...)
	var terms []*network.Term
	for _, t := range x.Terms {
		n := c.avoid(t.Net, wNames)
		for k, node := range n.Nodes {
			var parts []partial
			var err error
			switch {
			case node.Kind.HasData() && node.Name == w:
				parts, err = c.hole(n, k, W)
			case node.Bubble != nil && contains(node, w):
				parts, err = c.chain(n, k, w, W, wNames)
			}
			if err != nil {
				return nil, err
			}
			for _, p := range parts {
				terms = append(terms, &network.Term{Coef: t.Coef * p.coef, Net: c.net(p.nodes, groups), Pos: t.Pos})
			}
		}
	}
	return c.expr(groups, terms), nil
}

// partial is one product of a derivative: coef times the nodes.
type partial struct {
	coef  float64
	nodes []*network.Node
}

// contains reports whether a bubble reads tensor w.
func contains(node *network.Node, w string) bool {
	for _, a := range node.Bubble.Args {
		if firstOccurrence(a, w) != nil {
			return true
		}
	}
	return false
}

// hole returns network n with node k taken out and its legs joined to the
// new free legs W.
func (c *ctx) hole(n *network.Network, k int, W [][]string) ([]partial, error) {
	node := n.Nodes[k]
	rest := without(n.Nodes, k)
	legs := dataLegs(node)
	for _, leg := range legs {
		if leg.Offset != 0 {
			return nil, fmt.Errorf("grad: tensor %s has a shifted leg", node.Display())
		}
	}
	switch {
	case node.Inverse:
		// ∂(X⁻¹)_ab/∂X_cd = −(X⁻¹)_ac (X⁻¹)_db.
		if len(legs) != 2 || len(W) != 2 {
			return nil, fmt.Errorf("grad: the inverse %s needs two legs", node.Display())
		}
		left, right := *node, *node
		left.Transpose, right.Transpose = false, false
		left.Legs = []network.Leg{legs[0], c.leg(W[0]...)}
		right.Legs = []network.Leg{c.leg(W[1]...), legs[1]}
		return []partial{{-1, append(rest, &left, &right)}}, nil
	case node.Kind == network.Diagonal:
		var labels []string
		for _, leg := range legs {
			if len(leg.Labels) != 1 {
				return nil, fmt.Errorf("grad: diagonal tensor %s has a grouped leg %s", node.Display(), leg)
			}
			labels = append(labels, leg.Labels[0])
		}
		return []partial{{1, append(rest, c.delta(append(labels, W[0][0])...))}}, nil
	}
	if len(legs) != len(W) {
		return nil, fmt.Errorf("grad: tensor %s occurs with %d legs and with %d", node.Display(), len(W), len(legs))
	}
	for a, leg := range legs {
		if len(leg.Labels) != len(W[a]) {
			return nil, fmt.Errorf("grad: tensor %s groups its leg %s differently in different places", node.Display(), leg)
		}
		for p, l := range leg.Labels {
			if c.sizes[l] != c.sizes[W[a][p]] {
				return nil, fmt.Errorf("grad: leg %s of %s has size %d where %s has %d", l, node.Display(), c.sizes[l], W[a][p], c.sizes[W[a][p]])
			}
			rest = append(rest, c.identity(l, W[a][p]))
		}
	}
	return []partial{{1, rest}}, nil
}

// jterm is one term of a function's Jacobian in network form: coef times
// nodes, with the argument's derivative attached to the labels ports gives
// its free legs.
type jterm struct {
	coef  float64
	nodes []*network.Node
	ports map[string]string
}

// chain applies the chain rule to the bubble at node k of n:
// ∂f(u)/∂T = J_f(u) · ∂u/∂T.
func (c *ctx) chain(n *network.Network, k int, w string, W [][]string, wNames map[string]bool) ([]partial, error) {
	node := n.Nodes[k]
	b := node.Bubble
	if len(b.Args) != 1 {
		return nil, fmt.Errorf("grad: function %s takes one tensor argument, got %d", b.Func, len(b.Args))
	}
	if b.Consumes && wNames[b.Leg] {
		// The consumed leg is local to the argument: move it out of the way.
		nb := *b
		nb.Leg = c.fresh(b.Leg)
		nb.Args = []*network.Expr{c.renameScope(b.Args[0], map[string]string{b.Leg: nb.Leg})}
		nn := *node
		nn.Bubble = &nb
		node, b = &nn, &nb
	}
	du, err := c.deriveExpr(b.Args[0], w, W)
	if err != nil || len(du.Terms) == 0 {
		return nil, err
	}
	rule, ok := rules[b.Func]
	if !ok {
		return nil, fmt.Errorf("grad: no derivative rule for function %s", b.Func)
	}
	jac, err := rule(c, node)
	if err != nil {
		return nil, err
	}
	rest := without(n.Nodes, k)
	var out []partial
	for _, j := range jac {
		for _, t := range du.Terms {
			m := map[string]string{}
			for l, r := range j.ports {
				m[l] = r
			}
			for _, l := range flatten(W) {
				m[l] = l
			}
			nodes := slices.Concat(rest, j.nodes, c.instantiate(t.Net, m))
			out = append(out, partial{j.coef * t.Coef, nodes})
		}
	}
	return out, nil
}

// A rule returns the Jacobian of the function at a bubble node, as a sum of
// network terms whose ports say where ∂u/∂T's free legs attach.
type rule func(c *ctx, node *network.Node) ([]jterm, error)

// rules are the derivatives of the functions of package contract, in
// network form (see docs/derivatives.md).
var rules = map[string]rule{}

func init() {
	elementwiseRules := map[string]func(e *elem) []jterm{
		"exp":      func(e *elem) []jterm { return e.one(1, e.call("exp", e.u)) },
		"log":      func(e *elem) []jterm { return e.one(1, e.call("inv", e.u)) },
		"sqrt":     func(e *elem) []jterm { return e.one(0.5, e.call("inv", e.wrap(e.call("sqrt", e.u)))) },
		"abs":      func(e *elem) []jterm { return e.one(1, e.call("sign", e.u)) },
		"relu":     func(e *elem) []jterm { return e.one(1, e.call("step", e.u)) },
		"sin":      func(e *elem) []jterm { return e.one(1, e.call("cos", e.u)) },
		"cos":      func(e *elem) []jterm { return e.one(-1, e.call("sin", e.u)) },
		"softplus": func(e *elem) []jterm { return e.one(1, e.call("sigmoid", e.u)) },
		"neg":      func(e *elem) []jterm { return e.one(-1) },
		"square":   func(e *elem) []jterm { return e.times(2, e.u) },
		"inv":      func(e *elem) []jterm { return e.one(-1, e.call("inv", e.u), e.call("inv", e.u)) },
		"tanh":     func(e *elem) []jterm { return append(e.one(1), e.one(-1, e.call("tanh", e.u), e.call("tanh", e.u))...) },
		"sigmoid":  sigmoidRule,
		"σ":        sigmoidRule,
		"pow":      powRule,
		"gelu": func(e *elem) []jterm {
			return append(e.one(1, e.call("Φ", e.u)), e.times(1/math.Sqrt(2*math.Pi), e.u, e.gauss())...)
		},
		"Φ":        func(e *elem) []jterm { return e.one(1/math.Sqrt(2*math.Pi), e.gauss()) },
		"normcdf":  func(e *elem) []jterm { return e.one(1/math.Sqrt(2*math.Pi), e.gauss()) },
		"gelu_new": geluNewRule,
		"sign":     func(*elem) []jterm { return nil },
		"step":     func(*elem) []jterm { return nil },
	}
	for name, r := range elementwiseRules {
		rules[name] = func(c *ctx, node *network.Node) ([]jterm, error) {
			e, err := newElem(c, node)
			if err != nil {
				return nil, err
			}
			return r(e), nil
		}
	}
	for name, r := range map[string]func(a *along) []jterm{
		"sum":        func(a *along) []jterm { return a.moved(1) },
		"mean":       func(a *along) []jterm { return a.moved(1 / float64(a.c.sizes[a.k])) },
		"norm":       normRule,
		"logsumexp":  func(a *along) []jterm { return a.moved(1, a.movedCall("softmax", false)) },
		"prod":       func(a *along) []jterm { return a.moved(1, a.node, a.movedInv()) },
		"max":        func(a *along) []jterm { return a.moved(1, a.movedCall("hardmax", false)) },
		"min":        func(a *along) []jterm { return a.moved(1, a.movedCall("hardmin", false)) },
		"softmax":    softmaxRule,
		"logsoftmax": func(a *along) []jterm { return append(a.same(1), a.moved(-1, a.movedCall("softmax", false))...) },
		"layernorm":  layernormRule,
		"hardmax":    func(*along) []jterm { return nil },
		"hardmin":    func(*along) []jterm { return nil },
	} {
		rules[name] = func(c *ctx, node *network.Node) ([]jterm, error) {
			a, err := newAlong(c, node)
			if err != nil {
				return nil, err
			}
			return r(a), nil
		}
	}
}

// elem builds the Jacobian of an elementwise function f(u)[L]: a diagonal,
// so its terms are functions of u on the legs L themselves.
type elem struct {
	c      *ctx
	node   *network.Node
	u      *network.Expr
	legs   []string
	params []float64
	ports  map[string]string
}

func newElem(c *ctx, node *network.Node) (*elem, error) {
	b := node.Bubble
	if b.Leg != "" {
		return nil, fmt.Errorf("grad: %s is elementwise and takes no subscript leg (_%s)", b.Func, b.Leg)
	}
	if n := len(b.Params); n != 0 && b.Func != "pow" || b.Func == "pow" && n != 1 {
		return nil, fmt.Errorf("grad: %s takes %d numeric parameters, got %d", b.Func, boolInt(b.Func == "pow"), n)
	}
	e := &elem{c: c, node: node, u: b.Args[0], params: b.Params, ports: map[string]string{}}
	for _, leg := range node.Legs {
		e.legs = append(e.legs, leg.Labels...)
	}
	for _, l := range e.u.Output {
		e.ports[l] = l
	}
	return e, nil
}

// call returns the node f(arg)[L].
func (e *elem) call(fn string, arg *network.Expr, params ...float64) *network.Node {
	return e.c.bubble(fn, "", false, params, arg, e.legs)
}

// wrap returns the expression of one node on the legs L.
func (e *elem) wrap(node *network.Node) *network.Expr {
	return e.c.single(e.c.net([]*network.Node{node}, singletons(e.legs)))
}

// one is the Jacobian coef · Π nodes (on the legs L).
func (e *elem) one(coef float64, nodes ...*network.Node) []jterm {
	return []jterm{{coef, nodes, e.ports}}
}

// times is coef · x · Π nodes for an expression x on the legs L: one term per
// term of x.
func (e *elem) times(coef float64, x *network.Expr, nodes ...*network.Node) []jterm {
	var out []jterm
	for _, t := range x.Terms {
		copies := e.c.instantiate(t.Net, e.ports)
		out = append(out, jterm{coef * t.Coef, slices.Concat(copies, nodes), e.ports})
	}
	return out
}

// gauss returns exp(−½ u²), so that φ(u) = gauss/√(2π).
func (e *elem) gauss() *network.Node {
	sq := e.c.net([]*network.Node{e.call("square", e.u)}, singletons(e.legs))
	return e.call("exp", e.c.expr(singletons(e.legs), []*network.Term{{Coef: -0.5, Net: sq}}))
}

// σ′ = σ(1 − σ) = σ − σσ.
func sigmoidRule(e *elem) []jterm {
	fn := e.node.Bubble.Func
	return append(e.one(1, e.call(fn, e.u)), e.one(-1, e.call(fn, e.u), e.call(fn, e.u))...)
}

// pow′(u, p) = p·pow(u, p−1); p−1 = 0 and 1 are written as 1 and u.
func powRule(e *elem) []jterm {
	p := e.params[0]
	switch p {
	case 0:
		return nil
	case 1:
		return e.one(1)
	case 2:
		return e.times(2, e.u)
	}
	return e.one(p, e.call("pow", e.u, p-1))
}

// gelu_new′(x) = ½(1 + t) + ½x(1 − t²)·c(1 + 3a x²), t = tanh(c(x + a x³)),
// c = √(2/π), a = 0.044715, expanded into
// ½ + ½t + (c/2)x + (3ac/2)x³ − (c/2)x t² − (3ac/2)x³t².
func geluNewRule(e *elem) []jterm {
	const a = 0.044715
	cc := math.Sqrt(2 / math.Pi)
	cube := func() *network.Node { return e.call("pow", e.u, 3) }
	var vt []*network.Term
	for _, t := range e.u.Terms {
		vt = append(vt, &network.Term{Coef: cc * t.Coef, Net: e.c.net(e.c.instantiate(t.Net, e.ports), singletons(e.legs))})
	}
	vt = append(vt, &network.Term{Coef: cc * a, Net: e.c.net([]*network.Node{cube()}, singletons(e.legs))})
	v := e.c.expr(singletons(e.legs), vt)
	th := func() *network.Node { return e.call("tanh", v) }
	return slices.Concat(
		e.one(0.5),
		e.one(0.5, th()),
		e.times(cc/2, e.u),
		e.one(3*a*cc/2, cube()),
		e.times(-cc/2, e.u, th(), th()),
		e.one(-3*a*cc/2, cube(), th(), th()),
	)
}

// along builds the Jacobian of a function that acts along leg k of its
// argument u: a reduction f(u)[L] (L = u's legs less k) or a normalisation
// f(u)[L] (k among L). Terms either keep ∂u/∂T on k (same) or move it to a
// fresh leg k′ (moved), with u′ = u on k′ for the factors that need it.
type along struct {
	c     *ctx
	node  *network.Node
	u     *network.Expr
	k, k2 string
	legs  []string // the node's legs
	rest  []string // legs of u other than k
	u2    *network.Expr
	legs2 []string // rest with k2 where u has k
}

func newAlong(c *ctx, node *network.Node) (*along, error) {
	b := node.Bubble
	if b.Leg == "" {
		return nil, fmt.Errorf("grad: %s acts along a leg: write %s_k(…)", b.Func, b.Func)
	}
	if len(b.Params) != 0 {
		return nil, fmt.Errorf("grad: %s takes no numeric parameters, got %d", b.Func, len(b.Params))
	}
	if !slices.Contains(b.Args[0].Output, b.Leg) {
		return nil, fmt.Errorf("grad: %s_%s: leg %s is not a free leg of the argument", b.Func, b.Leg, b.Leg)
	}
	a := &along{c: c, node: node, u: b.Args[0], k: b.Leg, k2: c.fresh(b.Leg)}
	for _, leg := range node.Legs {
		a.legs = append(a.legs, leg.Labels...)
	}
	for _, l := range a.u.Output {
		if l == a.k {
			a.legs2 = append(a.legs2, a.k2)
		} else {
			a.rest = append(a.rest, l)
			a.legs2 = append(a.legs2, l)
		}
	}
	a.u2 = c.renameScope(a.u, map[string]string{a.k: a.k2})
	return a, nil
}

func (a *along) ports(k string) map[string]string {
	m := map[string]string{}
	for _, l := range a.u.Output {
		m[l] = l
	}
	m[a.k] = k
	return m
}

// same is the term coef · Π nodes · ∂u/∂T with ∂u/∂T on k.
func (a *along) same(coef float64, nodes ...*network.Node) []jterm {
	return []jterm{{coef, nodes, a.ports(a.k)}}
}

// moved is the term coef · Π nodes · ∂u/∂T with ∂u/∂T on k′.
func (a *along) moved(coef float64, nodes ...*network.Node) []jterm {
	return []jterm{{coef, nodes, a.ports(a.k2)}}
}

// movedCall returns g_k′(u′)[u's legs with k′].
func (a *along) movedCall(fn string, consumes bool) *network.Node {
	return a.c.bubble(fn, a.k2, consumes, nil, a.u2, a.legs2)
}

// movedInv returns inv(u′)[u's legs with k′].
func (a *along) movedInv() *network.Node {
	return a.c.bubble("inv", "", false, nil, a.u2, a.legs2)
}

// wrap returns the expression of one node on the legs given.
func (a *along) wrap(node *network.Node, legs []string) *network.Expr {
	return a.c.single(a.c.net([]*network.Node{node}, singletons(legs)))
}

// ∂ norm_k(u) / ∂u_k′ = u_k′ / norm_k(u).
func normRule(a *along) []jterm {
	inv := a.c.bubble("inv", "", false, nil, a.wrap(a.node, a.legs), a.legs)
	var out []jterm
	for _, t := range a.u2.Terms {
		copies := a.c.instantiate(t.Net, identityMap(a.u2.Output))
		out = append(out, a.moved(t.Coef, append(copies, inv)...)...)
	}
	return out
}

// ∂ softmax_k(u)_k / ∂u_k′ = s_k δ_kk′ − s_k s_k′.
func softmaxRule(a *along) []jterm {
	return append(a.same(1, a.node), a.moved(-1, a.node, a.movedCall("softmax", false))...)
}

// ∂ layernorm_k(u)_k / ∂u_k′ = r (δ_kk′ − 1/n − y_k y_k′/n) with y the
// layernorm and r = 1/√(var_k(u) + ε).
func layernormRule(a *along) []jterm {
	n := float64(a.c.sizes[a.k])
	r := func() *network.Node { return a.rstd() }
	return slices.Concat(
		a.same(1, r()),
		a.moved(-1/n, r()),
		a.moved(-1/n, r(), a.node, a.movedCall("layernorm", false)),
	)
}

// rstd returns 1/√(mean_k((u − mean_k u)²) + ε) on the legs other than k.
func (a *along) rstd() *network.Node {
	c := a.c
	mean := c.bubble("mean", a.k, true, nil, a.u, a.rest)
	var centered []*network.Term
	for _, t := range a.u.Terms {
		centered = append(centered, &network.Term{Coef: t.Coef, Net: c.net(c.instantiate(t.Net, identityMap(a.u.Output)), a.u.OutputGroups)})
	}
	centered = append(centered, &network.Term{Coef: -1, Net: c.net([]*network.Node{mean}, a.u.OutputGroups)})
	sq := c.bubble("square", "", false, nil, c.expr(a.u.OutputGroups, centered), a.u.Output)
	variance := c.bubble("mean", a.k, true, nil, c.single(c.net([]*network.Node{sq}, a.u.OutputGroups)), a.rest)
	inner := c.expr(singletons(a.rest), []*network.Term{
		{Coef: 1, Net: c.net([]*network.Node{variance}, singletons(a.rest))},
		{Coef: contract.LayerNormEpsilon, Net: c.net(nil, singletons(a.rest))},
	})
	sqrt := c.bubble("sqrt", "", false, nil, inner, a.rest)
	return c.bubble("inv", "", false, nil, a.wrap(sqrt, a.rest), a.rest)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func identityMap(labels []string) map[string]string {
	m := map[string]string{}
	for _, l := range labels {
		m[l] = l
	}
	return m
}
