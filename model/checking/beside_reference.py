"""A student's own MLP trained beside the app's reference: the same points, initial weights,
batches in the same order and learning rate on both sides; after every update both losses,
and the first update from which the two runs differ (perceptron_beside.py does the same for
the perceptron).

No Qt here: the check worker's thread runs it and sends what it returns to the window. The
student's code runs in its own process (model/checking/training.py); the reference is the
app's own MLP (model/nn/mlp.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from model.checking.mlp_checks import TRAINING_UPDATES
from model.checking.student_mlp import mean_loss, outputs_are_probabilities
from model.checking.training import StudentCodeError, StudentTraining
from model.config import ExperimentConfig
from model.data.datasets import Dataset
from model.nn.features import DEFAULT_FEATURES
from model.nn.fused_pass import softmax_rows
from model.nn.input_plane import cell_centres
from model.nn.mlp import MLP
from model.nn.modules import cross_entropy_from_logits

AGREEMENT = 1e-9  # below this over the whole run, the student's run lies on the reference
MLP_UPDATES = TRAINING_UPDATES  # 200, as the check's training run
GRID = 80  # cells per side of a boundary image
Extent = tuple[float, float, float, float]


class NotTrainable(ValueError):
    """The window's data or settings cannot be trained beside the reference: ``args[0]``."""


def _batch_text(batch_size: int | None, n: int) -> str:
    if batch_size is None or batch_size >= n:
        return f"full batch ({n} points)"
    return f"mini-batches of {batch_size} (of {n} points, shuffled each epoch)"


@dataclass(frozen=True)
class MlpPlan:
    """What both MLPs are trained on and how: the window's data and settings, as far as the
    course's MLP (ReLU, plain gradient descent, x1 and x2 in) can follow them."""

    dataset: Dataset
    hidden: tuple[int, ...]
    learning_rate: float
    batch_size: int | None
    seed: int
    init: str | None
    updates: int = MLP_UPDATES
    notes: tuple[str, ...] = ()
    aspect: float | None = None  # width / height of the views that show the plane

    def extent(self) -> Extent:
        """The plane the boundaries are drawn over: the data's, shaped to the views."""
        return self.dataset.extent(aspect=self.aspect)

    def describe(self) -> str:
        """One sentence for the window: what is trained, on what."""
        widths = ", ".join(str(w) for w in self.hidden) or "none"
        return (
            f"{self.updates} updates of plain gradient descent, learning rate "
            f"{self.learning_rate:g}, {_batch_text(self.batch_size, len(self.dataset.y_train))}, "
            f"hidden layers [{widths}] with ReLU, on {self.dataset.name}; both start from the "
            f"app's initial weights (seed {self.seed})."
        )


def mlp_plan(config: ExperimentConfig, dataset: Dataset, updates: int = MLP_UPDATES) -> MlpPlan:
    """The plan for the window's run; NotTrainable for data without classes."""
    if dataset.is_regression:
        raise NotTrainable(
            f"{dataset.name} is regression data: the course's MLP classifies (choose a data "
            "set with classes)"
        )
    model, train = config.model, config.train
    notes = []
    if model.activation != "relu":
        notes.append(f"ReLU in place of {model.activation}")
    if train.optimizer != "sgd":
        notes.append(f"plain gradient descent in place of {train.optimizer}")
    if tuple(model.features) != tuple(DEFAULT_FEATURES):
        notes.append("x1 and x2 as the inputs, without the other features")
    if train.l1 or train.l2:
        notes.append("no penalty")
    init = model.init if model.activation == "relu" else None
    return MlpPlan(
        dataset,
        tuple(model.hidden),
        train.learning_rate,
        train.batch_size,
        train.seed,
        init,
        updates,
        tuple(notes),
    )


