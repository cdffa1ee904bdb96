"""One TensorFlow Playground experiment, run as Playground runs it (playground.ts): opened from
a link (the data, their shuffle and the initial weights drawn in that order from the seeded
stream), trained an epoch at a time ("step" in Playground) or an update at a time.

An epoch goes through the training points in their fixed order and updates after every
``batchSize``-th point (``(i + 1) % batchSize == 0``); the points after the last update stay
summed and join the next epoch's first update. Playground reports the loss after each epoch:
the mean of half the squared error on the training and on the test points.
"""

from __future__ import annotations

import numpy as np

from model.playground.config import PlaygroundConfig
from model.playground.datasets import PlaygroundData, generate_data
from model.playground.link import parse_link
from model.playground.network import PlaygroundNetwork, input_features
from model.playground.random_stream import PlaygroundRandom


class PlaygroundRun:
    """Playground's data and network for one configuration, and where its training is:
    ``epoch`` whole epochs, ``updates`` updates; ``history`` holds (epoch, train loss, test
    loss) from epoch 0 (before training) to the last whole one."""

    def __init__(self, config: PlaygroundConfig) -> None:
        self.config = config
        rng = PlaygroundRandom(config.seed)
        self.data: PlaygroundData = generate_data(config, rng)
        self.network = PlaygroundNetwork(config, rng)
        self.initial_weights = self.network.weights()
        self._train_inputs = input_features(config.inputs, self.data.train_points)
        self._test_inputs = input_features(config.inputs, self.data.test_points)
        self.epoch = 0
        self.updates = 0
        self._position = 0  # the next training point of the epoch under way
        self._losses: tuple[int, float, float] | None = None  # (updates, train, test)
        self.history: list[tuple[int, float, float]] = [(0, *self.losses())]

    @classmethod
    def from_link(cls, link: str) -> PlaygroundRun:
        """The run a Playground link opens (PlaygroundLinkError, a ValueError, if bad)."""
        return cls(parse_link(link))

    @property
    def updates_per_epoch(self) -> int:
        return self.config.updates_per_epoch

    @property
    def updates_in_epoch(self) -> int:
        """Updates done in the epoch under way (0 at an epoch's start)."""
        return self.updates - self.epoch * self.updates_per_epoch

    def step(self, n_updates: int = 1) -> None:
        """``n_updates`` updates; an epoch that reaches its last update is complete (its
        remaining points are summed for the next one) and its losses join ``history``."""
        batch = self.config.batch_size
        rate, penalty = self.config.learning_rate, self.config.regularization_rate
        inputs, labels = self._train_inputs, self.data.train_labels
        n_train = len(labels)
        network = self.network
        with np.errstate(all="ignore"):  # a diverging run shows inf and nan, as Playground's
            for _ in range(n_updates):
                start = self._position
                network.accumulate(inputs[start : start + batch], labels[start : start + batch])
                network.update(rate, penalty)
                self.updates += 1
                self._position = start + batch
                if self._position + batch > n_train:  # no further update in this epoch
                    tail = slice(self._position, n_train)
                    if self._position < n_train:
                        network.accumulate(inputs[tail], labels[tail])
                    self._position = 0
                    self.epoch += 1
                    self.history.append((self.epoch, *self.losses()))

    def run_epoch(self) -> tuple[float, float]:
        """The rest of the epoch under way (a whole one from an epoch's start, as Playground's
        step button); its train and test loss."""
        self.step(self.updates_per_epoch - self.updates_in_epoch)
        return self.history[-1][1], self.history[-1][2]

    def losses(self) -> tuple[float, float]:
        """The current train and test loss, as Playground computes them."""
        if self._losses is None or self._losses[0] != self.updates:
            with np.errstate(all="ignore"):
                train = self.network.loss(self._train_inputs, self.data.train_labels)
                test = self.network.loss(self._test_inputs, self.data.test_labels)
            self._losses = (self.updates, train, test)
        return self._losses[1], self._losses[2]

    @property
    def train_loss(self) -> float:
        return self.losses()[0]

    @property
    def test_loss(self) -> float:
        return self.losses()[1]

    def weights(self) -> list[dict[str, list]]:
        """The current weights: one ``{"W", "b"}`` per layer above the input."""
        return self.network.weights()

    def predict(self, points: np.ndarray) -> np.ndarray:
        """The network's output at each point (x, y): in [-1, 1] (tanh) for classification,
        where Playground's boundary is at 0; the target for regression."""
        points = np.asarray(points, dtype=float).reshape(-1, 2)
        with np.errstate(all="ignore"):
            return self.network.output(input_features(self.config.inputs, points))
