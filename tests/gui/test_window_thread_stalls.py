"""The window's thread only asks and draws: saves are written, and files of points read, by
pool threads while the window and training go on, a frame predicts a bounded number of
points, and a frame made before a new configuration is never drawn after it.

With 100,000 points of one's own and a 256-256 network these held the window for seconds
(bench/window_thread_blocks.py measures them); these tests check the behaviour, not the time.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np
import pytest
import shiboken6
from PySide6.QtCore import QSettings, Qt, QTimer

from gui.files.save_dialogs import writes_for
from gui.files.settings import last_config
from gui.windows.main_window import MainWindow
from model.config import DataConfig, ExperimentConfig, ModelConfig
from model.io.points_file import LabelledPoints, write_points
from model.limits import FRAME_POINTS
from tests.gui.conftest import boundary_fits_view
from tests.gui.running import run_updates

TIMEOUT = 20_000
MANY = 3 * FRAME_POINTS  # more points of one's own than a frame predicts


@pytest.fixture
def many_points(qtbot):
    """A window training a small network on MANY points of the user's own."""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(MANY, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(int)
    config = ExperimentConfig(DataConfig.custom(X, y), ModelConfig(hidden=(4,)))
    window = MainWindow(config)
    window.controls.speed.setCurrentIndex(window.controls.speed.findData(0.0))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: boundary_fits_view(window), timeout=TIMEOUT)
    yield window
    window.close()


@pytest.fixture
def answered(monkeypatch, tmp_path):
    """Every save dialog answers with a file in the test's folder named for its title."""
    names = {
        "Save the configuration": "config.json",
        "Save the data as CSV": "data.csv",
        "Save the session": "session.npz",
    }

    def ask(parent, title, pattern):
        return str(tmp_path / names[title])

    for module in ("gui.windows.main_window", "gui.files.session_files"):
        monkeypatch.setattr(f"{module}.ask_save_path", ask)
    return {title: tmp_path / name for title, name in names.items()}


class Gate:
    """A job that holds a pool thread until the test opens the gate."""

    def __init__(self) -> None:
        self.entered, self.open = threading.Event(), threading.Event()

    def __call__(self) -> None:
        self.entered.set()
        self.open.wait(TIMEOUT / 1000)


def event_loop_turns(qtbot) -> None:
    turned = []
    QTimer.singleShot(0, lambda: turned.append(True))
    qtbot.waitUntil(lambda: bool(turned), timeout=TIMEOUT)


def test_exports_are_written_while_the_window_goes_on(qtbot, many_points, answered, tmp_path):
    window = many_points
    writes = writes_for(window)
    gate = Gate()
    writes.write(str(tmp_path / "held"), gate)  # the writer is busy: exports wait behind it
    assert gate.entered.wait(TIMEOUT / 1000)
    window.export_config()
    window.files.save_data()
    config, data = answered["Save the configuration"], answered["Save the data as CSV"]
    assert not config.exists() and not data.exists()  # asked for, not written in this thread
    assert window.statusBar().currentMessage() == "Saving data.csv…"
    event_loop_turns(qtbot)  # the window answers while they wait
    run_updates(qtbot, window, 5)  # and draws training's frames
    gate.open.set()
    qtbot.waitUntil(lambda: config.exists() and data.exists(), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: writes.last == (str(data), ""), timeout=TIMEOUT)
    assert window.statusBar().currentMessage() == f"Saved {data}"
    assert len(data.read_text().splitlines()) == MANY + 1  # every point, and the header


def test_training_goes_on_while_the_session_is_written(qtbot, many_points, answered):
    window = many_points
    worker = window.playground.worker
    gate = Gate()
    worker.writes.start(gate)  # the session's writer is busy: the session waits behind it
    assert gate.entered.wait(TIMEOUT / 1000)
    window.files.save_session_as()
    path = answered["Save the session"]
    assert window.statusBar().currentMessage() == "Saving session.npz…"
    taken = window.playground.last_frame.update
    run_updates(qtbot, window, 5)  # training and its frames go on meanwhile
    assert window.playground.last_frame.update == taken + 5 and not path.exists()
    gate.open.set()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == f"Saved {path}", timeout=TIMEOUT)
    assert window.files.open_session(str(path))  # the run as it was when saved
    qtbot.waitUntil(lambda: window.playground.last_frame.update == taken, timeout=TIMEOUT)


def test_a_frame_predicts_a_bounded_sample_and_the_view_draws_it(qtbot, many_points):
    window = many_points
    frames = []
    window.playground.frame_ready.connect(frames.append)
    run_updates(qtbot, window, 30)
    assert frames
    for frame in frames:
        predicted = len(frame.predictions_train) + len(frame.predictions_test)
        assert predicted == FRAME_POINTS  # never every one of the MANY points
        X_train, y_train, X_test, y_test = frame.shown_points()
        assert len(X_train) + len(X_test) == FRAME_POINTS
    last, first = frames[-1], frames[0]
    assert np.array_equal(last.shown_train, first.shown_train)  # one sample, every frame
    boundary = window.boundary
    drawn = len(boundary.train_item.data) + len(boundary.test_item.data)
    assert drawn == FRAME_POINTS
    legend = [label.text for _, label in boundary.legend.items]
    assert f"{FRAME_POINTS:,} of {MANY:,} points drawn" in legend
    _, y_train, _, y_test = last.shown_points()
    wrong = np.sum(last.predictions_train != y_train) + np.sum(last.predictions_test != y_test)
    qtbot.waitUntil(lambda: len(boundary.wrong_item.data) == wrong, timeout=TIMEOUT)


