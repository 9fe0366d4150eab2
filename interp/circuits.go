package interp

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/strand-tn/strand/tensor"
)

// Head identifies an attention head by block and index.
type Head struct{ Layer, Head int }

// String returns TransformerLens's label "L1H3".
func (h Head) String() string { return fmt.Sprintf("L%dH%d", h.Layer, h.Head) }

// Heads lists every head of the model, layer by layer.
func (c Config) Heads() []Head {
	out := make([]Head, 0, c.NLayer*c.NHead)
	for l := range c.NLayer {
		for h := range c.NHead {
			out = append(out, Head{l, h})
		}
	}
	return out
}

func (c Config) checkHead(h Head) error {
	if h.Layer < 0 || h.Layer >= c.NLayer || h.Head < 0 || h.Head >= c.NHead {
		return fmt.Errorf("interp: no head %s in a model of %d layers × %d heads", h, c.NLayer, c.NHead)
	}
	return nil
}

// HeadWeights are one head's matrices in the column-vector convention of
// Elhage et al. (2021), "A Mathematical Framework for Transformer Circuits":
// q = W_Q x, k = W_K x, v = W_V x for a residual vector x, and the head
// writes W_O z. They are views of the model's parameters.
type HeadWeights[T Float] struct {
	WQ, WK, WV *tensor.Dense[T] // [d_head, d_model]
	WO         *tensor.Dense[T] // [d_model, d_head]
}

// HeadWeights returns the weights of head h (views, not copies).
func (p *Params[T]) HeadWeights(h Head) (HeadWeights[T], error) {
	if err := p.Config.checkHead(h); err != nil {
		return HeadWeights[T]{}, err
	}
	b := &p.Blocks[h.Layer]
	return HeadWeights[T]{
		WQ: b.WQ.Index(1, h.Head).T(), WK: b.WK.Index(1, h.Head).T(), WV: b.WV.Index(1, h.Head).T(),
		WO: b.WO.Index(0, h.Head).T(),
	}, nil
}

// QK returns head h's QK circuit W_QK = W_Qᵀ W_K [d_model, d_model],
// factored with inner size d_head: the attention score of query x_q on key
// x_k is x_qᵀ W_QK x_k / √d_head (biases and LayerNorm aside).
func (p *Params[T]) QK(h Head) (Factored, error) {
	w, err := p.HeadWeights(h)
	if err != nil {
		return Factored{}, err
	}
	return Factored{tensor.Convert[float64](w.WQ.T()), tensor.Convert[float64](w.WK)}, nil
}

// OV returns head h's OV circuit W_OV = W_O W_V [d_model, d_model],
// factored with inner size d_head: attending with pattern A, the head adds
// Σ_k A_qk W_OV x_k to the residual stream at q.
func (p *Params[T]) OV(h Head) (Factored, error) {
	w, err := p.HeadWeights(h)
	if err != nil {
		return Factored{}, err
	}
	return Factored{tensor.Convert[float64](w.WO), tensor.Convert[float64](w.WV)}, nil
}

// Composition holds the composition scores of Elhage et al. (2021) between
// every pair of heads, indexed [l1, h1, l2, h2] for the earlier head (l1, h1)
// writing into the later head (l2, h2), zero unless l1 < l2 (the layout of
// TransformerLens's HookedTransformer.all_composition_scores):
//
//	Q: ‖W_QK²ᵀ W_OV¹‖_F / (‖W_QK²‖_F ‖W_OV¹‖_F)   the earlier head feeds queries
//	K: ‖W_QK² W_OV¹‖_F  / (‖W_QK²‖_F ‖W_OV¹‖_F)   … keys
//	V: ‖W_OV² W_OV¹‖_F  / (‖W_OV²‖_F ‖W_OV¹‖_F)   … values
type Composition struct {
	Q, K, V *tensor.Dense[float64] // [n_layer, n_head, n_layer, n_head]
}

