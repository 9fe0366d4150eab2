#!/usr/bin/env python3
"""Times the plain PyTorch GPT-2 forward pass of gpt2_reference.py on a
GPT-2-small-sized model with random weights (12 layers, 12 heads, d_model 768,
d_mlp 3072, vocab 50257, 1024 positions) on 128 tokens, to compare with
strand's BenchmarkForwardGPT2Small (go test ./interp -bench ForwardGPT2Small).

Usage: python3 gpt2_bench_torch.py [--threads N] [--dtype float32|float64] [--tokens 128] [--repeat 5]
Prints the median wall seconds per forward pass and the process CPU seconds
per pass (less inflated than wall time on a busy machine).

--threads also caps the BLAS library's own threads (OPENBLAS_NUM_THREADS,
MKL_NUM_THREADS, OMP_NUM_THREADS, set before torch loads): a torch built on
the system OpenBLAS, as Debian's is, otherwise runs its products on every core
whatever torch.set_num_threads says.
"""
import argparse
import os
import statistics
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--dtype", default="float32", choices=["float32", "float64"])
    ap.add_argument("--tokens", type=int, default=128)
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    for v in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS"):
        os.environ[v] = str(a.threads)
    import torch

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from gpt2_reference import forward

    torch.set_num_threads(a.threads)
    dt = getattr(torch, a.dtype)
    g = torch.Generator().manual_seed(0)
    L, D, H, F, V, N = 12, 768, 12, 3072, 50257, 1024
    cfg = {"n_layer": L, "n_head": H, "n_embd": D, "layer_norm_epsilon": 1e-5}

    def rnd(*shape):
        return (0.02 * torch.randn(*shape, generator=g)).to(dt)

    w = {"wte.weight": rnd(V, D), "wpe.weight": rnd(N, D), "ln_f.weight": torch.ones(D, dtype=dt), "ln_f.bias": torch.zeros(D, dtype=dt)}
    for i in range(L):
        p = f"h.{i}."
        w.update({
            p + "ln_1.weight": torch.ones(D, dtype=dt), p + "ln_1.bias": torch.zeros(D, dtype=dt),
            p + "attn.c_attn.weight": rnd(D, 3 * D), p + "attn.c_attn.bias": torch.zeros(3 * D, dtype=dt),
            p + "attn.c_proj.weight": rnd(D, D), p + "attn.c_proj.bias": torch.zeros(D, dtype=dt),
            p + "ln_2.weight": torch.ones(D, dtype=dt), p + "ln_2.bias": torch.zeros(D, dtype=dt),
            p + "mlp.c_fc.weight": rnd(D, F), p + "mlp.c_fc.bias": torch.zeros(F, dtype=dt),
            p + "mlp.c_proj.weight": rnd(F, D), p + "mlp.c_proj.bias": torch.zeros(D, dtype=dt),
        })
    tokens = torch.randint(0, V, (a.tokens,), generator=g).tolist()
    times, cpu = [], []
    with torch.no_grad():
        forward(w, cfg, tokens)  # warm-up
        for _ in range(a.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            forward(w, cfg, tokens)
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
    print(f"torch {torch.__version__} threads={a.threads} dtype={a.dtype} tokens={a.tokens}: "
          f"median {statistics.median(times):.4f} s per forward (min {min(times):.4f}), "
          f"{statistics.median(cpu):.4f} CPU s per forward")


if __name__ == "__main__":
    main()
