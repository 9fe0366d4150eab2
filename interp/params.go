package interp

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/strand-tn/strand/tensor"
)

// Float is the element type of a model: float32 or float64.
type Float interface{ float32 | float64 }

// LayerNorm holds the gain W and bias B, both [d_model], of
//
//	LN(x)_m = (x_m − μ) / σ · W_m + B_m,  μ = mean_m x_m,  σ = √(var_m x_m + ε)
//
// (Ba, Kiros & Hinton 2016), with the biased variance. Both are nil in a model
// without LayerNorm.
type LayerNorm[T Float] struct {
	W, B *tensor.Dense[T]
}

// Block is one transformer block. With x the residual stream [pos, d_model]
// (rows are positions; weights act on the right, x·W, as in GPT-2's Conv1D):
//
//	q_phe = Σ_m LN1(x)_pm WQ_mhe + BQ_he    (k, v likewise)
//	s_hqk = Σ_e q_qhe k_khe / √d_head,  masked to −∞ for k > q
//	A_hqk = softmax_k s_hqk
//	z_qhe = Σ_k A_hqk v_khe
//	x ← x + Σ_he z_qhe WO_hem + BO_m
//	x ← x + gelu_new(LN2(x) WIn + BIn) WOut + BOut    (unless attention-only)
type Block[T Float] struct {
	LN1        LayerNorm[T]
	WQ, WK, WV *tensor.Dense[T] // [d_model, n_head, d_head]
	BQ, BK, BV *tensor.Dense[T] // [n_head, d_head]
	WO         *tensor.Dense[T] // [n_head, d_head, d_model]
	BO         *tensor.Dense[T] // [d_model]

	LN2  LayerNorm[T]
	WIn  *tensor.Dense[T] // [d_model, d_mlp]; nil when attention-only
	BIn  *tensor.Dense[T] // [d_mlp]
	WOut *tensor.Dense[T] // [d_mlp, d_model]
	BOut *tensor.Dense[T] // [d_model]
}

// Params are the weights of a model: every parameter is a field, and the
// forward pass ([Run], [Forward]) is a pure function of Params and tokens, so
// that an optimizer can update the fields in place between calls.
//
// The embedding is x⁰_pm = WE_{t_p,m} + WPos_pm; the logits are
// LN_f(x)·W_Eᵀ (tied, GPT-2) or LN_f(x)·W_U when Config.UntiedUnembed.
type Params[T Float] struct {
	Config  Config
	WE      *tensor.Dense[T] // [d_vocab, d_model]
	WPos    *tensor.Dense[T] // [n_ctx, d_model]
	Blocks  []Block[T]
	LNFinal LayerNorm[T]
	WU      *tensor.Dense[T] // [d_model, d_vocab]; nil when tied
}

// Param is one named parameter of a model.
type Param[T Float] struct {
	Name  string // strand's name, e.g. "blocks.0.attn.W_Q"
	Shape []int  // the shape the configuration asks for
	Ptr   **tensor.Dense[T]
}

// Params lists every parameter the configuration has, in a fixed order, with
// pointers to the fields of p (which must have len(Blocks) == NLayer). The
// names are strand's native ones (TransformerLens's, with d_model first in
// W_Q/W_K/W_V): W_E, W_pos, blocks.{i}.ln1.w, blocks.{i}.ln1.b,
// blocks.{i}.attn.{W_Q,W_K,W_V,b_Q,b_K,b_V,W_O,b_O}, blocks.{i}.ln2.{w,b},
// blocks.{i}.mlp.{W_in,b_in,W_out,b_out}, ln_final.{w,b}, W_U.
func (p *Params[T]) Params() []Param[T] { return p.params(p.Config) }

// params lists the parameters configuration c has, as pointers into p.
func (p *Params[T]) params(c Config) []Param[T] {
	out := []Param[T]{{"W_E", []int{c.DVocab, c.DModel}, &p.WE}, {"W_pos", []int{c.NCtx, c.DModel}, &p.WPos}}
	ln := func(name string, l *LayerNorm[T]) {
		if !c.NoLayerNorm {
			out = append(out, Param[T]{name + ".w", []int{c.DModel}, &l.W}, Param[T]{name + ".b", []int{c.DModel}, &l.B})
		}
	}
	for i := range p.Blocks {
		b := &p.Blocks[i]
		pre := fmt.Sprintf("blocks.%d.", i)
		ln(pre+"ln1", &b.LN1)
		qkv := []int{c.DModel, c.NHead, c.DHead}
		he := []int{c.NHead, c.DHead}
		out = append(out,
			Param[T]{pre + "attn.W_Q", qkv, &b.WQ}, Param[T]{pre + "attn.W_K", qkv, &b.WK}, Param[T]{pre + "attn.W_V", qkv, &b.WV},
			Param[T]{pre + "attn.b_Q", he, &b.BQ}, Param[T]{pre + "attn.b_K", he, &b.BK}, Param[T]{pre + "attn.b_V", he, &b.BV},
			Param[T]{pre + "attn.W_O", []int{c.NHead, c.DHead, c.DModel}, &b.WO}, Param[T]{pre + "attn.b_O", []int{c.DModel}, &b.BO})
		if !c.AttnOnly {
			ln(pre+"ln2", &b.LN2)
			out = append(out,
				Param[T]{pre + "mlp.W_in", []int{c.DModel, c.DMLP}, &b.WIn}, Param[T]{pre + "mlp.b_in", []int{c.DMLP}, &b.BIn},
				Param[T]{pre + "mlp.W_out", []int{c.DMLP, c.DModel}, &b.WOut}, Param[T]{pre + "mlp.b_out", []int{c.DModel}, &b.BOut})
		}
	}
	ln("ln_final", &p.LNFinal)
	if c.UntiedUnembed {
		out = append(out, Param[T]{"W_U", []int{c.DModel, c.DVocab}, &p.WU})
	}
	return out
}

