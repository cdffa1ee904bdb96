"""TensorFlow Playground's random numbers: the ``seedrandom`` library's ARC4 generator
(version 2.4.4, the one Playground ships), keyed by the seed string of the link.

Playground calls ``Math.seedrandom(seed)``, which replaces ``Math.random`` for the whole page:
the data, their shuffle and the initial weights all come from this one stream, in that order.
The port follows seedrandom.js step by step (its key mixing, RC4 with the first 256 outputs
dropped, and 52 random bits per number), so the same seed string gives the same numbers.
"""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal

_WIDTH = 256  # each RC4 output is 0 <= x < 256
_MASK = _WIDTH - 1
_CHUNKS = 6  # at least six RC4 outputs for each number
_START_DENOMINATOR = _WIDTH**_CHUNKS  # 2 ** 48
_SIGNIFICANCE = 2**52  # 52 significant bits
_OVERFLOW = 2 * _SIGNIFICANCE


def _utf16_units(text: str) -> list[int]:
    """JavaScript's ``charCodeAt`` values of ``text``: UTF-16 code units."""
    data = text.encode("utf-16-le", "surrogatepass")
    return [data[k] | (data[k + 1] << 8) for k in range(0, len(data), 2)]


def mix_key(seed: str) -> list[int]:
    """seedrandom's ``mixkey``: the seed string folded into at most 256 key bytes."""
    key: list[int] = []
    smear = 0
    for j, unit in enumerate(_utf16_units(seed)):
        slot = j & _MASK
        previous = key[slot] if slot < len(key) else 0  # JavaScript: undefined * 19 ^ x == x
        smear ^= previous * 19
        value = _MASK & (smear + unit)
        if slot < len(key):
            key[slot] = value
        else:
            key.append(value)
    return key


class PlaygroundRandom:
    """One seeded stream, as ``Math.random`` is after ``Math.seedrandom(seed)``."""

    def __init__(self, seed: str) -> None:
        self.seed = seed
        key = mix_key(seed) or [0]  # the empty key is [0]
        s = list(range(_WIDTH))
        j = 0
        for i in range(_WIDTH):
            t = s[i]
            j = _MASK & (j + key[i % len(key)] + t)
            s[i] = s[j]
            s[j] = t
        self._s = s
        self._i = 0
        self._j = 0
        self._bytes(_WIDTH)  # RC4-drop[256]

    def _bytes(self, count: int) -> int:
        """The next ``count`` RC4 outputs as one big-endian number (seedrandom's ``g``)."""
        s, i, j = self._s, self._i, self._j
        r = 0
        for _ in range(count):
            i = (i + 1) & _MASK
            t = s[i]
            j = (j + t) & _MASK
            s[i] = s[j]
            s[j] = t
            r = r * _WIDTH + s[(s[i] + t) & _MASK]
        self._i, self._j = i, j
        return r

    def random(self) -> float:
        """The next number in [0, 1), with 52 random bits, exactly as seedrandom's prng."""
        n = self._bytes(_CHUNKS)
        d = _START_DENOMINATOR
        x = 0
        while n < _SIGNIFICANCE:
            n = (n + x) * _WIDTH
            d *= _WIDTH
            x = self._bytes(1)
        while n >= _OVERFLOW:
            n //= 2  # exact: n is even here, as in seedrandom's floating-point halving
            d //= 2
            x >>= 1
        return (n + x) / d

    def uniform(self, low: float, high: float) -> float:
        """Playground's ``randUniform(a, b)``: ``Math.random() * (b - a) + a``."""
        return self.random() * (high - low) + low


def to_fixed(value: float, digits: int) -> str:
    """JavaScript's ``Number.prototype.toFixed`` for a value from 0 to 1e21 (a tie rounds
    up, where Python's formatting would round to even)."""
    exact = Decimal(value).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return f"{exact:.{digits}f}"


def fresh_seed(source: random.Random | None = None) -> str:
    """A seed for a link without one, as Playground makes it: ``Math.random().toFixed(5)``.
    Playground's own would come from the browser's generator, so such a run is not
    Playground's: only its kind of seed."""
    return to_fixed((source or random.SystemRandom()).random(), 5)
