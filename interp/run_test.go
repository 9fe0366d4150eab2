package interp

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/strand-tn/strand/internal/kernel"
	"github.com/strand-tn/strand/tensor"
)

func TestForwardMatchesNaive(t *testing.T) {
	variants := map[string]func(*Config){
		"gpt2":     func(*Config) {},
		"attnonly": func(c *Config) { c.AttnOnly, c.DMLP = true, 0 },
		"noln":     func(c *Config) { c.NoLayerNorm = true },
		"untied":   func(c *Config) { c.UntiedUnembed = true },
		"narrow":   func(c *Config) { c.DHead = 5; c.NHead = 3 },
	}
	for name, f := range variants {
		t.Run(name, func(t *testing.T) {
			c := tinyConfig
			f(&c)
			p := randomModel[float64](t, c, 1, 0.3)
			tokens := randomTokens(tensor.NewRand(2), 11, c.DVocab)
			got, err := Forward(p, tokens)
			if err != nil {
				t.Fatal(err)
			}
			want := naiveForward(p, tokens)
			if d := maxDiff(got, want); d > 1e-12 {
				t.Errorf("float64: max |fast − naive| = %g, want ≤ 1e-12", d)
			}
			got32, err := Forward(Convert[float32](p), tokens)
			if err != nil {
				t.Fatal(err)
			}
			scale := 0.0
			for _, row := range want {
				for _, v := range row {
					scale = max(scale, math.Abs(v))
				}
			}
			if d := maxDiff(got32, want); d > 2e-5*scale {
				t.Errorf("float32: max |fast − naive| = %g, want ≤ 2e-5 · max|logit| = %g", d, 2e-5*scale)
			}
		})
	}
}

func TestRunCacheShapes(t *testing.T) {
	p := randomModel[float64](t, tinyConfig, 3, 0.3)
	tokens := []int{49, 1, 2, 3, 4, 5}
	r, err := Run(p, tokens, RunOptions[float64]{Cache: true})
	if err != nil {
		t.Fatal(err)
	}
	n, c := len(tokens), p.Config
	want := map[string][]int{
		"hook_embed": {n, c.DModel}, "hook_pos_embed": {n, c.DModel},
		"ln_final.hook_scale": {n}, "ln_final.hook_normalized": {n, c.DModel},
	}
	for l := range c.NLayer {
		for pt, s := range map[Point][]int{
			HookResidPre: {n, c.DModel}, HookLN1Scale: {n}, HookLN1Normalized: {n, c.DModel},
			HookQ: {n, c.NHead, c.DHead}, HookK: {n, c.NHead, c.DHead}, HookV: {n, c.NHead, c.DHead},
			HookAttnScores: {c.NHead, n, n}, HookPattern: {c.NHead, n, n}, HookZ: {n, c.NHead, c.DHead},
			HookResult: {n, c.NHead, c.DModel}, HookAttnOut: {n, c.DModel}, HookResidMid: {n, c.DModel},
			HookLN2Scale: {n}, HookLN2Normalized: {n, c.DModel}, HookMLPPre: {n, c.DMLP}, HookMLPPost: {n, c.DMLP},
			HookMLPOut: {n, c.DModel}, HookResidPost: {n, c.DModel},
		} {
			want[At(l, pt).String()] = s
		}
	}
	if len(r.Cache) != len(want) {
		t.Errorf("cache has %d activations, want %d", len(r.Cache), len(want))
	}
	for a, x := range r.Cache {
		if s, ok := want[a.String()]; !ok || fmt.Sprint(s) != fmt.Sprint(x.Shape()) {
			t.Errorf("%s: shape %v, want %v", a, x.Shape(), s)
		}
	}
	// Identities between cached activations.
	for l := range c.NLayer {
		pat := r.Cache.Get(l, HookPattern)
		for h := range c.NHead {
			for q := range n {
				var s float64
				for k := range n {
					v := pat.At(h, q, k)
					if k > q && v != 0 {
						t.Fatalf("layer %d head %d: pattern[%d,%d] = %g above the diagonal", l, h, q, k, v)
					}
					s += v
				}
				if d := s - 1; d > 1e-12 || d < -1e-12 {
					t.Fatalf("layer %d head %d query %d: pattern row sums to %v", l, h, q, s)
				}
			}
		}
		mid := tensor.Add(r.Cache.Get(l, HookResidPre), r.Cache.Get(l, HookAttnOut))
		if d := tensor.MaxAbsDiff(mid, r.Cache.Get(l, HookResidMid)); d > 1e-13 {
			t.Errorf("layer %d: resid_pre + attn_out differs from resid_mid by %g", l, d)
		}
		post := tensor.Add(mid, r.Cache.Get(l, HookMLPOut))
		if d := tensor.MaxAbsDiff(post, r.Cache.Get(l, HookResidPost)); d > 1e-13 {
			t.Errorf("layer %d: resid_mid + mlp_out differs from resid_post by %g", l, d)
		}
	}
	plain, err := Forward(p, tokens)
	if err != nil {
		t.Fatal(err)
	}
	if d := tensor.MaxAbsDiff(plain, r.Logits); d > 1e-12 {
		t.Errorf("logits with and without cache differ by %g", d)
	}
}

