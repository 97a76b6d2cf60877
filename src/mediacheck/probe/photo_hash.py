"""P-UNIQUE's perceptual hashes: imagehash's `phash` and `dhash` (hash_size 16, 256 bits),
the same values, computed without scipy or numpy.

Why not imagehash itself: its `phash` takes one DCT from scipy, and scipy, numpy and
PyWavelets (which imagehash also requires) were 224 MB of the 477 MB that `pip install
mediacheck` puts in every environment (a pre-commit hook's included), for a 64×64 DCT
of which 16×16 coefficients are kept; importing them cost every photo worker ~0.3 s here.
What is written here is that one transform: 16 rows of a DCT-II by direct sums (40 k
multiplications, ~2 ms), as scipy.fftpack defines it. tests/probe/test_photo_hash.py
keeps the values equal to imagehash's (a test dependency) on every fixture photo and on
flat and symmetric images, and benchmarks/bench_photos.py on its 500 photos.

- pHash: the image as greyscale, resized to 64×64 (LANCZOS), DCT-II along columns then
  rows (unnormalised: y[k] = 2·Σ x[n]·cos(πk(2n+1)/2N)), the top-left 16×16
  coefficients, each bit "above their median".
- dHash: greyscale resized to 17×16, each bit "brighter than its left neighbour".

Bits are read row by row into a hex string, as `str(imagehash.ImageHash)` writes them.
"""

from __future__ import annotations

import math
from operator import mul
from statistics import median

from PIL import Image

SIZE = 16  # bits per side: 16×16 = 256-bit hashes
_N = SIZE * 4  # imagehash's highfreq_factor 4: the DCT runs on 64×64 pixels
_HALF = _N // 2
# cos(πk(2n+1)/2N) is (-1)^k cos(πk(2(N-1-n)+1)/2N): each sum runs over half the
# samples, folded (x[n] + x[N-1-n] for even k, x[n] - x[N-1-n] for odd k).
_COS = [[2.0 * math.cos(math.pi * k * (2 * n + 1) / (2 * _N)) for n in range(_HALF)]
        for k in range(SIZE)]  # fmt: skip
# Sums are rounded before the median so that float error (< 1e-7 at these magnitudes)
# cannot break a tie the exact transform has (a flat or mirror-symmetric picture), where
# scipy's butterflies give imagehash exactly equal values.
_DIGITS = 4


def _dct_low(columns: list[list[float]]) -> list[list[float]]:
    """The first SIZE DCT-II coefficients of each sequence in `columns` (length _N)."""
    out = []
    for x in columns:
        rev = x[::-1]
        even = list(map(float.__add__, x[:_HALF], rev[:_HALF]))
        odd = list(map(float.__sub__, x[:_HALF], rev[:_HALF]))
        out.append([sum(map(mul, _COS[k], odd if k % 2 else even)) for k in range(SIZE)])
    return out


def _hex(bits: list[bool]) -> str:
    return format(int("".join("1" if b else "0" for b in bits), 2), f"0{len(bits) // 4}x")


def phash(image: Image.Image) -> str:
    pixels = image.convert("L").resize((_N, _N), Image.Resampling.LANCZOS).tobytes()
    columns = [[float(v) for v in pixels[x::_N]] for x in range(_N)]
    by_column = _dct_low(columns)  # [x][k]: along each column, over y
    rows = [[by_column[x][k] for x in range(_N)] for k in range(SIZE)]
    low = [round(v, _DIGITS) for row in _dct_low(rows) for v in row]  # [k][m], row-major
    middle = median(low)
    return _hex([v > middle for v in low])


def dhash(image: Image.Image) -> str:
    width = SIZE + 1
    pixels = image.convert("L").resize((width, SIZE), Image.Resampling.LANCZOS).tobytes()
    return _hex([pixels[y * width + x + 1] > pixels[y * width + x]
                 for y in range(SIZE) for x in range(SIZE)])  # fmt: skip
