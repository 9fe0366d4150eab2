package grad

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/strand-tn/strand/network"
)

// netOf returns the first network of a program's last statement.
func netOf(t testing.TB, src string) *network.Network {
	t.Helper()
	return last(t, resolve(t, src)).Terms[0].Net
}

// relabel returns n with every label renamed at random, its nodes shuffled
// and general tensors written the other way round (Aᵀ[j i] for A[i j]):
// the same network.
func relabel(t testing.TB, n *network.Network, r *rand.Rand) *network.Network {
	t.Helper()
	c := newCtx()
	if err := c.addNet(n); err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, l := range r.Perm(len(labelsOf(n))) {
		old := labelsOf(n)[l]
		m[old] = c.freshSized("r", c.sizes[old])
	}
	renamed := c.renameNet(n, m)
	nodes := slices.Clone(renamed.Nodes)
	r.Shuffle(len(nodes), func(a, b int) { nodes[a], nodes[b] = nodes[b], nodes[a] })
	for i, node := range nodes {
		if node.Kind == network.General && r.IntN(2) == 0 {
			nn := *node
			nn.Transpose = !nn.Transpose
			nn.Legs = slices.Clone(nn.Legs)
			slices.Reverse(nn.Legs)
			nodes[i] = &nn
		}
	}
	return c.net(nodes, renamed.OutputGroups)
}

// Colour refinement gives every vertex of a 6-cycle and of two 3-cycles the
// same colour history, so the hashes agree; the exact check tells them
// apart.
func TestCycleVersusTriangles(t *testing.T) {
	for _, kind := range []string{"", "M: symmetric\n"} {
		six := netOf(t, "dim a=3 b=3 c=3 d=3 e=3 f=3\n"+kind+"z = M[a b] M[b c] M[c d] M[d e] M[e f] M[f a]")
		two := netOf(t, "dim a=3 b=3 c=3 d=3 e=3 f=3\n"+kind+"z = M[a b] M[b c] M[c a] M[d e] M[e f] M[f d]")
		if Hash(six) != Hash(two) {
			t.Errorf("%shashes differ: colour refinement should not tell a 6-cycle from two 3-cycles", kind)
		}
		if iso, err := Isomorphic(six, two); err != nil || iso {
			t.Errorf("%sa 6-cycle and two 3-cycles reported isomorphic (%v)", kind, err)
		}
		a, _ := Canonical(six)
		b, _ := Canonical(two)
		if a == b {
			t.Error("equal canonical forms")
		}
	}
}

func TestDifferentNetworksDiffer(t *testing.T) {
	pairs := [][2]string{
		{"dim i=3 j=3\nz = A[i j] B[j i]", "dim i=3 j=3\nz = A[i j] B[i j]"},
		{"dim i=3 j=3\ny[i j] = A[i k] B[k j]\ndim k=3", "dim i=3 j=3\ny[i j] = A[i k] B[j k]\ndim k=3"},
		{"dim i=3 j=3\ny[i j] = A[i j]", "dim i=3 j=3\ny[i j] = A[j i]"},
		{"dim i=3 j=4\ny[i] = σ(A[i j] x[j])[i] v[i]", "dim i=3 j=4\ny[i] = tanh(A[i j] x[j])[i] v[i]"},
		{"dim i=3 j=4\ny[i] = σ(A[i j] x[j])[i] v[i]", "dim i=3 j=4\ny[i] = σ(2 A[i j] x[j])[i] v[i]"},
		{"dim q=3 k=3\ny[q k] = softmax_k(A[q k])[q k]", "dim q=3 k=3\ny[q k] = softmax_q(A[q k])[q k]"},
		{"dim i=3 j=3\nz = δ[i j] A[i j]", "dim i=3 j=3\nz = I[i j] A[i i] u[j]"},
		{"dim i=3 j=4\nz = conj(A)[i j] B[i j]", "dim i=3 j=4\nz = A[i j] B[i j]"},
	}
	for _, p := range pairs {
		a, b := netOf(t, p[0]), netOf(t, p[1])
		if iso, err := Isomorphic(a, b); err != nil || iso {
			t.Errorf("reported isomorphic (%v):\n%s\n%s", err, p[0], p[1])
		}
	}
}

func TestRelabelledCopiesAreIsomorphic(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	srcs := []string{
		ladder,
		"dim q=4 k=4 d=2 e=3\nL = G[q e] softmax_k(Q[q d] K[k d])[q k] V[k e] + sum_k(exp(Q[q d] K[k d])[q k])[q] c[q]",
		"dim i=2 α=3 β=4 j=5\nM[i j] = A[i α β] v[β] B[β α j] δ[i j2] I[j2 j3] w[j3]\ndim j2=2 j3=2",
	}
	for range 20 {
		srcs = append(srcs, randomNetwork(r, 3+r.IntN(8), 1+r.IntN(3), 2))
	}
	for _, src := range srcs {
		n := netOf(t, src)
		want, err := Canonical(n)
		if err != nil {
			t.Fatal(err)
		}
		for range 5 {
			m := relabel(t, n, r)
			if Hash(m) != Hash(n) {
				t.Errorf("relabelling changed the hash of\n%s", src)
			}
			got, err := Canonical(m)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("relabelling changed the canonical form of\n%s\nto\n%s", src, m)
			}
		}
	}
}

// Highly symmetric networks: automorphism pruning keeps the search small.
func TestCanonicalOfSymmetricNetworks(t *testing.T) {
	ring, disjoint, star := "z =", "z =", "z ="
	dims := "dim"
	for i := range 16 {
		ring += fmt.Sprintf(" M[a%d a%d]", i, (i+1)%16)
		disjoint += fmt.Sprintf(" v[b%d] v[b%d]", i, i)
		star += fmt.Sprintf(" w[c c%d]", i)
		dims += fmt.Sprintf(" a%d=2 b%d=2 c%d=2", i, i, i)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for _, body := range []string{ring, disjoint, star} {
		n := netOf(t, dims+" c=2\n"+body)
		a, err := Canonical(n)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Canonical(relabel(t, n, r))
		if err != nil || a != b {
			t.Errorf("canonical forms differ (%v) for %s", err, body)
		}
	}
}

func FuzzCanonical(f *testing.F) {
	for _, s := range []uint64{1, 2, 3, 42, 1 << 40} {
		f.Add(s, uint8(6), uint8(2))
	}
	f.Fuzz(func(t *testing.T, seed uint64, size, k uint8) {
		r := rand.New(rand.NewPCG(seed, 77))
		n := 2 + int(size)%10
		src := randomNetwork(r, n, 1+int(k)%min(3, n), 2+r.IntN(2))
		net := netOf(t, src)
		want, err := Canonical(net)
		if errors.Is(err, ErrTooSymmetric) {
			t.Skip(err)
		}
		if err != nil {
			t.Fatal(err)
		}
		got, err := Canonical(relabel(t, net, r))
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("relabelling changed the canonical form of\n%s", src)
		}
	})
}
