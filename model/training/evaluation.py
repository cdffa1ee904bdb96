"""Loss and accuracy of a model on labelled points, without touching its gradients.

A regression network's loss is the mean squared error, and it has no accuracy (NaN).

Large sets are evaluated in slices of rows, so that a stop request is noticed within a few
milliseconds and no activation of the whole set is kept.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from model.nn.fused_pass import softmax_rows
from model.nn.mlp import MLP
from model.nn.modules import cross_entropy_from_logits
from model.nn.perceptron import Perceptron, perceptron_criterion

# Evaluations larger than this many multiply-adds run in slices of rows.
SLICE_MULTIPLY_ADDS = 2**25


class TrainingInterrupted(Exception):
    """The owner asked to stop (``should_stop`` returned True): the state is consistent, at
    the last completed update, and nothing half-done was recorded."""


def multiply_adds_per_row(model: MLP | Perceptron) -> int:
    if isinstance(model, MLP):
        return sum(linear.params["weight"].size for linear in model.linears)
    return len(model.weights)


def predict_in_slices(
    model: MLP | Perceptron, X: np.ndarray, should_stop: Callable[[], bool] | None = None
) -> np.ndarray:
    """``model.predict_outputs(X)`` (class probabilities, or a regression network's values in
    one column), in slices of rows when ``X`` is large, checking ``should_stop`` between
    slices (TrainingInterrupted when it says so)."""
    return _in_slices(model.predict_outputs, model, X, should_stop)


def _in_slices(
    predict: Callable[[np.ndarray], np.ndarray],
    model: MLP | Perceptron,
    X: np.ndarray,
    should_stop: Callable[[], bool] | None,
) -> np.ndarray:
    rows = max(1, SLICE_MULTIPLY_ADDS // max(1, multiply_adds_per_row(model)))
    if len(X) <= rows:
        return predict(X)
    parts = []
    for start in range(0, len(X), rows):
        if should_stop is not None and should_stop():
            raise TrainingInterrupted("stopped while evaluating")
        parts.append(predict(X[start : start + rows]))
    return np.concatenate(parts)


def evaluate_model(
    model: MLP | Perceptron,
    X: np.ndarray,
    y: np.ndarray,
    should_stop: Callable[[], bool] | None = None,
) -> tuple[float, float]:
    """(loss, accuracy) of ``model`` on labelled points (``should_stop`` as in
    ``predict_in_slices``); the perceptron's loss is its criterion; a regression network's
    is the mean squared error, with accuracy NaN; a classifier's is the cross-entropy from
    its logits (never from clipped probabilities)."""
    if len(y) == 0:
        return math.nan, math.nan
    with np.errstate(all="ignore"):
        if isinstance(model, Perceptron):
            y_signed = np.where(y == 1, 1.0, -1.0)
            scores = model.scores(X)
            predictions = (scores >= 0).astype(np.int64)
            return perceptron_criterion(scores, y_signed), float(np.mean(predictions == y))
        logits = _in_slices(model.predict_logits, model, X, should_stop)
        if model.is_regression:
            residual = logits[:, 0] - y
            return float(residual @ residual) / len(y), math.nan
        loss = cross_entropy_from_logits(logits, y)
        # The prediction from the probabilities, as the exported scripts make it.
        return loss, float(np.mean(np.argmax(softmax_rows(logits), axis=1) == y))
