"""Saved sessions: opened again, a run continues with exactly the numbers it would have had."""

import io
import json
from pathlib import Path

import numpy as np
import pytest

from model.config import DataConfig, ExperimentConfig, ModelConfig, TrainConfig
from model.io.session import SessionError, load_session, save_session, session_arrays
from model.training.trainer import build_trainer

CONFIGS = {
    "sgd mini-batch mid-epoch": ExperimentConfig(
        data=DataConfig("moons", n_samples=200),
        train=TrainConfig("sgd", 0.1, batch_size=16, eval_every=3),
    ),
    "adam on spiral": ExperimentConfig(
        data=DataConfig("spiral", n_samples=150, params={"n_classes": 3}),
        model=ModelConfig(hidden=(8, 6), activation="tanh"),
        train=TrainConfig("adam", 0.01, batch_size=10),
    ),
    "momentum full batch": ExperimentConfig(
        data=DataConfig("xor", n_samples=100), train=TrainConfig("momentum", 0.05)
    ),
    "features, linear units, full batch": ExperimentConfig(
        data=DataConfig("circles", n_samples=120),
        model=ModelConfig(hidden=(4, 3), activation="linear", features=("x1sq", "x2sq", "x1x2")),
        train=TrainConfig("momentum", 0.05),
    ),
    "features mini-batch": ExperimentConfig(
        data=DataConfig("xor", n_samples=100),
        model=ModelConfig(hidden=(), features=("x1x2", "sinx1")),
        train=TrainConfig("sgd", 0.1, batch_size=16),
    ),
    "regression mini-batch mid-epoch": ExperimentConfig(
        data=DataConfig("multigauss", n_samples=200, problem="regression"),
        model=ModelConfig(hidden=(8, 8), activation="tanh"),
        train=TrainConfig("adam", 0.01, batch_size=16, eval_every=3),
    ),
    "perceptron": ExperimentConfig(
        data=DataConfig("gaussians", params={"mean": 0.5}),
        model=ModelConfig(kind="perceptron"),
        train=TrainConfig(learning_rate=0.1),
    ),
}


def figures(trainer) -> np.ndarray:
    """The history's losses and accuracies (NaN for regression, equal to NaN here)."""
    return np.array([p.row()[:6] for p in trainer.history])


@pytest.mark.parametrize("name", list(CONFIGS))
def test_opened_session_steps_on_with_identical_numbers(tmp_path, name):
    config = CONFIGS[name]
    original = build_trainer(config)
    original.train(37)
    path = tmp_path / "run.npz"
    save_session(path, config, original)
    opened_config, opened = load_session(path)
    assert opened_config == config
    assert np.array_equal(figures(opened), figures(original), equal_nan=True)
    original.train(25)
    opened.train(25)
    assert opened.updates == original.updates == 62
    assert opened.epoch == original.epoch
    assert np.array_equal(
        opened.model.parameter_pairs()[0][0], original.model.parameter_pairs()[0][0]
    )
    assert np.array_equal(figures(opened), figures(original), equal_nan=True)


def test_custom_data_and_class_names_survive(tmp_path):
    X = np.array([[0, 0], [1, 1], [0, 1], [1, 0], [2, 2], [-1, 0]], dtype=float)
    config = ExperimentConfig(data=DataConfig.custom(X, [0, 1, 0, 1, 1, 0], ("no", "yes")))
    trainer = build_trainer(config)
    save_session(tmp_path / "mine.npz", config, trainer)
    _, opened = load_session(tmp_path / "mine.npz")
    assert opened.dataset.label_names() == ("no", "yes")
    assert np.array_equal(opened.dataset.X_all, trainer.dataset.X_all)


