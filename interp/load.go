package interp

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/strand-tn/strand/tensor"
	"github.com/strand-tn/strand/tensorio"
)

// The native format is a .safetensors file whose tensors carry the names of
// [Params.Params] and whose metadata holds the configuration as JSON.
const (
	nativeFormatKey = "strand.format"
	nativeFormat    = "interp/1"
	nativeConfigKey = "strand.config"
)

// LoadOptions control [Load]. The zero value reads config.json beside a
// GPT-2 checkpoint and applies tensorio's default memory limit.
type LoadOptions struct {
	// ConfigPath is the HuggingFace config.json of a GPT-2 checkpoint; empty
	// means config.json in the checkpoint's directory. Native files carry
	// their configuration and ignore it.
	ConfigPath string
	// MaxBytes bounds the memory for the weights (tensorio.Options.MaxBytes).
	MaxBytes int64
}

// Load reads a model from a .safetensors file: strand's native format (see
// [Save]) or a HuggingFace GPT-2 checkpoint (model.safetensors of GPT2Model
// or GPT2LMHeadModel, names with or without the "transformer." prefix,
// Conv1D weights [in, out]; the attn.bias / attn.masked_bias buffers are
// ignored, and an lm_head.weight, if stored, becomes an untied W_U).
func Load[T Float](path string, opts LoadOptions) (*Params[T], error) {
	f, err := tensorio.OpenFile(path, tensorio.Options{MaxBytes: opts.MaxBytes})
	if err != nil {
		return nil, fmt.Errorf("interp: %w", err)
	}
	defer f.Close()
	var meta map[string]string
	if st, ok := f.Archive.(*tensorio.Safetensors); ok {
		meta = st.Metadata()
	}
	names := f.Names()
	switch {
	case meta[nativeFormatKey] != "":
		return loadNative[T](path, f, meta)
	case slices.Contains(names, "wte.weight") || slices.Contains(names, "transformer.wte.weight"):
		cfgPath := opts.ConfigPath
		if cfgPath == "" {
			cfgPath = filepath.Join(filepath.Dir(path), "config.json")
		}
		return loadGPT2[T](path, f, cfgPath)
	}
	return nil, fmt.Errorf("interp: %s is neither a strand model (no %q metadata) nor a GPT-2 checkpoint (no wte.weight)", path, nativeFormatKey)
}

