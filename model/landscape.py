"""The loss landscape: the training loss on a plane of weight space around the weights.

A slice is L(centre + a d1 + b d2) over a grid of (a, b) in [-span, span]^2 (Li et al.,
"Visualizing the Loss Landscape of Neural Nets", NeurIPS 2018). The plane is either the
first two principal directions of the path training took (section 7 there), or two random
directions, filter-normalised (section 4). ``line_losses`` is the 1-D view of Goodfellow et
al. (2015): the loss on the straight line from the initial weights to the current ones.

The loss is the one the history records (model/evaluation.py): cross-entropy, the mean
squared error for regression, the perceptron's criterion; the weight penalties only when
asked for. The model is never changed: the grid is computed by model/landscape_batch.py
from the flat parameters alone, and the centre by the model itself, so that it is exactly
the training loss the Trainer reports.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from model.datasets import Dataset
from model.evaluation import evaluate_model
from model.landscape_batch import BatchLoss
from model.mlp import MLP
from model.perceptron import Perceptron

DEFAULT_RESOLUTION = 41
MIN_RESOLUTION = 3
MAX_RESOLUTION = 101
Model = MLP | Perceptron


def flat_parameters(model: Model) -> np.ndarray:
    """A copy of every parameter: each Linear's weight (row-major) then bias, first layer
    first; the perceptron's [bias, w1, w2]. The optimizer's own flat order."""
    return model.parameter_pairs()[0][0].copy()


@contextlib.contextmanager
def with_parameters(model: Model, flat: np.ndarray) -> Iterator[Model]:
    """The model with ``flat`` as its parameters for the block; afterwards exactly the ones
    it had (bit for bit), also when the block raises."""
    storage = model.parameter_pairs()[0][0]
    if np.shape(flat) != storage.shape:
        raise ValueError(f"the parameters must have shape {storage.shape}, got {np.shape(flat)}")
    saved = storage.copy()
    storage[...] = flat
    try:
        yield model
    finally:
        storage[...] = saved


def training_loss(
    model: Model, dataset: Dataset, flat: np.ndarray, penalty: bool = False, test: bool = False
) -> float:
    """The loss at the parameters ``flat``, as the Trainer's history records it (the training
    set's unless ``test``); ``penalty`` adds an MLP's L1/L2 terms."""
    X, y = (dataset.X_test, dataset.y_test) if test else (dataset.X_train, dataset.y_train)
    with with_parameters(model, flat):
        loss = evaluate_model(model, X, y)[0]
        if penalty and isinstance(model, MLP):
            loss += model.penalty()
    return loss


@dataclass(frozen=True)
class Plane:
    """Directions d1, d2 (n,) through ``origin`` (the weights the plane was made around).

    ``explained``: the fraction of the path's variance the plane captures (PCA; None for
    random directions); ``path``: the snapshots' (a, b) on the plane (PCA; else None)."""

    d1: np.ndarray
    d2: np.ndarray
    explained: float | None = None
    origin: np.ndarray | None = None
    path: np.ndarray | None = None

    def project(self, points: np.ndarray) -> np.ndarray:
        """The (a, b) of each row of ``points`` (k, n) relative to ``origin``: the least-squares
        coordinates, so also right for random directions, which are not orthogonal."""
        points = np.atleast_2d(np.asarray(points, dtype=np.float64))
        relative = points - self.origin if self.origin is not None else points
        basis = np.stack([self.d1, self.d2])
        gram = basis @ basis.T
        return np.linalg.lstsq(gram, basis @ relative.T, rcond=None)[0].T

    def point(self, a: float, b: float) -> np.ndarray:
        """The weights at (a, b): origin + a d1 + b d2."""
        origin = self.origin if self.origin is not None else 0.0
        return origin + a * self.d1 + b * self.d2


def _orthogonal_to(d1: np.ndarray) -> np.ndarray:
    """A unit vector orthogonal to the unit vector ``d1`` (the axis it leans on least)."""
    d2 = np.zeros_like(d1)
    d2[int(np.argmin(np.abs(d1)))] = 1.0
    d2 -= (d2 @ d1) * d1
    return d2 / np.linalg.norm(d2)


