"""The training toolbar's controls: Play, Step, Epoch, Reset (large, with icons and words),
the epoch and update counter, the pace, the curves' x axis, the test points and the
discretised output; they send commands to the playground and follow its frames."""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QFont, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QSizePolicy,
    QToolBar,
    QToolButton,
    QWidget,
)

from gui.windows.actions import make_action, make_toggle
from gui.windows.run_counter import Counter
from gui.windows.run_icons import KINDS, run_icon
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
ICON_SIZE = 22  # pixels of the run buttons' icons at the normal font
PLAY_ICON_SIZE = 30  # Play and Pause: the first button a newcomer looks for
COUNTER_DIGITS = 1.45  # the toolbar counter's digits, relative to the application's font
COUNTER_CAPTION = 0.75
REFRESH_SECONDS = 0.2  # while playing, the counter changes five times a second


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
        self._icons = {kind: run_icon(kind) for kind in KINDS}
        for action, kind in zip(self.training_actions, KINDS[:1] + KINDS[2:], strict=True):
            action.setIcon(self._icons[kind])
        self.counter = Counter(("epoch", "update"), spacing=10)
        self.counter.setObjectName("run-counter")
        self.counter.setToolTip("Passes over the training set (epochs) and updates so far")
        self.counter.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        self._scale = 1.0
        self._counted_at = 0.0
        self.speed = QComboBox()
        for label, value in SPEEDS:
            self.speed.addItem(label, value)
        self.speed.setCurrentIndex(self.speed.findData(DEFAULT_SPEED))
        # about as wide as "75 updates/s": a longer entry is elided, the bar keeps its room
        self.speed.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.speed.setMinimumContentsLength(len("75 updates/s") - 3)
        self.speed.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
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
        self.x_axis.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
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
        self.discrete_toggle.setIconText("Discretise")  # on the toolbar; the menu says more

    def updates_per_second(self) -> float:
        return float(self.speed.currentData())

    def fill(self, toolbar: QToolBar) -> None:
        """The run buttons with their words beside their icons, Play the largest, then the
        counter, the pace and the view options."""
        self.toolbar = toolbar
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for action in self.training_actions:
            toolbar.addAction(action)
        self.play_button = toolbar.widgetForAction(self.play_action)
        self.play_button.setObjectName("play-button")
        bold = QFont()  # only the weight: the size follows the application's font
        bold.setBold(True)
        self.play_button.setFont(bold)
        toolbar.addSeparator()
        self.counter_action = toolbar.addWidget(self.counter)
        toolbar.addWidget(self.speed)
        toolbar.addWidget(self.x_axis)
        toolbar.addAction(self.test_toggle)
        toolbar.addAction(self.discrete_toggle)
        self.scale(1.0)

    def scale(self, factor: float) -> None:
        """Icons and the counter ``factor`` times their usual size (presentation mode); the
        buttons' words follow the application's font."""
        self._scale = factor
        self.toolbar.setIconSize(QSize(round(ICON_SIZE * factor), round(ICON_SIZE * factor)))
        play = round(PLAY_ICON_SIZE * factor)
        self.play_button.setIconSize(QSize(play, play))
        font = QApplication.font()
        self.counter.set_fonts(font, COUNTER_DIGITS, COUNTER_CAPTION)
        self.counter.layout().setContentsMargins(round(4 * factor), 0, round(8 * factor), 0)
        for action in self.training_actions:
            button = self.toolbar.widgetForAction(action)
            if isinstance(button, QToolButton):
                button.setMinimumHeight(play + round(8 * factor))

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
            self.play_action.setIcon(self._icons[text.lower()])
        now = time.monotonic()
        if not frame.playing or now - self._counted_at >= REFRESH_SECONDS:
            self._counted_at = now
            self.counter.show_state(frame, None)
        enabled = not frame.stopped and not waiting
        for action in (self.play_action, self.step_action, self.epoch_action):
            if action.isEnabled() != enabled:
                action.setEnabled(enabled)
