"""The loss landscape: the training loss on a plane of weight space around the weights.

A slice is L(centre + a d1 + b d2) over a grid of (a, b) in [-span, span]^2 (Li et al.,
"Visualizing the Loss Landscape of Neural Nets", NeurIPS 2018). The plane is either the
first two principal directions of the path training took (section 7 there), or two random
directions, filter-normalised (section 4). ``line_losses`` is the 1-D view of Goodfellow et
al. (2015): the loss on the straight line from the initial weights to the current ones.

The loss is the one the history records (model/training/evaluation.py): cross-entropy, the mean
squared error for regression, the perceptron's criterion; the weight penalties only when
asked for. The model is never changed: the grid is computed by model/landscape/batch_loss.py
from the flat parameters alone, and the centre by the model itself, so that it is exactly
the training loss the Trainer reports. A ``loss`` kind of batch_loss.py instead (TensorFlow
Playground's half squared error) is computed by batch_loss.py everywhere, the centre too
(unless its figure is given).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from model.data.datasets import Dataset
from model.landscape import order as landscape_order
from model.landscape.batch_loss import MODEL_LOSS, BatchLoss, LossEvaluation
from model.landscape.order import coarse_to_fine
from model.limits import (
    LANDSCAPE_RESOLUTION_DEFAULT,
    LANDSCAPE_RESOLUTION_RANGE,
    LANDSCAPE_SPAN_DEFAULT,
    LANDSCAPE_SPAN_RANGE,
)
from model.nn.mlp import MLP
from model.nn.perceptron import Perceptron
from model.numbers import parse_number
from model.training.evaluation import evaluate_model

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
    model: Model,
    dataset: Dataset,
    flat: np.ndarray,
    penalty: bool = False,
    test: bool = False,
    loss: str = MODEL_LOSS,
) -> float:
    """The loss at the parameters ``flat``, as the Trainer's history records it (the training
    set's unless ``test``); ``penalty`` adds an MLP's L1/L2 terms. ``loss``: another kind of
    loss (model/landscape/batch_loss.py), such as Playground's."""
    X, y = (dataset.X_test, dataset.y_test) if test else (dataset.X_train, dataset.y_train)
    if loss != MODEL_LOSS:
        return float(BatchLoss(model, X, y, penalty, loss).losses(flat)[0])
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
        basis = np.stack([self.d1, self.d2])
        along = points @ basis.T  # no copy of the points: they may be many and long
        if self.origin is not None:
            along -= basis @ self.origin
        return np.linalg.lstsq(basis @ basis.T, along.T, rcond=None)[0].T

    def point(self, a: float, b: float) -> np.ndarray:
        """The weights at (a, b): origin + a d1 + b d2."""
        origin = self.origin if self.origin is not None else 0.0
        return origin + a * self.d1 + b * self.d2


def path_around(plane: Plane, snapshots: np.ndarray, centre: np.ndarray) -> np.ndarray:
    """The (a, b) of each snapshot relative to ``centre`` on ``plane`` (whichever weights the
    plane was made around); the last, when it is the centre, at exactly (0, 0)."""
    path = plane.project(snapshots) - plane.project(centre)
    if len(path) and np.array_equal(snapshots[-1], centre):
        path[-1] = 0.0
    return path


def _orthogonal_to(d1: np.ndarray) -> np.ndarray:
    """A unit vector orthogonal to the unit vector ``d1`` (the axis it leans on least)."""
    d2 = np.zeros_like(d1)
    d2[int(np.argmin(np.abs(d1)))] = 1.0
    d2 -= (d2 @ d1) * d1
    return d2 / np.linalg.norm(d2)


