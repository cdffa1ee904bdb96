"""Every module's backward pass against central differences, in float64."""

import numpy as np
import pytest

from model.nn.mlp import MLP
from model.nn.modules import (
    CrossEntropy,
    Identity,
    IdentityOutput,
    Linear,
    MeanSquaredError,
    ReLU,
    Sigmoid,
    SoftMax,
    Tanh,
    one_hot,
)

EPS = 1e-6


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def numerical_gradient(f, x: np.ndarray) -> np.ndarray:
    """Central differences of the scalar function ``f`` with respect to ``x`` (changed in place)."""
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        old = x[index]
        x[index] = old + EPS
        plus = f()
        x[index] = old - EPS
        minus = f()
        x[index] = old
        grad[index] = (plus - minus) / (2 * EPS)
    return grad


@pytest.mark.parametrize("activation", [ReLU, Tanh, Sigmoid, Identity])
def test_activation_input_gradient(activation):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(5, 4))
    x[np.abs(x) < 1e-3] = 0.5  # keep ReLU away from its kink
    upstream = rng.normal(size=(5, 4))
    module = activation()
    module.forward(x)
    analytic = module.backward(upstream)
    numeric = numerical_gradient(lambda: float(np.sum(module.forward(x) * upstream)), x)
    assert relative_error(analytic, numeric) < 1e-6


def test_linear_gradients_for_weight_bias_and_input():
    rng = np.random.default_rng(1)
    layer = Linear(3, 4, rng=rng)
    layer.params["bias"] = rng.normal(size=4)
    x = rng.normal(size=(6, 3))
    upstream = rng.normal(size=(6, 4))

    def objective():
        return float(np.sum(layer.forward(x) * upstream))

    layer.forward(x)
    dx = layer.backward(upstream)
    for name in ("weight", "bias"):
        numeric = numerical_gradient(objective, layer.params[name])
        assert relative_error(layer.grads[name], numeric) < 1e-6, name
    assert relative_error(dx, numerical_gradient(objective, x)) < 1e-6


def test_softmax_cross_entropy_fused_gradient_is_with_respect_to_logits():
    rng = np.random.default_rng(2)
    logits = rng.normal(size=(7, 3)) * 3
    y = one_hot(rng.integers(0, 3, size=7), 3)
    softmax, loss = SoftMax(), CrossEntropy()

    def objective():
        return loss.forward(softmax.forward(logits), y)

    p = softmax.forward(logits)
    analytic = softmax.backward(loss.backward(p, y))
    assert np.allclose(analytic, (p - y) / 7)
    assert relative_error(analytic, numerical_gradient(objective, logits)) < 1e-6


def test_mean_squared_error_is_the_mean_and_its_gradient_that_of_the_predictions():
    rng = np.random.default_rng(8)
    prediction, target = rng.normal(size=(6, 1)), rng.normal(size=(6, 1))
    output, loss = IdentityOutput(), MeanSquaredError()

    def objective():
        return loss.forward(output.forward(prediction), target)

    assert objective() == pytest.approx(float(np.mean((prediction - target) ** 2)))
    analytic = output.backward(loss.backward(output.forward(prediction), target))
    assert np.allclose(analytic, 2 * (prediction - target) / 6)
    assert relative_error(analytic, numerical_gradient(objective, prediction)) < 1e-6


def test_cross_entropy_is_the_mean_and_survives_zero_probabilities():
    p = np.array([[1.0, 0.0], [0.5, 0.5]])
    y = np.array([[1.0, 0.0], [0.0, 1.0]])
    assert CrossEntropy().forward(p, y) == pytest.approx(np.log(2) / 2)
    assert np.isfinite(CrossEntropy().forward(np.array([[0.0, 1.0]]), np.array([[1.0, 0.0]])))


