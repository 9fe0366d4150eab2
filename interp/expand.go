package interp

import (
	"fmt"
	"math"
	"strings"

	"github.com/strand-tn/strand/contract"
	"github.com/strand-tn/strand/tensor"
)

// Factor is one tensor of a term's contraction, with a name to draw and a leg
// name per axis.
type Factor[T Float] struct {
	Name string
	Legs []string
	Data *tensor.Dense[T]
}

// Term is one term of the path expansion of an attention-only model with
// frozen attention (Elhage et al. 2021, "A Mathematical Framework for
// Transformer Circuits", §"Path expansion"): the embedding x⁰ carried through
// the heads of Path, one head per layer in increasing layer order:
//
//	t_∅ = x⁰,   t_{P,h} = A^h · LN_h(t_P) · W_V^h W_O^h
//
// with rows as positions (x·W convention), A^h the frozen pattern of head
// h and LN_h the block's LayerNorm with its scale σ frozen, which makes it
// linear: LN(t)_pm = Σ_n t_pn C_nm w_m / σ_p with C = I − 𝟙𝟙ᵀ/d_model the
// centering matrix (identity without LayerNorm). The empty path is the
// direct path, one head is a single head, two heads in different layers a
// virtual head (V-composition), and so on. Biases, which are constant, are
// collected in one extra term (Bias) that models without biases lack.
type Term[T Float] struct {
	Path []Head
	Bias bool
	// Resid is the term's contribution to the residual stream that enters
	// the final LayerNorm [pos, d_model]; the terms sum to it.
	Resid *tensor.Dense[T]
	// Logits is its contribution to the logits [pos, d_vocab]; the terms sum
	// to the model's logits.
	Logits *tensor.Dense[T]
	// Factors and Output describe Logits as a single contraction:
	// Logits[Output] = Σ over the other legs of Π Factors.
	Factors []Factor[T]
	Output  []string
}

// Name labels the term: "direct", "L0H3", "L0H3→L1H2" or "bias".
func (t *Term[T]) Name() string { return pathName(t.Path, t.Bias) }

func pathName(path []Head, bias bool) string {
	if bias {
		return "bias"
	}
	if len(path) == 0 {
		return "direct"
	}
	s := make([]string, len(path))
	for i, h := range path {
		s[i] = h.String()
	}
	return strings.Join(s, "→")
}

// Spec returns the contraction of the term's factors as a contract.Spec;
// contract.Einsum(t.Spec(), t.Operands()...) equals Logits.
func (t *Term[T]) Spec() contract.Spec { return factorSpec(t.Factors, t.Output) }

// Operands returns the factors' tensors in the order of Spec.
func (t *Term[T]) Operands() []*tensor.Dense[T] { return factorData(t.Factors) }

func factorSpec[T Float](fs []Factor[T], out []string) contract.Spec {
	s := contract.Spec{Output: out}
	for _, f := range fs {
		s.Inputs = append(s.Inputs, f.Legs)
	}
	return s
}

func factorData[T Float](fs []Factor[T]) []*tensor.Dense[T] {
	out := make([]*tensor.Dense[T], len(fs))
	for i, f := range fs {
		out[i] = f.Data
	}
	return out
}

// Expansion is the path expansion of one forward pass.
type Expansion[T Float] struct {
	Tokens []int
	Run    *Result[T] // the forward pass whose patterns and LayerNorm scales are frozen
	Terms  []*Term[T] // Π_l (1 + n_head) path terms in order of length, then the bias term if any

	p      *Params[T]
	hasLN  bool
	center *tensor.Dense[T]   // C = I − 𝟙𝟙ᵀ/d_model, shared by the factors
	bias   []*tensor.Dense[T] // bias[l]: the bias term's residual entering block l (l = n_layer: the final one)
}

