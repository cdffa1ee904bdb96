"""The checks of the student's MLP: its Linear layers, forward and backward against the
reference holding the same weights and against central differences, and a short training run
on moons compared update by update with the reference's.

A module the MLP is made of that fails its own checks (Linear, ReLU, SoftMax) is replaced by
the reference's for these checks (corrections.py): the MLP is judged on its own code, and the
message says which module it was judged with.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

import numpy as np

from model.checking.corrections import corrected, softmax_split
from model.checking.numeric import (
    DIFFERENCE_TOLERANCE,
    central_differences,
    close,
    factor,
    mismatch,
    number,
    times,
)
from model.checking.report import Outcome
from model.checking.student import Context, Wrong
from model.checking.student_mlp import (
    StudentMLP,
    StudentRun,
    mean_loss,
    outputs_are_probabilities,
    reference_gradients,
    reference_mlp,
    try_splits,
)
from model.nn.mlp import MLP

N_INPUTS, N_HIDDEN, N_CLASSES = 2, [10, 6], 2
WIDTHS = [N_INPUTS, *N_HIDDEN, N_CLASSES]
REFERENCE_SEED = 0
GRADIENT_POINTS = 64  # moons points the gradients are checked on
TRAINING_UPDATES = 200
TRAINING_RATE = 0.05
# Weights after an update count as equal to the reference's within this times the largest.
TRAINING_TOLERANCE = 1e-6


def _judged_with_corrections(check: Callable[[Context], Outcome]) -> Callable[[Context], Outcome]:
    """Run ``check`` with the reference's stand-ins for the failing modules, and say so."""

    @wraps(check)
    def run(ctx: Context) -> Outcome:
        with corrected(ctx.classes, ctx.failed, ctx.facts) as names:
            note = ""
            if names:
                which = " and ".join(names)
                own = "its own checks" if len(names) == 1 else "their own checks"
                note = f" (judged with the reference's {which} in place of yours, failing {own})"
            try:
                outcome = check(ctx)
            except Wrong as wrong:
                raise Wrong(wrong.message + note, wrong.yours, wrong.reference) from None
            return Outcome(
                outcome.passed,
                outcome.message + note,
                outcome.facts,
                outcome.yours,
                outcome.reference,
            )

    return run


def _student(ctx: Context) -> StudentMLP:
    return StudentMLP(
        ctx.classes["MLP"], N_INPUTS, N_HIDDEN, N_CLASSES, ctx.facts.get("linear_in_out", True)
    )


def _reference() -> tuple[MLP, list[tuple[np.ndarray, np.ndarray]]]:
    reference = MLP(N_INPUTS, N_HIDDEN, N_CLASSES, activation="relu", seed=REFERENCE_SEED)
    weights = [
        (lin.params["weight"].copy(), lin.params["bias"].copy()) for lin in reference.linears
    ]
    return reference, weights


