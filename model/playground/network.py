"""TensorFlow Playground's network (src/nn.ts): one output node (tanh for classification,
linear for regression), half the squared error, gradients summed point by point and applied
as their mean, L1 that zeroes a weight crossing 0 and marks its link dead, L2.

Between two updates the weights do not change, so the points of one batch go through the
network together (NumPy), yet every sum is taken in nn.ts's order and tanh is the C library's
(NumPy's own tanh is less exact): some runs amplify a difference in the last bit a
millionfold within 60 epochs, and only Playground's order of sums keeps them at its numbers.
``W[l]`` has shape (nodes of layer l+1, nodes of layer l): ``W[l][j, i]`` is the weight from
node i below to node j, as Playground's ``inputLinks``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from model.playground.config import PlaygroundConfig
from model.playground.random_stream import PlaygroundRandom


def input_features(names: Sequence[str], points: np.ndarray) -> np.ndarray:
    """playground.ts ``constructInput`` for many points: one column per input, in order."""
    x, y = points[:, 0], points[:, 1]
    columns = {
        "x": lambda: x,
        "y": lambda: y,
        "xSquared": lambda: x * x,
        "ySquared": lambda: y * y,
        "xTimesY": lambda: x * y,
        "sinX": lambda: np.sin(x),
        "sinY": lambda: np.sin(y),
    }
    if not names:
        return np.zeros((len(points), 0))
    return np.column_stack([columns[name]() for name in names]).astype(float)


def _tanh(z: np.ndarray) -> np.ndarray:
    """tanh of each element by the C library, as exact as JavaScript's Math.tanh (they
    differ in about 1 of 2,000 values; NumPy's vectorised tanh in about 1 of 3)."""
    return np.fromiter(map(math.tanh, z.ravel().tolist()), float, z.size).reshape(z.shape)


def _add_rows(total: np.ndarray, terms: np.ndarray) -> None:
    """``total += terms[0]; total += terms[1]; ...`` in that order (nn.ts's sum over the
    points of a batch), for all elements at once."""
    if len(terms) == 1:
        total += terms[0]
    elif len(terms):
        rows = np.concatenate([total[None], terms])
        total[...] = np.add.accumulate(rows, axis=0)[-1]


def _activate(name: str, z: np.ndarray) -> np.ndarray:
    if name == "tanh":
        return _tanh(z)
    if name == "relu":
        return np.maximum(0.0, z)
    if name == "sigmoid":
        return 1 / (1 + np.exp(-z))
    return z  # linear


def _times_derivative(
    name: str, output_der: np.ndarray, z: np.ndarray, a: np.ndarray
) -> np.ndarray:
    """``output_der`` times nn.ts's ``der`` at the total input ``z`` (``a`` is the output)."""
    if name == "tanh":
        return output_der * (1 - a * a)
    if name == "relu":
        return output_der * (z > 0)
    if name == "sigmoid":
        return output_der * (a * (1 - a))
    return output_der


