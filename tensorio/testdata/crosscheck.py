#!/usr/bin/python3
"""Cross-check tensorio against numpy (run by TestNumpyCrossCheck).

usage: crosscheck.py DIR

Reads the files tensorio wrote into DIR (described by DIR/go_expected.json)
with numpy and checks shapes, dtypes and exact values; then writes files of its
own (Fortran order, big-endian, format versions 2.0 and 3.0, compressed .npz)
with the values in DIR/py_expected.json for tensorio to read back.
"""
import json
import os
import struct
import sys

import numpy as np

d = sys.argv[1]
failures = []


def check(name, got, spec):
    want = np.array(spec["re"], dtype=np.float64) + 1j * np.array(spec["im"], dtype=np.float64)
    want = want.reshape(spec["shape"])
    if got.dtype.str != spec["dtype"]:
        failures.append("%s: dtype %s, want %s" % (name, got.dtype.str, spec["dtype"]))
        return
    want = want if got.dtype.kind == "c" else want.real
    want = want.astype(got.dtype)
    if got.shape != want.shape or not np.array_equal(got, want):
        failures.append("%s: got %r, want %r" % (name, got, want))


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    meta = header.pop("__metadata__", None)
    types = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4"}
    out = {}
    for name, info in header.items():
        lo, hi = info["data_offsets"]
        out[name] = np.frombuffer(raw[8 + n + lo:8 + n + hi], dtype=types[info["dtype"]]).reshape(info["shape"])
    return out, meta


with open(os.path.join(d, "go_expected.json")) as f:
    expected = json.load(f)
for name, spec in expected.items():
    path = os.path.join(d, spec["file"])
    if path.endswith(".npy"):
        check(name, np.load(path), spec)
    elif path.endswith(".npz"):
        with np.load(path) as z:
            check(name, z[spec["member"]], spec)
    else:
        tensors, meta = read_safetensors(path)
        if meta != {"written-by": "tensorio"}:
            failures.append("%s: metadata %r" % (name, meta))
        check(name, tensors[spec["member"]], spec)

rng = np.random.default_rng(11)
py = {}


def put(name, arr, file, member=None, **kw):
    spec = {"file": file, "shape": list(arr.shape), "dtype": arr.dtype.str,
            "re": np.real(arr).astype(np.float64).ravel().tolist(),
            "im": np.imag(arr).astype(np.float64).ravel().tolist()}
    if member:
        spec["member"] = member
    py[name] = spec
    path = os.path.join(d, file)
    if "version" in kw:
        with open(path, "wb") as f:
            np.lib.format.write_array(f, arr, version=kw["version"])
    elif member is None:
        np.save(path, arr)


put("fortran", np.asfortranarray(rng.standard_normal((3, 4, 5))), "py_fortran.npy")
put("bigendian", rng.standard_normal((4, 3)).astype(">f4"), "py_be.npy")
put("complex", (rng.standard_normal(6) + 1j * rng.standard_normal(6)).astype(np.complex64), "py_c8.npy")
put("v2", rng.standard_normal((2, 2)), "py_v2.npy", version=(2, 0))
put("v3", rng.integers(-100, 100, (5,)).astype(np.int16), "py_v3.npy", version=(3, 0))
put("half", rng.standard_normal((7,)).astype(np.float16), "py_f2.npy")
z = {"w": rng.standard_normal((2, 3)), "idx": rng.integers(0, 1000, (4,))}
put("npz_w", z["w"], "py.npz", member="w")
put("npz_idx", z["idx"], "py.npz", member="idx")
np.savez_compressed(os.path.join(d, "py.npz"), **z)
with open(os.path.join(d, "py_expected.json"), "w") as f:
    json.dump(py, f)

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("ok: checked %d arrays from tensorio, wrote %d" % (len(expected), len(py)))
