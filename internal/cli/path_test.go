package cli

import (
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/strand-tn/strand/path"
	"github.com/strand-tn/strand/tensor"
	"github.com/strand-tn/strand/tensorio"
)

// pathJSON is the part of `strand path --json` that scripts rely on.
type pathJSON struct {
	Path    [][]int  `json:"path"`
	Flops   *big.Int `json:"flops"`
	Largest *big.Int `json:"largest_intermediate"`
	Write   *big.Int `json:"write"`
	Slices  []string `json:"slices"`
	NSlices *big.Int `json:"n_slices"`
	Method  string   `json:"method"`
}

// TestPathTables compares the human reports with golden files: an einsum, an
// einops expression sliced to a memory limit, and a program with several
// contractions (a function bubble's argument, sums, a copy tensor).
func TestPathTables(t *testing.T) {
	cases := []struct {
		name string
		args []string
	}{
		{"chain", []string{"path", "ij,jk,kl->il", "--shapes", "10x20,20x30,30x2"}},
		{"ladder_sliced", []string{"path", "t0 r0, b0 r0, t0 r1 t1, b0 r1 b1, t1 r2, b1 r2 ->", "--shapes", "8x3,8x3,8x3x8,8x3x8,8x3,8x3", "--memory-limit", "16"}},
		{"program", []string{"path", "dim b=4 a=8 h=16 i=3 k=3\nh1[b h] = gelu(W1[h a] x[b a])\ny[b] = h1[b h] w[h] + 0.5 u[b i] δ[i k] v[k]", "--optimize", "optimal"}},
	}
	for _, c := range cases {
		code, out, errOut := strandRun(c.args...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", c.name, code, errOut)
		}
		checkGolden(t, filepath.Join("path", c.name+".txt"), out)
	}
}