def test_custom_regression_data_survives_and_refuses_classes(tmp_path):
    X = np.array([[0, 0], [1, 1], [0, 1], [1, 0], [2, 2], [-1, 0]], dtype=float)
    targets = [0.25, -1.5, 3.0, 0.0, 7.125, -2.0]
    config = ExperimentConfig(data=DataConfig.custom(X, targets, problem="regression"))
    trainer = build_trainer(config)
    save_session(tmp_path / "mine.npz", config, trainer)
    _, opened = load_session(tmp_path / "mine.npz")
    assert opened.dataset.is_regression and opened.dataset.n_classes == 0
    assert sorted(opened.dataset.y_all) == sorted(targets)  # real values, not classes
    arrays = dict(np.load(tmp_path / "mine.npz", allow_pickle=False))
    np.savez(tmp_path / "classes.npz", **{**arrays, "n_classes": np.array(2)})
    with pytest.raises(SessionError, match="regression data has a number of classes"):
        load_session(tmp_path / "classes.npz")
    history = arrays["history"].copy()
    history[:, 3] = 0.5  # an accuracy where regression has none
    np.savez(tmp_path / "accuracy.npz", **{**arrays, "history": history})
    with pytest.raises(SessionError, match="regression history has accuracies"):
        load_session(tmp_path / "accuracy.npz")


def saved_bytes(config=None) -> bytes:
    config = config or CONFIGS["momentum full batch"]
    trainer = build_trainer(config)
    trainer.train(3)
    buffer = io.BytesIO()
    np.savez(buffer, **session_arrays(config, trainer))
    return buffer.getvalue()


def rewritten(**changes) -> bytes:
    arrays = dict(np.load(io.BytesIO(saved_bytes()), allow_pickle=False))
    arrays.update(changes)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "content, message",
    [
        (lambda: b"", "not a Neural Playground session"),
        (lambda: b"x1,x2,label\n0,0,0\n", "not a Neural Playground session"),
        (lambda: saved_bytes()[:-200], "damaged or truncated"),
        (lambda: saved_bytes()[:300], "damaged or truncated"),
        (lambda: rewritten(format=np.array("something else")), "not a Neural Playground session"),
        (lambda: rewritten(version=np.array(99)), "saved by a newer version"),
        (lambda: rewritten(parameters=np.zeros(5)), "do not fit the saved network"),
        (
            lambda: rewritten(config=np.array(json.dumps({"model": {"kind": "tree"}}))),
            "model must be one of",
        ),
        (lambda: rewritten(counters=np.array([3, 3, 99])), "counters are out of range"),
        (lambda: rewritten(history=np.zeros((2, 3))), "history has the wrong shape"),
        (lambda: rewritten(y_train=np.full(80, 7)), "unknown classes"),
        (lambda: rewritten(version=np.array(0)), "not one this app wrote"),
        (lambda: rewritten(parameters=np.full(102, np.nan)), "not all finite"),
        (lambda: rewritten(optimizer_velocity_0=np.zeros(3)), "does not fit the weights"),
        (lambda: rewritten(n_classes=np.array(2.5)), "whole number from 2 to 6"),
        (lambda: rewritten(y_epoch=np.full(80, 9)), "not a reordering of its training data"),
        (lambda: rewritten(y_epoch=np.full(80, -1)), "not a reordering of its training data"),
        (lambda: rewritten(seconds=np.array(np.inf)), "not a finite number of seconds"),
        (lambda: rewritten(X_test=np.full((20, 2), 1e300)), "coordinates beyond"),
        (lambda: rewritten(history=np.zeros((20_001, 7))), "more than 20,000"),
        (lambda: rewritten(history=np.full((3, 7), np.nan)), "not finite numbers"),
        (lambda: rewritten(rng_state=np.array('{"state": 1}')), "cannot be opened"),
    ],
)
def test_bad_files_are_refused_with_one_clear_line(tmp_path, content, message):
    path = tmp_path / "bad.npz"
    path.write_bytes(content())
    with pytest.raises(SessionError) as error:
        load_session(path)
    assert message in str(error.value)
    assert str(error.value).startswith("bad.npz ")
    assert "\n" not in str(error.value)


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(SessionError, match="missing.npz could not be read"):
        load_session(tmp_path / "missing.npz")


def test_a_failed_save_leaves_the_old_file(tmp_path):
    config = CONFIGS["momentum full batch"]
    path = tmp_path / "run.npz"
    save_session(path, config, build_trainer(config))
    before = path.read_bytes()
    with pytest.raises(OSError):
        save_session(tmp_path / "no such folder" / "run.npz", config, build_trainer(config))
    assert path.read_bytes() == before


