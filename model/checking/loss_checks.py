"""The checks of the student's CrossEntropy: forward on random and on zero probabilities, and
backward judged against the loss that forward returns.

Courses split the softmax and cross-entropy gradient two ways: SoftMax.backward as the
Jacobian product with CrossEntropy.backward the gradient with respect to the probabilities,
or SoftMax.backward passing through with CrossEntropy.backward the gradient with respect to
the logits. Either is right when the composition ``SoftMax.backward(CrossEntropy.backward(p,
y))`` is the gradient, with respect to the logits, of what CrossEntropy.forward returns.
"""

from __future__ import annotations

import numpy as np

from model.checking.activation_checks import (
    JACOBIAN,
    PASS_THROUGH,
    softmax,
    softmax_jacobian_product,
)
from model.checking.numeric import (
    DIFFERENCE_TOLERANCE,
    central_differences,
    close,
    factor,
    mismatch,
    near,
    number,
    times,
)
from model.checking.report import Outcome
from model.checking.student import Context, Wrong, array, call, scalar
from model.nn.modules import CrossEntropy, one_hot

BATCH, CLASSES = 32, 3
# The composition is judged at the batch of the course's full-batch run on moons: a gradient of
# the sum where forward returns the mean is then 800 times too large.
FULL_BATCH = 800
DIFFERENCE_ROWS = 40  # of them, whose gradient is also taken by central differences
SEED = 27


def _batch(n: int, seed: int = SEED) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Logits, their softmax probabilities and one-hot targets for ``n`` samples."""
    rng = np.random.default_rng(seed)
    z = rng.normal(0.0, 1.5, size=(n, CLASSES))
    return z, softmax(z), one_hot(rng.integers(0, CLASSES, size=n), CLASSES)


def _loss(ctx: Context, p: np.ndarray, y: np.ndarray) -> float:
    unit = call("CrossEntropy()", ctx.classes["CrossEntropy"])
    return scalar(call("CrossEntropy.forward", unit.forward, p, y), "CrossEntropy.forward")


def _reduction(ctx: Context, p: np.ndarray, y: np.ndarray) -> str | None:
    """'mean' or 'sum': what the student's forward takes over the batch (None: neither)."""
    got, mean = _loss(ctx, p, y), CrossEntropy().forward(p, y)
    if abs(got - mean) <= 1e-6 * abs(mean):
        return "mean"
    if abs(got - mean * p.shape[0]) <= 1e-6 * abs(mean * p.shape[0]):
        return "sum"
    return None


def forward_random(ctx: Context) -> Outcome:
    """forward against the reference's mean cross-entropy on random probabilities."""
    _, p, y = _batch(BATCH)
    got, expected = _loss(ctx, p, y), CrossEntropy().forward(p, y)
    shown = {"yours": number(got), "reference": number(expected)}
    if abs(got - expected) <= 1e-6 * abs(expected):
        return Outcome(True, "the mean of -sum(y log p) over the batch", **shown)
    if abs(got - BATCH * expected) <= 1e-6 * abs(BATCH * expected):
        raise Wrong(
            f"CrossEntropy.forward returns the sum over the {BATCH} samples ({BATCH}.0 times "
            "the mean): divide by the batch size",
            **shown,
        )
    if abs(got + expected) <= 1e-6 * abs(expected):
        raise Wrong(
            "CrossEntropy.forward has the wrong sign: the loss is -mean(sum(y log p))", **shown
        )
    raise Wrong(
        f"CrossEntropy.forward is not the mean of -sum(y log p): yours {number(got)}, expected "
        f"{number(expected)}",
        **shown,
    )


def forward_zeros(ctx: Context) -> Outcome:
    """forward where a probability is exactly 0: finite, and exact where the target's is not 0."""
    p = np.array([[1.0, 0.0, 0.0], [0.0, 0.5, 0.5], [0.25, 0.75, 0.0]])
    y = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 1.0, 0.0]])
    with np.errstate(all="ignore"):
        got = _loss(ctx, p, y)
    expected = CrossEntropy().forward(p, y)
    if not np.isfinite(got):
        raise Wrong(
            f"CrossEntropy.forward gives {got} when a probability other than the target's is 0 "
            "(0 * log 0 is nan in NumPy): clip the probabilities (e.g. to 1e-12) before the log"
        )
    if _reduction(ctx, *_batch(8)[1:]) == "sum":  # a wrong reduction is forward_random's
        expected *= p.shape[0]
    if abs(got - expected) > 1e-6 * max(abs(expected), 1e-12):
        raise Wrong(
            "CrossEntropy.forward is wrong where a probability other than the target's is 0: "
            f"yours {number(got)}, expected {number(expected)}"
        )
    p_zero = np.array([[0.0, 0.5, 0.5], [0.5, 0.5, 0.0]])
    y_zero = np.array([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0]])
    with np.errstate(all="ignore"):
        got = _loss(ctx, p_zero, y_zero)
    if not np.isfinite(got):
        raise Wrong(
            f"CrossEntropy.forward gives {got} when the target's probability is 0: clip the "
            "probabilities (e.g. to 1e-12) before the log"
        )
    return Outcome(True, "finite where probabilities are 0, and exact where the target's is not")


