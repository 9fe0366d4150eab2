package train

import (
	"fmt"
	"math"
	"slices"

	"github.com/strand-tn/strand/interp"
	"github.com/strand-tn/strand/tensor"
)

// AdamOptions configure [Adam]. The zero value is Kingma & Ba's defaults
// with a learning rate of 1e-3.
type AdamOptions struct {
	LR    float64 // step size α; 0 means 1e-3
	Beta1 float64 // decay of the first moment; 0 means 0.9
	Beta2 float64 // decay of the second moment; 0 means 0.999
	Eps   float64 // ε; 0 means 1e-8
	// WeightDecay λ, decoupled from the gradient as in AdamW (Loshchilov &
	// Hutter, "Decoupled Weight Decay Regularization", ICLR 2019):
	// θ ← θ − α λ θ before the Adam step. 0: none.
	WeightDecay float64
}

func (o AdamOptions) withDefaults() AdamOptions {
	if o.LR == 0 {
		o.LR = 1e-3
	}
	if o.Beta1 == 0 {
		o.Beta1 = 0.9
	}
	if o.Beta2 == 0 {
		o.Beta2 = 0.999
	}
	if o.Eps == 0 {
		o.Eps = 1e-8
	}
	return o
}

// Adam is the optimizer of Kingma & Ba, "Adam: A Method for Stochastic
// Optimization" (ICLR 2015), over named tensors. Step t (from 1) with
// gradient g updates each element of a parameter θ:
//
//	m ← β₁ m + (1 − β₁) g
//	v ← β₂ v + (1 − β₂) g²
//	θ ← θ − α_t m̂ / (√v̂ + ε),   m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)
//
// with α_t the learning rate of the step. The moments are kept in float64
// whatever the parameters' type.
type Adam[T interp.Float] struct {
	opts AdamOptions
	t    int
	m, v map[string][]float64
}

// NewAdam returns an optimizer with no steps taken.
func NewAdam[T interp.Float](o AdamOptions) (*Adam[T], error) {
	o = o.withDefaults()
	switch {
	case !(o.LR > 0) || math.IsInf(o.LR, 0):
		return nil, fmt.Errorf("train: Adam learning rate %g, want finite and > 0", o.LR)
	case !(o.Beta1 > 0 && o.Beta1 < 1) || !(o.Beta2 > 0 && o.Beta2 < 1):
		return nil, fmt.Errorf("train: Adam β₁ = %g, β₂ = %g, want both in (0, 1)", o.Beta1, o.Beta2)
	case !(o.Eps > 0) || !(o.WeightDecay >= 0) || math.IsInf(o.WeightDecay, 0):
		return nil, fmt.Errorf("train: Adam ε = %g, weight decay %g, want ε > 0 and a finite decay ≥ 0", o.Eps, o.WeightDecay)
	}
	return &Adam[T]{opts: o, m: map[string][]float64{}, v: map[string][]float64{}}, nil
}

// Steps returns the number of steps taken.
func (a *Adam[T]) Steps() int { return a.t }

// Step applies one update with learning rate lr (0: the options' LR) to
// the parameters of p that have a gradient in grads (keyed by
// interp.Params name; each of its parameter's shape). Parameters are
// updated in place, in the order of p.Params().
func (a *Adam[T]) Step(p *interp.Params[T], grads map[string]*tensor.Dense[T], lr float64) error {
	if lr == 0 {
		lr = a.opts.LR
	}
	params := p.Params()
	for name, g := range grads {
		i := slices.IndexFunc(params, func(q interp.Param[T]) bool { return q.Name == name })
		if i < 0 {
			return fmt.Errorf("train: gradient for %s, which the model does not have", name)
		}
		if !slices.Equal(g.Shape(), params[i].Shape) {
			return fmt.Errorf("train: gradient for %s has shape %v, want %v", name, g.Shape(), params[i].Shape)
		}
	}
	a.t++
	o := a.opts
	c1 := 1 - math.Pow(o.Beta1, float64(a.t))
	c2 := 1 - math.Pow(o.Beta2, float64(a.t))
	for _, q := range params {
		g := grads[q.Name]
		if g == nil {
			continue
		}
		*q.Ptr = (*q.Ptr).Contiguous()
		theta := (*q.Ptr).Data()
		gd := g.Contiguous().Data()
		m, v := a.m[q.Name], a.v[q.Name]
		if m == nil {
			m, v = make([]float64, len(theta)), make([]float64, len(theta))
			a.m[q.Name], a.v[q.Name] = m, v
		}
		for i := range theta {
			gi := float64(gd[i])
			m[i] = o.Beta1*m[i] + (1-o.Beta1)*gi
			v[i] = o.Beta2*v[i] + (1-o.Beta2)*gi*gi
			th := float64(theta[i]) * (1 - lr*o.WeightDecay)
			theta[i] = T(th - lr*(m[i]/c1)/(math.Sqrt(v[i]/c2)+o.Eps))
		}
	}
	return nil
}