// CompositionScores computes all Q-, K- and V-composition scores from the
// factored circuits, never forming a d_model×d_model matrix. For a later
// circuit B = L_B R_B and the earlier W_OV = L_A R_A, ‖B W_OV‖_F =
// ‖T_B (R_B L_A) S_Aᵀ‖_F where T_B and S_A are the triangular factors of
// thin QR factorisations of L_B and R_Aᵀ (orthonormal factors drop out of
// the norm); the products for all heads of two layers are one contraction.
func CompositionScores[T Float](p *Params[T]) (*Composition, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	c := p.Config
	nL, nH := c.NLayer, c.NHead
	k := min(c.DModel, c.DHead)
	// earlier[l] [d_model, n_head, k] holds L_A S_Aᵀ of every W_OV of layer
	// l; later[m][l] [n_head, k, d_model] holds T_B R_B of W_QKᵀ, W_QK and
	// W_OV (m = Q, K, V); the norms are those of the circuits.
	earlier := make([]*tensor.Dense[float64], nL)
	later := [3][]*tensor.Dense[float64]{}
	ovNorm := tensor.Zeros[float64](nL, nH)
	laterNorm := tensor.Zeros[float64](3, nL, nH)
	for l := range nL {
		earlier[l] = tensor.Zeros[float64](c.DModel, nH, k)
		for m := range later {
			later[m] = append(later[m], tensor.Zeros[float64](nH, k, c.DModel))
		}
		for h := range nH {
			qk, _ := p.QK(Head{l, h})
			ov, _ := p.OV(Head{l, h})
			// X·W_OV = (X L_A) R_A and ‖Y R_A‖ = ‖Y S_Aᵀ‖ for R_Aᵀ = Q S_A.
			s, err := triFactor(ov.R.T())
			if err != nil {
				return nil, fmt.Errorf("interp: head %s: %w", Head{l, h}, err)
			}
			a := ein(specMatMul, ov.L, s.T())
			earlier[l].Index(1, h).CopyFrom(a)
			ovNorm.Set(a.Norm(), l, h)
			for m, b := range []Factored{qk.T(), qk, ov} {
				t, err := triFactor(b.L)
				if err != nil {
					return nil, fmt.Errorf("interp: head %s: %w", Head{l, h}, err)
				}
				w := ein(specMatMul, t, b.R)
				later[m][l].Index(0, h).CopyFrom(w)
				laterNorm.Set(w.Norm(), m, l, h)
			}
		}
	}
	out := [3]*tensor.Dense[float64]{}
	for m := range out {
		out[m] = tensor.Zeros[float64](nL, nH, nL, nH)
		for l1 := range nL {
			for l2 := l1 + 1; l2 < nL; l2++ {
				// prod[h2, e, h1, f] = Σ_m later[h2, e, m] earlier[m, h1, f]
				prod := ein(specComposition, later[m][l2], earlier[l1])
				for h2 := range nH {
					for h1 := range nH {
						den := ovNorm.At(l1, h1) * laterNorm.At(m, l2, h2)
						if den == 0 {
							continue
						}
						block := prod.Index(0, h2).Index(1, h1)
						out[m].Set(block.Norm()/den, l1, h1, l2, h2)
					}
				}
			}
		}
	}
	return &Composition{Q: out[0], K: out[1], V: out[2]}, nil
}

var specComposition = mustSpec("h e m, m g f -> h e g f")

// CompositionBaseline estimates the composition score of unrelated heads:
// the mean and standard deviation, over samples, of ‖B A‖_F / (‖B‖_F ‖A‖_F)
// for independent A = L_A R_A and B = L_B R_B with standard normal factors
// [d_model, d_head]·[d_head, d_model] (TransformerLens's demo draws
// Kaiming-uniform factors; the score does not depend on their scale). It is
// close to 1/√d_model whatever d_head: E‖BA‖² = d_head² d_model³ and
// E‖A‖² = E‖B‖² = d_head d_model². Subtract the mean from the scores to see
// which pairs compose more than chance.
func CompositionBaseline(dModel, dHead, samples int, r *rand.Rand) (mean, std float64, err error) {
	if dModel <= 0 || dHead <= 0 || samples <= 0 {
		return 0, 0, fmt.Errorf("interp: composition baseline needs positive sizes and samples, got d_model %d, d_head %d, %d samples", dModel, dHead, samples)
	}
	var sum, sum2 float64
	for range samples {
		f := func() Factored {
			return Factored{tensor.RandNormal[float64](r, dModel, dHead), tensor.RandNormal[float64](r, dHead, dModel)}
		}
		a, b := f(), f()
		ba, _ := b.Mul(a)
		s := ba.Norm() / (a.Norm() * b.Norm())
		sum += s
		sum2 += s * s
	}
	n := float64(samples)
	mean = sum / n
	return mean, math.Sqrt(max(sum2/n-mean*mean, 0)), nil
}
