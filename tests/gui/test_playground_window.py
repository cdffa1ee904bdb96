"""TensorFlow Playground links in the window: a link pasted or opened trains by Playground's
rules (its points, its losses after every epoch, named in the status bar and the loss plot),
a bad one changes nothing and says so in one line, a panel edit leaves the rules, and Edit >
Copy as Playground link / Copy as command give what reads back."""

import os
import shlex
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import QApplication

from cli.app import run as run_command
from gui.app import main as window_main
from gui.views.curves import LOSS_TITLES
from gui.windows.playground_link import (
    LEFT_RULES,
    OpenLinkDialog,
    rules_of,
)
from model.config import DataConfig, ExperimentConfig, ModelConfig
from model.playground.link import parse_link
from model.playground.run import PlaygroundRun
from model.playground.trainer import PLAYGROUND_RULES
from tests.gui.running import run_updates

MAIN = Path(__file__).resolve().parents[2] / "main.py"
LINK = (
    "https://playground.tensorflow.org/#activation=tanh&batchSize=10&dataset=circle&"
    "regDataset=reg-plane&learningRate=0.03&regularizationRate=0&noise=0&networkShape=4,2&"
    "seed=0.80664&showTestData=false&discretize=false&percTrainData=50&x=true&y=true&"
    "xTimesY=false&xSquared=false&ySquared=false&cosX=false&sinX=false&cosY=false&sinY=false&"
    "collectStats=false&problem=classification&initZero=false&hideText=false"
)
EPOCHS = 8
TIMEOUT = 20_000


def under_rules(window) -> bool:
    frame = window.playground.last_frame
    return rules_of(frame) is not None


def open_by_paste(qtbot, window, link: str = LINK) -> None:
    QApplication.clipboard().setText(link)
    window.playground_links.paste_action.trigger()  # Ctrl+V on the window
    qtbot.waitUntil(lambda: under_rules(window), timeout=TIMEOUT)


def test_a_pasted_link_trains_playgrounds_points_to_its_losses_per_epoch(qtbot, window):
    open_by_paste(qtbot, window)
    reference = PlaygroundRun.from_link(LINK)
    frame = window.playground.last_frame
    assert np.array_equal(frame.dataset.X_train, reference.data.train_points)
    assert np.array_equal(frame.dataset.X_test, reference.data.test_points)
    assert frame.dataset.y_train.tolist() == (reference.data.train_labels > 0).tolist()
    assert window.status.text().startswith(PLAYGROUND_RULES)
    assert window.curves.loss_plot.title_text == LOSS_TITLES["playground"]
    assert not window.playground.playing  # opened paused, as Playground opens

    run_updates(qtbot, window, EPOCHS * reference.updates_per_epoch)
    for _ in range(EPOCHS):
        reference.run_epoch()
    history = window.curves.history
    epochs = history.column("epoch")
    whole = epochs == np.round(epochs)
    shown = np.column_stack(
        [epochs[whole], history.column("train_loss")[whole], history.column("test_loss")[whole]]
    )
    assert np.allclose(shown, np.array(reference.history), rtol=0, atol=1e-12)
    last = reference.history[-1]
    text = window.status.text()
    assert f"epoch {EPOCHS}" in text
    assert f"Training loss {last[1]:.4f}" in text and f"Test loss {last[2]:.4f}" in text

    # What cannot follow Playground's rules is off and says why (the landscape follows them).
    assert window.menu_actions.landscape_toggle.isEnabled()
    assert window.files.save_action.isEnabled()  # its session is its link, replayed

    # Copy as command: main.py playground LINK --epochs N prints the window's figures.
    copied = window.copy_command.copy()
    program, script, command, link, flag, epochs_text = shlex.split(copied)
    assert (program, script, command, flag, epochs_text) == (
        "python",
        "main.py",
        "playground",
        "--epochs",
        str(EPOCHS),
    )
    assert parse_link(link) == parse_link(LINK)
    # Copy as Playground link: the run's own link.
    assert parse_link(window.playground_links.copy()) == parse_link(LINK)
    assert parse_link(QApplication.clipboard().text()) == parse_link(LINK)


def test_the_copied_command_prints_the_windows_figures(qtbot, window, capsys):
    open_by_paste(qtbot, window)
    updates = 3 * window.playground.last_frame.dataset.rules.updates_per_epoch
    run_updates(qtbot, window, updates)
    argv = shlex.split(window.copy_command.copy())[2:]
    capsys.readouterr()
    assert run_command(argv) == 0
    printed = capsys.readouterr().out.strip().splitlines()[-1]
    point = window.curves.history.last
    assert printed == (
        f"Epoch: 3, Train loss: {point.train_loss:.6f}, Test loss: {point.test_loss:.6f}"
    )


def test_a_bad_link_leaves_the_run_and_says_one_line(qtbot, window):
    generation = window.playground.last_frame.generation
    bad = LINK.replace("networkShape=4,2", "networkShape=4,9")
    QApplication.clipboard().setText(bad)
    window.playground_links.paste_action.trigger()
    message = window.banner.text()
    assert window.banner.isVisible() and "\n" not in message
    assert "networkShape=4,9" in message and "1 to 8 neurons" in message
    assert window.playground.last_frame.generation == generation and not under_rules(window)

    dialog = OpenLinkDialog(window, "activation=softsign&seed=1")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.accept()  # Open: the dialog names the key and stays open
    assert dialog.isVisible() and dialog.error.isVisible()
    assert dialog.error.text().startswith("Playground link: activation=softsign")
    assert "\n" not in dialog.error.text() and dialog.rules is None
    dialog.line.setText(LINK)
    dialog.accept()
    assert not dialog.isVisible() and dialog.rules == parse_link(LINK)


