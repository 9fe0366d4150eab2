package train

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/strand-tn/strand/contract"
	"github.com/strand-tn/strand/grad"
	"github.com/strand-tn/strand/interp"
	"github.com/strand-tn/strand/network"
	"github.com/strand-tn/strand/notation"
	"github.com/strand-tn/strand/tensor"
)

// maskValue stands for −∞ in the causal mask: exp(maskValue − max) is 0 in
// float32 and float64 alike, and, unlike −∞, it never meets a 0 in a product.
const maskValue = -1e9

// Program returns the strand index-notation program of an attention-only
// transformer without LayerNorm or biases (the model of Elhage et al. 2021,
// "A Mathematical Framework for Transformer Circuits") on a batch of b
// sequences, ending in the training loss. For layer l (x⁰ the embedding):
//
//	x⁰[b q m]   = X[b q v] W_E[v m] + δ[b] W_pos[q m]
//	Aˡ[b h q k] = softmax_k(x^l[b q m] W_Ql[m h d] x^l[b k n] W_Kl[n h d] / √d_head + δ[b] δ[h] M[q k])
//	xˡ⁺¹[b q m] = xˡ[b q m] + Aˡ[b h q k] xˡ[b k n] W_Vl[n h d] W_Ol[h d m]
//	L           = −Y[b q v] logsoftmax_v(x^L[b q m] W_U[m v])[b q v]
//
// X is the one-hot encoding of the tokens, M the causal mask (0 for k ≤ q,
// a large negative number for k > q) and Y the targets: Y[b, q, t] is the
// weight of predicting token t at position q of sequence b (one over the
// number of predicted positions of the batch), so L is the mean
// cross-entropy in nats. The weights are those of [interp.Params] under the
// names W_E, W_pos, W_Q0, W_K0, W_V0, W_O0, …, W_U.
func Program(c interp.Config, batch int) (string, error) {
	if err := checkConfig(c); err != nil {
		return "", err
	}
	if batch < 1 {
		return "", fmt.Errorf("train: batch of %d sequences, want ≥ 1", batch)
	}
	var s strings.Builder
	fmt.Fprintf(&s, "# A %d-layer attention-only transformer (no LayerNorm, no biases) and its mean next-token cross-entropy\n", c.NLayer)
	fmt.Fprintf(&s, "dim b=%d q=%d k=%d m=%d n=%d h=%d d=%d v=%d\n", batch, c.NCtx, c.NCtx, c.DModel, c.DModel, c.NHead, c.DHead, c.DVocab)
	scale := strconv.FormatFloat(1/math.Sqrt(float64(c.DHead)), 'g', -1, 64)
	s.WriteString("x0[b q m] = X[b q v] W_E[v m] + δ[b] W_pos[q m]\n")
	for l := range c.NLayer {
		fmt.Fprintf(&s, "A%d[b h q k] = softmax_k(%s x%d[b q m] W_Q%d[m h d] x%d[b k n] W_K%d[n h d] + δ[b] δ[h] M[q k])\n", l, scale, l, l, l, l)
		fmt.Fprintf(&s, "x%d[b q m] = x%d[b q m] + A%d[b h q k] x%d[b k n] W_V%d[n h d] W_O%d[h d m]\n", l+1, l, l, l, l, l)
	}
	fmt.Fprintf(&s, "L = -Y[b q v] logsoftmax_v(x%d[b q m] W_U[m v])[b q v]\n", c.NLayer)
	return s.String(), nil
}

// checkConfig accepts the models [Program] writes: attention-only, without
// LayerNorm, with an untied unembedding.
func checkConfig(c interp.Config) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if !c.AttnOnly || !c.NoLayerNorm || !c.UntiedUnembed {
		return fmt.Errorf("train: the model must be attention-only, without LayerNorm and with its own W_U (config %s)", c)
	}
	return nil
}

// ModelConfig returns the configuration of the models [Program] writes.
func ModelConfig(layers, heads, dModel, dHead, vocab, nCtx int) interp.Config {
	return interp.Config{NLayer: layers, NHead: heads, DModel: dModel, DHead: dHead, NCtx: nCtx, DVocab: vocab,
		AttnOnly: true, NoLayerNorm: true, UntiedUnembed: true}
}

