#!/usr/bin/env python3
"""numpy/scipy peers of the linalg and decomp Go benchmarks.

Run:  /usr/bin/python3 bench/decomp_bench.py      (from the repository root)
and compare with
      go test ./linalg ./decomp -run '^$' -bench . -benchtime 3x

Each line prints the best wall time and the best process CPU time of a few
runs, in milliseconds, under the name of the Go benchmark it mirrors. Name
benchmarks as arguments to run only those. Timings are noisy on a shared
machine: run both back to back. For a single-core comparison that load
distorts less, compare CPU times with
      OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/decomp_bench.py
      GOMAXPROCS=1 go test ... -cpu 1   (CPU time from /usr/bin/time)
"""
import sys
import time

import numpy as np


def best(f, reps=3):
    """Best wall and CPU time of reps calls, in milliseconds."""
    wall = cpu = float("inf")
    for _ in range(reps):
        s, c = time.perf_counter(), time.process_time()
        f()
        wall = min(wall, time.perf_counter() - s)
        cpu = min(cpu, time.process_time() - c)
    return wall * 1e3, cpu * 1e3


def randomized_svd(a, k, p=10, q=2, seed=0):
    """Halko–Martinsson–Tropp 2011, algorithms 4.4 and 5.1 (as linalg does)."""
    rng = np.random.default_rng(seed)
    y = a @ rng.standard_normal((a.shape[1], k + p))
    qm, _ = np.linalg.qr(y)
    for _ in range(q):
        qz, _ = np.linalg.qr(a.T @ qm)
        qm, _ = np.linalg.qr(a @ qz)
    u, s, vt = np.linalg.svd(qm.T @ a, full_matrices=False)
    return (qm @ u)[:, :k], s[:k], vt[:k]


def unfold(x, n):
    return np.moveaxis(x, n, 0).reshape(x.shape[n], -1)


def khatri_rao(mats):
    """Column-wise Kronecker product, rows ordered like unfold's columns."""
    r = mats[0].shape[1]
    out = mats[0]
    for m in mats[1:]:
        out = (out[:, None, :] * m[None, :, :]).reshape(-1, r)
    return out


def cp_als(x, rank, sweeps, seed=0):
    """Straightforward ALS: unfold, Khatri–Rao, pseudo-inverse of the Hadamard Gram."""
    rng = np.random.default_rng(seed)
    n = x.ndim
    factors = [rng.standard_normal((d, rank)) for d in x.shape]
    for _ in range(sweeps):
        for m in range(n):
            others = [factors[k] for k in range(n) if k != m]
            v = np.ones((rank, rank))
            for f in others:
                v *= f.T @ f
            a = unfold(x, m) @ khatri_rao(others) @ np.linalg.pinv(v)
            w = np.linalg.norm(a, axis=0)
            factors[m] = a / w
    full = np.einsum("r,ir,jr,kr->ijk", w, *factors)
    return np.linalg.norm(x - full) / np.linalg.norm(x)


def hosvd(x, ranks):
    us = [np.linalg.svd(unfold(x, n), full_matrices=False)[0][:, :r] for n, r in enumerate(ranks)]
    core = x
    for n, u in enumerate(us):
        core = np.moveaxis(np.tensordot(core, u, axes=([n], [0])), -1, n)
    return core, us


def tt_svd(x, max_rank):
    shape, cores, r = x.shape, [], 1
    c = x.reshape(shape[0], -1)
    for n in shape[:-1]:
        c = c.reshape(r * n, -1)
        u, s, vt = np.linalg.svd(c, full_matrices=False)
        k = min(max_rank, len(s))
        cores.append(u[:, :k].reshape(r, n, k))
        c = s[:k, None] * vt[:k]
        r = k
    cores.append(c.reshape(r, shape[-1], 1))
    return cores


def main():
    rng = np.random.default_rng(1)
    a512 = rng.standard_normal((512, 512))
    a1024 = rng.standard_normal((1024, 1024))
    a2048 = rng.standard_normal((2048, 2048))
    x100 = rng.standard_normal((100, 100, 100))
    x8 = rng.standard_normal((8,) * 6)
    benches = [
        ("SVD512", lambda: np.linalg.svd(a512, full_matrices=False), 5),
        ("SVD1024", lambda: np.linalg.svd(a1024, full_matrices=False), 3),
        ("RandomizedSVD2048Rank32", lambda: randomized_svd(a2048, 32), 3),
        ("FullSVD2048", lambda: np.linalg.svd(a2048, full_matrices=False), 1),
        ("CPALS100Rank10", lambda: cp_als(x100, 10, 20), 3),
        ("HOSVD100Rank10", lambda: hosvd(x100, (10, 10, 10)), 3),
        ("TTSVD", lambda: tt_svd(x8, 16), 3),
    ]
    only = set(sys.argv[1:])
    print(f"numpy {np.__version__}; best of runs, wall and CPU ms")
    for name, f, reps in benches:
        if only and name not in only:
            continue
        wall, cpu = best(f, reps)
        print(f"{name:26s} wall {wall:10.1f}   cpu {cpu:10.1f}")


if __name__ == "__main__":
    main()
