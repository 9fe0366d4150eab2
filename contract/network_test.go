package contract

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/strand-tn/strand/network"
	"github.com/strand-tn/strand/notation"
	"github.com/strand-tn/strand/tensor"
)

// evalStatement parses src (one statement), binds inputs in order of first
// appearance and returns the value of its last statement.
func evalStatement(t *testing.T, src string, inputs ...*tensor.Dense[float64]) *tensor.Dense[float64] {
	t.Helper()
	ast, err := notation.ParseProgram(src)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	var shapes [][]int
	for _, in := range inputs {
		shapes = append(shapes, in.Shape())
	}
	prog, err := network.FromProgram(ast, network.ProgramOptions{Operands: shapes})
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	b := Bindings[float64]{Inputs: inputs, Named: map[string]*tensor.Dense[float64]{}}
	var v *tensor.Dense[float64]
	for _, st := range prog.Statements {
		if v, err = EvalExpr(st.RHS, b, Options{}); err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		if st.Kind == network.Assign {
			b.Named[st.Name] = v
		}
	}
	return v
}

func TestNetworkSeedContraction(t *testing.T) {
	// M_ij = Σ_αβ A_iαβ v_β B_βαj: β is a hyperedge on three tensors.
	r := rand.New(rand.NewPCG(1, 1))
	A := tensor.RandNormal[float64](r, 2, 3, 4)
	v := tensor.RandNormal[float64](r, 4)
	B := tensor.RandNormal[float64](r, 4, 3, 5)
	got := evalStatement(t, "M[i j] = A[i α β] v[β] B[β α j]", A, v, B)
	want, _ := Naive(Spec{Inputs: [][]string{{"i", "a", "b"}, {"b"}, {"b", "a", "j"}}, Output: []string{"i", "j"}}, A, v, B)
	assertClose(t, "seed", got, want)
}

func TestNetworkKronOfIdentities(t *testing.T) {
	got := evalStatement(t, "dim i=5 k=3\nK[(i k) (j l)] = I[i j] I[k l]")
	assertClose(t, "kron", got, tensor.Eye[float64](15))
}

func TestNetworkDeltas(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 2))
	x := tensor.RandNormal[float64](r, 4)
	// A diagonal matrix as a vector hanging off a 3-leg copy dot.
	got := evalStatement(t, "D[i j] = x[k] δ[i j k]", x)
	want := tensor.Zeros[float64](4, 4)
	for i := range 4 {
		want.Set(x.At(i), i, i)
	}
	assertClose(t, "diag", got, want)
	// A closed copy tensor sums to its size; a trace of the identity too.
	if got := evalStatement(t, "dim i=7\ns = δ[i i]"); got.Item() != 7 {
		t.Errorf("δ[i i] = %v, want 7", got.Item())
	}
	// The previous-token pattern: A_kq = δ_{k,q+1}.
	got = evalStatement(t, "dim k=4 q=4\nA[k q] = δ[k q+1]")
	want = tensor.Zeros[float64](4, 4)
	for q := range 3 {
		want.Set(1, q+1, q)
	}
	assertClose(t, "shifted delta", got, want)
}

func TestNetworkBubblesAndSums(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	W := tensor.RandNormal[float64](r, 3, 5)
	x := tensor.RandNormal[float64](r, 5)
	got := evalStatement(t, "h[b] = gelu(W[b a] x[a]) + 0.5 W[b a] x[a]", W, x)
	wx, _ := Einsum(Spec{Inputs: [][]string{{"b", "a"}, {"a"}}, Output: []string{"b"}}, W, x)
	want := wx.Map(func(v float64) float64 { return 0.5*v*(1+math.Erf(v/math.Sqrt2)) + 0.5*v })
	assertClose(t, "gelu", got, want)

	Q := tensor.RandNormal[float64](r, 4, 6)
	K := tensor.RandNormal[float64](r, 5, 6)
	A := evalStatement(t, "A[q k] = softmax_k(Q[q d] K[k d])", Q, K)
	if !slices.Equal(A.Shape(), []int{4, 5}) {
		t.Fatalf("softmax shape %v", A.Shape())
	}
	for q := range 4 {
		if s := A.Index(0, q).Sum(); math.Abs(s-1) > 1e-14 {
			t.Errorf("row %d of softmax sums to %v", q, s)
		}
	}
}

func TestNetworkTransposeAndInverse(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	X := tensor.RandNormal[float64](r, 4, 4)
	got := evalStatement(t, "P[i k] = X[i j] X⁻¹[j k]", X)
	assertClose(t, "X X⁻¹", got, tensor.Eye[float64](4))
	A := tensor.RandNormal[float64](r, 3, 4)
	got = evalStatement(t, "B[i j] = Aᵀ[i j]", A)
	assertClose(t, "transpose", got, A.T().Clone())
}
