"""The command line written back from a configuration: parsed by the real train parser it
builds the very same configuration, and run it prints the figures of the same run."""

import re
from pathlib import Path

import numpy as np
import pytest

from cli.app import build_parser
from cli.experiment_config import run_config
from model.config import DataConfig, ExperimentConfig, ModelConfig, TrainConfig
from model.data.datasets import DATASETS, EXTRA_PARAMS, REGRESSION, dataset_problem
from model.export.command_line import (
    NoCommand,
    command_text,
    perceptron_command,
    saved_points_reproduce,
    train_command,
)
from model.io.points_file import LabelledPoints, read_points, write_points
from model.io.session import load_session
from model.limits import EVAL_EVERY_RANGE, LEARNING_RATE_RANGE, MAX_LAYERS
from model.nn.activations import ACTIVATIONS
from model.nn.features import FEATURE_NAMES
from model.nn.modules import INITIALISATIONS
from model.nn.optimizers import OPTIMIZERS
from model.training.trainer import build_trainer
from tests.run_main import Finished, run_main

MAIN = Path(__file__).resolve().parents[2] / "main.py"
FINAL = re.compile(
    r"Final: (\d+) steps \((\d+) updates, batch size (\d+)\), train loss ([\d.]+)"
    r"(?:, train accuracy ([\d.]+))?, test loss ([\d.]+)(?:, test accuracy ([\d.]+))?"
)


def run(*args: str, cwd: Path | None = None) -> Finished:
    return run_main(*args, cwd=cwd)


def final_figures(stdout: str) -> dict:
    match = FINAL.search(stdout)
    assert match, stdout
    keys = ("steps", "updates", "batch", "train_loss", "train_acc", "test_loss", "test_acc")
    return dict(zip(keys, match.groups(), strict=True))


def window_figures(config: ExperimentConfig, updates: int) -> dict:
    """What the window shows after ``updates`` updates: its Trainer evaluates every
    ``eval_every`` updates and once more when it pauses."""
    trainer = build_trainer(config)
    trainer.train(updates)
    point = trainer.evaluate()
    regression = trainer.dataset.is_regression
    return {
        "updates": str(trainer.updates),
        "train_loss": f"{point.train_loss:.6f}",
        "train_acc": None if regression else f"{point.train_accuracy:.4f}",
        "test_loss": f"{point.test_loss:.6f}",
        "test_acc": None if regression else f"{point.test_accuracy:.4f}",
    }


def parsed_config(argv: list[str]) -> ExperimentConfig:
    return run_config(build_parser().parse_args(argv))


def random_config(rng: np.random.Generator, name: str) -> ExperimentConfig:
    """Any configuration the panels can make for data set ``name``: every field at random."""
    params = {}
    for key, (_, low, high, integer) in EXTRA_PARAMS[name].items():
        params[key] = int(rng.integers(low, high + 1)) if integer else float(rng.uniform(low, high))
    seed = int(rng.integers(0, 2**32))
    data = DataConfig(
        name,
        n_samples=None if rng.random() < 0.3 else int(rng.integers(4, 5000)),
        noise=None if rng.random() < 0.3 else float(rng.uniform(0, 5)),
        train_fraction=0.8 if rng.random() < 0.3 else float(rng.uniform(0.05, 0.95)),
        seed=seed,
        params=params,
        problem=dataset_problem(name),
    )
    features = tuple(f for f in FEATURE_NAMES if rng.random() < 0.4) or ("x2",)
    model = ModelConfig(
        "mlp",
        tuple(int(w) for w in rng.integers(1, 257, size=rng.integers(0, MAX_LAYERS + 1))),
        str(rng.choice(list(ACTIVATIONS))),
        None if rng.random() < 0.5 else str(rng.choice(INITIALISATIONS)),
        features,
    )
    low, high = np.log10(LEARNING_RATE_RANGE)
    train = TrainConfig(
        str(rng.choice(OPTIMIZERS)),
        float(10 ** rng.uniform(low, high)),
        None if rng.random() < 0.4 else int(rng.integers(1, 100_001)),
        0.0 if rng.random() < 0.5 else float(rng.uniform(0, 10)),
        0.0 if rng.random() < 0.5 else float(10 ** rng.uniform(-6, 1)),
        int(rng.integers(EVAL_EVERY_RANGE[0], EVAL_EVERY_RANGE[1] + 1)),
        seed,
    )
    return ExperimentConfig(data, model, train)


@pytest.mark.parametrize("name", DATASETS)
def test_every_data_set_and_setting_comes_back_from_its_command(name):
    rng = np.random.default_rng(DATASETS.index(name))
    for _ in range(40):
        config = random_config(rng, name)
        updates = int(rng.integers(0, 10**6))
        argv = train_command(config, updates)
        assert parsed_config(argv) == config, command_text(argv)
        args = build_parser().parse_args(argv)  # full batch: an update is a step
        assert updates == (args.max_steps if args.max_updates is None else args.max_updates)


