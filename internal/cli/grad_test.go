package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGradCommand(t *testing.T) {
	code, out, errs := runCLI("grad", "dim i=3 j=3\nz = B[j i] A[i j]", "--wrt", "A", "--simplify")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if want := "dim i=3 j=3\ndz_dA[i j] = B[j i]\n"; out != want {
		t.Errorf("output %q, want %q", out, want)
	}
	// Raw, the holes keep their identities.
	code, out, _ = runCLI("grad", "dim i=3 j=3\nz = B[j i] A[i j]", "--wrt", "A")
	if code != 0 || !strings.Contains(out, "I[") {
		t.Errorf("raw derivative (exit %d):\n%s", code, out)
	}
	// A Hessian from a file, written to a file; sizes from --axis.
	dir := t.TempDir()
	in := filepath.Join(dir, "q.tn")
	if err := os.WriteFile(in, []byte("y = x[i] A[i j] x[j]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	outFile := filepath.Join(dir, "h.tn")
	code, _, errs = runCLI("grad", in, "--wrt", "x", "--wrt", "x", "--simplify", "--axis", "i=4", "--axis", "j=4", "-o", outFile)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	b, err := os.ReadFile(outFile)
	if err != nil {
		t.Fatal(err)
	}
	if want := "dim i=4 j=4\ndy_dx_dx[i j] = A[i j] + A[j i]\n"; string(b) != want {
		t.Errorf("written %q, want %q", b, want)
	}
	// Defined tensors are inlined; a file's last statement is differentiated.
	code, out, errs = runCLI("grad", "dim a=4 b=3 o=2\nh[b] = σ(W1[b a] x[a])\ny[o] = W2[o b] h[b]", "--wrt", "W2", "--simplify")
	if code != 0 || !strings.Contains(out, "σ(W1[") {
		t.Errorf("exit %d: %s%s", code, out, errs)
	}
}

func TestGradCommandErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"grad", "dim i=3\nz = a[i] b[i]"}, 2, "--wrt"},
		{[]string{"grad", "dim i=3\nz = a[i] b[i]", "--wrt", "c"}, 1, "does not contain tensor c"},
		{[]string{"grad", "ij,jk->ik", "--wrt", "A"}, 1, "not index notation"},
		{[]string{"grad", "z = a[i] b[i]", "--wrt", "a"}, 1, "size of leg i is unknown"},
		{[]string{"grad", "dim i=3\nz = a[i] b[i]", "--wrt", "a", "-o", "d.svg"}, 1, "only .tn"},
		{[]string{"grad", "missing.tn", "--wrt", "a"}, 1, "no file"},
		{[]string{"grad", "dim i=3\na[i] == b[i]", "--wrt", "a"}, 1, "no assignment or expression"},
	} {
		code, _, errs := runCLI(c.args...)
		if code != c.code || !strings.Contains(errs, c.msg) {
			t.Errorf("%q: exit %d, stderr %q; want exit %d mentioning %q", c.args, code, errs, c.code, c.msg)
		}
	}
	// A syntax error is shown with a caret.
	_, _, errs := runCLI("grad", "dim i=3\nz = a[i] * b[i]", "--wrt", "a")
	if !strings.Contains(errs, "^") {
		t.Errorf("no caret under the error:\n%s", errs)
	}
}
