"""The checks of the student's ReLU and SoftMax: shapes, forward values on random and on hard
inputs (all negative; logits of 1000), and backward against the reference and central
differences of ``sum(forward(x) * dout)``.

SoftMax.backward may be the Jacobian product or pass its input through (when
CrossEntropy.backward returns the gradient with respect to the logits): which one it is, is a
fact the CrossEntropy check judges the pair by.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from model.checking.numeric import (
    DIFFERENCE_TOLERANCE,
    central_differences,
    close,
    mismatch,
)
from model.checking.report import Outcome
from model.checking.student import Context, Wrong, array, call

BATCH, WIDTH = 32, 4
SEED = 26
JACOBIAN, PASS_THROUGH = "jacobian", "pass"
# Rows that overflow exp without the row maximum subtracted, and one where every exp underflows.
LARGE_LOGITS = np.array(
    [
        [1000.0, 999.0, 998.0, 0.0],
        [1000.0, 1000.0, 1000.0, 1000.0],
        [0.0, 1000.0, -1000.0, 5.0],
        [-1000.0, -999.0, -1000.0, -1001.0],
    ]
)


def softmax(z: np.ndarray) -> np.ndarray:
    """The reference's row-wise softmax (shifted by each row's maximum)."""
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def softmax_jacobian_product(p: np.ndarray, dout: np.ndarray) -> np.ndarray:
    """``J(p)^T dout`` row by row: ``p * (dout - sum(dout * p))``."""
    return p * (dout - np.sum(dout * p, axis=1, keepdims=True))


def _make(ctx: Context, module: str) -> Any:
    return call(f"{module}()", ctx.classes[module])


def _random(seed_offset: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(SEED + seed_offset)
    return rng.normal(0.0, 2.0, size=(BATCH, WIDTH)), rng.normal(size=(BATCH, WIDTH))


def _shapes(ctx: Context, module: str) -> Outcome:
    unit = _make(ctx, module)
    x, dout = _random()
    shape = (BATCH, WIDTH)
    array(call(f"{module}.forward", unit.forward, x), f"{module}.forward", shape)
    array(call(f"{module}.backward", unit.backward, dout), f"{module}.backward", shape)
    return Outcome(True, "forward and backward keep the shape (32, 4)")


def relu_shapes(ctx: Context) -> Outcome:
    """forward and backward keep a (32, 4) batch's shape."""
    return _shapes(ctx, "ReLU")


def relu_forward(ctx: Context) -> Outcome:
    """forward against max(0, x) on random inputs."""
    x, _ = _random()
    got = array(call("ReLU.forward", _make(ctx, "ReLU").forward, x), "ReLU.forward", x.shape)
    if close(got, np.maximum(x, 0.0)):
        return Outcome(True, "equal to max(0, x)")
    raise Wrong(f"ReLU.forward is not max(0, x): {mismatch(got, np.maximum(x, 0.0))}")


def relu_negative(ctx: Context) -> Outcome:
    """forward on inputs that are all negative: all zeros."""
    x = -np.random.default_rng(SEED).uniform(0.1, 5.0, size=(BATCH, WIDTH))
    got = array(call("ReLU.forward", _make(ctx, "ReLU").forward, x), "ReLU.forward", x.shape)
    if np.all(got == 0.0):
        return Outcome(True, "all zeros")
    raise Wrong(f"ReLU.forward is not 0 for negative inputs: {mismatch(got, np.zeros_like(x))}")


