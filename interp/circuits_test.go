package interp

import (
	"math"
	"math/cmplx"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/strand-tn/strand/tensor"
)

func TestFactored(t *testing.T) {
	r := tensor.NewRand(5)
	for _, dims := range [][3]int{{12, 3, 12}, {9, 4, 7}, {3, 5, 4}, {6, 6, 6}} {
		m, k, n := dims[0], dims[1], dims[2]
		f, err := NewFactored(tensor.RandNormal[float64](r, m, k), tensor.RandNormal[float64](r, k, n))
		if err != nil {
			t.Fatal(err)
		}
		full := f.Full()
		if d := math.Abs(f.Norm() - full.Norm()); d > 1e-12*full.Norm() {
			t.Errorf("%v: Norm %g, full %g", dims, f.Norm(), full.Norm())
		}
		u, s, v, err := f.SVD()
		if err != nil {
			t.Fatal(err)
		}
		var svd mat.SVD
		svd.Factorize(asMat(full), mat.SVDNone)
		want := svd.Values(nil)
		for i, x := range s {
			if math.Abs(x-want[i]) > 1e-10*want[0] {
				t.Errorf("%v: singular value %d = %g, want %g", dims, i, x, want[i])
			}
		}
		// U diag(S) Vᵀ rebuilds the matrix.
		us := u.Clone()
		for i := range us.Dim(0) {
			for j := range us.Dim(1) {
				us.Set(us.At(i, j)*s[j], i, j)
			}
		}
		if d := tensor.MaxAbsDiff(ein(mustSpec("i a, j a -> i j"), us, v), full); d > 1e-10*want[0] {
			t.Errorf("%v: U S Vᵀ differs from M by %g", dims, d)
		}
		if m != n {
			if _, err := f.Eigenvalues(); err == nil {
				t.Errorf("%v: eigenvalues of a rectangular matrix: no error", dims)
			}
			continue
		}
		ev, err := f.Eigenvalues()
		if err != nil {
			t.Fatal(err)
		}
		var eig mat.Eigen
		eig.Factorize(asMat(full), mat.EigenNone)
		all := eig.Values(nil)
		slices.SortFunc(all, func(a, b complex128) int { return cmpFloat(cmplx.Abs(b), cmplx.Abs(a)) })
		for i, x := range ev {
			if cmplx.Abs(x-all[i]) > 1e-9*cmplx.Abs(all[0]) {
				t.Errorf("%v: eigenvalue %d = %v, want %v", dims, i, x, all[i])
			}
		}
		for _, x := range all[len(ev):] {
			if cmplx.Abs(x) > 1e-9*cmplx.Abs(all[0]) {
				t.Errorf("%v: eigenvalue %v beyond the rank is not zero", dims, x)
			}
		}
	}
	if _, err := NewFactored(tensor.Zeros[float64](3, 2), tensor.Zeros[float64](3, 2)); err == nil {
		t.Error("NewFactored with mismatched factors: no error")
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// naiveComposition forms the full d_model × d_model circuits.
func naiveComposition(p *Params[float64]) [3]*tensor.Dense[float64] {
	c := p.Config
	var out [3]*tensor.Dense[float64]
	for m := range out {
		out[m] = tensor.Zeros[float64](c.NLayer, c.NHead, c.NLayer, c.NHead)
	}
	for _, a := range c.Heads() {
		ov, _ := p.OV(a)
		ovA := ov.Full()
		for _, b := range c.Heads() {
			if b.Layer <= a.Layer {
				continue
			}
			qk, _ := p.QK(b)
			ovB, _ := p.OV(b)
			for m, later := range []*tensor.Dense[float64]{qk.Full().T(), qk.Full(), ovB.Full()} {
				prod := ein(specMatMul, later, ovA)
				out[m].Set(prod.Norm()/(later.Norm()*ovA.Norm()), a.Layer, a.Head, b.Layer, b.Head)
			}
		}
	}
	return out
}

func TestCompositionScores(t *testing.T) {
	c := attnOnlyConfig
	c.NLayer = 3
	p := randomModel[float64](t, c, 31, 1)
	got, err := CompositionScores(p)
	if err != nil {
		t.Fatal(err)
	}
	want := naiveComposition(p)
	for m, g := range []*tensor.Dense[float64]{got.Q, got.K, got.V} {
		if d := tensor.MaxAbsDiff(g, want[m]); d > 1e-12 {
			t.Errorf("%c-composition differs from the full-matrix oracle by %g", "QKV"[m], d)
		}
	}
	// d_head > d_model: the factors are wide.
	c.DHead = 20
	p = randomModel[float64](t, c, 32, 1)
	got, err = CompositionScores(p)
	if err != nil {
		t.Fatal(err)
	}
	want = naiveComposition(p)
	for m, g := range []*tensor.Dense[float64]{got.Q, got.K, got.V} {
		if d := tensor.MaxAbsDiff(g, want[m]); d > 1e-12 {
			t.Errorf("wide heads: %c-composition differs from the oracle by %g", "QKV"[m], d)
		}
	}
}

// TestCompositionMatchesTransformerLens compares with the scores
// gpt2_reference.py computed as TransformerLens does (row-vector
// convention, full matrices, torch).
func TestCompositionMatchesTransformerLens(t *testing.T) {
	p, err := Load[float64](filepath.Join(gpt2Fixture, "model.safetensors"), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := CompositionScores(p)
	if err != nil {
		t.Fatal(err)
	}
	want := readNPY(t, filepath.Join(gpt2Fixture, "composition.npy"))
	for m, g := range []*tensor.Dense[float64]{got.Q, got.K, got.V} {
		if d := tensor.MaxAbsDiff(g, want.Index(0, m)); d > 1e-12 {
			t.Errorf("%c-composition differs from TransformerLens's by %g", "QKV"[m], d)
		}
	}
}

func TestCompositionNotFinite(t *testing.T) {
	p := randomModel[float64](t, attnOnlyConfig, 33, 1)
	p.Blocks[1].WK.Set(math.NaN(), 0, 1, 0)
	if _, err := CompositionScores(p); err == nil || !strings.Contains(err.Error(), "head L1H1") || !strings.Contains(err.Error(), "NaN") {
		t.Errorf("NaN weight: error %v", err)
	}
	qk, _ := p.QK(Head{1, 1})
	if n := qk.T().Norm(); !math.IsNaN(n) {
		t.Errorf("norm of a circuit with NaN: %g", n)
	}
	if _, _, _, err := qk.SVD(); err == nil {
		t.Error("SVD of a circuit with NaN: no error")
	}
}

func TestCompositionBaseline(t *testing.T) {
	for _, d := range [][2]int{{64, 8}, {256, 16}} {
		mean, std, err := CompositionBaseline(d[0], d[1], 200, tensor.NewRand(1))
		if err != nil {
			t.Fatal(err)
		}
		// E‖BA‖²/(E‖A‖² E‖B‖²) = 1/d_model; the mean of the ratio of norms is
		// within a few percent of its square root at these sizes.
		if want := 1 / math.Sqrt(float64(d[0])); math.Abs(mean-want) > 0.05*want || std <= 0 || std > 0.2*mean {
			t.Errorf("d_model %d, d_head %d: baseline %g ± %g, want ≈ %g", d[0], d[1], mean, std, want)
		}
	}
	if _, _, err := CompositionBaseline(0, 1, 1, tensor.NewRand(1)); err == nil {
		t.Error("no error for d_model 0")
	}
}

func TestHeadCircuits(t *testing.T) {
	p := randomModel[float64](t, attnOnlyConfig, 41, 1)
	tokens := []int{3, 1, 4, 1, 5, 9}
	// In layer 0 the scores are x_qᵀ W_QK x_k/√d_head on the LayerNormed
	// input when biases are zero.
	zeroBiases(p)
	r, err := Run(p, tokens, RunOptions[float64]{Cache: true})
	if err != nil {
		t.Fatal(err)
	}
	x := r.Cache.Get(0, HookLN1Normalized)
	for h := range p.Config.NHead {
		qk, _ := p.QK(Head{0, h})
		s := ein(mustSpec("q m, m n, k n -> q k"), x, qk.Full(), x).Scale(1 / math.Sqrt(float64(p.Config.DHead)))
		want := r.Cache.Get(0, HookAttnScores).Index(0, h)
		for q := range tokens {
			for k := 0; k <= q; k++ {
				if d := math.Abs(s.At(q, k) - want.At(q, k)); d > 1e-12 {
					t.Fatalf("head %d: x W_QK xᵀ differs from the scores by %g", h, d)
				}
			}
		}
		// OV: the head's result is Σ_k A_qk W_OV x_k.
		ov, _ := p.OV(Head{0, h})
		res := ein(mustSpec("q k, m n, k n -> q m"), r.Cache.Get(0, HookPattern).Index(0, h), ov.Full(), x)
		if d := tensor.MaxAbsDiff(res, r.Cache.Get(0, HookResult).Index(1, h)); d > 1e-12 {
			t.Errorf("head %d: A x W_OVᵀ differs from the head's result by %g", h, d)
		}
	}
	if _, err := p.QK(Head{2, 0}); err == nil {
		t.Error("QK of a missing head: no error")
	}
}
