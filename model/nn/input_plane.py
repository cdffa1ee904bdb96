"""Vectorised evaluation of a model over a regular grid of the input plane.

One forward pass over all grid points at once gives the class probabilities (for the
decision-boundary image), or a regression network's predicted values, and every hidden
neuron's activation (for the network view).
Arrays are row-major images: row ``i`` is the ``i``-th y value, column ``j`` the ``j``-th x.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.nn.mlp import MLP
from model.nn.perceptron import Perceptron

Extent = tuple[float, float, float, float]


@dataclass(frozen=True)
class PlaneEvaluation:
    """A classifier fills ``probabilities``, a regression network ``values``; the other is None."""

    extent: Extent
    probabilities: np.ndarray | None  # (resolution, resolution, n_classes)
    hidden: list[np.ndarray]  # per hidden layer: (units, resolution, resolution)
    values: np.ndarray | None = None  # (resolution, resolution): the predicted value

    @property
    def output_maps(self) -> np.ndarray:
        """Each output unit as an image, (units, resolution, resolution)."""
        if self.values is not None:
            return self.values[None]
        return np.moveaxis(self.probabilities, -1, 0)


def plane_points(extent: Extent, resolution: int) -> np.ndarray:
    """The (resolution**2, 2) points of the grid, x varying fastest."""
    x_min, x_max, y_min, y_max = extent
    xs = np.linspace(x_min, x_max, resolution)
    ys = np.linspace(y_min, y_max, resolution)
    gx, gy = np.meshgrid(xs, ys)
    return np.column_stack([gx.ravel(), gy.ravel()])


def cell_centres(extent: Extent, rows: int, columns: int) -> np.ndarray:
    """The (rows * columns, 2) centres of a grid of cells tiling ``extent``, x varying fastest.

    An image of values at these points, stretched over ``extent``, has each pixel's centre at
    its point: drawn smoothly (bilinear), the picture lies where the values were computed.
    """
    x_min, x_max, y_min, y_max = extent
    xs = x_min + (np.arange(columns) + 0.5) * ((x_max - x_min) / columns)
    ys = y_min + (np.arange(rows) + 0.5) * ((y_max - y_min) / rows)
    gx, gy = np.meshgrid(xs, ys)
    return np.column_stack([gx.ravel(), gy.ravel()])


def evaluate_plane(
    model: MLP | Perceptron, extent: Extent, resolution: int = 200, hidden: bool = True
) -> PlaneEvaluation:
    """Class probabilities or predicted values (and, if asked, hidden activations) over the
    grid, as images."""
    points = plane_points(extent, resolution)
    shape = (resolution, resolution)
    with np.errstate(all="ignore"):
        if isinstance(model, MLP) and hidden:
            layers, outputs = model.layers_and_probabilities(points)
            maps = [h.T.reshape(-1, *shape).copy() for h in layers]  # contiguous images
        else:
            outputs = model.predict_outputs(points)
            maps = []
    if isinstance(model, MLP) and model.is_regression:
        return PlaneEvaluation(extent, None, maps, outputs[:, 0].reshape(shape))
    return PlaneEvaluation(extent, outputs.reshape(*shape, -1), maps)
