package cli

import (
	"strings"
	"testing"
)

func TestCheckCommand(t *testing.T) {
	src := "dim i=3 j=4 a=5 b=3\nV: isometry(a -> b)\nA[i j] B[j i] == B[j i] A[i j]\nV[a b] V†[b c] != I[a c]\ndim c=5\nV†[b a] V[a k] == I[b k]\ndim k=3"
	code, out, errs := runCLI("check", src)
	if code != 0 {
		t.Fatalf("exit %d: %s%s", code, out, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("want one line per equation:\n%s", out)
	}
	for i, want := range []string{"pass  line 3  symbolic", "pass  line 4  numeric", "pass  line 6  symbolic"} {
		if !strings.HasPrefix(lines[i], want) {
			t.Errorf("line %d: %q, want it to start %q", i+1, lines[i], want)
		}
	}
	code, out, errs = runCLI("check", "dim i=3\na[i] == b[i]\na[i] == a[i]")
	if code != 1 || !strings.Contains(out, "FAIL  line 2  numeric") || !strings.Contains(errs, "1 of 2 equations fail") {
		t.Errorf("exit %d:\n%s%s", code, out, errs)
	}
	code, out, _ = runCLI("check", "dim i=3\nz = a[i] b[i]")
	if code != 0 || !strings.Contains(out, "no equations") {
		t.Errorf("exit %d: %s", code, out)
	}
	if code, _, _ := runCLI("check"); code != 2 {
		t.Errorf("no input: exit %d, want 2", code)
	}
}
