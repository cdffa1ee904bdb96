"""The loss landscape: the slice's centre is the training loss, the grid agrees with the model's
own evaluation, the planes are the ones Li et al. define, the model is left as it was, the
Trainer keeps a bounded path and sessions keep it. ``main.py landscape``:
tests/cli/test_landscape_command.py."""

from pathlib import Path

import numpy as np
import pytest

from model.config import DataConfig, ExperimentConfig, ModelConfig, TrainConfig
from model.io.session import load_session, save_session
from model.landscape.slices import (
    SliceEvaluator,
    _neurons,
    flat_parameters,
    line_losses,
    pca_plane,
    random_plane,
    training_loss,
    with_parameters,
)
from model.training.snapshots import WeightSnapshots
from model.training.trainer import build_trainer

ROOT = Path(__file__).resolve().parents[2]
CONFIGS = {
    "moons relu": ExperimentConfig(data=DataConfig("moons", n_samples=200)),
    "spiral tanh penalties": ExperimentConfig(
        data=DataConfig("spiral", n_samples=150, params={"n_classes": 3}),
        model=ModelConfig(hidden=(8, 6), activation="tanh"),
        train=TrainConfig("adam", 0.01, l2=0.01, l1=0.001, eval_every=5),
    ),
    "features, no hidden layer": ExperimentConfig(
        data=DataConfig("xor", n_samples=100),
        model=ModelConfig(hidden=(), features=("x1x2", "sinx1")),
    ),
    "regression": ExperimentConfig(
        DataConfig("multigauss", n_samples=200, problem="regression"),
        ModelConfig(hidden=(8, 8), activation="sigmoid"),
        TrainConfig("sgd", 0.05, batch_size=16, eval_every=3),
    ),
    "perceptron": ExperimentConfig(
        DataConfig("gaussians", params={"mean": 0.5}),
        ModelConfig(kind="perceptron"),
        TrainConfig(learning_rate=0.1, eval_every=1),
    ),
}


def trained(name: str, updates: int = 40):
    trainer = build_trainer(CONFIGS[name])
    trainer.train(updates)
    return trainer


@pytest.mark.parametrize("name", list(CONFIGS))
def test_the_grid_is_the_models_own_loss_and_the_centre_exactly_the_training_loss(name):
    trainer = trained(name)
    model, data = trainer.model, trainer.dataset
    before = flat_parameters(model)
    plane = random_plane(model, np.random.default_rng(3))
    evaluator = SliceEvaluator(model, data, before, plane, span=0.5, resolution=7)
    loss = evaluator.compute()
    assert evaluator.done and evaluator.a[3] == 0 and evaluator.b[3] == 0
    assert loss[3, 3] == trainer.evaluate().train_loss  # bit for bit
    expected = [
        [training_loss(model, data, plane.point(a, b)) for a in evaluator.a] for b in evaluator.b
    ]
    np.testing.assert_allclose(loss, expected, rtol=1e-12, atol=1e-14)
    assert np.array_equal(flat_parameters(model), before)  # the model untouched


def test_penalties_are_added_when_asked():
    trainer = trained("spiral tanh penalties")
    model, data = trainer.model, trainer.dataset
    centre = flat_parameters(model)
    plane = pca_plane(trainer.weight_snapshots[1], centre)
    evaluator = SliceEvaluator(model, data, centre, plane, 1.0, 5, penalty=True)
    loss = evaluator.compute()
    assert loss[2, 2] == pytest.approx(trainer.evaluate().train_loss + model.penalty(), rel=1e-14)
    corner = training_loss(model, data, plane.point(-1.0, 1.0), penalty=True)
    assert loss[4, 0] == pytest.approx(corner, rel=1e-12)


def test_advancing_in_pieces_gives_the_one_shot_result_and_partial_grids_are_nan():
    trainer = trained("moons relu")
    model, data = trainer.model, trainer.dataset
    centre = flat_parameters(model)
    plane = random_plane(model, np.random.default_rng(0))
    whole = SliceEvaluator(model, data, centre, plane, 1.0, 21).compute()
    pieces = SliceEvaluator(model, data, centre, plane, 1.0, 21)
    assert not pieces.advance(0.0)  # at least one batch, not all
    assert np.isnan(pieces.loss).any() and np.isfinite(pieces.loss).any()
    calls = 1
    while not pieces.advance(0.0):
        calls += 1
    assert calls > 2 and np.array_equal(pieces.loss, whole)
    stopped = SliceEvaluator(model, data, centre, plane, 1.0, 21)
    assert not stopped.advance(10.0, lambda: True) and np.isnan(stopped.loss).all()