func TestPatching(t *testing.T) {
	c := tinyConfig
	p := randomModel[float64](t, c, 4, 0.3)
	clean := []int{49, 10, 11, 12, 13, 14, 15}
	corrupt := []int{49, 10, 11, 40, 13, 14, 15}
	rc, err := Run(p, clean, RunOptions[float64]{Cache: true})
	if err != nil {
		t.Fatal(err)
	}
	// Patching the whole residual stream of the clean run into the corrupt
	// run at block 1 gives the clean logits.
	a := At(1, HookResidPre)
	got, err := Run(p, corrupt, RunOptions[float64]{Patch: map[Act]*tensor.Dense[float64]{a: rc.Cache[a]}})
	if err != nil {
		t.Fatal(err)
	}
	if d := tensor.MaxAbsDiff(got.Logits, rc.Logits); d > 1e-12 {
		t.Errorf("patched residual: logits differ from the clean run by %g", d)
	}
	// Patching every head's result is the same as patching attn_out.
	for _, pt := range []Point{HookResult, HookAttnOut, HookPattern, HookZ} {
		patch := map[Act]*tensor.Dense[float64]{}
		for l := range c.NLayer {
			patch[At(l, pt)] = rc.Cache.Get(l, pt)
		}
		patch[At(0, HookMLPOut)] = rc.Cache.Get(0, HookMLPOut)
		patch[At(1, HookMLPOut)] = rc.Cache.Get(1, HookMLPOut)
		patch[Act{Point: HookEmbed}] = rc.Cache.Get(0, HookEmbed)
		got, err := Run(p, corrupt, RunOptions[float64]{Patch: patch})
		if err != nil {
			t.Fatal(err)
		}
		if d := tensor.MaxAbsDiff(got.Logits, rc.Logits); d > 1e-12 {
			t.Errorf("patching %s (with embed and MLP outputs): logits differ from the clean run by %g", pt, d)
		}
	}
	// Without a cache or head results, the hook sees 17 activations per block.
	var seen []string
	hook := func(a Act, x *tensor.Dense[float64]) (*tensor.Dense[float64], error) {
		seen = append(seen, a.String())
		return x, nil
	}
	if _, err := Run(p, corrupt, RunOptions[float64]{Hook: hook}); err != nil {
		t.Fatal(err)
	}
	if seen[0] != "hook_embed" || seen[len(seen)-1] != "ln_final.hook_normalized" || len(seen) != 2+2+c.NLayer*17 {
		t.Errorf("hook saw %d activations from %s to %s", len(seen), seen[0], seen[len(seen)-1])
	}
}