def pca_plane(snapshots: np.ndarray, centre: np.ndarray) -> Plane:
    """The plane through ``centre`` spanned by the first two principal directions of the
    path (snapshots (k, n) - centre, mean removed as in Li et al.'s code).

    A path with fewer than two directions (fewer than 3 snapshots, a straight line, a
    single point) gets its one direction (or the first axis) and one orthogonal to it;
    ``explained`` is then 1 when the plane holds all of the path's variance."""
    centre = np.asarray(centre, dtype=np.float64)
    n = centre.size
    relative = np.asarray(snapshots, dtype=np.float64).reshape(-1, n) - centre
    spread = relative - relative.mean(axis=0) if len(relative) else relative
    # The rows' span from their small Gram matrix: directions are combinations of the rows.
    values, vectors = np.linalg.eigh(spread @ spread.T) if len(spread) else ([], None)
    total = float(np.sum(np.clip(values, 0.0, None)))
    directions = []
    for i in np.argsort(values)[::-1][:2] if total > 0 else []:
        if values[i] > 1e-12 * total:
            directions.append(spread.T @ vectors[:, i])
    if not directions:  # no variance: the way from the centre to the path, or an axis
        far = relative[np.argmax(np.linalg.norm(relative, axis=1))] if len(relative) else None
        fallback = far if far is not None and np.any(far) else np.eye(n)[0]
        directions.append(fallback)
    d1 = directions[0] / np.linalg.norm(directions[0])
    if len(directions) > 1 and n > 1:
        d2 = directions[1] - (directions[1] @ d1) * d1
        d2 /= np.linalg.norm(d2)
    else:
        d2 = _orthogonal_to(d1) if n > 1 else np.zeros(n)
    captured = float((d1 @ spread.T) @ (spread @ d1) + (d2 @ spread.T) @ (spread @ d2))
    explained = min(1.0, captured / total) if total > 0 else 1.0
    plane = Plane(d1, d2, explained, centre.copy())
    return Plane(d1, d2, explained, centre.copy(), plane.project(relative + centre))


def _filters(model: Model) -> list[np.ndarray]:
    """Index arrays into the flat parameters: each neuron's incoming weights with its bias
    (the perceptron: its one neuron, all of its weights)."""
    if isinstance(model, Perceptron):
        return [np.arange(model.weights.size)]
    filters, offset = [], 0
    for linear in model.linears:
        n_in, n_out = linear.in_features, linear.out_features
        weights = offset + np.arange(n_in * n_out).reshape(n_in, n_out)
        biases = offset + n_in * n_out + np.arange(n_out)
        filters += [np.append(weights[:, j], biases[j]) for j in range(n_out)]
        offset += n_in * n_out + n_out
    return filters


def filter_normalised(direction: np.ndarray, weights: np.ndarray, model: Model) -> np.ndarray:
    """``direction`` with each neuron's part (incoming weights and bias) scaled to the norm
    of the weights' part (a neuron whose weights are all zero: to norm 1)."""
    out = np.array(direction, dtype=np.float64)
    for index in _filters(model):
        norm = np.linalg.norm(out[index])
        target = np.linalg.norm(weights[index]) or 1.0
        if norm > 0:
            out[index] *= target / norm
    return out


def random_plane(model: Model, rng: np.random.Generator) -> Plane:
    """Two Gaussian directions, filter-normalised to the model's current weights (Li et al.
    section 4); the same ``rng`` seed gives the same directions."""
    weights = flat_parameters(model)
    d1, d2 = (filter_normalised(rng.standard_normal(weights.size), weights, model) for _ in "12")
    return Plane(d1, d2, None, weights)


def grid_axis(span: float, resolution: int) -> np.ndarray:
    """``resolution`` (odd) values from -span to span, symmetric, the middle one exactly 0."""
    half = resolution // 2
    return span * (np.arange(resolution) - half) / half


def check_resolution(resolution: int) -> int:
    """An odd resolution from 3 to 101 (an even one rounded up); ValueError otherwise."""
    resolution = int(resolution)
    if not MIN_RESOLUTION <= resolution <= MAX_RESOLUTION:
        raise ValueError(
            f"the resolution must be from {MIN_RESOLUTION} to {MAX_RESOLUTION}, got {resolution}"
        )
    return resolution | 1


