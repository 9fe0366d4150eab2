package decomp

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/strand-tn/strand/tensor"
)

// Random tensor trains of known rank are recovered exactly (to 1e-9
// relative) with those ranks.
func TestTTSVDExactRecovery(t *testing.T) {
	for _, c := range []struct {
		phys  []int
		ranks []int
	}{{[]int{3, 3, 3}, []int{2, 2}}, {[]int{4, 5, 6, 7}, []int{3, 4, 2}}} {
		sites := make([]*tensor.Dense[float64], len(c.phys))
		rng := tensor.NewRand(uint64(len(c.phys)))
		dims := append(append([]int{1}, c.ranks...), 1)
		for k, n := range c.phys {
			sites[k] = tensor.RandNormal[float64](rng, dims[k], n, dims[k+1])
		}
		truth, err := NewMPS(sites)
		if err != nil {
			t.Fatal(err)
		}
		x := truth.Dense()
		tt, info, err := TTSVD(x, TTOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(info.Ranks, c.ranks) || !slices.Equal(tt.BondDims(), c.ranks) {
			t.Errorf("%v: ranks %v, want %v", c.phys, info.Ranks, c.ranks)
		}
		if e := tensor.Sub(tt.Dense(), x).Norm() / x.Norm(); !(e <= 1e-9) {
			t.Errorf("%v: relative error %g", c.phys, e)
		}
		if tt.Center != len(c.phys)-1 {
			t.Errorf("TT-SVD centre %d", tt.Center)
		}
		defect, _ := tt.CanonicalDefect()
		if slices.Max(defect) > 1e-13 {
			t.Errorf("TT-SVD sites not left-orthonormal: %v", defect)
		}
	}
}

// T[i, j, k] = i + j + k + 3 has TT rank 2.
func TestTTSVDSumTensor(t *testing.T) {
	x := tensor.Zeros[float64](5, 6, 7)
	for i := range 5 {
		for j := range 6 {
			for k := range 7 {
				x.Set(float64(i+j+k+3), i, j, k)
			}
		}
	}
	tt, info, err := TTSVD(x, TTOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(info.Ranks, []int{2, 2}) {
		t.Errorf("ranks %v, want [2 2]", info.Ranks)
	}
	if e := tensor.MaxAbsDiff(tt.Dense(), x); !(e <= 1e-12*x.MaxAbs()) {
		t.Errorf("max error %g", e)
	}
}

// The ε-bound: ‖T − TT‖ ≤ ε‖T‖, and ErrorBound bounds the actual error.
func TestTTSVDEpsBound(t *testing.T) {
	rng := tensor.NewRand(7)
	// A tensor with decaying TT spectrum: a random TT plus smaller noise.
	m, _ := RandomMPS(rng, []int{4, 4, 4, 4, 4}, 3)
	x := m.Dense()
	noise := tensor.RandNormal[float64](rng, 4, 4, 4, 4, 4)
	x = tensor.Add(x, noise.Scale(0.05*x.Norm()/noise.Norm()))
	for _, eps := range []float64{0.5, 0.1, 0.04, 0.01} {
		tt, info, err := TTSVD(x, TTOptions{Eps: eps})
		if err != nil {
			t.Fatal(err)
		}
		e := tensor.Sub(tt.Dense(), x).Norm() / x.Norm()
		if !(e <= eps) || !(e <= info.ErrorBound*(1+1e-9)+1e-14) || !(info.ErrorBound <= eps) {
			t.Errorf("ε=%g: error %.6g, bound %.6g, ranks %v", eps, e, info.ErrorBound, info.Ranks)
		}
	}
	// MaxRank caps every bond.
	_, info, _ := TTSVD(x, TTOptions{Truncation: Truncation{MaxRank: 2}})
	if slices.Max(info.Ranks) != 2 {
		t.Errorf("MaxRank 2 gave ranks %v", info.Ranks)
	}
}

// On a 30-site random MPS, moving the centre keeps every other site
// isometric to 1e-12 and the state unchanged.
func TestMoveCenter(t *testing.T) {
	phys := make([]int, 30)
	for i := range phys {
		phys[i] = 2
	}
	m, err := RandomMPS(tensor.NewRand(8), phys, 8)
	if err != nil {
		t.Fatal(err)
	}
	orig := m.Clone()
	norm := orig.Norm()
	for _, c := range []int{15, 29, 0, 3, 27, 14} {
		if err := m.MoveCenter(c); err != nil {
			t.Fatal(err)
		}
		defect, err := m.CanonicalDefect()
		if err != nil {
			t.Fatal(err)
		}
		if worst := slices.Max(defect); !(worst <= 1e-12) {
			t.Errorf("centre %d: worst isometry defect %g", c, worst)
		}
		ip, _ := Inner(orig, m)
		if math.Abs(ip/(norm*norm)-1) > 1e-12 || math.Abs(m.Norm()/norm-1) > 1e-12 {
			t.Errorf("centre %d: overlap %.15g, norm ratio %.15g", c, ip/(norm*norm), m.Norm()/norm)
		}
	}
	if err := m.MoveCenter(30); err == nil {
		t.Error("centre 30 of 30 sites accepted")
	}
	if _, err := orig.CanonicalDefect(); err == nil {
		t.Error("a random MPS has no centre")
	}
}

// compress(ψ + ψ) has overlap 1 with ψ and ψ's bond dimensions.
func TestCompressSum(t *testing.T) {
	psi, _ := RandomMPS(tensor.NewRand(9), []int{2, 3, 2, 3, 2, 3, 2, 3}, 4)
	sum, err := Add(psi, psi)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Max(sum.BondDims()) != 8 {
		t.Errorf("ψ+ψ bonds %v", sum.BondDims())
	}
	info, err := sum.Truncate(Truncation{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(sum.BondDims(), psi.BondDims()) {
		t.Errorf("compressed bonds %v, ψ has %v", sum.BondDims(), psi.BondDims())
	}
	ip, _ := Inner(sum, psi)
	if overlap := ip / (sum.Norm() * psi.Norm()); math.Abs(overlap-1) > 1e-12 {
		t.Errorf("overlap %.15g", overlap)
	}
	if r := sum.Norm() / psi.Norm(); math.Abs(r-2) > 1e-12 {
		t.Errorf("‖compress(ψ+ψ)‖/‖ψ‖ = %.15g", r)
	}
	if info.ErrorBound > 1e-7 {
		t.Errorf("error bound %g", info.ErrorBound)
	}
}

// Truncation error stays within the bound; inner products, norms, sums and
// gauge transforms agree with the dense tensors.
func TestMPSOperations(t *testing.T) {
	rng := tensor.NewRand(10)
	a, _ := RandomMPS(rng, []int{3, 4, 3, 4, 3}, 6)
	b, _ := RandomMPS(rng, []int{3, 4, 3, 4, 3}, 5)
	da, db := a.Dense(), b.Dense()
	dot := tensor.Mul(da, db).Sum()
	if ip, _ := Inner(a, b); math.Abs(ip-dot) > 1e-12*da.Norm()*db.Norm() {
		t.Errorf("⟨a, b⟩ = %g, dense %g", ip, dot)
	}
	if math.Abs(a.Norm()-da.Norm()) > 1e-12*da.Norm() {
		t.Errorf("‖a‖ = %g, dense %g", a.Norm(), da.Norm())
	}
	s, _ := Add(a, b)
	if d := tensor.MaxAbsDiff(s.Dense(), tensor.Add(da, db)); d > 1e-12*da.MaxAbs() {
		t.Errorf("a + b differs by %g", d)
	}
	c := a.Clone()
	info, err := c.Truncate(Truncation{MaxRank: 3})
	if err != nil {
		t.Fatal(err)
	}
	e := tensor.Sub(c.Dense(), da).Norm() / da.Norm()
	if !(e <= info.ErrorBound+1e-12) || c.Center != 4 || slices.Max(c.BondDims()) != 3 {
		t.Errorf("truncated error %g, bound %g, centre %d, bonds %v", e, info.ErrorBound, c.Center, c.BondDims())
	}
	// Gauge: X X⁻¹ on bond 1 leaves the tensor unchanged.
	g := a.Clone()
	x := tensor.Add(tensor.Eye[float64](6), tensor.RandNormal[float64](rng, 6, 6).Scale(0.3))
	if err := g.Gauge(1, x); err != nil {
		t.Fatal(err)
	}
	if d := tensor.MaxAbsDiff(g.Dense(), da); !(d <= 1e-12*da.MaxAbs()) {
		t.Errorf("gauge changed the tensor by %g", d)
	}
	if tensor.MaxAbsDiff(g.Sites[1], a.Sites[1]) < 1e-3 || g.Center != NoCenter {
		t.Error("gauge did not change the sites")
	}
	for name, err := range map[string]error{
		"singular": g.Gauge(1, tensor.Zeros[float64](6, 6)),
		"shape":    g.Gauge(1, tensor.Eye[float64](5)),
		"bond":     g.Gauge(4, tensor.Eye[float64](1)),
	} {
		if err == nil || !strings.HasPrefix(err.Error(), "decomp: ") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

func TestNewMPSErrors(t *testing.T) {
	for name, sites := range map[string][]*tensor.Dense[float64]{
		"none":       nil,
		"rank":       {tensor.Zeros[float64](1, 2)},
		"left end":   {tensor.Zeros[float64](2, 2, 1)},
		"right end":  {tensor.Zeros[float64](1, 2, 2)},
		"bond":       {tensor.Zeros[float64](1, 2, 3), tensor.Zeros[float64](2, 2, 1)},
		"not finite": {tensor.Zeros[float64](1, 2, 1).Fill(math.NaN())},
	} {
		if _, err := NewMPS(sites); err == nil || !strings.HasPrefix(err.Error(), "decomp: ") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	if _, _, err := TTSVD(tensor.Zeros[float64](2, 2), TTOptions{Eps: -1}); err == nil {
		t.Error("negative ε accepted")
	}
	one, err := NewMPS([]*tensor.Dense[float64]{tensor.MustFromSlice([]float64{1, 2}, 1, 2, 1)})
	if err != nil || one.Dense().At(1) != 2 {
		t.Errorf("one site: %v", err)
	}
}