// NewZero returns a model of configuration c with every parameter zero except
// the LayerNorm gains, which are one.
func NewZero[T Float](c Config) (*Params[T], error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	p := &Params[T]{Config: c, Blocks: make([]Block[T], c.NLayer)}
	for _, q := range p.Params() {
		*q.Ptr = tensor.Zeros[T](q.Shape...)
	}
	p.layerNorms(func(l *LayerNorm[T]) { l.W.Fill(1) })
	return p, nil
}

// NewRandom returns a model with GPT-2's initialisation (Radford et al. 2019):
// weights N(0, 0.02²), the projections into the residual stream (W_O, W_out)
// N(0, (0.02/√(2·n_layer))²), biases zero, LayerNorm gains one.
func NewRandom[T Float](c Config, r *rand.Rand) (*Params[T], error) {
	p, err := NewZero[T](c)
	if err != nil {
		return nil, err
	}
	resid := 0.02 / math.Sqrt(2*float64(c.NLayer))
	for _, q := range p.Params() {
		switch f := lastField(q.Name); {
		case f == "w" || f == "b" || strings.HasPrefix(f, "b_"):
			// LayerNorm gains stay one, biases zero.
		case f == "W_O" || f == "W_out":
			fillNormal(*q.Ptr, r, resid)
		default:
			fillNormal(*q.Ptr, r, 0.02)
		}
	}
	return p, nil
}

// lastField returns the part of a dotted name after its last dot.
func lastField(name string) string { return name[strings.LastIndexByte(name, '.')+1:] }

func fillNormal[T Float](t *tensor.Dense[T], r *rand.Rand, std float64) {
	d := t.Data()
	for i := range d {
		d[i] = T(std * r.NormFloat64())
	}
}

func (p *Params[T]) layerNorms(f func(*LayerNorm[T])) {
	if p.Config.NoLayerNorm {
		return
	}
	for i := range p.Blocks {
		f(&p.Blocks[i].LN1)
		if !p.Config.AttnOnly {
			f(&p.Blocks[i].LN2)
		}
	}
	f(&p.LNFinal)
}

// Validate checks the configuration and that every parameter it asks for is
// present with the right shape, and that parameters it does not ask for are nil.
func (p *Params[T]) Validate() error {
	if err := p.Config.Validate(); err != nil {
		return err
	}
	if len(p.Blocks) != p.Config.NLayer {
		return fmt.Errorf("interp: model has %d blocks, its config says n_layer = %d", len(p.Blocks), p.Config.NLayer)
	}
	want := map[**tensor.Dense[T]]bool{}
	for _, q := range p.Params() {
		want[q.Ptr] = true
		t := *q.Ptr
		if t == nil {
			return fmt.Errorf("interp: parameter %s is missing", q.Name)
		}
		if !slices.Equal(t.Shape(), q.Shape) {
			return fmt.Errorf("interp: parameter %s has shape %v, want %v", q.Name, t.Shape(), q.Shape)
		}
	}
	every := p.Config
	every.NoLayerNorm, every.AttnOnly, every.UntiedUnembed = false, false, true
	for _, q := range p.params(every) {
		if !want[q.Ptr] && *q.Ptr != nil {
			return fmt.Errorf("interp: parameter %s is set but the config has no place for it", q.Name)
		}
	}
	return nil
}

// Clone returns a deep copy of p.
func (p *Params[T]) Clone() *Params[T] {
	q := &Params[T]{Config: p.Config, Blocks: make([]Block[T], len(p.Blocks))}
	src := p.Params()
	for i, d := range q.Params() {
		if t := *src[i].Ptr; t != nil {
			*d.Ptr = t.Clone()
		}
	}
	return q
}

// Convert returns p with its parameters converted to element type U.
func Convert[U, T Float](p *Params[T]) *Params[U] {
	q := &Params[U]{Config: p.Config, Blocks: make([]Block[U], len(p.Blocks))}
	src := p.Params()
	for i, d := range q.Params() {
		if t := *src[i].Ptr; t != nil {
			*d.Ptr = tensor.Convert[U](t)
		}
	}
	return q
}
