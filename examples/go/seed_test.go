// Package seed_test redoes the first half of the seed post, "Graphical tensor
// notation for interpretability", in Go with strand's named-leg API: each
// test builds the figure's network by naming legs and checks its value.
package seed_test

import (
	"math"
	"testing"

	"github.com/strand-tn/strand"
	"github.com/strand-tn/strand/decomp"
	"github.com/strand-tn/strand/tensor"
)

var rng = tensor.NewRand(2023)

// random returns a standard-normal tensor with named legs and given sizes.
func random(t *testing.T, legs []string, sizes ...int) strand.Labeled[float64] {
	t.Helper()
	return strand.MustLegs(tensor.RandNormal[float64](rng, sizes...), legs...)
}

func contract(t *testing.T, xs ...strand.Labeled[float64]) strand.Labeled[float64] {
	t.Helper()
	out, err := strand.Contract(xs...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func near(t *testing.T, what string, got, want *tensor.Dense[float64], tol float64) {
	t.Helper()
	if d := tensor.MaxAbsDiff(got, want); !(d <= tol*max(1, want.MaxAbs())) {
		t.Fatalf("%s: max error %g", what, d)
	}
}

func TestDotAndOuterProducts(t *testing.T) {
	a := random(t, []string{"i"}, 3)
	b := random(t, []string{"i"}, 3)
	dot := contract(t, a, b) // connecting the legs sums over i
	want := 0.0
	for i := range 3 {
		want += a.Data.At(i) * b.Data.At(i)
	}
	if math.Abs(dot.Data.Item()-want) > 1e-14 {
		t.Fatalf("a·b = %v, want %v", dot.Data.Item(), want)
	}
	bj, _ := b.Rename("i", "j") // separate legs: drawing them apart is the outer product
	outer := contract(t, a, bj)
	if got := outer.Data.At(2, 1); got != a.Data.At(2)*b.Data.At(1) {
		t.Fatalf("Y[2,1] = %v", got)
	}
}

func TestMatrixProducts(t *testing.T) {
	A := random(t, []string{"i", "j"}, 3, 4)
	B := random(t, []string{"j", "k"}, 4, 5)
	x := random(t, []string{"j"}, 4)
	AB := contract(t, A, B)
	near(t, "A·B", AB.Data, strand.MustEinsum("ij,jk->ik", A.Data, B.Data), 1e-13)
	Ax := contract(t, A, x)
	near(t, "A·x", Ax.Data, strand.MustEinsum("ij,j->i", A.Data, x.Data), 1e-13)
	y := random(t, []string{"i"}, 3)
	yA := contract(t, y, A)
	near(t, "y·A", yA.Data, strand.MustEinsum("i,ij->j", y.Data, A.Data), 1e-13)
}

func TestTraceIsCyclic(t *testing.T) {
	A := random(t, []string{"i", "j"}, 3, 4)
	B := random(t, []string{"j", "i"}, 4, 3)
	trAB := contract(t, A, B).Data.Item()
	trBA := contract(t, B, A).Data.Item()
	if math.Abs(trAB-trBA) > 1e-13 {
		t.Fatalf("Tr(AB) = %v, Tr(BA) = %v", trAB, trBA)
	}
}

func TestHyperedgeContraction(t *testing.T) {
	// M_ij = Σ_αβ A_iαβ v_β B_βαj: β joins three tensors.
	A := random(t, []string{"i", "α", "β"}, 2, 3, 4)
	v := random(t, []string{"β"}, 4)
	B := random(t, []string{"β", "α", "j"}, 4, 3, 5)
	M := contract(t, A, v, B).Data // legs named once (i, j) stay free
	near(t, "einsum", strand.MustEinsum("i α β, β, β α j -> i j", A.Data, v.Data, B.Data), M, 1e-13)
	want := tensor.Zeros[float64](2, 5)
	for i := range 2 {
		for j := range 5 {
			s := 0.0
			for a := range 3 {
				for b := range 4 {
					s += A.Data.At(i, a, b) * v.Data.At(b) * B.Data.At(b, a, j)
				}
			}
			want.Set(s, i, j)
		}
	}
	near(t, "M", M, want, 1e-13)
}

func TestLadder(t *testing.T) {
	// The ten-tensor ladder of the seed: every leg named, contracted to a number.
	names := [][]string{{"i", "j"}, {"i", "r"}, {"j", "k", "l"}, {"r", "k", "s"}, {"l", "m", "n"},
		{"s", "m", "t"}, {"n", "o", "p"}, {"t", "o", "u"}, {"p", "q"}, {"u", "q"}}
	var xs []strand.Labeled[float64]
	var ops []*tensor.Dense[float64]
	for _, legs := range names {
		sizes := make([]int, len(legs))
		for i := range sizes {
			sizes[i] = 2
		}
		x := random(t, legs, sizes...)
		xs, ops = append(xs, x), append(ops, x.Data)
	}
	z := contract(t, xs...)
	want := strand.MustEinsum("i j, i r, j k l, r k s, l m n, s m t, n o p, t o u, p q, u q -> ", ops...)
	near(t, "ladder", z.Data, want, 1e-12)
}

func TestKroneckerOfIdentities(t *testing.T) {
	K := strand.MustEinsum("i j, k l -> (i k) (j l)", tensor.Eye[float64](5), tensor.Eye[float64](3))
	near(t, "kron(I5, I3)", K, tensor.Eye[float64](15), 0)
}

func TestSVDByGroupingLegs(t *testing.T) {
	T := random(t, []string{"a", "b", "c", "d"}, 2, 3, 2, 4)
	s, err := strand.SVD(T, strand.Left("a", "c"), strand.Truncation{})
	if err != nil {
		t.Fatal(err)
	}
	// U is an isometry toward the new bond: Σ_{a,c} U U = δ.
	if ok, err := decomp.IsIsometry(s.U, []string{"a", "c"}, []string{s.Bond}, 1e-12); err != nil || !ok {
		t.Fatalf("U is not an isometry: %v", err)
	}
	back := contract(t, s.U, s.S, s.Vh)
	back, _ = back.Transpose("a", "b", "c", "d")
	near(t, "U S V†", back.Data, T.Data, 1e-12)
	// Keeping two singular values costs exactly the discarded weight.
	r2, _ := strand.SVD(T, strand.Left("a", "c"), strand.Truncation{MaxRank: 2})
	approx, _ := contract(t, r2.U, r2.S, r2.Vh).Transpose("a", "b", "c", "d")
	err2 := tensor.Sub(approx.Data, T.Data).Norm()
	if math.Abs(err2*err2-r2.Discarded) > 1e-12 {
		t.Fatalf("‖T − T₂‖² = %v, discarded weight %v", err2*err2, r2.Discarded)
	}
}

func TestCPAndTucker(t *testing.T) {
	// A tensor of CP rank 3, recovered by ALS: λ[s] A[i s] B[j s] C[k s].
	A := tensor.RandNormal[float64](rng, 5, 3)
	B := tensor.RandNormal[float64](rng, 6, 3)
	C := tensor.RandNormal[float64](rng, 7, 3)
	T := strand.MustEinsum("i s, j s, k s -> i j k", A, B, C)
	cp, _, err := decomp.CPALS(T, decomp.CPOptions{Rank: 3, Tol: 1e-15, MaxIter: 3000})
	if err != nil {
		t.Fatal(err)
	}
	O := strand.MustEinsum("s, i s, j s, k s -> i j k", tensor.MustFromSlice(cp.Weights, len(cp.Weights)), cp.Factors[0], cp.Factors[1], cp.Factors[2])
	near(t, "CP", O, T, 1e-6)
	// Tucker at full rank is exact: G[a b c] U[i a] V[j b] W[k c].
	tk, _, err := decomp.HOSVD(T, decomp.TuckerOptions{Ranks: []int{5, 6, 7}})
	if err != nil {
		t.Fatal(err)
	}
	back := strand.MustEinsum("a b c, i a, j b, k c -> i j k", tk.Core, tk.Factors[0], tk.Factors[1], tk.Factors[2])
	near(t, "Tucker", back, T, 1e-10)
}

func TestTensorTrain(t *testing.T) {
	// A 6-leg tensor as a tensor train by successive SVDs, and back.
	T := tensor.RandNormal[float64](rng, 2, 3, 2, 3, 2, 2)
	mps, _, err := decomp.TTSVD(T, decomp.TTOptions{})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "TT", mps.Dense(), T, 1e-12)
}
