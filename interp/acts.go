package interp

import (
	"fmt"

	"github.com/strand-tn/strand/tensor"
)

// Point names a place in the forward pass where an activation is recorded
// and may be replaced. The names are TransformerLens's hook names.
type Point string

// The hook points, in the order the forward pass reaches them. Points before
// HookResidPre and after HookResidPost are model-level; the others occur once
// per block. Shapes use pos for the sequence length.
const (
	HookEmbed    Point = "hook_embed"     // [pos, d_model] W_E rows of the tokens
	HookPosEmbed Point = "hook_pos_embed" // [pos, d_model] W_pos rows

	HookResidPre      Point = "hook_resid_pre"           // [pos, d_model] residual stream entering the block
	HookLN1Scale      Point = "ln1.hook_scale"           // [pos] σ of LN1
	HookLN1Normalized Point = "ln1.hook_normalized"      // [pos, d_model] LN1 output
	HookQ             Point = "attn.hook_q"              // [pos, n_head, d_head]
	HookK             Point = "attn.hook_k"              // [pos, n_head, d_head]
	HookV             Point = "attn.hook_v"              // [pos, n_head, d_head]
	HookAttnScores    Point = "attn.hook_attn_scores"    // [n_head, pos_q, pos_k] q·k/√d_head, −∞ above the diagonal
	HookPattern       Point = "attn.hook_pattern"        // [n_head, pos_q, pos_k] softmax over keys
	HookZ             Point = "attn.hook_z"              // [pos, n_head, d_head] pattern-weighted values
	HookResult        Point = "attn.hook_result"         // [pos, n_head, d_model] each head's output z·W_O (no bias)
	HookAttnOut       Point = "hook_attn_out"            // [pos, d_model] Σ_h result + b_O
	HookResidMid      Point = "hook_resid_mid"           // [pos, d_model] after attention
	HookLN2Scale      Point = "ln2.hook_scale"           // [pos]
	HookLN2Normalized Point = "ln2.hook_normalized"      // [pos, d_model]
	HookMLPPre        Point = "mlp.hook_pre"             // [pos, d_mlp] before gelu_new
	HookMLPPost       Point = "mlp.hook_post"            // [pos, d_mlp] after gelu_new
	HookMLPOut        Point = "hook_mlp_out"             // [pos, d_model]
	HookResidPost     Point = "hook_resid_post"          // [pos, d_model] leaving the block
	HookLNFinalScale  Point = "ln_final.hook_scale"      // [pos]
	HookLNFinalNorm   Point = "ln_final.hook_normalized" // [pos, d_model]
)

// modelLevel reports whether p occurs once per model rather than per block.
func (p Point) modelLevel() bool {
	switch p {
	case HookEmbed, HookPosEmbed, HookLNFinalScale, HookLNFinalNorm:
		return true
	}
	return false
}

// Act identifies one activation: a hook point and, for per-block points, the
// block (layer) index. Layer is 0 for model-level points.
type Act struct {
	Layer int
	Point Point
}

// At returns the activation at point p of block layer.
func At(layer int, p Point) Act { return Act{layer, p} }

// String returns the TransformerLens name: "blocks.1.attn.hook_pattern",
// "hook_embed".
func (a Act) String() string {
	if a.Point.modelLevel() {
		return string(a.Point)
	}
	return fmt.Sprintf("blocks.%d.%s", a.Layer, a.Point)
}

// Cache holds the activations of one forward pass.
type Cache[T Float] map[Act]*tensor.Dense[T]

// Get returns the activation at point p of block layer (layer is ignored for
// model-level points), or nil if it was not recorded.
func (c Cache[T]) Get(layer int, p Point) *tensor.Dense[T] {
	if p.modelLevel() {
		layer = 0
	}
	return c[Act{layer, p}]
}