def _suffix(c: float, reduction: str | None, n: int) -> str:
    """', which is a mean over 800 samples: divide by the batch size' and the like."""
    if reduction is None:
        return ""
    text = f", which is a {reduction} over {n} samples"
    if reduction == "mean" and near(c, n):
        return text + ": divide by the batch size"
    if reduction == "sum" and near(c * n, 1.0):
        return text + ": do not divide by the batch size"
    return text


def backward(ctx: Context) -> Outcome:
    """backward, through the student's SoftMax.backward when SoftMax passes its own checks,
    against central differences of the loss forward returns."""
    z, p, y = _batch(FULL_BATCH)
    n = FULL_BATCH
    unit = call("CrossEntropy()", ctx.classes["CrossEntropy"])
    got = array(
        call("CrossEntropy.backward", unit.backward, p, y), "CrossEntropy.backward", p.shape
    )

    def loss(pp: np.ndarray) -> float:
        return scalar(call("CrossEntropy.forward", unit.forward, pp, y), "CrossEntropy.forward")

    # The gradient with respect to the probabilities, and to the logits, on some of the rows.
    rows = np.random.default_rng(SEED).choice(n, DIFFERENCE_ROWS, replace=False)
    by_p = central_differences(loss, p.copy(), rows)
    by_z = softmax_jacobian_product(p[rows], by_p)
    whole = got
    got = got[rows]
    reduction = _reduction(ctx, p, y)
    split = ctx.facts.get("softmax_backward")
    if (
        "SoftMax" in ctx.classes
        and "SoftMax" not in ctx.failed
        and split in (JACOBIAN, PASS_THROUGH)
    ):
        soft = call("SoftMax()", ctx.classes["SoftMax"])
        call("SoftMax.forward", soft.forward, z.copy())
        composed = array(
            call("SoftMax.backward", soft.backward, whole), "SoftMax.backward", p.shape
        )[rows]
        if close(composed, by_z, DIFFERENCE_TOLERANCE):
            kind = "probabilities" if split == JACOBIAN else "logits"
            return Outcome(
                True,
                f"with SoftMax.backward, the gradient of the loss forward returns (by the {kind})",
                facts={"ce_backward": kind},
            )
        c = factor(composed, by_z, DIFFERENCE_TOLERANCE)
        if c is not None:
            raise Wrong(
                f"CrossEntropy.backward (with SoftMax.backward) is {times(c)} the gradient of "
                f"the loss CrossEntropy.forward returns{_suffix(c, reduction, n)}",
                number(float(np.max(np.abs(composed)))),
                number(float(np.max(np.abs(by_z)))),
            )
        if split == JACOBIAN and (
            close(got, by_z, DIFFERENCE_TOLERANCE) or factor(got, by_z, DIFFERENCE_TOLERANCE)
        ):
            raise Wrong(
                "CrossEntropy.backward returns the gradient with respect to the logits, but "
                "SoftMax.backward applies the softmax's Jacobian to it again: return the "
                "gradient with respect to the probabilities, or let SoftMax.backward pass dout "
                "through"
            )
        if split == PASS_THROUGH and (
            close(got, by_p, DIFFERENCE_TOLERANCE) or factor(got, by_p, DIFFERENCE_TOLERANCE)
        ):
            raise Wrong(
                "CrossEntropy.backward returns the gradient with respect to the probabilities, "
                "but SoftMax.backward passes it through unchanged: return the gradient with "
                "respect to the logits, or make SoftMax.backward the Jacobian product"
            )
        raise Wrong(
            "CrossEntropy.backward (with SoftMax.backward) is not the gradient of the loss "
            f"CrossEntropy.forward returns: {mismatch(composed, by_z)}"
        )
    # SoftMax is missing or wrong: CrossEntropy.backward is judged alone, either way round.
    for kind, expected in (("probabilities", by_p), ("logits", by_z)):
        if close(got, expected, DIFFERENCE_TOLERANCE):
            return Outcome(
                True,
                f"the gradient, with respect to the {kind}, of the loss forward returns",
                facts={"ce_backward": kind},
            )
    for kind, expected in (("logits", by_z), ("probabilities", by_p)):
        c = factor(got, expected, DIFFERENCE_TOLERANCE)
        if c is not None:
            raise Wrong(
                f"CrossEntropy.backward is {times(c)} the gradient, with respect to the {kind}, "
                f"of the loss CrossEntropy.forward returns{_suffix(c, reduction, n)}"
            )
    raise Wrong(
        "CrossEntropy.backward is not the gradient of the loss CrossEntropy.forward returns, "
        f"with respect to the logits or to the probabilities: {mismatch(got, by_z)}"
    )