class PlaygroundNetwork:
    """The weights, biases and dead links of Playground's network, with the gradient
    accumulated since the last update. All weights, then all biases, sit in one vector
    (``W`` and ``b`` are views into it), so that an update is a few vector operations."""

    def __init__(self, config: PlaygroundConfig, rng: PlaygroundRandom) -> None:
        """nn.ts ``buildNetwork``: layer by layer, node by node, one draw per incoming link
        (``Math.random() - 0.5``, drawn even when ``initZero`` then sets it to 0); biases
        0.1 (0 with ``initZero``)."""
        shape = [len(config.inputs), *config.network_shape, 1]
        self.activations = [config.activation] * len(config.network_shape)
        self.activations.append("linear" if config.is_regression else "tanh")
        self.regularization = config.regularization
        drawn = [
            [[rng.random() - 0.5 for _ in range(below)] for _ in range(above)]
            for below, above in zip(shape[:-1], shape[1:], strict=True)
        ]
        sizes = [below * above for below, above in zip(shape[:-1], shape[1:], strict=True)]
        self.n_weights = sum(sizes)
        self.params = np.zeros(self.n_weights + sum(shape[1:]))
        self.grads = np.zeros_like(self.params)
        self.alive_flat = np.ones(self.n_weights, dtype=bool)
        self.W: list[np.ndarray] = []
        self.b: list[np.ndarray] = []
        self.alive: list[np.ndarray] = []
        self.grad_W: list[np.ndarray] = []
        self.grad_b: list[np.ndarray] = []
        w_at, b_at = 0, self.n_weights
        for below, above, rows in zip(shape[:-1], shape[1:], drawn, strict=True):
            w_end, b_end = w_at + below * above, b_at + above
            self.W.append(self.params[w_at:w_end].reshape(above, below))
            self.grad_W.append(self.grads[w_at:w_end].reshape(above, below))
            self.alive.append(self.alive_flat[w_at:w_end].reshape(above, below))
            self.b.append(self.params[b_at:b_end])
            self.grad_b.append(self.grads[b_at:b_end])
            if not config.init_zero:
                self.W[-1][...] = np.array(rows, dtype=float).reshape(above, below)
                self.b[-1][...] = 0.1
            w_at, b_at = w_end, b_end
        self.accumulated = 0  # points whose gradient is summed in grads

    def forward(self, inputs: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """Each layer's total inputs and outputs for a batch of input rows."""
        a = inputs
        passes = []
        for W, b, name in zip(self.W, self.b, self.activations, strict=True):
            z = np.empty((len(a), len(b)))
            z[...] = b  # Node.updateOutput: the bias, then each link's weight x input in turn
            for i in range(W.shape[1]):
                z += a[:, i : i + 1] * W[:, i]
            a = _activate(name, z)
            passes.append((z, a))
        return passes

    def output(self, inputs: np.ndarray) -> np.ndarray:
        """The output node's value for each input row."""
        return self.forward(inputs)[-1][1][:, 0]

    def accumulate(self, inputs: np.ndarray, targets: np.ndarray) -> None:
        """nn.ts ``forwardProp`` and ``backProp`` for each row, summing the derivatives."""
        passes = self.forward(inputs)
        output_der = passes[-1][1] - targets[:, None]  # d(half squared error)/d(output)
        for layer in range(len(self.W) - 1, -1, -1):
            z, a = passes[layer]
            delta = _times_derivative(self.activations[layer], output_der, z, a)
            below = passes[layer - 1][1] if layer else inputs
            _add_rows(self.grad_b[layer], delta)
            _add_rows(self.grad_W[layer], delta[:, :, None] * below[:, None, :])
            if layer:  # each node's output derivative: its output links in turn
                W = self.W[layer]
                output_der = delta[:, :1] * W[0]
                for j in range(1, W.shape[0]):
                    output_der += delta[:, j : j + 1] * W[j]
        self.accumulated += len(inputs)

    def update(self, learning_rate: float, regularization_rate: float) -> None:
        """nn.ts ``updateWeights``: the mean gradient, then the penalty's derivative at the
        weight before this update; under L1 a weight that the penalty carries across 0 becomes
        0 and its link dead (a dead link is never updated again). Biases have no penalty."""
        n = self.accumulated
        if n == 0:
            return
        weights, biases = self.params[: self.n_weights], self.params[self.n_weights :]
        biases -= learning_rate * self.grads[self.n_weights :] / n
        stepped = weights - (learning_rate / n) * self.grads[: self.n_weights]
        new = stepped
        if self.regularization == "L2":
            new = stepped - (learning_rate * regularization_rate) * weights
        elif self.regularization == "L1":
            new = stepped - (learning_rate * regularization_rate) * np.sign(weights)
            crossed = stepped * new < 0
            new[crossed] = 0.0
        np.copyto(weights, new, where=self.alive_flat)  # a dead link is never updated
        if self.regularization == "L1":
            self.alive_flat &= ~crossed
        self.grads.fill(0.0)
        self.accumulated = 0

    def loss(self, inputs: np.ndarray, targets: np.ndarray) -> float:
        """playground.ts ``getLoss``: the mean of half the squared error."""
        if not len(inputs):
            return float("nan")
        error = self.output(inputs) - targets
        return float(np.add.accumulate(0.5 * error * error)[-1] / len(inputs))

    def weights(self) -> list[dict[str, list]]:
        """The layers above the input, ``{"W": [[...]], "b": [...]}`` with ``W[j][i]`` the
        weight from node i of the layer below to node j."""
        return [{"W": W.tolist(), "b": b.tolist()} for W, b in zip(self.W, self.b, strict=True)]

    @property
    def dead_links(self) -> int:
        return int(sum((~alive).sum() for alive in self.alive))
