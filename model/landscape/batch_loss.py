"""The training loss at many weight vectors at once, without touching the model.

A slice of the loss landscape asks for thousands of losses of one network on one data set.
One at a time, each is a dozen small NumPy calls; here a batch of weight vectors becomes
stacked weight matrices (m, in, out) and every layer one batched ``matmul`` into buffers
kept between batches, so nothing is allocated per point. Tiles of points x rows stay within
TILE_ELEMENTS numbers per layer and TILE_PRODUCTS multiply-adds, so a tile takes a few
milliseconds whatever the size of the network or the data; ``LossEvaluation`` computes
many losses a tile at a time, to fit between slices of training. The arithmetic is that of
model/training/evaluation.py (the cross-entropy from the logits, ``cross_entropy_terms``, the same
mean), so the numbers agree with it up to rounding.

The loss is the model's own unless a ``loss`` kind says otherwise: TensorFlow Playground's
(model/playground/) is the mean of half the squared error of one output node, tanh against the
labels -1 and 1 for a classifier (``HALF_SQUARED_TANH``), the node itself against the targets
for regression (``HALF_SQUARED``). Its network is then given as this app's regression MLP of
the same layers (one linear output unit), so that its parameters, and nothing else, are moved.
"""

from __future__ import annotations

import time

import numpy as np

from model.nn.activations import ACTIVATIONS
from model.nn.mlp import MLP
from model.nn.modules import cross_entropy_terms
from model.nn.perceptron import Perceptron

# Numbers per layer in one tile of points x rows: the buffers stay in the processor's cache.
TILE_ELEMENTS = 2**16
TILE_PRODUCTS = 2**23  # multiply-adds in one tile: about 2 to 5 ms
MAX_BATCH = 64  # weight vectors per tile

MODEL_LOSS = "model"  # the model's own: the loss its Trainer's history records
HALF_SQUARED_TANH = "half_squared_tanh"  # Playground's classifier: tanh(output), labels -1, 1
HALF_SQUARED = "half_squared"  # Playground's regression: the output, the targets
LOSS_KINDS = (MODEL_LOSS, HALF_SQUARED_TANH, HALF_SQUARED)


