"""The MLP's two training passes: the modules one by one (the reference, as the course writes
it) and the fused pass (model/nn/fused_pass.py). They give the same gradients and updates up to
rounding, so whichever the Trainer runs (model/training/pass_choice.py) never changes a result."""

import numpy as np
import pytest

from model.config import DataConfig, ExperimentConfig, ModelConfig, TrainConfig
from model.nn.activations import ACTIVATIONS, DERIVATIVES, hidden_activations
from model.nn.fused_pass import CHECKED_SIZE
from model.nn.mlp import MLP
from model.nn.modules import Activation
from model.training.pass_choice import uses_fused_pass
from model.training.trainer import build_trainer

NAMES = list(ACTIVATIONS)


@pytest.mark.parametrize("name", NAMES)
def test_each_derivative_is_the_slope_of_its_activation(name):
    x = np.random.default_rng(0).normal(size=50) * 3
    x[np.abs(x) < 1e-3] = 0.5  # away from ReLU's kink
    eps = 1e-6
    slope = (ACTIVATIONS[name](x + eps) - ACTIVATIONS[name](x - eps)) / (2 * eps)
    assert np.allclose(DERIVATIVES[name](ACTIVATIONS[name](x)), slope, rtol=1e-6, atol=1e-9)


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


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
@pytest.mark.parametrize("batch_size", [1, 16, None])
@pytest.mark.parametrize(
    "data",
    [
        DataConfig("spiral", n_samples=120, params={"n_classes": 3}),
        DataConfig("multigauss", n_samples=120, problem="regression"),
    ],
)
def test_a_run_is_the_same_on_either_pass(optimizer, batch_size, data):
    config = ExperimentConfig(
        data=data,
        model=ModelConfig(hidden=(12, 8), activation="tanh"),
        train=TrainConfig(optimizer, 0.02, batch_size=batch_size, eval_every=10),
    )
    runs = []
    for fused in (True, False):
        trainer = build_trainer(config)
        trainer.fused_pass = fused
        trainer.train(60)
        runs.append(trainer)
    a, b = (t.model.parameter_pairs()[0][0] for t in runs)
    assert np.allclose(a, b, rtol=1e-10, atol=1e-12)
    for p, q in zip(runs[0].history, runs[1].history, strict=True):
        # regression records no accuracy: NaN in both runs
        assert np.allclose(p.row()[:6], q.row()[:6], rtol=1e-10, atol=1e-12, equal_nan=True)


@pytest.mark.parametrize("hidden", [(1,), (20,), (64, 64), (128,) * 3, (256,) * 8])
def test_batches_large_enough_to_be_stopped_within_a_layer_run_the_fused_pass(hidden):
    widths = [2, *hidden, 6]
    smallest_checked = -(-CHECKED_SIZE // max(widths))
    assert uses_fused_pass(widths, smallest_checked)
    assert uses_fused_pass(widths, 100_000)


def test_the_trainer_runs_the_chosen_pass_for_its_shape():
    config = ExperimentConfig(model=ModelConfig(hidden=(64, 64)), train=TrainConfig(batch_size=32))
    trainer = build_trainer(config)
    assert trainer.fused_pass == uses_fused_pass([2, 64, 64, 2], 32)
    perceptron = build_trainer(ExperimentConfig(model=ModelConfig(kind="perceptron")))
    assert perceptron.fused_pass is False
