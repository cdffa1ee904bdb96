"""Sessions whose numbers cannot be right are refused with one line naming the field; the
sessions the app writes, however large their honest numbers, still open.

Each bad file is a session the app saved from a short real run, then edited the way a
hostile or careless hand would: a number stored as text, a complex or huge weight, a NaN
moment, a label of 0.5, a history going backwards, a counter of 2^62.
"""

import contextlib
import json

import numpy as np
import pytest

from model.config import DataConfig, ExperimentConfig, ModelConfig, TrainConfig
from model.io.session import SessionError, load_session, save_session
from model.limits import MAX_DIVERGED_WEIGHT, MAX_LOSS, MAX_RUN_UPDATES, MAX_WEIGHT
from model.training.trainer import TrainingDiverged, build_trainer

POINTS = np.random.default_rng(0).uniform(-1, 1, (30, 2))
RUNS = {
    "full batch": (
        ExperimentConfig(
            data=DataConfig("xor", n_samples=80),
            model=ModelConfig(hidden=(6,)),
            train=TrainConfig("momentum", 0.05, eval_every=2),
        ),
        12,
    ),
    "mini-batch adam": (
        ExperimentConfig(
            data=DataConfig("spiral", n_samples=90, params={"n_classes": 3}),
            model=ModelConfig(hidden=(8,), activation="tanh"),
            train=TrainConfig("adam", 0.01, batch_size=10, eval_every=3),
        ),
        23,
    ),
    "regression": (
        ExperimentConfig(
            data=DataConfig("multigauss", n_samples=80, problem="regression"),
            model=ModelConfig(hidden=(6,), activation="tanh"),
            train=TrainConfig("adam", 0.01, batch_size=16, eval_every=2),
        ),
        9,
    ),
    "perceptron": (
        ExperimentConfig(
            data=DataConfig("gaussians", n_samples=60, params={"mean": 0.5}),
            model=ModelConfig(kind="perceptron"),
            train=TrainConfig(learning_rate=0.1, eval_every=2),
        ),
        6,
    ),
    "seed 3e9": (
        ExperimentConfig(
            data=DataConfig("moons", n_samples=60, seed=3_000_000_000),
            model=ModelConfig(hidden=(4,)),
            train=TrainConfig("sgd", 0.1, batch_size=8, seed=3_000_000_000),
        ),
        7,
    ),
    # A least-squares line through targets 2e6 * x1: its weight is 2e6, an honest number.
    "regression fit with a weight of 2e6": (
        ExperimentConfig(
            data=DataConfig.custom(
                np.column_stack([np.linspace(-0.5, 0.5, 12), np.tile([0.0, 0.25, -0.25], 4)]),
                2e6 * np.linspace(-0.5, 0.5, 12),
                problem="regression",
            ),
            model=ModelConfig(hidden=(), activation="linear"),
            train=TrainConfig("sgd", 0.5, eval_every=10),
        ),
        300,
    ),
    # Diverged at its second update: the failed update left weights of 3e12, and no update
    # will run from them again; the app saves such a run and must open it.
    "diverged run": (
        ExperimentConfig(
            data=DataConfig.custom(
                POINTS, 1e6 * POINTS[:, 0], problem="regression", train_fraction=0.8
            ),
            model=ModelConfig(hidden=(4,), activation="linear"),
            train=TrainConfig("sgd", 0.1, eval_every=1),
        ),
        20,
    ),
}


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """Each run of RUNS, saved by the app's own save_session; name -> file."""
    folder = tmp_path_factory.mktemp("sessions")
    paths = {}
    for name, (config, updates) in RUNS.items():
        trainer = build_trainer(config)
        with contextlib.suppress(TrainingDiverged):
            trainer.train(updates)
        paths[name] = folder / f"{name}.npz"
        save_session(paths[name], config, trainer)
    return paths


def arrays_of(path) -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as archive:
        return {key: archive[key] for key in archive.files}


def with_config(arrays, section: str, key: str, value) -> dict:
    """The session with one configuration setting replaced in its stored JSON."""
    raw = json.loads(str(arrays["config"]))
    raw[section][key] = value
    return {**arrays, "config": np.array(json.dumps(raw))}


def with_cell(arrays, key: str, index, value) -> dict:
    """The session with one number of one stored array replaced (the array's type kept,
    unless ``value`` needs a wider one)."""
    array = np.array(arrays[key], dtype=np.result_type(arrays[key], np.asarray(value).dtype))
    array[index] = value
    return {**arrays, key: array}


def with_history_column(arrays, column: int, values) -> dict:
    history = arrays["history"].copy()
    history[:, column] = values
    return {**arrays, "history": history}


def with_rng(arrays, key: str, value) -> dict:
    state = json.loads(str(arrays["rng_state"]))
    (state["state"] if key in ("state", "inc") else state)[key] = value
    return {**arrays, "rng_state": np.array(json.dumps(state))}