def test_the_defaults_and_the_panels_explicit_values_come_back():
    shown = ExperimentConfig(
        DataConfig("moons", n_samples=1000, noise=0.1), ModelConfig(), TrainConfig()
    )
    for config in (ExperimentConfig(), shown):
        assert parsed_config(train_command(config, 300)) == config
    assert command_text(train_command(shown, 300)) == (
        "python main.py train --dataset moons --n_samples 1000 --noise 0.1 "
        "--dnn_hidden_units 20 --learning_rate 0.01 --eval_every 10 --max_steps 300"
    )


def test_no_hidden_layer_is_an_empty_quoted_list():
    config = ExperimentConfig(model=ModelConfig(hidden=(), features=("x1sq", "x2sq")))
    text = command_text(train_command(config, 5))
    assert "--dnn_hidden_units '' --features x1sq,x2sq" in text
    assert parsed_config(train_command(config, 5)) == config


def test_whole_epochs_are_steps_and_a_pass_under_way_is_updates():
    batch = ExperimentConfig(train=TrainConfig(batch_size=32))  # 800 points: 25 updates a pass
    assert train_command(batch, 150, train_points=800)[-2:] == ["--max_steps", "6"]
    assert train_command(batch, 137, train_points=800)[-2:] == ["--max_updates", "137"]
    assert train_command(batch, 150)[-2:] == ["--max_updates", "150"]  # size unknown
    assert train_command(ExperimentConfig(), 0)[-2:] == ["--max_updates", "0"]
    # a batch at least the training set is full batch, which the command writes as such
    large = ExperimentConfig(train=TrainConfig(batch_size=5000))
    argv = train_command(large, 40, train_points=800)
    assert "--batch_size" not in argv and argv[-2:] == ["--max_steps", "40"]


def test_a_perceptron_or_two_seeds_have_no_train_command():
    with pytest.raises(NoCommand, match="perceptron"):
        train_command(ExperimentConfig(model=ModelConfig(kind="perceptron")), 10)
    two_seeds = ExperimentConfig(DataConfig(seed=1), ModelConfig(), TrainConfig(seed=2))
    with pytest.raises(NoCommand, match="--seed sets both"):
        train_command(two_seeds, 10)


def own_points(tmp_path: Path, problem: str = "classification") -> tuple[Path, DataConfig]:
    rng = np.random.default_rng(3)
    X = rng.normal(size=(120, 2))
    if problem == REGRESSION:
        points = LabelledPoints(X, X[:, 0] * X[:, 1], (), REGRESSION)
    else:
        points = LabelledPoints(X, (X[:, 0] > 0).astype(np.int64), ("left", "right"))
    path = tmp_path / "points.csv"
    write_points(path, points)
    read = read_points(path, problem)
    data = DataConfig.custom(
        read.X, read.y, read.class_names, seed=5, train_fraction=0.7, problem=problem
    )
    return path, data


@pytest.mark.parametrize("problem", ["classification", REGRESSION])
def test_own_points_come_back_from_their_csv(tmp_path, problem):
    path, data = own_points(tmp_path, problem)
    config = ExperimentConfig(data, ModelConfig(hidden=(6,)), TrainConfig(seed=5))
    argv = train_command(config, 12, data_path=str(path))
    assert ["--data", str(path)] == argv[argv.index("--data") : argv.index("--data") + 2]
    assert parsed_config(argv) == config


def test_saved_points_keep_their_class_numbers_only_when_their_names_sort_so():
    y = np.array([0, 1, 1, 0])
    assert saved_points_reproduce(y, ("0", "1"), "classification")
    assert saved_points_reproduce(y, ("blue", "red"), "classification")
    assert not saved_points_reproduce(y, ("red", "blue"), "classification")  # read as blue, red
    assert not saved_points_reproduce(np.array([0, 2, 2, 0]), ("0", "1", "2"), "classification")
    assert saved_points_reproduce(np.array([0.5, -1.0]), (), REGRESSION)


@pytest.mark.parametrize(
    ("config", "updates"),
    [
        (ExperimentConfig(DataConfig("moons", n_samples=1000, noise=0.1)), 300),
        (
            ExperimentConfig(
                DataConfig("spiral", n_samples=400, noise=0.1, params={"n_classes": 3}, seed=4),
                ModelConfig(hidden=(12, 12), activation="tanh"),
                TrainConfig("adam", 0.01, 32, l2=0.001, eval_every=7, seed=4),
            ),
            137,  # mid-epoch: 10 updates a pass
        ),
        (
            ExperimentConfig(
                DataConfig("circles", train_fraction=0.6, params={"factor": 0.3}),
                ModelConfig(hidden=(), features=("x1sq", "x2sq")),
                TrainConfig("momentum", 0.5, 5000, l1=0.0001, eval_every=3),
            ),
            60,
        ),
        (
            ExperimentConfig(
                DataConfig("multigauss", problem="regression", seed=2),
                ModelConfig(hidden=(8, 8), activation="sigmoid", init="small"),
                TrainConfig("sgd", 0.05, 1, eval_every=50, seed=2),
            ),
            999,
        ),
    ],
)
def test_the_command_prints_the_windows_figures(config, updates):
    train_points = len(build_trainer(config).dataset.y_train)
    argv = train_command(config, updates, train_points)
    result = run(*argv[:])
    assert result.returncode == 0, result.stderr
    printed = final_figures(result.stdout)
    shown = window_figures(config, updates)
    assert {key: printed[key] for key in shown} == shown