// Expand runs an attention-only model on tokens, freezes its attention
// patterns (and LayerNorm scales), and expands the output into path terms.
// For two layers of n₀ and n₁ heads there are 1 + n₀ + n₁ + n₀n₁ terms.
func Expand[T Float](p *Params[T], tokens []int) (*Expansion[T], error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	c := p.Config
	if !c.AttnOnly {
		return nil, fmt.Errorf("interp: path expansion needs an attention-only model (MLPs are not linear)")
	}
	run, err := Run(p, tokens, RunOptions[T]{Cache: true})
	if err != nil {
		return nil, err
	}
	e := &Expansion[T]{Tokens: tokens, Run: run, p: p, hasLN: !c.NoLayerNorm}
	if e.hasLN {
		d := c.DModel
		e.center = tensor.Eye[T](d).AddScaled(T(-1/float64(d)), tensor.Zeros[T](d, d).Fill(1))
	}
	x0 := tensor.Add(run.Cache.Get(0, HookEmbed), run.Cache.Get(0, HookPosEmbed))
	// Path terms, by increasing length: extend every term by every head of
	// a later layer than its last.
	direct := &Term[T]{Resid: x0}
	e.Terms = []*Term[T]{direct}
	for i := 0; i < len(e.Terms); i++ {
		t := e.Terms[i]
		from := 0
		if len(t.Path) > 0 {
			from = t.Path[len(t.Path)-1].Layer + 1
		}
		for l := from; l < c.NLayer; l++ {
			for h := range c.NHead {
				hd := Head{l, h}
				path := append(append([]Head(nil), t.Path...), hd)
				e.Terms = append(e.Terms, &Term[T]{Path: path, Resid: e.throughHead(hd, t.Resid, false)})
			}
		}
	}
	// The bias term: everything constant, carried through every head.
	e.bias = []*tensor.Dense[T]{tensor.Zeros[T](len(tokens), c.DModel)}
	for l := range c.NLayer {
		b := e.bias[l].Clone()
		for h := range c.NHead {
			b = tensor.Add(b, e.throughHead(Head{l, h}, e.bias[l], true))
		}
		addBias(b.Data(), p.Blocks[l].BO.Contiguous().Data())
		e.bias = append(e.bias, b)
	}
	if p.hasBias() {
		e.Terms = append(e.Terms, &Term[T]{Bias: true, Resid: e.bias[c.NLayer]})
	}
	for _, t := range e.Terms {
		e.unembed(t)
	}
	return e, nil
}

// hasBias reports whether any bias that reaches the path expansion is non-zero.
func (p *Params[T]) hasBias() bool {
	nz := func(t *tensor.Dense[T]) bool { return t != nil && t.MaxAbs() != 0 }
	if nz(p.LNFinal.B) {
		return true
	}
	for _, b := range p.Blocks {
		if nz(b.BQ) || nz(b.BK) || nz(b.BV) || nz(b.BO) || nz(b.LN1.B) {
			return true
		}
	}
	return false
}

// frozenLN applies the linear part of a LayerNorm with frozen scale σ:
// y_pm = (t_pm − mean_n t_pn) w_m / σ_p; without LayerNorm y = t.
func (e *Expansion[T]) frozenLN(ln LayerNorm[T], sigma *tensor.Dense[T], t *tensor.Dense[T]) *tensor.Dense[T] {
	if !e.hasLN {
		return t
	}
	n, d := t.Dim(0), t.Dim(1)
	y := tensor.Zeros[T](n, d)
	layerNormApply(y.Data(), t.Contiguous().Data(), sigma.Data(), ln.W.Contiguous().Data(), make([]T, d), d)
	return y
}

// lnInput returns block l's frozen LayerNorm of t, plus its bias when withBias.
func (e *Expansion[T]) lnInput(l int, t *tensor.Dense[T], withBias bool) *tensor.Dense[T] {
	b := e.p.Blocks[l]
	y := e.frozenLN(b.LN1, e.Run.Cache.Get(l, HookLN1Scale), t)
	if withBias && e.hasLN {
		y = y.Clone()
		addBias(y.Data(), b.LN1.B.Contiguous().Data())
	}
	return y
}

// throughHead returns A^h · LN(t) · W_V W_O, and with withBias the bias
// parts too: A^h ((LN(t) + b_ln) W_V + b_V) W_O.
func (e *Expansion[T]) throughHead(hd Head, t *tensor.Dense[T], withBias bool) *tensor.Dense[T] {
	b := e.p.Blocks[hd.Layer]
	v := ein(specVHead, e.lnInput(hd.Layer, t, withBias), b.WV.Index(1, hd.Head))
	if withBias {
		addBias(v.Data(), b.BV.Index(0, hd.Head).Contiguous().Data())
	}
	a := e.Run.Cache.Get(hd.Layer, HookPattern).Index(0, hd.Head)
	return ein(specOHead, ein(specPattern, a, v), b.WO.Index(0, hd.Head))
}

