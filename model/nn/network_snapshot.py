"""A snapshot of an MLP for drawing it: weights, biases, gradients and every neuron's map.

Copies only: the drawing thread may hold a snapshot while the training thread goes on.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.nn.activations import hidden_activations
from model.nn.features import DEFAULT_FEATURES, feature_label, feature_map
from model.nn.input_plane import Extent, evaluate_plane, plane_points
from model.nn.mlp import MLP


@dataclass(frozen=True)
class NetworkSnapshot:
    widths: list[int]  # inputs, hidden layers..., outputs
    weights: list[np.ndarray]  # per Linear: (in, out)
    biases: list[np.ndarray]  # per Linear: (out,)
    weight_grads: list[np.ndarray]  # the last update's gradients, same shapes as weights
    maps: list[np.ndarray]  # per layer (inputs included): (units, res, res)
    activation: str = "relu"
    extent: Extent | None = None  # the input plane the maps cover
    # What the inputs are (model/nn/features.py): maps[0][i] is features[i] over the plane.
    features: tuple[str, ...] = DEFAULT_FEATURES
    # The output node's activation when it is neither softmax nor a regression's value (a
    # TensorFlow Playground classifier's one tanh node); "": by the widths.
    output_activation: str = ""

    @property
    def input_labels(self) -> tuple[str, ...]:
        """Each input as people write it: ``x1²`` for ``x1sq``."""
        return tuple(feature_label(name) for name in self.features)


def snapshot_network(mlp: MLP, extent: Extent, resolution: int = 24) -> NetworkSnapshot:
    """Everything the network view shows, evaluated on a small grid over ``extent``."""
    grid = evaluate_plane(mlp, extent, resolution, hidden=True)
    # Each input tile is its feature's value over the plane, as TensorFlow Playground shows.
    features = feature_map(plane_points(extent, resolution), mlp.features)
    inputs = np.ascontiguousarray(features.T.reshape(-1, resolution, resolution))
    outputs = grid.output_maps  # class probabilities, or the one predicted value
    linears = mlp.linears
    return NetworkSnapshot(
        widths=[mlp.n_inputs, *mlp.n_hidden, mlp.n_outputs],
        weights=[lin.params["weight"].copy() for lin in linears],
        biases=[lin.params["bias"].copy() for lin in linears],
        weight_grads=[lin.grads["weight"].copy() for lin in linears],
        maps=[inputs, *grid.hidden, outputs],
        activation=mlp.activation,
        extent=extent,
        features=mlp.features,
    )


def layer_activations(snapshot: NetworkSnapshot, layer: int, X: np.ndarray) -> np.ndarray:
    """Hidden layer ``layer`` (1-based, after its activation) for the rows of ``X``."""
    layers = zip(snapshot.weights[:layer], snapshot.biases[:layer], strict=True)
    return hidden_activations(feature_map(X, snapshot.features), layers, snapshot.activation)[-1]


def hidden_space(
    snapshot: NetworkSnapshot, layer: int, X: np.ndarray, extent: Extent, lines: int = 11
) -> tuple[np.ndarray, list[np.ndarray], str]:
    """Data and a regular grid over the input plane, mapped through hidden layer ``layer``
    and shown in 2-D: its two units if it has two, else its first two principal components
    (fitted on the data). Returns (points, grid lines, axis description)."""
    x_min, x_max, y_min, y_max = extent
    t = np.linspace(0.0, 1.0, 60)
    polylines = [
        np.column_stack([np.full_like(t, x), y_min + t * (y_max - y_min)])
        for x in np.linspace(x_min, x_max, lines)
    ]
    polylines += [
        np.column_stack([x_min + t * (x_max - x_min), np.full_like(t, y)])
        for y in np.linspace(y_min, y_max, lines)
    ]
    data = layer_activations(snapshot, layer, X)
    mapped = [layer_activations(snapshot, layer, line) for line in polylines]
    if data.shape[1] == 1:
        return (
            np.column_stack([data[:, 0], np.zeros(len(data))]),
            [np.column_stack([m[:, 0], np.zeros(len(m))]) for m in mapped],
            "unit 1",
        )
    if data.shape[1] == 2:
        return data, mapped, "units 1 and 2"
    centre = data.mean(axis=0)
    _, _, vt = np.linalg.svd(data - centre, full_matrices=False)
    axes = vt[:2].T
    return (
        (data - centre) @ axes,
        [(m - centre) @ axes for m in mapped],
        "principal components 1 and 2",
    )
