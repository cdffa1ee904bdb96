"""Edit > Copy as command: the ``main.py`` command line that reruns the run on screen
headless, on the clipboard, and in the status bar what it does and does not reproduce.

A configuration says how a run starts, not what happened to it since: a learning rate
changed while it trained, a weight typed in, points drawn into it, a session it continued.
``RunChanges`` notes those from the playground's requests, so the message can say when no
single command gives the history on screen.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

from gui.windows.actions import make_action
from model.config import LIVE, NEW_POINTS, ExperimentConfig, change_kind
from model.data.datasets import CUSTOM
from model.export.command_line import (
    DATA_FILE,
    NoCommand,
    command_text,
    perceptron_command,
    saved_points_reproduce,
    train_command,
)
from model.playground.link import link_from_config
from model.playground.trainer import PlaygroundDataset

LEARNING_RATE = "the learning rate was changed while it trained"
WEIGHT = "a weight was typed in by hand"
POINTS = "its points changed while it trained"
SESSION = "it continued a session file"
SHORTCUT = "Ctrl+Shift+K"
MESSAGE_MS = 15_000


class RunChanges(QObject):
    """What happened to the run being trained that its configuration does not record.

    Notes belong to one run: a frame of a new generation (a rebuild, a reset, an opened
    session) starts a clean list, and an opened session's run starts with SESSION.
    """

    def __init__(self, playground) -> None:
        super().__init__(playground)
        self.playground = playground
        self._config: ExperimentConfig = playground.config
        self._generation: int | None = None
        self._opened = False
        self.notes: list[str] = []
        playground.request_config.connect(self._config_sent)
        playground.request_restart.connect(self._restarted)
        playground.request_open.connect(self._session_opened)
        playground.request_weight.connect(self._weight_typed)
        playground.problem.connect(self._resync)  # a refused change leaves the old one
        playground.frame_ready.connect(self._frame)

    def _trained(self) -> bool:
        frame = self.playground.last_frame
        return frame is not None and (frame.update > 0 or frame.playing)

    def _note(self, note: str) -> None:
        if note not in self.notes:
            self.notes.append(note)

    def _config_sent(self, config: ExperimentConfig) -> None:
        old, self._config = self._config, config
        if not self._trained():
            return
        kind = change_kind(old, config)
        if kind == LIVE and old.train.learning_rate != config.train.learning_rate:
            self._note(LEARNING_RATE)
        elif kind == NEW_POINTS:
            self._note(POINTS)

    def _restarted(self, config: ExperimentConfig) -> None:
        self._config = config

    def _session_opened(self, config: ExperimentConfig, _trainer) -> None:
        self._config = config
        self._opened = True

    def _weight_typed(self, *_edit) -> None:
        frame = self.playground.last_frame
        if frame is not None and not frame.playing:  # the worker ignores it while playing
            self._note(WEIGHT)

    def _resync(self, _why: str) -> None:
        self._config = self.playground.config

    def _frame(self, frame) -> None:
        if frame.generation != self._generation:
            self._generation = frame.generation
            self.notes = [SESSION] if self._opened else []
            self._opened = False


class CopyCommand(QObject):
    """The Edit menu's Copy as command (Ctrl+Shift+K)."""

    def __init__(self, playground, window: QWidget) -> None:
        super().__init__(window)
        self.playground = playground
        self.changes = RunChanges(playground)
        self.action = make_action(
            window,
            "Copy as command",
            QKeySequence(SHORTCUT),
            "Copy the main.py command line that reruns this run headless and prints its figures",
            lambda _=False: self.copy(),
        )

    def copy(self) -> str | None:
        """Put the command on the clipboard and say what it reproduces; returns the text
        copied (None: nothing, and the status bar says why)."""
        text, message = self.describe()
        if text is not None:
            QApplication.clipboard().setText(text)
        self.playground.say(message, MESSAGE_MS)
        return text

    def describe(self) -> tuple[str | None, str]:
        """The command for the run on screen (or None) and the status bar's message."""
        playground, frame = self.playground, self.playground.last_frame
        if frame is None or frame.dataset is None:
            return None, "Nothing to copy yet: the first frame has not been drawn."
        if playground.pending is not None:
            return None, "Nothing to copy: the points drawn are too few to train on yet."
        if isinstance(frame.dataset, PlaygroundDataset):
            return self._playground_command(frame)
        config, updates = playground.config, frame.update
        train_points = len(frame.dataset.y_train)
        try:
            if config.model.kind == "perceptron":
                argv = perceptron_command(config, updates, train_points)
            else:
                argv = train_command(config, updates, train_points)
        except NoCommand as why:  # one sentence: no command reproduces this run
            return None, f"Nothing copied: {why}."
        text = command_text(argv)
        # What to do or to know first, the command last: the status bar cuts a long message.
        parts = []
        if self.changes.notes:  # the command trains from update 0 with today's settings
            parts.append(f"Copied; the figures may differ, as {'; '.join(self.changes.notes)}.")
        if config.data.name == CUSTOM:
            parts.append(self._own_points_note(config))
        shown = " (the frame on screen)" if frame.playing else ""
        lead = "The command" if parts else "Copied the command"
        parts.append(f"{lead} for update {updates:,}{shown}: {text}")
        return text, " ".join(parts)

    def _playground_command(self, frame) -> tuple[str, str]:
        """``main.py playground LINK --epochs N`` for a run under Playground's rules: its
        whole epochs (the command prints one line per epoch, as Playground counts them)."""
        epochs = int(frame.epoch + 1e-9)
        text = command_text(
            ["playground", link_from_config(frame.dataset.rules), "--epochs", str(epochs)]
        )
        parts = []
        if WEIGHT in self.changes.notes:
            parts.append(f"Copied; the figures may differ, as {WEIGHT}.")
        if epochs != frame.epoch:
            parts.append(f"The command stops at epoch {epochs}, before the update on screen.")
        lead = "The command" if parts else "Copied the command"
        parts.append(f"{lead} for epoch {epochs:,} under Playground rules: {text}")
        return text, " ".join(parts)

    def _own_points_note(self, config: ExperimentConfig) -> str:
        X, y, names = self.playground.current_points()
        if saved_points_reproduce(y, names, config.data.problem):
            return (
                f"Copied; save your points as {DATA_FILE} first (File > Save data as CSV, "
                "Ctrl+Shift+L): the command reads them."
            )
        return (  # a class without points, or names that sort in another order
            f"Copied; but your points saved as {DATA_FILE} would number their classes "
            "otherwise, so the command would train another network."
        )