var (
	specVHead   = mustSpec("p m, m e -> p e")
	specPattern = mustSpec("q p, p e -> q e")
	specOHead   = mustSpec("q e, e m -> q m")
	specKey     = mustSpec("q e, k e -> q k")
)

// unembed sets t.Logits and t.Factors from t.Resid.
func (e *Expansion[T]) unembed(t *Term[T]) {
	p := e.p
	final := e.frozenLN(p.LNFinal, e.Run.Cache.Get(0, HookLNFinalScale), t.Resid)
	var fs []Factor[T]
	var pos, hid string
	if t.Bias {
		final = final.Clone()
		if e.hasLN {
			addBias(final.Data(), p.LNFinal.B.Contiguous().Data())
		}
		// The bias term's factors start after the final LayerNorm.
		fs, pos, hid = []Factor[T]{{"bias", []string{"p", "n"}, final}}, "p", "n"
	} else {
		fs, pos, hid = e.chain(t.Path, "")
		fs, hid = e.lnFactors(fs, "ln_final", e.Run.Cache.Get(0, HookLNFinalScale), p.LNFinal, pos, hid, "nf")
	}
	if p.WU != nil {
		t.Logits = ein(specUnembed, final, p.WU)
		fs = append(fs, Factor[T]{"W_U", []string{hid, "v"}, p.WU})
	} else {
		t.Logits = ein(specUnembedTied, final, p.WE)
		fs = append(fs, Factor[T]{"W_E", []string{"v", hid}, p.WE})
	}
	t.Factors, t.Output = fs, []string{pos, "v"}
}

// chain returns the factors of the residual-stream term of path, before
// any final map: x⁰[p0 m0], then per head the block's frozen LayerNorm,
// A[p(i+1) p(i)], W_V[· e(i+1)], W_O[e(i+1) m(i+1)]. Leg names carry prefix.
func (e *Expansion[T]) chain(path []Head, prefix string) (fs []Factor[T], pos, hid string) {
	p, cache := e.p, e.Run.Cache
	pos, hid = prefix+"p0", prefix+"m0"
	x0 := tensor.Add(cache.Get(0, HookEmbed), cache.Get(0, HookPosEmbed))
	fs = []Factor[T]{{"x", []string{pos, hid}, x0}}
	for i, hd := range path {
		b := p.Blocks[hd.Layer]
		fs, hid = e.lnFactors(fs, fmt.Sprintf("ln1.%d", hd.Layer), cache.Get(hd.Layer, HookLN1Scale), b.LN1, pos, hid, fmt.Sprintf("%sn%d", prefix, i))
		next, eLeg, mLeg := fmt.Sprintf("%sp%d", prefix, i+1), fmt.Sprintf("%se%d", prefix, i+1), fmt.Sprintf("%sm%d", prefix, i+1)
		fs = append(fs,
			Factor[T]{"A " + hd.String(), []string{next, pos}, cache.Get(hd.Layer, HookPattern).Index(0, hd.Head)},
			Factor[T]{"W_V " + hd.String(), []string{hid, eLeg}, b.WV.Index(1, hd.Head)},
			Factor[T]{"W_O " + hd.String(), []string{eLeg, mLeg}, b.WO.Index(0, hd.Head)})
		pos, hid = next, mLeg
	}
	return fs, pos, hid
}

// lnFactors appends the frozen LayerNorm C[hid out] σ⁻¹[pos] w[out] and
// returns the new hidden leg (hid itself without LayerNorm).
func (e *Expansion[T]) lnFactors(fs []Factor[T], name string, sigma *tensor.Dense[T], ln LayerNorm[T], pos, hid, out string) ([]Factor[T], string) {
	if !e.hasLN {
		return fs, hid
	}
	return append(fs,
		Factor[T]{"C", []string{hid, out}, e.center},
		Factor[T]{"1/σ " + name, []string{pos}, sigma.Map(func(s T) T { return 1 / s })},
		Factor[T]{"w " + name, []string{out}, ln.W}), out
}

