"""The training loss at many weight vectors at once, without touching the model.

A slice of the loss landscape asks for thousands of losses of one network on one data set.
One at a time, each is a dozen small NumPy calls; here a batch of weight vectors becomes
stacked weight matrices (m, in, out) and every layer one batched ``matmul`` into buffers
kept between batches, so nothing is allocated per point. Tiles of points x rows stay within
TILE_ELEMENTS numbers per layer, so a tile takes a few milliseconds whatever the size of
the network or the data. The arithmetic is that of model/evaluation.py (the same clip of
the probabilities, the same mean), so the numbers agree with it up to rounding.
"""

from __future__ import annotations

import numpy as np

from model.activations import ACTIVATIONS
from model.mlp import MLP
from model.modules import LOG_CLIP
from model.perceptron import Perceptron

# Numbers per layer in one tile of points x rows: the buffers stay in the processor's cache.
TILE_ELEMENTS = 2**16
MAX_BATCH = 64  # weight vectors per tile


class BatchLoss:
    """``losses(thetas)``: the mean loss of ``model``'s architecture on (X, y) for every row
    of ``thetas`` (flat parameter vectors in ``flat_parameters`` order); ``penalty`` adds the
    MLP's weight penalties, as the optimizer sees them."""

    def __init__(
        self, model: MLP | Perceptron, X: np.ndarray, y: np.ndarray, penalty: bool = False
    ) -> None:
        self.perceptron = isinstance(model, Perceptron)
        self.n = len(y)
        if self.perceptron:
            self.X = np.ascontiguousarray(X.T)  # (2, n): scores are thetas @ X~
            self.y = np.where(y == 1, 1.0, -1.0)
            widths = [2, 1]
        else:
            inputs = model.inputs(X)  # with a column of ones: the first bias is in the matmul
            self.X = np.hstack([inputs, np.ones((len(inputs), 1))])
            self.regression = model.is_regression
            self.y = np.asarray(y, dtype=np.float64 if self.regression else np.int64)
            widths = model.widths
            self.activate = ACTIVATIONS[model.activation]
            self.l1 = model.l1 if penalty else 0.0
            self.l2 = model.l2 if penalty else 0.0
        self.layers = _layout(widths) if not self.perceptron else []
        widest = max(widths[1:])
        per_point = max(1, self.n) * widest
        self.batch = int(min(MAX_BATCH, max(1, TILE_ELEMENTS // per_point)))
        self.rows = max(1, self.n) if self.batch > 1 else max(1, TILE_ELEMENTS // widest)
        self.rows = min(self.rows, max(1, self.n))
        shape = (self.batch, self.rows)
        self._buffers = [np.empty((*shape, out)) for _, _, _, out in self.layers]
        self._scores = np.empty(shape)  # the perceptron's scores; a classifier's row maxima
        self._ones = np.ones(widths[-1])
        self._sums = np.empty(self.batch)

    def losses(self, thetas: np.ndarray) -> np.ndarray:
        """One loss per row of ``thetas`` (shape (m, n_parameters)), in tiles."""
        thetas = np.atleast_2d(thetas)
        out = np.empty(len(thetas))
        if self.n == 0:
            out[:] = np.nan
            return out
        with np.errstate(all="ignore"):
            for start in range(0, len(thetas), self.batch):
                block = thetas[start : start + self.batch]
                out[start : start + len(block)] = self._block(block)
        return out

    def _block(self, thetas: np.ndarray) -> np.ndarray:
        m = len(thetas)
        sums = self._sums[:m]
        sums[:] = 0.0
        for first in range(0, self.n, self.rows):
            rows = slice(first, min(self.n, first + self.rows))
            sums += self._tile(thetas, rows)
        total = sums / self.n
        if not self.perceptron and (self.l1 or self.l2):
            total += self._penalties(thetas)
        return total

    def _tile(self, thetas: np.ndarray, rows: slice) -> np.ndarray:
        """The summed loss over ``rows`` for each weight vector: shape (m,)."""
        m, r = len(thetas), rows.stop - rows.start
        if self.perceptron:
            s = np.matmul(thetas[:, 1:], self.X[:, rows], out=self._scores[:m, :r])
            s += thetas[:, :1]
            s *= -self.y[rows]
            np.maximum(s, 0.0, out=s)
            return s.sum(axis=1)
        h = self.X[rows]
        last = len(self.layers) - 1
        for i, (w_at, b_at, n_in, n_out) in enumerate(self.layers):
            # The bias follows the weight in the flat order: (in + 1, out) for the first layer.
            rows_in = n_in + 1 if i == 0 else n_in
            weight = thetas[:, w_at : w_at + rows_in * n_out].reshape(m, rows_in, n_out)
            h = np.matmul(h, weight, out=self._buffers[i][:m, :r])
            if i > 0:
                h += thetas[:, None, b_at : b_at + n_out]
            if i < last:
                self.activate(h, out=h)
        y = self.y[rows]
        if self.regression:
            residual = h[:, :, 0]
            residual -= y
            return np.einsum("mr,mr->m", residual, residual)
        # Softmax as model/fused.py's ``softmax_rows`` computes it: a loop over the few
        # class columns is several times faster than max and sum along the last axis.
        row_max = self._scores[:m, :r]
        row_max[...] = h[:, :, 0]
        for j in range(1, h.shape[2]):
            np.maximum(row_max, h[:, :, j], out=row_max)
        h -= row_max[:, :, None]
        np.exp(h, out=h)
        picked = np.take_along_axis(h, np.broadcast_to(y[None, :, None], (m, r, 1)), axis=2)
        picked = picked[:, :, 0] / (h @ self._ones)
        np.maximum(picked, LOG_CLIP, out=picked)
        np.log(picked, out=picked)
        return -picked.sum(axis=1)

    def _penalties(self, thetas: np.ndarray) -> np.ndarray:
        total = np.zeros(len(thetas))
        for w_at, _, n_in, n_out in self.layers:
            weight = thetas[:, w_at : w_at + n_in * n_out]
            if self.l2:
                total += 0.5 * self.l2 * np.einsum("mk,mk->m", weight, weight)
            if self.l1:
                total += self.l1 * np.abs(weight).sum(axis=1)
        return total


def _layout(widths: list[int]) -> list[tuple[int, int, int, int]]:
    """(weight offset, bias offset, in, out) of every Linear in the MLP's flat parameters."""
    layers, offset = [], 0
    for n_in, n_out in zip(widths[:-1], widths[1:], strict=True):
        layers.append((offset, offset + n_in * n_out, n_in, n_out))
        offset += n_in * n_out + n_out
    return layers