def test_any_flipped_byte_is_refused_or_harmless(tmp_path):
    """Corruption inside the compressed data (zlib errors and the like) is a SessionError."""
    config = CONFIGS["momentum full batch"]
    trainer = build_trainer(config)
    trainer.train(3)
    good = tmp_path / "good.npz"
    save_session(good, config, trainer)
    data = bytearray(good.read_bytes())
    rng = np.random.default_rng(0)
    path = tmp_path / "flipped.npz"
    refused = 0
    for position in rng.integers(0, len(data), 300):
        damaged = bytearray(data)
        damaged[position] ^= 0xFF
        path.write_bytes(bytes(damaged))
        try:
            load_session(path)
        except SessionError:
            refused += 1
    assert refused > 100  # and no other exception escaped


def test_whatever_the_app_saves_it_opens_again(tmp_path):
    """Random valid states (data, network, optimizer, batch size, progress) round-trip."""
    rng = np.random.default_rng(11)
    path = tmp_path / "random.npz"
    for _ in range(12):
        name = str(rng.choice(["moons", "circles", "xor", "spiral", "blobs", "gaussians"]))
        params = {"n_classes": int(rng.integers(2, 5))} if name in ("spiral", "blobs") else {}
        hidden = tuple(int(w) for w in rng.integers(1, 9, size=rng.integers(0, 3)))
        config = ExperimentConfig(
            data=DataConfig(name, n_samples=int(rng.integers(20, 200)), params=params),
            model=ModelConfig(hidden=hidden, activation=str(rng.choice(["relu", "tanh"]))),
            train=TrainConfig(
                str(rng.choice(["sgd", "momentum", "adam"])),
                float(rng.choice([0.001, 0.01, 0.1])),
                batch_size=[None, 1, 7][int(rng.integers(0, 3))],
                eval_every=int(rng.integers(1, 5)),
                seed=int(rng.integers(0, 2**32)),
            ),
        )
        trainer = build_trainer(config)
        trainer.train(int(rng.integers(0, 30)))
        save_session(path, config, trainer)
        opened_config, opened = load_session(path)
        assert opened_config == config
        assert opened.updates == trainer.updates and len(opened.history) == len(trainer.history)
        trainer.train(5)
        opened.train(5)
        assert np.array_equal(
            opened.model.parameter_pairs()[0][0], trainer.model.parameter_pairs()[0][0]
        )


@pytest.mark.parametrize("name", ["adam_spiral_mid_epoch", "perceptron"])
def test_a_session_saved_by_an_earlier_version_continues_exactly(name):
    """Files written before the Trainer kept its state in one record (37 updates in, no
    start loss) open and go on with the numbers of a run that never stopped."""
    path = Path(__file__).parent / "sessions" / f"{name}.npz"
    config, opened = load_session(path)
    assert config.model.features == ("x1", "x2")  # saved before features existed
    unbroken = build_trainer(config)
    unbroken.train(37)
    assert opened.updates == 37 and opened.epoch == unbroken.epoch
    opened.train(25)
    unbroken.train(25)
    assert np.array_equal(
        opened.model.parameter_pairs()[0][0], unbroken.model.parameter_pairs()[0][0]
    )
    # The earlier version's saved losses came from the probabilities, today's from the logits
    # (model/nn/modules.py, cross_entropy_from_logits): the same to rounding.
    np.testing.assert_allclose(
        [p.row()[:6] for p in opened.history], [p.row()[:6] for p in unbroken.history], rtol=1e-12
    )


def test_the_state_round_trips_through_restore():
    config = CONFIGS["adam on spiral"]
    original = build_trainer(config)
    original.train(23)
    copy = build_trainer(config)
    copy.restore(original.state())
    original.train(11)
    copy.train(11)
    assert np.array_equal(
        copy.model.parameter_pairs()[0][0], original.model.parameter_pairs()[0][0]
    )
    assert [p.row()[:6] for p in copy.history] == [p.row()[:6] for p in original.history]
    assert copy.epoch == original.epoch
