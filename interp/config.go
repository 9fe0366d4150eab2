package interp

import (
	"encoding/json"
	"fmt"
)

// Config is the architecture of a GPT-2-style decoder-only transformer.
//
// The zero values of the switches give GPT-2: LayerNorm before every block and
// before the unembedding, MLP blocks with gelu_new, the unembedding tied to
// the token embedding (logits = x W_Eᵀ), ε = 1e-5.
type Config struct {
	NLayer int `json:"n_layer"` // number of blocks
	NHead  int `json:"n_head"`  // attention heads per block
	DModel int `json:"d_model"` // residual stream width
	DHead  int `json:"d_head"`  // query/key/value width of one head
	DMLP   int `json:"d_mlp"`   // MLP hidden width (GPT-2: 4·DModel); 0 when AttnOnly
	NCtx   int `json:"n_ctx"`   // number of positions
	DVocab int `json:"d_vocab"` // number of tokens

	AttnOnly      bool    `json:"attn_only,omitempty"`      // blocks have no MLP
	NoLayerNorm   bool    `json:"no_layer_norm,omitempty"`  // no LayerNorm anywhere
	UntiedUnembed bool    `json:"untied_unembed,omitempty"` // logits = x W_U with its own W_U
	LNEps         float64 `json:"ln_eps,omitempty"`         // LayerNorm ε; 0 means 1e-5
	StartToken    int     `json:"start_token,omitempty"`    // beginning-of-sequence token (GPT-2: 50256)
}

// GPT2Small is the configuration of the 124M-parameter GPT-2.
var GPT2Small = Config{NLayer: 12, NHead: 12, DModel: 768, DHead: 64, DMLP: 3072, NCtx: 1024, DVocab: 50257, StartToken: 50256}

// eps returns the LayerNorm ε.
func (c Config) eps() float64 {
	if c.LNEps == 0 {
		return 1e-5
	}
	return c.LNEps
}

// Validate reports the first inconsistency in c.
func (c Config) Validate() error {
	for _, f := range []struct {
		name string
		v    int
	}{{"n_layer", c.NLayer}, {"n_head", c.NHead}, {"d_model", c.DModel}, {"d_head", c.DHead}, {"n_ctx", c.NCtx}, {"d_vocab", c.DVocab}} {
		if f.v <= 0 {
			return fmt.Errorf("interp: config: %s is %d, want a positive size", f.name, f.v)
		}
	}
	switch {
	case c.AttnOnly && c.DMLP != 0:
		return fmt.Errorf("interp: config: d_mlp is %d in an attention-only model, want 0", c.DMLP)
	case !c.AttnOnly && c.DMLP <= 0:
		return fmt.Errorf("interp: config: d_mlp is %d, want a positive size (or attn_only)", c.DMLP)
	case c.LNEps < 0:
		return fmt.Errorf("interp: config: ln_eps is %g, want ≥ 0", c.LNEps)
	case c.StartToken < 0 || c.StartToken >= c.DVocab:
		return fmt.Errorf("interp: config: start_token %d is outside the vocabulary [0, %d)", c.StartToken, c.DVocab)
	}
	return nil
}

// String renders c as its JSON form.
func (c Config) String() string {
	b, _ := json.Marshal(c)
	return string(b)
}