def relu_backward(ctx: Context) -> Outcome:
    """backward against dout where x > 0 (0 elsewhere) and central differences."""
    x, dout = _random(1)
    x = np.where(x >= 0, 1.0, -1.0) * np.maximum(np.abs(x), 0.1)  # away from the kink at 0
    unit = _make(ctx, "ReLU")
    call("ReLU.forward", unit.forward, x.copy())
    got = array(call("ReLU.backward", unit.backward, dout), "ReLU.backward", x.shape)
    expected = dout * (x > 0)
    if not close(got, expected):
        if np.any(got[x < 0] != 0.0):
            raise Wrong("ReLU.backward lets the gradient through where the input was negative")
        if not close(got[x > 0], dout[x > 0]):
            raise Wrong("ReLU.backward blocks the gradient where the input was positive")
        raise Wrong(f"ReLU.backward is not dout where x > 0: {mismatch(got, expected)}")

    def loss(xx: np.ndarray) -> float:
        out = array(call("ReLU.forward", _make(ctx, "ReLU").forward, xx.copy()), "ReLU.forward")
        return float(np.sum(out * dout))

    if not close(got, central_differences(loss, x.copy()), DIFFERENCE_TOLERANCE):
        raise Wrong(
            "ReLU.backward agrees with the reference but not with your forward (see forward)"
        )
    return Outcome(True, "dout where the input was positive, 0 elsewhere")


def softmax_shapes(ctx: Context) -> Outcome:
    """forward and backward keep a (32, 4) batch's shape."""
    return _shapes(ctx, "SoftMax")


def softmax_forward(ctx: Context) -> Outcome:
    """forward against the reference on random logits: rows of probabilities."""
    z, _ = _random()
    got = array(
        call("SoftMax.forward", _make(ctx, "SoftMax").forward, z), "SoftMax.forward", z.shape
    )
    expected = softmax(z)
    if close(got, expected):
        return Outcome(True, "rows of probabilities equal to the reference's")
    if close(got, softmax(z.T).T):
        raise Wrong("SoftMax.forward normalises over the batch (axis 0): each row is a sample")
    raise Wrong(f"SoftMax.forward is not exp(x) / sum(exp(x)) per row: {mismatch(got, expected)}")


def softmax_large(ctx: Context) -> Outcome:
    """forward on logits of 1000 and -1000: finite and equal to the reference."""
    z = LARGE_LOGITS.copy()
    with np.errstate(all="ignore"):
        got = array(
            call("SoftMax.forward", _make(ctx, "SoftMax").forward, z), "SoftMax.forward", z.shape
        )
    expected = softmax(LARGE_LOGITS)
    if close(got, expected):
        return Outcome(True, "finite and equal to the reference's for inputs of 1000 and -1000")
    bad = ~np.isfinite(got).all(axis=1)
    if bad[:3].any():
        raise Wrong(
            "SoftMax.forward gives nan for inputs of 1000: subtract each row's maximum first"
        )
    if bad[3]:
        raise Wrong(
            "SoftMax.forward gives nan for inputs of -1000 (every exp is 0): subtract each "
            "row's maximum first"
        )
    raise Wrong(f"SoftMax.forward is wrong for inputs of 1000: {mismatch(got, expected)}")


def softmax_backward(ctx: Context) -> Outcome:
    """backward: the Jacobian product (checked against central differences of forward too),
    or dout passed through for a CrossEntropy.backward that returns the gradient with respect
    to the logits."""
    z, dout = _random(2)
    unit = _make(ctx, "SoftMax")
    call("SoftMax.forward", unit.forward, z.copy())
    got = array(call("SoftMax.backward", unit.backward, dout), "SoftMax.backward", z.shape)
    expected = softmax_jacobian_product(softmax(z), dout)
    if close(got, expected):

        def loss(zz: np.ndarray) -> float:
            out = call("SoftMax.forward", _make(ctx, "SoftMax").forward, zz.copy())
            return float(np.sum(array(out, "SoftMax.forward") * dout))

        if not close(got, central_differences(loss, z.copy()), DIFFERENCE_TOLERANCE):
            raise Wrong("SoftMax.backward agrees with the reference but not with your forward")
        return Outcome(True, "the Jacobian product", facts={"softmax_backward": JACOBIAN})
    if close(got, dout):
        return Outcome(
            True,
            "passes dout through (CrossEntropy.backward must then return the gradient with "
            "respect to the logits)",
            facts={"softmax_backward": PASS_THROUGH},
        )
    raise Wrong(
        "SoftMax.backward is neither the Jacobian product p * (dout - sum(dout * p, axis=1)) "
        f"({mismatch(got, expected)}) nor dout passed through"
    )