def test_a_link_dropped_on_the_window_opens(qtbot, window):
    mime = QMimeData()
    mime.setText(LINK)  # as a browser's address bar drags it
    point = QPointF(window.width() / 2, window.height() / 2)
    actions = Qt.DropAction.CopyAction
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(point.toPoint(), actions, mime, buttons, keys)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(window, QDropEvent(point, actions, mime, buttons, keys))
    qtbot.waitUntil(lambda: under_rules(window), timeout=TIMEOUT)
    assert window.playground.last_frame.dataset.rules == parse_link(LINK)
    run_updates(qtbot, window, 30)
    start = PlaygroundRun.from_link(LINK).history[0]
    window.controls.reset_action.trigger()  # back to the link's start, by its rules
    qtbot.waitUntil(lambda: window.playground.last_frame.update == 0, timeout=TIMEOUT)
    assert under_rules(window)
    point = window.curves.history.last
    assert (point.train_loss, point.test_loss) == start[1:]


def test_editing_a_panel_leaves_playground_rules_and_says_so(qtbot, window):
    open_by_paste(qtbot, window)
    panel = window.training_panel
    panel.learning_rate.setValue(panel.learning_rate.value() * 2)
    qtbot.waitUntil(lambda: not under_rules(window), timeout=TIMEOUT)
    assert window.statusBar().currentMessage() == LEFT_RULES
    qtbot.waitUntil(lambda: not window.status.text().startswith(PLAYGROUND_RULES))
    assert window.menu_actions.landscape_toggle.isEnabled()
    assert window.files.save_action.isEnabled()


def test_copy_as_playground_link_reads_back_or_gives_the_reason(qtbot, window):
    circles = ExperimentConfig(
        DataConfig(name="circles", noise=0.1, train_fraction=0.5),
        ModelConfig(hidden=(4, 2), activation="tanh"),
    )
    generation = window.playground.last_frame.generation
    window.playground.load_config(circles)
    qtbot.waitUntil(lambda: window.playground.last_frame.generation != generation)
    link = window.playground_links.copy()
    rules = parse_link(QApplication.clipboard().text())
    assert link == QApplication.clipboard().text()
    assert (rules.dataset, rules.network_shape, rules.activation, rules.noise) == (
        "circle",
        (4, 2),
        "tanh",
        10,
    )

    window.playground.load_config(
        ExperimentConfig(DataConfig(name="gaussians"), ModelConfig(kind="perceptron"))
    )
    QApplication.clipboard().setText("unchanged")
    assert window.playground_links.copy() is None
    assert QApplication.clipboard().text() == "unchanged"
    message = window.statusBar().currentMessage()
    assert message.startswith("Nothing copied: ") and "perceptron" in message


def run_window(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(MAIN), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def test_main_playground_screenshot_trains_the_link(tmp_path):
    path = tmp_path / "pg.png"
    result = run_window("--playground", LINK, "--screenshot", str(path), "--steps", "50")
    assert result.returncode == 0, result.stderr
    image = QImage(str(path))
    assert not image.isNull() and image.width() >= 800


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--playground", "noise=abc&seed=1"], "main.py: --playground: Playground link: noise=abc"),
        (["--playground", LINK, "--preset", "xor"], "--playground and --preset: choose one"),
    ],
)
def test_main_playground_with_a_bad_link_exits_2_with_one_line(capsys, args, words):
    assert window_main(args) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and words in error


def test_a_saved_playground_session_reopens_under_its_rules_and_trains_on_alike(
    qtbot, window, tmp_path, monkeypatch
):
    """File > Save session under Playground rules writes the link and the update count; File >
    Open session replays it: Playground rules again, the same curves, the same losses after
    more updates as the run never interrupted."""
    warnings: list[str] = []
    monkeypatch.setattr(
        "gui.files.session_files.QMessageBox.warning",
        lambda parent, title, text: warnings.append(text),
    )
    open_by_paste(qtbot, window)
    per_epoch = parse_link(LINK).updates_per_epoch
    run_updates(qtbot, window, 2 * per_epoch + 5)
    path = tmp_path / "link.npz"
    with qtbot.waitSignal(window.playground.worker.saved, timeout=TIMEOUT) as saved:
        window.files._save_session(str(path))
    assert saved.args == [str(path), ""] and not warnings
    run_updates(qtbot, window, per_epoch + 3)
    expected = window.curves.history.rows()

    window.playground.request_reset.emit()
    qtbot.waitUntil(lambda: window.playground.last_frame.update == 0, timeout=TIMEOUT)
    assert window.files.open_session(str(path))
    qtbot.waitUntil(
        lambda: window.playground.last_frame.update == 2 * per_epoch + 5, timeout=TIMEOUT
    )
    assert under_rules(window) and window.status.text().startswith(PLAYGROUND_RULES)
    run_updates(qtbot, window, per_epoch + 3)
    figures = [row[:6] for row in window.curves.history.rows()]  # all but training times
    assert figures == [row[:6] for row in expected] and not warnings