def test_resolution_and_span_are_checked():
    trainer = trained("moons relu", 1)
    model, data = trainer.model, trainer.dataset
    centre = flat_parameters(model)
    plane = random_plane(model, np.random.default_rng(0))
    assert SliceEvaluator(model, data, centre, plane).loss.shape == (41, 41)
    assert SliceEvaluator(model, data, centre, plane, 1.0, 100).loss.shape == (101, 101)
    for resolution in (2, 102, 1001):
        with pytest.raises(ValueError):
            SliceEvaluator(model, data, centre, plane, 1.0, resolution)
    for span in (0.0, -1.0, float("nan")):
        with pytest.raises(ValueError):
            SliceEvaluator(model, data, centre, plane, span, 5)


def test_with_parameters_restores_the_model_bit_for_bit_even_after_an_error():
    trainer = trained("moons relu")
    model = trainer.model
    before = flat_parameters(model)
    with pytest.raises(RuntimeError), with_parameters(model, np.zeros_like(before)):
        assert not flat_parameters(model).any()
        raise RuntimeError
    assert np.array_equal(flat_parameters(model), before)
    with pytest.raises(ValueError):
        with_parameters(model, before[:-1]).__enter__()


def test_a_path_in_a_two_dimensional_affine_plane_lies_in_the_pca_plane():
    rng = np.random.default_rng(5)
    n, k = 50, 30
    base, u, v = rng.normal(size=n), rng.normal(size=n), rng.normal(size=n)
    coefficients = rng.normal(size=(k, 2))
    snapshots = base + coefficients[:, :1] * u + coefficients[:, 1:] * v
    centre = snapshots[-1]  # the current weights: the path's last point
    plane = pca_plane(snapshots, centre)
    assert plane.explained == pytest.approx(1.0, abs=1e-12)
    assert abs(plane.d1 @ plane.d2) < 1e-12
    assert np.linalg.norm(plane.d1) == pytest.approx(1) == np.linalg.norm(plane.d2)
    rebuilt = np.array([plane.point(a, b) for a, b in plane.path])
    assert np.max(np.abs(rebuilt - snapshots)) < 1e-12
    assert np.allclose(plane.project(snapshots), plane.path, atol=1e-12)
    assert np.allclose(plane.path[-1], 0.0, atol=1e-12)
    bent = snapshots + np.outer(np.sin(np.arange(k)), rng.normal(size=n))  # a third direction
    assert pca_plane(bent, bent[-1]).explained < 1.0


@pytest.mark.parametrize("name", ["moons relu", "spiral tanh penalties", "regression"])
def test_the_pca_plane_is_scikit_learns_pca_of_the_path(name):
    decomposition = pytest.importorskip(
        "sklearn.decomposition", reason="scikit-learn is the reference"
    )
    trainer = trained(name)
    _, snapshots, gram = trainer.snapshots.view()
    centre = flat_parameters(trainer.model)
    reference = decomposition.PCA(svd_solver="full").fit(snapshots - centre)
    expected = reference.explained_variance_ratio_[:2].sum()
    for plane in (pca_plane(snapshots, centre), pca_plane(snapshots, centre, gram)):
        for direction, component in zip((plane.d1, plane.d2), reference.components_, strict=False):
            sign = np.sign(direction @ component)
            assert np.allclose(direction, sign * component, rtol=0, atol=1e-8)
        assert plane.explained == pytest.approx(expected, rel=1e-9)
        assert plane.explained < 1.0  # a real path: more than two directions


@pytest.mark.parametrize("k", [0, 1, 2, 5])
def test_short_or_straight_paths_still_give_an_orthonormal_plane(k):
    rng = np.random.default_rng(1)
    centre, step = rng.normal(size=20), rng.normal(size=20)
    snapshots = centre + np.outer(np.arange(k) - (k - 1), step)  # a straight line ending at it
    plane = pca_plane(snapshots.reshape(k, 20), centre)
    assert np.linalg.norm(plane.d1) == pytest.approx(1) == np.linalg.norm(plane.d2)
    assert abs(plane.d1 @ plane.d2) < 1e-12
    assert plane.explained == pytest.approx(1.0)
    if k >= 2:  # the line is along d1
        assert abs(plane.d1 @ step) == pytest.approx(np.linalg.norm(step))