@dataclass(frozen=True)
class MlpSnapshot:
    """The run so far, for the window: fresh arrays, safe to hand to another thread.

    ``curves`` hold the loss after each update (index 0: the start) on the training and the
    test points, computed by the app from each network's outputs; ``leaves`` is the first
    update after which the runs differ by more than AGREEMENT, None while they agree.
    """

    update: int
    total: int
    curves: dict[str, np.ndarray]
    leaves: int | None
    leaving_losses: tuple[float, float] | None  # (yours, the reference's) there
    largest: float  # the largest difference so far (losses, and weights relative to their size)
    extent: Extent
    reference_grid: np.ndarray | None = None  # (GRID, GRID, classes) probabilities
    yours_grid: np.ndarray | None = None
    finished: bool = False
    error: str | None = None  # the student's code stopped the run: why, on one line
    stopped: bool = False  # stopped by the student (the Stop button)


def _loss(out: np.ndarray, labels: np.ndarray) -> float:
    with np.errstate(all="ignore"):
        return mean_loss(out, labels) if np.all(np.isfinite(out)) else math.nan


def _gap(a: float, b: float) -> float:
    if not (math.isfinite(a) and math.isfinite(b)):
        return 0.0 if a == b or (math.isnan(a) and math.isnan(b)) else math.inf
    return abs(a - b)


