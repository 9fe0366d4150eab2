package interp

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzLoad feeds arbitrary bytes to Load as a model file (with the GPT-2
// fixture's config.json beside it): it must return a model that validates or
// an error starting "interp: ", never panic.
func FuzzLoad(f *testing.F) {
	tiny := Config{NLayer: 1, NHead: 2, DModel: 4, DHead: 2, DMLP: 8, NCtx: 3, DVocab: 5}
	native := filepath.Join(f.TempDir(), "native.safetensors")
	if err := Save(native, randomModel[float32](f, tiny, 1, 1)); err != nil {
		f.Fatal(err)
	}
	gpt2 := f.TempDir()
	if err := SaveGPT2(gpt2, randomModel[float32](f, tiny, 2, 1)); err != nil {
		f.Fatal(err)
	}
	for _, name := range []string{native, filepath.Join(gpt2, "model.safetensors")} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[:len(b)/2])
		f.Add(bytes.Replace(b, []byte(`"n_head\":2`), []byte(`"n_head\":3`), 1))
	}
	cfg, err := os.ReadFile(filepath.Join(gpt2, "config.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		path := filepath.Join(dir, "model.safetensors")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "config.json"), cfg, 0o644); err != nil {
			t.Fatal(err)
		}
		p, err := Load[float32](path, LoadOptions{MaxBytes: 1 << 20})
		if err != nil {
			if !strings.HasPrefix(err.Error(), "interp: ") {
				t.Errorf("error without the package name: %v", err)
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Errorf("Load returned an invalid model: %v", err)
		}
	})
}

// FuzzGPT2Config feeds arbitrary config.json contents to the GPT-2 reader.
func FuzzGPT2Config(f *testing.F) {
	for _, s := range []string{
		`{"n_layer": 2, "n_head": 4, "n_embd": 32, "n_positions": 16, "vocab_size": 50}`,
		`{"n_layer": 2, "n_head": 0, "n_embd": 32}`,
		`{"model_type": "gpt2", "n_layer": 1, "n_head": 1, "n_embd": 1, "n_ctx": 1, "vocab_size": 1, "n_inner": -3}`,
		`{"activation_function": "relu"}`, `[]`, `{`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "config.json")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		c, err := readGPT2Config(path)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "interp: ") {
				t.Errorf("error without the package name: %v", err)
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Errorf("accepted an invalid config: %v", err)
		}
	})
}
