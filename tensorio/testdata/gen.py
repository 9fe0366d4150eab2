#!/usr/bin/python3
"""Generate the numpy fixtures under testdata/ for the tensorio tests.

Run from the tensorio directory:  /usr/bin/python3 testdata/gen.py
The files are committed, so the Go tests never need Python. Values follow
simple formulas (see fixtureValues in tensorio's tests) so the tests can check
them exactly.
"""
import json
import os
import struct

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
NP = os.path.join(HERE, "numpy")
os.makedirs(NP, exist_ok=True)

ORDER_NAMES = {"<": "le", ">": "be", "|": "na"}


def values(kind, n):
    k = np.arange(n)
    if kind == "f":
        return (k - 2) * 1.5
    if kind == "i":
        return k - 2
    if kind == "u":
        return k * 7
    if kind == "b":
        return k % 2 == 1
    if kind == "c":
        return (k - 2) * 1.5 + 0.25j * k
    raise ValueError(kind)


def fname(descr):
    return ORDER_NAMES[descr[0]] + "_" + descr[1:] + ".npy"


def save(name, arr, version=None):
    path = os.path.join(NP, name)
    with open(path, "wb") as f:
        np.lib.format.write_array(f, arr, version=version)


# One (2, 3) array per dtype and byte order, C order, format 1.0.
DESCRS = ["<f8", "<f4", "<f2", "<i8", "<i4", "<i2", "|i1", "|u1", "<u2", "<u4",
          "<u8", "|b1", "<c16", "<c8", ">f8", ">f4", ">f2", ">i8", ">i4", ">i2",
          ">u2", ">u4", ">u8", ">c16", ">c8"]
for d in DESCRS:
    a = values(d[1], 6).astype(np.dtype(d)).reshape(2, 3)
    save(fname(d), a)

# Fortran order: the values are arange(24) in row-major (C) order.
for d in ["<f8", "<c16", ">f4", "|u1"]:
    a = np.asfortranarray(np.arange(24).reshape(2, 3, 4).astype(np.dtype(d)))
    assert a.flags.f_contiguous and not a.flags.c_contiguous
    save("fortran_" + fname(d), a)

# Format versions.
for v in [(1, 0), (2, 0), (3, 0)]:
    save("v%d_f8.npy" % v[0], np.arange(12.0).reshape(3, 4) / 4, version=v)

# 0-d and empty arrays.
save("scalar_f8.npy", np.array(2.5))
save("scalar_c16.npy", np.array(1.5 - 2j))
save("empty_0x3_f8.npy", np.zeros((0, 3)))
save("empty_3x0_f4.npy", np.zeros((3, 0), dtype=np.float32))
save("empty_0_f8.npy", np.zeros((0,)))

# Complex data whose imaginary parts are all zero reads as a real type.
save("realvalued_c16.npy", np.array([1.0, -2.0, 3.5], dtype=np.complex128))

# float64 -> float16 rounding as numpy does it (round to nearest, ties to even,
# straight from the double). Midpoints between neighbouring halves and values
# just beside them exercise the ties; the range stays below 65520, where numpy
# overflows to inf and tensorio reports an error instead.
rng = np.random.default_rng(7)
src = [0.0, -0.0, np.inf, -np.inf, np.nan, 65504.0, 65519.99, -65519.99,
       2.0**-24, 2.0**-25, 2.0**-25 * 1.0000001, 3 * 2.0**-26, 2.0**-14, 2.0**-14 - 2.0**-25,
       1e-10, -1e-10, 1.0 + 2.0**-11, 1.0 + 3 * 2.0**-11, 1.0 + 2.0**-11 + 2.0**-40]
bits = rng.integers(0, 0x7BFF, size=2000).astype(np.uint16)
lo = bits.view(np.float16).astype(np.float64)
hi = (bits + 1).view(np.float16).astype(np.float64)
mid = (lo + hi) / 2
signs = np.where(rng.random(2000) < 0.5, -1.0, 1.0)
src += list(mid * signs)
src += list(np.nextafter(mid, 0) * signs)
src += list(np.nextafter(mid, np.inf) * signs)
src += list(rng.standard_normal(2000) * 10.0 ** rng.uniform(-9, 4.5, 2000))
src = np.array(src, dtype=np.float64)
save("f16_src.npy", src)
save("f16_numpy.npy", src.astype(np.float16))

# npz archives, stored and deflated.
members = dict(a=np.arange(6.0).reshape(2, 3), b=np.array([1, 2, 3], dtype=np.int32), c=np.array(1.5))
np.savez(os.path.join(NP, "savez.npz"), **members)
np.savez_compressed(os.path.join(NP, "savez_compressed.npz"), **members)

# A .safetensors file built by hand from the format description (numpy has no
# writer): tensors sorted by name and packed, header JSON padded with spaces
# to a multiple of 8 bytes.
ST = {
    "bf16": ("BF16", (2, 3), (values("f", 6).astype(np.float32).view(np.uint32) >> 16).astype("<u2")),
    "bool": ("BOOL", (2, 3), values("b", 6).astype("|b1")),
    "empty": ("F32", (0, 3), np.zeros(0, dtype="<f4")),
    "f16": ("F16", (2, 3), values("f", 6).astype("<f2")),
    "f32": ("F32", (2, 3), values("f", 6).astype("<f4")),
    "f64": ("F64", (2, 3), values("f", 6).astype("<f8")),
    "i16": ("I16", (2, 3), values("i", 6).astype("<i2")),
    "i32": ("I32", (2, 3), values("i", 6).astype("<i4")),
    "i64": ("I64", (2, 3), values("i", 6).astype("<i8")),
    "i8": ("I8", (2, 3), values("i", 6).astype("|i1")),
    "scalar": ("F32", (), np.array([2.5], dtype="<f4")),
    "u8": ("U8", (2, 3), values("u", 6).astype("|u1")),
}
header = {"__metadata__": {"format": "np", "source": "gen.py"}}
buf = b""
for name in sorted(ST):
    dtype, shape, data = ST[name]
    raw = data.tobytes()
    header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [len(buf), len(buf) + len(raw)]}
    buf += raw
h = json.dumps(header, separators=(",", ":")).encode()
h += b" " * (-len(h) % 8)
with open(os.path.join(NP, "python.safetensors"), "wb") as f:
    f.write(struct.pack("<Q", len(h)) + h + buf)
