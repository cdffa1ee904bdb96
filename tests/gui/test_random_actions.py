"""A seeded random walk through everything a user can do, checking the window after each step.

After every action: no exception anywhere (pytest-qt fails the test on an exception in any
Qt callback, the training thread's included, and on a critical Qt message), the event loop
turns within a second, and once things settle the configuration the window shows is the one
the training thread trains. Every dialog is answered at once and must say something in
words, never the bare text of an internal exception (a KeyError's is only the key). The
default suite runs a short walk; set NP_RANDOM_ACTIONS to a larger number (and
NP_RANDOM_SEEDS to a list of seeds) for a long one: bench/random_walk.py runs 3 seeds x
1,500 actions and prints the time.
"""

from __future__ import annotations

import os
import re
import sys
from collections import Counter

import numpy as np
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QFileDialog,
    QInputDialog,
    QMessageBox,
)
from pytestqt.exceptions import TimeoutError as WaitedTooLong

from gui.appearance.theme import apply_theme
from tests.gui.conftest import boundary_fits_view  # noqa: F401 (keeps the fixture's helpers)

ACTIONS = int(os.environ.get("NP_RANDOM_ACTIONS", "120"))
SEEDS = [int(s) for s in os.environ.get("NP_RANDOM_SEEDS", "0,1").split(",")]
TRACE = bool(os.environ.get("NP_RANDOM_TRACE"))  # print each action as it starts
# The text of an exception shown as it is: a quoted key, a number, a class name, a traceback.
BARE_EXCEPTION = re.compile(
    r"\s*(?:'[^'\n]*'|\"[^\"\n]*\"|-?\d+|\w*(?:Error|Exception)\b.*|Traceback.*)?\s*", re.S
)


def event_loop_turns(qtbot) -> None:
    turned = []
    QTimer.singleShot(0, lambda: turned.append(True))
    qtbot.waitUntil(lambda: bool(turned), timeout=1000)


def panel_controls(window) -> list:
    panels = (window.data_panel, window.model_panel, window.training_panel)
    controls = []
    for panel in panels:
        controls += panel.findChildren(QAbstractSpinBox) + panel.findChildren(QComboBox)
    return [c for c in controls if c.isEnabled() and c.isVisibleTo(window)]


def set_control(control, rng) -> None:
    if isinstance(control, QComboBox):
        if control.count():
            control.setCurrentIndex(int(rng.integers(control.count())))
        return
    low, high = control.minimum(), control.maximum()
    pick = rng.random()
    if pick < 0.15:
        value = low
    elif pick < 0.25:  # the largest sizes make every update slow: less often
        value = high
    elif isinstance(low, int):
        value = int(rng.integers(low, min(high, low + 1000) + 1))
    else:
        value = float(low + (high - low) * rng.random() ** 3)  # small values are common
    control.setValue(value)


