package strand

import (
	"math"
	"strings"
	"testing"

	"github.com/strand-tn/strand/network"
	"github.com/strand-tn/strand/tensor"
)

// runText runs an index-notation program on seeded random inputs.
func runText(t *testing.T, src string) []Result[float64] {
	t.Helper()
	p, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	results, err := p.Eval(nil, Options{Random: true, Seed: 7})
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	return results
}

func TestDecompositionStatements(t *testing.T) {
	for _, c := range []struct {
		name, src string
		recon     float64 // largest reconstruction error allowed
	}{
		{"svd", "dim i=6 k=4\nU[i a] λ[a] V†[a k] = svd(M[i k])\nM[i k] == U[i a] λ[a] V†[a k]\nU[i a] U[i b] == I[a b]\nV†[a k] V†[b k] == I[a b]", 1e-13},
		{"svd of a tensor", "dim i=2 j=3 k=2 l=2\nX[i l a] σ[a] Y[a k j] = svd(T[i j k l])\nX[i l a] X[i l b] == I[a b]", 1e-13},
		{"qr", "dim i=5 k=3\nQ[i a] R[a k] = qr(M[i k])\nQ[i a] Q[i b] == I[a b]", 1e-13},
		{"tucker", "dim i=3 j=4 k=5\nG[a b c] U[i a] V[j b] W[k c] = tucker(T[i j k])\nU[i a] U[i b] == I[a b]", 1e-12},
		{"tt", "dim i=2 j=3 k=4 l=2\nA[i a] B[a j b] C[b k c] D[c l] = tt(T[i j k l])\nA[i a] A[i b] == I[a b]\nB[a j b] B[a j c] == I[b c]", 1e-12},
		{"tt with the centre inside", "dim i=2 j=3 k=2 l=2 b2=4\nA: isometry(i -> a)\nD[c l]: isometry(l -> c)\nC[b k c]: isometry(k c -> b)\nA[i a] B[a j b] C[b k c] D[c l] = tt(T[i j k l])\nC†[c k b2] C[b k c] == I[b2 b]\nT[i j k l] T[i j k l] == B[a j b] B[a j b]", 1e-12},
		{"cp of a rank-2 tensor", "dim i=3 j=4 k=5 s=2 r=2\nT[i j k] = A0[i s] B0[j s] C0[k s]\nλ[r] A[i r] B[j r] C[k r] = cp(T[i j k])", 1e-6},
	} {
		results := runText(t, c.src)
		for _, r := range results {
			switch r.Statement.Kind {
			case network.Decompose:
				if rel := r.MaxError / r.Value.MaxAbs(); !(rel <= c.recon) {
					t.Errorf("%s: reconstruction error %g", c.name, rel)
				}
			case network.Equation:
				if !r.Pass {
					t.Errorf("%s: equation at %d fails by %g", c.name, r.Statement.Pos, r.MaxError)
				}
			}
		}
	}
}

func TestTruncatedSVDStatement(t *testing.T) {
	// Eckart–Young: keeping 2 of 4 singular values costs exactly the
	// weight of the others.
	results := runText(t, "dim i=6 k=4 a=2\nU[i a] λ[a] V†[a k] = svd(M[i k])")
	M, approx := results[0].Value, results[0].LHS
	full, err := SVD(MustLegs(M, "i", "k"), Left("i"), Truncation{})
	if err != nil {
		t.Fatal(err)
	}
	s := full.Spectrum
	want := math.Sqrt(s[2]*s[2] + s[3]*s[3])
	d := tensor.Sub(M, approx)
	if got := d.Norm(); math.Abs(got-want) > 1e-12*want {
		t.Errorf("‖M − U λ V†‖ = %v, want %v", got, want)
	}
}

func TestDecompositionErrors(t *testing.T) {
	for _, c := range []struct{ src, msg string }{
		{"dim i=3 j=4 k=5\nλ[s] A[i s] B[j s] C[k s] = cp(T[i j k])", "declare the rank"},
		{"dim i=3 j=4\nU[i a] V[a j] W[a] = svd(M[i j])", "the middle factor holds the singular values"},
		{"dim i=3 j=4\nU[i a] V[a j] = svd(M[i j])", "write 3 factors"},
		{"dim i=3 j=4\nU[i a] S[a] V[a] = svd(M[i j])", "free legs"},
		{"dim i=2 j=3 k=4 l=2\nA[i a] B[a j] C[b k] D[b l] = tt(T[i j k l])", "neighbouring sites share one bond"},
		{"dim i=3 j=4\nU[i a] S[a] V[a j] = svd(M[i j])\nU[i b] S[b] W[b j] = svd(M[i j])", "defined twice"},
	} {
		p, err := Parse(c.src)
		if err == nil {
			_, err = p.Eval(nil, Options{Random: true})
		}
		if err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%q: got %v, want %q", c.src, err, c.msg)
		}
		if _, ok := network.Position(err); !ok {
			t.Errorf("%q: error without a position: %v", c.src, err)
		}
	}
}