func loadNative[T Float](path string, f tensorio.Archive, meta map[string]string) (*Params[T], error) {
	if v := meta[nativeFormatKey]; v != nativeFormat {
		return nil, fmt.Errorf("interp: %s: format %q, this strand reads %q", path, v, nativeFormat)
	}
	var c Config
	dec := json.NewDecoder(strings.NewReader(meta[nativeConfigKey]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("interp: %s: configuration metadata: %v", path, err)
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("interp: %s: %w", path, err)
	}
	if err := checkLayers(path, c, f); err != nil {
		return nil, err
	}
	p := &Params[T]{Config: c, Blocks: make([]Block[T], c.NLayer)}
	want := map[string]bool{}
	for _, q := range p.Params() {
		want[q.Name] = true
		t, err := getShaped[T](f, path, q.Name, q.Name, q.Shape)
		if err != nil {
			return nil, err
		}
		*q.Ptr = t
	}
	for _, n := range f.Names() {
		if !want[n] {
			return nil, fmt.Errorf("interp: %s: tensor %q is not a parameter of this configuration", path, n)
		}
	}
	return p, p.Validate()
}

// checkLayers rejects a configuration with more layers than the file has
// tensors (every layer has several), before anything is allocated for them.
func checkLayers(path string, c Config, f tensorio.Archive) error {
	if n := len(f.Names()); c.NLayer > n {
		return fmt.Errorf("interp: %s: the configuration has %d layers but the file holds only %d tensors", path, c.NLayer, n)
	}
	return nil
}

// getShaped reads tensor name (called what in messages) and checks its shape.
func getShaped[T Float](f tensorio.Archive, path, name, what string, shape []int) (*tensor.Dense[T], error) {
	info, ok := f.Info(name)
	if !ok {
		return nil, fmt.Errorf("interp: %s: tensor %q is missing", path, name)
	}
	if !slices.Equal(info.Shape, shape) {
		return nil, fmt.Errorf("interp: %s: tensor %q has shape %v, want %v for %s", path, name, info.Shape, shape, what)
	}
	t, err := tensorio.Get[T](f, name)
	if err != nil {
		return nil, fmt.Errorf("interp: %w", err)
	}
	return t, nil
}

// Save writes p in strand's native format: a .safetensors file with the
// names of [Params.Params] and the configuration in its metadata.
func Save[T Float](path string, p *Params[T]) error {
	if err := p.Validate(); err != nil {
		return err
	}
	ts := map[string]*tensor.Dense[T]{}
	for _, q := range p.Params() {
		ts[q.Name] = *q.Ptr
	}
	meta := map[string]string{nativeFormatKey: nativeFormat, nativeConfigKey: p.Config.String()}
	if err := tensorio.WriteFileAll(path, ts, tensorio.Options{Metadata: meta}); err != nil {
		return fmt.Errorf("interp: %w", err)
	}
	return nil
}

// gpt2Config is the part of HuggingFace's GPT2Config that strand reads.
type gpt2Config struct {
	ModelType            string   `json:"model_type"`
	NLayer               int      `json:"n_layer"`
	NHead                int      `json:"n_head"`
	NEmbd                int      `json:"n_embd"`
	NPositions           int      `json:"n_positions"`
	NCtx                 int      `json:"n_ctx"`
	VocabSize            int      `json:"vocab_size"`
	NInner               *int     `json:"n_inner"`
	LayerNormEpsilon     *float64 `json:"layer_norm_epsilon"`
	ActivationFunction   *string  `json:"activation_function"`
	BOSTokenID           *int     `json:"bos_token_id"`
	ScaleAttnWeights     *bool    `json:"scale_attn_weights"`
	ScaleAttnByLayerIdx  bool     `json:"scale_attn_by_inverse_layer_idx"`
	TieWordEmbeddings    *bool    `json:"tie_word_embeddings"`
	AddCrossAttention    bool     `json:"add_cross_attention"`
	ReorderAndUpcastAttn bool     `json:"reorder_and_upcast_attn"`
}

// readGPT2Config reads config.json and translates it to a Config.
func readGPT2Config(path string) (Config, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return Config{}, fmt.Errorf("interp: %s not found: a GPT-2 checkpoint needs its config.json (LoadOptions.ConfigPath, or --config)", path)
	}
	if err != nil {
		return Config{}, fmt.Errorf("interp: %w", err)
	}
	var g gpt2Config
	if err := json.Unmarshal(b, &g); err != nil {
		return Config{}, fmt.Errorf("interp: %s: %v", path, err)
	}
	switch {
	case g.ModelType != "" && g.ModelType != "gpt2":
		return Config{}, fmt.Errorf("interp: %s: model_type %q, strand reads gpt2", path, g.ModelType)
	case g.ActivationFunction != nil && *g.ActivationFunction != "gelu_new":
		return Config{}, fmt.Errorf("interp: %s: activation_function %q, strand implements gelu_new", path, *g.ActivationFunction)
	case g.ScaleAttnWeights != nil && !*g.ScaleAttnWeights:
		return Config{}, fmt.Errorf("interp: %s: scale_attn_weights false is not supported", path)
	case g.ScaleAttnByLayerIdx:
		return Config{}, fmt.Errorf("interp: %s: scale_attn_by_inverse_layer_idx is not supported", path)
	case g.AddCrossAttention:
		return Config{}, fmt.Errorf("interp: %s: cross-attention is not supported", path)
	case g.NHead <= 0 || g.NEmbd%g.NHead != 0:
		return Config{}, fmt.Errorf("interp: %s: n_embd %d is not a multiple of n_head %d", path, g.NEmbd, g.NHead)
	}
	c := Config{NLayer: g.NLayer, NHead: g.NHead, DModel: g.NEmbd, DHead: g.NEmbd / g.NHead, DMLP: 4 * g.NEmbd,
		NCtx: g.NPositions, DVocab: g.VocabSize}
	if c.NCtx == 0 {
		c.NCtx = g.NCtx
	}
	if g.NInner != nil {
		c.DMLP = *g.NInner
	}
	if g.LayerNormEpsilon != nil && *g.LayerNormEpsilon != (Config{}).eps() {
		c.LNEps = *g.LayerNormEpsilon
	}
	if g.BOSTokenID != nil {
		c.StartToken = *g.BOSTokenID
	}
	c.UntiedUnembed = g.TieWordEmbeddings != nil && !*g.TieWordEmbeddings
	if err := c.Validate(); err != nil {
		return Config{}, fmt.Errorf("interp: %s: %w", path, err)
	}
	return c, nil
}

// gpt2Block is the name prefix of block l in a GPT-2 checkpoint.
func gpt2Block(l int) string { return fmt.Sprintf("h.%d.", l) }

