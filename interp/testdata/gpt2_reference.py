#!/usr/bin/env python3
"""Independent PyTorch reference for strand's interp package.

Reads a HuggingFace GPT-2 checkpoint directory (model.safetensors, parsed here
with numpy rather than the safetensors package, config.json) and tokens.txt
(comma-separated token ids), runs GPT-2's forward pass in float64 exactly as
transformers' modeling_gpt2.py defines it (Conv1D x @ W + b, pre-LayerNorm
blocks, causal softmax attention scaled by 1/sqrt(d_head), gelu_new, final
LayerNorm, tied or lm_head unembedding), and writes

  logits.npy       float64 [pos, vocab]
  composition.npy  float64 [3, n_layer, n_head, n_layer, n_head]: Q-, K- and
                   V-composition scores as TransformerLens's
                   HookedTransformer.all_composition_scores computes them,
                   from the full d_model x d_model matrices.

Usage: python3 gpt2_reference.py DIR [OUTDIR]   (OUTDIR defaults to DIR)
"""
import json
import math
import os
import struct
import sys

import numpy as np
import torch

DTYPES = {"F64": np.float64, "F32": np.float32, "F16": np.float16}


def load_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    base = 8 + n
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        a, b = e["data_offsets"]
        arr = np.frombuffer(data[base + a : base + b], dtype=np.dtype(DTYPES[e["dtype"]]).newbyteorder("<"))
        out[name] = torch.from_numpy(arr.reshape(e["shape"]).astype(np.float64))
    return out


def strip_prefix(w):
    if "transformer.wte.weight" in w:
        return {k[len("transformer.") :] if k.startswith("transformer.") else k: v for k, v in w.items()}
    return w


def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


def forward(w, cfg, tokens):
    D, H = cfg["n_embd"], cfg["n_head"]
    E = D // H
    eps = cfg.get("layer_norm_epsilon", 1e-5)
    n = len(tokens)
    ids = torch.tensor(tokens, dtype=torch.long)
    x = w["wte.weight"][ids] + w["wpe.weight"][torch.arange(n)]
    causal = torch.tril(torch.ones(n, n, dtype=torch.bool))
    for i in range(cfg["n_layer"]):
        p = f"h.{i}."
        h = torch.nn.functional.layer_norm(x, (D,), w[p + "ln_1.weight"], w[p + "ln_1.bias"], eps)
        qkv = h @ w[p + "attn.c_attn.weight"] + w[p + "attn.c_attn.bias"]
        q, k, v = qkv.split(D, dim=-1)
        q, k, v = (t.view(n, H, E).transpose(0, 1) for t in (q, k, v))  # [H, n, E]
        att = q @ k.transpose(-1, -2) / math.sqrt(E)
        att = att.masked_fill(~causal, float("-inf"))
        att = torch.softmax(att, dim=-1)
        z = (att @ v).transpose(0, 1).reshape(n, D)
        x = x + z @ w[p + "attn.c_proj.weight"] + w[p + "attn.c_proj.bias"]
        h = torch.nn.functional.layer_norm(x, (D,), w[p + "ln_2.weight"], w[p + "ln_2.bias"], eps)
        m = gelu_new(h @ w[p + "mlp.c_fc.weight"] + w[p + "mlp.c_fc.bias"])
        x = x + m @ w[p + "mlp.c_proj.weight"] + w[p + "mlp.c_proj.bias"]
    x = torch.nn.functional.layer_norm(x, (D,), w["ln_f.weight"], w["ln_f.bias"], eps)
    unembed = w["lm_head.weight"] if "lm_head.weight" in w else w["wte.weight"]
    return x @ unembed.T


def composition_scores(w, cfg):
    L, D, H = cfg["n_layer"], cfg["n_embd"], cfg["n_head"]
    E = D // H
    QK, OV = [], []
    for i in range(L):
        p = f"h.{i}."
        c = w[p + "attn.c_attn.weight"]
        WQ, WK, WV = (c[:, j * D : (j + 1) * D].reshape(D, H, E).permute(1, 0, 2) for j in range(3))  # [H, D, E]
        WO = w[p + "attn.c_proj.weight"].reshape(H, E, D)
        QK.append(WQ @ WK.transpose(-1, -2))  # row convention: x_q QK x_k^T
        OV.append(WV @ WO)  # x OV
    QK, OV = torch.stack(QK), torch.stack(OV)  # [L, H, D, D]
    out = torch.zeros(3, L, H, L, H, dtype=torch.float64)
    for m, right in enumerate([QK, QK.transpose(-1, -2), OV]):
        for l1 in range(L):
            for h1 in range(H):
                left = OV[l1, h1]
                for l2 in range(l1 + 1, L):
                    for h2 in range(H):
                        r = right[l2, h2]
                        out[m, l1, h1, l2, h2] = torch.linalg.norm(left @ r) / (torch.linalg.norm(left) * torch.linalg.norm(r))
    return out


def main():
    src = sys.argv[1]
    dst = sys.argv[2] if len(sys.argv) > 2 else src
    with open(os.path.join(src, "config.json")) as f:
        cfg = json.load(f)
    with open(os.path.join(src, "tokens.txt")) as f:
        tokens = [int(t) for t in f.read().split(",")]
    w = strip_prefix(load_safetensors(os.path.join(src, "model.safetensors")))
    with torch.no_grad():
        np.save(os.path.join(dst, "logits.npy"), forward(w, cfg, tokens).numpy())
        np.save(os.path.join(dst, "composition.npy"), composition_scores(w, cfg).numpy())


if __name__ == "__main__":
    main()