def test_own_points_command_prints_the_windows_figures(tmp_path):
    path, data = own_points(tmp_path)
    config = ExperimentConfig(data, ModelConfig(hidden=(6,)), TrainConfig(batch_size=10, seed=5))
    result = run(*train_command(config, 23), cwd=tmp_path)  # reads points.csv there
    assert result.returncode == 0, result.stderr
    printed = final_figures(result.stdout)
    assert {key: printed[key] for key in window_figures(config, 23)} == window_figures(config, 23)


def perceptron_config(**train) -> ExperimentConfig:
    return ExperimentConfig(
        DataConfig("gaussians", n_samples=200, params={"mean": 0.6, "cov": 1.5}, seed=3),
        ModelConfig(kind="perceptron"),
        TrainConfig(learning_rate=0.05, seed=3, **train),
    )


def test_the_perceptron_command_prints_the_windows_accuracies():
    config = perceptron_config()
    argv = perceptron_command(config, 25, train_points=160)
    assert argv == [
        "perceptron",
        *("--mean", "0.6", "--cov", "1.5", "--max_epochs", "25"),
        *("--learning_rate", "0.05", "--seed", "3"),
    ]
    result = run(*argv)
    assert result.returncode == 0, result.stderr
    shown = window_figures(config, 25)
    test_line, train_line = result.stdout.splitlines()[:2]
    assert test_line == f"Test accuracy: {shown['test_acc']}"
    assert train_line.startswith(f"Train accuracy: {shown['train_acc']} ")


@pytest.mark.parametrize(
    ("config", "updates", "why"),
    [
        (perceptron_config(), 0, "1 to 100,000 epochs"),
        (perceptron_config(batch_size=10), 5, "batches of 10"),
        (perceptron_config(optimizer="adam"), 5, "not adam"),
        (
            ExperimentConfig(DataConfig("moons"), ModelConfig(kind="perceptron")),
            5,
            "two Gaussians",
        ),
        (
            ExperimentConfig(
                DataConfig("gaussians", n_samples=400), ModelConfig(kind="perceptron")
            ),
            5,
            "200 points",
        ),
    ],
)
def test_a_perceptron_run_the_command_cannot_make_says_why(config, updates, why):
    with pytest.raises(NoCommand, match=why):
        perceptron_command(config, updates, train_points=160)


def test_a_session_saved_by_the_command_continues_with_its_numbers(tmp_path):
    path = tmp_path / "run.npz"
    common = ("train", "--batch_size", "32", "--eval_every", "5", "--seed", "2")
    result = run(*common, "--max_updates", "60", "--save_session", str(path))
    assert result.returncode == 0, result.stderr
    printed = final_figures(result.stdout)
    config, trainer = load_session(path)
    assert config.train.eval_every == 5 and trainer.updates == 60
    point = trainer.evaluate()
    assert f"{point.test_loss:.6f}" == printed["test_loss"]
    assert [p.update for p in trainer.history][-3:] == [50, 55, 60]  # every 5, as asked
    trainer.step()  # one more update: what the command gives for 61
    point = trainer.evaluate()
    more = final_figures(run(*common, "--max_updates", "61").stdout)
    assert f"{point.train_loss:.6f}" == more["train_loss"]
    assert f"{point.test_accuracy:.4f}" == more["test_acc"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--save_session", "/no/such/folder/run.npz"], "folder /no/such/folder does not exist"),
        (["--save_session", "run.txt"], "must end in .npz"),
        (["--dataset", "moons", "--mean", "3"], "--mean is a parameter of gaussians"),
        (["--data", "x.csv", "--factor", "0.3"], "--factor is a parameter of circles"),
        (["--max_steps", "3", "--max_updates", "5"], "not allowed with argument --max_steps"),
        (["--max_updates", "-1"], "must be from 0 to 10,000,000"),
        (["--train_fraction", "0.99"], "must be from 0.05 to 0.95"),
        (["--eval_every", "0"], "must be from 1 to 1,000,000"),
        (
            ["--dataset", "spiral", "--n_classes", "9"],
            "n_classes must be a whole number from 2 to 6",
        ),
    ],
)
def test_bad_reproduction_flags_exit_2_with_one_line(tmp_path, args, message):
    (tmp_path / "x.csv").write_text("0,0,a\n1,1,b\n0,1,a\n1,0,b\n")
    result = run("train", *args, cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and message in result.stderr, result.stderr
    assert not list(tmp_path.glob("*.npz"))  # refused before training