func TestRunErrors(t *testing.T) {
	p := randomModel[float64](t, tinyConfig, 5, 0.3)
	bad := map[string]struct {
		tokens []int
		opts   RunOptions[float64]
	}{
		"no tokens":              {nil, RunOptions[float64]{}},
		"outside the vocabulary": {[]int{1, 50}, RunOptions[float64]{}},
		"only 16 positions":      {make([]int, 17), RunOptions[float64]{}},
		"patch for blocks.0.hook_resid_pre has shape [2 32]": {[]int{1, 2, 3},
			RunOptions[float64]{Patch: map[Act]*tensor.Dense[float64]{At(0, HookResidPre): tensor.Zeros[float64](2, 32)}}},
		"blocks.7.hook_resid_pre do not occur": {[]int{1, 2, 3},
			RunOptions[float64]{Patch: map[Act]*tensor.Dense[float64]{At(7, HookResidPre): tensor.Zeros[float64](3, 32)}}},
		"the scores of head 2, query 1 are all −∞": {[]int{1, 2, 3}, RunOptions[float64]{Hook: func(a Act, x *tensor.Dense[float64]) (*tensor.Dense[float64], error) {
			if a == At(1, HookAttnScores) {
				y := x.Clone()
				y.Index(0, 2).Index(0, 1).Fill(math.Inf(-1))
				return y, nil
			}
			return x, nil
		}}},
		"hook at blocks.0.attn.hook_q returned shape": {[]int{1, 2, 3}, RunOptions[float64]{Hook: func(a Act, x *tensor.Dense[float64]) (*tensor.Dense[float64], error) {
			if a.Point == HookQ {
				return tensor.Zeros[float64](1), nil
			}
			return x, nil
		}}},
	}
	for want, c := range bad {
		_, err := Run(p, c.tokens, c.opts)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.HasPrefix(err.Error(), "interp: ") {
			t.Errorf("error %v, want one mentioning %q", err, want)
		}
	}
	q := p.Clone()
	q.Blocks[1].WO = tensor.Zeros[float64](4, 8, 31)
	if _, err := Forward(q, []int{1}); err == nil || !strings.Contains(err.Error(), "blocks.1.attn.W_O has shape [4 8 31]") {
		t.Errorf("bad W_O: error %v", err)
	}
	q = p.Clone()
	q.Blocks[0].LN2.W = nil
	if _, err := Forward(q, []int{1}); err == nil || !strings.Contains(err.Error(), "blocks.0.ln2.w is missing") {
		t.Errorf("missing ln2: error %v", err)
	}
	q = p.Clone()
	q.WU = tensor.Zeros[float64](32, 50)
	if _, err := Forward(q, []int{1}); err == nil || !strings.Contains(err.Error(), "W_U is set") {
		t.Errorf("stray W_U: error %v", err)
	}
}

// TestParallelRowsThreads: rows are split over up to kernel.Threads
// goroutines, so SetThreads(1) keeps a large elementwise step on the caller.
func TestParallelRowsThreads(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	defer kernel.SetThreads(kernel.SetThreads(1))
	const n, rowSize = 1024, 1024
	var calls [][2]int
	parallelRows(n, rowSize, func(r0, r1 int) { calls = append(calls, [2]int{r0, r1}) })
	if len(calls) != 1 || calls[0] != [2]int{0, n} {
		t.Errorf("with one thread, parallelRows made calls %v, want one over [0, %d)", calls, n)
	}
	kernel.SetThreads(3)
	var parts atomic.Int32
	covered := make([]int, n)
	parallelRows(n, rowSize, func(r0, r1 int) {
		parts.Add(1)
		for r := r0; r < r1; r++ {
			covered[r]++
		}
	})
	if parts.Load() != 3 || slices.ContainsFunc(covered, func(c int) bool { return c != 1 }) {
		t.Errorf("with three threads: %d calls, rows covered %v times (want 3 calls, each row once)", parts.Load(), covered[:8])
	}
}

// TestSoftmaxCausalParallel checks the row-parallel softmax against row by
// row, and that it reports the first all −∞ row whichever goroutine finds
// which.
func TestSoftmaxCausalParallel(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	const nh, n = 4, 256
	s := tensor.RandNormal[float64](tensor.NewRand(3), nh, n, n).Data()
	a := make([]float64, len(s))
	if _, _, ok := softmaxCausal(a, s, nh, n); !ok {
		t.Fatal("softmaxCausal failed on finite scores")
	}
	for r := range nh * n {
		row := r*n + r%n + 1
		want := make([]float64, r%n+1)
		softmaxRow(want, s[r*n:row])
		for k, w := range want {
			if a[r*n+k] != w {
				t.Fatalf("row %d, key %d: %v, want %v", r, k, a[r*n+k], w)
			}
		}
	}
	for _, r := range []int{3*n + 200, n + 7, 3*n + 5} { // rows 968, 263, 773
		for k := range r%n + 1 {
			s[r*n+k] = math.Inf(-1)
		}
	}
	if h, q, ok := softmaxCausal(a, s, nh, n); ok || h != 1 || q != 7 {
		t.Errorf("softmaxCausal reported (%d, %d, %v), want head 1, query 7", h, q, ok)
	}
}