def _points(ctx: Context, n: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    X, labels = ctx.data["moons_X"], ctx.data["moons_labels"]
    return (X, labels) if n is None else (X[:n], labels[:n])


@_judged_with_corrections
def layers(ctx: Context) -> Outcome:
    """MLP(2, [10, 6], 2) has its Linear layers, of the right shapes."""
    mlp = _student(ctx)
    stored = {in_out for _, in_out in mlp.layers}
    how = "(in, out)" if stored == {True} else "(out, in)" if stored == {False} else "both ways"
    widths = ", ".join(f"{a} to {b}" for a, b in zip(WIDTHS[:-1], WIDTHS[1:], strict=True))
    return Outcome(
        True, f"{len(mlp.layers)} Linear layers, {widths} units, weights stored as {how}"
    )


@_judged_with_corrections
def forward(ctx: Context) -> Outcome:
    """forward with the reference's weights: the reference's probabilities (or logits)."""
    mlp = _student(ctx)
    reference, weights = _reference()
    mlp.set_weights(weights)
    X, _ = _points(ctx, GRADIENT_POINTS)
    got = mlp.forward(X)
    probabilities = outputs_are_probabilities(got)
    expected = reference.predict_proba(X) if probabilities else reference.predict_logits(X)
    kind = "probabilities" if probabilities else "logits"
    if close(got, expected):
        return Outcome(True, f"the reference's {kind} from the same weights")
    raise Wrong(
        f"MLP.forward with the reference's weights is not the reference's {kind}: "
        + mismatch(got, expected)
    )


@_judged_with_corrections
def backward(ctx: Context) -> Outcome:
    """backward fills every Linear's grads with the gradient of the mean loss: against the
    reference and central differences of the loss of the student's forward."""
    mlp = _student(ctx)
    _, weights = _reference()
    mlp.set_weights(weights)
    X, labels = _points(ctx, GRADIENT_POINTS)
    expected = reference_gradients(reference_mlp(WIDTHS, weights), X, labels)
    split, got, matched = try_splits(mlp, X, labels, expected, softmax_split(ctx.facts))
    if not matched:
        raise Wrong(_layer_problem(got, expected))

    def loss(_: np.ndarray) -> float:
        return mean_loss(mlp.forward(X), labels)

    for i, (layer, _) in enumerate(mlp.layers):
        for key, index in (("weight", 0), ("bias", 1)):
            values = np.asarray(layer.params[key])
            numeric = central_differences(loss, values)
            mine = got[i][index] if key == "bias" or mlp.layers[i][1] else got[i][index].T
            if not close(mine.reshape(values.shape), numeric, DIFFERENCE_TOLERANCE):
                raise Wrong(
                    f"MLP.backward: layer {i + 1}'s grads['{key}'] agree with the reference "
                    "but not with your forward (see forward)"
                )
    given = "probabilities" if split == "jacobian" else "logits"
    return Outcome(
        True,
        f"every layer's grads equal the reference's and central differences (given the "
        f"gradient with respect to the {given})",
        facts={"mlp_split": split},
    )


def _layer_problem(got: list, expected: list) -> str:
    """The top-most layer whose gradients are wrong, and how."""
    last = len(expected) - 1
    for i in range(last, -1, -1):
        for key, index in (("weight", 0), ("bias", 1)):
            mine, theirs = got[i][index], expected[i][index]
            if close(mine, theirs):
                continue
            c = factor(mine, theirs)
            if c is not None:
                how = f"are {times(c)} the gradient of the mean loss"
            else:
                how = f"differ from the gradient of the mean loss: {mismatch(mine, theirs)}"
            above = (
                f"; layer {i + 2}'s are right: look at what backward passes from layer "
                f"{i + 2} down to layer {i + 1}"
                if i < last
                else ""
            )
            return f"MLP.backward: layer {i + 1}'s grads['{key}'] {how}{above}"
    return "MLP.backward's gradients differ from the reference's"


@_judged_with_corrections
def training(ctx: Context) -> Outcome:
    """200 updates of gradient descent on moons from the reference's initial weights, each
    compared with the reference's update."""
    mlp = _student(ctx)
    reference, weights = _reference()
    mlp.set_weights(weights)
    X, labels = _points(ctx)
    split = ctx.facts.get("mlp_split") or softmax_split(ctx.facts)
    run = StudentRun(mlp, split)
    first_loss = reference.loss_and_gradients(X, labels, fused=False)
    leaves, gap, largest = None, 0.0, 0.0
    for update in range(1, TRAINING_UPDATES + 1):
        if update > 1:
            reference.loss_and_gradients(X, labels, need_loss=False, fused=False)
        for param, grad in reference.parameter_pairs():
            param -= TRAINING_RATE * grad
        run.update(X, labels, TRAINING_RATE)
        theirs = [(lin.params["weight"], lin.params["bias"]) for lin in reference.linears]
        size = max(float(np.max(np.abs(a))) for pair in theirs for a in pair)
        with np.errstate(all="ignore"):
            gap = max(
                float(np.max(np.abs(m - t))) if np.all(np.isfinite(m)) else float("inf")
                for mine, other in zip(mlp.weights(), theirs, strict=True)
                for m, t in zip(mine, other, strict=True)
            )
        largest = max(largest, gap / size)
        if leaves is None and gap > TRAINING_TOLERANCE * size:
            leaves = update
    with np.errstate(all="ignore"):
        mine_loss = mean_loss(mlp.forward(X), labels)
    reference_loss = reference.loss_and_gradients(X, labels, fused=False)
    shown = {"yours": number(mine_loss), "reference": number(reference_loss)}
    if leaves is None:
        return Outcome(
            True,
            f"{TRAINING_UPDATES} updates at learning rate {TRAINING_RATE} on moons ({len(X)} "
            f"points) equal the reference's (largest difference {number(largest)} of the "
            f"largest weight); loss {number(first_loss)} to {number(reference_loss)}",
            **shown,
        )
    raise Wrong(
        f"MLP training leaves the reference at update {leaves} of {TRAINING_UPDATES} "
        f"(learning rate {TRAINING_RATE} on moons, {len(X)} points): after {TRAINING_UPDATES} "
        f"updates the loss is {number(mine_loss)}, the reference's {number(reference_loss)}",
        **shown,
    )
