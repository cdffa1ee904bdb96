"""The random plane of the loss landscape is the one of Li et al. (2018): their
``net_plotter.py`` (norm='filter', ignore='biasbn'), transcribed line for line below from
PyTorch to NumPy, gives the same directions from the same Gaussian draws. ``main.py
landscape --directions`` writes the centre and both directions by layer, and another program
rebuilds them with the reference from the seed alone.
"""

import numpy as np
import pytest

from cli.app import run
from model.config import DataConfig, ExperimentConfig, ModelConfig, TrainConfig
from model.landscape.slices import (
    SliceEvaluator,
    flat_parameters,
    random_plane,
    training_loss,
    with_parameters,
)
from model.nn.perceptron import Perceptron
from model.training.trainer import build_trainer


# ----- the reference: net_plotter.py, PyTorch tensors as NumPy arrays -----
def normalize_direction(direction, weights, norm="filter"):
    """net_plotter.normalize_direction; iterating a (out, in) weight gives each output
    neuron's row, and ``d *=`` scales that row in place as ``d.mul_`` does."""
    if norm == "filter":
        for d, w in zip(direction, weights, strict=True):
            # d.mul_(w.norm()/(d.norm() + 1e-10))
            d *= np.linalg.norm(w) / (np.linalg.norm(d) + 1e-10)


def normalize_directions_for_weights(direction, weights, norm="filter", ignore="biasbn"):
    """net_plotter.normalize_directions_for_weights."""
    assert len(direction) == len(weights)
    for d, w in zip(direction, weights, strict=True):
        if d.ndim <= 1:
            if ignore == "biasbn":
                d.fill(0)  # d.fill_(0): ignore directions for weights with 1 dimension
            else:
                d[...] = w  # d.copy_(w)
        else:
            normalize_direction(d, w, norm)


# ----- between the app's flat parameters and PyTorch's parameter list -----
def torch_layout(model, flat: np.ndarray) -> list[np.ndarray]:
    """``flat`` as the parameters of the same network in PyTorch: each nn.Linear's weight
    (out, in), then its bias (out,); read through the model's own arrays."""
    with with_parameters(model, flat):
        if isinstance(model, Perceptron):  # nn.Linear(2, 1): weight [[w1, w2]], bias [b]
            return [model.weights[None, 1:].copy(), model.weights[:1].copy()]
        out = []
        for linear in model.linears:
            out += [linear.params["weight"].T.copy(), linear.params["bias"].copy()]
        return out


def app_layout(model, parameters: list[np.ndarray]) -> np.ndarray:
    """The inverse of ``torch_layout``: written into the model's arrays, read back flat."""
    flat = np.zeros_like(flat_parameters(model))
    with with_parameters(model, flat):
        if isinstance(model, Perceptron):
            model.weights[1:], model.weights[:1] = parameters[0][0], parameters[1]
        else:
            for i, linear in enumerate(model.linears):
                linear.params["weight"][...] = parameters[2 * i].T
                linear.params["bias"][...] = parameters[2 * i + 1]
        return flat_parameters(model)


