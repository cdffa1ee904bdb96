"""The network exported as a NumPy script: run in a subprocess, it predicts exactly what the
app predicts and prints the app's test accuracy (regression: its test MSE)."""

import ast
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from model.config import DataConfig, ExperimentConfig, ModelConfig, TrainConfig
from model.export.common import FEATURE_CODE, LIST_LIMIT
from model.export.numpy_script import ACTIVATION_CODE
from model.export.scripts import export_trainer, write_script
from model.export.torch_script import MODULES
from model.nn.activations import ACTIVATIONS
from model.nn.features import FEATURE_NAMES
from model.training.evaluation import predict_in_slices
from model.training.trainer import build_trainer
from tests.full_disk import file_size_limit
from tests.model.export_runs import run_script, script_predictions

MAIN = Path(__file__).resolve().parents[2] / "main.py"


def _mlp(data: DataConfig, hidden=(20,), activation="relu", features=("x1", "x2"), rate=0.05):
    return ExperimentConfig(
        data, ModelConfig("mlp", hidden, activation, None, features), TrainConfig("adam", rate)
    )


CASES = {
    "relu": ExperimentConfig(),
    "tanh with x1sq, sinx1": _mlp(DataConfig("moons"), (12,), "tanh", ("x1sq", "sinx1", "x2")),
    "sigmoid, two layers": _mlp(DataConfig("spiral"), (8, 6), "sigmoid", ("x1", "x2", "sinx2")),
    "linear units": _mlp(DataConfig("xor"), (5, 5), "linear", ("x1", "x2", "x1x2")),
    "no hidden layer": _mlp(DataConfig("circles"), (), features=("x1sq", "x2sq"), rate=0.5),
    "three classes": _mlp(DataConfig("blobs", params={"n_classes": 3}), (16,)),
    "regression": _mlp(DataConfig("multigauss", problem="regression"), (16, 16), "tanh"),
    "perceptron": ExperimentConfig(
        DataConfig("gaussians"), ModelConfig("perceptron"), TrainConfig("sgd", 0.01)
    ),
}


def trained(config: ExperimentConfig, updates: int = 40):
    trainer = build_trainer(config)
    trainer.train(updates)
    return trainer


def exported(trainer, tmp_path: Path, name: str = "network.py") -> Path:
    path = tmp_path / name
    export_trainer("numpy", trainer, path)
    return path


def plane(dataset, n: int = 25) -> np.ndarray:
    """A grid over the data and beyond, and the test points: what the app draws and scores."""
    x0, x1, y0, y1 = dataset.extent(margin=0.5)
    a, b = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
    return np.vstack([np.column_stack([a.ravel(), b.ravel()]), dataset.X_test])


@pytest.mark.parametrize("case", list(CASES))
def test_the_script_predicts_exactly_what_the_app_predicts(tmp_path, case):
    trainer = trained(CASES[case])
    path = exported(trainer, tmp_path)
    X = plane(trainer.dataset)
    names, outputs = script_predictions(path, X)
    app = predict_in_slices(trainer.model, X)
    assert np.array_equal(outputs, app)  # to the last bit
    if names is not None:
        labels = trainer.dataset.label_names()
        assert names == [labels[k] for k in np.argmax(app, axis=1)]


@pytest.mark.parametrize("case", list(CASES))
def test_run_it_prints_the_apps_test_figure(tmp_path, case):
    trainer = trained(CASES[case])
    line = run_script(exported(trainer, tmp_path)).strip()
    point = trainer.evaluate()
    n = len(trainer.dataset.y_test)
    if trainer.dataset.is_regression:
        assert line == f"test mean squared error {point.test_loss:.6f} ({n} test points)"
    else:
        correct = round(point.test_accuracy * n)
        assert line == f"test accuracy {point.test_accuracy:.4f} ({correct} of {n} test points)"