class Walk:
    def __init__(self, window, qtbot, rng, tmp_path) -> None:
        self.window, self.qtbot, self.rng, self.tmp_path = window, qtbot, rng, tmp_path
        self.dialogs: list[tuple[str, str]] = []  # (title, text) of every dialog shown
        self.loads = 0  # files of points written

    def answer_dialogs(self, monkeypatch) -> None:
        """Every message box is recorded and answered at once; every file dialog names a
        file in the test's folder (a modal dialog would wait for a click for ever)."""

        def message(_parent, title, text, *_args, **_kwargs):
            self.dialogs.append((title, text))
            return QMessageBox.StandardButton.Ok

        for kind in ("warning", "information", "critical", "question"):
            monkeypatch.setattr(QMessageBox, kind, message)
        path = str(self.tmp_path / "walk_file")
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (path, ""))
        monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (path, ""))
        monkeypatch.setattr(QInputDialog, "getInt", lambda *a, **k: (200, True))

    def check_dialogs(self, since: int) -> None:
        for title, text in self.dialogs[since:]:
            assert not BARE_EXCEPTION.fullmatch(str(text)), (title, text)

    def play_or_pause(self) -> None:
        self.window.controls.play_action.trigger()

    def step(self) -> None:
        if self.window.controls.step_action.isEnabled():
            self.window.controls.step_action.trigger()

    def epoch(self) -> None:
        if self.window.controls.epoch_action.isEnabled():
            self.window.controls.epoch_action.trigger()

    def reset(self) -> None:
        self.window.controls.reset_action.trigger()

    def control(self) -> None:
        controls = panel_controls(self.window)
        if controls:  # none while presenting: the panels are hidden
            set_control(controls[int(self.rng.integers(len(controls)))], self.rng)

    def layers(self) -> None:
        panel = self.window.model_panel
        button = panel.add_layer if self.rng.random() < 0.5 else panel.remove_layer
        if button.isEnabled():
            button.click()

    def draw(self) -> None:
        tools = self.window.draw_tools
        x0, x1, y0, y1 = self.window.playground.last_frame.extent
        for _ in range(int(self.rng.integers(1, 6))):
            x = x0 + (x1 - x0) * self.rng.random()
            y = y0 + (y1 - y0) * self.rng.random()
            tools.picker.setCurrentIndex(int(self.rng.integers(tools.picker.count())))
            tools.edit(x, y, remove=bool(self.rng.random() < 0.3))

    def clear_points(self) -> None:
        self.window.draw_tools.clear()

    def save_and_reopen(self) -> None:
        path = str(self.tmp_path / "walk.npz")
        self.window.playground.save_session(path)
        self.qtbot.waitUntil(lambda: os.path.exists(path), timeout=5000)
        self.window.files.open_session(path)

    def experiments(self) -> None:
        self.window.show_experiments()
        self.window.experiments.close()

    def network_dock(self) -> None:
        dock = self.window.network_dock
        dock.setVisible(not dock.isVisible())

    def theme(self) -> None:
        apply_theme(QApplication.instance(), str(self.rng.choice(["light", "dark"])))

    def resize(self) -> None:
        self.window.resize(int(self.rng.integers(900, 1600)), int(self.rng.integers(600, 1000)))

    def zoom(self) -> None:
        self.window.boundary.plotItem.vb.scaleBy((0.5 + self.rng.random(),) * 2)

    def fit(self) -> None:
        self.window.boundary.fit_to_data()

    def presentation(self) -> None:
        self.window.presentation.action.trigger()  # in or out of it

    def copy_command(self) -> None:
        self.window.copy_command.action.trigger()

    def problem(self) -> None:
        """Classification or regression, the other one, as a person picks it in the list."""
        box = self.window.data_panel.problem
        if not (box.isEnabled() and box.isVisibleTo(self.window)):  # hidden while presenting
            return
        other = 1 - box.currentIndex()
        if box.model().item(other).isEnabled():  # regression is not offered to the perceptron
            box.setCurrentIndex(other)
            if self.rng.random() < 0.5:  # a quick hand: before the new data's first frame
                self.draw()

    def hurry(self) -> None:
        """Two or three quick actions, the event loop not turning between them: the user
        is ahead of the training thread and of the frames."""
        quick = [name for name in WEIGHTS if name not in SLOW]
        for _ in range(int(self.rng.integers(2, 4))):
            getattr(self, quick[int(self.rng.integers(len(quick)))])()

    def undo_or_redo(self) -> None:
        tools = self.window.draw_tools
        action = tools.undo_action if self.rng.random() < 0.7 else tools.redo_action
        if action.isEnabled():
            action.trigger()

    def load_points(self) -> None:
        """A file of points of the problem shown: classes (now and then a bad line) or targets."""
        n = int(self.rng.integers(2, 60))
        X = self.rng.normal(size=(n, 2)) * 2
        if self.window.data_panel.problem.currentData() == "regression":
            third = [f"{v:.4g}" for v in self.rng.normal(size=n)]
        else:
            classes = int(self.rng.integers(1, 8))  # one or seven: refused, with a reason
            third = [f"c{k}" for k in self.rng.integers(classes, size=n)]
        rows = [f"{x1:.5g},{x2:.5g},{t}" for (x1, x2), t in zip(X, third, strict=True)]
        if self.rng.random() < 0.1:
            rows.append("1,two,c0")
        self.loads += 1  # a file of its own: the one before may still be being read
        path = self.tmp_path / f"walk_points_{self.loads}.csv"
        path.write_text("x1,x2,label\n" + "\n".join(rows) + "\n")
        self.window.files.load_data(str(path))

    def save_points(self) -> None:
        self.window.files.save_data()  # to the test's folder (the file dialog is answered)

    def export(self) -> None:
        (self.window.export_config, self.window.export_history)[int(self.rng.integers(2))]()

    def preset(self) -> None:
        presets = self.window.menu_actions.presets
        if presets:
            presets[int(self.rng.integers(len(presets)))].trigger()

    def compare(self) -> None:
        """A short comparison in the Experiments window on the data in force (own points
        too); a long one is cancelled after a few seconds."""
        self.window.show_experiments()
        tab = self.window.experiments.compare_tab
        tab.force_parallel = False  # spawned processes would cost seconds each
        tab.parameter.setCurrentIndex(int(self.rng.integers(tab.parameter.count())))
        tab.epochs.setValue(int(self.rng.integers(1, 4)))
        tab.run()
        try:
            self.qtbot.waitUntil(tab.run_button.isEnabled, timeout=3000)
        except WaitedTooLong:
            self.window.experiments.cancel()
            self.qtbot.waitUntil(tab.run_button.isEnabled, timeout=60_000)
        self.window.experiments.close()


