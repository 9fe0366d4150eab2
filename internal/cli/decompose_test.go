package cli

import (
	"bytes"
	"encoding/json"
	"flag"
	"github.com/strand-tn/strand/internal/golden"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strand-tn/strand/contract"
	"github.com/strand-tn/strand/network"
	"github.com/strand-tn/strand/notation"
	"github.com/strand-tn/strand/tensor"
	"github.com/strand-tn/strand/tensorio"
)

// The -update flag rewrites golden files; registered here unless another
// test file of the package already did.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files under testdata/")
	}
}

func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// strandRun runs the CLI in-process.
func strandRun(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = Main(args, &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
	return code, out.String(), errb.String()
}

// checkGolden compares got with testdata/name, or rewrites it under -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), []byte(got), updating())
}

// writeInput saves T[i j k] = i + j + k + 3 + 0.01·sin(i·j·k) of shape
// (3, 4, 5), a tensor of TT and Tucker rank close to 2.
func writeInput(t *testing.T, dir string) string {
	x := tensor.Zeros[float64](3, 4, 5)
	for i := range 3 {
		for j := range 4 {
			for k := range 5 {
				x.Set(float64(i+j+k+3)+0.01*math.Sin(float64(i*j*k)), i, j, k)
			}
		}
	}
	path := filepath.Join(dir, "t.npy")
	if err := tensorio.WriteFile(path, x, tensorio.Options{}); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDecompose(t *testing.T) {
	dir := t.TempDir()
	in := writeInput(t, dir)
	x, _ := tensorio.ReadFile[float64](in, tensorio.Options{})
	for _, c := range []struct {
		name   string
		args   []string
		maxErr float64 // bound on the relative error
		ranks  []int
	}{
		{"svd", []string{"svd", in, "--legs", "i,j,k", "--left", "i,k", "--rank", "2"}, 2e-3, []int{2}},
		{"svd-cutoff", []string{"svd", in, "--legs", "i,j,k", "--left", "j", "--cutoff", "1e-6"}, 1e-3, []int{2}},
		{"qr", []string{"qr", in, "--legs", "i,j,k", "--left", "k,i"}, 1e-14, []int{4}},
		{"cp", []string{"cp", in, "--rank", "3", "--legs", "i,j,k"}, 1e-3, []int{3}},
		{"tucker", []string{"tucker", in, "--max-rank", "2"}, 2e-3, []int{2, 2, 2}},
		{"hosvd", []string{"tucker", in, "--legs", "i,j,k", "--method", "hosvd", "--cutoff", "1e-6"}, 1e-3, []int{2, 2, 2}},
		{"tt", []string{"tt", in, "--legs", "i,j,k", "--cutoff", "1e-4"}, 1e-2, []int{2, 2}},
	} {
		out := filepath.Join(dir, c.name)
		code, stdout, stderr := strandRun(append([]string{"decompose"}, append(c.args, "-o", out)...)...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", c.name, code, stderr)
		}
		if !strings.Contains(stdout, "relative error") || !strings.Contains(stdout, "wrote "+out) {
			t.Errorf("%s: report:\n%s", c.name, stdout)
		}
		tn, err := os.ReadFile(filepath.Join(out, "network.tn"))
		if err != nil {
			t.Fatal(err)
		}
		checkGolden(t, filepath.Join("decompose", c.name+".tn"), string(tn))
		prog, err := notation.ParseProgram(string(tn))
		if err != nil {
			t.Fatalf("%s: network.tn does not parse: %v\n%s", c.name, err, tn)
		}
		if _, err := network.FromProgram(prog, network.ProgramOptions{}); err != nil {
			t.Errorf("%s: network.tn is not a valid network: %v\n%s", c.name, err, tn)
		}
		var rep decomposeReport
		js, _ := os.ReadFile(filepath.Join(out, "report.json"))
		if err := json.Unmarshal(js, &rep); err != nil {
			t.Fatal(err)
		}
		if !(rep.RelativeError <= c.maxErr) || !equalInts(rep.Ranks, c.ranks) {
			t.Errorf("%s: relative error %g (want ≤ %g), ranks %v (want %v)", c.name, rep.RelativeError, c.maxErr, rep.Ranks, c.ranks)
		}
		if rep.ErrorBound != nil && !(rep.RelativeError <= *rep.ErrorBound*(1+1e-9)+1e-15) {
			t.Errorf("%s: error %g above its bound %g", c.name, rep.RelativeError, *rep.ErrorBound)
		}
		// The written factors rebuild the input to the reported error.
		var ls []contract.Labeled[float64]
		for _, f := range rep.Factors {
			d, err := tensorio.ReadFile[float64](filepath.Join(out, f.File), tensorio.Options{})
			if err != nil {
				t.Fatal(err)
			}
			l, err := contract.Label(d, f.Legs...)
			if err != nil {
				t.Fatal(err)
			}
			ls = append(ls, l)
		}
		y, err := contract.Contract(ls...)
		if err != nil {
			t.Fatal(err)
		}
		y, _ = y.Transpose(rep.Legs...)
		if e := tensor.Sub(x, y.Data).Norm() / x.Norm(); math.Abs(e-rep.RelativeError) > 1e-12 {
			t.Errorf("%s: factors on disk rebuild with error %g, report says %g", c.name, e, rep.RelativeError)
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// An SVD's discarded weight is its squared error (Eckart–Young).
func TestDecomposeSVDDiscarded(t *testing.T) {
	dir := t.TempDir()
	in := writeInput(t, dir)
	code, _, stderr := strandRun("decompose", "svd", in, "--max-rank", "1", "-o", dir)
	if code != 0 {
		t.Fatal(stderr)
	}
	var rep decomposeReport
	js, _ := os.ReadFile(filepath.Join(dir, "report.json"))
	if err := json.Unmarshal(js, &rep); err != nil {
		t.Fatal(err)
	}
	x, _ := tensorio.ReadFile[float64](in, tensorio.Options{})
	n2 := x.Norm() * x.Norm()
	if got := rep.RelativeError * rep.RelativeError * n2; math.Abs(got-*rep.DiscardedWeight) > 1e-10*n2 {
		t.Errorf("squared error %g, discarded weight %g", got, *rep.DiscardedWeight)
	}
}

func TestDecomposeErrors(t *testing.T) {
	dir := t.TempDir()
	in := writeInput(t, dir)
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"lu", in}, 2, "unknown decomposition"},
		{[]string{"svd"}, 2, "needs a method"},
		{[]string{"cp", in}, 2, "cp needs --rank"},
		{[]string{"qr", in, "--rank", "2"}, 2, "qr keeps every column"},
		{[]string{"tucker", in, "--left", "0"}, 2, "--left applies to svd and qr"},
		{[]string{"svd", in, "--legs", "i,j"}, 2, "names 2 legs"},
		{[]string{"svd", in, "--legs", "i,j,i"}, 2, "named twice"},
		{[]string{"svd", in, "--left", "q"}, 2, "not a leg"},
		{[]string{"svd", in, "--cutoff", "2"}, 2, "--cutoff"},
		{[]string{"svd", in, "--rank", "2", "--max-rank", "3"}, 2, "disagree"},
		{[]string{"tucker", in, "--method", "cp"}, 2, "--method"},
		{[]string{"svd", filepath.Join(dir, "missing.npy")}, 1, "missing.npy"},
	} {
		code, _, stderr := strandRun(append([]string{"decompose"}, c.args...)...)
		if code != c.code || !strings.HasPrefix(stderr, "strand: ") || !strings.Contains(stderr, c.msg) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d mentioning %q", c.args, code, stderr, c.code, c.msg)
		}
	}
}
