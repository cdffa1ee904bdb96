"""Input features (model/nn/features.py) everywhere the model is evaluated: the map itself, the
MLP that applies it before its first Linear, its gradients, the grid, the network snapshot and
the hidden-space view. The points stay 2-D throughout."""

import numpy as np
import pytest

from model.config import DataConfig, ExperimentConfig, ModelConfig, TrainConfig
from model.nn.features import (
    DEFAULT_FEATURES,
    FEATURE_NAMES,
    FeatureInputs,
    check_features,
    feature_label,
    feature_map,
)
from model.nn.input_plane import evaluate_plane, plane_points
from model.nn.mlp import MLP
from model.nn.network_snapshot import hidden_space, layer_activations, snapshot_network
from model.training.trainer import build_trainer

RNG = np.random.default_rng(0)
POINTS = RNG.uniform(-3, 3, size=(40, 2))
SOME = ("x1", "x2", "x1x2", "sinx1")


def test_each_feature_is_its_formula():
    x1, x2 = POINTS[:, 0], POINTS[:, 1]
    expected = [x1, x2, x1**2, x2**2, x1 * x2, np.sin(x1), np.sin(x2)]
    mapped = feature_map(POINTS, FEATURE_NAMES)
    assert mapped.shape == (40, 7)
    for column, values in enumerate(expected):
        assert np.allclose(mapped[:, column], values, rtol=1e-15, atol=0)
    labels = [feature_label(name) for name in FEATURE_NAMES]
    assert labels == ["x1", "x2", "x1²", "x2²", "x1·x2", "sin(x1)", "sin(x2)"]


def test_features_are_kept_in_the_canonical_order_once_each():
    assert check_features(["sinx2", "x1", "x1sq", "x1"]) == ("x1", "x1sq", "sinx2")
    assert check_features("x2sq") == ("x2sq",)


@pytest.mark.parametrize("names,words", [(["x1", "x3"], "unknown feature 'x3'"), ([], "at least")])
def test_an_unknown_feature_or_none_is_refused_naming_the_allowed_ones(names, words):
    with pytest.raises(ValueError, match=words) as error:
        check_features(names)
    assert ", ".join(FEATURE_NAMES) in str(error.value)
    with pytest.raises(ValueError):
        ModelConfig(features=tuple(names))


def test_plain_x1_x2_pass_through_as_the_very_same_array():
    assert feature_map(POINTS, DEFAULT_FEATURES) is POINTS
    inputs = FeatureInputs(DEFAULT_FEATURES)
    assert inputs(POINTS) is POINTS and inputs.training_batch(POINTS) is POINTS
    assert MLP(2, [3], 2, seed=0).inputs(POINTS) is POINTS


def test_a_read_only_training_batch_is_mapped_once_and_a_writable_one_every_time():
    inputs = FeatureInputs(("x1sq", "x2sq"))
    X = POINTS.copy()
    first, second = inputs.training_batch(X), inputs.training_batch(X)
    assert first is not second and np.array_equal(first, second)
    X.setflags(write=False)
    first = inputs.training_batch(X)
    assert inputs.training_batch(X) is first and not first.flags.writeable
    assert np.array_equal(first, feature_map(X, ("x1sq", "x2sq")))
    assert inputs.training_batch(X.copy()) is not first


def test_the_mlp_sees_the_features_of_the_points():
    mlp = MLP(3, [4], 2, activation="tanh", seed=1, features=("x1sq", "x2sq", "x1x2"))
    first, last = mlp.linears
    mapped = feature_map(POINTS, mlp.features)
    hidden = np.tanh(mapped @ first.params["weight"] + first.params["bias"])
    logits = hidden @ last.params["weight"] + last.params["bias"]
    expected = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    assert np.allclose(mlp.predict_proba(POINTS), expected, rtol=1e-12)
    assert np.allclose(mlp.forward(POINTS), expected, rtol=1e-12)
    assert np.allclose(mlp.hidden_activations(POINTS)[0], hidden, rtol=1e-12)
    with pytest.raises(ValueError, match="number of features"):
        MLP(2, [4], 2, features=("x1sq", "x2sq", "x1x2"))


