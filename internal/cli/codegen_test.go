package cli

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/strand-tn/strand/codegen"
	"github.com/strand-tn/strand/tensor"
	"github.com/strand-tn/strand/tensorio"
)

// codegenCase is an expression, its shapes (einsum forms) and extra flags.
type codegenCase struct {
	name   string
	expr   string
	shapes string
	flags  []string
}

// ladderExpr is the seed ladder with L rungs in einops form and its shapes
// (rungs of size d, bonds of size D).
func ladderExpr(L, d, D int) (string, string) {
	var terms, shapes []string
	for k := range L {
		for _, side := range []string{"t", "b"} {
			var ls, sh []string
			if k > 0 {
				ls, sh = append(ls, fmt.Sprint(side, k-1)), append(sh, fmt.Sprint(D))
			}
			ls, sh = append(ls, fmt.Sprint("r", k)), append(sh, fmt.Sprint(d))
			if k < L-1 {
				ls, sh = append(ls, fmt.Sprint(side, k)), append(sh, fmt.Sprint(D))
			}
			terms, shapes = append(terms, strings.Join(ls, " ")), append(shapes, strings.Join(sh, "x"))
		}
	}
	return strings.Join(terms, ", ") + " ->", strings.Join(shapes, ",")
}

var codegenCases = func() []codegenCase {
	ladder, ladderShapes := ladderExpr(4, 3, 6)
	long, longShapes := ladderExpr(20, 2, 3) // 58 labels
	return []codegenCase{
		{name: "chain", expr: "ij,jk,kl->il", shapes: "10x20,20x30,30x2"},
		// A copy tensor merging i and k, a grouped leg, a diagonal, an
		// inverse, and a copy tensor alone on summed legs (a factor 5).
		{name: "program", expr: "dim i=3 j=4 k=3 r=2 u=5 v=5\nK[i j] = A[i j r] δ[i k] C[(i k) r] B[j j] δ[u v] X⁻¹[i k]"},
		{name: "sliced", expr: ladder, shapes: ladderShapes, flags: []string{"--memory-limit", "36"}},
		{name: "labels58", expr: long, shapes: longShapes},
		{name: "broadcast", expr: "ij,jk->ik", shapes: "2x1,3x4"},
		{name: "grouped_output", expr: "dim i=2 j=3 k=4\nK[(i k) j] = A[i j] B[k j]"},
		{name: "trace", expr: "ii->", shapes: "4x4"},
		{name: "transpose", expr: "ijk->kij", shapes: "2x3x4"},
	}
}()

// goldenCodegen lists the cases kept as golden files in every language.
var goldenCodegen = []string{"chain", "program", "sliced"}

func (c codegenCase) args(lang codegen.Lang, out string) []string {
	args := []string{"codegen", c.expr, "--lang", string(lang)}
	if c.shapes != "" {
		args = append(args, "--shapes", c.shapes)
	}
	if out != "" {
		args = append(args, "-o", out)
	}
	return append(args, c.flags...)
}

// TestCodegenGolden compares the scripts with golden files in every language.
func TestCodegenGolden(t *testing.T) {
	for _, c := range codegenCases {
		if !slices.Contains(goldenCodegen, c.name) {
			continue
		}
		for _, lang := range codegen.Langs() {
			code, out, errOut := strandRun(c.args(lang, "")...)
			if code != 0 {
				t.Fatalf("%s %s: exit %d: %s", c.name, lang, code, errOut)
			}
			checkGolden(t, filepath.Join("codegen", c.name+"."+string(lang)+".py"), out)
		}
	}
}

// python returns a Python 3 interpreter that imports the modules (Debian's
// /usr/bin/python3 first), or skips the test.
func python(t *testing.T, modules ...string) string {
	t.Helper()
	for _, name := range []string{"/usr/bin/python3", "python3"} {
		exe, err := exec.LookPath(name)
		if err != nil {
			continue
		}
		if exec.Command(exe, "-c", "import "+strings.Join(modules, ", ")).Run() == nil {
			return exe
		}
	}
	t.Skipf("no python3 with %s", strings.Join(modules, ", "))
	return ""
}