func loadGPT2[T Float](path string, f tensorio.Archive, cfgPath string) (*Params[T], error) {
	c, err := readGPT2Config(cfgPath)
	if err != nil {
		return nil, err
	}
	if err := checkLayers(path, c, f); err != nil {
		return nil, err
	}
	prefix := ""
	if slices.Contains(f.Names(), "transformer.wte.weight") {
		prefix = "transformer."
	}
	if _, ok := f.Info("lm_head.weight"); ok {
		c.UntiedUnembed = true
	} else if c.UntiedUnembed {
		return nil, fmt.Errorf("interp: %s: tie_word_embeddings is false but %s has no lm_head.weight", cfgPath, path)
	}
	p := &Params[T]{Config: c, Blocks: make([]Block[T], c.NLayer)}
	seen := map[string]bool{}
	get := func(name, what string, shape ...int) (*tensor.Dense[T], error) {
		seen[prefix+name] = true
		return getShaped[T](f, path, prefix+name, what, shape)
	}
	D, H, E, F := c.DModel, c.NHead, c.DHead, c.DMLP
	load := []struct {
		name, what string
		shape      []int
		set        func(t *tensor.Dense[T])
	}{
		{"wte.weight", "W_E", []int{c.DVocab, D}, func(t *tensor.Dense[T]) { p.WE = t }},
		{"wpe.weight", "W_pos", []int{c.NCtx, D}, func(t *tensor.Dense[T]) { p.WPos = t }},
		{"ln_f.weight", "ln_final.w", []int{D}, func(t *tensor.Dense[T]) { p.LNFinal.W = t }},
		{"ln_f.bias", "ln_final.b", []int{D}, func(t *tensor.Dense[T]) { p.LNFinal.B = t }},
	}
	for l := range c.NLayer {
		b := &p.Blocks[l]
		pre := gpt2Block(l)
		load = append(load, []struct {
			name, what string
			shape      []int
			set        func(t *tensor.Dense[T])
		}{
			{pre + "ln_1.weight", "ln1.w", []int{D}, func(t *tensor.Dense[T]) { b.LN1.W = t }},
			{pre + "ln_1.bias", "ln1.b", []int{D}, func(t *tensor.Dense[T]) { b.LN1.B = t }},
			// c_attn: [D, 3·H·E], columns ordered (q|k|v, head, e).
			{pre + "attn.c_attn.weight", "W_Q|W_K|W_V", []int{D, 3 * H * E}, func(t *tensor.Dense[T]) {
				w := t.MustReshape(D, 3, H, E)
				b.WQ, b.WK, b.WV = w.Index(1, 0).Contiguous(), w.Index(1, 1).Contiguous(), w.Index(1, 2).Contiguous()
			}},
			{pre + "attn.c_attn.bias", "b_Q|b_K|b_V", []int{3 * H * E}, func(t *tensor.Dense[T]) {
				w := t.MustReshape(3, H, E)
				b.BQ, b.BK, b.BV = w.Index(0, 0).Contiguous(), w.Index(0, 1).Contiguous(), w.Index(0, 2).Contiguous()
			}},
			// c_proj: [H·E, D], rows ordered (head, e).
			{pre + "attn.c_proj.weight", "W_O", []int{H * E, D}, func(t *tensor.Dense[T]) { b.WO = t.MustReshape(H, E, D) }},
			{pre + "attn.c_proj.bias", "b_O", []int{D}, func(t *tensor.Dense[T]) { b.BO = t }},
			{pre + "ln_2.weight", "ln2.w", []int{D}, func(t *tensor.Dense[T]) { b.LN2.W = t }},
			{pre + "ln_2.bias", "ln2.b", []int{D}, func(t *tensor.Dense[T]) { b.LN2.B = t }},
			{pre + "mlp.c_fc.weight", "mlp.W_in", []int{D, F}, func(t *tensor.Dense[T]) { b.WIn = t }},
			{pre + "mlp.c_fc.bias", "mlp.b_in", []int{F}, func(t *tensor.Dense[T]) { b.BIn = t }},
			{pre + "mlp.c_proj.weight", "mlp.W_out", []int{F, D}, func(t *tensor.Dense[T]) { b.WOut = t }},
			{pre + "mlp.c_proj.bias", "mlp.b_out", []int{D}, func(t *tensor.Dense[T]) { b.BOut = t }},
		}...)
	}
	for _, e := range load {
		t, err := get(e.name, e.what, e.shape...)
		if err != nil {
			return nil, err
		}
		e.set(t)
	}
	if c.UntiedUnembed {
		t, err := getShaped[T](f, path, "lm_head.weight", "W_Uᵀ", []int{c.DVocab, D})
		if err != nil {
			return nil, err
		}
		seen["lm_head.weight"] = true
		p.WU = t.T().Contiguous()
	}
	for _, n := range f.Names() {
		rest := strings.TrimPrefix(n, prefix)
		if seen[n] || isGPT2Buffer(rest) {
			continue
		}
		return nil, fmt.Errorf("interp: %s: unexpected tensor %q in a GPT-2 checkpoint", path, n)
	}
	return p, p.Validate()
}

