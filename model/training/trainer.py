"""The Trainer: owns a model, its data and its optimizer, and keeps the history.

A *step* is one update on one mini-batch; an *epoch* is one pass over the training set
(with full batch the two coincide). The order of the samples is reshuffled at the start of
every epoch from the Trainer's seed, so identical seeds give identical runs.

``build_trainer`` makes one from a configuration, with the network (``build_model``) and the
data (``build_dataset``) it describes; ``TrainerState`` is what a run needs to go on exactly.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from model.config import ExperimentConfig
from model.data.datasets import CUSTOM, Dataset, custom_dataset, make_dataset
from model.nn.fused_pass import PassInterrupted
from model.nn.mlp import MLP
from model.nn.optimizers import Optimizer, make_optimizer
from model.nn.perceptron import Perceptron
from model.training.divergence import divergence_cause
from model.training.evaluation import TrainingInterrupted, evaluate_model
from model.training.history import HistoryPoint, thin_history
from model.training.snapshots import WeightSnapshots

# The loss has exploded once it exceeds this many times its starting value (or 1, if larger).
EXPLOSION_FACTOR = 1e6


class TrainingDiverged(RuntimeError):
    """The loss stopped being a finite number; the message says when and what to change."""


@dataclass
class TrainerState:
    """Everything needed to continue a run exactly (``Trainer.state``, ``Trainer.restore``):
    the contents of a saved session.

    ``X_epoch``/``y_epoch`` are the current pass's order of the training set; ``rng_state``
    is the shuffling generator's; ``start_loss`` is the first evaluation's loss (with
    penalties), the yardstick of an exploding loss.
    """

    parameters: np.ndarray
    optimizer: dict[str, np.ndarray]
    updates: int
    epochs_completed: int
    batch_in_epoch: int
    seconds: float
    stopped_reason: str | None
    rng_state: dict
    X_epoch: np.ndarray
    y_epoch: np.ndarray
    history: list[HistoryPoint]
    history_thinned_before: int = 0
    start_loss: float | None = None
    perceptron_epochs: int | None = None  # the perceptron's own epoch count
    # The weights at evaluation points (updates, (k, n) array) and at the start of the run:
    # the loss landscape's path. None (older sessions): only the current weights are known.
    snapshots: tuple[list[int], np.ndarray] | None = None
    initial_parameters: np.ndarray | None = None


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

    An MLP's updates run its fused pass (model/nn/fused_pass.py), the fast one that can be
    stopped within a layer; the module pass gives the same numbers up to rounding.
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
        self.stopped_reason: str | None = None
        self.should_stop = should_stop
        self.history: list[HistoryPoint] = []
        # Points before this update were thinned out of the history (0: none were).
        self.history_thinned_before = 0
        self._start_loss: float | None = None  # the first evaluation's loss, with penalties
        self.initial_parameters = model.parameter_pairs()[0][0].copy()  # the loss landscape's
        self.snapshots = WeightSnapshots(self.initial_parameters.size)  # start and path
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
        if dataset.problem != self.dataset.problem:
            raise ValueError(f"the new data is {dataset.problem}: the network must be rebuilt")
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
        self.set_learning_rate(value)

    def set_learning_rate(self, value: float) -> None:
        """A new learning rate from the next update on (a perceptron's own one too)."""
        if not (math.isfinite(value) and value > 0):
            raise ValueError(f"learning_rate must be a positive number, got {value!r}")
        self.optimizer.learning_rate = float(value)
        if isinstance(self.model, Perceptron):
            self.model.learning_rate = float(value)

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

    def step(self) -> None:
        """One update on the next mini-batch.

        Raises TrainingDiverged (and leaves the weights as they were) if the loss is not finite.
        """
        with np.errstate(all="ignore"):
            self._step()

    def train(self, updates: int) -> None:
        """``updates`` steps in a row (cheaper per step than calling ``step`` each time)."""
        stop = self.should_stop
        with np.errstate(all="ignore"):
            for _ in range(updates):
                if stop is not None and stop():
                    raise TrainingInterrupted("stopped between updates")
                self._step()

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

    def _step(self) -> None:
        if self.stopped_reason is not None:
            raise TrainingDiverged(self.stopped_reason)
        started = time.perf_counter()
        xb, yb = self._next_batch()
        model = self.model
        try:  # the batch loss is not needed: the history's losses come from evaluations
            if isinstance(model, MLP):
                model.loss_and_gradients(xb, yb, False, self.should_stop)
            else:
                model.loss_and_gradients(xb, yb, False)
        except PassInterrupted:  # a large update, stopped between two layers
            raise TrainingInterrupted("stopped during an update") from None
        # Non-finite probabilities make non-finite gradients: one cheap check covers both.
        if not model.gradients_finite():
            self.stopped_reason = (
                f"training diverged at update {self.updates + 1} (epoch "
                f"{self.epochs_completed + 1}): the loss is no longer a finite number. "
                f"{divergence_cause(self)} Then reset."
            )
            raise TrainingDiverged(self.stopped_reason)
        self.optimizer.step(model.parameter_pairs())
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

    def evaluate(self, force: bool = False) -> HistoryPoint:
        """Train and test loss and accuracy now (regression: MSE, accuracy NaN), recorded in
        the history (once per update count; ``force`` replaces that point, e.g. after a
        weight was edited by hand).

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
            self.history_thinned_before = thin_history(self.history, self.history_thinned_before)
        self.snapshots.record(self.updates, self.model.parameter_pairs()[0][0])
        return point

    def _divergence_in(self, point: HistoryPoint) -> str | None:
        """Why ``point`` shows a diverged run, or None if its figures are sound."""
        figures = [point.train_loss, point.train_accuracy]
        if len(self.dataset.y_test):
            figures += [point.test_loss, point.test_accuracy]
        if self.dataset.is_regression:  # no accuracy: NaN by design
            figures = figures[::2]
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

    @property
    def weight_snapshots(self) -> tuple[list[int], np.ndarray]:
        """The weights at evaluation points (model/training/snapshots.py): updates, array (k, n)."""
        return self.snapshots.get()

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

    def set_weight(self, layer: int, source: int, target: int, value: float) -> bool:
        """Set the weight from unit ``source`` to unit ``target`` of Linear ``layer`` (0 is
        the first) by hand, then re-evaluate. Returns whether it was applied: the value must
        be finite and the indices within the current network (an edit typed on a diagram of
        a network since rebuilt is ignored)."""
        if not isinstance(self.model, MLP) or not math.isfinite(value):
            return False
        linears = self.model.linears
        if not 0 <= layer < len(linears):
            return False
        weight = linears[layer].params["weight"]
        if not (0 <= source < weight.shape[0] and 0 <= target < weight.shape[1]):
            return False
        weight[source, target] = value
        self.weights_changed()
        self.evaluate(force=True)
        return True

    def state(self) -> TrainerState:
        """A copy of everything needed to continue this run exactly."""
        model = self.model
        return TrainerState(
            parameters=model.parameter_pairs()[0][0].copy(),
            optimizer=self.optimizer.state(),
            updates=self.updates,
            epochs_completed=self.epochs_completed,
            batch_in_epoch=self._batch_in_epoch,
            seconds=self.seconds,
            stopped_reason=self.stopped_reason,
            rng_state=self._rng.bit_generator.state,
            X_epoch=self._X_epoch,  # replaced at each pass, never written into
            y_epoch=self._y_epoch,
            history=list(self.history),
            history_thinned_before=self.history_thinned_before,
            start_loss=self._start_loss,
            perceptron_epochs=model.epochs_trained if isinstance(model, Perceptron) else None,
            snapshots=self.weight_snapshots,
            initial_parameters=self.initial_parameters.copy(),
        )

    def restore(self, state: TrainerState) -> None:
        """Continue from ``state``, taken from a Trainer with the same configuration and
        data (ValueError if its arrays do not fit)."""
        parameters = self.model.parameter_pairs()[0][0]
        if np.shape(state.parameters) != parameters.shape:
            raise ValueError("the weights do not fit this network")
        if not 0 <= state.batch_in_epoch < self.updates_per_epoch:
            raise ValueError("the position in the epoch is out of range")
        if np.shape(state.y_epoch) != self.dataset.y_train.shape:
            raise ValueError("the epoch order does not fit the training data")
        self._rng.bit_generator.state = state.rng_state
        self.optimizer.load_state(state.optimizer)
        parameters[...] = state.parameters
        if isinstance(self.model, Perceptron) and state.perceptron_epochs is not None:
            self.model.epochs_trained = state.perceptron_epochs
        self.updates, self.epochs_completed = state.updates, state.epochs_completed
        self._batch_in_epoch = state.batch_in_epoch
        self.seconds, self.stopped_reason = state.seconds, state.stopped_reason
        if not self.is_full_batch:  # full batch keeps the data set's own arrays (cached)
            self._X_epoch, self._y_epoch = state.X_epoch, state.y_epoch
        self.history = list(state.history)
        self.history_thinned_before = state.history_thinned_before
        if state.start_loss is not None:
            self._start_loss = state.start_loss
        self.initial_parameters = self.snapshots.restore(
            state.snapshots, state.initial_parameters, parameters, self.updates
        )


def build_model(config: ExperimentConfig, dataset: Dataset) -> MLP | Perceptron:
    """The network a configuration describes, initialised from the training seed."""
    n_inputs = dataset.X_train.shape[1]
    if config.model.kind == "perceptron":
        if dataset.is_regression:
            raise ValueError(f"the perceptron only classifies; {dataset.name} is regression data")
        if dataset.n_classes != 2:
            raise ValueError(
                f"the perceptron separates 2 classes; {dataset.name} has {dataset.n_classes}"
            )
        return Perceptron(n_inputs, learning_rate=config.train.learning_rate)
    t = config.train
    return MLP(
        len(config.model.features),  # the points stay 2-D; the MLP maps them to its features
        list(config.model.hidden),
        dataset.n_classes,
        activation=config.model.activation,
        init=config.model.init,
        seed=t.seed,
        l2=t.l2,
        l1=t.l1,
        problem=dataset.problem,
        features=config.model.features,
    )


def build_dataset(config: ExperimentConfig) -> Dataset:
    """The configured data set, generated (or taken from the configuration's own points)."""
    d = config.data
    if d.name == CUSTOM:
        X, y = d.custom_arrays()
        return custom_dataset(X, y, d.train_fraction, d.seed, d.class_names, d.problem)
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