def test_after_a_new_configuration_the_next_frame_shown_is_of_it(qtbot, many_points):
    window = many_points
    playground = window.playground
    run_updates(qtbot, window, 1)  # paused, nothing in flight
    before = playground.last_frame
    made = threading.Event()
    playground.worker.frame_ready.connect(
        lambda frame: made.set(), Qt.ConnectionType.DirectConnection
    )
    shown = []
    playground.frame_ready.connect(shown.append)
    playground.request_step.emit()
    assert made.wait(TIMEOUT / 1000)  # a frame of the old network is on its way to the window
    wider = playground.config.with_changes(model={"hidden": (5,)})
    playground.load_config(wider)
    qtbot.waitUntil(lambda: bool(shown), timeout=TIMEOUT)
    first = shown[0]
    assert first.generation > before.generation and first.update == 0
    assert playground.worker.config.model.hidden == (5,)


def points_file(path, names: tuple[str, str], seed: int) -> None:
    """MANY points in two classes named ``names``, as a CSV file of the user's own."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(MANY, 2))
    write_points(path, LabelledPoints(X, (X[:, 0] > 0).astype(int), names))


def test_a_file_of_points_is_read_while_the_window_goes_on(qtbot, many_points, tmp_path):
    window = many_points
    path = tmp_path / "mine.csv"
    points_file(path, ("left", "right"), 2)
    gate = Gate()
    window.files.reads.pool.start(gate)  # the reader is busy: the file waits behind it
    assert gate.entered.wait(TIMEOUT / 1000)
    window.files.load_data(str(path))
    assert window.statusBar().currentMessage() == "Reading mine.csv…"
    assert window.playground.config.data.class_names == ()  # asked, not read in this thread
    event_loop_turns(qtbot)  # the window answers while the file waits
    run_updates(qtbot, window, 5)  # and draws training's frames
    gate.open.set()
    qtbot.waitUntil(
        lambda: window.playground.last_frame.dataset.label_names() == ("left", "right"),
        timeout=TIMEOUT,
    )
    assert len(window.playground.last_frame.dataset.y_all) == MANY
    loaded = f"Loaded {MANY} points in 2 classes from mine.csv."
    assert window.statusBar().currentMessage() == loaded


def test_only_the_latest_request_is_used_when_files_are_read(
    qtbot, many_points, answered, tmp_path
):
    window, files = many_points, many_points.files
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    points_file(first, ("a", "b"), 3)
    points_file(second, ("c", "d"), 4)
    gate = Gate()
    files.reads.pool.start(gate)
    assert gate.entered.wait(TIMEOUT / 1000)
    files.load_data(str(first))
    files.load_data(str(second))  # asked for later: the first is not wanted any more
    gate.open.set()
    qtbot.waitUntil(lambda: not files.reads.busy(), timeout=TIMEOUT)
    event_loop_turns(qtbot)
    assert window.playground.config.data.class_names == ("c", "d")
    assert [Path(p).name for p in files.recent] == ["second.csv"]  # the first never used
    files.save_session_as()  # a session of the second file's points
    session = answered["Save the session"]
    qtbot.waitUntil(lambda: files.path == str(session), timeout=TIMEOUT)
    gate = Gate()
    files.reads.pool.start(gate)
    assert gate.entered.wait(TIMEOUT / 1000)
    files.load_data(str(first))
    assert files.open_session(str(session))  # opened after the file was asked for: it wins
    gate.open.set()
    qtbot.waitUntil(lambda: not files.reads.busy(), timeout=TIMEOUT)
    event_loop_turns(qtbot)
    assert window.playground.config.data.class_names == ("c", "d")


def test_closing_remembers_a_files_points_whose_text_the_reading_thread_made(qtbot, tmp_path):
    """Closing writes the configuration for the next start; the JSON of 100,000 points took
    0.3 s of the window's thread there, so the thread that read the file makes it."""
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(ExperimentConfig(model=ModelConfig(hidden=(4,))), settings)
    qtbot.addWidget(window)
    window.show()
    path = tmp_path / "mine.csv"
    points_file(path, ("left", "right"), 5)
    window.files.load_data(str(path))
    qtbot.waitUntil(lambda: window.playground.config.data.class_names == ("left", "right"))
    points = window.playground.config.data.points
    assert "_json_text" in vars(points)  # made before anything asks for it
    window.close()
    remembered = last_config(settings)
    assert remembered.data.points == points and remembered.data.class_names == ("left", "right")
    assert settings.value("experiment/last") == json.dumps(remembered.to_dict())


def test_quit_lets_the_window_go_while_the_training_thread_is_busy(qtbot):
    """One full-batch update of a 256-256 network on 100,000 points takes 0.7 s; closing
    waited for it in the window's thread. Now the window goes at once and finishes closing
    once the training thread has stopped."""
    window = MainWindow(ExperimentConfig(model=ModelConfig(hidden=(4,))))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.frames_drawn > 0, timeout=TIMEOUT)
    thread = window.playground.thread
    gate = Gate()  # the training thread inside a long update
    QTimer.singleShot(0, window.playground.worker, gate)
    try:
        assert gate.entered.wait(TIMEOUT / 1000)
        quit_action = next(
            a for a in window.menuBar().actions()[0].menu().actions() if a.text() == "Quit"
        )
        quit_action.trigger()  # Ctrl+Q
        assert not window.isVisible()
        event_loop_turns(qtbot)  # the window's thread goes on meanwhile
        assert thread.isRunning() and shiboken6.isValid(window)
    finally:
        gate.open.set()
    qtbot.waitUntil(lambda: not shiboken6.isValid(window), timeout=TIMEOUT)  # all of it