// QKTerm is one term of the attention scores of a head with frozen
// attention in the layers before it: the head's input is a sum of path terms
// (and the bias term), and its scores, bilinear in the input,
//
//	s_qk = Σ_{a,b} (LN(t_a) W_Q)_q · (LN(t_b) W_K)_k / √d_head
//
// split into one term per pair (a on the query side, b on the key side). For
// a second-layer head that is (1 + n_head)² terms: direct·direct, the
// Q-composition terms (head, direct), the K-composition terms (direct,
// head), and head·head.
type QKTerm[T Float] struct {
	Query, Key *Term[T] // the path terms on each side (Resid is their residual part)
	// Scores is the term's contribution to the pre-softmax scores
	// [pos_q, pos_k] (every entry, including those the causal mask hides).
	Scores  *tensor.Dense[T]
	Factors []Factor[T]
	Output  []string
}

// Name labels the term "query side · key side", e.g. "direct·L0H1".
func (t *QKTerm[T]) Name() string { return t.Query.Name() + "·" + t.Key.Name() }

// Spec returns the contraction giving Scores.
func (t *QKTerm[T]) Spec() contract.Spec { return factorSpec(t.Factors, t.Output) }

// Operands returns the factors' tensors in the order of Spec.
func (t *QKTerm[T]) Operands() []*tensor.Dense[T] { return factorData(t.Factors) }

// QKTerms expands the attention scores of head hd (which may be in any
// layer) into the query/key terms of its input. Biases (b_Q, b_K and those
// of the bias term) are on the bias side of the pairs.
func (e *Expansion[T]) QKTerms(hd Head) ([]*QKTerm[T], error) {
	if err := e.p.Config.checkHead(hd); err != nil {
		return nil, err
	}
	var inputs []*Term[T]
	for _, t := range e.Terms {
		if !t.Bias && (len(t.Path) == 0 || t.Path[len(t.Path)-1].Layer < hd.Layer) {
			inputs = append(inputs, t)
		}
	}
	if e.p.hasBias() {
		inputs = append(inputs, &Term[T]{Bias: true, Resid: e.bias[hd.Layer]})
	}
	scale := T(1 / math.Sqrt(float64(e.p.Config.DHead)))
	var out []*QKTerm[T]
	for _, a := range inputs {
		qa, qf, qpos := e.qkSide(hd, a, "q")
		for _, k := range inputs {
			kb, kf, kpos := e.qkSide(hd, k, "k")
			fs := append(append(append([]Factor[T](nil), qf...), kf...), Factor[T]{"1/√d_head", nil, tensor.Scalar(scale)})
			out = append(out, &QKTerm[T]{Query: a, Key: k, Scores: ein(specKey, qa, kb).Scale(scale), Factors: fs, Output: []string{qpos, kpos}})
		}
	}
	return out, nil
}

// qkSide returns one side of head hd's QK terms for input term t: the
// queries (side "q") or keys ("k") LN(t)·W [pos, d_head], plus the bias b_Q
// or b_K for the bias term; and their factors: the input's chain, the
// head's frozen LayerNorm and W_Q or W_K [· e]. The bias side is a single
// precomputed factor.
func (e *Expansion[T]) qkSide(hd Head, t *Term[T], side string) (*tensor.Dense[T], []Factor[T], string) {
	b := e.p.Blocks[hd.Layer]
	w, bias, wName := b.WQ, b.BQ, "W_Q"
	if side == "k" {
		w, bias, wName = b.WK, b.BK, "W_K"
	}
	y := ein(specVHead, e.lnInput(hd.Layer, t.Resid, t.Bias), w.Index(1, hd.Head))
	if t.Bias {
		addBias(y.Data(), bias.Index(0, hd.Head).Contiguous().Data())
		return y, []Factor[T]{{"bias " + wName, []string{side + "p", "e"}, y}}, side + "p"
	}
	fs, pos, hid := e.chain(t.Path, side)
	fs, hid = e.lnFactors(fs, fmt.Sprintf("ln1.%d", hd.Layer), e.Run.Cache.Get(hd.Layer, HookLN1Scale), b.LN1, pos, hid, side+"n")
	return y, append(fs, Factor[T]{wName + " " + hd.String(), []string{hid, "e"}, w.Index(1, hd.Head)}), pos
}

// StripeMean returns the mean of x[q, q−n+1] over q = n+1 … 2n: a pattern's
// or score's value on the induction stripe of a start token followed by n
// tokens repeated twice.
func StripeMean[T Float](x *tensor.Dense[T], n int) float64 {
	var s float64
	for q := n + 1; q <= 2*n; q++ {
		s += float64(x.At(q, q-n+1))
	}
	return s / float64(n)
}
