"""The MLP's two training passes: the modules one by one (the reference, as the course writes
it) and the fused pass (model/nn/fused_pass.py), which the Trainer runs. They give the same loss,
gradients and updates up to rounding, for every activation, input feature set, problem and
weight penalty."""

import numpy as np
import pytest

from model.config import DataConfig, ExperimentConfig, ModelConfig, TrainConfig
from model.nn.activations import ACTIVATIONS, hidden_activations
from model.nn.features import FEATURE_NAMES
from model.nn.mlp import MLP
from model.nn.modules import Activation
from model.nn.optimizers import make_optimizer
from model.training.trainer import build_dataset, build_model

NAMES = list(ACTIVATIONS)


@pytest.mark.parametrize("name", NAMES)
def test_each_derivative_is_the_slope_of_its_activation(name):
    x = np.random.default_rng(0).normal(size=50) * 3
    x[np.abs(x) < 1e-3] = 0.5  # away from ReLU's kink
    eps = 1e-6
    slope = (ACTIVATIONS[name](x + eps) - ACTIVATIONS[name](x - eps)) / (2 * eps)
    derivative = ACTIVATIONS[name].derivative
    assert np.allclose(derivative(ACTIVATIONS[name](x)), slope, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("name", NAMES)
def test_an_activation_written_in_place_gives_the_same_numbers(name):
    x = np.random.default_rng(1).normal(size=(20, 3)) * 40  # sigmoid's tails too
    fresh = ACTIVATIONS[name](x)
    ACTIVATIONS[name](x, out=x)
    assert np.array_equal(fresh, x) and np.all(np.isfinite(x))


def test_hidden_activations_are_each_layers_output():
    mlp = MLP(2, [4, 3], 2, activation="sigmoid", seed=0)
    x = np.random.default_rng(2).normal(size=(6, 2))
    by_modules = []
    h = x
    for layer in mlp.layers[:-2]:
        h = layer.forward(h)
        if isinstance(layer, Activation):
            by_modules.append(h)
    pairs = [(lin.params["weight"], lin.params["bias"]) for lin in mlp.linears[:-1]]
    for a, b in zip(hidden_activations(x, pairs, "sigmoid"), by_modules, strict=True):
        assert np.allclose(a, b, rtol=1e-14, atol=0)


def gradients(mlp: MLP, x: np.ndarray, labels: np.ndarray, fused: bool) -> tuple[float, np.ndarray]:
    loss = mlp.loss_and_gradients(x, labels, fused=fused)
    return loss, mlp.parameter_pairs()[0][1].copy()


@pytest.mark.parametrize("activation", NAMES)
@pytest.mark.parametrize("n", [1, 7, 64])
@pytest.mark.parametrize("l2,l1", [(0.0, 0.0), (0.01, 0.001)])
@pytest.mark.parametrize("problem", ["classification", "regression"])
def test_both_passes_give_the_same_loss_and_gradients(activation, n, l2, l1, problem):
    rng = np.random.default_rng(n)
    regression = problem == "regression"  # real targets, one output, the squared error
    n_classes = 0 if regression else 3
    mlp = MLP(2, [9, 5, 4], n_classes, activation=activation, seed=3, l2=l2, l1=l1, problem=problem)
    for linear in mlp.linears:
        linear.params["bias"] = rng.normal(size=linear.params["bias"].shape) * 0.1
    x = rng.normal(size=(n, 2))
    labels = rng.normal(size=n) if regression else rng.integers(0, 3, size=n)
    fused_loss, fused = gradients(mlp, x, labels, fused=True)
    module_loss, modules = gradients(mlp, x, labels, fused=False)
    assert module_loss == pytest.approx(fused_loss, rel=1e-12)
    assert np.allclose(modules, fused, rtol=1e-10, atol=1e-13)


# Each feature alone, all of them, and a few mixtures (squares without the plain inputs, whose
# second mapping would not hide behind the first two columns).
FEATURE_SETS = [
    *((name,) for name in FEATURE_NAMES),
    FEATURE_NAMES,
    ("x1sq", "x2sq"),
    ("x1x2", "sinx1", "sinx2"),
    ("x2", "x1sq", "sinx2"),
]
PENALTIES = [(0.0, 0.0), (0.03, 0.0), (0.0, 0.02), (0.01, 0.005)]


def regression_or_classes(problem: str, n: int, rng: np.random.Generator):
    """Real targets for regression, three classes otherwise; the network's n_classes."""
    if problem == "regression":
        return rng.normal(size=n), 0
    return rng.integers(0, 3, size=n), 3


@pytest.mark.parametrize("features", FEATURE_SETS, ids="-".join)
@pytest.mark.parametrize("l2,l1", PENALTIES)
@pytest.mark.parametrize("problem", ["classification", "regression"])
def test_both_passes_agree_for_every_feature_set(features, l2, l1, problem):
    rng = np.random.default_rng(len(features))
    x = rng.uniform(-2.5, 2.5, size=(33, 2))
    labels, n_classes = regression_or_classes(problem, len(x), rng)
    mlp = MLP(
        len(features),
        [6, 4],
        n_classes,
        "tanh",
        seed=5,
        l2=l2,
        l1=l1,
        problem=problem,
        features=features,
    )
    for linear in mlp.linears:
        linear.params["bias"] = rng.normal(size=linear.params["bias"].shape) * 0.1
    fused_loss, fused = gradients(mlp, x, labels, fused=True)
    module_loss, modules = gradients(mlp, x, labels, fused=False)
    assert module_loss == pytest.approx(fused_loss, rel=1e-10)
    assert np.allclose(modules, fused, rtol=1e-10, atol=1e-13)


def updates_through(
    pass_is_fused: bool, config: ExperimentConfig, batches: list[np.ndarray]
) -> np.ndarray:
    """The weights after one update per batch of training-set rows (None: the whole, read-only
    training set, as the Trainer hands it on at full batch) through the chosen pass."""
    dataset = build_dataset(config)
    model = build_model(config, dataset)
    optimizer = make_optimizer(config.train.optimizer, config.train.learning_rate)
    X, y = dataset.X_train, dataset.y_train
    for rows in batches:
        xb, yb = (X, y) if rows is None else (X[rows], y[rows])
        model.loss_and_gradients(xb, yb, need_loss=False, fused=pass_is_fused)
        optimizer.step(model.parameter_pairs())
    return model.parameter_pairs()[0][0].copy()


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
@pytest.mark.parametrize("batch_size", [1, 16, None])
@pytest.mark.parametrize(
    "data,features,l2,l1",
    [
        (DataConfig("spiral", n_samples=120, params={"n_classes": 3}), ("x1", "x2"), 0.0, 0.0),
        (DataConfig("circles", n_samples=120), ("x1sq", "x2sq", "x1x2"), 0.01, 0.001),
        (DataConfig("multigauss", n_samples=120, problem="regression"), ("x1", "x2"), 0.0, 0.0),
        (DataConfig("plane", n_samples=120, problem="regression"), ("sinx1", "x2sq"), 0.0, 0.01),
    ],
)
def test_a_run_is_the_same_through_either_pass(optimizer, batch_size, data, features, l2, l1):
    config = ExperimentConfig(
        data=data,
        model=ModelConfig(hidden=(12, 8), activation="tanh", features=features),
        train=TrainConfig(optimizer, 0.02, batch_size=batch_size, l2=l2, l1=l1),
    )
    n = len(build_dataset(config).y_train)
    rng = np.random.default_rng(7)
    if batch_size is None:
        batches = [None] * 60
    else:
        batches = [rng.choice(n, size=batch_size, replace=False) for _ in range(60)]
    fused = updates_through(True, config, batches)
    modules = updates_through(False, config, batches)
    assert np.allclose(fused, modules, rtol=1e-10, atol=1e-12)
    assert not np.allclose(fused, updates_through(True, config, []))  # the runs did learn