@pytest.mark.parametrize("name", ["moons relu", "spiral tanh penalties", "perceptron"])
def test_filter_normalisation_gives_every_neuron_the_norm_of_its_weights(name):
    trainer = trained(name)
    model = trainer.model
    weights = flat_parameters(model)
    first = random_plane(model, np.random.default_rng(7))
    again = random_plane(model, np.random.default_rng(7))
    assert np.array_equal(first.d1, again.d1) and not np.array_equal(first.d1, first.d2)
    neurons = _neurons(model)
    assert sorted(np.concatenate([np.append(w, b) for w, b in neurons])) == list(
        range(weights.size)
    )  # each once
    for direction in (first.d1, first.d2):  # Li et al.: the weights scaled, the biases still
        for index, bias in neurons:
            assert np.linalg.norm(direction[index]) == pytest.approx(
                np.linalg.norm(weights[index]), rel=1e-7
            )
            assert not np.any(direction[bias])


def test_the_line_runs_from_the_initial_to_the_current_weights():
    trainer = trained("moons relu", 100)
    model, data = trainer.model, trainer.dataset
    end = flat_parameters(model)
    t, train = line_losses(model, data, trainer.initial_parameters, end)
    _, test = line_losses(model, data, trainer.initial_parameters, end, test=True, points=11)
    assert t[0] == 0 and t[-1] == 1 and len(train) == 51 and len(test) == 11
    assert train[-1] == trainer.evaluate().train_loss and test[-1] == trainer.evaluate().test_loss
    assert train[0] == trainer.history[0].train_loss
    middle = training_loss(model, data, 0.5 * trainer.initial_parameters + 0.5 * end)
    assert train[25] == pytest.approx(middle, rel=1e-12)


def test_the_trainer_records_the_weights_at_every_evaluation():
    trainer = build_trainer(CONFIGS["moons relu"], eval_every=5)
    start = flat_parameters(trainer.model)
    trainer.train(20)
    updates, rows = trainer.weight_snapshots
    assert updates == [0, 5, 10, 15, 20] == [p.update for p in trainer.history]
    assert np.array_equal(rows[0], start) and np.array_equal(trainer.initial_parameters, start)
    assert np.array_equal(rows[-1], flat_parameters(trainer.model))
    rows[0] += 1.0  # a copy
    assert np.array_equal(trainer.weight_snapshots[1][0], start)


def test_snapshots_stay_bounded_keeping_the_first_and_the_last():
    snapshots = WeightSnapshots(3, limit=40)
    for update in range(1000):
        snapshots.record(update, np.full(3, float(update)))
        assert len(snapshots) <= 40
    updates, rows = snapshots.get()
    assert updates[0] == 0 and updates[-1] == 999 and updates == sorted(updates)
    assert np.array_equal(rows[:, 0], updates)  # each row still with its update
    assert WeightSnapshots(460_000).limit * 460_000 * 8 <= 64 * 2**20  # a large network
    assert WeightSnapshots(100).limit == 200


def test_sessions_keep_the_path_and_the_start_and_old_ones_still_open(tmp_path):
    trainer = trained("regression", 30)
    save_session(tmp_path / "run.npz", CONFIGS["regression"], trainer)
    opened = load_session(tmp_path / "run.npz")[1]
    assert opened.weight_snapshots[0] == trainer.weight_snapshots[0]
    assert np.array_equal(opened.weight_snapshots[1], trainer.weight_snapshots[1])
    assert np.array_equal(opened.initial_parameters, trainer.initial_parameters)
    opened.train(3)
    trainer.train(3)
    assert opened.weight_snapshots[0] == trainer.weight_snapshots[0]
    for old in (ROOT / "tests/model/sessions").glob("*.npz"):  # written before snapshots
        _, trainer = load_session(old)
        updates, rows = trainer.weight_snapshots
        assert updates == [trainer.updates]
        assert np.array_equal(rows[0], flat_parameters(trainer.model))
        assert np.array_equal(trainer.initial_parameters, rows[0])