def test_softmax_does_not_overflow_on_large_logits():
    p = SoftMax().forward(np.array([[1000.0, 0.0, -1000.0]]))
    assert np.all(np.isfinite(p)) and p[0, 0] == pytest.approx(1.0)


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "linear"])
@pytest.mark.parametrize("l2,l1", [(0.0, 0.0), (0.1, 0.0), (0.0, 0.05)])
@pytest.mark.parametrize("problem", ["classification", "regression"])
def test_whole_mlp_with_two_hidden_layers(activation, l2, l1, problem):
    rng = np.random.default_rng(3)
    regression = problem == "regression"  # one identity output under the squared error
    n_classes = 0 if regression else 3
    mlp = MLP(2, [5, 4], n_classes, activation=activation, seed=4, l2=l2, l1=l1, problem=problem)
    for linear in mlp.linears:
        linear.params["bias"] = rng.normal(size=linear.params["bias"].shape) * 0.1
    x = rng.normal(size=(8, 2))
    labels = rng.normal(size=8) if regression else rng.integers(0, 3, size=8)
    y = labels[:, None] if regression else one_hot(labels, 3)
    criterion = MeanSquaredError() if regression else CrossEntropy()

    def objective():
        return criterion.forward(mlp.forward(x), y) + mlp.penalty()

    loss = mlp.loss_and_gradients(x, labels)
    assert loss == pytest.approx(objective(), rel=1e-12)
    for linear in mlp.linears:
        for name in ("weight", "bias"):
            analytic = linear.grads[name].copy()
            numeric = numerical_gradient(objective, linear.params[name])
            assert relative_error(analytic, numeric) < 1e-6, (linear, name)


@pytest.mark.parametrize("n", [1, 10])
def test_backward_matches_loss_and_gradients_with_one_hot_targets(n):
    rng = np.random.default_rng(5)
    mlp = MLP(2, [6], 2, seed=0)
    x, labels = rng.normal(size=(n, 2)), rng.integers(0, 2, size=n)
    loss = mlp.loss_and_gradients(x, labels)
    assert loss == pytest.approx(CrossEntropy().forward(mlp.forward(x), one_hot(labels, 2)))
    fast = [g.copy() for _, g in mlp.parameter_pairs()]
    p = mlp.forward(x)
    mlp.backward(CrossEntropy().backward(p, one_hot(labels, 2)))
    for a, (_, b) in zip(fast, mlp.parameter_pairs(), strict=True):
        assert np.allclose(a, b)


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_predict_proba_gives_the_forward_pass_numbers_and_leaves_the_input(activation):
    mlp = MLP(2, [5, 4], 3, activation=activation, seed=1)
    x = np.random.default_rng(2).normal(size=(50, 2))
    original = x.copy()
    assert np.allclose(mlp.predict_proba(x), mlp.forward(x), rtol=1e-12, atol=1e-15)
    assert np.array_equal(x, original)


def test_replaced_weight_array_is_used_by_the_next_forward_pass():
    mlp = MLP(2, [3], 2, seed=0)
    x = np.ones((1, 2))
    before = mlp.forward(x).copy()
    first = mlp.linears[0]
    first.params["weight"] = np.zeros_like(first.params["weight"])
    after = mlp.forward(x)
    assert not np.allclose(before, after)
    hidden = mlp.hidden_activations(x)[0]
    assert np.all(hidden == 0)


def test_fused_pass_reuses_a_read_only_batch_without_going_stale():
    rng = np.random.default_rng(6)
    x, labels = rng.normal(size=(12, 2)), rng.integers(0, 3, size=12)
    x.setflags(write=False)
    labels.setflags(write=False)
    mlp = MLP(2, [5, 5], 3, activation="sigmoid", seed=2)
    mlp.loss_and_gradients(x, labels)
    mlp.linears[1].params["weight"] = rng.normal(size=(5, 5))  # replaced by hand
    loss = mlp.loss_and_gradients(x, labels)
    fused = [lin.grads["weight"].copy() for lin in mlp.linears]
    p = mlp.forward(x)
    assert loss == pytest.approx(CrossEntropy().forward(p, one_hot(labels, 3)))
    mlp.backward(CrossEntropy().backward(p, one_hot(labels, 3)))
    for a, linear in zip(fused, mlp.linears, strict=True):
        assert np.allclose(a, linear.grads["weight"])