def pca_plane(snapshots: np.ndarray, centre: np.ndarray, gram: np.ndarray | None = None) -> Plane:
    """The plane through ``centre`` spanned by the first two principal directions of the
    path (snapshots (k, n) - centre, mean removed as in Li et al.'s code).

    ``gram``: the Gram matrix of (snapshots - snapshots[0]) if known
    (model/training/snapshots.py keeps it): the directions then cost a k x k eigenproblem and two
    passes over the snapshots.
    A path with fewer than two directions (fewer than 3 snapshots, a straight line, a
    single point) gets its one direction (or the first axis) and one orthogonal to it;
    ``explained`` is then 1 when the plane holds all of the path's variance."""
    centre = np.asarray(centre, dtype=np.float64)
    n = centre.size
    rows = np.asarray(snapshots, dtype=np.float64).reshape(-1, n)
    if gram is None:
        moved = rows - rows[0] if len(rows) else rows
        gram = moved @ moved.T
    values, vectors = _centred_eigen(np.asarray(gram, dtype=np.float64))
    total = float(np.sum(np.clip(values, 0.0, None)))
    directions, captured = [], 0.0
    for i in np.argsort(values)[::-1][:2] if total > 0 else []:
        if values[i] > 1e-12 * total:
            weights = vectors[:, i] - vectors[:, i].mean()  # the spread's rows, combined
            directions.append(weights @ rows)
            captured += float(values[i])
    if not directions:  # no variance: the way from the centre to the path, or an axis
        relative = rows - centre
        far = relative[np.argmax(np.linalg.norm(relative, axis=1))] if len(relative) else None
        fallback = far if far is not None and np.any(far) else np.eye(n)[0]
        directions.append(fallback)
    d1 = directions[0] / np.linalg.norm(directions[0])
    if len(directions) > 1 and n > 1:
        d2 = directions[1] - (directions[1] @ d1) * d1
        d2 /= np.linalg.norm(d2)
    else:
        d2 = _orthogonal_to(d1) if n > 1 else np.zeros(n)
    explained = min(1.0, captured / total) if total > 0 else 1.0
    plane = Plane(d1, d2, explained, centre.copy())
    return Plane(d1, d2, explained, centre.copy(), plane.project(rows))


