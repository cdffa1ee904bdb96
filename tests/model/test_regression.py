"""Regression: TensorFlow Playground's data sets, the checks across data and model, and a
network that learns a real-valued target over the plane."""

import json
import math

import numpy as np
import pytest

from model.config import (
    NEW_POINTS,
    REBUILD,
    DataConfig,
    ExperimentConfig,
    ModelConfig,
    TrainConfig,
    change_kind,
)
from model.data.datasets import REGRESSION_DATASETS, custom_dataset, datasets_for, make_dataset
from model.data.regression import BUMPS
from model.nn.input_plane import evaluate_plane, plane_points
from model.nn.mlp import MLP
from model.nn.network_snapshot import snapshot_network
from model.training.trainer import TrainingDiverged, build_trainer

PLANE = DataConfig("plane", problem="regression")


@pytest.mark.parametrize("name", REGRESSION_DATASETS)
def test_regression_sets_are_seeded_float_targets_split_without_strata(name):
    a, b = make_dataset(name, seed=4), make_dataset(name, seed=4)
    assert a.is_regression and a.n_classes == 0 and a.label_names() == ()
    assert a.X_train.shape == (800, 2) and a.y_train.shape == (800,) and len(a.y_test) == 200
    assert a.y_train.dtype == np.float64 and len(np.unique(a.y_all)) > 100
    assert np.array_equal(a.y_test, b.y_test) and np.array_equal(a.X_train, b.X_train)
    assert not np.array_equal(a.y_train, make_dataset(name, seed=5).y_train)
    assert np.abs(a.X_all).max() <= 6.0  # the square of TensorFlow Playground
    low, high = a.value_range()
    assert low == -high and np.abs(a.y_all).max() == high


def test_plane_and_multigauss_follow_tensorflow_playground():
    plane = make_dataset("plane", seed=1)
    assert np.allclose(plane.y_all, plane.X_all.sum(axis=1) / 10)  # noise 0: exactly
    bumps = make_dataset("multigauss", n_samples=20_000, seed=1)
    X, y = bumps.X_all, bumps.y_all
    distances = np.hypot(X[:, None, 0] - BUMPS[:, 0], X[:, None, 1] - BUMPS[:, 1])  # (n, 6)
    assert np.abs(y).max() <= 1.0
    for k, sign in enumerate(BUMPS[:, 2]):  # near each centre the target is that bump's sign
        near = distances[:, k] < 0.1
        assert near.any() and np.all(np.sign(y[near]) == sign)
    assert np.all(y[distances.min(axis=1) > 2] == 0)  # beyond every bump's reach
    noisy = make_dataset("plane", noise=0.5, seed=1)
    assert not np.allclose(noisy.y_all, noisy.X_all.sum(axis=1) / 10)


def test_the_problem_is_checked_against_the_data_and_the_model():
    assert DataConfig().problem == "classification" and datasets_for("regression") == (
        "plane",
        "multigauss",
    )
    with pytest.raises(ValueError, match="plane is a regression data set"):
        DataConfig("plane")
    with pytest.raises(ValueError, match="moons is a classification data set"):
        DataConfig("moons", problem="regression")
    with pytest.raises(ValueError, match="problem must be one of"):
        DataConfig("moons", problem="ranking")
    with pytest.raises(ValueError, match="the perceptron only classifies"):
        ExperimentConfig(PLANE, ModelConfig(kind="perceptron"))
    with pytest.raises(ValueError, match="the perceptron only classifies"):
        ExperimentConfig(PLANE).with_changes(model={"kind": "perceptron"})


