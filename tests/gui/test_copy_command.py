"""Edit > Copy as command and main.py train --save_session, round trip through a real window:
the copied command, run, prints the figures the window shows; a session the command saves
opens in the window at the command's figures and steps on as the command would."""

import re
import shlex
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from model.config import DataConfig, ExperimentConfig, ModelConfig, TrainConfig
from model.io.points_file import write_points
from model.io.presets import find_preset
from tests.gui.running import run_updates
from tests.run_main import Finished, run_main

MAIN = Path(__file__).resolve().parents[2] / "main.py"
TIMEOUT = 20_000
FINAL = re.compile(
    r"Final: \d+ steps \((\d+) updates, batch size \d+\), train loss ([\d.]+)"
    r"(?:, train accuracy ([\d.]+))?, test loss ([\d.]+)(?:, test accuracy ([\d.]+))?"
)


def run_command(text: str, cwd: Path | None = None) -> Finished:
    """The copied command as a user runs it, through this checkout's main.py."""
    program, script, *argv = shlex.split(text)
    assert (program, script) == ("python", "main.py")
    return run_main(*argv, cwd=cwd)


def printed(stdout: str) -> tuple:
    match = FINAL.search(stdout)
    assert match, stdout
    return match.groups()


def shown(window) -> tuple:
    """The update and the figures the window shows (its last history point), as printed."""
    point = window.curves.history.last
    regression = window.playground.config.data.is_regression
    return (
        str(window.playground.last_frame.update),
        f"{point.train_loss:.6f}",
        None if regression else f"{point.train_accuracy:.4f}",
        f"{point.test_loss:.6f}",
        None if regression else f"{point.test_accuracy:.4f}",
    )


def train_in_window(qtbot, window, updates: int, config: ExperimentConfig | None = None):
    if config is not None:
        generation = window.playground.last_frame.generation
        window.playground.load_config(config)
        qtbot.waitUntil(
            lambda: window.playground.last_frame.generation != generation, timeout=TIMEOUT
        )
    run_updates(qtbot, window, updates, TIMEOUT)


def copy(window) -> tuple[str, str]:
    """Trigger Edit > Copy as command: the clipboard's text and the status bar's message."""
    QApplication.clipboard().setText("(nothing)")
    window.copy_command.action.trigger()
    return QApplication.clipboard().text(), window.statusBar().currentMessage()


@pytest.mark.parametrize(
    ("config", "updates", "length"),
    [
        (None, 40, "--max_steps 40"),  # the default experiment, full batch
        (
            ExperimentConfig(
                DataConfig("spiral", n_samples=400, params={"n_classes": 3}, seed=4),
                ModelConfig(hidden=(12, 12), activation="tanh", features=("x1", "x2", "sinx1")),
                TrainConfig("adam", 0.01, 32, l2=0.001, eval_every=7, seed=4),
            ),
            137,  # 10 updates a pass: stopped in the middle of the 14th
            "--max_updates 137",
        ),
        (find_preset("regression-multigauss").config, 60, "--max_steps 60"),
    ],
)
def test_the_copied_command_prints_the_windows_figures(qtbot, window, config, updates, length):
    train_in_window(qtbot, window, updates, config)
    text, message = copy(window)
    assert text.startswith("python main.py train ") and text.endswith(length)
    assert message == f"Copied the command for update {updates}: {text}"
    assert window.menu_actions and window.copy_command.action.shortcut().toString() == (
        "Ctrl+Shift+K"
    )
    result = run_command(text)
    assert result.returncode == 0, result.stderr
    assert printed(result.stdout) == shown(window)
    assert f"update {updates}" in window.status.text()  # the status line shows the same run


def test_a_learning_rate_changed_while_training_is_named_until_a_reset(qtbot, window):
    train_in_window(qtbot, window, 20)
    window.training_panel.learning_rate.setValue(0.05)
    qtbot.waitUntil(lambda: window.playground.worker.config.train.learning_rate == 0.05)
    train_in_window(qtbot, window, 5)
    text, message = copy(window)
    assert "--learning_rate 0.05" in text
    assert message.startswith(
        "Copied; the figures may differ, as the learning rate was changed while it trained."
    )
    generation = window.playground.last_frame.generation
    window.controls.reset_action.trigger()
    qtbot.waitUntil(lambda: window.playground.last_frame.generation != generation)
    assert "may differ" not in copy(window)[1]


def test_a_weight_typed_in_is_named(qtbot, window):
    train_in_window(qtbot, window, 10)
    window.playground.set_weight(0, 0, 0, 0.5)
    qtbot.waitUntil(lambda: bool(window.copy_command.changes.notes))
    assert "a weight was typed in by hand" in copy(window)[1]


def test_own_points_need_their_csv_and_then_give_the_same_figures(qtbot, window, tmp_path):
    source = tmp_path / "mine.csv"
    rows = [f"{x / 7:.3f},{(x * 3 % 11) / 5:.3f},{'ab'[x % 2]}" for x in range(60)]
    source.write_text("x1,x2,label\n" + "\n".join(rows) + "\n")
    generation = window.playground.last_frame.generation
    window.files.load_data(str(source))
    qtbot.waitUntil(lambda: window.playground.last_frame.generation != generation)
    train_in_window(qtbot, window, 23)
    text, message = copy(window)
    assert "--data points.csv" in text
    assert message.startswith(
        "Copied; save your points as points.csv first (File > Save data as CSV, Ctrl+Shift+L)"
    )
    write_points(tmp_path / "points.csv", window.files.current_points())  # as that menu does
    result = run_command(text, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert printed(result.stdout) == shown(window)


def test_the_perceptron_gets_its_own_command_or_the_reason_there_is_none(qtbot, window):
    train_in_window(qtbot, window, 15, find_preset("part-1-perceptron").config)
    text, message = copy(window)
    assert text.startswith("python main.py perceptron --mean 2 --cov 1 --max_epochs 15")
    result = run_command(text)
    accuracy = window.curves.history.last.test_accuracy
    assert result.stdout.splitlines()[0] == f"Test accuracy: {accuracy:.4f}"
    generation = window.playground.last_frame.generation
    window.training_panel.batch_size.setValue(10)  # a new network: training starts again
    qtbot.waitUntil(lambda: window.playground.last_frame.generation != generation)
    train_in_window(qtbot, window, 3)
    text, message = copy(window)
    assert text == "(nothing)"  # the clipboard keeps what it had
    assert message == (
        "Nothing copied: main.py perceptron updates on the whole training set, and this run "
        "in batches of 10."
    )


def test_a_session_the_command_saves_continues_in_the_window(qtbot, window, tmp_path):
    path = tmp_path / "run.npz"
    argv = ["train", "--batch_size", "32", "--eval_every", "5", "--seed", "2"]
    result = run_main(*argv, "--max_updates", "60", "--save_session", str(path))
    assert result.returncode == 0, result.stderr
    assert window.files.open_session(str(path))
    qtbot.waitUntil(lambda: window.playground.last_frame.update == 60, timeout=TIMEOUT)
    assert printed(result.stdout) == shown(window)
    assert window.training_panel.batch_size.value() == 32
    assert window.training_panel.eval_every.value() == 5
    window.controls.step_action.trigger()  # one more update
    qtbot.waitUntil(lambda: window.playground.last_frame.update == 61, timeout=TIMEOUT)
    text, message = copy(window)
    assert "--max_updates 61" in text and "it continued a session file" in message
    more = run_command(text)  # the same settings from update 0: here, the same run
    assert printed(more.stdout) == shown(window)
