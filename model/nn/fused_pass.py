"""The MLP's training pass, fused for speed; the numbers of the module-by-module pass.

Each Linear's weight and bias lie one after the other in the MLP's flat parameter array,
so together they form one ``(in + 1, out)`` block ``[W; b]``. Each layer's input is kept in
a buffer with a trailing column of ones, so ``x @ W + b`` is one matrix product, and so are
``dW`` and ``db`` together. Row maxima and sums over the few class columns are written as
a column loop and a matrix-vector product, which beat ``max``/``sum`` along axis 1 on tall,
narrow arrays. The activations and their derivatives are model/nn/activations.py's. A regression
network ends in one identity output unit under the mean squared error instead.
``tests/model/test_gradients.py`` checks it against central differences, and
``tests/model/test_passes.py`` against the modules (model/nn/modules.py), which stay the readable
reference.

The Trainer runs this pass for every shape: it is the faster one everywhere it was measured,
and the only one that can be stopped within a layer, which large batches need
(``CHECKED_SIZE``). ``bench/step_speed.py --passes-only`` times a Trainer-like update (moons,
800 training points, ReLU, SGD) through both, best of 15 interleaved samples, six runs on the
project's 2-core machine:

| network     | batch | modules / fused |
|-------------|-------|-----------------|
| 2-20-2      | 1     | 1.43-1.49       |
| 2-20-2      | 32    | 1.22-1.28       |
| 2-20-2      | 800   | 2.15-2.41       |
| 2-64-64-2   | 1     | 1.30-1.36       |
| 2-64-64-2   | 32    | 1.18-1.20       |
| 2-64-64-2   | 800   | 1.28-1.35       |
| 2-128x3-2   | 1     | 1.17-1.31       |
| 2-128x3-2   | 32    | 1.06-1.18       |
| 2-128x3-2   | 800   | 1.11-1.21       |
| 2-256-256-2 | 1     | 1.17-1.33       |
| 2-256-256-2 | 32    | 1.15-1.27       |
| 2-256-256-2 | 800   | 1.32-1.50       |

The gain is largest on narrow networks, where Python's per-call cost counts (the module pass
makes a dozen new arrays and a one-hot matrix each update), and smallest at widths of 128 and
256, where the matrix products, the same in both passes, take most of the time (8 x 256 at full
batch on 4,000 points: 1.03).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from model.nn.activations import ACTIVATIONS
from model.nn.modules import cross_entropy_from_logits

# Batches at least this large (rows x widest layer) check ``should_stop`` between layers: an
# update of 8 x 256 on 100,000 points takes seconds; a small one is not slowed by the checks.
CHECKED_SIZE = 1_000_000


class PassInterrupted(Exception):
    """``should_stop`` said so between two layers: the gradients are incomplete, and no
    weight has changed (the optimizer has not run)."""


class FusedPass:
    """Forward, loss and backward on a batch for one MLP, with buffers kept per batch size.

    ``regression``: the output is the last layer's one value (no softmax) and the loss the
    mean squared error against real targets.
    """

    def __init__(
        self,
        widths: list[int],
        activation: str,
        blocks: list[np.ndarray],
        grad_blocks: list[np.ndarray],
        regression: bool = False,
    ) -> None:
        self.widths = widths
        self.regression = regression
        self.activate = ACTIVATIONS[activation].function
        self.derivative = ACTIVATIONS[activation].derivative
        self.blocks = blocks
        self.grad_blocks = grad_blocks
        self._slopes: list[np.ndarray | None] = [None] * (len(widths) - 2)
        self._n = -1

    def _prepare(self, n: int, should_stop: Callable[[], bool]) -> None:
        """Buffers for batches of ``n`` rows (a second or more for 100,000 rows and 8 x 256:
        ``should_stop`` is asked between them)."""
        self._n = -1  # until every buffer is made
        self._inputs = []
        for width in self.widths[:-1]:
            if should_stop():
                raise PassInterrupted
            buffer = np.empty((n, width + 1))
            buffer[:, width] = 1.0
            self._inputs.append(buffer)
        self._rows = np.arange(n)
        self._x = self._labels = self._targets = None
        self._n = n

    def run(
        self,
        x: np.ndarray,
        labels: np.ndarray,
        need_loss: bool = True,
        should_stop: Callable[[], bool] | None = None,
    ) -> float:
        """Fill the gradient blocks for the mean cross-entropy of the batch (for regression,
        the mean squared error; ``labels`` are then the real targets).

        Returns that loss (the cross-entropy from the logits, ``cross_entropy_from_logits``),
        or NaN when ``need_loss`` is false (it is then not computed).
        A read-only batch seen again (full batch: the same training set every update) is not
        copied again, and its one-hot targets are kept.
        """
        n = labels.shape[0]
        if should_stop is None or n * max(self.widths) < CHECKED_SIZE:
            should_stop, product, gradient = _never, np.matmul, _gradient_whole
        else:  # in slices of rows, asking between them
            product = _checked_rows(should_stop)
            gradient = _checked_gradient(should_stop)
        if n != self._n:
            self._prepare(n, should_stop)
        inputs, blocks, widths = self._inputs, self.blocks, self.widths
        last = len(blocks) - 1
        if x is not self._x or x.flags.writeable:
            inputs[0][:, : widths[0]] = x
            self._x = None if x.flags.writeable else x
        for i, block in enumerate(blocks):
            if should_stop():
                raise PassInterrupted
            z = product(inputs[i], block)
            if i < last:
                # The derivative from the contiguous output, before it is copied beside the
                # column of ones: cheaper than from the strided copy.
                self.activate(z, out=z)
                self._slopes[i] = self.derivative(z)
                inputs[i + 1][:, : widths[i + 1]] = z
        if self.regression:
            dz = self._squared_error_gradient(z, labels, need_loss)
            loss = self._loss
        else:
            # From the logits, before the softmax overwrites them: never a clipped probability.
            loss = cross_entropy_from_logits(z, labels) if need_loss else math.nan
            if n == 1:  # one sample: scalar arithmetic beats array reductions several times over
                dz = self._single_sample_gradient(z, int(labels[0]))
            else:
                softmax_rows(z)
                dz = self._loss_gradient(z, labels)
        for i in range(last, -1, -1):
            if should_stop():
                raise PassInterrupted
            gradient(inputs[i], dz, self.grad_blocks[i])
            if i == 0:
                break
            dz = product(dz, blocks[i][:-1].T)
            dz *= self._slopes[i - 1]
        return loss

    def _squared_error_gradient(
        self, z: np.ndarray, targets: np.ndarray, need_loss: bool
    ) -> np.ndarray:
        """``2 (z - t) / n`` in place of the predictions ``z`` (one column); the mean squared
        error is left in ``self._loss``."""
        n = targets.shape[0]
        residual = z[:, 0]  # a view: written in place
        residual -= targets
        self._loss = float(residual @ residual) / n if need_loss else math.nan
        residual *= 2.0 / n
        return z

    def _single_sample_gradient(self, z: np.ndarray, label: int) -> np.ndarray:
        """Softmax and ``p - onehot`` for a batch of one (``z`` has one row)."""
        z -= z.max()
        np.exp(z, out=z)
        z *= 1.0 / z.sum()
        z[0, label] -= 1.0
        return z

    def _loss_gradient(self, p: np.ndarray, labels: np.ndarray) -> np.ndarray:
        """``(p - onehot) / n`` in place of the probabilities ``p``."""
        n = labels.shape[0]
        if n > 1 and not labels.flags.writeable:
            if labels is not self._labels:
                self._targets = np.zeros_like(p)
                self._targets[self._rows, labels] = 1.0
                self._labels = labels
            p -= self._targets
            p *= 1.0 / n
            return p
        picked = p[self._rows, labels]
        p[self._rows, labels] = picked - 1.0
        p *= 1.0 / n
        return p


def softmax_rows(z: np.ndarray) -> np.ndarray:
    """Softmax of every row of ``z``, in place, shifted by the row maximum (returns ``z``).

    The same numbers as ``SoftMax.forward``; the row maxima and sums over the few class
    columns are a column loop and a matrix-vector product, several times faster than
    ``max``/``sum`` along axis 1 on tall, narrow arrays.
    """
    row_max = z[:, 0].copy()
    for j in range(1, z.shape[1]):
        np.maximum(row_max, z[:, j], out=row_max)
    z -= row_max[:, None]
    np.exp(z, out=z)
    z /= (z @ np.ones(z.shape[1]))[:, None]
    return z


def _never() -> bool:
    return False


CHECKED_ROWS = 8192  # rows per slice of a checked product: about 0.1 s at 256 x 256


def _gradient_whole(inputs: np.ndarray, dz: np.ndarray, out: np.ndarray) -> None:
    np.matmul(inputs.T, dz, out=out)


def _checked_rows(should_stop: Callable[[], bool]) -> Callable:
    """``a @ b`` computed in slices of ``a``'s rows, asking ``should_stop`` between them
    (each row of the product depends on its row of ``a`` alone: the same numbers)."""

    def product(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        out = np.empty((a.shape[0], b.shape[1]))
        for start in range(0, a.shape[0], CHECKED_ROWS):
            if should_stop():
                raise PassInterrupted
            np.matmul(a[start : start + CHECKED_ROWS], b, out=out[start : start + CHECKED_ROWS])
        return out

    return product


def _checked_gradient(should_stop: Callable[[], bool]) -> Callable:
    """``inputs.T @ dz`` summed over slices of rows, asking ``should_stop`` between them."""

    def gradient(inputs: np.ndarray, dz: np.ndarray, out: np.ndarray) -> None:
        out[...] = 0.0
        for start in range(0, inputs.shape[0], CHECKED_ROWS):
            if should_stop():
                raise PassInterrupted
            rows = slice(start, start + CHECKED_ROWS)
            out += inputs[rows].T @ dz[rows]

    return gradient
