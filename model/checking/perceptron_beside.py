"""A student's own perceptron trained beside the batch rule of the course tutorial (the app's
model/nn/perceptron.py) on the Part I data, two Gaussians: both from zero weights, epoch by
epoch, and the first epoch from which their lines differ.

No Qt here: the check worker's thread runs it. The student's code runs in its own process
(model/checking/training.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from model.checking.beside_reference import AGREEMENT, Extent
from model.checking.perceptron_checks import OVERLAPPING_EPOCHS, TIES, batch_rule
from model.checking.perceptron_checks import TRAINING_RATE as PERCEPTRON_RATE
from model.checking.training import student_perceptron_epochs
from model.config import ExperimentConfig
from model.data.datasets import Dataset, bayes_accuracy, make_dataset
from model.nn.perceptron import Perceptron, as_signed_labels

PERCEPTRON_EPOCHS = OVERLAPPING_EPOCHS  # 100, as the check on overlapping Gaussians
PART_ONE = "gaussians"  # the course's Part I data: two Gaussians


@dataclass(frozen=True)
class PerceptronPlan:
    """The Part I data (two Gaussians) and the batch rule's learning rate and epochs."""

    dataset: Dataset
    learning_rate: float
    epochs: int = PERCEPTRON_EPOCHS
    bayes: float | None = None  # the best any classifier can do on this data, if known
    aspect: float | None = None  # width / height of the view that shows the plane

    def extent(self) -> Extent:
        return self.dataset.extent(aspect=self.aspect)

    def describe(self) -> str:
        return (
            f"{self.epochs} epochs of the batch rule, learning rate {self.learning_rate:g}, on "
            f"two Gaussians ({len(self.dataset.y_train)} training points); both start from "
            "zero weights."
        )


def perceptron_plan(config: ExperimentConfig, dataset: Dataset | None) -> PerceptronPlan:
    """The window's data when it is the two Gaussians, else the app's default ones; the
    window's learning rate when it trains the perceptron, else the course's 0.01."""
    if dataset is not None and dataset.name == PART_ONE and dataset.n_classes == 2:
        data = dataset
        mean = float(dataset.params.get("mean", math.nan))
        cov = float(dataset.params.get("cov", math.nan))
    else:
        data = make_dataset(PART_ONE, seed=0)
        mean, cov = float(data.params["mean"]), float(data.params["cov"])
    rate = config.train.learning_rate if config.model.kind == "perceptron" else PERCEPTRON_RATE
    bayes = bayes_accuracy(mean, cov) if math.isfinite(mean + cov) else None
    return PerceptronPlan(data, rate, PERCEPTRON_EPOCHS, bayes)


@dataclass(frozen=True)
class PerceptronOutcome:
    """Both perceptrons' weights ([bias, w1, w2]) from zero (row 0) through every epoch, the
    test accuracy of each after every epoch, and the first epoch where they differ."""

    yours: np.ndarray
    reference: np.ndarray
    accuracy: dict[str, np.ndarray] = field(default_factory=dict)
    leaves: int | None = None
    largest: float = 0.0
    extent: Extent = (0.0, 1.0, 0.0, 1.0)
    ties: str = "plus"  # how the student's first update treats points on the line


def _accuracy(weights: np.ndarray, X: np.ndarray, y_signed: np.ndarray) -> np.ndarray:
    """Each row of weights' accuracy on (X, y), predicting +1 where w . [1, x] >= 0."""
    scores = weights[:, :1] + weights[:, 1:] @ X.T
    return np.mean(np.where(scores >= 0, 1.0, -1.0) == y_signed, axis=1)


def perceptron_beside(path: str | Path, plan: PerceptronPlan) -> PerceptronOutcome:
    """The student's perceptron and the batch rule, epoch by epoch from zero weights;
    StudentCodeError if the student's code cannot be run."""
    data = plan.dataset
    X, y = data.X_train, as_signed_labels(data.y_train)
    yours = np.array(
        student_perceptron_epochs(path, X, data.y_train, plan.learning_rate, plan.epochs),
        dtype=np.float64,
    ).reshape(-1, 3)
    start = np.zeros(3)
    # Every point is on the line at zero weights: the first update follows the student's
    # choice for such points where it is one the course allows, else the app's (+1).
    ties, first = "plus", batch_rule(start, X, y, plan.learning_rate, "plus")[0]
    for option in TIES:
        candidate = batch_rule(start, X, y, plan.learning_rate, option)[0]
        if len(yours) and np.allclose(yours[0], candidate, rtol=0, atol=1e-12):
            ties, first = option, candidate
            break
    reference = Perceptron(2, learning_rate=plan.learning_rate)
    reference.weights[:] = first
    theirs = [start, first.copy()]
    for _ in range(plan.epochs - 1):
        theirs.append(reference.train_epoch(X, y).weights_after)
    theirs_array = np.array(theirs)
    yours_array = np.vstack([start, yours])
    with np.errstate(all="ignore"):
        size = np.maximum(1.0, np.max(np.abs(theirs_array), axis=1))
        apart = np.max(np.abs(yours_array - theirs_array), axis=1) / size
    apart = np.where(np.isfinite(apart), apart, np.inf)
    beyond = np.flatnonzero(apart > AGREEMENT)
    y_test = as_signed_labels(data.y_test)
    return PerceptronOutcome(
        yours_array,
        theirs_array,
        {
            "reference": _accuracy(theirs_array, data.X_test, y_test),
            "yours": _accuracy(np.nan_to_num(yours_array), data.X_test, y_test),
        },
        int(beyond[0]) if beyond.size else None,
        float(np.max(apart)),
        plan.extent(),
        ties,
    )


def perceptron_verdict(outcome: PerceptronOutcome, plan: PerceptronPlan) -> str:
    """In words: from which epoch the student's perceptron differs, or that it agrees."""
    epochs = len(outcome.reference) - 1
    mine, theirs = outcome.accuracy["yours"][-1], outcome.accuracy["reference"][-1]
    bayes = f"; the best any classifier can do here: {plan.bayes:.3f}" if plan.bayes else ""
    accuracy = f"test accuracy {mine:.3f} vs {theirs:.3f}{bayes}"
    if outcome.leaves is None:
        return (
            f"Yours lies on the batch rule: the same line after each of the {epochs} epochs "
            f"(largest difference {outcome.largest:.1e}); {accuracy}."
        )
    at = outcome.leaves
    w_mine = ", ".join(f"{v:.3g}" for v in outcome.yours[at])
    w_theirs = ", ".join(f"{v:.3g}" for v in outcome.reference[at])
    return (
        f"Yours leaves the batch rule at epoch {at}: weights [{w_mine}] vs [{w_theirs}] "
        f"(bias first); after {epochs} epochs {accuracy}."
    )