def reference_plane(model, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Li et al.'s two directions from the app's Gaussian draws (one flat draw each)."""
    rng = np.random.default_rng(seed)
    weights = torch_layout(model, flat_parameters(model))
    directions = []
    for _ in range(2):
        direction = torch_layout(model, rng.standard_normal(flat_parameters(model).size))
        normalize_directions_for_weights(direction, weights, "filter", "biasbn")
        directions.append(app_layout(model, direction))
    return directions[0], directions[1]


CONFIGS = {
    "moons relu": ExperimentConfig(data=DataConfig("moons", n_samples=200)),
    "spiral tanh, two layers, 3 classes": ExperimentConfig(
        data=DataConfig("spiral", n_samples=150, params={"n_classes": 3}),
        model=ModelConfig(hidden=(8, 6), activation="tanh"),
        train=TrainConfig("adam", 0.01),
    ),
    "features, no hidden layer": ExperimentConfig(
        data=DataConfig("xor", n_samples=100),
        model=ModelConfig(hidden=(), features=("x1x2", "sinx1")),
    ),
    "perceptron": ExperimentConfig(
        DataConfig("gaussians", params={"mean": 0.5}),
        ModelConfig(kind="perceptron"),
        TrainConfig(learning_rate=0.1),
    ),
}


def trained(name: str, updates: int = 30):
    trainer = build_trainer(CONFIGS[name])
    trainer.train(updates)
    return trainer


@pytest.mark.parametrize("name", list(CONFIGS))
def test_the_random_plane_is_li_et_als_filter_normalised_plane(name):
    model = trained(name).model
    for seed in (0, 7):
        plane = random_plane(model, np.random.default_rng(seed))
        d1, d2 = reference_plane(model, seed)
        np.testing.assert_allclose(plane.d1, d1, rtol=1e-13, atol=0)
        np.testing.assert_allclose(plane.d2, d2, rtol=1e-13, atol=0)
        for ours, theirs in zip(plane.d1, d1, strict=True):  # every bias direction exactly 0
            assert (ours == 0) == (theirs == 0)


def test_a_neuron_without_weights_gets_no_direction_and_the_map_is_the_references():
    trainer = trained("moons relu")
    model, data = trainer.model, trainer.dataset
    first = model.linears[0].params["weight"]
    first[:, 3] = 0.0  # hidden neuron 3: all of its incoming weights zero
    plane = random_plane(model, np.random.default_rng(1))
    d1, d2 = reference_plane(model, 1)
    np.testing.assert_allclose(plane.d1, d1, rtol=1e-13, atol=0)
    with with_parameters(model, plane.d1):
        assert not np.any(first[:, 3])  # 0, not a direction of norm 1
    centre = flat_parameters(model)
    loss = SliceEvaluator(model, data, centre, plane, span=1.0, resolution=5).compute()
    axis = np.linspace(-1.0, 1.0, 5)
    expected = [[training_loss(model, data, centre + a * d1 + b * d2) for a in axis] for b in axis]
    np.testing.assert_allclose(loss, expected, rtol=1e-9)


@pytest.mark.parametrize("name", ["moons relu", "spiral tanh, two layers, 3 classes"])
def test_including_biases_scales_each_neurons_weights_and_bias_as_one_filter(name):
    model = trained(name).model
    plane = random_plane(model, np.random.default_rng(2), include_biases=True)
    reference = reference_plane(model, 2)[0]
    weights = torch_layout(model, flat_parameters(model))
    direction = torch_layout(model, plane.d1)
    for k in range(0, len(weights), 2):
        groups = np.column_stack([direction[k], direction[k + 1]])  # (out, in + 1)
        centre = np.column_stack([weights[k], weights[k + 1]])
        np.testing.assert_allclose(
            np.linalg.norm(groups, axis=1), np.linalg.norm(centre, axis=1), rtol=1e-7
        )
        assert np.all(direction[k + 1] != 0)  # the biases move
    assert not np.allclose(plane.d1, reference)


def test_main_py_landscape_writes_the_directions_the_reference_rebuilds(tmp_path, capsys):
    path = tmp_path / "directions.npz"
    flags = ["--max_steps", "20", "--n_samples", "200", "--resolution", "5", "--seed", "3"]
    argv = ["landscape", *flags, "--dnn_hidden_units", "6,4", "--plane", "random"]
    assert run([*argv, "--directions", str(path)]) == 0, capsys.readouterr().err
    assert "as Li et al." in capsys.readouterr().out
    saved = np.load(path)
    names = [f"{p}{kind}{i}" for p in ("", "a", "b") for i in range(3) for kind in "Wb"]
    assert sorted(saved.files) == sorted(names)
    widths = [2, 6, 4, 2]
    for i in range(3):  # W as (in, out)
        assert saved[f"W{i}"].shape == saved[f"aW{i}"].shape == (widths[i], widths[i + 1])
        assert saved[f"b{i}"].shape == saved[f"bb{i}"].shape == (widths[i + 1],)
    # Another program: PyTorch's layout from the file, the draws from the seed, the reference.
    centre = [saved[f"{kind}{i}"] for i in range(3) for kind in "Wb"]
    flat_order = np.concatenate([array.ravel() for array in centre])
    rng = np.random.default_rng(3)
    torch_weights = [a.T if a.ndim == 2 else a for a in centre]
    for prefix in "ab":
        draw = rng.standard_normal(flat_order.size)
        pieces = np.split(draw, np.cumsum([a.size for a in centre])[:-1])
        direction = [
            p.reshape(a.shape).T.copy() if a.ndim == 2 else p.copy()
            for p, a in zip(pieces, centre, strict=True)
        ]
        normalize_directions_for_weights(direction, torch_weights)
        for i in range(3):
            np.testing.assert_allclose(saved[f"{prefix}W{i}"], direction[2 * i].T, rtol=1e-13)
            assert not np.any(saved[f"{prefix}b{i}"]) and not np.any(direction[2 * i + 1])


def test_main_py_landscape_can_include_biases_and_refuses_what_it_cannot_write(tmp_path, capsys):
    path = tmp_path / "biases.npz"
    flags = ["--max_steps", "5", "--n_samples", "200", "--resolution", "3", "--plane", "random"]
    assert run(["landscape", *flags, "--include_biases", "--directions", str(path)]) == 0
    assert "bias in its filter" in capsys.readouterr().out
    saved = np.load(path)
    group = np.vstack([saved["aW0"], saved["ab0"]])  # each column: a neuron's weights and bias
    centre = np.vstack([saved["W0"], saved["b0"]])
    np.testing.assert_allclose(
        np.linalg.norm(group, axis=0), np.linalg.norm(centre, axis=0), rtol=1e-7
    )
    assert np.all(saved["ab0"] != 0)
    for bad in (
        ["--directions", str(tmp_path / "d.txt")],  # not an npz file
        ["--directions", str(tmp_path / "no" / "d.npz")],
        ["--include_biases", "--plane", "pca"],  # PCA directions have no filters
    ):
        assert run(["landscape", "--max_steps", "1", *bad]) == 2
        assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["biases.npz"]
