package interp

import (
	"flag"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/strand-tn/strand/tensor"
)

var update = flag.Bool("update", false, "rewrite golden files and fixtures under testdata/")

// tinyConfig is a small GPT-2-shaped configuration for tests.
var tinyConfig = Config{NLayer: 2, NHead: 4, DModel: 32, DHead: 8, DMLP: 128, NCtx: 16, DVocab: 50, StartToken: 49}

// randomModel returns a model of configuration c whose every parameter,
// biases and LayerNorm gains included, is random (N(0, std²); gains 1 + N(0, 0.1²)).
func randomModel[T Float](t testing.TB, c Config, seed uint64, std float64) *Params[T] {
	t.Helper()
	p, err := NewZero[T](c)
	if err != nil {
		t.Fatal(err)
	}
	r := tensor.NewRand(seed)
	for _, q := range p.Params() {
		d := (*q.Ptr).Data()
		gain := lastField(q.Name) == "w"
		for i := range d {
			if gain {
				d[i] = T(1 + 0.1*r.NormFloat64())
			} else {
				d[i] = T(std * r.NormFloat64())
			}
		}
	}
	return p
}

func randomTokens(r *rand.Rand, n, vocab int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = r.IntN(vocab)
	}
	return out
}

// naiveForward is the oracle: the model written out with plain loops in
// float64, one position, head and index at a time.
func naiveForward(p *Params[float64], tokens []int) [][]float64 {
	c := p.Config
	n, D, H, E := len(tokens), c.DModel, c.NHead, c.DHead
	x := make([][]float64, n)
	for i, t := range tokens {
		x[i] = make([]float64, D)
		for m := range D {
			x[i][m] = p.WE.At(t, m) + p.WPos.At(i, m)
		}
	}
	ln := func(l LayerNorm[float64], v []float64) []float64 {
		if c.NoLayerNorm {
			return append([]float64(nil), v...)
		}
		var mu, vr float64
		for _, a := range v {
			mu += a
		}
		mu /= float64(len(v))
		for _, a := range v {
			vr += (a - mu) * (a - mu)
		}
		s := math.Sqrt(vr/float64(len(v)) + c.eps())
		out := make([]float64, len(v))
		for m, a := range v {
			out[m] = (a-mu)/s*l.W.At(m) + l.B.At(m)
		}
		return out
	}
	for _, b := range p.Blocks {
		h := make([][]float64, n)
		for i := range n {
			h[i] = ln(b.LN1, x[i])
		}
		proj := func(w, bias *tensor.Dense[float64], i, hd, e int) float64 {
			s := bias.At(hd, e)
			for m := range D {
				s += h[i][m] * w.At(m, hd, e)
			}
			return s
		}
		delta := make([][]float64, n)
		for q := range n {
			delta[q] = make([]float64, D)
			for m := range D {
				delta[q][m] = b.BO.At(m)
			}
			for hd := range H {
				scores := make([]float64, q+1)
				mx := math.Inf(-1)
				for k := 0; k <= q; k++ {
					for e := range E {
						scores[k] += proj(b.WQ, b.BQ, q, hd, e) * proj(b.WK, b.BK, k, hd, e)
					}
					scores[k] /= math.Sqrt(float64(E))
					mx = max(mx, scores[k])
				}
				var sum float64
				for k := range scores {
					scores[k] = math.Exp(scores[k] - mx)
					sum += scores[k]
				}
				for e := range E {
					var z float64
					for k := range scores {
						z += scores[k] / sum * proj(b.WV, b.BV, k, hd, e)
					}
					for m := range D {
						delta[q][m] += z * b.WO.At(hd, e, m)
					}
				}
			}
		}
		for i := range n {
			for m := range D {
				x[i][m] += delta[i][m]
			}
		}
		if c.AttnOnly {
			continue
		}
		for i := range n {
			h2 := ln(b.LN2, x[i])
			for m := range D {
				s := b.BOut.At(m)
				for f := range c.DMLP {
					pre := b.BIn.At(f)
					for j := range D {
						pre += h2[j] * b.WIn.At(j, f)
					}
					s += GeluNew(pre) * b.WOut.At(f, m)
				}
				delta[i][m] = s
			}
		}
		for i := range n {
			for m := range D {
				x[i][m] += delta[i][m]
			}
		}
	}
	logits := make([][]float64, n)
	for i := range n {
		h := ln(p.LNFinal, x[i])
		logits[i] = make([]float64, c.DVocab)
		for v := range c.DVocab {
			for m := range D {
				if p.WU != nil {
					logits[i][v] += h[m] * p.WU.At(m, v)
				} else {
					logits[i][v] += h[m] * p.WE.At(v, m)
				}
			}
		}
	}
	return logits
}

// maxDiff returns max |a − b| over a tensor and a nested slice of its shape.
func maxDiff[T Float](a *tensor.Dense[T], b [][]float64) float64 {
	var d float64
	for i := range b {
		for j := range b[i] {
			d = max(d, math.Abs(float64(a.At(i, j))-b[i][j]))
		}
	}
	return d
}
