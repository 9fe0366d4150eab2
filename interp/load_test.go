package interp

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/strand-tn/strand/tensor"
	"github.com/strand-tn/strand/tensorio"
)

const gpt2Fixture = "testdata/gpt2_tiny"

// torchPython returns a Python interpreter that can import torch, or "".
func torchPython() string {
	cands := []string{"python3", "/usr/bin/python3"}
	if p := os.Getenv("STRAND_PYTHON"); p != "" {
		cands = []string{p}
	}
	for _, c := range cands {
		if exec.Command(c, "-c", "import importlib.util as u, sys; sys.exit(u.find_spec(\"torch\") is None or u.find_spec(\"numpy\") is None)").Run() == nil {
			return c
		}
	}
	return ""
}

// runReference runs testdata/gpt2_reference.py on the checkpoint in dir,
// writing its outputs to out.
func runReference(t *testing.T, py, dir, out string) {
	t.Helper()
	cmd := exec.Command(py, "testdata/gpt2_reference.py", dir, out)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("gpt2_reference.py: %v\n%s", err, stderr.String())
	}
}

func writeTokens(t *testing.T, dir string, tokens []int) {
	t.Helper()
	s := make([]string, len(tokens))
	for i, v := range tokens {
		s[i] = strconv.Itoa(v)
	}
	if err := os.WriteFile(filepath.Join(dir, "tokens.txt"), []byte(strings.Join(s, ",")), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readTokens(t *testing.T, dir string) []int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "tokens.txt"))
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := ParseTokens(string(b))
	if err != nil {
		t.Fatal(err)
	}
	return tokens
}

