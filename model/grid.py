"""Vectorised evaluation of a model over a regular grid of the input plane.

One forward pass over all grid points at once gives the class probabilities (for the
decision-boundary image) and every hidden neuron's activation (for the network view).
Arrays are row-major images: row ``i`` is the ``i``-th y value, column ``j`` the ``j``-th x.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.mlp import MLP
from model.perceptron import Perceptron

Extent = tuple[float, float, float, float]


@dataclass(frozen=True)
class GridEvaluation:
    extent: Extent
    probabilities: np.ndarray  # (resolution, resolution, n_classes)
    hidden: list[np.ndarray]  # per hidden layer: (units, resolution, resolution)


def grid_points(extent: Extent, resolution: int) -> np.ndarray:
    """The (resolution**2, 2) points of the grid, x varying fastest."""
    x_min, x_max, y_min, y_max = extent
    xs = np.linspace(x_min, x_max, resolution)
    ys = np.linspace(y_min, y_max, resolution)
    gx, gy = np.meshgrid(xs, ys)
    return np.column_stack([gx.ravel(), gy.ravel()])


def evaluate_grid(
    model: MLP | Perceptron, extent: Extent, resolution: int = 200, hidden: bool = True
) -> GridEvaluation:
    """Class probabilities (and, if asked, hidden activations) over the grid, as images."""
    points = grid_points(extent, resolution)
    shape = (resolution, resolution)
    with np.errstate(all="ignore"):
        if isinstance(model, MLP) and hidden:
            layers, probabilities = model.layers_and_probabilities(points)
            maps = [h.T.reshape(-1, *shape).copy() for h in layers]  # contiguous images
        else:
            probabilities = model.predict_proba(points)
            maps = []
    return GridEvaluation(extent, probabilities.reshape(*shape, -1), maps)
