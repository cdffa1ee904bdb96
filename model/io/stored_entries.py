"""Reading one entry of a saved session with its kind and range checked.

A NumPy conversion alone would read text ("0.5"), drop an imaginary part or cut 0.5 to 0, and
JSON read back reads "0.1" where the app wrote 0.1; a session holding such values was made by
no run of the app, so each is refused with one line (``SessionError``) naming the entry.
"""

from __future__ import annotations

import math
import reprlib

import numpy as np

from model.limits import MAX_WEIGHT
from model.numbers import bound_text


class SessionError(ValueError):
    """A session file that cannot be opened; the message is one line for the user."""


# Checked readers of the numbers. A NumPy conversion alone would read text ("0.5"), drop an
# imaginary part or cut 0.5 to 0, so each entry's type is checked before its values.
REAL, WHOLE = "fiu", "iu"  # dtype kinds: floats and integers; integers only
KIND_WORDS = {"f": "decimals", "c": "complex numbers", "b": "true/false values", "U": "text"}


def real_array(arrays: dict[str, np.ndarray], key: str, what: str) -> np.ndarray:
    """``arrays[key]`` as float64 if it holds real numbers (finite and in range: the caller's)."""
    value = arrays[key]
    if value.dtype.kind not in REAL:
        kind = KIND_WORDS.get(value.dtype.kind, value.dtype.name)
        raise SessionError(f"it stores its {what} as {kind}, not real numbers")
    return np.asarray(value, dtype=np.float64)


def whole_array(arrays: dict[str, np.ndarray], key: str, what: str) -> np.ndarray:
    """``arrays[key]`` as int64 if it is stored as integers (a label of 0.5 or "1" is not)."""
    value = arrays[key]
    if value.dtype.kind not in WHOLE:
        kind = KIND_WORDS.get(value.dtype.kind, value.dtype.name)
        raise SessionError(f"it stores its {what} as {kind}, not whole numbers")
    return value.astype(np.int64)


def whole(arrays: dict[str, np.ndarray], key: str, what: str, low: int, high: int) -> int:
    """The one whole number stored as ``arrays[key]``, from ``low`` to ``high``."""
    value = arrays[key]
    if value.shape != () or value.dtype.kind not in WHOLE or not low <= int(value) <= high:
        raise SessionError(
            f"its {what} is not a whole number from {bound_text(low)} to {bound_text(high)}"
        )
    return int(value)


def real(arrays: dict[str, np.ndarray], key: str, what: str, low: float, high: float) -> float:
    """The one finite real number stored as ``arrays[key]``, from ``low`` to ``high``."""
    value = arrays[key]
    number = float(value) if value.shape == () and value.dtype.kind in REAL else math.nan
    if not (math.isfinite(number) and low <= number <= high):
        raise SessionError(
            f"its {what} is not a number from {bound_text(low)} to {bound_text(high)}"
        )
    return number


def within_weight_limit(values: np.ndarray, what: str, limit: float = MAX_WEIGHT) -> None:
    """Refuse weights beyond ``limit``: finite ones of 1e155 broke the landscape's plane."""
    largest = float(np.abs(values).max()) if values.size else 0.0
    if largest > limit:
        raise SessionError(f"its {what} reach {largest:.3g}, beyond +-{limit:g}")


def is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def same_kinds(raw: object, written: object, where: str) -> None:
    """Refuse a value in ``raw`` that is not a number where the app writes one (``written``:
    the configuration's own ``to_dict``), or not text where it writes text."""
    if isinstance(raw, dict) and isinstance(written, dict):
        for key, value in raw.items():
            if key in written:
                same_kinds(value, written[key], key)
    elif isinstance(raw, list) and isinstance(written, list):
        if where == "points" and all(type(v) in (int, float) for row in raw for v in row):
            return  # up to 100,000 rows of numbers (the configuration made them rows): at once
        for value, expected in zip(raw, written, strict=False):
            same_kinds(value, expected, where)
    elif is_number(written) and not is_number(raw):
        kind = "the text" if isinstance(raw, str) else "the value"
        raise SessionError(
            f"its configuration's {where} holds {kind} {reprlib.repr(raw)} where a number belongs"
        )
    elif isinstance(written, str) and not isinstance(raw, str):
        raise SessionError(
            f"its configuration's {where} holds {reprlib.repr(raw)} where text belongs"
        )