class BatchLoss:
    """``losses(thetas)``: the mean loss of ``model``'s architecture on (X, y) for every row
    of ``thetas`` (flat parameter vectors in ``flat_parameters`` order); ``penalty`` adds the
    MLP's weight penalties, as the optimizer sees them. ``loss``: one of LOSS_KINDS (a
    half-squared kind needs an MLP with one output unit; classes 1 are its label 1, others -1)."""

    def __init__(
        self,
        model: MLP | Perceptron,
        X: np.ndarray,
        y: np.ndarray,
        penalty: bool = False,
        loss: str = MODEL_LOSS,
    ) -> None:
        self.half_squared = check_loss_kind(model, loss) != MODEL_LOSS
        self.tanh_output = loss == HALF_SQUARED_TANH
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
            if self.tanh_output:
                self.y = np.where(self.y == 1, 1.0, -1.0)
            widths = model.widths
            self.activate = ACTIVATIONS[model.activation]
            self.l1 = model.l1 if penalty else 0.0
            self.l2 = model.l2 if penalty else 0.0
        self.layers = _layout(widths) if not self.perceptron else []
        widest = max(widths[1:])
        products = sum(n_in * n_out for n_in, n_out in zip(widths[:-1], widths[1:], strict=True))
        rows = max(1, self.n)
        fits = min(TILE_ELEMENTS // (rows * widest), TILE_PRODUCTS // (rows * products))
        self.batch = int(min(MAX_BATCH, max(1, fits)))
        if self.batch > 1:
            self.rows = rows
        else:
            fitting = min(TILE_ELEMENTS // widest, TILE_PRODUCTS // products)
            self.rows = min(rows, max(1, fitting))
        shape = (self.batch, self.rows)
        self._buffers = [np.empty((*shape, out)) for _, _, _, out in self.layers]
        self._scores = np.empty(shape)  # the perceptron's scores
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
        sums = self._sums[: len(thetas)]
        sums[:] = 0.0
        first = 0
        while first < self.n:
            first = self.add_tile(thetas, first, sums)
        return self.means(thetas, sums)

    def add_tile(self, thetas: np.ndarray, first: int, sums: np.ndarray) -> int:
        """Add the summed loss over the next tile of rows from ``first`` to ``sums`` (one per
        row of ``thetas``, at most ``batch`` of them); returns the row to go on from."""
        rows = slice(first, min(self.n, first + self.rows))
        with np.errstate(all="ignore"):
            sums += self._tile(thetas, rows)
        return rows.stop

    def means(self, thetas: np.ndarray, sums: np.ndarray) -> np.ndarray:
        """The losses from the sums over all rows: the mean, plus the penalties if asked."""
        if self.n == 0:
            return np.full(len(thetas), np.nan)
        total = sums / self.n
        if not self.perceptron and (self.l1 or self.l2):
            with np.errstate(all="ignore"):
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
        if self.half_squared:  # Playground's: its one output node (tanh or not), half the error
            error = h[:, :, 0]
            if self.tanh_output:
                np.tanh(error, out=error)
            error -= y
            return 0.5 * np.einsum("mr,mr->m", error, error)
        if self.regression:
            residual = h[:, :, 0]
            residual -= y
            return np.einsum("mr,mr->m", residual, residual)
        # The cross-entropy from the logits, in the tile's buffer: no probability is clipped.
        return cross_entropy_terms(h, y, overwrite=True).sum(axis=1)

    def _penalties(self, thetas: np.ndarray) -> np.ndarray:
        total = np.zeros(len(thetas))
        for w_at, _, n_in, n_out in self.layers:
            weight = thetas[:, w_at : w_at + n_in * n_out]
            if self.l2:
                total += 0.5 * self.l2 * np.einsum("mk,mk->m", weight, weight)
            if self.l1:
                total += self.l1 * np.abs(weight).sum(axis=1)
        return total


class LossEvaluation:
    """The losses at the weights ``coefficients @ basis`` (one row each), computed a tile at
    a time by ``advance``, so that it can stop after any tile and go on later."""

    def __init__(
        self,
        model: MLP | Perceptron,
        X: np.ndarray,
        y: np.ndarray,
        coefficients: np.ndarray,
        basis: np.ndarray,
        penalty: bool = False,
        loss: str = MODEL_LOSS,
    ) -> None:
        self.coefficients = np.asarray(coefficients, dtype=np.float64)
        self.basis = np.asarray(basis, dtype=np.float64)
        self.values = np.full(len(self.coefficients), np.nan)
        self._batch = BatchLoss(model, X, y, penalty, loss)
        self._thetas = np.empty((self._batch.batch, self.basis.shape[1]))
        self._sums = np.zeros(self._batch.batch)
        self._next = 0  # the first weight vector not finished
        self._row = 0  # the next row of data for the vectors being computed

    @property
    def done(self) -> bool:
        return self._next >= len(self.values)

    @property
    def finished(self) -> int:
        """How many of the losses (the first ones) are computed."""
        return self._next

    @property
    def progress(self) -> float:
        return self._next / len(self.values) if len(self.values) else 1.0

    def advance(self, seconds: float, should_stop=None) -> bool:
        """Tiles for about ``seconds`` (at least one, unless ``should_stop`` says so); True
        once every loss is computed."""
        started = time.perf_counter()
        while not self.done:
            if should_stop is not None and should_stop():
                break
            start = self._next
            stop = min(len(self.values), start + self._batch.batch)
            thetas, sums = self._thetas[: stop - start], self._sums[: stop - start]
            if self._row == 0:
                np.matmul(self.coefficients[start:stop], self.basis, out=thetas)
                sums[:] = 0.0
            self._row = self._batch.add_tile(thetas, self._row, sums)
            if self._row >= self._batch.n:
                self.values[start:stop] = self._batch.means(thetas, sums)
                self._next, self._row = stop, 0
            if time.perf_counter() - started >= seconds:
                break
        return self.done


def check_loss_kind(model: MLP | Perceptron, loss: str) -> str:
    """``loss`` if ``model`` can have it (ValueError otherwise): a half-squared kind is of a
    network with one output unit."""
    if loss not in LOSS_KINDS:
        raise ValueError(f"the loss must be one of {', '.join(LOSS_KINDS)}, got {loss!r}")
    if loss != MODEL_LOSS and not (isinstance(model, MLP) and model.widths[-1] == 1):
        raise ValueError(f"the loss {loss} is of a network with one output unit")
    return loss


def _layout(widths: list[int]) -> list[tuple[int, int, int, int]]:
    """(weight offset, bias offset, in, out) of every Linear in the MLP's flat parameters."""
    layers, offset = [], 0
    for n_in, n_out in zip(widths[:-1], widths[1:], strict=True):
        layers.append((offset, offset + n_in * n_out, n_in, n_out))
        offset += n_in * n_out + n_out
    return layers
