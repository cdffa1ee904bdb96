"""The Trainer: owns a model, its data and its optimizer, and keeps the history.

A *step* is one update on one mini-batch; an *epoch* is one pass over the training set
(with full batch the two coincide). The order of the samples is reshuffled at the start of
every epoch from the Trainer's seed, so identical seeds give identical runs.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import astuple, dataclass, fields

import numpy as np

from model.config import ExperimentConfig
from model.datasets import CUSTOM, Dataset, custom_dataset, make_dataset
from model.divergence import divergence_cause
from model.fused import PassInterrupted
from model.mlp import MLP
from model.modules import LOG_CLIP
from model.optim import Optimizer, make_optimizer
from model.perceptron import Perceptron, perceptron_criterion

# The history keeps at most this many points: the newest half at full resolution, before
# them a record thinned evenly in updates (see ``thinned_indices``). 10,000 points are a
# few megabytes, and the curves draw them in a few milliseconds.
HISTORY_LIMIT = 10_000
# The loss has exploded once it exceeds this many times its starting value (or 1, if larger).
EXPLOSION_FACTOR = 1e6
# Evaluations larger than this many multiply-adds run in slices of rows, so that a stop
# request is noticed within a few milliseconds and no activation of the whole set is kept.
SLICE_MULTIPLY_ADDS = 2**25


class TrainingDiverged(RuntimeError):
    """The loss stopped being a finite number; the message says when and what to change."""


class TrainingInterrupted(Exception):
    """The owner asked to stop (``should_stop`` returned True): the state is consistent, at
    the last completed update, and nothing half-done was recorded."""


@dataclass(frozen=True)
class HistoryPoint:
    """The figures at one evaluation point. Losses are the data loss, without penalties."""

    update: int
    epoch: float
    train_loss: float
    train_accuracy: float
    test_loss: float
    test_accuracy: float
    seconds: float  # training time spent so far (evaluations excluded)

    @staticmethod
    def header() -> list[str]:
        return [f.name for f in fields(HistoryPoint)]

    def row(self) -> tuple:
        return astuple(self)


def multiply_adds_per_row(model: MLP | Perceptron) -> int:
    if isinstance(model, MLP):
        return sum(linear.params["weight"].size for linear in model.linears)
    return len(model.weights)


def predict_in_slices(
    model: MLP | Perceptron, X: np.ndarray, should_stop: Callable[[], bool] | None = None
) -> np.ndarray:
    """``model.predict_proba(X)``, in slices of rows when ``X`` is large, checking
    ``should_stop`` between slices (TrainingInterrupted when it says so)."""
    rows = max(1, SLICE_MULTIPLY_ADDS // max(1, multiply_adds_per_row(model)))
    if len(X) <= rows:
        return model.predict_proba(X)
    parts = []
    for start in range(0, len(X), rows):
        if should_stop is not None and should_stop():
            raise TrainingInterrupted("stopped while evaluating")
        parts.append(model.predict_proba(X[start : start + rows]))
    return np.concatenate(parts)


def evaluate_model(
    model: MLP | Perceptron,
    X: np.ndarray,
    y: np.ndarray,
    should_stop: Callable[[], bool] | None = None,
) -> tuple[float, float]:
    """(loss, accuracy) of ``model`` on labelled points, without touching gradients.

    Large sets are evaluated in slices (``should_stop`` is checked between them)."""
    if len(y) == 0:
        return math.nan, math.nan
    with np.errstate(all="ignore"):
        if isinstance(model, Perceptron):
            y_signed = np.where(y == 1, 1.0, -1.0)
            scores = model.scores(X)
            predictions = (scores >= 0).astype(np.int64)
            return perceptron_criterion(scores, y_signed), float(np.mean(predictions == y))
        if len(X) * multiply_adds_per_row(model) > SLICE_MULTIPLY_ADDS:
            p = predict_in_slices(model, X, should_stop)
        else:
            p = model.forward(X)
        loss = -float(np.mean(np.log(np.maximum(p[np.arange(len(y)), y], LOG_CLIP))))
        return loss, float(np.mean(np.argmax(p, axis=1) == y))


def thinned_indices(updates: Sequence[float] | np.ndarray, limit: int) -> np.ndarray | None:
    """Which points of a history to keep once it holds more than ``limit`` (None: all).

    ``updates`` are the points' update numbers, in increasing order. The newest ``limit // 2``
    points are kept as they are. Before them at most ``limit // 4`` are kept, evenly spaced:
    the first point in each interval of ``2**k`` updates, with ``k`` the smallest for which
    the intervals spanned are few enough. That span only grows, so ``k`` never decreases and
    a part thinned before stays evenly spaced when thinned again. The first point (the
    start) and the last are always kept. The choice depends on the update numbers alone, so
    a history thinned in two places (the Trainer, the curves) or restored from a session and
    thinned again keeps the same points.
    """
    n = len(updates)
    if n <= limit:
        return None
    recent = max(1, limit // 2)
    past = np.asarray(updates[: n - recent], dtype=np.float64)
    room = max(2, limit // 4)
    first, last = float(past[0]), float(past[-1])
    spacing = 1.0
    while math.floor(last / spacing) - math.floor(first / spacing) + 1 > room:
        spacing *= 2.0
    bucket = np.floor(past / spacing)
    keep = np.empty(len(past), dtype=bool)
    keep[0] = True
    np.not_equal(bucket[1:], bucket[:-1], out=keep[1:])
    return np.concatenate([np.flatnonzero(keep), np.arange(n - recent, n)])


class Trainer:
    """Runs updates on ``model`` and records evaluations in ``history``.

    ``batch_size=None`` (or anything at least the training-set size) is full batch.
    ``eval_every`` evaluates automatically every that many updates; ``None`` leaves it to
    the caller's ``evaluate()``. The starting point (update 0) is always recorded.

    Only finite figures enter the history: a divergence (a loss that is no longer finite, or
    that grew over EXPLOSION_FACTOR times its start) is an event, ``stopped_reason``, after
    which every update raises TrainingDiverged. The history is bounded (HISTORY_LIMIT).

    ``should_stop``, if given, is asked between updates and between slices of a large
    evaluation; when it returns True the running call raises TrainingInterrupted.
    """

    def __init__(
        self,
        model: MLP | Perceptron,
        dataset: Dataset,
        optimizer: Optimizer,
        batch_size: int | None = None,
        seed: int = 0,
        eval_every: int | None = None,
        should_stop: Callable[[], bool] | None = None,
    ) -> None:
        self.model = model
        self.dataset = dataset
        self.optimizer = optimizer
        self._requested_batch = batch_size
        self.eval_every = eval_every
        self._rng = np.random.default_rng(seed)
        self._use_dataset(dataset)
        self.updates = 0
        self.epochs_completed = 0
        self.seconds = 0.0
        self.last_batch_loss = math.nan
        # The batch loss costs a logarithm per sample; the history's losses do not need it.
        self.track_batch_loss = False
        self.stopped_reason: str | None = None
        self.should_stop = should_stop
        self.history: list[HistoryPoint] = []
        # Points before this update were thinned out of the history (0: none were).
        self.history_thinned_before = 0
        self._start_loss: float | None = None  # the first evaluation's loss, with penalties
        self.evaluate()

    def _use_dataset(self, dataset: Dataset) -> None:
        self.dataset = dataset
        n = len(dataset.y_train)
        requested = self._requested_batch
        self.batch_size = n if requested is None else max(1, min(int(requested), n))
        self.updates_per_epoch = math.ceil(n / self.batch_size)
        self._X_epoch = dataset.X_train
        self._y_epoch = dataset.y_train
        self._batch_in_epoch = 0

    def replace_dataset(self, dataset: Dataset) -> None:
        """Go on training the same network on other points (the user drew or removed some).

        The next update starts a fresh pass over the new training set; the figures for the
        new data are recorded at once.
        """
        if dataset.n_classes != self.dataset.n_classes:
            raise ValueError(
                "the new data has another number of classes: the network must be rebuilt"
            )
        if self._batch_in_epoch:
            self.epochs_completed += 1  # the interrupted pass counts as done
        self._use_dataset(dataset)
        self.evaluate(force=True)

    @property
    def learning_rate(self) -> float:
        return self.optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
        if not (math.isfinite(value) and value > 0):
            raise ValueError(f"learning_rate must be a positive number, got {value!r}")
        self.optimizer.learning_rate = float(value)

    @property
    def epoch(self) -> float:
        """Passes over the training set so far, with the current pass as a fraction."""
        return self.epochs_completed + self._batch_in_epoch / self.updates_per_epoch

    @property
    def is_full_batch(self) -> bool:
        return self.updates_per_epoch == 1

    def _next_batch(self) -> tuple[np.ndarray, np.ndarray]:
        if self.is_full_batch:  # the very same arrays every update, so the model can cache them
            return self.dataset.X_train, self.dataset.y_train
        if self._batch_in_epoch == 0:
            order = self._rng.permutation(len(self.dataset.y_train))
            self._X_epoch = self.dataset.X_train[order]
            self._y_epoch = self.dataset.y_train[order]
        start = self._batch_in_epoch * self.batch_size
        stop = start + self.batch_size
        return self._X_epoch[start:stop], self._y_epoch[start:stop]

    def step(self) -> float:
        """One update on the next mini-batch; returns that batch's loss before the update
        (NaN unless ``track_batch_loss``).

        Raises TrainingDiverged (and leaves the weights as they were) if the loss is not finite.
        """
        with np.errstate(all="ignore"):
            return self._step()

    def train(self, updates: int) -> None:
        """``updates`` steps in a row (cheaper per step than calling ``step`` each time)."""
        stop = self.should_stop
        with np.errstate(all="ignore"):
            for _ in range(updates):
                if stop is not None and stop():
                    raise TrainingInterrupted("stopped between updates")
                self._step()

    def _step(self) -> float:
        if self.stopped_reason is not None:
            raise TrainingDiverged(self.stopped_reason)
        started = time.perf_counter()
        xb, yb = self._next_batch()
        try:
            loss = self.model.loss_and_gradients(xb, yb, self.track_batch_loss, self.should_stop)
        except PassInterrupted:  # a large update, stopped between two layers
            raise TrainingInterrupted("stopped during an update") from None
        # Non-finite probabilities make non-finite gradients: one cheap check covers both.
        if not (
            self.model.gradients_finite() and (math.isfinite(loss) or not self.track_batch_loss)
        ):
            self.stopped_reason = (
                f"training diverged at update {self.updates + 1} (epoch "
                f"{self.epochs_completed + 1}): the loss is no longer a finite number. "
                f"{divergence_cause(self)} Then reset."
            )
            raise TrainingDiverged(self.stopped_reason)
        self.optimizer.step(self.model.parameter_pairs())
        self.last_batch_loss = loss
        self.updates += 1
        self._batch_in_epoch += 1
        if self._batch_in_epoch == self.updates_per_epoch:
            self._batch_in_epoch = 0
            self.epochs_completed += 1
        self.seconds += time.perf_counter() - started
        if self.eval_every and self.updates % self.eval_every == 0:
            self.evaluate()
            if self.stopped_reason is not None:  # the evaluation found the loss exploding
                raise TrainingDiverged(self.stopped_reason)
        return loss

    def run_epoch(self) -> None:
        """Updates until the current pass over the training set is complete."""
        stop = self.should_stop
        with np.errstate(all="ignore"):
            while True:
                if stop is not None and stop():
                    raise TrainingInterrupted("stopped between updates")
                self._step()
                if self._batch_in_epoch == 0:
                    return

    def evaluate(self, force: bool = False) -> HistoryPoint:
        """Train and test loss and accuracy now, recorded in the history (once per update
        count; ``force`` replaces that point, e.g. after a weight was edited by hand).

        A point that is not finite, or whose loss exploded, is not recorded: it marks the
        run as diverged (``stopped_reason``) and is returned for the caller to report.
        """
        last = self.history[-1] if self.history else None
        if last is not None and last.update == self.updates and not force:
            return last
        d, stop = self.dataset, self.should_stop
        train_loss, train_acc = evaluate_model(self.model, d.X_train, d.y_train, stop)
        test_loss, test_acc = evaluate_model(self.model, d.X_test, d.y_test, stop)
        point = HistoryPoint(
            self.updates, self.epoch, train_loss, train_acc, test_loss, test_acc, self.seconds
        )
        problem = self._divergence_in(point)
        if problem is not None:
            if self.stopped_reason is None:
                self.stopped_reason = (
                    f"training diverged at update {self.updates} (epoch "
                    f"{max(1, math.ceil(self.epoch))}): {problem}. {divergence_cause(self)} "
                    f"Then reset."
                )
            return point
        if last is not None and last.update == self.updates:
            self.history[-1] = point
        else:
            self.history.append(point)
            self._thin_history()
        return point

    def _divergence_in(self, point: HistoryPoint) -> str | None:
        """Why ``point`` shows a diverged run, or None if its figures are sound."""
        figures = [point.train_loss, point.train_accuracy]
        if len(self.dataset.y_test):
            figures += [point.test_loss, point.test_accuracy]
        if not all(math.isfinite(v) for v in figures):
            return "the loss is no longer a finite number"
        if isinstance(self.model, Perceptron):
            # The perceptron's rule is blind to the weights' scale: its criterion grows with
            # them on inseparable data without anything going wrong.
            return None
        penalty = self.model.penalty()
        loss = point.train_loss + penalty
        if not math.isfinite(loss):
            return "the loss with its weight penalty is no longer a finite number"
        if self._start_loss is None:
            self._start_loss = loss
            return None
        bound = EXPLOSION_FACTOR * max(self._start_loss, 1.0)
        if loss > bound:
            what = "the loss with its weight penalty" if penalty else "the loss"
            return (
                f"{what} grew to {loss:.3g}, over {EXPLOSION_FACTOR:,.0f} times its "
                f"starting value {self._start_loss:.3g}"
            )
        return None

    def _thin_history(self) -> None:
        """Keep the history within HISTORY_LIMIT points (``thinned_indices``), in place:
        others may hold the list."""
        history = self.history
        if len(history) <= HISTORY_LIMIT:
            return
        keep = thinned_indices([p.update for p in history], HISTORY_LIMIT)
        first_recent = history[len(history) - HISTORY_LIMIT // 2].update
        history[:] = [history[i] for i in keep]
        self.history_thinned_before = max(self.history_thinned_before, first_recent)

    @property
    def history_thinned(self) -> bool:
        return self.history_thinned_before > 0

    def history_table(self) -> tuple[list[str], list[tuple]]:
        """The history as a CSV header and rows; the last column, ``thinned``, is 1 where
        the history was thinned (only some evaluations kept) and 0 where it is complete."""
        before = self.history_thinned_before
        rows = [(*p.row(), int(p.update < before)) for p in self.history]
        return [*HistoryPoint.header(), "thinned"], rows

    def weights_changed(self) -> None:
        """Call after editing parameters by hand: optimizer state no longer fits them."""
        self.optimizer.reset()


def build_model(config: ExperimentConfig, dataset: Dataset) -> MLP | Perceptron:
    """The network a configuration describes, initialised from the training seed."""
    n_inputs = dataset.X_train.shape[1]
    if config.model.kind == "perceptron":
        if dataset.n_classes != 2:
            raise ValueError(
                f"the perceptron separates 2 classes; {dataset.name} has {dataset.n_classes}"
            )
        return Perceptron(n_inputs, learning_rate=config.train.learning_rate)
    t = config.train
    return MLP(
        n_inputs,
        list(config.model.hidden),
        dataset.n_classes,
        activation=config.model.activation,
        init=config.model.init,
        seed=t.seed,
        l2=t.l2,
        l1=t.l1,
    )


def build_dataset(config: ExperimentConfig) -> Dataset:
    d = config.data
    if d.name == CUSTOM:
        X, y = d.custom_arrays()
        return custom_dataset(X, y, d.train_fraction, d.seed, d.class_names)
    return make_dataset(
        d.name,
        n_samples=d.n_samples,
        noise=d.noise,
        train_fraction=d.train_fraction,
        seed=d.seed,
        **d.params,
    )


def build_trainer(
    config: ExperimentConfig,
    dataset: Dataset | None = None,
    eval_every: int | None | str = "config",
    should_stop: Callable[[], bool] | None = None,
) -> Trainer:
    """A ready Trainer for ``config`` (on ``dataset`` if given, else the configured one)."""
    dataset = dataset if dataset is not None else build_dataset(config)
    model = build_model(config, dataset)
    t = config.train
    optimizer = make_optimizer(t.optimizer, t.learning_rate)
    every = t.eval_every if eval_every == "config" else eval_every
    return Trainer(
        model,
        dataset,
        optimizer,
        batch_size=t.batch_size,
        seed=t.seed,
        eval_every=every,
        should_stop=should_stop,
    )
