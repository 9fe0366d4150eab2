package strand

import (
	"testing"

	"github.com/strand-tn/strand/contract"
	"github.com/strand-tn/strand/tensor"
)

// Every formula the seed post writes as einsum, einops or a pasted call,
// evaluated exactly as written and checked against the naive evaluator or a
// direct loop.

var seedRand = tensor.NewRand(1971) // Penrose's notation paper

func rnd(shape ...int) *tensor.Dense[float64] { return tensor.RandNormal[float64](seedRand, shape...) }

func mustClose(t *testing.T, what string, got, want *tensor.Dense[float64]) {
	t.Helper()
	if d := tensor.MaxAbsDiff(got, want); !(d <= 1e-12*max(1, want.MaxAbs())) {
		t.Fatalf("%s: max error %g (shapes %v, %v)", what, d, got.Shape(), want.Shape())
	}
}

func naive(t *testing.T, inputs [][]string, output []string, ops ...*tensor.Dense[float64]) *tensor.Dense[float64] {
	t.Helper()
	out, err := contract.Naive(contract.Spec{Inputs: inputs, Output: output}, ops...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func eval(t *testing.T, expr string, ops ...*tensor.Dense[float64]) *tensor.Dense[float64] {
	t.Helper()
	out, err := Einsum(expr, ops...)
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return out
}

func TestSeedProducts(t *testing.T) {
	a, b := rnd(3), rnd(4)
	mustClose(t, "outer", eval(t, "einsum(a, b, 'i, j, -> i j')", a, b), naive(t, [][]string{{"i"}, {"j"}}, []string{"i", "j"}, a, b))
	c := rnd(3)
	mustClose(t, "dot", eval(t, "einsum(a, b, 'i, i, -> ')", a, c), naive(t, [][]string{{"i"}, {"i"}}, []string{}, a, c))
}

func TestSeedRearranges(t *testing.T) {
	A := rnd(3, 4)
	mustClose(t, "transpose", eval(t, "rearrange(A, 'i j -> j i')", A), A.T().Clone())
	T := rnd(2, 3, 4, 5)
	mustClose(t, "permute", eval(t, "rearrange(T, 'i j k l -> i k j l')", T), T.Permute(0, 2, 1, 3).Clone())
	// (i l) (k j): T.transpose(1,3).reshape(...) in the seed's torch.
	R := eval(t, "rearrange(T, 'i j k l -> (i l) (k j)')", T)
	want := T.Permute(0, 3, 2, 1).Clone().MustReshape(2*5, 4*3)
	mustClose(t, "group", R, want)
	// Splitting: the seed's j=int(np.sqrt(M.shape[-1])) is a Python expression; give its value.
	M := rnd(2, 9)
	S, err := EinsumWith("rearrange(M, 'i (j k) -> i j k', j=int(np.sqrt(M.shape[-1])))", Options{Axes: map[string]int{"j": 3}}, M)
	if err != nil {
		t.Fatal(err)
	}
	mustClose(t, "split", S, M.MustReshape(2, 3, 3))
}

func TestSeedHyperedgeContraction(t *testing.T) {
	A, v, B := rnd(2, 3, 4), rnd(4), rnd(4, 3, 5)
	want := naive(t, [][]string{{"i", "a", "b"}, {"b"}, {"b", "a", "j"}}, []string{"i", "j"}, A, v, B)
	mustClose(t, "einsum", eval(t, "M = einsum(A,v,B,'i α β, β, β α j -> i j')", A, v, B), want)
}

func TestSeedLadder(t *testing.T) {
	shapes := [][]int{{2, 3}, {2, 2}, {3, 3, 2}, {2, 3, 3}, {2, 2, 3}, {3, 2, 2}, {3, 3, 2}, {2, 3, 3}, {2, 2}, {3, 2}}
	ops := make([]*tensor.Dense[float64], len(shapes))
	for k, s := range shapes {
		ops[k] = rnd(s...)
	}
	expr := "einsum(A,V,B,W,C,X,D,Y,E,Z,'i j, i r, j k l, r k s, l m n, s m t, n o p, t o u, p q, u q -> ')"
	labels := [][]string{{"i", "j"}, {"i", "r"}, {"j", "k", "l"}, {"r", "k", "s"}, {"l", "m", "n"}, {"s", "m", "t"}, {"n", "o", "p"}, {"t", "o", "u"}, {"p", "q"}, {"u", "q"}}
	mustClose(t, "ladder", eval(t, expr, ops...), naive(t, labels, []string{}, ops...))
}

func TestSeedKronecker(t *testing.T) {
	got := eval(t, "einsum(t.eye(5), t.eye(3), 'i j, k l -> (i k) (j l)')")
	mustClose(t, "kron", got, tensor.Eye[float64](15))
	// The seed's footnote: rearrange of the four-leg einsum.
	four := eval(t, "einsum(t.eye(5), t.eye(3), 'i j, k l -> i k j l')")
	mustClose(t, "footnote", eval(t, "rearrange(x, 'i k j l -> (i k) (j l)')", four), tensor.Eye[float64](15))
}

func TestSeedSVDReconstruction(t *testing.T) {
	// U, λ, V = t.svd(M); t.allclose(M, einsum(U, λ, t.conj(V), ' i j, j, k j -> i k'))
	M := rnd(5, 4)
	l, err := Legs(M, "i", "k")
	if err != nil {
		t.Fatal(err)
	}
	s, err := SVD(l, Left("i"), Truncation{})
	if err != nil {
		t.Fatal(err)
	}
	V, _ := s.Vh.Transpose("k", s.Bond) // V[k j] = V†[j k] for real data
	got := eval(t, "einsum(U, λ, t.conj(V), ' i j, j, k j -> i k' )", s.U.Data, s.S.Data, V.Data.Clone())
	mustClose(t, "U λ V†", got, M)
}

func TestSeedCPAndTucker(t *testing.T) {
	// O = einsum(λ, U, V, W, 's, i s, j s, k s -> i j k')
	lam, U, V, W := rnd(9), rnd(2, 9), rnd(3, 9), rnd(4, 9)
	got := eval(t, "O = einsum(λ, U, V, W, 's, i s, j s, k s -> i j k')", lam, U, V, W)
	want := tensor.Zeros[float64](2, 3, 4)
	for i := range 2 {
		for j := range 3 {
			for k := range 4 {
				s := 0.0
				for r := range 9 {
					s += lam.At(r) * U.At(i, r) * V.At(j, r) * W.At(k, r)
				}
				want.Set(s, i, j, k)
			}
		}
	}
	mustClose(t, "CP", got, want)
	// O = einsum(C, U, V, W, 'a b c, i a, j b, k c -> i j k')
	C, P, Q, R := rnd(5, 5, 5), rnd(10, 5), rnd(10, 5), rnd(10, 5)
	got = eval(t, "O = einsum(C, U, V, W, 'a b c, i a, j b, k c -> i j k')", C, P, Q, R)
	want = naive(t, [][]string{{"a", "b", "c"}, {"i", "a"}, {"j", "b"}, {"k", "c"}}, []string{"i", "j", "k"}, C, P, Q, R)
	mustClose(t, "Tucker", got, want)
}
