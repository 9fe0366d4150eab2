package grad

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/strand-tn/strand/contract"
	"github.com/strand-tn/strand/network"
	"github.com/strand-tn/strand/tensor"
)

// ladder is the seed's ten-tensor ladder,
// einsum(A,V,B,W,C,X,D,Y,E,Z,'i j, i r, j k l, r k s, l m n, s m t, n o p, t o u, p q, u q -> ').
const ladder = `dim i=2 j=3 r=2 k=3 l=2 s=3 m=2 n=3 t=2 o=3 p=2 u=3 q=2
z = A[i j] V[i r] B[j k l] W[r k s] C[l m n] X[s m t] D[n o p] Y[t o u] E[p q] Z[u q]`

// holes evaluates the hole of every node one at a time: the symbolic
// derivative with respect to its tensor (each occurs once), contracted
// with the seed over the network's free legs.
func holes(t *testing.T, prog *network.Program, n *network.Network, b contract.Bindings[float64], seed *tensor.Dense[float64]) []*tensor.Dense[float64] {
	t.Helper()
	x := &network.Expr{Terms: []*network.Term{{Coef: 1, Net: n}}, Output: n.Output, OutputGroups: n.OutputGroups, Sizes: n.Sizes}
	out := make([]*tensor.Dense[float64], len(n.Nodes))
	for k, node := range n.Nodes {
		if !node.Kind.HasData() {
			continue
		}
		d, err := Derive(x, node.Name)
		if err != nil {
			t.Fatal(err)
		}
		v := eval(t, d, b)
		if seed != nil {
			s := seed.Size()
			flat := v.MustReshape(s, v.Size()/s)
			acc := tensor.Zeros[float64](v.Size() / s)
			for o, w := range seed.Data() {
				row, _ := flat.Index(0, o).Reshape(v.Size() / s)
				acc.AddScaled(w, row)
			}
			v = acc
		}
		var shape []int
		for _, leg := range dataLegs(node) {
			shape = append(shape, leg.Size())
		}
		if node.Kind == network.Diagonal {
			shape = shape[:1]
		}
		out[k] = reshaped(t, v, shape)
	}
	return out
}