func readNPY(t *testing.T, name string) *tensor.Dense[float64] {
	t.Helper()
	x, err := tensorio.ReadFile[float64](name, tensorio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// TestGPT2Reference checks the forward pass on a GPT-2-shaped checkpoint
// (HuggingFace names, Conv1D layout, mask buffers) against logits that the
// independent PyTorch implementation testdata/gpt2_reference.py computed in
// float64. Run with -update (needs python3 with torch) to rewrite the fixture.
func TestGPT2Reference(t *testing.T) {
	if *update {
		py := torchPython()
		if py == "" {
			t.Fatal("-update needs python3 with torch and numpy (apt-get install python3-torch)")
		}
		p := randomModel[float32](t, tinyConfig, 2024, 0.3)
		if err := SaveGPT2(gpt2Fixture, p); err != nil {
			t.Fatal(err)
		}
		writeTokens(t, gpt2Fixture, randomTokens(tensor.NewRand(7), tinyConfig.NCtx, tinyConfig.DVocab))
		runReference(t, py, gpt2Fixture, gpt2Fixture)
	}
	tokens := readTokens(t, gpt2Fixture)
	want := readNPY(t, filepath.Join(gpt2Fixture, "logits.npy"))
	p, err := Load[float64](filepath.Join(gpt2Fixture, "model.safetensors"), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Config != tinyConfig {
		t.Errorf("config %v, want %v", p.Config, tinyConfig)
	}
	got, err := Forward(p, tokens)
	if err != nil {
		t.Fatal(err)
	}
	if d := tensor.MaxAbsDiff(got, want); d > 1e-5 {
		t.Errorf("float64: max |strand − torch| = %g over logits of size %g, want ≤ 1e-5", d, want.MaxAbs())
	} else {
		t.Logf("float64: max |strand − torch| = %.2g (logits up to %.3g)", d, want.MaxAbs())
	}
	p32, err := Load[float32](filepath.Join(gpt2Fixture, "model.safetensors"), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got32, err := Forward(p32, tokens)
	if err != nil {
		t.Fatal(err)
	}
	if d := tensor.MaxAbsDiff(tensor.Convert[float64](got32), want); d > 1e-5*want.MaxAbs() {
		t.Errorf("float32: max |strand − torch| = %g, want ≤ 1e-5 · %g", d, want.MaxAbs())
	}
}

// TestGPT2ReferenceLive runs the PyTorch reference on a fresh checkpoint with
// the "transformer." prefix and an untied lm_head; skipped without torch.
func TestGPT2ReferenceLive(t *testing.T) {
	py := torchPython()
	if py == "" {
		t.Skip("no python3 with torch and numpy")
	}
	c := tinyConfig
	c.UntiedUnembed = true
	c.NCtx = 12
	p := randomModel[float32](t, c, 99, 0.3)
	dir := t.TempDir()
	if err := SaveGPT2(dir, p); err != nil {
		t.Fatal(err)
	}
	addPrefix(t, filepath.Join(dir, "model.safetensors"), "transformer.")
	tokens := randomTokens(tensor.NewRand(8), c.NCtx, c.DVocab)
	writeTokens(t, dir, tokens)
	runReference(t, py, dir, dir)
	q, err := Load[float64](filepath.Join(dir, "model.safetensors"), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !q.Config.UntiedUnembed {
		t.Error("lm_head.weight did not make the unembedding untied")
	}
	got, err := Forward(q, tokens)
	if err != nil {
		t.Fatal(err)
	}
	want := readNPY(t, filepath.Join(dir, "logits.npy"))
	if d := tensor.MaxAbsDiff(got, want); d > 1e-5 {
		t.Errorf("max |strand − torch| = %g, want ≤ 1e-5", d)
	}
}

// addPrefix renames every tensor of a .safetensors file except lm_head.weight
// to prefix+name, as GPT2LMHeadModel stores them.
func addPrefix(t *testing.T, path, prefix string) {
	t.Helper()
	ts, err := tensorio.ReadFileAll[float32](path, tensorio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*tensor.Dense[float32]{}
	for n, x := range ts {
		if n != "lm_head.weight" {
			n = prefix + n
		}
		out[n] = x
	}
	if err := tensorio.WriteFileAll(path, out, tensorio.Options{}); err != nil {
		t.Fatal(err)
	}
}

func TestNativeRoundTrip(t *testing.T) {
	for _, c := range []Config{tinyConfig, {NLayer: 1, NHead: 2, DModel: 6, DHead: 4, NCtx: 5, DVocab: 7, AttnOnly: true, NoLayerNorm: true, UntiedUnembed: true}} {
		p := randomModel[float64](t, c, 11, 0.5)
		path := filepath.Join(t.TempDir(), "m.safetensors")
		if err := Save(path, p); err != nil {
			t.Fatal(err)
		}
		q, err := Load[float64](path, LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if q.Config != c {
			t.Errorf("config %v, want %v", q.Config, c)
		}
		for i, x := range p.Params() {
			if y := q.Params()[i]; tensor.MaxAbsDiff(*x.Ptr, *y.Ptr) != 0 {
				t.Errorf("%s differs after a round trip", x.Name)
			}
		}
	}
}

func TestLoadGPT2RoundTrip(t *testing.T) {
	p := randomModel[float64](t, tinyConfig, 12, 0.5)
	dir := t.TempDir()
	if err := SaveGPT2(dir, p); err != nil {
		t.Fatal(err)
	}
	q, err := Load[float64](filepath.Join(dir, "model.safetensors"), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i, x := range p.Params() {
		if y := q.Params()[i]; tensor.MaxAbsDiff(*x.Ptr, *y.Ptr) != 0 {
			t.Errorf("%s differs after a GPT-2 round trip", x.Name)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	p := randomModel[float32](t, tinyConfig, 13, 0.5)
	if err := SaveGPT2(dir, p); err != nil {
		t.Fatal(err)
	}
	model := filepath.Join(dir, "model.safetensors")
	cfg, err := os.ReadFile(filepath.Join(dir, "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	writeCfg := func(old, new string) string {
		path := filepath.Join(t.TempDir(), "config.json")
		if err := os.WriteFile(path, bytes.Replace(cfg, []byte(old), []byte(new), 1), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	ts, err := tensorio.ReadFileAll[float32](model, tensorio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	writeModel := func(edit func(map[string]*tensor.Dense[float32])) string {
		m := map[string]*tensor.Dense[float32]{}
		for k, v := range ts {
			m[k] = v
		}
		edit(m)
		d := t.TempDir()
		if err := tensorio.WriteFileAll(filepath.Join(d, "model.safetensors"), m, tensorio.Options{}); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, "config.json"), cfg, 0o644); err != nil {
			t.Fatal(err)
		}
		return filepath.Join(d, "model.safetensors")
	}
	cases := []struct {
		path string
		opts LoadOptions
		want string
	}{
		{filepath.Join(dir, "missing.safetensors"), LoadOptions{}, "cannot open"},
		{model, LoadOptions{ConfigPath: filepath.Join(dir, "nope.json")}, "nope.json not found"},
		{model, LoadOptions{ConfigPath: writeCfg(`"gelu_new"`, `"relu"`)}, `activation_function "relu"`},
		{model, LoadOptions{ConfigPath: writeCfg(`"n_head": 4`, `"n_head": 5`)}, "not a multiple of n_head"},
		{model, LoadOptions{ConfigPath: writeCfg(`"n_layer": 2`, `"n_layer": 3`)}, `"h.2.ln_1.weight" is missing`},
		{model, LoadOptions{ConfigPath: writeCfg(`"vocab_size": 50`, `"vocab_size": 51`)}, `"wte.weight" has shape [50 32], want [51 32] for W_E`},
		{model, LoadOptions{ConfigPath: writeCfg(`"tie_word_embeddings": true`, `"tie_word_embeddings": false`)}, "no lm_head.weight"},
		{writeModel(func(m map[string]*tensor.Dense[float32]) { m["h.0.attn.extra"] = tensor.Zeros[float32](1) }), LoadOptions{}, `unexpected tensor "h.0.attn.extra"`},
		{writeModel(func(m map[string]*tensor.Dense[float32]) { delete(m, "wte.weight") }), LoadOptions{}, "neither a strand model"},
	}
	for _, c := range cases {
		_, err := Load[float64](c.path, c.opts)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "interp: ") {
			t.Errorf("Load(%s): error %v, want one containing %q", filepath.Base(c.path), err, c.want)
		}
	}
	// A native file with a configuration that does not fit its tensors.
	path := filepath.Join(t.TempDir(), "n.safetensors")
	q := randomModel[float64](t, tinyConfig, 1, 1)
	if err := Save(path, q); err != nil {
		t.Fatal(err)
	}
	nt, err := tensorio.ReadFileAll[float64](path, tensorio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	bad := tinyConfig
	bad.NHead = 2
	meta := map[string]string{nativeFormatKey: nativeFormat, nativeConfigKey: bad.String()}
	if err := tensorio.WriteFileAll(path, nt, tensorio.Options{Metadata: meta}); err != nil {
		t.Fatal(err)
	}
	if _, err := Load[float64](path, LoadOptions{}); err == nil || !strings.Contains(err.Error(), `"blocks.0.attn.W_Q" has shape [32 4 8], want [32 2 8]`) {
		t.Errorf("native with wrong config: %v", err)
	}
	meta[nativeConfigKey] = `{"n_layer": 2, "bogus": 1}`
	if err := tensorio.WriteFileAll(path, nt, tensorio.Options{Metadata: meta}); err != nil {
		t.Fatal(err)
	}
	if _, err := Load[float64](path, LoadOptions{}); err == nil || !strings.Contains(err.Error(), `unknown field "bogus"`) {
		t.Errorf("native with bad metadata: %v", err)
	}
}
