"""The perceptron of the course tutorial, steppable one epoch at a time.

Labels are -1/+1 (0/1 are accepted and mapped). The weight vector includes the bias as its
first entry, so an input ``x`` is augmented to ``x~ = [1, x]``, and the prediction is +1
where ``w . x~ >= 0``. The batch rule: over the misclassified samples M,
``g = -mean(y_i x~_i)`` and ``w <- w - lr * g``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

KEPT_RECORDS = 1000  # epoch records returned by ``train``: the latest ones


def augment(X: np.ndarray) -> np.ndarray:
    """Prepend the constant 1 that multiplies the bias weight."""
    return np.hstack([np.ones((X.shape[0], 1)), X])


def as_signed_labels(y: np.ndarray) -> np.ndarray:
    """-1/+1 labels from -1/+1 or 0/1 labels; anything else is a ValueError."""
    y = np.asarray(y)
    values = set(np.unique(y).tolist())
    if values <= {-1, 1}:
        return y.astype(np.float64)
    if values <= {0, 1}:
        return np.where(y == 1, 1.0, -1.0)
    raise ValueError(f"perceptron labels must be -1/+1 or 0/1, got {sorted(values)}")


@dataclass(frozen=True)
class EpochRecord:
    """What one epoch of the batch rule did: enough to replay it on screen."""

    misclassified: np.ndarray  # indices of the samples in M
    gradient: np.ndarray  # g; zero when nothing was misclassified
    weights_before: np.ndarray
    weights_after: np.ndarray


@dataclass(frozen=True)
class UpdateRecord:
    """One update of the Trainer's perceptron: the misclassified points that made it, the
    batch rule's ``g`` and the weights before it (after it: ``before - lr * g``)."""

    misclassified_points: np.ndarray
    gradient: np.ndarray
    weights_before: np.ndarray


class Perceptron:
    """Rosenblatt's perceptron trained with the tutorial's batch rule."""

    n_classes = 2

    def __init__(self, n_inputs: int, max_epochs: int = 100, learning_rate: float = 0.01) -> None:
        self.n_inputs = n_inputs
        self.max_epochs = max_epochs
        self.learning_rate = learning_rate
        self.weights = np.zeros(n_inputs + 1)
        self.grad = np.zeros(n_inputs + 1)
        self.epochs_trained = 0
        self.last_update: UpdateRecord | None = None

    def scores(self, X: np.ndarray) -> np.ndarray:
        """``w . x~`` for every row: the signed distance to the boundary, times ``|w|``."""
        return X @ self.weights[1:] + self.weights[0]

    def forward(self, X: np.ndarray) -> np.ndarray:
        """-1/+1 for every row of ``X``."""
        return np.where(self.scores(X) >= 0, 1.0, -1.0)

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Hard class 'probabilities' (class 0 is -1, class 1 is +1) for shared plotting code."""
        plus = (self.scores(X) >= 0).astype(np.float64)
        return np.column_stack([1.0 - plus, plus])

    def predict_outputs(self, X: np.ndarray) -> np.ndarray:
        """The outputs, as every model names them: here ``predict_proba``'s."""
        return self.predict_proba(X)

    def gradient(self, X: np.ndarray, y_signed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The batch rule's ``g`` over the misclassified rows, and their indices."""
        predictions = np.where(self.scores(X) >= 0, 1.0, -1.0)
        wrong = np.flatnonzero(predictions != y_signed)
        if wrong.size == 0:
            return np.zeros_like(self.weights), wrong
        Xw = augment(X[wrong])
        return -np.mean(y_signed[wrong, None] * Xw, axis=0), wrong

    def train_epoch(self, X: np.ndarray, y: np.ndarray) -> EpochRecord:
        """One epoch of the batch rule over all of ``X``."""
        y_signed = as_signed_labels(y)
        before = self.weights.copy()
        g, wrong = self.gradient(X, y_signed)
        self.weights -= self.learning_rate * g
        self.epochs_trained += 1
        return EpochRecord(wrong, g, before, self.weights.copy())

    def train(self, X: np.ndarray, y: np.ndarray) -> list[EpochRecord]:
        """Up to ``max_epochs`` epochs, stopping early once every sample is right.

        Returns the records of the last KEPT_RECORDS epochs (memory stays bounded however
        many epochs run; ``epochs_trained`` counts them all)."""
        records: deque[EpochRecord] = deque(maxlen=KEPT_RECORDS)
        for _ in range(self.max_epochs):
            record = self.train_epoch(X, y)
            records.append(record)
            if record.misclassified.size == 0:
                break
        return list(records)

    # The interface the Trainer shares with the MLP; classes are 0 (-1) and 1 (+1).
    def loss_and_gradients(
        self,
        X: np.ndarray,
        labels: np.ndarray,
        need_loss: bool = True,
        should_stop: Callable[[], bool] | None = None,
    ) -> float:
        """The perceptron criterion ``mean(max(0, -y w.x~))``; ``grad`` gets the batch rule."""
        y_signed = np.where(labels == 1, 1.0, -1.0)
        g, wrong = self.gradient(X, y_signed)
        self.grad[:] = g
        # What this update is made of, for replaying the rule on screen.
        self.last_update = UpdateRecord(X[wrong].copy(), g.copy(), self.weights.copy())
        return perceptron_criterion(self.scores(X), y_signed)

    def parameter_pairs(self) -> list[tuple[np.ndarray, np.ndarray]]:
        return [(self.weights, self.grad)]

    def gradients_finite(self) -> bool:
        return bool(np.all(np.isfinite(self.grad)))


def perceptron_criterion(scores: np.ndarray, y_signed: np.ndarray) -> float:
    """Mean of ``max(0, -y * score)``: how far, on average, samples lie on the wrong side.

    Samples exactly on the boundary add nothing (though the rule predicts +1 there), so the
    all-zero starting weights have criterion 0 at 50 % accuracy; accuracy tells them apart.
    """
    return float(np.mean(np.maximum(0.0, -y_signed * scores)))
