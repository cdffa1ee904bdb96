"""Drawing your own data in the boundary view: add points of a chosen class, remove them.

The first edit turns the data on screen (train and test points alike) into the user's own
("custom") data set; every edit after that sends the new points to the training thread,
which goes on training the same network on them. While there are too few points to train
on, they are kept here and shown without a boundary.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QColor, QIcon, QKeySequence, QPixmap
from PySide6.QtWidgets import QComboBox

from gui.palette import CLASS_COLOURS
from model.config import DataConfig
from model.datasets import CUSTOM, MAX_CLASSES
from model.points_file import MIN_POINTS
from model.training import build_dataset

EMPTY = (np.zeros((0, 2)), np.zeros(0, dtype=np.int64))


def too_few(y: np.ndarray) -> str | None:
    """Why these labels cannot be trained on yet, or None."""
    classes = len(np.unique(y))
    if len(y) >= MIN_POINTS and classes >= 2:
        return None
    return (
        f"Draw at least {MIN_POINTS} points of at least 2 classes to train "
        f"(now {len(y)} point{'s' if len(y) != 1 else ''}, {classes} "
        f"class{'es' if classes != 1 else ''}). Left click adds, right click removes."
    )


def with_point(X: np.ndarray, y: np.ndarray, x1: float, x2: float, label: int):
    return np.vstack([X, [[x1, x2]]]), np.append(y, label).astype(np.int64)


def without_nearest(X: np.ndarray, y: np.ndarray, x1: float, x2: float):
    if len(y) == 0:
        return X, y
    nearest = int(np.argmin(np.hypot(X[:, 0] - x1, X[:, 1] - x2)))
    keep = np.arange(len(y)) != nearest
    return X[keep], y[keep]


def class_names_for(names: tuple[str, ...], n_classes: int) -> tuple[str, ...]:
    """The known names, extended by numbers for classes drawn beyond them."""
    names = list(names)
    while len(names) < n_classes:
        candidate = str(len(names))
        names.append(candidate if candidate not in names else f"class {len(names)}")
    return tuple(names[:n_classes])


def _swatch(colour) -> QIcon:
    pixmap = QPixmap(14, 14)
    pixmap.fill(QColor(*colour))
    return QIcon(pixmap)


class DrawTools(QObject):
    """The Draw toggle, the class picker and Clear, and what they do to the data."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.pending: tuple[np.ndarray, np.ndarray, tuple[str, ...]] | None = None
        self.toggle = QAction("Draw", window)
        self.toggle.setCheckable(True)
        self.toggle.setShortcut(QKeySequence("D"))
        self.toggle.setToolTip(
            "Draw your own data (D): left click in the boundary view adds a point of the "
            "chosen class, right click removes the nearest point; training goes on"
        )
        self.toggle.toggled.connect(self._drawing)
        self.picker = QComboBox()
        for k in range(MAX_CLASSES):
            self.picker.addItem(_swatch(CLASS_COLOURS[k]), f"class {k}", k)
        self.picker.setToolTip("The class of the points you draw (keys 1 to 6 while drawing)")
        self.picker.setEnabled(False)
        self.class_keys = []
        for k in range(MAX_CLASSES):
            action = QAction(f"Draw class {k}", window)
            action.setShortcut(QKeySequence(str(k + 1)))
            action.triggered.connect(lambda _=False, k=k: self.picker.setCurrentIndex(k))
            action.setEnabled(False)
            window.addAction(action)
            self.class_keys.append(action)
        self.clear_action = QAction("Clear points", window)
        self.clear_action.setShortcut(QKeySequence("Shift+Del"))
        self.clear_action.setToolTip("Remove every point and start drawing on an empty plane")
        self.clear_action.triggered.connect(self.clear)
        window.addAction(self.toggle)
        window.addAction(self.clear_action)
        window.boundary.point_clicked.connect(self.edit)

    def _drawing(self, on: bool) -> None:
        self.window.boundary.set_drawing(on)
        self.picker.setEnabled(on)
        for action in self.class_keys:
            action.setEnabled(on)
        if on:
            self.window.statusBar().showMessage(
                "Drawing: left click adds a point of the chosen class, right click removes "
                "the nearest point.",
                8000,
            )

    def current(self) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
        """The points on screen, with their class names."""
        if self.pending is not None:
            return self.pending
        data = self.window.config.data
        if data.name == CUSTOM:  # the latest edit, even before its frame has come back
            X, y = data.custom_arrays()
            return X, y, class_names_for(data.class_names, int(y.max()) + 1)
        try:  # the configured data, even if its first frame is still on its way
            dataset = build_dataset(self.window.config)
        except ValueError:
            return (*EMPTY, ())
        return dataset.X_all, dataset.y_all, dataset.label_names()

    def edit(self, x1: float, x2: float, remove: bool) -> None:
        X, y, names = self.current()
        classes_before = int(y.max()) + 1 if len(y) else 0
        if remove:
            X, y = without_nearest(X, y, x1, x2)
        else:
            X, y = with_point(X, y, x1, x2, int(self.picker.currentData()))
        self.apply(X, y, names, classes_before)

    def clear(self) -> None:
        if not self.toggle.isChecked():
            self.toggle.setChecked(True)
        self.apply(*EMPTY, ())

    def apply(
        self, X: np.ndarray, y: np.ndarray, names: tuple[str, ...], classes_before: int = 0
    ) -> None:
        """Train on these points, or hold them until there are enough.

        The network trains on unless the number of classes changed (its output layer must
        then grow or shrink, so a new one starts)."""
        window = self.window
        n_classes = int(y.max()) + 1 if len(y) else 0
        names = class_names_for(names, n_classes)
        problem = too_few(y)
        if problem:
            self.pending = (X, y, names)
            window.request_pause.emit()
            window.boundary.show_pending(X, y)
            window.show_notice(problem)
            window.set_training_enabled(False)
            return
        self.pending = None
        window.set_training_enabled(True)
        window.banner.hide()
        panel = window.data_panel.config()
        data = DataConfig.custom(X, y, names, train_fraction=panel.train_fraction, seed=panel.seed)
        window.apply_data(data)
        going_on = classes_before in (0, n_classes)
        what = "training goes on" if going_on else f"{n_classes} classes now: a new network starts"
        window.statusBar().showMessage(f"{len(y)} points of your own; {what}.", 5000)
