"""The checks of the student's Perceptron: forward from weights set by the check, the first
update from zero weights, one epoch of the course tutorial's batch rule, and training on
separable and on overlapping two-Gaussian data next to the Bayes-optimal accuracy.

The batch rule (model/nn/perceptron.py): over the misclassified samples M,
``g = -mean(y_i x~_i)`` with ``x~ = [1, x]``, and ``w <- w - lr g``. A point exactly on the
line (score 0) may be predicted +1 or -1, or count as wrong whatever its label, but it may not
count as right for both labels: zero weights would then never move.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from model.checking.numeric import close, factor, near, number, times
from model.checking.report import Outcome
from model.checking.student import Context, Wrong, array, call
from model.nn.perceptron import Perceptron, augment

N_INPUTS = 2
RATE = 0.1  # of the update checks
SEPARABLE_EPOCHS, OVERLAPPING_EPOCHS, TRAINING_RATE = 50, 100, 0.01
# On a line: +1, -1, or wrong for either label; each moves zero weights.
TIES = {"plus": "predicted +1", "minus": "predicted -1", "wrong": "counted as wrong"}
PROBE_WEIGHTS = np.array([0.3, 1.0, -2.0])  # bias first
BIAS_NAMES = ("b", "bias", "b0", "w0", "intercept", "threshold")
ACCURACY_MARGIN = 0.03  # below the batch rule's (or the Bayes-optimal) test accuracy


class Weights:
    """Where a student's Perceptron keeps its weights: an attribute holding bias and weights
    (bias first or last), or one holding the weights with the bias in another."""

    def __init__(self, attribute: str, layout: str, bias: str | None = None) -> None:
        self.attribute, self.layout, self.bias = attribute, layout, bias

    def get(self, perceptron: Any) -> np.ndarray:
        """[bias, w1, w2]."""
        values = array(getattr(perceptron, self.attribute), f"Perceptron.{self.attribute}").reshape(
            -1
        )
        if self.layout == "first":
            return values.copy()
        if self.layout == "last":
            return np.concatenate([values[-1:], values[:-1]])
        bias = array(getattr(perceptron, self.bias), f"Perceptron.{self.bias}").reshape(-1)
        return np.concatenate([bias[:1], values])

    def set(self, perceptron: Any, weights: np.ndarray) -> None:
        """Store [bias, w1, w2] the student's way, keeping each array's shape."""
        current = getattr(perceptron, self.attribute)
        if self.layout == "first":
            values = weights
        elif self.layout == "last":
            values = np.concatenate([weights[1:], weights[:1]])
        else:
            values = weights[1:]
            old_bias = getattr(perceptron, self.bias)
            bias = np.reshape(weights[:1], np.shape(old_bias))
            setattr(
                perceptron, self.bias, float(bias) if np.ndim(old_bias) == 0 else bias.astype(float)
            )
        setattr(
            perceptron,
            self.attribute,
            np.array(values, dtype=np.float64).reshape(np.shape(current)),
        )

    def facts(self) -> dict[str, Any]:
        return {"perceptron_weights": (self.attribute, self.layout, self.bias)}


def make(ctx: Context, max_epochs: int, rate: float) -> Any:
    return call(
        f"Perceptron({N_INPUTS}, {max_epochs}, {rate})",
        ctx.classes["Perceptron"],
        N_INPUTS,
        max_epochs,
        rate,
    )


def predict(perceptron: Any, X: np.ndarray) -> np.ndarray:
    """The student's forward on every row: one call on the batch, or one per row when forward
    takes a single input vector."""
    try:
        out = np.asarray(perceptron.forward(X), dtype=np.float64).reshape(-1)
        if out.size == len(X):
            return out
    except Exception:  # forward may take one vector only: asked again row by row
        pass
    rows = [call("Perceptron.forward", perceptron.forward, x) for x in X]
    return array(rows, "Perceptron.forward").reshape(-1)


def _candidates(perceptron: Any) -> list[Weights]:
    attributes = {k: v for k, v in vars(perceptron).items() if not k.startswith("__")}
    found = []
    for name, value in attributes.items():
        if isinstance(value, np.ndarray | list) and np.size(value) == N_INPUTS + 1:
            found += [Weights(name, "first"), Weights(name, "last")]
    for name, value in attributes.items():
        if isinstance(value, np.ndarray | list) and np.size(value) == N_INPUTS:
            for other, bias in attributes.items():
                named = other.lower().lstrip("_") in BIAS_NAMES
                if named and isinstance(bias, float | np.ndarray) and np.size(bias) == 1:
                    found.append(Weights(name, "separate", other))
    return found


def find_weights(ctx: Context) -> Weights:
    """Where the student's weights are, as the forward check found them (by setting each
    candidate and watching forward)."""
    if "perceptron_weights" in ctx.facts:
        return Weights(*ctx.facts["perceptron_weights"])
    raise Wrong("the Perceptron's weights were not found (see forward)")


def _probe() -> np.ndarray:
    return np.random.default_rng(28).normal(0.0, 2.0, size=(40, N_INPUTS))


def forward(ctx: Context) -> Outcome:
    """forward gives +1 where w . [1, x] >= 0 and -1 elsewhere, for weights the check sets."""
    perceptron = make(ctx, 1, RATE)
    X = _probe()
    expected = np.where(augment(X) @ PROBE_WEIGHTS >= 0, 1.0, -1.0)
    candidates = _candidates(perceptron)
    if not candidates:
        raise Wrong(
            f"Perceptron keeps no array of {N_INPUTS + 1} weights (the bias and one per input) "
            "the check can find: keep them in self.weights"
        )
    seen = None
    for weights in candidates:
        probe = make(ctx, 1, RATE)
        weights.set(probe, PROBE_WEIGHTS)
        seen = predict(probe, X)
        if np.array_equal(seen, expected):
            where = {"first": "first", "last": "last", "separate": f"in self.{weights.bias}"}[
                weights.layout
            ]
            return Outcome(
                True,
                f"+1 and -1 as w . [1, x] says (self.{weights.attribute}, bias {where})",
                facts=weights.facts(),
            )
    if seen is not None and set(np.unique(seen)) <= {0.0, 1.0}:
        raise Wrong("Perceptron.forward returns 0 and 1: the course's labels are -1 and +1")
    raise Wrong(
        "Perceptron.forward does not give +1 where w . [1, x] >= 0 and -1 elsewhere, for "
        f"weights put in self.{candidates[0].attribute}"
    )


def signed(y: np.ndarray) -> np.ndarray:
    return np.where(np.asarray(y) == 1, 1.0, -1.0)


def batch_rule(
    weights: np.ndarray, X: np.ndarray, y: np.ndarray, rate: float, ties: str
) -> tuple[np.ndarray, int]:
    """One epoch of the batch rule from ``weights``, with points on the line treated as
    ``ties`` says (the reference's rule is "plus"); the weights after it and |M|."""
    scores = augment(X) @ weights
    if ties == "plus":
        wrong = np.where(scores >= 0, 1.0, -1.0) != y
    elif ties == "minus":
        wrong = np.where(scores > 0, 1.0, -1.0) != y
    else:
        wrong = y * scores <= 0
    if not wrong.any():
        return weights.copy(), 0
    g = -np.mean(y[wrong, None] * augment(X[wrong]), axis=0)
    return weights - rate * g, int(wrong.sum())


def _train(
    ctx: Context, start: np.ndarray | None, X: np.ndarray, y: np.ndarray, epochs: int, rate: float
) -> tuple[Any, np.ndarray | None]:
    """The student's Perceptron trained for ``epochs`` from ``start`` (its own start if the
    weights were not found); it and its weights after."""
    perceptron = make(ctx, epochs, rate)
    weights = (
        Weights(*ctx.facts["perceptron_weights"]) if "perceptron_weights" in ctx.facts else None
    )
    if weights is not None and start is not None:
        weights.set(perceptron, start)
    with np.errstate(all="ignore"):
        call("Perceptron.train", perceptron.train, X.copy(), y.copy())
    return perceptron, None if weights is None else weights.get(perceptron)


def _update_problem(
    got: np.ndarray, start: np.ndarray, expected: np.ndarray, n: int, misclassified: int
) -> str:
    """What is wrong with one epoch's weights, in the student's terms."""
    step, right = got - start, expected - start
    if np.allclose(step, step[0]) and not np.allclose(right, right[0]):
        return (
            "Perceptron.train moves every weight by the same amount: the update is summed "
            "over the features too"
        )
    c = factor(step, right)
    if c is not None and misclassified and near(c, misclassified):
        return (
            f"Perceptron.train's update is {times(c)} the batch rule's: it sums over the "
            f"{misclassified} misclassified points, where the rule takes their mean"
        )
    if c is not None and misclassified and near(c * n, misclassified):
        return (
            f"Perceptron.train's update is {times(c)} the batch rule's: it divides by all {n} "
            f"points, where the rule takes the mean over the {misclassified} misclassified ones"
        )
    if c is not None and c < 0:
        return (
            "Perceptron.train moves the weights the wrong way: w <- w - lr * g with "
            "g = -mean(y [1, x]) over the misclassified points"
        )
    if c is not None:
        return f"Perceptron.train's update is {times(c)} the batch rule's"
    return "Perceptron.train's update is not the batch rule's"


def _vector(w: np.ndarray) -> str:
    return "[" + ", ".join(number(float(v)) for v in w) + "]"


def first_update(ctx: Context) -> Outcome:
    """One epoch from zero weights: every point is on the line, and they must move."""
    X, y = ctx.data["separable_X"], signed(ctx.data["separable_labels"])
    find_weights(ctx)
    start = np.zeros(N_INPUTS + 1)
    _, got = _train(ctx, start, X, y, 1, RATE)
    assert got is not None
    if np.allclose(got, 0.0):
        raise Wrong(
            "Perceptron.train never updates from zero weights: a point exactly on the line "
            "(score 0) must count as wrong"
        )
    for ties, said in TIES.items():
        expected, _ = batch_rule(start, X, y, RATE, ties)
        if close(got, expected):
            return Outcome(
                True,
                f"the batch rule's first update, points on the line {said}",
                facts={"perceptron_ties": ties},
                yours=_vector(got),
                reference=_vector(expected),
            )
    expected, misclassified = batch_rule(start, X, y, RATE, "wrong")
    raise Wrong(
        _update_problem(got, start, expected, len(X), misclassified),
        _vector(got),
        _vector(expected),
    )


def one_epoch(ctx: Context) -> Outcome:
    """One epoch from weights that misclassify many overlapping points, none on the line."""
    X, y = ctx.data["overlapping_X"], signed(ctx.data["overlapping_labels"])
    find_weights(ctx)
    start = np.array([0.5, 0.4, -0.8])
    _, got = _train(ctx, start, X, y, 1, RATE)
    assert got is not None
    reference = Perceptron(N_INPUTS, max_epochs=1, learning_rate=RATE)
    reference.weights[:] = start
    record = reference.train_epoch(X, y)
    expected = reference.weights
    shown = {"yours": _vector(got), "reference": _vector(expected)}
    if close(got, expected):
        return Outcome(
            True,
            f"the batch rule's update over {record.misclassified.size} misclassified points",
            **shown,
        )
    for ties in TIES:
        if close(got, batch_rule(np.zeros(N_INPUTS + 1), X, y, RATE, ties)[0]):
            return Outcome(
                True,
                "train starts from zero weights every time, so only its first update (the "
                "batch rule's) could be checked",
                **shown,
            )
    raise Wrong(_update_problem(got, start, expected, len(X), record.misclassified.size), **shown)


def _accuracy(perceptron: Any, X: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean(predict(perceptron, X) == y))


def _reference_run(ctx: Context, X: np.ndarray, y: np.ndarray, epochs: int) -> Perceptron:
    """The batch rule from zero weights, its first update by the student's way with points on
    the line (all of them are, at zero)."""
    reference = Perceptron(N_INPUTS, max_epochs=epochs - 1, learning_rate=TRAINING_RATE)
    first, _ = batch_rule(
        np.zeros(N_INPUTS + 1), X, y, TRAINING_RATE, ctx.facts.get("perceptron_ties", "plus")
    )
    reference.weights[:] = first
    if epochs > 1:
        reference.train(X, y)
    return reference


def _training(
    ctx: Context, prefix: str, epochs: int, search: bool
) -> tuple[float, float, bool, int | None]:
    """Train from zero for ``epochs``: the student's and the batch rule's test accuracy,
    whether the weights are the rule's and (``search``) the first epoch where they are not."""
    X, y = ctx.data[f"{prefix}_X"], signed(ctx.data[f"{prefix}_labels"])
    X_test, y_test = ctx.data[f"{prefix}_X_test"], signed(ctx.data[f"{prefix}_labels_test"])
    start = np.zeros(N_INPUTS + 1)
    perceptron, got = _train(ctx, start, X, y, epochs, TRAINING_RATE)
    reference = _reference_run(ctx, X, y, epochs)
    same = got is not None and close(got, reference.weights)
    leaves = None
    if search and got is not None and not same:  # by bisection: once apart, they stay apart
        low, leaves = 1, epochs
        while low < leaves:
            middle = (low + leaves) // 2
            _, after = _train(ctx, start, X, y, middle, TRAINING_RATE)
            if close(after, _reference_run(ctx, X, y, middle).weights):
                low = middle + 1
            else:
                leaves = middle
    mine = _accuracy(perceptron, X_test, y_test)
    theirs = float(np.mean(reference.forward(X_test) == y_test))
    return mine, theirs, same, leaves


def separable(ctx: Context) -> Outcome:
    """50 epochs on two Gaussians far apart: the batch rule's weights, every point right."""
    mine, theirs, same, leaves = _training(ctx, "separable", SEPARABLE_EPOCHS, True)
    shown = {"yours": number(mine), "reference": number(theirs)}
    text = f"test accuracy {mine:.3f}, the batch rule's {theirs:.3f}"
    if same or (leaves is None and mine >= theirs - 1e-9):
        return Outcome(
            True, f"{SEPARABLE_EPOCHS} epochs: the batch rule's weights; {text}", **shown
        )
    at = f" from epoch {leaves}" if leaves is not None else ""
    raise Wrong(f"Perceptron.train leaves the batch rule{at} on separable data: {text}", **shown)


def overlapping(ctx: Context) -> Outcome:
    """100 epochs on overlapping Gaussians: test accuracy next to the Bayes-optimal one."""
    mine, theirs, same, _ = _training(ctx, "overlapping", OVERLAPPING_EPOCHS, False)
    bayes = float(ctx.data["overlapping_bayes"])
    shown = {"yours": number(mine), "reference": number(theirs)}
    text = f"test accuracy {mine:.3f}; the batch rule's {theirs:.3f}; Bayes-optimal {bayes:.3f}"
    if same or mine >= min(theirs, bayes) - ACCURACY_MARGIN:
        return Outcome(True, text, **shown)
    raise Wrong(f"Perceptron.train on overlapping data: {text}", **shown)