class SliceEvaluator:
    """L(centre + a d1 + b d2) over a resolution x resolution grid of (a, b) in [-span, span]^2,
    computed a batch at a time by ``advance``, so that it fits between slices of training.

    ``loss[i, j]`` is at (``a[j]``, ``b[i]``), NaN until computed; the middle (a = b = 0) is
    the model's own evaluation at ``centre``, exactly the training loss the Trainer reports.
    """

    def __init__(
        self,
        model: Model,
        dataset: Dataset,
        centre: np.ndarray,
        plane: Plane,
        span: float = 1.0,
        resolution: int = DEFAULT_RESOLUTION,
        penalty: bool = False,
    ) -> None:
        if not (np.isfinite(span) and span > 0):
            raise ValueError(f"the span must be a positive number, got {span!r}")
        resolution = check_resolution(resolution)
        self.model, self.dataset, self.penalty = model, dataset, penalty
        self.centre = np.array(centre, dtype=np.float64)
        self.plane = plane
        self.a = grid_axis(float(span), resolution)
        self.b = self.a.copy()
        self.loss = np.full((resolution, resolution), np.nan)
        self._basis = np.stack([self.centre, plane.d1, plane.d2])  # weights = [1, a, b] @ basis
        bb, aa = np.meshgrid(self.b, self.a, indexing="ij")
        self._coefficients = np.column_stack([np.ones(aa.size), aa.ravel(), bb.ravel()])
        self._batch = BatchLoss(model, dataset.X_train, dataset.y_train, penalty)
        self._thetas = np.empty((self._batch.batch, self.centre.size))
        self._next = 0
        self._middle = (resolution // 2) * resolution + resolution // 2

    @property
    def done(self) -> bool:
        return self._next >= self.loss.size

    @property
    def progress(self) -> float:
        """The fraction of the grid computed so far."""
        return self._next / self.loss.size

    def advance(self, seconds: float, should_stop: Callable[[], bool] | None = None) -> bool:
        """Compute grid points for about ``seconds`` (at least one batch; less if
        ``should_stop`` says so); True once the whole grid is done."""
        started = time.perf_counter()
        flat = self.loss.reshape(-1)
        while not self.done:
            if should_stop is not None and should_stop():
                break
            start = self._next
            stop = min(flat.size, start + self._batch.batch)
            thetas = np.matmul(
                self._coefficients[start:stop], self._basis, out=self._thetas[: stop - start]
            )
            flat[start:stop] = self._batch.losses(thetas)
            if start <= self._middle < stop:
                flat[self._middle] = training_loss(
                    self.model, self.dataset, self.centre, self.penalty
                )
            self._next = stop
            if time.perf_counter() - started >= seconds:
                break
        return self.done

    def compute(self) -> np.ndarray:
        """The whole grid at once (``loss``)."""
        self.advance(float("inf"))
        return self.loss


def line_losses(
    model: Model,
    dataset: Dataset,
    start_flat: np.ndarray,
    end_flat: np.ndarray,
    test: bool = False,
    points: int = 51,
    penalty: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """(t, loss) on the straight line (1 - t) start + t end, t from 0 to 1 (Goodfellow et
    al. 2015): whether training took a direct road. The ends are the model's own
    evaluations at ``start_flat`` and ``end_flat``."""
    if points < 2:
        raise ValueError(f"a line needs at least 2 points, got {points}")
    X, y = (dataset.X_test, dataset.y_test) if test else (dataset.X_train, dataset.y_train)
    t = np.linspace(0.0, 1.0, points)
    start, end = np.asarray(start_flat, np.float64), np.asarray(end_flat, np.float64)
    thetas = np.outer(1.0 - t, start) + np.outer(t, end)
    losses = BatchLoss(model, X, y, penalty).losses(thetas)
    if len(y):
        losses[0] = training_loss(model, dataset, start, penalty, test)
        losses[-1] = training_loss(model, dataset, end, penalty, test)
    return t, losses
