"""Drawing your own data in the boundary view: add points of a chosen class, remove them.

The first edit turns the data on screen (train and test points alike) into the user's own
("custom") data set; every edit after that sends the new points to the training thread,
which goes on training the same network on them. While there are too few points to train
on, they are kept here and shown without a boundary.

Every edit (a point added or removed, Clear) can be undone and redone (Edit > Undo, Ctrl+Z;
Redo, Ctrl+Shift+Z or Ctrl+Y). The history keeps the points before each edit as arrays,
bounded in steps and in points, and is forgotten when the data changes another way (a data
set chosen in the panel, a file or session opened).

Drawing makes points of classes, so for regression the tools are off, and their tooltips say
so (a regression's own points come from a CSV file of x1,x2,target).
"""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np
from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QColor, QIcon, QKeySequence, QPixmap
from PySide6.QtWidgets import QComboBox, QWidget

from gui.appearance.palette import CLASS_COLOURS
from gui.drawing.point_edits import (
    EMPTY,
    EditHistory,
    PointSet,
    class_names_for,
    too_few,
    with_point,
    without_nearest,
)
from model.config import DataConfig
from model.data.datasets import CUSTOM
from model.limits import MAX_CLASSES, MAX_COORDINATE

DRAW_TIP = (
    "Draw your own data (D): left click in the boundary view adds a point of the "
    "chosen class, right click removes the nearest point; training goes on"
)
DRAWING_IS_FOR_CLASSES = (
    "Drawing adds points of a class, so it is for classification. For regression, load "
    "your own points with a target each: File > Load data (x1,x2,target)"
)


def _swatch(colour) -> QIcon:
    pixmap = QPixmap(14, 14)
    pixmap.fill(QColor(*colour))
    return QIcon(pixmap)