def with_point_as_text(arrays) -> dict:
    """The user's own first point stored in the configuration with its x1 as text."""
    raw = json.loads(str(arrays["config"]))
    raw["data"]["points"][0][0] = str(raw["data"]["points"][0][0])
    return {**arrays, "config": np.array(json.dumps(raw))}


def reversed_updates(arrays) -> dict:
    history = arrays["history"].copy()
    history[:, 0] = history[::-1, 0]
    return {**arrays, "history": history}


# (saved run, how the file was changed, what the one line must say)
FAULTS = {
    "learning rate as text": (
        "full batch",
        lambda a: with_config(a, "train", "learning_rate", "0.05"),
        "configuration's learning_rate holds the text '0.05'",
    ),
    "seed as text": (
        "full batch",
        lambda a: with_config(a, "train", "seed", "0"),
        "configuration's seed holds the text",
    ),
    "hidden width as text": (
        "full batch",
        lambda a: with_config(a, "model", "hidden", ["6"]),
        "configuration's hidden holds the text",
    ),
    "own point as text": (
        "regression fit with a weight of 2e6",
        with_point_as_text,
        "configuration's points holds the text '-0.5'",
    ),
    "version as text": ("full batch", lambda a: {**a, "version": np.array("1")}, "(version)"),
    "number of classes as text": (
        "full batch",
        lambda a: {**a, "n_classes": np.array("2")},
        "number of classes (n_classes) is not a whole number",
    ),
    "training time as text": (
        "full batch",
        lambda a: {**a, "seconds": np.array("0.5")},
        "training time",
    ),
    "training time of 1e300 seconds": (
        "full batch",
        lambda a: {**a, "seconds": np.array(1e300)},
        "training time",
    ),
    "counters as text": (
        "full batch",
        lambda a: {**a, "counters": a["counters"].astype(str)},
        "training counters",
    ),
    "NaN Adam moment m": (
        "mini-batch adam",
        lambda a: with_cell(a, "optimizer_m_0", 3, np.nan),
        "optimizer state 'm_0' holds numbers that are not finite",
    ),
    "negative Adam moment v": (
        "mini-batch adam",
        lambda a: with_cell(a, "optimizer_v_0", 3, -1e-3),
        "optimizer state 'v_0' has negative values",
    ),
    "negative Adam step count t": (
        "mini-batch adam",
        lambda a: {**a, "optimizer_t": np.array(-5)},
        "optimizer state 't' is not a whole number",
    ),
    "Adam step count t as a fraction": (
        "mini-batch adam",
        lambda a: {**a, "optimizer_t": np.array(20.5)},
        "optimizer state 't' is not a whole number",
    ),
    "complex Adam moment m": (
        "mini-batch adam",
        lambda a: {**a, "optimizer_m_0": a["optimizer_m_0"] + 1j},
        "optimizer state 'm_0'",
    ),
    "infinite momentum velocity": (
        "full batch",
        lambda a: with_cell(a, "optimizer_velocity_0", 0, np.inf),
        "optimizer state 'velocity_0' holds numbers that are not finite",
    ),
    "complex weights": (
        "full batch",
        lambda a: {**a, "parameters": a["parameters"] + 0.5j},
        "weights (parameters) as complex numbers",
    ),
    "weights beyond the limit": (
        "full batch",
        lambda a: with_cell(a, "parameters", 0, 10 * MAX_WEIGHT),
        "weights (parameters) reach",
    ),
    "a diverged run's weights of 1e300": (
        "diverged run",
        lambda a: {**a, "parameters": np.full_like(a["parameters"], 1e300)},
        "weights (parameters) reach 1e+300",
    ),
    "complex initial weights": (
        "full batch",
        lambda a: {**a, "initial_parameters": a["initial_parameters"] * (1 + 1j)},
        "initial weights (initial_parameters) as complex numbers",
    ),
    "initial weights beyond the limit": (
        "full batch",
        lambda a: with_cell(a, "initial_parameters", 1, -1e200),
        "initial weights (initial_parameters) reach",
    ),
    "complex recorded weights": (
        "full batch",
        lambda a: {**a, "snapshots": a["snapshots"] + 1j},
        "recorded weights (snapshots) as complex numbers",
    ),
    # Finite, but the landscape's principal plane of them failed (LinAlgError).
    "recorded weights of 1e200": (
        "full batch",
        lambda a: with_cell(a, "snapshots", (-1, 0), 1e200),
        "recorded weights (snapshots) reach",
    ),
    "class label 0.5": (
        "full batch",
        lambda a: {  # the full batch's epoch order is the training set's own: both change
            **a,
            "y_train": np.r_[0.5, a["y_train"][1:]],
            "y_epoch": np.r_[0.5, a["y_epoch"][1:]],
        },
        "class labels (y_train) as decimals, not whole",
    ),
    "complex points": (
        "full batch",
        lambda a: {**a, "X_test": a["X_test"] + 0j},
        "points (X_test) as complex numbers",
    ),
    "labels as text": (
        "full batch",
        lambda a: {**a, "y_test": a["y_test"].astype(str)},
        "class labels (y_test) as text, not whole",
    ),
    "epoch order's labels as fractions": (
        "mini-batch adam",
        lambda a: {**a, "y_epoch": a["y_epoch"] + 0.25},
        "(y_epoch) as decimals, not whole",
    ),
    "negative update number in the history": (
        "full batch",
        lambda a: with_cell(a, "history", (0, 0), -2.0),
        "history's update numbers",
    ),
    "decreasing update numbers in the history": (
        "full batch",
        reversed_updates,
        "history's update numbers",
    ),
    "fractional update number in the history": (
        "full batch",
        lambda a: with_cell(a, "history", (1, 0), 1.5),
        "history's update numbers",
    ),
    "history beyond the run's updates": (
        "full batch",
        lambda a: with_cell(a, "history", (-1, 0), 10_000.0),
        "history's update numbers",
    ),
    "loss of 1e308 in the history": (
        "full batch",
        lambda a: with_cell(a, "history", (2, 2), 1e308),
        "history's losses",
    ),
    "negative loss in the history": (
        "regression",
        lambda a: with_cell(a, "history", (1, 4), -0.5),
        "history's losses",
    ),
    "accuracy above 1 in the history": (
        "full batch",
        lambda a: with_history_column(a, 3, 1.5),
        "history's accuracies",
    ),
    "negative epoch in the history": (
        "full batch",
        lambda a: with_cell(a, "history", (0, 1), -1.0),
        "history's epochs",
    ),
    "negative seconds in the history": (
        "full batch",
        lambda a: with_history_column(a, 6, -1.0),
        "history's training times",
    ),
    "update counter of 2^62": (
        "full batch",
        lambda a: with_cell(a, "counters", 0, 2**62),
        "training counters are out of range",
    ),
    "epoch counter of 2^62": (
        "mini-batch adam",
        lambda a: with_cell(a, "counters", 1, 2**62),
        "training counters are out of range",
    ),
    "perceptron epochs of 2^62": (
        "perceptron",
        lambda a: {**a, "perceptron_epochs": np.array(2**62)},
        "(perceptron_epochs) is not a whole number",
    ),
    "thinning mark of 1e300": (
        "full batch",
        lambda a: {**a, "history_thinned_before": np.array(1e300)},
        "thinning mark (history_thinned_before)",
    ),
    "infinite start loss": (
        "full batch",
        lambda a: {**a, "start_loss": np.array(np.inf)},
        "start loss (start_loss)",
    ),
    "negative start loss": (
        "regression",
        lambda a: {**a, "start_loss": np.array(-3.0)},
        "start loss (start_loss)",
    ),
    "shuffling increment that is not whole": (
        "mini-batch adam",
        lambda a: with_rng(a, "inc", 1.5),
        "shuffling state's 'inc'",
    ),
    "shuffling flag of 5": (
        "mini-batch adam",
        lambda a: with_rng(a, "has_uint32", 5),
        "shuffling state's 'has_uint32'",
    ),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_session_with_impossible_numbers_is_refused_in_one_line(saved, tmp_path, fault):
    run, change, message = FAULTS[fault]
    path = tmp_path / "bad.npz"
    np.savez(path, **change(arrays_of(saved[run])))
    with pytest.raises(SessionError) as error:
        load_session(path)
    line = str(error.value)
    assert line.startswith("bad.npz cannot be opened: it")
    assert message in line
    assert "\n" not in line


VALID = {
    **{name: lambda a: a for name in RUNS},
    # JSON's 3e9 is a number, as a configuration written by hand may hold it.
    "seed written as 3e9": lambda a: {
        **a,
        "config": np.array(str(a["config"]).replace('"seed": 3000000000', '"seed": 3e9')),
    },
    "the largest counters": lambda a: {
        **with_cell(a, "counters", 0, MAX_RUN_UPDATES),
        "history_thinned_before": np.array(MAX_RUN_UPDATES),
    },
    "a loss at the limit": lambda a: with_cell(a, "history", (-1, 4), MAX_LOSS),
}


@pytest.mark.parametrize("name", list(VALID))
def test_sessions_with_honest_numbers_still_open(saved, tmp_path, name):
    source = saved[name if name in RUNS else "seed 3e9" if "3e9" in name else "full batch"]
    path = tmp_path / "good.npz"
    arrays = VALID[name](arrays_of(source))
    np.savez(path, **arrays)
    config, trainer = load_session(path)
    assert trainer.updates == int(arrays["counters"][0])
    assert np.array_equal(trainer.model.parameter_pairs()[0][0], arrays["parameters"])
    if "3e9" in name:
        assert config.train.seed == config.data.seed == 3_000_000_000
    if name == "regression fit with a weight of 2e6":
        assert np.abs(arrays["parameters"]).max() > 1.9e6  # beyond the 1e6 of coordinates
    if name == "diverged run":
        largest = np.abs(arrays["parameters"]).max()
        assert trainer.stopped_reason and MAX_WEIGHT < largest <= MAX_DIVERGED_WEIGHT
