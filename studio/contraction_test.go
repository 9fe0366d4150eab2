package studio

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// lower merges copy tensors and identities into their legs, as the
// evaluator does, and keeps a shifted copy tensor, which it must build.
func TestLower(t *testing.T) {
	for _, c := range []struct {
		text  string
		names []string
		out   int // output labels
	}{
		{"dim i=2 j=3\nx[i] = A[i j] δ[j k l] B[k] C[l]", []string{"A", "B", "C"}, 1},
		{"dim i=2 j=3\nx[i k] = A[i j] I[j k]", []string{"A"}, 2},
		{"dim k=3 q=3\nA[k q] = δ[k q+1] B[q]", []string{"δ", "B"}, 2},
	} {
		d, err := compile(c.text, nil, 2)
		if err != nil {
			t.Fatalf("%q: %v", c.text, err)
		}
		set, err := lower(d.stmts[0].rhs.Terms[0].Net)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(set.names, c.names) || len(set.output) != c.out {
			t.Errorf("%q: operands %v %v, output %v", c.text, set.names, set.labels, set.output)
		}
	}
	// The copy tensor's three legs are one index: A, B and C share it.
	d, _ := compile("dim i=2 j=3\nx[i] = A[i j] δ[j k l] B[k] C[l]", nil, 2)
	set, _ := lower(d.stmts[0].rhs.Terms[0].Net)
	if j := set.labels[0][1]; set.labels[1][0] != j || set.labels[2][0] != j || set.sizes[j] != 3 {
		t.Errorf("labels %v sizes %v", set.labels, set.sizes)
	}
}

// The contraction of a term is the optimizer's path, shown on the drawing:
// each step names the scene IDs it joins.
func TestContractTermSteps(t *testing.T) {
	d, err := compile("dim a=10 b=10 c=10 d=2\nx[a] = A[a b] B[b c] C[c d] v[d]", nil, 2)
	if err != nil {
		t.Fatal(err)
	}
	net := d.stmts[0].rhs.Terms[0].Net
	pl, err := planNet(context.Background(), net)
	if err != nil || pl == nil {
		t.Fatal(pl, err)
	}
	c := pl.contraction(func(i int) string { return net.Nodes[i].Name })
	// Contracting from the small end is cheapest: C v first, then B, then A;
	// opt_einsum counts 2·10·2 + 2·10·10 + 2·10·10 = 440 FLOPs.
	var exprs []string
	for _, s := range c.Steps {
		exprs = append(exprs, s.Expr)
	}
	want := []string{"C[c d] v[d] -> [c]", "B[b c] (C v)[c] -> [b]", "A[a b] (B (C v))[b] -> [a]"}
	if !slices.Equal(exprs, want) || !c.Optimal || c.Flops != "440" {
		t.Errorf("steps %q, flops %s, optimal %v", exprs, c.Flops, c.Optimal)
	}
	if last := c.Steps[2]; !slices.Equal(last.A, []string{"A"}) || strings.Join(last.B, " ") != "B C v" {
		t.Errorf("last step joins %v and %v", last.A, last.B)
	}
}
