package decomp

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/strand-tn/strand/contract"
	"github.com/strand-tn/strand/tensor"
)

func mustLabel(t testing.TB, x *tensor.Dense[float64], legs ...string) Labeled {
	l, err := contract.Label(x, legs...)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// rebuild contracts the factors and orders the result's legs like want.
func rebuild(t testing.TB, want []string, factors ...Labeled) *tensor.Dense[float64] {
	t.Helper()
	y, err := contract.Contract(factors...)
	if err != nil {
		t.Fatal(err)
	}
	y, err = y.Transpose(want...)
	if err != nil {
		t.Fatal(err)
	}
	return y.Data
}

func TestSVDSplit(t *testing.T) {
	x := mustLabel(t, tensor.RandNormal[float64](tensor.NewRand(1), 3, 4, 5, 6), "i", "j", "k", "l")
	s, err := SVD(x, []string{"k", "i"}, SplitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Bond != "a" || !slices.Equal(s.U.Legs, []string{"k", "i", "a"}) || !slices.Equal(s.S.Legs, []string{"a"}) ||
		!slices.Equal(s.Vh.Legs, []string{"a", "j", "l"}) {
		t.Fatalf("legs U %v S %v Vh %v", s.U.Legs, s.S.Legs, s.Vh.Legs)
	}
	if s.Rank != 15 || s.FullRank != 15 || s.Discarded != 0 || len(s.Spectrum) != 15 {
		t.Errorf("info %+v", s.TruncInfo)
	}
	if d := tensor.MaxAbsDiff(rebuild(t, x.Legs, s.U, s.S, s.Vh), x.Data); !(d <= 1e-13) {
		t.Errorf("U S Vh differs from T by %g", d)
	}
	if ok, err := IsIsometry(s.U, []string{"k", "i"}, []string{"a"}, 1e-13); !ok || err != nil {
		t.Errorf("U is not an isometry toward the bond (%v)", err)
	}
	if ok, err := IsIsometry(s.Vh, []string{"j", "l"}, []string{"a"}, 1e-13); !ok || err != nil {
		t.Errorf("Vh is not an isometry toward the bond (%v)", err)
	}

	// Truncated: ‖T − T_r‖²_F equals the discarded weight (Eckart–Young).
	for _, tr := range []Truncation{{MaxRank: 4}, {RelDiscardedWeight: 0.3}, {AbsSingularValue: 3}} {
		st, err := SVD(x, []string{"k", "i"}, SplitOptions{Truncation: tr, Bond: "bond"})
		if err != nil {
			t.Fatal(err)
		}
		diff := tensor.Sub(rebuild(t, x.Legs, st.U, st.S, st.Vh), x.Data).Norm()
		if !(math.Abs(diff*diff-st.Discarded) <= 1e-12*st.Total) {
			t.Errorf("%+v: ‖T − T_r‖² = %.15g, discarded weight %.15g", tr, diff*diff, st.Discarded)
		}
		if st.U.Dim("bond") != st.Rank || st.Rank >= 15 || len(st.Spectrum) != 15 || st.Spectrum[st.Rank-1] != st.S.Data.At(st.Rank-1) {
			t.Errorf("%+v: rank %d, bond %d", tr, st.Rank, st.U.Dim("bond"))
		}
		if math.Abs(st.RelError()-diff/x.Data.Norm()) > 1e-12 {
			t.Errorf("RelError %g, measured %g", st.RelError(), diff/x.Data.Norm())
		}
	}

	// Either side may be empty.
	all, err := SVD(x, nil, SplitOptions{})
	if err != nil || all.Rank != 1 || !slices.Equal(all.U.Legs, []string{"a"}) {
		t.Errorf("left = nil: %v %v", all.U.Legs, err)
	}
	if d := tensor.MaxAbsDiff(rebuild(t, x.Legs, all.U, all.S, all.Vh), x.Data); !(d <= 1e-13) {
		t.Errorf("left = nil: rebuilt differs by %g", d)
	}
}

// A rank-deficient tensor keeps its numerical rank by default.
func TestSVDSplitNumericalRank(t *testing.T) {
	x := tensor.Zeros[float64](4, 5, 6)
	for i := range 4 {
		for j := range 5 {
			for k := range 6 {
				x.Set(float64(i+j+k+3), i, j, k)
			}
		}
	}
	s, err := SVD(mustLabel(t, x, "i", "j", "k"), []string{"i"}, SplitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Rank != 2 || !(s.Discarded <= 1e-24*s.Total) {
		t.Errorf("rank %d, discarded %g of %g", s.Rank, s.Discarded, s.Total)
	}
	z, err := SVD(mustLabel(t, tensor.Zeros[float64](3, 3), "i", "j"), []string{"i"}, SplitOptions{})
	if err != nil || z.Rank != 1 || z.S.Data.At(0) != 0 {
		t.Errorf("zero tensor: rank %d, err %v", z.Rank, err)
	}
}

func TestSplitErrors(t *testing.T) {
	x := mustLabel(t, tensor.RandNormal[float64](tensor.NewRand(2), 2, 3, 4), "a", "j", "k")
	for name, f := range map[string]func() error{
		"unknown leg": func() error { _, err := SVD(x, []string{"q"}, SplitOptions{}); return err },
		"twice":       func() error { _, err := SVD(x, []string{"j", "j"}, SplitOptions{}); return err },
		"bond taken":  func() error { _, err := SVD(x, []string{"j"}, SplitOptions{Bond: "k"}); return err },
		"negative rank": func() error {
			_, err := SVD(x, []string{"j"}, SplitOptions{Truncation: Truncation{MaxRank: -1}})
			return err
		},
		"NaN cutoff": func() error {
			_, err := SVD(x, []string{"j"}, SplitOptions{Truncation: Truncation{RelDiscardedWeight: math.NaN()}})
			return err
		},
		"qr unknown":  func() error { _, err := QR(x, []string{"z"}, ""); return err },
		"lq bond":     func() error { _, err := LQ(x, []string{"j"}, "a"); return err },
		"partition":   func() error { _, err := IsIsometry(x, []string{"a"}, []string{"j"}, 1); return err },
		"partition 2": func() error { _, err := IsUnitary(x, []string{"a", "j"}, []string{"j"}, 1); return err },
		"legs vs data": func() error {
			_, err := SVD(Labeled{Data: x.Data, Legs: []string{"a"}}, nil, SplitOptions{})
			return err
		},
	} {
		if err := f(); err == nil || !strings.HasPrefix(err.Error(), "decomp: ") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	// The default bond skips names in use.
	s, err := SVD(x, []string{"j"}, SplitOptions{})
	if err != nil || s.Bond != "b" {
		t.Errorf("default bond %q, err %v", s.Bond, err)
	}
}

func TestQRLQSplit(t *testing.T) {
	x := mustLabel(t, tensor.RandNormal[float64](tensor.NewRand(3), 3, 4, 5), "i", "j", "k")
	q, err := QR(x, []string{"i", "k"}, "c")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(q.Q.Legs, []string{"i", "k", "c"}) || !slices.Equal(q.R.Legs, []string{"c", "j"}) || q.Q.Dim("c") != 4 {
		t.Fatalf("QR legs %v %v", q.Q.Legs, q.R.Legs)
	}
	if d, _ := IsometryDefect(q.Q, []string{"i", "k"}, []string{"c"}); !(d <= 1e-13) {
		t.Errorf("‖QᵀQ − I‖max = %g, want ≤ 1e-13", d)
	}
	if d := tensor.MaxAbsDiff(rebuild(t, x.Legs, q.Q, q.R), x.Data); !(d <= 1e-13) {
		t.Errorf("QR differs by %g", d)
	}
	l, err := LQ(x, []string{"j"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := IsometryDefect(l.Q, []string{"i", "k"}, []string{l.Bond}); !(d <= 1e-13) {
		t.Errorf("‖QQᵀ − I‖max = %g", d)
	}
	if d := tensor.MaxAbsDiff(rebuild(t, x.Legs, l.L, l.Q), x.Data); !(d <= 1e-13) {
		t.Errorf("LQ differs by %g", d)
	}
}

func TestIsometryChecks(t *testing.T) {
	u := mustLabel(t, tensor.Eye[float64](6).MustReshape(2, 3, 6), "i", "j", "k")
	if ok, _ := IsUnitary(u, []string{"i", "j"}, []string{"k"}, 1e-15); !ok {
		t.Error("identity is not unitary")
	}
	if ok, _ := IsUnitary(u, []string{"k"}, []string{"i", "j"}, 1e-15); !ok {
		t.Error("identity is not unitary from the other side")
	}
	s, _ := SVD(mustLabel(t, tensor.RandNormal[float64](tensor.NewRand(4), 6, 2), "i", "j"), []string{"i"}, SplitOptions{})
	if ok, _ := IsIsometry(s.U, []string{"i"}, []string{"a"}, 1e-13); !ok {
		t.Error("U is not an isometry")
	}
	if ok, _ := IsUnitary(s.U, []string{"i"}, []string{"a"}, 1e-13); ok {
		t.Error("a 6×2 isometry is not unitary")
	}
	if ok, _ := IsIsometry(s.U, []string{"a"}, []string{"i"}, 1e-3); ok {
		t.Error("a 6×2 isometry is not an isometry the other way")
	}
	r := mustLabel(t, tensor.RandNormal[float64](tensor.NewRand(5), 4, 4), "i", "j")
	if ok, _ := IsIsometry(r, []string{"i"}, []string{"j"}, 1e-3); ok {
		t.Error("a random matrix is not an isometry")
	}
}

func TestTruncationApply(t *testing.T) {
	s := []float64{4, 3, 2, 1, 1e-20}
	// Σ s² = 30 (+1e-40); tails: r=1 → 14, r=2 → 5, r=3 → 1, r=4 → 1e-40.
	for _, c := range []struct {
		tr        Truncation
		rank      int
		discarded float64
	}{
		{Truncation{}, 4, 1e-40},
		{Truncation{MaxRank: 2}, 2, 5},
		{Truncation{RelDiscardedWeight: 5.0 / 30}, 2, 5},
		{Truncation{RelDiscardedWeight: 4.9 / 30}, 3, 1},
		{Truncation{AbsDiscardedWeight: 14}, 1, 14},
		{Truncation{AbsSingularValue: 2}, 3, 1},
		{Truncation{AbsSingularValue: 2.5, MaxRank: 3}, 2, 5},
		{Truncation{AbsSingularValue: 100}, 1, 14},
	} {
		info := c.tr.apply(s, 5, 5)
		if info.Rank != c.rank || math.Abs(info.Discarded-c.discarded) > 1e-12 || info.FullRank != 5 {
			t.Errorf("%+v: rank %d discarded %g, want %d %g", c.tr, info.Rank, info.Discarded, c.rank, c.discarded)
		}
	}
}
