"""A snapshot of an MLP for drawing it: weights, biases, gradients and every neuron's map.

Copies only: the drawing thread may hold a snapshot while the training thread goes on.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.grid import Extent, evaluate_grid
from model.mlp import MLP


@dataclass(frozen=True)
class NetworkSnapshot:
    widths: list[int]  # inputs, hidden layers..., outputs
    weights: list[np.ndarray]  # per Linear: (in, out)
    biases: list[np.ndarray]  # per Linear: (out,)
    weight_grads: list[np.ndarray]  # the last update's gradients, same shapes as weights
    maps: list[np.ndarray]  # per layer (inputs included): (units, res, res)


def snapshot_network(mlp: MLP, extent: Extent, resolution: int = 24) -> NetworkSnapshot:
    """Everything the network view shows, evaluated on a small grid over ``extent``."""
    grid = evaluate_grid(mlp, extent, resolution, hidden=True)
    x_min, x_max, y_min, y_max = extent
    xs = np.linspace(x_min, x_max, resolution)
    ys = np.linspace(y_min, y_max, resolution)
    inputs = np.stack([np.tile(xs, (resolution, 1)), np.tile(ys[:, None], (1, resolution))])
    outputs = np.moveaxis(grid.probabilities, -1, 0)
    linears = mlp.linears
    return NetworkSnapshot(
        widths=[mlp.n_inputs, *mlp.n_hidden, mlp.n_classes],
        weights=[lin.params["weight"].copy() for lin in linears],
        biases=[lin.params["bias"].copy() for lin in linears],
        weight_grads=[lin.grads["weight"].copy() for lin in linears],
        maps=[inputs, *grid.hidden, outputs],
    )
