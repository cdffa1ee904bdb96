"""A TensorFlow Playground run (model/playground/run.py) as the window's training worker drives
a Trainer (model/training/trainer.py): the same attributes and calls, Playground's numbers.

Training is Playground's own, untouched: its batching, its carried-over partial batch, its
penalties. What the window reads is made from it:

- ``dataset``: Playground's points in its order, a ``Dataset`` whose classes are 0 for label
  -1 and 1 for label +1 (or the regression targets); ``rules`` says whose they are.
- ``model``: this app's MLP holding Playground's weights after every call (the views draw
  it, the code export writes it). A classifier's output is two softmax units with the
  logits ``-z`` and ``z`` of Playground's output node ``z``: their probability of class 1,
  ``1 / (1 + exp(-2z)) = (1 + tanh z) / 2``, is Playground's output moved to [0, 1], so the
  boundary is where Playground's output is 0. The network diagram is given Playground's one
  output node instead (``diagram``): ``tanh z``, its weights those of ``z``.
- ``history``: a point after every epoch, as Playground's chart (and one whenever the window
  asks, when paused). Its losses are Playground's: the mean of half the squared error; the
  accuracy, which Playground does not show, counts a point right when the output's sign is
  its label's.
- ``landscape_model`` and ``landscape_loss``: what the loss landscape slices. Playground's own
  parameters, its network's weights and biases layer by layer (this app's regression MLP of
  the same layers, one linear output unit: Playground's output node before its tanh), and
  Playground's loss (model/landscape/batch_loss.py). Not ``model``, whose classifier holds
  Playground's output twice (-z and z). ``initial_parameters`` and ``snapshots`` (the
  landscape's line and path) are of ``landscape_model``'s flat parameters.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from model.data.datasets import Dataset
from model.landscape.batch_loss import HALF_SQUARED, HALF_SQUARED_TANH
from model.nn.mlp import MLP
from model.nn.network_snapshot import NetworkSnapshot
from model.nn.optimizers import make_optimizer
from model.playground.config import APP_FEATURES, PlaygroundConfig, PlaygroundLinkError
from model.playground.network import input_features
from model.playground.run import PlaygroundRun
from model.playground.to_experiment import APP_DATASET
from model.training.evaluation import TrainingInterrupted
from model.training.history import HistoryPoint, thin_history
from model.training.snapshots import WeightSnapshots
from model.training.trainer import TrainingDiverged

PLAYGROUND_RULES = "Playground rules"
NO_SESSION = (
    "a run under Playground rules has no Trainer state: its session is its link and update "
    "count (model/playground/session.py)"
)


@dataclass(frozen=True)
class PlaygroundDataset(Dataset):
    """Playground's points as this app's data set; ``rules`` is the link's configuration
    (frames carry it, so the window knows the run follows Playground's rules)."""

    rules: PlaygroundConfig | None = None


def check_window_link(rules: PlaygroundConfig) -> None:
    """PlaygroundLinkError when the window cannot show the link's run (no input is on:
    Playground's network is then its biases alone, which this app's network cannot be)."""
    if not rules.inputs:
        raise PlaygroundLinkError(
            "Playground link: no input is on (x, y, ...): the window's network needs at least "
            "one; main.py playground runs it headless"
        )


def playground_dataset(run: PlaygroundRun) -> PlaygroundDataset:
    """The run's points, read-only, with classes 0 (-1) and 1 (+1) or the targets."""
    rules, data = run.config, run.data

    def targets(labels: np.ndarray) -> np.ndarray:
        return labels.astype(np.float64) if rules.is_regression else (labels > 0).astype(np.int64)

    arrays = [
        np.ascontiguousarray(data.train_points, dtype=np.float64),
        targets(data.train_labels),
        np.ascontiguousarray(data.test_points, dtype=np.float64),
        targets(data.test_labels),
    ]
    for array in arrays:  # shared with the drawing thread: never edited
        array.setflags(write=False)
    return PlaygroundDataset(
        *arrays,
        n_classes=0 if rules.is_regression else 2,
        name=APP_DATASET[rules.data_name],
        class_names=() if rules.is_regression else ("-1", "1"),
        problem=rules.problem,
        rules=rules,
    )


def mirror_network(rules: PlaygroundConfig) -> MLP:
    """This app's MLP of the link's shape, inputs and activation (weights set by ``copy_weights``);
    its penalties are the link's, for the messages that name them."""
    rate = rules.regularization_rate
    return MLP(
        len(rules.inputs),
        rules.network_shape,
        0 if rules.is_regression else 2,
        activation=rules.activation,
        l1=rate if rules.regularization == "L1" else 0.0,
        l2=rate if rules.regularization == "L2" else 0.0,
        problem=rules.problem,
        features=tuple(APP_FEATURES[name] for name in rules.inputs),
    )


def playground_layers(rules: PlaygroundConfig) -> MLP:
    """Playground's network as this app's MLP of the same layers with one linear output unit
    (Playground's output node before a classifier's tanh): its parameters are exactly
    Playground's weights and biases (set by ``copy_weights``), with no penalty of its own."""
    return MLP(
        len(rules.inputs),
        rules.network_shape,
        0,
        activation=rules.activation,
        problem="regression",
        features=tuple(APP_FEATURES[name] for name in rules.inputs),
    )


def copy_weights(run: PlaygroundRun, mlp: MLP) -> None:
    """Playground's weights into ``mlp``: ``W[l]`` transposed; an output layer of two units
    (the classifier's mirror) as ``-z`` and ``z``."""
    network = run.network
    last = len(network.W) - 1
    for layer, linear in enumerate(mlp.linears):
        W, b = network.W[layer], network.b[layer]
        weight, bias = linear.params["weight"], linear.params["bias"]
        if layer == last and linear.out_features == 2:
            weight[:, 0], weight[:, 1] = -W[0], W[0]
            bias[0], bias[1] = -b[0], b[0]
        else:
            weight[...] = W.T
            bias[...] = b


class PlaygroundTrainer:
    """The worker's Trainer for a run under Playground's rules (see the module's note).

    An update is Playground's (after every ``batchSize``-th point), an epoch its pass over
    the training points; ``epoch`` counts the pass under way as a fraction, as the Trainer's.
    A loss that is no longer a finite number ends the run (Playground would go on showing
    NaN): ``stopped_reason`` says so and every later update raises TrainingDiverged.
    """

    def __init__(
        self, rules: PlaygroundConfig, should_stop: Callable[[], bool] | None = None
    ) -> None:
        check_window_link(rules)
        self.rules = rules
        self.run = PlaygroundRun(rules)
        self.dataset = playground_dataset(self.run)
        self.model = mirror_network(rules)
        self.landscape_model = playground_layers(rules)
        self.landscape_loss = HALF_SQUARED if rules.is_regression else HALF_SQUARED_TANH
        self.optimizer = make_optimizer("sgd", rules.learning_rate)  # named by messages only
        self.should_stop = should_stop
        self.eval_every: int | None = None  # a history point per epoch, as Playground's chart
        self.batch_size = rules.batch_size
        self.updates_per_epoch = rules.updates_per_epoch
        self.seconds = 0.0
        self.stopped_reason: str | None = None
        # What made the run other than its link's (its session could not replay it).
        self.edited: str | None = None
        self.history: list[HistoryPoint] = []
        self.history_thinned_before = 0
        data = self.run.data
        self._inputs = (
            (input_features(rules.inputs, data.train_points), data.train_labels),
            (input_features(rules.inputs, data.test_points), data.test_labels),
        )
        self._copy_weights()
        self.initial_parameters = self._parameters().copy()
        self.snapshots = WeightSnapshots(self.initial_parameters.size)
        self.evaluate()

    # ----- what the worker reads -----
    @property
    def link(self) -> str:
        """The link that opens this run (with the learning rate in force)."""
        from model.playground.link import link_from_config

        return link_from_config(self.rules)

    @property
    def updates(self) -> int:
        return self.run.updates

    @property
    def epochs_completed(self) -> int:
        return self.run.epoch

    @property
    def epoch(self) -> float:
        """Epochs so far, with the one under way as a fraction of its updates."""
        return self.run.epoch + self.run.updates_in_epoch / self.updates_per_epoch

    @property
    def learning_rate(self) -> float:
        return self.rules.learning_rate

    @property
    def weight_snapshots(self) -> tuple[list[int], np.ndarray]:
        return self.snapshots.get()

    def _parameters(self) -> np.ndarray:
        """Playground's weights and biases, flat (``landscape_model``'s order)."""
        return self.landscape_model.parameter_pairs()[0][0]

    def _copy_weights(self) -> None:
        """Playground's weights of now into both of this app's networks."""
        copy_weights(self.run, self.model)
        copy_weights(self.run, self.landscape_model)

    # ----- training -----
    def step(self) -> None:
        """One of Playground's updates."""
        self.train(1)

    def train(self, updates: int) -> None:
        """``updates`` updates (asking ``should_stop`` between them); an epoch completed on
        the way adds its point to the history."""
        stop = self.should_stop
        try:
            for _ in range(updates):
                if stop is not None and stop():
                    raise TrainingInterrupted("stopped between updates")
                self._update()
        finally:
            self._copy_weights()

    def run_epoch(self) -> None:
        """The rest of the epoch under way (a whole one from an epoch's start): Playground's
        step button."""
        self.train(self.updates_per_epoch - self.run.updates_in_epoch)

    def _update(self) -> None:
        if self.stopped_reason is not None:
            raise TrainingDiverged(self.stopped_reason)
        run, epoch = self.run, self.run.epoch
        started = time.perf_counter()
        run.step(1)
        self.seconds += time.perf_counter() - started
        if run.epoch != epoch:  # Playground's losses for the epoch just completed
            self._copy_weights()
            _, train, test = run.history[-1]
            self._record(train, test)
        elif not np.all(np.isfinite(run.network.params)):
            self._copy_weights()
            self._record(*self._losses())
        if self.stopped_reason is not None:
            raise TrainingDiverged(self.stopped_reason)

    # ----- figures -----
    def _losses(self) -> tuple[float, float]:
        """Playground's train and test loss at the weights of now (its ``getLoss``)."""
        network = self.run.network
        with np.errstate(all="ignore"):
            return tuple(network.loss(inputs, labels) for inputs, labels in self._inputs)

    def _accuracy(self, inputs: np.ndarray, labels: np.ndarray) -> float:
        """Classification: the fraction of points whose output has their label's sign (the
        class the boundary view draws them in); regression has none (NaN)."""
        if self.rules.is_regression or not len(labels):
            return math.nan
        with np.errstate(all="ignore"):
            output = self.run.network.output(inputs)
        return float(np.mean((output > 0) == (labels > 0)))

    def evaluate(self, force: bool = False) -> HistoryPoint:
        """The figures of now in the history (once per update; ``force`` replaces them,
        after a weight typed in)."""
        last = self.history[-1] if self.history else None
        if last is not None and last.update == self.updates and not force:
            return last
        return self._record(*self._losses())

    def _record(self, train_loss: float, test_loss: float) -> HistoryPoint:
        (train_x, train_y), (test_x, test_y) = self._inputs
        point = HistoryPoint(
            self.updates,
            self.epoch,
            float(train_loss),
            self._accuracy(train_x, train_y),
            float(test_loss),
            self._accuracy(test_x, test_y),
            self.seconds,
        )
        if not (math.isfinite(point.train_loss) and math.isfinite(point.test_loss)):
            if self.stopped_reason is None:
                self.stopped_reason = (
                    f"training diverged at update {self.updates} (epoch "
                    f"{max(1, math.ceil(self.epoch))}): Playground's loss is no longer a finite "
                    "number (Playground would go on showing NaN). Lower the learning rate, "
                    "then reset."
                )
            return point
        last = self.history[-1] if self.history else None
        if last is not None and last.update == self.updates:
            self.history[-1] = point
        else:
            self.history.append(point)
            self.history_thinned_before = thin_history(self.history, self.history_thinned_before)
        self.snapshots.record(self.updates, self._parameters())
        return point

    # ----- what the window may change -----
    def set_learning_rate(self, value: float) -> None:
        """Another learning rate from the next update on (the link then says it)."""
        if not (math.isfinite(value) and value > 0):
            raise ValueError(f"learning_rate must be a positive number, got {value!r}")
        if self.updates and value != self.rules.learning_rate and self.edited is None:
            self.edited = f"its learning rate changed at update {self.updates:,}"
        self.rules = replace(self.rules, learning_rate=float(value))
        self.run.config = self.rules
        self.optimizer.learning_rate = float(value)

    def diagram(self, snapshot: NetworkSnapshot) -> NetworkSnapshot:
        """The network diagram of ``model``'s ``snapshot`` as Playground draws its network: a
        classifier's one output node ``tanh z`` (its map P(1) - P(0) of the two softmax units,
        which is tanh z; its weights and biases those of ``z``), titled by its activation."""
        if self.rules.is_regression:
            return snapshot
        z = slice(1, 2)  # the unit with the logit z
        probabilities = snapshot.maps[-1]
        return replace(
            snapshot,
            widths=[*snapshot.widths[:-1], 1],
            weights=[*snapshot.weights[:-1], snapshot.weights[-1][:, z].copy()],
            biases=[*snapshot.biases[:-1], snapshot.biases[-1][z].copy()],
            weight_grads=[*snapshot.weight_grads[:-1], snapshot.weight_grads[-1][:, z].copy()],
            maps=[*snapshot.maps[:-1], probabilities[1:2] - probabilities[0:1]],
            output_activation="tanh",
        )

    def set_weight(self, layer: int, source: int, target: int, value: float) -> bool:
        """A weight typed on the network diagram (``layer`` counts the weight layers from
        the input; a classifier's output is Playground's one node, as ``diagram`` draws it):
        Playground's weight from node ``source`` to node ``target``. Returns whether it was
        applied."""
        W = self.run.network.W
        if not (math.isfinite(value) and 0 <= layer < len(W)):
            return False
        weights = W[layer]
        if not (0 <= source < weights.shape[1] and 0 <= target < weights.shape[0]):
            return False
        weights[target, source] = value
        if self.edited is None:
            self.edited = f"a weight was typed in at update {self.updates:,}"
        self._copy_weights()
        self.evaluate(force=True)
        return True

    def weights_changed(self) -> None:
        """Nothing to reset: Playground's plain gradient descent keeps no state."""

    def replace_dataset(self, dataset: Dataset) -> None:
        raise ValueError("under Playground rules the points are Playground's own")

    def state(self):
        raise ValueError(NO_SESSION)
