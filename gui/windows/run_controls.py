"""The training toolbar's controls: Play, Step, Epoch, Reset, the pace, the curves' x axis,
the test points and the discretised output; they send commands to the playground and follow
its frames."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QComboBox, QToolBar, QWidget

from gui.windows.actions import make_action, make_toggle
from gui.workers.frames import Frame

SPEEDS = [
    ("1 update/s", 1.0),
    ("5 updates/s", 5.0),
    ("20 updates/s", 20.0),
    ("75 updates/s", 75.0),
    ("300 updates/s", 300.0),
    ("1000 updates/s", 1000.0),
    ("As fast as possible", 0.0),
]
# The pace a student can watch: the default experiment's first 1500 updates take 20 s.
DEFAULT_SPEED = 75.0


class RunControls(QObject):
    x_axis_chosen = Signal(str)  # "update" or "epoch"
    test_points_shown = Signal(bool)
    discrete_shown = Signal(bool)  # the boundary as hard class regions

    def __init__(self, playground, parent: QWidget) -> None:
        super().__init__(parent)
        self.playground = playground
        self.play_action = make_action(
            parent, "Play", Qt.Key.Key_Space, "Play or pause training", playground.toggle_play
        )
        self.step_action = make_action(
            parent,
            "Step",
            Qt.Key.Key_Right,
            "One update (one mini-batch)",
            lambda: playground.request_step.emit(),
        )
        self.epoch_action = make_action(
            parent,
            "Epoch",
            QKeySequence("Shift+Right"),
            "Complete the current pass over the training set",
            lambda: playground.request_epoch.emit(),
        )
        self.reset_action = make_action(
            parent,
            "Reset",
            Qt.Key.Key_R,
            "New initial weights from the seed; curves cleared",
            playground.reset,
        )
        self.training_actions = (
            self.play_action,
            self.step_action,
            self.epoch_action,
            self.reset_action,
        )
        self.speed = QComboBox()
        for label, value in SPEEDS:
            self.speed.addItem(label, value)
        self.speed.setCurrentIndex(self.speed.findData(DEFAULT_SPEED))
        self.speed.setToolTip(
            "Updates per second while playing: 75/s lets you watch the boundary move; for "
            "long runs choose As fast as possible ([ and ] step slower and faster)"
        )
        self.speed.currentIndexChanged.connect(
            lambda: playground.request_speed.emit(self.updates_per_second())
        )
        self.slower_action = make_action(
            parent, "Slower", "[", "One step slower (the speed box)", lambda: self.speed_by(-1)
        )
        self.faster_action = make_action(
            parent, "Faster", "]", "One step faster (the speed box)", lambda: self.speed_by(1)
        )
        self.x_axis = QComboBox()
        self.x_axis.addItem("x: updates", "update")
        self.x_axis.addItem("x: epochs", "epoch")
        self.x_axis.setToolTip("Plot the curves against updates or against epochs")
        self.x_axis.currentIndexChanged.connect(
            lambda: self.x_axis_chosen.emit(self.x_axis.currentData())
        )
        self.epochs_axis_action = make_action(
            parent,
            "Curves against epochs",
            QKeySequence("X"),
            "Plot the curves against epochs instead of updates",
            lambda checked: self.x_axis.setCurrentIndex(1 if checked else 0),
        )
        self.epochs_axis_action.setCheckable(True)
        self.x_axis.currentIndexChanged.connect(
            lambda index: self.epochs_axis_action.setChecked(index == 1)
        )
        self.test_toggle = make_toggle(
            parent,
            "Test points",
            "T",
            "Show the test points (hollow squares)",
            self.test_points_shown,
            checked=True,
        )
        self.discrete_toggle = make_toggle(
            parent,
            "Discretise output",
            "Shift+D",
            "Show hard regions instead of shades: each point of the plane in its most probable "
            "class's colour (regression: the sign of the predicted value)",
            self.discrete_shown,
        )

    def updates_per_second(self) -> float:
        return float(self.speed.currentData())

    def fill(self, toolbar: QToolBar) -> None:
        for action in self.training_actions:
            toolbar.addAction(action)
        toolbar.addSeparator()
        toolbar.addWidget(self.speed)
        toolbar.addWidget(self.x_axis)
        toolbar.addAction(self.test_toggle)
        toolbar.addAction(self.discrete_toggle)

    def speed_by(self, steps: int) -> None:
        index = min(max(self.speed.currentIndex() + steps, 0), self.speed.count() - 1)
        self.speed.setCurrentIndex(index)
        self.playground.say(f"Speed: {self.speed.currentText()}", 3000)

    def set_training_enabled(self, enabled: bool) -> None:
        for action in self.training_actions:
            action.setEnabled(enabled)

    def follow(self, frame: Frame, waiting: bool) -> None:
        """Play or Pause, and what can be pressed, as the frame's run stands."""
        # Only real changes: each QAction change re-lays out the toolbar and menus.
        text = "Pause" if frame.playing else "Play"
        if self.play_action.text() != text:
            self.play_action.setText(text)
        enabled = not frame.stopped and not waiting
        for action in (self.play_action, self.step_action, self.epoch_action):
            if action.isEnabled() != enabled:
                action.setEnabled(enabled)
