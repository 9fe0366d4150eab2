package studio

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/strand-tn/strand"
	"github.com/strand-tn/strand/examples"
	"github.com/strand-tn/strand/network"
	"github.com/strand-tn/strand/notation"
	"github.com/strand-tn/strand/tensor"
	"github.com/strand-tn/strand/tensorio"
)

// npy encodes a tensor as an uploaded .npy file.
func npy(t testing.TB, x *tensor.Dense[float64]) string {
	t.Helper()
	var buf bytes.Buffer
	if err := tensorio.WriteNPY(&buf, x); err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(buf.Bytes())
}

// naiveSeed is M_ij = Σ_αβ A_iαβ v_β B_βαj by explicit loops.
func naiveSeed(A, v, B *tensor.Dense[float64]) *tensor.Dense[float64] {
	s := A.Shape()
	nj := B.Shape()[2]
	M := tensor.Zeros[float64](s[0], nj)
	for i := range s[0] {
		for j := range nj {
			sum := 0.0
			for a := range s[1] {
				for b := range s[2] {
					sum += A.At(i, a, b) * v.At(b) * B.At(b, a, j)
				}
			}
			M.Set(sum, i, j)
		}
	}
	return M
}

// parseValues reads back the printed values of a result.
func parseValues(t testing.TB, s string, shape ...int) *tensor.Dense[float64] {
	t.Helper()
	s = strings.NewReplacer("[", " ", "]", " ", ",", " ").Replace(s)
	var vals []float64
	for _, f := range strings.Fields(s) {
		var x float64
		if _, err := fmt.Sscan(f, &x); err != nil {
			t.Fatalf("value %q: %v", f, err)
		}
		vals = append(vals, x)
	}
	out, err := tensor.FromSlice(vals, shape...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The seed evaluated on seeded random inputs equals the naive sum on the
// inputs strand.RandomInputs draws for the same seed, to the six digits the
// page prints; the equation of the example holds.
func TestEvalSeedRandom(t *testing.T) {
	s := newServer(t, Options{})
	ex, err := examples.Get("contraction")
	if err != nil {
		t.Fatal(err)
	}
	n := call[numbers](t, s, "/api/eval", evalRequest{Text: ex.Text, Seed: 7})
	if len(n.Errors) != 0 || len(n.Results) != 2 || len(n.Inputs) != 3 {
		t.Fatalf("%+v", n)
	}
	prog, err := notation.ParseProgram(ex.Text)
	if err != nil {
		t.Fatal(err)
	}
	net, err := network.FromProgram(prog, network.ProgramOptions{})
	if err != nil {
		t.Fatal(err)
	}
	in, err := strand.RandomInputs(net, 7)
	if err != nil {
		t.Fatal(err)
	}
	want := naiveSeed(in[0], in[1], in[2])
	m := n.Results[0]
	if m.Name != "M" || m.Kind != "assign" || m.Line != 4 || strings.Join(m.Legs, " ") != "i j" || m.Size != 10 {
		t.Errorf("result %+v", m)
	}
	got := parseValues(t, m.Values, 2, 5)
	if d := tensor.MaxAbsDiff(got, want); d > 1e-5*max(1, want.MaxAbs()) {
		t.Errorf("M differs from the naive sum by %g:\n%v\n%v", d, got, want)
	}
	if float64(m.Norm)-want.Norm() > 1e-9*want.Norm() {
		t.Errorf("norm %v, want %v", m.Norm, want.Norm())
	}
	eq := n.Results[1].Equation
	if eq == nil || !eq.Pass || eq.Relation != "==" || float64(eq.MaxError) > float64(eq.Tolerance) {
		t.Errorf("equation %+v", eq)
	}
	for _, inp := range n.Inputs {
		if inp.Source != "random" || inp.Kind != "general" {
			t.Errorf("input %+v", inp)
		}
	}
}

// A failing equation says so with its error.
func TestEvalEquationFails(t *testing.T) {
	s := newServer(t, Options{})
	n := call[numbers](t, s, "/api/eval", evalRequest{Text: "dim i=3 j=3\nA[i j] B[j k] == B[i j] A[j k]", Seed: 1})
	if len(n.Errors) != 0 || len(n.Results) != 1 {
		t.Fatalf("%+v", n)
	}
	if eq := n.Results[0].Equation; eq == nil || eq.Pass || float64(eq.MaxError) < 1e-3 {
		t.Errorf("AB == BA on random matrices: %+v", eq)
	}
	// Isometries are drawn as isometries: V†V = I holds, VV† ≠ I too.
	n = call[numbers](t, s, "/api/eval", evalRequest{Text: "dim a=5 b=3\nV: isometry(a -> b)\nV†[b a] V[a c] == I[b c]\nV[a b] V†[b c] != I[a c]", Seed: 3})
	if len(n.Errors) != 0 || len(n.Results) != 2 || !n.Results[0].Equation.Pass || !n.Results[1].Equation.Pass {
		t.Fatalf("%+v", n)
	}
}

// Uploaded tensors replace the random ones by name; their shapes fix the
// sizes the text leaves open.
func TestEvalUploads(t *testing.T) {
	s := newServer(t, Options{})
	r := tensor.NewRand(11)
	A := tensor.RandNormal[float64](r, 2, 3, 4)
	v := tensor.RandNormal[float64](r, 4)
	B := tensor.RandNormal[float64](r, 4, 3, 5)
	n := call[numbers](t, s, "/api/eval", evalRequest{Text: seed, Seed: 1,
		Inputs: map[string]string{"A": npy(t, A), "v": npy(t, v), "B": npy(t, B)}})
	if len(n.Errors) != 0 || len(n.Assumed) != 0 {
		t.Fatalf("%+v", n)
	}
	got := parseValues(t, n.Results[0].Values, 2, 5)
	if d := tensor.MaxAbsDiff(got, naiveSeed(A, v, B)); d > 1e-5 {
		t.Errorf("M differs from the naive sum by %g", d)
	}
	for _, inp := range n.Inputs {
		if inp.Source != "uploaded" {
			t.Errorf("input %+v", inp)
		}
	}
	// Only A uploaded: its shape fixes i, α, β; j takes the default.
	n = call[numbers](t, s, "/api/eval", evalRequest{Text: seed, Seed: 1, Inputs: map[string]string{"A": npy(t, A)}})
	if len(n.Errors) != 0 || n.Assumed["j"] != 2 || len(n.Assumed) != 1 || n.Inputs[2].Source != "random" {
		t.Fatalf("%+v", n)
	}
	if sh := n.Results[0].Shape; len(sh) != 2 || sh[0] != 2 || sh[1] != 2 {
		t.Errorf("shape %v", sh)
	}
	// A shape that contradicts the text is an error at the leg.
	n = call[numbers](t, s, "/api/eval", evalRequest{Text: "dim i=3\n" + seed, Inputs: map[string]string{"A": npy(t, A)}})
	if len(n.Errors) != 1 || n.Errors[0].Line == 0 || len(n.Results) != 0 {
		t.Fatalf("%+v", n)
	}
	// An upload the text does not read, or that is not a .npy file.
	n = call[numbers](t, s, "/api/eval", evalRequest{Text: seed, Inputs: map[string]string{"Q": npy(t, v)}})
	if len(n.Errors) != 1 || !strings.Contains(n.Errors[0].Msg, "Q") {
		t.Fatalf("%+v", n)
	}
	msg := apiError(t, s, "/api/eval", evalRequest{Text: seed, Inputs: map[string]string{"A": base64.StdEncoding.EncodeToString([]byte("not npy"))}}, http.StatusUnprocessableEntity)
	if !strings.Contains(msg, "input A") {
		t.Errorf("message %q", msg)
	}
	apiError(t, s, "/api/eval", evalRequest{Text: seed, Inputs: map[string]string{"A": "!!"}}, http.StatusBadRequest)
}

// An einsum equation is evaluated on standard normal operands drawn in
// order from the seed, as strand.Einsum would on the same tensors.
func TestEvalEinsum(t *testing.T) {
	s := newServer(t, Options{})
	n := call[numbers](t, s, "/api/eval", evalRequest{Text: "ij,jk->ik", Seed: 5})
	if len(n.Errors) != 0 || len(n.Results) != 1 || len(n.Inputs) != 2 {
		t.Fatalf("%+v", n)
	}
	r := tensor.NewRand(5)
	A := tensor.RandNormal[float64](r, 2, 2)
	B := tensor.RandNormal[float64](r, 2, 2)
	want := tensor.Zeros[float64](2, 2)
	for i := range 2 {
		for k := range 2 {
			want.Set(A.At(i, 0)*B.At(0, k)+A.At(i, 1)*B.At(1, k), i, k)
		}
	}
	if d := tensor.MaxAbsDiff(parseValues(t, n.Results[0].Values, 2, 2), want); d > 1e-5 {
		t.Errorf("differs by %g", d)
	}
	B5 := tensor.RandNormal[float64](r, 2, 5)
	n = call[numbers](t, s, "/api/eval", evalRequest{Text: "einsum(A, W, 'i j, j k -> k')", Seed: 5, Inputs: map[string]string{"W": npy(t, B5)}})
	if len(n.Errors) != 0 || len(n.Results) != 1 || n.Results[0].Shape[0] != 5 || n.Inputs[1].Source != "uploaded" {
		t.Fatalf("%+v", n)
	}
	n = call[numbers](t, s, "/api/eval", evalRequest{Text: "rearrange(T, 'i j -> j i')"})
	if len(n.Errors) != 1 || !strings.Contains(n.Errors[0].Msg, "rearrange") {
		t.Fatalf("%+v", n)
	}
}

// An evaluation over a budget is refused with a clear error before it
// starts, and the server answers the next request as usual.
func TestEvalBudgets(t *testing.T) {
	s := newServer(t, Options{MaxFlops: 1e6})
	msg := apiError(t, s, "/api/eval", evalRequest{Text: "dim i=100 j=100 k=100\nC[i k] = A[i j] B[j k]"}, http.StatusUnprocessableEntity)
	if !strings.Contains(msg, "floating-point operations") || !strings.Contains(msg, "budget") {
		t.Errorf("message %q", msg)
	}
	call[numbers](t, s, "/api/eval", evalRequest{Text: seed})

	s = newServer(t, Options{MemoryLimit: 1 << 10})
	msg = apiError(t, s, "/api/eval", evalRequest{Text: "dim i=20 j=20\nC[i j] = A[i j]"}, http.StatusUnprocessableEntity)
	if !strings.Contains(msg, "memory") {
		t.Errorf("message %q", msg)
	}
	// The inputs fit, the outer product does not.
	msg = apiError(t, s, "/api/eval", evalRequest{Text: "dim i=12 j=12\nC[i j] = a[i] b[j]"}, http.StatusUnprocessableEntity)
	if !strings.Contains(msg, "memory") {
		t.Errorf("message %q", msg)
	}
	call[numbers](t, s, "/api/eval", evalRequest{Text: seed})
}

func TestJSONFloat(t *testing.T) {
	for _, c := range []struct {
		x    float64
		want string
	}{{1.5, "1.5"}, {math.NaN(), `"NaN"`}, {math.Inf(1), `"+Inf"`}, {math.Inf(-1), `"-Inf"`}} {
		b, err := jsonFloat(c.x).MarshalJSON()
		if err != nil || string(b) != c.want {
			t.Errorf("%v: %s %v, want %s", c.x, b, err, c.want)
		}
	}
}
