package decomp

import (
	"math"
	"strings"
	"testing"

	"github.com/strand-tn/strand/tensor"
)

// knownCP returns a tensor built from random rank-R factors (weights 3, 2, 1…).
func knownCP(seed uint64, shape []int, R int) (*CP, *tensor.Dense[float64]) {
	rng := tensor.NewRand(seed)
	c := &CP{}
	for r := range R {
		c.Weights = append(c.Weights, float64(R-r))
	}
	for _, n := range shape {
		a := tensor.RandNormal[float64](rng, n, R)
		normalizeColumns(a, make([]float64, R))
		c.Factors = append(c.Factors, a)
	}
	x, err := c.Dense()
	if err != nil {
		panic(err)
	}
	return c, x
}

// congruence matches the components of b to those of a (best permutation)
// and returns the smallest Π_n |cos∠(a⁽ⁿ⁾_r, b⁽ⁿ⁾_σ(r))| over components.
func congruence(a, b *CP) float64 {
	R := len(a.Weights)
	cos := func(r, s int) float64 {
		p := 1.0
		for n := range a.Factors {
			dot, na, nb := 0.0, 0.0, 0.0
			for i := range a.Factors[n].Dim(0) {
				x, y := a.Factors[n].At(i, r), b.Factors[n].At(i, s)
				dot, na, nb = dot+x*y, na+x*x, nb+y*y
			}
			p *= math.Abs(dot) / math.Sqrt(na*nb)
		}
		return p
	}
	best := 0.0
	perm := make([]int, R)
	used := make([]bool, R)
	var rec func(r int, worst float64)
	rec = func(r int, worst float64) {
		if r == R {
			best = max(best, worst)
			return
		}
		for s := range R {
			if !used[s] {
				used[s], perm[r] = true, s
				rec(r+1, min(worst, cos(r, s)))
				used[s] = false
			}
		}
	}
	rec(0, 1)
	return best
}

// A tensor with known rank-3 factors of shape (8, 9, 10) is recovered to
// relative error < 1e-6 with factor congruence > 0.99, from both starts.
func TestCPALSRecovers(t *testing.T) {
	truth, x := knownCP(1, []int{8, 9, 10}, 3)
	for _, init := range []CPInit{CPInitSVD, CPInitRandom} {
		cp, info, err := CPALS(x, CPOptions{Rank: 3, Init: init, Seed: 5})
		if err != nil {
			t.Fatal(err)
		}
		if !(info.RelError < 1e-6) {
			t.Errorf("init %d: relative error %.3g after %d sweeps", init, info.RelError, info.Iterations)
		}
		if c := congruence(truth, cp); !(c > 0.99) {
			t.Errorf("init %d: factor congruence %.6f", init, c)
		}
		for r, w := range cp.Weights {
			if math.Abs(w-truth.Weights[r]) > 1e-5 {
				t.Errorf("init %d: weight %d = %g, want %g", init, r, w, truth.Weights[r])
			}
		}
		for n, a := range cp.Factors {
			for r := range 3 {
				col := a.Slice(1, r, r+1, 1)
				if math.Abs(col.Norm()-1) > 1e-12 {
					t.Errorf("factor %d column %d has norm %g", n, r, col.Norm())
				}
			}
		}
	}
}

// ALS never increases the error: on a noisy rank-3 tensor the history is
// non-increasing to 1e-12, and it matches the rebuilt error at the end.
func TestCPALSMonotone(t *testing.T) {
	_, x := knownCP(2, []int{7, 8, 9}, 3)
	noise := tensor.RandNormal[float64](tensor.NewRand(3), 7, 8, 9)
	x = tensor.Add(x, noise.Scale(0.3*x.Norm()/noise.Norm()))
	_, info, err := CPALS(x, CPOptions{Rank: 4, Init: CPInitRandom, Seed: 1, MaxIter: 200, Tol: -1})
	if err != nil {
		t.Fatal(err)
	}
	if info.Iterations != 200 || info.Converged {
		t.Errorf("Tol < 0 ran %d sweeps (converged %v)", info.Iterations, info.Converged)
	}
	for i := 1; i < len(info.History); i++ {
		if !(info.History[i] <= info.History[i-1]+1e-12) {
			t.Fatalf("error increased at sweep %d: %.15g → %.15g", i, info.History[i-1], info.History[i])
		}
	}
	if last := info.History[len(info.History)-1]; math.Abs(last-info.RelError) > 1e-9 {
		t.Errorf("Gram-identity error %.12g, rebuilt %.12g", last, info.RelError)
	}
}