def _centred_eigen(gram: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Eigenvalues and eigenvectors of the Gram matrix of the rows with their mean removed."""
    if not len(gram):
        return np.zeros(0), np.zeros((0, 0))
    means = gram.mean(axis=0)
    return np.linalg.eigh(gram - means - means[:, None] + means.mean())


# Li et al.'s net_plotter.py scales a direction d by |w| / (|d| + 1e-10): the same here, so
# that the planes agree with theirs to the last digits, and a neuron whose weights are all zero
# gets the direction 0.
NORM_GUARD = 1e-10


def _neurons(model: Model) -> list[tuple[np.ndarray, np.ndarray]]:
    """Index arrays into the flat parameters, one pair per neuron: its incoming weights and
    its bias (the perceptron: its one neuron, weights [w1, w2], bias [b])."""
    if isinstance(model, Perceptron):
        return [(np.arange(1, model.weights.size), np.array([0]))]
    neurons, offset = [], 0
    for linear in model.linears:
        n_in, n_out = linear.in_features, linear.out_features
        weights = offset + np.arange(n_in * n_out).reshape(n_in, n_out)
        biases = offset + n_in * n_out + np.arange(n_out)
        neurons += [(weights[:, j], biases[j : j + 1]) for j in range(n_out)]
        offset += n_in * n_out + n_out
    return neurons


def _filters(model: Model, include_biases: bool = False) -> list[np.ndarray]:
    """Index arrays into the flat parameters, one per neuron: the part of a direction that is
    scaled as one filter (its incoming weights, and its bias when ``include_biases``)."""
    if include_biases:
        return [np.append(weights, bias) for weights, bias in _neurons(model)]
    return [weights for weights, _ in _neurons(model)]


def filter_normalised(
    direction: np.ndarray, weights: np.ndarray, model: Model, include_biases: bool = False
) -> np.ndarray:
    """``direction`` filter-normalised to ``weights`` as Li et al.'s ``net_plotter.py`` does
    (norm='filter', ignore='biasbn'): each neuron's incoming weights scaled to the norm of that
    neuron's weights (d |w| / (|d| + 1e-10), so a neuron whose weights are all zero gets 0),
    and every bias direction 0, so that the plane moves no bias.

    ``include_biases``: each neuron's bias is part of its filter instead, the group scaled to
    the norm of the neuron's (weights, bias). (The reference, asked not to ignore biases,
    copies the biases themselves into the direction; this keeps them random.)"""
    out = np.array(direction, dtype=np.float64)
    for index in _filters(model, include_biases):
        out[index] *= np.linalg.norm(weights[index]) / (np.linalg.norm(out[index]) + NORM_GUARD)
    if not include_biases:
        for _, bias in _neurons(model):
            out[bias] = 0.0
    return out


def random_plane(model: Model, rng: np.random.Generator, include_biases: bool = False) -> Plane:
    """Two Gaussian directions, filter-normalised to the model's current weights (Li et al.
    section 4; ``filter_normalised``); the same ``rng`` seed gives the same directions."""
    weights = flat_parameters(model)
    d1, d2 = (
        filter_normalised(rng.standard_normal(weights.size), weights, model, include_biases)
        for _ in "12"
    )
    return Plane(d1, d2, None, weights)


def layer_arrays(flat: np.ndarray, model: Model, prefix: str = "") -> dict[str, np.ndarray]:
    """The flat parameters (or a direction) as arrays by layer, named as the exported
    scripts name them: ``W0, b0, W1, b1, ...``, each W of shape (in, out); ``prefix`` goes
    before every name. The perceptron: W0 (2, 1) and b0 (1,)."""
    flat = np.asarray(flat, dtype=np.float64)
    if isinstance(model, Perceptron):
        return {f"{prefix}W0": flat[1:].reshape(-1, 1).copy(), f"{prefix}b0": flat[:1].copy()}
    arrays, offset = {}, 0
    for i, linear in enumerate(model.linears):
        n_in, n_out = linear.in_features, linear.out_features
        arrays[f"{prefix}W{i}"] = flat[offset : offset + n_in * n_out].reshape(n_in, n_out).copy()
        offset += n_in * n_out
        arrays[f"{prefix}b{i}"] = flat[offset : offset + n_out].copy()
        offset += n_out
    return arrays


def plane_arrays(model: Model, centre: np.ndarray, plane: Plane) -> dict[str, np.ndarray]:
    """The centre and both directions by layer: ``W0, b0, ...`` (the centre), ``aW0, ab0,
    ...`` (d1) and ``bW0, bb0, ...`` (d2), so another program can rebuild the slice."""
    return {
        **layer_arrays(centre, model),
        **layer_arrays(plane.d1, model, "a"),
        **layer_arrays(plane.d2, model, "b"),
    }


def grid_axis(span: float, resolution: int) -> np.ndarray:
    """``resolution`` (odd) values from -span to span, symmetric, the middle one exactly 0."""
    half = resolution // 2
    return span * (np.arange(resolution) - half) / half


def check_resolution(resolution: int) -> int:
    """An odd resolution within LANDSCAPE_RESOLUTION_RANGE (an even one rounded up: the grid
    has a middle); ValueError otherwise."""
    return parse_number(resolution, int, "the resolution", *LANDSCAPE_RESOLUTION_RANGE) | 1


class SliceEvaluator:
    """L(centre + a d1 + b d2) over a resolution x resolution grid of (a, b) in [-span, span]^2,
    computed a tile at a time by ``advance``, so that it fits between slices of training.

    ``loss[i, j]`` is at (``a[j]``, ``b[i]``), NaN until computed. The middle (a = b = 0) is
    ``centre_loss`` when given (the Trainer's own figure for these weights), else the model's
    own evaluation at ``centre``: exactly the training loss the Trainer reports. ``loss_kind``:
    the loss of model/landscape/batch_loss.py's LOSS_KINDS to slice (default: the model's).
    """

    def __init__(
        self,
        model: Model,
        dataset: Dataset,
        centre: np.ndarray,
        plane: Plane,
        span: float = LANDSCAPE_SPAN_DEFAULT,
        resolution: int = LANDSCAPE_RESOLUTION_DEFAULT,
        penalty: bool = False,
        centre_loss: float | None = None,
        loss_kind: str = MODEL_LOSS,
    ) -> None:
        span = parse_number(span, float, "the span", *LANDSCAPE_SPAN_RANGE)
        resolution = check_resolution(resolution)
        self.model, self.dataset, self.penalty = model, dataset, penalty
        self.loss_kind = loss_kind
        self.centre = np.array(centre, dtype=np.float64)
        self.plane = plane
        self.a = grid_axis(float(span), resolution)
        self.b = self.a.copy()
        bb, aa = np.meshgrid(self.b, self.a, indexing="ij")
        self._order, self._levels = coarse_to_fine(resolution)
        self._evaluation = LossEvaluation(
            model,
            dataset.X_train,
            dataset.y_train,
            np.column_stack([np.ones(aa.size), aa.ravel(), bb.ravel()])[self._order],
            np.stack([self.centre, plane.d1, plane.d2]),  # weights = [1, a, b] @ basis
            penalty,
            loss_kind,
        )
        self.loss = np.full((resolution, resolution), np.nan)
        self.computed = np.zeros((resolution, resolution), bool)
        self._count = 0  # grid points copied from the evaluation into ``loss``
        self._middle = (resolution // 2) * resolution + resolution // 2
        self._centre_loss = centre_loss

    @property
    def done(self) -> bool:
        return self._evaluation.done and self._centre_loss is not None

    @property
    def progress(self) -> float:
        """The fraction of the grid computed so far."""
        return self._evaluation.progress

    def advance(self, seconds: float, should_stop: Callable[[], bool] | None = None) -> bool:
        """Compute grid points for about ``seconds`` (at least one tile; less if
        ``should_stop`` says so), coarse to fine; True once the whole grid is done."""
        if not self._evaluation.done:
            self._evaluation.advance(seconds, should_stop)
        stopped = should_stop is not None and should_stop()
        if self._evaluation.done and self._centre_loss is None and not stopped:
            self._centre_loss = training_loss(
                self.model, self.dataset, self.centre, self.penalty, loss=self.loss_kind
            )
        count = self._evaluation.finished
        new = self._order[self._count : count]
        self.loss.reshape(-1)[new] = self._evaluation.values[self._count : count]
        self.computed.reshape(-1)[new] = True
        self._count = count
        if self._centre_loss is not None and self.computed.reshape(-1)[self._middle]:
            self.loss.reshape(-1)[self._middle] = self._centre_loss
        return self.done

    @property
    def level(self) -> int:
        """How many coarse-to-fine levels are complete (model/landscape/order.py)."""
        return sum(self._count >= needed for _, needed in self._levels)

    def preview(self) -> np.ndarray:
        """The grid with the cells not yet computed filled from the last complete lattice."""
        return landscape_order.preview(self.loss, self.computed, self._levels, self._count)

    def compute(self) -> np.ndarray:
        """The whole grid at once (``loss``)."""
        self.advance(float("inf"))
        return self.loss


class LineEvaluator:
    """The 1-D view (Goodfellow et al. 2015): the loss on the straight line (1 - t) start +
    t end, t from 0 to 1, on the training and the test data, a piece at a time. Its ends
    are the model's own evaluations at ``start`` and ``end``. ``loss_kind``: as
    SliceEvaluator's."""

    def __init__(
        self,
        model: Model,
        dataset: Dataset,
        start: np.ndarray,
        end: np.ndarray,
        points: int = 51,
        penalty: bool = False,
        loss_kind: str = MODEL_LOSS,
    ) -> None:
        if points < 2:
            raise ValueError(f"a line needs at least 2 points, got {points}")
        self.model, self.dataset, self.penalty = model, dataset, penalty
        self.loss_kind = loss_kind
        self.t = np.linspace(0.0, 1.0, points)
        self._ends = np.stack([np.asarray(start, np.float64), np.asarray(end, np.float64)])
        coefficients = np.column_stack([1.0 - self.t, self.t])
        self._parts = [
            LossEvaluation(model, X, y, coefficients, self._ends, penalty, loss_kind)
            for X, y in ((dataset.X_train, dataset.y_train), (dataset.X_test, dataset.y_test))
        ]
        self.done = False

    @property
    def train(self) -> np.ndarray:
        return self._parts[0].values

    @property
    def test(self) -> np.ndarray:
        return self._parts[1].values

    def advance(self, seconds: float, should_stop: Callable[[], bool] | None = None) -> bool:
        """Compute for about ``seconds``; True once both lines are done."""
        for part in self._parts:
            if not part.done and not part.advance(seconds, should_stop):
                return False
        if not self.done and (should_stop is None or not should_stop()):
            for part, test in zip(self._parts, (False, True), strict=True):
                if len(part.values) and len(self.dataset.y_test if test else self.dataset.y_train):
                    part.values[[0, -1]] = [
                        training_loss(
                            self.model, self.dataset, flat, self.penalty, test, self.loss_kind
                        )
                        for flat in self._ends
                    ]
            self.done = True
        return self.done


def line_losses(
    model: Model,
    dataset: Dataset,
    start_flat: np.ndarray,
    end_flat: np.ndarray,
    test: bool = False,
    points: int = 51,
    penalty: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """(t, loss) on the straight line from ``start_flat`` to ``end_flat`` (LineEvaluator),
    on the training data or the ``test`` data."""
    line = LineEvaluator(model, dataset, start_flat, end_flat, points, penalty)
    line.advance(float("inf"))
    return line.t, line.test if test else line.train