class MlpBeside:
    """The student's MLP (in its process) and the reference, updated in step."""

    CURVES = ("reference_train", "reference_test", "yours_train", "yours_test")

    def __init__(self, path: str | Path, plan: MlpPlan) -> None:
        self.plan = plan
        data = plan.dataset
        self.X_train, self.y_train = data.X_train, data.y_train
        self.X_all = np.vstack([data.X_train, data.X_test])
        n = len(data.y_train)
        self.batch = n if plan.batch_size is None else max(1, min(int(plan.batch_size), n))
        self.rng = np.random.default_rng(plan.seed)
        self.order = np.arange(n)
        self.position = n  # a new order at the first update
        self.reference = MLP(
            2, list(plan.hidden), data.n_classes, activation="relu", init=plan.init, seed=plan.seed
        )
        weights = [
            (lin.params["weight"].copy(), lin.params["bias"].copy())
            for lin in self.reference.linears
        ]
        X0, y0 = self._peek_batch()
        self.student = StudentTraining(
            path, list(plan.hidden), weights, X0, y0, n_classes=data.n_classes
        )
        self.update = 0
        self.curves: dict[str, list[float]] = {name: [] for name in self.CURVES}
        self.leaves: int | None = None
        self.leaving_losses: tuple[float, float] | None = None
        self.largest = 0.0
        self.extent: Extent = plan.extent()
        try:
            self._record(weights)
        except StudentCodeError:
            self.close()
            raise

    def _peek_batch(self) -> tuple[np.ndarray, np.ndarray]:
        """The first batch, without taking it (the student's MLP is tried on it)."""
        state = self.rng.bit_generator.state
        X, y = self._next_batch()
        self.rng.bit_generator.state = state
        self.position = len(self.order)
        return X, y

    def _next_batch(self) -> tuple[np.ndarray, np.ndarray]:
        n = len(self.order)
        if self.batch >= n:
            return self.X_train, self.y_train
        if self.position >= n:  # as the Trainer: a new order each epoch, the last batch short
            self.order = self.rng.permutation(n)
            self.position = 0
        rows = self.order[self.position : self.position + self.batch]
        self.position += self.batch
        return self.X_train[rows], self.y_train[rows]

    def _record(self, student_weights: list[tuple[np.ndarray, np.ndarray]]) -> None:
        """Both networks' losses now, and how far apart the runs are."""
        data = self.plan.dataset
        n = len(data.y_train)
        yours = np.asarray(self.student.outputs(self.X_all), dtype=np.float64)
        with np.errstate(all="ignore"):
            logits = self.reference.predict_logits(self.X_all)
        losses = {
            "reference_train": cross_entropy_from_logits(logits[:n], data.y_train),
            "reference_test": cross_entropy_from_logits(logits[n:], data.y_test)
            if len(data.y_test)
            else math.nan,
            "yours_train": _loss(yours[:n], data.y_train),
            "yours_test": _loss(yours[n:], data.y_test) if len(data.y_test) else math.nan,
        }
        for name, value in losses.items():
            self.curves[name].append(value)
        gap = max(
            _gap(losses["yours_train"], losses["reference_train"]),
            _gap(losses["yours_test"], losses["reference_test"]),
        )
        for (w, b), linear in zip(student_weights, self.reference.linears, strict=True):
            for mine, theirs in ((w, linear.params["weight"]), (b, linear.params["bias"])):
                mine = np.asarray(mine, dtype=np.float64).reshape(theirs.shape)
                with np.errstate(all="ignore"):
                    apart = float(np.max(np.abs(mine - theirs))) if mine.size else 0.0
                size = max(1.0, float(np.max(np.abs(theirs))) if theirs.size else 1.0)
                gap = max(gap, apart / size if math.isfinite(apart) else math.inf)
        self.largest = max(self.largest, gap)
        if self.leaves is None and gap > AGREEMENT:
            self.leaves = self.update
            self.leaving_losses = (losses["yours_train"], losses["reference_train"])

    def step(self) -> None:
        """One update on both sides, on the same batch; StudentCodeError ends the run."""
        X, y = self._next_batch()
        step = self.student.update(X, y, self.plan.learning_rate)
        self.reference.loss_and_gradients(X, y, need_loss=False)
        for param, grad in self.reference.parameter_pairs():
            param -= self.plan.learning_rate * grad
        self.update += 1
        self._record(step.weights)

    def grids(self) -> tuple[np.ndarray, np.ndarray]:
        """Both networks' class probabilities over the plane, (GRID, GRID, classes) each."""
        points = cell_centres(self.extent, GRID, GRID)
        with np.errstate(all="ignore"):
            theirs = self.reference.predict_proba(points)
        yours = np.asarray(self.student.outputs(points), dtype=np.float64)
        if not outputs_are_probabilities(yours) and np.all(np.isfinite(yours)):
            yours = softmax_rows(yours.copy())  # an MLP that ends in logits
        shape = (GRID, GRID, -1)
        return theirs.reshape(shape), yours.reshape(shape)

    def snapshot(self, grids: bool = False, **flags: object) -> MlpSnapshot:
        """The run so far (with both boundaries when ``grids``)."""
        reference_grid = yours_grid = None
        if grids:
            reference_grid, yours_grid = self.grids()
        return MlpSnapshot(
            self.update,
            self.plan.updates,
            {name: np.array(values) for name, values in self.curves.items()},
            self.leaves,
            self.leaving_losses,
            self.largest,
            self.extent,
            reference_grid,
            yours_grid,
            **flags,
        )

    def close(self) -> None:
        self.student.close()


def mlp_verdict(snapshot: MlpSnapshot) -> str:
    """In words: from which update the student's run differs, or that it agrees."""
    done = snapshot.update
    if snapshot.leaves is not None:
        yours, theirs = snapshot.leaving_losses or (math.nan, math.nan)
        text = (
            f"Yours leaves the reference at update {snapshot.leaves}: loss {yours:.4g} vs "
            f"{theirs:.4g} (yours vs the reference's, on the training points)."
        )
        if done > snapshot.leaves:
            last = snapshot.curves
            text += (
                f" After {done} updates: {last['yours_train'][-1]:.4g} vs "
                f"{last['reference_train'][-1]:.4g}."
            )
        return text
    if done == 0:
        return "Both start from the same weights."
    return (
        f"Yours lies on the reference: over {done} updates the largest difference (losses, and "
        f"weights relative to their size) is {snapshot.largest:.1e}, below {AGREEMENT:.0e}."
    )