func TestCPSignsAndErrors(t *testing.T) {
	_, x := knownCP(4, []int{5, 6, 7}, 2)
	cp, _, err := CPALS(x, CPOptions{Rank: 2})
	if err != nil {
		t.Fatal(err)
	}
	if cp.Weights[0] < cp.Weights[1] {
		t.Errorf("weights not decreasing: %v", cp.Weights)
	}
	for n := range 2 {
		for r := range 2 {
			best := 0.0
			for i := range cp.Factors[n].Dim(0) {
				if v := cp.Factors[n].At(i, r); math.Abs(v) > math.Abs(best) {
					best = v
				}
			}
			if best < 0 {
				t.Errorf("factor %d column %d: largest entry %g is negative", n, r, best)
			}
		}
	}
	nan := x.Clone()
	nan.Set(math.Inf(1), 1, 2, 3)
	for name, f := range map[string]func() error{
		"rank 0":   func() error { _, _, err := CPALS(x, CPOptions{}); return err },
		"Inf":      func() error { _, _, err := CPALS(nan, CPOptions{Rank: 1}); return err },
		"scalar":   func() error { _, _, err := CPALS(tensor.Scalar(1.0), CPOptions{Rank: 1}); return err },
		"empty":    func() error { _, _, err := CPALS(tensor.Zeros[float64](0, 3), CPOptions{Rank: 1}); return err },
		"tucker 0": func() error { _, _, err := HOSVD(x, TuckerOptions{Ranks: []int{0, 1, 1}}); return err },
		"ranks":    func() error { _, _, err := HOOI(x, TuckerOptions{Ranks: []int{1}}); return err },
	} {
		if err := f(); err == nil || !strings.HasPrefix(err.Error(), "decomp: ") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	if err := func() error { _, _, err := CPALS(nan, CPOptions{Rank: 1}); return err }(); !strings.Contains(err.Error(), "[1 2 3]") {
		t.Errorf("position missing: %v", err)
	}
}

// CP of a vector is its normalized self; a rank-2 matrix and a rank-2
// order-4 tensor are fitted exactly.
func TestCPOrders(t *testing.T) {
	v := tensor.MustFromSlice([]float64{3, 0, 4}, 3)
	cp, info, err := CPALS(v, CPOptions{Rank: 1})
	if err != nil || math.Abs(cp.Weights[0]-5) > 1e-12 || info.RelError > 1e-12 {
		t.Errorf("vector: weights %v, error %g, %v", cp.Weights, info.RelError, err)
	}
	for _, shape := range [][]int{{6, 7}, {4, 5, 3, 6}} {
		truth, x := knownCP(uint64(len(shape)), shape, 2)
		cp, info, err := CPALS(x, CPOptions{Rank: 2})
		if err != nil {
			t.Fatal(err)
		}
		if !(info.RelError < 1e-6) {
			t.Errorf("%v: relative error %g after %d sweeps", shape, info.RelError, info.Iterations)
		}
		if len(shape) > 2 { // a matrix's rank-2 CP is not unique
			if c := congruence(truth, cp); !(c > 0.99) {
				t.Errorf("%v: congruence %g", shape, c)
			}
		}
	}
}

func TestTucker(t *testing.T) {
	x := tensor.RandNormal[float64](tensor.NewRand(11), 6, 7, 8)
	// Full rank: exact to 1e-10.
	full, info, err := HOSVD(x, TuckerOptions{Ranks: []int{6, 7, 8}})
	if err != nil {
		t.Fatal(err)
	}
	if !(info.RelError <= 1e-10) {
		t.Errorf("full-rank HOSVD error %g", info.RelError)
	}
	for n, u := range full.Factors {
		if d, _ := IsometryDefect(Labeled{Data: u, Legs: []string{"i", "a"}}, []string{"i"}, []string{"a"}); !(d <= 1e-13) {
			t.Errorf("factor %d: ‖UᵀU − I‖ = %g", n, d)
		}
	}
	// Truncated: within the HOSVD bound, and HOOI no worse than HOSVD.
	for _, ranks := range [][]int{{3, 3, 3}, {2, 5, 4}, {1, 1, 1}} {
		h, hi, err := HOSVD(x, TuckerOptions{Ranks: ranks})
		if err != nil {
			t.Fatal(err)
		}
		if !(hi.RelError <= hi.Bound+1e-12) {
			t.Errorf("%v: HOSVD error %.6g exceeds its bound %.6g", ranks, hi.RelError, hi.Bound)
		}
		if got := h.Core.Shape(); got[0] != ranks[0] || got[1] != ranks[1] || got[2] != ranks[2] {
			t.Errorf("%v: core shape %v", ranks, got)
		}
		_, oi, err := HOOI(x, TuckerOptions{Ranks: ranks})
		if err != nil {
			t.Fatal(err)
		}
		if !(oi.RelError <= hi.RelError+1e-12) {
			t.Errorf("%v: HOOI error %.9g > HOSVD error %.9g", ranks, oi.RelError, hi.RelError)
		}
		if oi.Iterations < 1 {
			t.Errorf("%v: HOOI ran %d sweeps", ranks, oi.Iterations)
		}
	}
	// Ranks chosen by truncation; a multilinear rank is at most the product
	// of the others.
	_, ti, err := HOSVD(x, TuckerOptions{Truncation: Truncation{MaxRank: 2}})
	if err != nil || ti.Ranks[0] != 2 || ti.Ranks[2] != 2 {
		t.Errorf("MaxRank 2: ranks %v, %v", ti.Ranks, err)
	}
	_, ci, _ := HOSVD(x, TuckerOptions{Ranks: []int{6, 1, 2}})
	if ci.Ranks[0] != 2 {
		t.Errorf("ranks (6, 1, 2) clamp to %v, want (2, 1, 2)", ci.Ranks)
	}
}

// An exact low multilinear rank tensor is recovered by the default options.
func TestTuckerNumericalRank(t *testing.T) {
	rng := tensor.NewRand(12)
	core := tensor.RandNormal[float64](rng, 2, 3, 2)
	tk := &Tucker{Core: core}
	for _, n := range []int{5, 6, 7} {
		u := tensor.RandNormal[float64](rng, n, core.Dim(len(tk.Factors)))
		tk.Factors = append(tk.Factors, u)
	}
	x, _ := tk.Dense()
	got, info, err := HOOI(x, TuckerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if info.Ranks[0] != 2 || info.Ranks[1] != 3 || info.Ranks[2] != 2 || !(info.RelError <= 1e-12) {
		t.Errorf("ranks %v, error %g", info.Ranks, info.RelError)
	}
	if got.Core.Norm()-x.Norm() > 1e-12*x.Norm() {
		t.Errorf("core norm %g, tensor norm %g", got.Core.Norm(), x.Norm())
	}
}
