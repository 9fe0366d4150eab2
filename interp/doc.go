// Package interp computes the second half of the seed post — transformers as
// tensor networks, following Elhage et al. (2021), "A Mathematical Framework
// for Transformer Circuits" — on real weights.
//
// # Models
//
// [Params] holds a GPT-2-style decoder (Radford et al. 2019): token and
// position embeddings, pre-LayerNorm blocks of causal multi-head attention
// and a gelu_new MLP, a final LayerNorm and a tied (or separate)
// unembedding, in float32 or float64 ([Config] switches off the MLPs, the
// LayerNorms or the tying). Residual vectors are rows and weights act on the
// right (x·W, GPT-2's Conv1D layout); per head, W_Q, W_K, W_V are
// [d_model, n_head, d_head] and W_O is [n_head, d_head, d_model]:
//
//	x⁰ = W_E[tokens] + W_pos
//	A^h = softmax_k((LN(x) W_Q^h)(LN(x) W_K^h)ᵀ / √d_head + causal mask)
//	x ← x + Σ_h A^h LN(x) W_V^h W_O^h + b      (biases elided)
//	x ← x + gelu_new(LN(x) W_in) W_out
//	logits = LN(x) W_Eᵀ
//
// [Load] reads HuggingFace GPT-2 checkpoints (model.safetensors and
// config.json) and strand's native format ([Save]); [SaveGPT2] writes the
// former. [Forward] is a pure function of the parameters and the tokens; the
// big products are contract.Einsum calls. [Run] also records every
// activation under TransformerLens's hook names ([Act], [Point]) and patches
// activations: replacing hook_pattern freezes attention.
//
// # Circuits
//
// A head's QK circuit W_QK = W_Qᵀ W_K and OV circuit W_OV = W_O W_V (column
// convention, as in the paper) are d_model×d_model matrices of rank
// d_head; [Params.QK] and [Params.OV] keep them as [Factored] products whose
// norms, singular values and eigenvalues come from d_head×d_head matrices.
// [CompositionScores] gives the Q-, K- and V-composition scores of every
// pair of heads, and [CompositionBaseline] their value for random circuits.
//
// # Path expansion
//
// With attention patterns (and LayerNorm scales) frozen, an attention-only
// model is linear in its embedding, and [Expand] writes its output as a sum
// over paths through the heads — direct, single heads, virtual heads
// (V-composition) — each a contraction of named tensors that contract can
// evaluate and a diagram can draw. [Expansion.QKTerms] splits a later head's
// attention scores into query-side × key-side terms, which separates Q- and
// K-composition.
//
// # Induction heads
//
// [ToyInduction] builds the seed's toy induction circuit from explicit
// weights: a previous-token head (the shifted delta A_{k,q} = δ_{k,q+1})
// K-composing with a head whose QK circuit is the Match tensor. [Induction]
// measures induction and previous-token scores of every head on a repeated
// random sequence ([RepeatedTokens]).
package interp
