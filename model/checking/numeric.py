"""The numbers the checks compare: central differences, how far two arrays are apart, and
whether one is a plain multiple of the other (the factor a message names)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

STEP = 1e-6  # of a central difference
# Relative to the largest entry of the expected array: against the reference's formula (a
# student's log(p + 1e-8) moves a loss by about 1e-8 / p), and against central differences
# (whose rounding is about 1e-16 / STEP of the loss).
REFERENCE_TOLERANCE = 1e-6
DIFFERENCE_TOLERANCE = 1e-5


def central_differences(
    loss: Callable[[np.ndarray], float], x: np.ndarray, rows: np.ndarray | None = None
) -> np.ndarray:
    """d loss / d x, entry by entry: ``(loss(x + h) - loss(x - h)) / 2h``; ``x`` is left as it
    was (it is changed and restored in place, so ``loss`` may read it through another name).

    ``rows``: only the entries of these rows of a 2-D ``x`` (the gradient's rows, in order).
    """
    flat = x.reshape(-1)
    if rows is None:
        entries = np.arange(flat.size)
    else:
        entries = (np.asarray(rows)[:, None] * x.shape[1] + np.arange(x.shape[1])).reshape(-1)
    gradient = np.zeros(entries.size)
    for k, i in enumerate(entries):
        old = flat[i]
        flat[i] = old + STEP
        up = loss(x)
        flat[i] = old - STEP
        down = loss(x)
        flat[i] = old
        gradient[k] = (up - down) / (2 * STEP)
    return gradient.reshape(x.shape if rows is None else (len(entries) // x.shape[1], x.shape[1]))


def scale(expected: np.ndarray) -> float:
    """The size differences are measured against: the largest entry (at least 1e-12)."""
    return max(float(np.max(np.abs(expected))) if expected.size else 0.0, 1e-12)


def difference(got: np.ndarray, expected: np.ndarray) -> float:
    """The largest absolute difference (inf when either holds nan or inf, or shapes differ)."""
    if got.shape != expected.shape or not (
        np.all(np.isfinite(got)) and np.all(np.isfinite(expected))
    ):
        return float("inf")
    return float(np.max(np.abs(got - expected))) if got.size else 0.0


def close(got: np.ndarray, expected: np.ndarray, tolerance: float = REFERENCE_TOLERANCE) -> bool:
    """Equal up to ``tolerance`` times the largest expected entry."""
    return difference(got, expected) <= tolerance * scale(expected)


def factor(
    got: np.ndarray, expected: np.ndarray, tolerance: float = REFERENCE_TOLERANCE
) -> float | None:
    """c when ``got`` is c times ``expected`` up to ``tolerance`` (c not 1, not 0), else None."""
    if got.shape != expected.shape or not np.all(np.isfinite(got)):
        return None
    norm = float(np.vdot(expected, expected))
    if norm == 0.0:
        return None
    c = float(np.vdot(got, expected)) / norm
    if c == 0.0 or abs(c - 1.0) < tolerance or not close(got, c * expected, tolerance):
        return None
    return c


def near(c: float, target: float) -> bool:
    """Whether a factor found by fitting is ``target`` (to 1e-4 of it)."""
    return abs(c - target) <= 1e-4 * abs(target)


def times(c: float) -> str:
    """'800.0 times', '1/32 of', '-1.0 times': how a message names a factor."""
    if 0 < abs(c) < 1 and near(1 / c, round(1 / c)):
        return f"{'-' if c < 0 else ''}1/{abs(round(1 / c))} of"
    if abs(c) >= 1 and near(c, round(c)):
        return f"{round(c):.1f} times"
    return f"{c:.4g} times"


def number(x: float) -> str:
    """A number in a message: four significant digits."""
    return f"{x:.4g}"


def where_largest(got: np.ndarray, expected: np.ndarray) -> tuple[int, ...]:
    """The index of the largest difference (nan and inf first)."""
    gap = np.abs(got - expected)
    gap = np.where(np.isfinite(gap), gap, np.inf)
    return tuple(int(i) for i in np.unravel_index(int(np.argmax(gap)), got.shape))


def mismatch(got: np.ndarray, expected: np.ndarray) -> str:
    """'largest difference 0.25 (yours 0.5, expected 0.25 at [3, 1])'."""
    index = where_largest(got, expected)
    at = ", ".join(str(i) for i in index)
    return (
        f"largest difference {number(difference(got, expected))} (yours {number(got[index])}, "
        f"expected {number(expected[index])} at [{at}])"
    )