// runScript writes random inputs for case c, runs its generated script in
// lang with exe, runs `strand eval` on the same files and compares the
// results to 1e-10 relative.
func runScript(t *testing.T, exe string, c codegenCase, lang codegen.Lang) {
	dir := t.TempDir()
	script := filepath.Join(dir, "contract.py")
	if code, _, errOut := strandRun(c.args(lang, script)...); code != 0 {
		t.Fatalf("%s: codegen: %s", c.name, errOut)
	}
	var shapes shapesFlag
	if c.shapes != "" {
		if err := shapes.Set(c.shapes); err != nil {
			t.Fatal(err)
		}
	}
	cs, err := contractionsOf(c.expr, shapes.shapes, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := tensor.NewRand(7)
	var files []string
	for k, in := range cs[0].Inputs {
		f := filepath.Join(dir, fmt.Sprintf("in%d.npy", k))
		x := tensor.RandUniform[float64](r, 0, 1, in.Shape...)
		if c.name == "program" && in.Name == "X" { // well conditioned for its inverse
			x = x.AddScaled(4, tensor.Eye[float64](in.Shape[0]))
		}
		if err := tensorio.WriteFile(f, x, tensorio.Options{}); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	out, ref := filepath.Join(dir, "out.npy"), filepath.Join(dir, "ref.npy")
	cmd := exec.Command(exe, slices.Concat([]string{script}, files, []string{"-o", out})...)
	cmd.Env = append(os.Environ(), "CUDA_VISIBLE_DEVICES=")
	if b, err := cmd.CombinedOutput(); err != nil {
		src, _ := os.ReadFile(script)
		t.Fatalf("%s %s: %v\n%s\n%s", c.name, lang, err, b, src)
	}
	if code, _, errOut := strandRun(slices.Concat([]string{"eval", c.expr}, files, []string{"-o", ref})...); code != 0 {
		t.Fatalf("%s: eval: %s", c.name, errOut)
	}
	got, err := tensorio.ReadFile[float64](out, tensorio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want, err := tensorio.ReadFile[float64](ref, tensorio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Shape(), want.Shape()) {
		t.Fatalf("%s %s: shape %v, strand eval %v", c.name, lang, got.Shape(), want.Shape())
	}
	if d := tensor.MaxAbsDiff(got, want); d > 1e-10*max(1, want.MaxAbs()) {
		t.Errorf("%s %s: max |script − strand eval| = %g (scale %g)", c.name, lang, d, want.MaxAbs())
	}
}

// TestCodegenNumPy runs every case's NumPy script and compares it with strand
// eval.
func TestCodegenNumPy(t *testing.T) {
	exe := python(t, "numpy")
	for _, c := range codegenCases {
		runScript(t, exe, c, codegen.NumPy)
	}
}

// TestCodegenLibraries runs the golden cases' PyTorch (on the CPU), JAX and
// opt_einsum scripts where those libraries are installed.
func TestCodegenLibraries(t *testing.T) {
	if testing.Short() {
		t.Skip("the libraries start slowly")
	}
	for lang, module := range map[codegen.Lang]string{codegen.Torch: "torch", codegen.JAX: "jax", codegen.OptEinsum: "opt_einsum"} {
		t.Run(string(lang), func(t *testing.T) {
			exe := python(t, "numpy", module)
			for _, c := range codegenCases {
				if slices.Contains(goldenCodegen, c.name) {
					runScript(t, exe, c, lang)
				}
			}
		})
	}
}

func TestCodegenErrors(t *testing.T) {
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"codegen", "ij,jk->ik", "--shapes", "2x3,3x4", "--lang", "fortran"}, 2, `unknown language "fortran"`},
		{[]string{"codegen", "dim b=2 a=3\nh[b] = gelu(W[b a] x[a])"}, 1, "holds 2 contractions"},
		{[]string{"codegen", "dim i=2 j=2\ny[i] = x[i] + 0.5 W[i j] x[j]"}, 1, "holds 2 contractions (line 2, term 1, …)"},
		{[]string{"codegen", "dim i=2 k=2\nK[i k] = A[i] δ[i k]"}, 1, "diagonal output"},
		{[]string{"codegen", "ij,jk->ik", "--shapes", "2x3,3x4", "--memory-limit", "4"}, 1, "smallest feasible limit is 8"},
		{[]string{"codegen"}, 2, "needs one EXPR"},
	}
	for _, c := range cases {
		code, _, errOut := strandRun(c.args...)
		if code != c.code || !strings.Contains(errOut, c.want) {
			t.Errorf("%q: exit %d, stderr %q; want %d and %q", c.args, code, errOut, c.code, c.want)
		}
	}
}
