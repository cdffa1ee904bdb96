"""Linear (identity) hidden units: layers of them compose to one affine map, so a network of
any depth built from them still draws a straight boundary."""

import numpy as np

from model.config import DataConfig, ExperimentConfig, ModelConfig, TrainConfig
from model.nn.input_plane import plane_points
from model.nn.mlp import MLP
from model.training.trainer import build_trainer


def logit_difference(mlp: MLP, points: np.ndarray) -> np.ndarray:
    """``z1 - z0``: the predicted class is 1 exactly where it is positive."""
    out = mlp.linears[-1].params
    hidden = mlp.hidden_activations(points)
    logits = (hidden[-1] if hidden else points) @ out["weight"] + out["bias"]
    return logits[:, 1] - logits[:, 0]


def affine_misfit(values: np.ndarray, points: np.ndarray) -> float:
    """How far ``values`` are from the best affine function of (x1, x2), relative to them."""
    design = np.column_stack([np.ones(len(points)), points])
    coefficients, *_ = np.linalg.lstsq(design, values, rcond=None)
    return float(np.max(np.abs(design @ coefficients - values)) / np.max(np.abs(values)))


def trained(activation: str) -> MLP:
    config = ExperimentConfig(
        DataConfig("moons", n_samples=200),
        ModelConfig(hidden=(8, 8, 8), activation=activation),
        TrainConfig("adam", 0.01),
    )
    trainer = build_trainer(config)
    trainer.train(300)
    return trainer.model


def test_three_layers_of_linear_units_draw_one_straight_line():
    mlp = trained("linear")
    assert mlp.init == "xavier"
    points = plane_points((-2.0, 3.0, -1.5, 2.0), 60)
    difference = logit_difference(mlp, points)
    assert affine_misfit(difference, points) < 1e-10
    classes = mlp.predict_proba(points).argmax(axis=1)
    assert 0 < classes.mean() < 1  # the line crosses the plane
    assert np.array_equal(classes == 1, difference > 0)
    # ReLU units of the same shape bend the boundary: their logit difference is far from affine.
    assert affine_misfit(logit_difference(trained("relu"), points), points) > 0.05