// Model is [Program] compiled for reverse mode: the loss on a batch and its
// gradient with respect to every weight, by grad.Compile (one contraction
// tree per statement, environments along it, bubbles through their
// vector–Jacobian products).
type Model[T interp.Float] struct {
	Config interp.Config
	Batch  int
	Source string // the program's text

	prog   *network.Program
	grad   *grad.Gradient[T]
	names  map[string]string // program name → interp.Params name
	mask   *tensor.Dense[T]
	inputs []string // program inputs, in binding order
}

// NewModel writes and compiles the program of configuration c for batches
// of the given size.
func NewModel[T interp.Float](c interp.Config, batch int) (*Model[T], error) {
	src, err := Program(c, batch)
	if err != nil {
		return nil, err
	}
	ast, err := notation.ParseProgram(src)
	if err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	prog, err := network.FromProgram(ast, network.ProgramOptions{})
	if err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	m := &Model[T]{Config: c, Batch: batch, Source: src, prog: prog, names: programNames(c)}
	var wrt []string
	for _, in := range prog.Inputs {
		m.inputs = append(m.inputs, in.Name)
		if _, ok := m.names[in.Name]; ok {
			wrt = append(wrt, in.Name)
		}
	}
	if len(wrt) != len(m.names) {
		return nil, fmt.Errorf("train: the program reads %d of the model's %d weights", len(wrt), len(m.names))
	}
	if m.grad, err = grad.Compile[T](prog, wrt, grad.Options{}); err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	m.mask = tensor.Zeros[T](c.NCtx, c.NCtx)
	for q := range c.NCtx {
		for k := q + 1; k < c.NCtx; k++ {
			m.mask.Set(maskValue, q, k)
		}
	}
	return m, nil
}

// programNames maps the program's weight names to those of interp.Params.
func programNames(c interp.Config) map[string]string {
	names := map[string]string{"W_E": "W_E", "W_pos": "W_pos", "W_U": "W_U"}
	for l := range c.NLayer {
		for _, w := range []string{"W_Q", "W_K", "W_V", "W_O"} {
			names[fmt.Sprintf("%s%d", w, l)] = fmt.Sprintf("blocks.%d.attn.%s", l, w)
		}
	}
	return names
}

// Trainable reports whether the interp.Params parameter name is a weight
// of the program; the others (the biases) stay zero.
func (m *Model[T]) Trainable(name string) bool {
	for _, n := range m.names {
		if n == name {
			return true
		}
	}
	return false
}

// Loss returns the mean cross-entropy of the model with weights p on the
// batch and its gradient with respect to every weight of the program,
// keyed by interp.Params name.
func (m *Model[T]) Loss(p *interp.Params[T], b *Batch) (float64, map[string]*tensor.Dense[T], error) {
	if p.Config != m.Config {
		return 0, nil, fmt.Errorf("train: the weights have config %s, the model %s", p.Config, m.Config)
	}
	if len(b.Tokens) != m.Batch {
		return 0, nil, fmt.Errorf("train: a batch of %d sequences, the model takes %d", len(b.Tokens), m.Batch)
	}
	weights := map[string]*tensor.Dense[T]{}
	for _, q := range p.Params() {
		weights[q.Name] = *q.Ptr
	}
	named := map[string]*tensor.Dense[T]{"X": oneHot[T](b.Tokens, m.Config.DVocab), "Y": targets[T](b, m.Config.DVocab), "M": m.mask}
	for pn, in := range m.names {
		named[pn] = weights[in]
	}
	var bind contract.Bindings[T]
	for _, name := range m.inputs {
		t := named[name]
		if t == nil {
			return 0, nil, fmt.Errorf("train: no tensor for the program's input %s", name)
		}
		bind.Inputs = append(bind.Inputs, t)
	}
	res, err := m.grad.ValueAndGrad(bind)
	if err != nil {
		return 0, nil, fmt.Errorf("train: %w", err)
	}
	grads := make(map[string]*tensor.Dense[T], len(res.Grads))
	for pn, g := range res.Grads {
		grads[m.names[pn]] = g
	}
	return float64(res.Value.Item()), grads, nil
}
