package codegen

import (
	"fmt"
	"math/big"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/strand-tn/strand/network"
	"github.com/strand-tn/strand/notation"
	"github.com/strand-tn/strand/path"
)

// lowerEinsum lowers an einsum expression with operand shapes.
func lowerEinsum(t testing.TB, expr string, shapes ...[]int) *Contraction {
	t.Helper()
	e, err := notation.ParseEinsum(expr)
	if err != nil {
		t.Fatal(err)
	}
	n, err := network.FromEinsum(e, shapes)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Lower(n)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// lowerProgram lowers the one term of a one-statement program.
func lowerProgram(t testing.TB, src string) *Contraction {
	t.Helper()
	p, err := notation.ParseProgram(src)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := network.FromProgram(p, network.ProgramOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := Lower(prog.Statements[0].RHS.Terms[0].Net)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// plan returns the greedy path's report for c.
func plan(t testing.TB, c *Contraction, limit int64) *path.Info {
	t.Helper()
	p, err := c.Problem()
	if err != nil {
		t.Fatal(err)
	}
	_, info, err := path.Optimize(p, path.Options{Method: "greedy", MemoryLimit: limit})
	if err != nil {
		t.Fatal(err)
	}
	return info
}

func TestLowerEinsum(t *testing.T) {
	c := lowerEinsum(t, "ij,jk->ik", []int{2, 3}, []int{3, 4})
	if len(c.Inputs) != 2 || c.Inputs[0].Name != "A" || !slices.Equal(c.Inputs[1].Shape, []int{3, 4}) {
		t.Errorf("inputs %+v", c.Inputs)
	}
	if !slices.Equal(c.Output, []string{"i", "k"}) || !slices.Equal(c.OutShape, []int{2, 4}) || c.Factor != 1 {
		t.Errorf("output %v shape %v factor %v", c.Output, c.OutShape, c.Factor)
	}
	p, err := c.Problem()
	if err != nil || p.Expr() != "ij,jk->ik" {
		t.Errorf("problem %q, %v", p.Expr(), err)
	}
}

// TestLowerMergesCopyTensors: a copy tensor joins labels (k becomes i), a
// grouped leg splits into its labels, a repeated label is a diagonal, a copy
// tensor alone on a summed label is a factor of its size, and an input used
// twice is read once.
func TestLowerMergesCopyTensors(t *testing.T) {
	c := lowerProgram(t, "dim i=2 j=3 k=2 r=4 u=5 v=5\nK[i j] = A[i j r] δ[i k] C[(i k) r] B[j j] δ[u v] A[i j r]")
	want := [][]string{{"i", "j", "r"}, {"i", "i", "r"}, {"j", "j"}, {"i", "j", "r"}}
	if len(c.Operands) != len(want) {
		t.Fatalf("%d operands, want %d", len(c.Operands), len(want))
	}
	for k, op := range c.Operands {
		if !slices.Equal(op.Labels, want[k]) {
			t.Errorf("operand %d legs %v, want %v", k, op.Labels, want[k])
		}
	}
	if c.Operands[3].Index != 0 || len(c.Inputs) != 3 || c.Inputs[1].Name != "C" || !slices.Equal(c.Inputs[1].Shape, []int{4, 4}) {
		t.Errorf("inputs %+v, operand 3 reads input %d", c.Inputs, c.Operands[3].Index)
	}
	if c.Factor != 5 {
		t.Errorf("factor %v, want 5 (Σ_uv δ_uv)", c.Factor)
	}
	p, err := c.Problem()
	if err != nil || p.Expr() != "ijr,ir,j,ijr->ij" {
		t.Errorf("problem %q, %v", p.Expr(), err)
	}
	if err := c.Plain(); err != nil {
		t.Error(err)
	}
}

// TestBroadcastAxes: an axis of size 1 against a larger label is dropped from
// the operand's labels and indexed at 0 in the script.
func TestBroadcastAxes(t *testing.T) {
	c := lowerEinsum(t, "ij,jk->ik", []int{2, 1}, []int{3, 4})
	p, err := c.Problem()
	if err != nil || p.Expr() != "i,jk->ik" {
		t.Fatalf("problem %q, %v", p.Expr(), err)
	}
	var b strings.Builder
	if err := Generate(&b, c, plan(t, c, 0), Options{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "x0 = x0[:, 0]  # [i]") {
		t.Errorf("no broadcast index in\n%s", b.String())
	}
}

func TestRefusals(t *testing.T) {
	// Two output legs joined by a copy tensor: a diagonal output.
	c := lowerProgram(t, "dim i=2 k=2\nK[i k] = A[i] δ[i k]")
	if err := c.Plain(); err == nil || !strings.Contains(err.Error(), "diagonal output") {
		t.Errorf("diagonal output: %v", err)
	}
	if err := Generate(&strings.Builder{}, c, plan(t, c, 0), Options{}); err == nil {
		t.Error("generated a diagonal output")
	}
	// A function bubble is computed, not read.
	c = lowerProgram(t, "dim b=2 a=3\nh[b] = gelu(W[b a] x[a]) v[b]")
	err := Generate(&strings.Builder{}, c, plan(t, c, 0), Options{})
	if err == nil || !strings.Contains(err.Error(), "function bubble") {
		t.Errorf("bubble: %v", err)
	}
	// One step over 53 labels is more than einsum's letters.
	var labels []string
	shape := make([]int, 53)
	for i := range 53 {
		labels = append(labels, fmt.Sprintf("l%d", i))
		shape[i] = 1
	}
	c = lowerEinsum(t, strings.Join(labels, " ")+" -> "+labels[0], shape)
	err = Generate(&strings.Builder{}, c, plan(t, c, 0), Options{})
	if err == nil || !strings.Contains(err.Error(), "53 labels in one einsum call") {
		t.Errorf("53 labels: %v", err)
	}
	if _, err := ParseLang("fortran"); err == nil || !strings.Contains(err.Error(), "numpy, torch, jax, opt_einsum") {
		t.Errorf("unknown language: %v", err)
	}
}

// TestManyLabels: a ladder with 58 labels (more than einsum's 52) is written
// with each step's labels renamed, every step within a, b, c, ….
func TestManyLabels(t *testing.T) {
	var terms []string
	var shapes [][]int
	for k := range 20 {
		for _, side := range []string{"t", "b"} {
			var ls []string
			var sh []int
			if k > 0 {
				ls, sh = append(ls, fmt.Sprint(side, k-1)), append(sh, 4)
			}
			ls, sh = append(ls, fmt.Sprint("r", k)), append(sh, 2)
			if k < 19 {
				ls, sh = append(ls, fmt.Sprint(side, k)), append(sh, 4)
			}
			terms, shapes = append(terms, strings.Join(ls, " ")), append(shapes, sh)
		}
	}
	c := lowerEinsum(t, strings.Join(terms, ", ")+" ->", shapes...)
	var b strings.Builder
	if err := Generate(&b, c, plan(t, c, 0), Options{Lang: Torch}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(b.String(), "torch.einsum("); got != 39 {
		t.Errorf("%d einsum calls, want 39 (one per step)", got)
	}
}

// TestSlicedScript: with a memory limit, every operand carrying a sliced label
// is indexed by its slice variable, and the header states the slices.
func TestSlicedScript(t *testing.T) {
	c := lowerEinsum(t, "ab,bc,ca->", []int{6, 6}, []int{6, 6}, []int{6, 6})
	info := plan(t, c, 6)
	if len(info.Sliced) != 1 || info.Slices.Cmp(big.NewInt(6)) != 0 {
		t.Fatalf("sliced %v into %v", info.Sliced, info.Slices)
	}
	l := info.Problem.Names[info.Sliced[0]]
	var b strings.Builder
	if err := Generate(&b, c, info, Options{}); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	for _, want := range []string{"# Sliced over " + l + ": 6 slices", "for s0 in range(6):", "out = part if out is None else out + part"} {
		if !strings.Contains(s, want) {
			t.Errorf("missing %q in\n%s", want, s)
		}
	}
	b.Reset()
	if err := Generate(&b, c, info, Options{Lang: JAX}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "lax.fori_loop(0, 6, body, out)") {
		t.Errorf("no fori_loop in\n%s", b.String())
	}
}

func ExampleGenerate() {
	e, _ := notation.ParseEinsum("ij,jk,kl->il")
	n, _ := network.FromEinsum(e, [][]int{{10, 20}, {20, 30}, {30, 2}})
	c, _ := Lower(n)
	p, _ := c.Problem()
	_, info, _ := path.Optimize(p, path.Options{Method: "optimal"})
	var b strings.Builder
	if err := Generate(&b, c, info, Options{Lang: NumPy}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	for _, line := range strings.Split(b.String(), "\n") {
		if strings.HasPrefix(line, "    # step ") || strings.Contains(line, "einsum(") {
			fmt.Println(strings.TrimSpace(line))
		}
	}
	// Output:
	// # step 1, (1, 2): x1[j k] x2[k l] -> x3[j l]; 2400 FLOPs
	// x3 = np.einsum("ab,bc->ac", x1, x2, optimize=True)
	// # step 2, (0, 1): x0[i j] x3[j l] -> x4[i l]; 800 FLOPs
	// x4 = np.einsum("ab,bc->ac", x0, x3, optimize=True)
}
