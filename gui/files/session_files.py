"""The File menu's own work: sessions, data files and the list of recent files.

Opening never changes anything until the whole file has been read and checked; a file
that cannot be used is reported in a dialog and the current session stays as it was (a
configuration the training thread still refuses is reported by its banner, and the run in
force goes on).
A data file is read for the problem on screen: with Regression chosen its third column is a
real target, else a class label (a file alone cannot tell which it means). It is read and
checked in a pool thread (``gui.files.points_reads``) while the window goes on; its points
are used, or refused in a dialog, when the answer comes, unless a later load or a session
opened meanwhile superseded it.
Saving happens in the training thread, between two slices of training, so the file holds
one consistent state even while the run plays.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
from PySide6.QtCore import QEvent, QObject, QSettings, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWidget

from gui.files.points_reads import PointsRead, PointsReads
from gui.files.save_dialogs import ask_save_path, save_in_background
from gui.files.settings import skipped
from model.config import DataConfig
from model.data.datasets import CLASSIFICATION, REGRESSION
from model.io.points_file import LabelledPoints, write_points
from model.io.session import SUFFIX, SessionError, load_session

SESSION_PATTERN = "Neural Playground sessions (*.npz)"
DATA_PATTERN = "CSV files (*.csv);;All files (*)"
MAX_RECENT = 8
RECENT_KEY = "files/recent"
MAX_PATH = 4096  # characters (Linux's PATH_MAX)
READ_AS_TARGETS = (
    "The Data panel's Problem is Regression, so the third column was read as a real-valued "
    "target: choose Classification first to load class labels."
)


def _could_be_path(text: str) -> bool:
    return 0 < len(text) <= MAX_PATH and "\0" not in text


class SessionFiles(QObject):
    """Open, save and save-as of sessions; load and save of data; recent files.

    What is trained belongs to the playground (``gui.controller``); ``parent`` is only where
    the dialogs open."""

    title_changed = Signal(str)  # the window title for the session file in use

    def __init__(self, playground, parent: QWidget, settings: QSettings | None) -> None:
        super().__init__(parent)
        self.playground = playground
        self.parent_widget = parent
        self.settings = settings
        self.path: str | None = None  # the session file in use, if any
        self.reads = PointsReads(self)  # data files, read in a pool thread
        self.reads.answered.connect(self._read_answered)
        self.recent: list[str] = self._stored_recent()
        self.open_action = self._action("&Open session…", "Ctrl+O", self.open_session)
        self.save_action = self._action("&Save session", "Ctrl+S", self.save_session)
        self.save_as_action = self._action(
            "Save session &as…", "Ctrl+Shift+S", self.save_session_as
        )
        self.load_data_action = self._action("&Load data (CSV)…", "Ctrl+L", self.load_data)
        self.save_data_action = self._action("Save &data as CSV…", "Ctrl+Shift+L", self.save_data)
        self.recent_menu = QMenu("Open &recent", parent)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.open_action.setStatusTip("Continue a saved session exactly where it was")
        self.save_action.setStatusTip("Save configuration, weights and history in one file")
        self.load_data_action.setStatusTip("Train on points from a CSV file of x1,x2,label")
        self.save_data_action.setStatusTip("Write the points on screen as x1,x2,label")
        self.actions = [
            self.open_action,
            self.save_action,
            self.save_as_action,
            self.load_data_action,
            self.save_data_action,
        ]
        playground.saved.connect(self.saved)

    def _action(self, text: str, shortcut: str, slot) -> QAction:
        action = QAction(text, self.parent_widget)
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _=False: slot())
        return action

    # ----- sessions -----
    def open_session(self, path: str | None = None) -> bool:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self.parent_widget, "Open a session", "", f"{SESSION_PATTERN};;All files (*)"
            )
            if not path:
                return False
        try:
            config, trainer = load_session(path)
        except SessionError as error:
            QMessageBox.warning(
                self.parent_widget, "Could not open the session", f"{error}\n\nNothing was changed."
            )
            return False
        self.adopt_session(path, config, trainer)
        return True

    def adopt_session(self, path: str, config, trainer) -> None:
        """Continue a session already read and checked (a data file still being read is
        not used: the session came later)."""
        self.reads.supersede()
        self.playground.open_session(config, trainer)
        self._use_path(path)
        self.playground.say(f"Opened {Path(path).name}: update {trainer.updates}, paused.", 6000)

    def save_session(self) -> None:
        if self.path is None:
            self.save_session_as()
        else:
            self._save_session(self.path)

    def _save_session(self, path: str) -> None:
        """The training thread takes the run, a pool thread writes it; ``saved`` answers."""
        self.playground.say(f"Saving {Path(path).name}…", 0)
        self.playground.save_session(path)

    def save_session_as(self) -> None:
        path = ask_save_path(self.parent_widget, "Save the session", SESSION_PATTERN)
        if not path:
            return
        if not path.endswith(SUFFIX):
            path += SUFFIX
        self._save_session(path)

    def saved(self, path: str, problem: str) -> None:
        """The training thread's answer to a save request."""
        if problem:
            self.playground.say("", 0)
            QMessageBox.warning(self.parent_widget, "Could not save the session", problem)
            return
        self._use_path(path)
        self.playground.say(f"Saved {path}", 6000)

    def _use_path(self, path: str) -> None:
        self.path = path
        self.title_changed.emit(f"{Path(path).name} – Neural Playground")
        self.remember(path)

    # ----- data files -----
    def load_data(self, path: str | None = None) -> None:
        """Read a data file (asked for when ``path`` is None) in a pool thread; its points
        are trained on, or refused in a dialog saying why, when it has been read."""
        problem = self.playground.config.data.problem
        if path is None:
            third = "target" if problem == REGRESSION else "label"
            path, _ = QFileDialog.getOpenFileName(
                self.parent_widget, f"Load data (x1,x2,{third})", "", DATA_PATTERN
            )
            if not path:
                return
        train_fraction, seed = self.playground.split_settings()
        self.reads.start(path, problem, train_fraction, seed)
        self.playground.say(f"Reading {Path(path).name}…", 0)

    def _read_answered(self, number: int, read: PointsRead) -> None:
        """A data file has been read: use it, or say why not (unless superseded)."""
        if not self.reads.is_latest(number):
            return
        self.playground.say("", 0)
        if read.unread:
            hint = f"\n\n{READ_AS_TARGETS}" if read.problem == REGRESSION else ""
            self._data_refused(f"{read.unread}{hint}")
        elif why := self._model_refuses(read.path, read.points) or read.unusable:
            self._data_refused(why)
        else:
            self.use_points(read.path, read.points, read.data)

    def _data_refused(self, why: str) -> bool:
        QMessageBox.warning(
            self.parent_widget, "Could not load the data", f"{why}\n\nThe current data stays."
        )
        return False

    def _model_refuses(self, path: str, points: LabelledPoints) -> str:
        """Why the model on screen cannot take these points ("" when it can)."""
        classes = len(points.class_names)
        if self.playground.config.model.kind == "perceptron" and classes != 2:
            return (
                f"{Path(path).name} has {classes} classes and the perceptron separates 2: "
                "choose the multi-layer perceptron first."
            )
        return ""

    def use_points(self, path: str, points: LabelledPoints, data: DataConfig | None = None) -> bool:
        """Train a fresh network on points read from ``path``; ``data``, when given, is
        their data configuration made already (its points are not checked again)."""
        if why := self._model_refuses(path, points):
            return self._data_refused(why)
        train_fraction, seed = self.playground.split_settings()
        try:
            if data is None:
                data = DataConfig.of_points(points, train_fraction=train_fraction, seed=seed)
            else:  # split as the panels say now
                data = replace(data, train_fraction=train_fraction, seed=seed)
        except ValueError as error:
            return self._data_refused(str(error))
        self.playground.apply_data(data, restart=True)
        self.remember(path)
        if points.problem == REGRESSION:
            what = f"with targets from {points.y.min():.4g} to {points.y.max():.4g}"
        else:
            what = f"in {len(points.class_names)} classes"
        self.playground.say(f"Loaded {len(points.y)} points {what} from {Path(path).name}.", 6000)
        return True

    def current_points(self) -> LabelledPoints | None:
        """The points on screen; real-valued targets (a regression's) are written as such."""
        X, y, names = self.playground.current_points()
        problem = REGRESSION if np.issubdtype(y.dtype, np.floating) else CLASSIFICATION
        return LabelledPoints(X, y, names, problem) if len(y) else None

    def save_data(self) -> None:
        points = self.current_points()
        if points is None:
            QMessageBox.information(self.parent_widget, "No data", "There are no points to save.")
            return
        path = ask_save_path(self.parent_widget, "Save the data as CSV", "CSV files (*.csv)")
        if path:  # 100,000 points take seconds to write: a pool thread does it
            save_in_background(self.parent_widget, path, lambda: write_points(path, points))

    # ----- recent files -----
    def _stored_recent(self) -> list[str]:
        """The remembered paths; anything else stored there is skipped, never an error."""
        if self.settings is None:
            return []
        try:
            value = self.settings.value(RECENT_KEY, [])
        except Exception as error:  # whatever is stored, start-up goes on
            skipped("the recent files", error)
            return []
        if isinstance(value, str):  # QSettings gives a lone string for a one-item list
            value = [value]
        if not isinstance(value, list):
            skipped("the recent files", ValueError(f"a {type(value).__name__}, not a list"))
            return []
        paths = [p for p in value if isinstance(p, str) and _could_be_path(p)]
        if len(paths) != len(value):
            skipped(f"{len(value) - len(paths)} recent file(s)", ValueError("not a path"))
        return paths[:MAX_RECENT]

    def remember(self, path: str) -> None:
        path = str(Path(path).resolve())
        self.recent = [path, *(p for p in self.recent if p != path)][:MAX_RECENT]
        if self.settings is not None:
            self.settings.setValue(RECENT_KEY, self.recent)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        if not self.recent:
            self.recent_menu.addAction("(none yet)").setEnabled(False)
            return
        for path in self.recent:
            action = self.recent_menu.addAction(Path(path).name)
            action.setStatusTip(path)
            action.triggered.connect(lambda _=False, p=path: self.open_recent(p))

    def open_recent(self, path: str) -> None:
        """Open a session or load a data file, whichever ``path`` is (by its suffix)."""
        if not Path(path).exists():
            QMessageBox.warning(self.parent_widget, "File not found", f"{path} no longer exists.")
            self.recent = [p for p in self.recent if p != path]
            if self.settings is not None:
                self.settings.setValue(RECENT_KEY, self.recent)
            return
        if path.lower().endswith(".csv"):
            self.load_data(path)
        else:
            self.open_session(path)

    # ----- files dropped on a window -----
    def open_dropped_files(self, window: QWidget) -> None:
        """A session or CSV file dropped on ``window`` opens, as Open recent would."""
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.DragEnter, QEvent.Type.Drop):
            return False
        path = _dropped_path(event)
        if path is None:
            return False
        event.acceptProposedAction()
        if kind == QEvent.Type.Drop:
            self.open_recent(path)  # a session or a CSV, by its suffix
        return True


def _dropped_path(event) -> str | None:
    urls = event.mimeData().urls()
    if len(urls) != 1 or not urls[0].isLocalFile():
        return None
    path = urls[0].toLocalFile()
    return path if path.lower().endswith((".npz", ".csv")) else None