func TestLadderEnvironmentsInOneSweep(t *testing.T) {
	prog := resolve(t, ladder)
	n := prog.Statements[0].RHS.Terms[0].Net
	inputs := inputsByName(t, prog, 1)
	b := bind(prog, inputs)
	s, err := NewSweep[float64](n, Options{})
	if err != nil {
		t.Fatal(err)
	}
	z, envs, err := s.Environments(b, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := holes(t, prog, n, b, nil)
	for k, node := range n.Nodes {
		if e := relErr(envs[k], want[k]); e > 1e-12 {
			t.Errorf("environment of %s differs from its hole by %g", node.Name, e)
		}
		// The network is linear in each tensor: ⟨env, T⟩ = z.
		if d := tensor.Mul(envs[k], inputs[node.Name]).Sum() - z.Item(); math.Abs(d) > 1e-12*math.Abs(z.Item()) {
			t.Errorf("⟨env_%s, %s⟩ − z = %g", node.Name, node.Name, d)
		}
	}
	if len(s.plan.terms[0].tree) != 2*len(n.Nodes)-1 {
		t.Errorf("the contraction tree has %d nodes, want %d", len(s.plan.terms[0].tree), 2*len(n.Nodes)-1)
	}
}

// TestEnvironmentsWithSeeds checks the sweep on networks with free legs,
// hyperedges, traces, grouped legs, diagonal and symmetric tensors,
// transposes, shifted copy tensors and bubbles, against one hole at a time.
func TestEnvironmentsWithSeeds(t *testing.T) {
	for _, src := range []string{
		"dim i=2 α=3 β=4 j=5\nM[i j] = A[i α β] v[β] B[β α j]",
		"dim i=3 j=4\nt[j] = S[i i] u[j]",
		"dim i=2 j=3 k=4 l=5\nR[(i l) (k j)] = T[i j k l] w[l]",
		"dim i=3 j=3 k=3\nD: diagonal\nS: symmetric\nF[i k] = Bᵀ[k i] D[i j] S[j i] δ[i k] c[k]",
		"dim k=5 q=5 e=3\nP[q e] = δ[k q+1] x[k e] y[q e]",
		"dim i=3 j=4\ny[i] = A[i j] σ(W[i j] u[j])[i] x[j]",
		"dim i=3 j=4\ny[i j] = a[i] b[j] δ[i j2] c[j2] I[j j3] d[j3]\ndim j2=3 j3=4",
	} {
		t.Run(strings.SplitN(src, "\n", 3)[1], func(t *testing.T) {
			prog := resolve(t, src)
			st := prog.Statements[len(prog.Statements)-1]
			n := st.RHS.Terms[0].Net
			inputs := inputsByName(t, prog, 2)
			b := bind(prog, inputs)
			seed := tensor.RandNormal[float64](tensor.NewRand(9), n.OutShape()...)
			s, err := NewSweep[float64](n, Options{})
			if err != nil {
				t.Fatal(err)
			}
			v, envs, err := s.Environments(b, seed)
			if err != nil {
				t.Fatal(err)
			}
			if e := relErr(v, eval(t, st.RHS, b)); e > 1e-13 {
				t.Errorf("value differs by %g", e)
			}
			want := holes(t, prog, n, b, seed)
			for k, node := range n.Nodes {
				if want[k] == nil {
					continue
				}
				if e := relErr(envs[k], want[k]); e > 1e-12 {
					t.Errorf("environment of %s differs from its hole by %g", node.Display(), e)
				}
			}
			if _, _, err := s.Environments(b, tensor.Zeros[float64](7)); err == nil {
				t.Error("a seed of the wrong shape: want an error")
			}
		})
	}
}

// randomNetwork writes a scalar network of n tensors in which T (a matrix)
// occurs k times, its legs and the others' joined at random; every leg has
// size d. It returns the program text.
func randomNetwork(r *rand.Rand, n, k, d int) string {
	type tensorLegs struct {
		name string
		rank int
	}
	var ts []tensorLegs
	for range k {
		ts = append(ts, tensorLegs{"T", 2})
	}
	for i := range n - k {
		ts = append(ts, tensorLegs{fmt.Sprintf("G%d", i), 1 + r.IntN(3)})
	}
	var slots []int // tensor index of each leg
	for i, tl := range ts {
		for range tl.rank {
			slots = append(slots, i)
		}
	}
	if len(slots)%2 == 1 {
		ts = append(ts, tensorLegs{"g", 1})
		slots = append(slots, len(ts)-1)
	}
	r.Shuffle(len(slots), func(a, b int) { slots[a], slots[b] = slots[b], slots[a] })
	legs := make([][]string, len(ts))
	var dims []string
	for p := 0; p < len(slots); p += 2 {
		l := fmt.Sprintf("l%d", p/2)
		dims = append(dims, fmt.Sprintf("%s=%d", l, d))
		legs[slots[p]] = append(legs[slots[p]], l)
		legs[slots[p+1]] = append(legs[slots[p+1]], l)
	}
	var factors []string
	for i, tl := range ts {
		factors = append(factors, tl.name+"["+strings.Join(legs[i], " ")+"]")
	}
	return "dim " + strings.Join(dims, " ") + "\nz = " + strings.Join(factors, " ")
}

// TestEulerIdentity checks ⟨∂Z/∂T, T⟩ = k·Z for multilinear Z in which T
// occurs k times, on random networks: with the symbolic derivative, with
// reverse mode and with the sweep's environments summed over occurrences.
func TestEulerIdentity(t *testing.T) {
	r := rand.New(rand.NewPCG(2024, 6))
	for trial := range 40 {
		k := 1 + r.IntN(4)
		src := randomNetwork(r, k+1+r.IntN(5), k, 2+r.IntN(2))
		prog := resolve(t, src)
		x := last(t, prog)
		inputs := inputsByName(t, prog, uint64(trial))
		b := bind(prog, inputs)
		z := eval(t, x, b).Item()
		d, err := Derive(x, "T")
		if err != nil {
			t.Fatal(err)
		}
		T := inputs["T"]
		check := func(method string, g *tensor.Dense[float64]) {
			got := tensor.Mul(reshaped(t, g, T.Shape()), T).Sum()
			if math.Abs(got-float64(k)*z) > 1e-10*math.Max(1, math.Abs(z)) {
				t.Errorf("%s\n%s: ⟨∂Z/∂T, T⟩ = %g, k·Z = %d·%g", src, method, got, k, z)
			}
		}
		check("symbolic", eval(t, d, b))
		s, err := Simplify(d)
		if err != nil {
			t.Fatal(err)
		}
		check("simplified", eval(t, s, b))
		g, err := Compile[float64](prog, []string{"T"}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		res, err := g.ValueAndGrad(b)
		if err != nil {
			t.Fatal(err)
		}
		check("reverse mode", res.Grads["T"])
		sw, err := NewSweep[float64](x.Terms[0].Net, Options{})
		if err != nil {
			t.Fatal(err)
		}
		_, envs, err := sw.Environments(b, nil)
		if err != nil {
			t.Fatal(err)
		}
		sum := tensor.Zeros[float64](T.Shape()...)
		for i, node := range x.Terms[0].Net.Nodes {
			if node.Name == "T" {
				sum.AddScaled(1, envs[i])
			}
		}
		check("sweep", sum)
	}
}

// Environments of a complex network: a conjugated tensor's environment is
// with respect to its conjugate, as its hole is.
func TestComplexEnvironments(t *testing.T) {
	prog := resolve(t, "dim i=3 j=4 k=2\ny[i k] = A[i j] conj(B)[j k] B[j k2] c[k2]\ndim k2=2")
	n := prog.Statements[0].RHS.Terms[0].Net
	r := tensor.NewRand(3)
	var inputs []*tensor.Dense[complex128]
	for _, in := range prog.Inputs {
		re, im := tensor.RandNormal[float64](r, in.Shape...), tensor.RandNormal[float64](r, in.Shape...)
		z := tensor.Zip(tensor.Convert[complex128](re), tensor.Convert[complex128](im), func(a, b complex128) complex128 { return a + 1i*b })
		inputs = append(inputs, z)
	}
	b := contract.Bindings[complex128]{Inputs: inputs}
	s, err := NewSweep[complex128](n, Options{})
	if err != nil {
		t.Fatal(err)
	}
	seed := tensor.Convert[complex128](tensor.RandNormal[float64](r, 3, 2))
	_, envs, err := s.Environments(b, seed)
	if err != nil {
		t.Fatal(err)
	}
	x := &network.Expr{Terms: []*network.Term{{Coef: 1, Net: n}}, Output: n.Output, OutputGroups: n.OutputGroups, Sizes: n.Sizes}
	// The hole of A, by the symbolic derivative, contracted with the seed.
	d, err := Derive(x, "A")
	if err != nil {
		t.Fatal(err)
	}
	jac, err := contract.EvalExpr(d, b, contract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want, err := contract.Einsum(contract.Spec{Inputs: [][]string{{"i", "k"}, {"i", "k", "a", "b"}}, Output: []string{"a", "b"}}, seed, jac)
	if err != nil {
		t.Fatal(err)
	}
	if d := tensor.MaxAbsDiff(envs[0], want); d > 1e-12 {
		t.Errorf("complex environment of A differs by %g", d)
	}
	// B and conj(B): each node's environment, against the hole's value.
	value, err := contract.EvalNetwork(n, b, contract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	total := tensor.Mul(seed, value).Sum()
	conjB := inputs[1].Map(func(v complex128) complex128 { return complex(real(v), -imag(v)) })
	for k, data := range map[int]*tensor.Dense[complex128]{0: inputs[0], 1: conjB, 2: inputs[1], 3: inputs[2]} {
		if got := tensor.Mul(envs[k], data).Sum(); tensor.Abs(got-total) > 1e-12*tensor.Abs(total) {
			t.Errorf("⟨env, data⟩ of node %d = %v, want %v", k, got, total)
		}
	}
}