// isGPT2Buffer reports whether name is one of the causal-mask buffers
// GPT2Attention registers (h.{i}.attn.bias, h.{i}.attn.masked_bias).
func isGPT2Buffer(name string) bool {
	var l int
	var rest string
	if n, _ := fmt.Sscanf(name, "h.%d.%s", &l, &rest); n != 2 {
		return false
	}
	return rest == "attn.bias" || rest == "attn.masked_bias"
}

// SaveGPT2 writes p as a HuggingFace GPT-2 checkpoint: dir/model.safetensors
// with GPT2Model's names and Conv1D layout (c_attn [d_model, 3·d_model],
// c_proj [d_model, d_model], including the attn.bias mask buffers as
// transformers writes them) and dir/config.json. The model must have GPT-2's
// architecture: LayerNorm, MLPs, n_head·d_head = d_model and, unless
// untied (then lm_head.weight is written), the tied unembedding.
func SaveGPT2[T Float](dir string, p *Params[T]) error {
	if err := p.Validate(); err != nil {
		return err
	}
	c := p.Config
	if c.NoLayerNorm || c.AttnOnly || c.NHead*c.DHead != c.DModel {
		return fmt.Errorf("interp: the model is not GPT-2-shaped (needs LayerNorm, MLPs and n_head·d_head = d_model)")
	}
	ts := map[string]*tensor.Dense[T]{
		"wte.weight": p.WE, "wpe.weight": p.WPos, "ln_f.weight": p.LNFinal.W, "ln_f.bias": p.LNFinal.B,
	}
	if p.WU != nil {
		ts["lm_head.weight"] = p.WU.T().Contiguous()
	}
	D, H, E := c.DModel, c.NHead, c.DHead
	mask := tensor.Zeros[T](1, 1, c.NCtx, c.NCtx)
	for q := range c.NCtx {
		for k := 0; k <= q; k++ {
			mask.Set(1, 0, 0, q, k)
		}
	}
	for l, b := range p.Blocks {
		pre := gpt2Block(l)
		w := tensor.Zeros[T](D, 3, H, E)
		bias := tensor.Zeros[T](3, H, E)
		for i, part := range []struct{ w, b *tensor.Dense[T] }{{b.WQ, b.BQ}, {b.WK, b.BK}, {b.WV, b.BV}} {
			w.Index(1, i).CopyFrom(part.w)
			bias.Index(0, i).CopyFrom(part.b)
		}
		ts[pre+"ln_1.weight"], ts[pre+"ln_1.bias"] = b.LN1.W, b.LN1.B
		ts[pre+"attn.c_attn.weight"], ts[pre+"attn.c_attn.bias"] = w.MustReshape(D, 3*D), bias.MustReshape(3*D)
		ts[pre+"attn.c_proj.weight"], ts[pre+"attn.c_proj.bias"] = b.WO.MustReshape(D, D), b.BO
		ts[pre+"attn.bias"] = mask
		ts[pre+"ln_2.weight"], ts[pre+"ln_2.bias"] = b.LN2.W, b.LN2.B
		ts[pre+"mlp.c_fc.weight"], ts[pre+"mlp.c_fc.bias"] = b.WIn, b.BIn
		ts[pre+"mlp.c_proj.weight"], ts[pre+"mlp.c_proj.bias"] = b.WOut, b.BOut
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("interp: %w", err)
	}
	if err := tensorio.WriteFileAll(filepath.Join(dir, "model.safetensors"), ts, tensorio.Options{Metadata: map[string]string{"format": "pt"}}); err != nil {
		return fmt.Errorf("interp: %w", err)
	}
	cfg := map[string]any{
		"model_type": "gpt2", "architectures": []string{"GPT2LMHeadModel"},
		"n_layer": c.NLayer, "n_head": c.NHead, "n_embd": c.DModel, "n_positions": c.NCtx, "n_ctx": c.NCtx,
		"vocab_size": c.DVocab, "n_inner": c.DMLP, "layer_norm_epsilon": c.eps(), "activation_function": "gelu_new",
		"bos_token_id": c.StartToken, "eos_token_id": c.StartToken, "scale_attn_weights": true,
		"tie_word_embeddings": p.WU == nil,
	}
	b, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		return fmt.Errorf("interp: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.json"), append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("interp: %w", err)
	}
	return nil
}