@pytest.mark.parametrize("fused", [True, False])
def test_gradients_through_features_match_central_differences(fused):
    mlp = MLP(4, [5], 3, activation="tanh", seed=2, l2=0.01, features=SOME)
    labels = RNG.integers(0, 3, size=len(POINTS))
    params, grads = mlp.parameter_pairs()[0]
    mlp.loss_and_gradients(POINTS, labels, fused=fused)
    analytic = grads.copy()
    numeric = np.zeros_like(params)
    eps = 1e-6
    for i in range(params.size):
        old = params[i]
        params[i] = old + eps
        plus = mlp.loss_and_gradients(POINTS, labels, fused=fused)
        params[i] = old - eps
        minus = mlp.loss_and_gradients(POINTS, labels, fused=fused)
        params[i] = old
        numeric[i] = (plus - minus) / (2 * eps)
    assert np.allclose(analytic, numeric, rtol=1e-5, atol=1e-8)


def test_both_passes_agree_on_a_read_only_full_batch_with_features():
    X, labels = POINTS.copy(), RNG.integers(0, 2, size=len(POINTS))
    X.setflags(write=False)
    labels.setflags(write=False)
    mlp = MLP(4, [6, 3], 2, seed=3, features=SOME)
    results = []
    for fused in (True, True, False):  # the second fused run reuses the kept features
        loss = mlp.loss_and_gradients(X, labels, fused=fused)
        results.append((loss, mlp.parameter_pairs()[0][1].copy()))
    for loss, grads in results[1:]:
        assert loss == pytest.approx(results[0][0], rel=1e-12)
        assert np.allclose(grads, results[0][1], rtol=1e-10, atol=1e-14)


def features_config(features=("x1sq", "x2sq"), hidden=(), **train) -> ExperimentConfig:
    return ExperimentConfig(
        DataConfig("circles", n_samples=200),
        ModelConfig(hidden=hidden, features=features),
        TrainConfig(**{"learning_rate": 0.5, **train}),
    )


def test_circles_on_squares_without_a_hidden_layer_are_learnt_at_once():
    trainer = build_trainer(features_config())
    assert trainer.model.n_inputs == 2 and trainer.model.n_hidden == []
    trainer.train(100)
    assert trainer.history[-1].test_accuracy >= 0.95
    plain = build_trainer(features_config(DEFAULT_FEATURES))
    plain.train(100)
    assert plain.history[-1].test_accuracy < 0.75


def test_the_grid_snapshot_and_hidden_space_apply_the_features():
    trainer = build_trainer(features_config(SOME, (5, 2), batch_size=20))
    trainer.train(20)
    mlp, extent, res = trainer.model, (-2.0, 2.0, -1.5, 1.5), 12
    points = plane_points(extent, res)
    grid = evaluate_plane(mlp, extent, res)
    assert np.allclose(grid.probabilities.reshape(-1, 2), mlp.predict_proba(points))
    snapshot = snapshot_network(mlp, extent, res)
    assert snapshot.widths == [4, 5, 2, 2] and snapshot.features == SOME
    assert snapshot.input_labels == ("x1", "x2", "x1·x2", "sin(x1)")
    assert snapshot.maps[0].shape == (4, res, res) and snapshot.maps[0].flags.c_contiguous
    for tile, column in zip(snapshot.maps[0], feature_map(points, SOME).T, strict=True):
        assert np.array_equal(tile.ravel(), column)
    for layer in (1, 2):
        expected = mlp.hidden_activations(POINTS)[layer - 1]
        assert np.allclose(layer_activations(snapshot, layer, POINTS), expected)
    data, lines, axes = hidden_space(snapshot, 2, POINTS, extent)
    assert axes == "units 1 and 2" and np.allclose(data, mlp.hidden_activations(POINTS)[1])
    assert all(line.shape[1] == 2 and np.all(np.isfinite(line)) for line in lines)


def test_the_perceptron_takes_x1_and_x2_only():
    with pytest.raises(ValueError, match="the perceptron takes x1 and x2"):
        ModelConfig(kind="perceptron", features=("x1sq", "x2sq"))
    assert ModelConfig(kind="perceptron").features == DEFAULT_FEATURES


def test_features_round_trip_through_the_configuration_and_default_to_x1_x2():
    config = features_config(("sinx2", "x1"))
    assert config.to_dict()["model"]["features"] == ["x1", "sinx2"]
    assert ExperimentConfig.from_dict(config.to_dict()) == config
    old = config.to_dict()
    del old["model"]["features"]
    assert ExperimentConfig.from_dict(old).model.features == DEFAULT_FEATURES