// TestPathJSON checks the JSON contract: the path re-costed by path.Analyze
// gives the reported FLOPs, largest intermediate and write exactly.
func TestPathJSON(t *testing.T) {
	code, out, errOut := strandRun("path", "pi,qj,ijkl,rk,sl->pqrs", "--shapes", "6x7,6x8,7x8x9x10,6x9,6x10", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got pathJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v in %s", err, out)
	}
	p, err := path.FromLabels([][]string{{"p", "i"}, {"q", "j"}, {"i", "j", "k", "l"}, {"r", "k"}, {"s", "l"}}, []string{"p", "q", "r", "s"},
		map[string]int{"p": 6, "q": 6, "r": 6, "s": 6, "i": 7, "j": 8, "k": 9, "l": 10})
	if err != nil {
		t.Fatal(err)
	}
	info, err := path.Analyze(p, got.Path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Flops.Cmp(got.Flops) != 0 || info.Largest.Cmp(got.Largest) != 0 || info.Write.Cmp(got.Write) != 0 {
		t.Errorf("reported %v/%v/%v, path costs %v/%v/%v", got.Flops, got.Largest, got.Write, info.Flops, info.Largest, info.Write)
	}
	if got.Method != "auto" || len(got.Slices) != 0 || got.NSlices.Cmp(big.NewInt(1)) != 0 {
		t.Errorf("method %q, slices %v (%v)", got.Method, got.Slices, got.NSlices)
	}
}

// referenceFlops is the smallest reference cost stored in a network file.
func referenceFlops(t *testing.T, file string) *big.Int {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Reference map[string]json.RawMessage `json:"reference"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	var best *big.Int
	for k, v := range f.Reference {
		if !strings.HasSuffix(k, "_flops") {
			continue
		}
		var n json.Number
		if json.Unmarshal(v, &n) != nil {
			continue
		}
		x, ok := new(big.Int).SetString(n.String(), 10)
		if !ok {
			continue
		}
		if best == nil || x.Cmp(best) < 0 {
			best = x
		}
	}
	if best == nil {
		t.Fatalf("%s: no reference costs", file)
	}
	return best
}

// TestPathNetworkFiles runs `strand path --network` on benchmark networks: the
// cost is at most the best opt_einsum reference where "auto" is exact, and a
// network whose naive cost overflows float64 (200 tensors) still prints JSON.
func TestPathNetworkFiles(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "networks")
	for _, name := range []string{"B2_chain_clrs6", "B4_greedy_trap", "B6_lattice_4x4_D4", "B7_mps_mpo_L100_chi64_D5"} {
		file := filepath.Join(dir, name+".json")
		code, out, errOut := strandRun("path", "--network", file, "--json")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", name, code, errOut)
		}
		var got pathJSON
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if ref := referenceFlops(t, file); got.Flops.Cmp(ref) > 0 {
			t.Errorf("%s: %v FLOPs, reference %v", name, got.Flops, ref)
		}
	}
}

func TestPathErrors(t *testing.T) {
	cases := []struct {
		args []string
		code int
		want []string
	}{
		{[]string{"path", "ij,jk->ik"}, 2, []string{"needs --shapes"}},
		{[]string{"path", "ij,jk->ik", "--shapes", "2x3,4x5"}, 1, []string{"strand: network:", "^"}},
		{[]string{"path", "ij,jk->i€", "--shapes", "2x3,3x5"}, 1, []string{"strand: notation:", "^"}},
		{[]string{"path", "ij,jk->ik", "--shapes", "2x3,3x4", "--optimize", "best"}, 1, []string{`unknown method "best"`}},
		{[]string{"path", "ij,jk->ik", "--shapes", "2x3,3x4", "--memory-limit", "5"}, 1, []string{"smallest feasible limit is 8"}},
		{[]string{"path", "ij->ji", "--network", "x.json"}, 2, []string{"not both"}},
		{[]string{"path", "--network", "no-such-file.json"}, 1, []string{"no-such-file.json"}},
		{[]string{"path", "ij,jk->ik", "--shapes", "2by3"}, 2, []string{`invalid shape "2by3"`}},
		{[]string{"path", "rearrange(x, 'a b -> b a')", "--shapes", "2x3"}, 1, []string{"no contraction to order"}},
	}
	for _, c := range cases {
		code, _, errOut := strandRun(c.args...)
		if code != c.code {
			t.Errorf("%v: exit %d, want %d (%s)", c.args, code, c.code, errOut)
		}
		for _, w := range c.want {
			if !strings.Contains(errOut, w) {
				t.Errorf("%v: stderr %q lacks %q", c.args, errOut, w)
			}
		}
	}
}

func TestShapesFlag(t *testing.T) {
	var s shapesFlag
	if err := s.Set("2x3, 4 ,(),0x1"); err != nil {
		t.Fatal(err)
	}
	want := [][]int{{2, 3}, {4}, {}, {0, 1}}
	if !slices.EqualFunc(s.shapes, want, slices.Equal) || s.String() != "2x3,4,(),0x1" {
		t.Errorf("shapes %v (%s), want %v", s.shapes, s.String(), want)
	}
	for _, bad := range []string{"2x", "x3", "-1", "2x3,,4", "a"} {
		if err := s.Set(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestElementsFlag(t *testing.T) {
	for in, want := range map[string]int64{"4096": 4096, "1e6": 1000000, "2^20": 1 << 20, "1KiB": 128, "8MB": 1000000, "0": 0} {
		var e elementsFlag
		if err := e.Set(in); err != nil || int64(e) != want {
			t.Errorf("%q: %d, %v; want %d", in, e, err, want)
		}
	}
	for _, bad := range []string{"", "-5", "2^100", "ten", "1e30", "3 apples"} {
		var e elementsFlag
		if err := e.Set(bad); err == nil {
			t.Errorf("%q accepted as %d", bad, e)
		}
	}
}

func FuzzShapesFlag(f *testing.F) {
	for _, s := range []string{"2x3,3x4", "()", "1", "0x0x0", "2x3,,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var v shapesFlag
		if v.Set(s) != nil {
			return
		}
		var again shapesFlag
		if err := again.Set(v.String()); err != nil || !slices.EqualFunc(v.shapes, again.shapes, slices.Equal) {
			t.Fatalf("%q -> %q -> %v, %v", s, v.String(), again.shapes, err)
		}
	})
}

func FuzzElementsFlag(f *testing.F) {
	for _, s := range []string{"4096", "1e6", "2^20", "1GiB", "0.5", "2^-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var e elementsFlag
		if e.Set(s) == nil && e < 0 {
			t.Fatalf("%q gave %d", s, e)
		}
	})
}

// signalWriter records writes and signals the first one.
type signalWriter struct {
	mu    sync.Mutex
	b     strings.Builder
	first chan struct{}
	once  sync.Once
}

func (w *signalWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.once.Do(func() { close(w.first) })
	return w.b.Write(p)
}

// TestProgress: the progress line shows the best cost and is erased when the
// search ends; nothing is drawn before a path is found; only terminals get it.
func TestProgress(t *testing.T) {
	w := &signalWriter{first: make(chan struct{})}
	p := newProgress(w, "auto-hq", 0, time.Millisecond)
	if p.line() != "" {
		t.Errorf("line before any path: %q", p.line())
	}
	p.update(path.Cost{Flops: 1.5e22, Largest: 2048})
	<-w.first
	p.stop()
	out := w.b.String()
	if !strings.Contains(out, "path: auto-hq, ") || !strings.Contains(out, "best 1.5e+22 FLOPs (largest intermediate 2048)") || !strings.HasSuffix(out, "\r\033[K") {
		t.Errorf("progress output %q", out)
	}
	f, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if isTerminal(f) || isTerminal(&strings.Builder{}) {
		t.Error("a file or buffer taken for a terminal")
	}
}

// TestEvalSlices: `strand eval --memory-limit` below the plain path's largest
// intermediate slices the contraction and gives the unsliced result.
func TestEvalSlices(t *testing.T) {
	dir := t.TempDir()
	r := tensor.NewRand(4)
	var files []string
	for _, name := range []string{"a", "b", "c", "d"} {
		f := filepath.Join(dir, name+".npy")
		if err := tensorio.WriteFile(f, tensor.RandUniform[float64](r, 0, 1, 20, 20, 20), tensorio.Options{}); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	// Every pair of the triangle abx, bcy, caz leaves four legs (20⁴ elements).
	expr := "abx,bcy,caz,xyz->"
	plain, sliced := filepath.Join(dir, "plain.npy"), filepath.Join(dir, "sliced.npy")
	if code, _, errOut := strandRun(slices.Concat([]string{"eval", expr}, files, []string{"-o", plain})...); code != 0 {
		t.Fatal(errOut)
	}
	if code, _, errOut := strandRun(slices.Concat([]string{"eval", expr}, files, []string{"-o", sliced, "--memory-limit", "64KB"})...); code != 0 {
		t.Fatal(errOut)
	}
	want, _ := tensorio.ReadFile[float64](plain, tensorio.Options{})
	got, _ := tensorio.ReadFile[float64](sliced, tensorio.Options{})
	if d := tensor.MaxAbsDiff(got, want); d > 1e-12*want.MaxAbs() {
		t.Errorf("sliced %v, plain %v", got.Item(), want.Item())
	}
	// The same on one thread; a negative count is refused.
	one := filepath.Join(dir, "one.npy")
	if code, _, errOut := strandRun(slices.Concat([]string{"eval", expr}, files, []string{"-o", one, "--memory-limit", "64KB", "--threads", "1"})...); code != 0 {
		t.Fatal(errOut)
	}
	got, _ = tensorio.ReadFile[float64](one, tensorio.Options{})
	if d := tensor.MaxAbsDiff(got, want); d > 1e-12*want.MaxAbs() {
		t.Errorf("sliced on one thread %v, plain %v", got.Item(), want.Item())
	}
	if code, _, errOut := strandRun(slices.Concat([]string{"eval", expr}, files, []string{"--threads", "-2"})...); code != 2 || !strings.Contains(errOut, "--threads -2") {
		t.Errorf("--threads -2: exit %d: %s", code, errOut)
	}
	// The output itself over the limit: refused with the smallest feasible limit.
	code, _, errOut := strandRun(slices.Concat([]string{"eval", "abx,bcy->axcy"}, files[:2], []string{"--memory-limit", "64KB"})...)
	if code != 1 || !strings.Contains(errOut, "smallest feasible memory limit is 1.2 MiB") {
		t.Errorf("exit %d: %s", code, errOut)
	}
}