WEIGHTS = {
    "play_or_pause": 4,
    "step": 3,
    "epoch": 2,
    "reset": 2,
    "control": 10,
    "layers": 3,
    "draw": 3,
    "clear_points": 1,
    "save_and_reopen": 1,
    "experiments": 1,
    "network_dock": 2,
    "theme": 1,
    "resize": 1,
    "zoom": 1,
    "fit": 1,
    "presentation": 1,
    "copy_command": 1,
    "problem": 2,
    "undo_or_redo": 2,
    "load_points": 1,
    "save_points": 1,
    "export": 1,
    "preset": 1,
    "compare": 1,
    "hurry": 3,
}
SLOW = {"save_and_reopen", "compare", "hurry"}  # they wait for the window: never in a hurry


@pytest.mark.qt_log_level_fail("CRITICAL")
@pytest.mark.parametrize("seed", SEEDS)
def test_random_actions_never_break_the_window(qtbot, window, tmp_path, monkeypatch, seed):
    rng = np.random.default_rng(seed)
    walk = Walk(window, qtbot, rng, tmp_path)
    walk.answer_dialogs(monkeypatch)
    names = list(WEIGHTS)
    weights = np.array([WEIGHTS[n] for n in names], dtype=float)
    done = []
    try:
        for _ in range(ACTIONS):
            name = names[int(rng.choice(len(names), p=weights / weights.sum()))]
            done.append(name)
            if TRACE:  # each action as it starts: what a crash interrupted
                print(f"action {len(done)}: {name}", file=sys.stderr, flush=True)
            shown = len(walk.dialogs)
            getattr(walk, name)()
            event_loop_turns(qtbot)
            walk.check_dialogs(shown)
            if rng.random() < 0.15:  # now and then, let everything settle and compare
                settle(qtbot, window)
        settle(qtbot, window)
        walk.check_dialogs(0)  # a failure reported after its action's turn
    finally:
        apply_theme(QApplication.instance(), "light")
        print("actions:", ", ".join(done[-15:]))
        print("counts:", dict(Counter(done)))
        print("dialogs:", walk.dialogs[-5:])


def describe(config) -> str:
    d = config.data
    return f"{d.name} {len(d.points)} points / {config.model} / {config.train}"


def settle(qtbot, window) -> None:
    """Paused, the window's configuration reaches the worker and stays equal to it."""
    window.playground.request_pause.emit()
    if window.playground.pending is not None:
        return  # points held back for being too few: the worker keeps the last data

    def same() -> None:
        assert window.playground.worker.config == window.playground.config, (
            describe(window.playground.worker.config),
            describe(window.playground.config),
            window.banner.text(),
            window.statusBar().currentMessage(),
        )

    # An update of the largest network on the largest data set takes seconds: wait for it.
    qtbot.waitUntil(same, timeout=60_000)
    event_loop_turns(qtbot)