class DrawTools(QObject):
    """The Draw toggle, the class picker, Clear, Undo and Redo, and what they do to the data.

    The points on the plane and their training belong to the playground (``gui.controller``);
    the boundary view reports clicks and shows drawing."""

    def __init__(self, playground, boundary, parent: QWidget) -> None:
        super().__init__(parent)
        self.playground = playground
        self.boundary = boundary
        self.history = EditHistory()
        self._after: tuple[object, DataConfig | None] | None = None  # what the last edit left
        self.toggle = QAction("Draw", parent)
        self.toggle.setCheckable(True)
        self.toggle.setShortcut(QKeySequence("D"))
        self.toggle.setToolTip(DRAW_TIP)
        self.toggle.toggled.connect(self._drawing)
        self.picker = QComboBox()
        for k in range(MAX_CLASSES):
            self.picker.addItem(_swatch(CLASS_COLOURS[k]), f"class {k}", k)
        self.picker.setToolTip("The class of the points you draw (keys 1 to 6 while drawing)")
        self.picker.setEnabled(False)
        self.class_keys = []
        for k in range(MAX_CLASSES):
            action = QAction(f"Draw class {k}", parent)
            action.setShortcut(QKeySequence(str(k + 1)))
            action.triggered.connect(lambda _=False, k=k: self.picker.setCurrentIndex(k))
            action.setEnabled(False)
            self.class_keys.append(action)
        self.clear_action = QAction("Clear points", parent)
        self.clear_action.setShortcut(QKeySequence("Shift+Del"))
        self.clear_action.setToolTip(
            "Remove every point and start drawing on an empty plane (Undo, Ctrl+Z, brings "
            "them back)"
        )
        self.clear_action.triggered.connect(self.clear)
        self.undo_action = QAction("Undo", parent)
        self.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
        self.undo_action.triggered.connect(self.undo)
        self.redo_action = QAction("Redo", parent)
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.redo_action.triggered.connect(self.redo)
        self.actions = [
            self.toggle,
            self.clear_action,
            self.undo_action,
            self.redo_action,
            *self.class_keys,
        ]
        self._update_undo_actions()
        self._editing = False  # while an edit of ours applies its data
        playground.request_config.connect(self._data_may_have_changed)
        playground.request_restart.connect(self._data_may_have_changed)
        for signal in (playground.request_config, playground.request_restart):
            signal.connect(self._follow_problem)
        playground.request_open.connect(lambda config, _trainer: self._follow_problem(config))
        self._follow_problem(playground.config)
        boundary.point_clicked.connect(self.edit)

    def _follow_problem(self, config) -> None:
        """Draw and Clear for classification; for regression off, their tooltips say why."""
        classes = not config.data.is_regression
        if not classes and self.toggle.isChecked():
            self.toggle.setChecked(False)
        for action in (self.toggle, self.clear_action):
            action.setEnabled(classes)
        self.toggle.setToolTip(DRAW_TIP if classes else DRAWING_IS_FOR_CLASSES)

    def _drawing(self, on: bool) -> None:
        self.boundary.set_drawing(on)
        self.picker.setEnabled(on)
        for action in self.class_keys:
            action.setEnabled(on)
        if on:
            self.playground.say(
                "Drawing: left click adds a point of the chosen class, right click removes "
                "the nearest point.",
                8000,
            )

    def _for_classes(self) -> bool:
        """Whether the data in force poses classes: a regression's points have targets,
        and points of a class make no sense among them. Asked of the configuration itself,
        not only of the toggle, which a refused change can leave behind; and of the points
        on screen, which are the old problem's until the new data set's first frame."""
        if not self.toggle.isEnabled() or self.playground.config.data.is_regression:
            return False
        if not self.playground.shows_configured_problem():
            self.playground.say("The new data set is on its way: draw once it shows.", 4000)
            return False
        return True

    def edit(self, x1: float, x2: float, remove: bool) -> None:
        if not self._for_classes():
            return
        if not remove and max(abs(x1), abs(x2)) > MAX_COORDINATE:
            self.playground.say(
                f"Points are drawn within +-{MAX_COORDINATE:g}: press Home to see the data.", 5000
            )
            return
        X, y, names = self.playground.current_points()
        before = self._point_set(X, y, names)
        classes_before = int(y.max()) + 1 if len(y) else 0
        if remove:
            if len(y) == 0:
                return
            X, y = without_nearest(X, y, x1, x2)
            what = "remove point"
        else:
            X, y = with_point(X, y, x1, x2, int(self.picker.currentData()))
            what = "add point"
        self._record(what, before)
        with self._edit():
            self.apply(X, y, names, classes_before)

    def clear(self) -> None:
        if not self._for_classes():
            return
        if not self.toggle.isChecked():
            self.toggle.setChecked(True)
        X, y, names = self.playground.current_points()
        if len(y):
            self._record("clear points", self._point_set(X, y, names))
        with self._edit():
            self.apply(*EMPTY, ())
        if len(y):
            self.playground.say(
                f"Cleared {len(y)} points: draw your own. Undo ({_keys(self.undo_action)}) "
                "brings them back.",
                8000,
            )

    def apply(
        self, X: np.ndarray, y: np.ndarray, names: tuple[str, ...], classes_before: int = 0
    ) -> None:
        """Train on these points, or hold them until there are enough.

        The network trains on unless the number of classes changed (its output layer must
        then grow or shrink, so a new one starts)."""
        n_classes = int(y.max()) + 1 if len(y) else 0
        names = class_names_for(names, n_classes)
        if self._hold_if_too_few(X, y, names):
            return
        train_fraction, seed = self.playground.split_settings()
        data = DataConfig.custom(X, y, names, train_fraction=train_fraction, seed=seed)
        self._train_on(data, n_classes, classes_before in (0, n_classes))

    def _hold_if_too_few(self, X: np.ndarray, y: np.ndarray, names: tuple[str, ...]) -> bool:
        problem = too_few(y)
        if problem:
            self.playground.hold_points(X, y, names, problem)
        return bool(problem)

    def _train_on(self, data: DataConfig, n_classes: int, going_on: bool, done: str = "") -> None:
        self.playground.apply_data(data)  # also ends a wait for more points
        count = len(data.points)
        what = "training goes on" if going_on else f"{n_classes} classes now: a new network starts"
        self.playground.say(f"{done}{count} points of your own; {what}.", 5000)

    # ----- undo and redo -----
    def _point_set(self, X=None, y=None, names=()) -> PointSet:
        """The data on screen now (its arrays, if already at hand, are reused)."""
        if self.playground.pending is not None:
            X, y, names = self.playground.pending
            return PointSet(X=X, y=y, names=names)
        data = self.playground.config.data
        if data.name != CUSTOM:
            return PointSet(generated=data)
        if X is None:
            X, y = data.custom_arrays()
            names = data.class_names
        return PointSet(None, X, y, tuple(names), data.train_fraction, data.seed)

    def _record(self, what: str, before: PointSet) -> None:
        if not self._unchanged_since_last_edit():
            self.history.clear()
        self.history.record(what, before)

    @contextmanager
    def _edit(self):
        """Apply an edit, an undo or a redo; then remember what it left, to notice a change
        of the data made another way."""
        self._editing = True
        try:
            yield
        finally:
            self._editing = False
            data = self.playground.config.data if self.playground.pending is None else None
            self._after = (self.playground.pending, data)
            self._update_undo_actions()

    def _data_may_have_changed(self, _config=None) -> None:
        """A configuration went to the worker: if its data is not what the last edit left,
        the edit history no longer applies."""
        history = self.history
        if self._editing or not (history.undo_steps or history.redo_steps):
            return
        if not self._unchanged_since_last_edit():
            history.clear()
            self._update_undo_actions()

    def _unchanged_since_last_edit(self) -> bool:
        if self._after is None:
            return False
        pending, data = self._after
        if pending is not None or self.playground.pending is not None:
            return pending is self.playground.pending
        now = self.playground.config.data
        return now is data or now == data

    def undo(self) -> None:
        self._step(self.history.undo, "Undone")

    def redo(self) -> None:
        self._step(self.history.redo, "Redone")

    def _step(self, take, verb: str) -> None:
        if not self._unchanged_since_last_edit():
            self.history.clear()
            self._update_undo_actions()
            self.playground.say(
                "Nothing to undo: the data changed since the last drawn point.", 5000
            )
            return
        step = take(self._point_set())
        if step is None:
            return
        what, state = step
        with self._edit():
            self._restore(state, f"{verb}: {what}. ")

    def _restore(self, state: PointSet, done: str) -> None:
        playground = self.playground
        if state.generated is not None:
            data = state.generated
            going_on = data == playground.config.data  # its network was only paused, if at all
            playground.apply_data(data)  # also ends a wait for more points
            what = "training goes on" if going_on else "a new network starts"
            playground.say(f"{done}Back to the {data.name} data; {what}.", 5000)
            return
        names = class_names_for(state.names, int(state.y.max()) + 1 if state.size else 0)
        if self._hold_if_too_few(state.X, state.y, names):
            if not self.toggle.isChecked():
                self.toggle.setChecked(True)
            playground.say(f"{done}{state.size} points drawn.", 5000)
            return
        data = DataConfig.custom(
            state.X, state.y, names, train_fraction=state.train_fraction, seed=state.seed
        )
        n_classes = len(names)
        going_on = playground.classes_in_training() in (0, n_classes)
        self._train_on(data, n_classes, going_on, done)

    def _update_undo_actions(self) -> None:
        for action, steps, verb in (
            (self.undo_action, self.history.undo_steps, "Undo"),
            (self.redo_action, self.history.redo_steps, "Redo"),
        ):
            text = f"{verb} {steps[-1][0]}" if steps else verb
            action.setText(text)
            action.setEnabled(bool(steps))
            action.setToolTip(f"{text} ({_keys(action)})")
            action.setStatusTip(f"{text}: the drawn points as they were")


def _keys(action: QAction) -> str:
    return " or ".join(key.toString() for key in action.shortcuts())