def test_the_script_is_readable_and_importable(tmp_path):
    trainer = trained(CASES["tanh with x1sq, sinx1"])
    path = exported(trainer, tmp_path, "moons_net.py")
    text = path.read_text()
    ast.parse(text)
    assert text.startswith("#!/usr/bin/env python3\n")
    assert "python moons_net.py --predict points.csv" in text
    assert "W1 = np.array(\n" in text and "_decode(\n" not in text  # small: plain lists
    assert "out[:, 1] = x1 * x1" in text and "np.tanh(h, out=h)" in text
    assert max(len(line) for line in text.splitlines()) <= 100
    code = (
        "import sys, numpy as np; sys.path.insert(0, '.'); import moons_net as m; "
        "p = m.predict_proba([[0.5, 0.25], [1.0, -0.5]]); "
        "print(p.shape, m.predict([0.5, 0.25]).tolist(), m.CLASS_NAMES)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("(2, 2) [") and "('0', '1')" in result.stdout


def test_the_largest_network_is_compact_and_exact_in_slices(tmp_path):
    """8 x 256 hidden units: the weights go as base64, and the app's row slices are kept."""
    config = _mlp(DataConfig("moons", n_samples=200), (256,) * 8, rate=0.001)
    trainer = trained(config, 3)
    path = exported(trainer, tmp_path)
    text = path.read_text()
    assert "_decode(\n" in text
    assert path.stat().st_size < 8_000_000
    rows = int(re.search(r"^ROWS = (\d+)", text, re.MULTILINE).group(1))
    X = plane(trainer.dataset, 12)
    assert len(X) > rows  # more points than one slice
    _, outputs = script_predictions(path, X)
    assert np.array_equal(outputs, predict_in_slices(trainer.model, X))


def test_class_names_of_the_users_own_points_are_kept(tmp_path):
    rng = np.random.default_rng(3)
    X = np.vstack([rng.normal(-2, 1, (30, 2)), rng.normal(2, 1, (30, 2))])
    y = np.repeat([0, 1], 30)
    data = DataConfig.custom(X, y, ("cat", "dog"), seed=0)
    trainer = trained(_mlp(data, (4,)))
    path = exported(trainer, tmp_path)
    names, _ = script_predictions(path, np.array([[-3.0, -3.0], [3.0, 3.0]]))
    assert names == ["cat", "dog"]
    assert "CLASS_NAMES = ('cat', 'dog')" in path.read_text()


def test_arrays_beyond_the_list_limit_are_exact_too(tmp_path):
    trainer = trained(_mlp(DataConfig("moons", n_samples=3000), (40,)))
    assert trainer.dataset.X_test.size > LIST_LIMIT  # the test points go as base64
    path = exported(trainer, tmp_path)
    names, outputs = script_predictions(path, trainer.dataset.X_test)
    assert np.array_equal(outputs, predict_in_slices(trainer.model, trainer.dataset.X_test))
    point = trainer.evaluate()
    assert f"test accuracy {point.test_accuracy:.4f} " in run_script(path)


def test_every_activation_and_feature_has_its_code():
    assert set(ACTIVATION_CODE) == set(ACTIVATIONS) == set(MODULES)
    assert set(FEATURE_CODE) == set(FEATURE_NAMES)


def test_a_diverged_network_is_not_exported(tmp_path):
    trainer = trained(CASES["relu"], 1)
    trainer.model.linears[0].params["weight"][0, 0] = np.nan
    with pytest.raises(ValueError, match="not all finite"):
        exported(trainer, tmp_path)
    assert not list(tmp_path.iterdir())


def test_a_failed_write_keeps_the_old_file(tmp_path):
    path = tmp_path / "network.py"
    path.write_text("old")
    with pytest.raises(OSError, match="cannot write"), file_size_limit(2000):
        write_script(path, "x" * 10_000)
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["network.py"]  # no temporary left
    with pytest.raises(OSError, match="is a folder"):
        write_script(tmp_path, "x")


# ----- main.py train --export_script -----
def main_py(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(MAIN), *args], capture_output=True, text=True, timeout=120, **kwargs
    )


@pytest.mark.parametrize(
    "flags",
    [
        ("--features", "x1sq,sinx1,x2", "--activation", "tanh"),
        ("--dataset", "blobs", "--dnn_hidden_units", "8,8", "--activation", "sigmoid"),
        ("--dataset", "circles", "--features", "x1sq,x2sq", "--dnn_hidden_units", ""),
    ],
)
def test_train_export_script_prints_the_final_lines_test_accuracy(tmp_path, flags):
    path = tmp_path / "net.py"
    result = main_py("train", "--max_steps", "30", *flags, "--export_script", str(path))
    assert result.returncode == 0, result.stderr
    final = result.stdout.splitlines()[-1]
    accuracy = re.search(r"test accuracy (\d\.\d{4})", final).group(1)
    assert re.match(rf"test accuracy {accuracy} \(", run_script(path))


def test_train_export_script_of_a_regression_prints_its_test_mse(tmp_path):
    path = tmp_path / "net.py"
    args = ("--problem", "regression", "--dataset", "plane", "--max_steps", "20")
    result = main_py("train", *args, "--export_script", str(path))
    assert result.returncode == 0, result.stderr
    mse = re.search(r"test loss (\d+\.\d{6}) \(mean squared error\)", result.stdout).group(1)
    assert run_script(path).startswith(f"test mean squared error {mse} (")


@pytest.mark.parametrize("flag", ["--export_script", "--export_torch"])
def test_a_path_that_cannot_be_written_is_refused_before_training(tmp_path, flag):
    for bad, why in (
        (tmp_path / "missing" / "net.py", "does not exist"),
        (tmp_path, "is a folder"),
    ):
        result = main_py("train", "--max_steps", "5", flag, str(bad))
        assert result.returncode == 2
        assert result.stdout == ""  # nothing trained
        assert result.stderr.count("\n") == 1 and flag in result.stderr and why in result.stderr


def test_a_write_that_fails_after_training_exits_1_and_keeps_the_old_file(tmp_path):
    path = tmp_path / "net.py"
    path.write_text("old")

    def limited() -> None:  # in the child: writes past 4 kB fail, as on a full disk
        import resource
        import signal

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4000, resource.RLIM_INFINITY))

    result = main_py("train", "--max_steps", "5", "--export_script", str(path), preexec_fn=limited)
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1].startswith("Final: 5 steps")
    assert result.stderr.startswith("--export_script: not written: cannot write")
    assert result.stderr.count("\n") == 1
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["net.py"]