def test_custom_targets_round_trip_and_a_configuration_without_a_problem_classifies():
    X = np.array([[0, 0], [1, 1], [0, 1], [1, 0], [2, 2]], dtype=float)
    data = DataConfig.custom(X, [0.5, -1.25, 3.0, 0.0, 1e-3], problem="regression", seed=2)
    config = ExperimentConfig(data)
    again = ExperimentConfig.from_dict(json.loads(json.dumps(config.to_dict())))
    assert again == config and again.data.custom_arrays()[1].tolist() == [0.5, -1.25, 3, 0, 1e-3]
    old = config.to_dict()
    del old["data"]["problem"]
    old["data"]["points"] = [[0, 0, 0], [1, 1, 1], [0, 1, 0], [1, 0, 1]]
    assert ExperimentConfig.from_dict(old).data.problem == "classification"
    with pytest.raises(ValueError, match="targets must lie within"):
        DataConfig.custom(X, [0, 0, 0, 0, 2e6], problem="regression")
    with pytest.raises(ValueError, match="targets, not class names"):
        DataConfig.custom(X, [0, 1, 0, 1, 0], ("a", "b"), problem="regression")


def test_switching_the_problem_of_the_users_points_rebuilds_the_network():
    X = np.array([[0, 0], [1, 1], [0, 1], [1, 0]], dtype=float)
    classes = ExperimentConfig(DataConfig.custom(X, [0, 1, 0, 1]))
    targets = ExperimentConfig(DataConfig.custom(X, [0, 1, 0, 1], problem="regression"))
    moved = ExperimentConfig(DataConfig.custom(X + 1, [0, 1, 0, 2], problem="regression"))
    assert change_kind(classes, targets) == REBUILD
    assert change_kind(targets, moved) == NEW_POINTS
    trainer = build_trainer(targets)
    with pytest.raises(ValueError, match="must be rebuilt"):
        trainer.replace_dataset(custom_dataset(X, [0, 1, 0, 1]))
    trainer.replace_dataset(custom_dataset(X + 1, [0.0, 1, 0, 2], problem="regression"))
    assert trainer.dataset.y_all.max() == 2.0


def test_a_network_learns_the_plane_and_records_no_accuracy():
    config = ExperimentConfig(PLANE, ModelConfig(hidden=(8,)), TrainConfig("adam", 0.01))
    trainer = build_trainer(config)
    trainer.train(300)
    final = trainer.history[-1]
    variance = float(np.var(trainer.dataset.y_test))
    assert final.test_loss < 0.01 * variance and final.train_loss < 0.01 * variance
    assert all(
        math.isnan(p.train_accuracy) and math.isnan(p.test_accuracy) for p in trainer.history
    )
    assert trainer.stopped_reason is None  # NaN accuracies are not a divergence
    mlp = trainer.model
    assert mlp.widths == [2, 8, 1] and mlp.n_outputs == 1
    d = trainer.dataset
    residual = mlp.predict_values(d.X_test) - d.y_test
    assert float(residual @ residual) / len(residual) == pytest.approx(final.test_loss)
    with pytest.raises(ValueError, match="predict_values"):
        mlp.predict_proba(d.X_test)


def test_a_diverging_regression_run_is_stopped():
    config = ExperimentConfig(PLANE, train=TrainConfig("sgd", 5.0))
    trainer = build_trainer(config)
    with pytest.raises(TrainingDiverged, match="training diverged"):
        trainer.train(100)


def test_the_grid_and_the_network_view_carry_predicted_values():
    mlp = MLP(2, [5, 3], 0, activation="tanh", seed=1, problem="regression")
    extent = (-6.0, 6.0, -5.0, 5.0)
    grid = evaluate_plane(mlp, extent, resolution=20)
    assert grid.probabilities is None and grid.values.shape == (20, 20)
    values = mlp.predict_values(plane_points(extent, 20))
    assert np.allclose(grid.values.ravel(), values)
    assert np.allclose(evaluate_plane(mlp, extent, 20, hidden=False).values, grid.values)
    snapshot = snapshot_network(mlp, extent, resolution=6)
    assert snapshot.widths == [2, 5, 3, 1] and snapshot.maps[-1].shape == (1, 6, 6)
    classifier = MLP(2, [4], 3, seed=0)
    assert evaluate_plane(classifier, extent, 10).values is None
    with pytest.raises(ValueError, match="n_classes 0"):
        MLP(2, [4], 3, problem="regression")
    with pytest.raises(ValueError, match="predict_proba"):
        classifier.predict_values(np.zeros((1, 2)))
