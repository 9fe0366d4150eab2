package grad_test

import (
	"strings"
	"testing"

	"github.com/strand-tn/strand"
	"github.com/strand-tn/strand/grad"
)

func TestCheck(t *testing.T) {
	src := `dim i=3 j=4 a=5 b=3 c=5 k=3 m=3
V: isometry(a -> b)
M[i j] = A[i k] B[k j]
A[i k] B[k j] == M[i j]
A[i k] C[k i] == C[k i] A[i k]
V†[b a] V[a k] == I[b k]
V[a b] V†[b c] != I[a c]
A[i k] C[k i] != C[k i] A[i k]
M[i j] == A[i k] B[k j] + 1e-3 A[i k] B[k j]
G[k m] G⁻¹[m b] == I[k b]`
	p, err := strand.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := p.Resolve(nil, strand.Options{})
	if err != nil {
		t.Fatal(err)
	}
	inputs, err := strand.RandomInputs(prog, 3)
	if err != nil {
		t.Fatal(err)
	}
	vs, err := grad.Check(prog, inputs, grad.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		method grad.Method
		pass   bool
	}{
		{grad.Symbolic, true},  // by inlining M
		{grad.Symbolic, true},  // the cyclic trace
		{grad.Symbolic, true},  // V†V = I
		{grad.Numeric, true},   // VV† ≠ I: the numbers show it
		{grad.Symbolic, false}, // a != that the symbols disprove
		{grad.Numeric, false},  // off by 1e-3
		{grad.Symbolic, true},  // G G⁻¹ = I
	}
	if len(vs) != len(want) {
		t.Fatalf("%d verdicts, want %d", len(vs), len(want))
	}
	lines := strings.Split(src, "\n")
	for i, v := range vs {
		if v.Method != want[i].method || v.Pass != want[i].pass {
			t.Errorf("%s: %s pass=%v, want %s pass=%v (%s)", lines[i+3], v.Method, v.Pass, want[i].method, want[i].pass, v.Note)
		}
	}
}
