"""The data sets as small pictures of their points, to pick one by its look, as in TensorFlow
Playground; the Data panel's list names them too, for the keyboard.

Each picture is drawn from the engine's own generator (model/data/datasets.py: a small sample
at the data set's default parameters), made once and kept: never while training draws
frames. The first pictures wait for the window's first frame, as making a data set loads
scikit-learn, which the training thread is loading then anyway.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QAbstractButton, QButtonGroup, QSizePolicy, QWidget

from gui.appearance.palette import CLASS_COLOURS
from gui.appearance.value_colours import point_colours
from model.data.datasets import make_dataset

SAMPLES = 180  # points in a picture: enough to show the shape, few enough to read it
SEED = 3
FILL = 0.8  # the points' span, as a share of the picture's side
SIDE_RANGE = (30, 64)  # pixels of a picture's side: as wide as the panel allows
SLOTS = 6  # pictures sized as if this many shared the row (classification has six)
GAP = 4


@cache
def thumbnail_points(name: str) -> tuple[np.ndarray, np.ndarray, bool]:
    """The points of data set ``name`` in the unit square (one scale for x and y, y up),
    their classes or targets, and whether they are targets (regression)."""
    data = make_dataset(name, n_samples=SAMPLES, seed=SEED)
    X, y = data.X_all, data.y_all
    low, high = X.min(axis=0), X.max(axis=0)
    span = float(np.max(high - low)) or 1.0
    unit = (X - (low + high) / 2) / span * FILL + 0.5
    unit.setflags(write=False)
    return unit, y, data.is_regression


def point_rgba(name: str) -> np.ndarray:
    """(n, 4) colours of the points: class colours, or targets on the regression scale."""
    _, y, regression = thumbnail_points(name)
    if regression:
        m = float(np.max(np.abs(y))) or 1.0
        return point_colours(y, (-m, m))
    colours = np.array([(*CLASS_COLOURS[k % len(CLASS_COLOURS)], 255) for k in range(6)])
    return colours[y.astype(int) % len(colours)]


def picture(name: str, side: int, ratio: float) -> QPixmap:
    """The points of ``name`` as a transparent ``side``-pixel square, for a screen of
    device pixel ratio ``ratio``."""
    unit, _, _ = thumbnail_points(name)
    colours = point_rgba(name)
    pixmap = QPixmap(QSize(side, side) * ratio)
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    _, _, regression = thumbnail_points(name)
    # a target near 0 is near white: an outline keeps it in sight, as in the boundary view
    painter.setPen(QPen(QColor(0, 0, 0, 70), 0.6) if regression else Qt.PenStyle.NoPen)
    radius = max(1.1, side / 34)
    for (x, y), (r, g, b, a) in zip(unit, colours, strict=True):
        painter.setBrush(QColor(int(r), int(g), int(b), int(a)))
        painter.drawEllipse(QPointF(x * side, (1 - y) * side), radius, radius)
    painter.end()
    return pixmap


class Thumbnail(QAbstractButton):
    """One data set's picture on the view's background colour, framed in the highlight
    colour when chosen."""

    def __init__(self, name: str, label: str) -> None:
        super().__init__()
        self.name = name
        self.setCheckable(True)
        self.setToolTip(label)
        self.setAccessibleName(label)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.side = SIDE_RANGE[0]  # the side its picture was made for
        self._picture: QPixmap | None = None

    def show_picture(self, picture: QPixmap | None) -> None:
        self._picture = picture
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        palette = self.palette()
        frame = QRectF(self.rect()).adjusted(1.5, 1.5, -1.5, -1.5)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        chosen = self.isChecked()
        colour = palette.color(QPalette.ColorRole.Highlight if chosen else QPalette.ColorRole.Mid)
        pen = QPen(colour, 3 if chosen else 1)
        if self.hasFocus() and not chosen:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawRoundedRect(frame, 4, 4)
        if self._picture is not None:
            painter.drawPixmap(self.rect(), self._picture)
        if not self.isEnabled():
            painter.fillRect(self.rect(), QColor(128, 128, 128, 120))


def picture_side(width: int, pictures: int) -> int:
    """The side of each of ``pictures`` pictures sharing a row ``width`` pixels wide (at
    least SLOTS shares, so the six of classification and the regression's fewer look alike)."""
    slots = max(SLOTS, pictures)
    low, high = SIDE_RANGE
    return int(min(high, max(low, (width - GAP * (slots - 1)) // slots)))


class DatasetThumbnails(QWidget):
    """A row of pictures, one for each data set of the problem shown; ``chosen`` names the
    one clicked.

    The pictures follow the row's width, so its height depends on its width: it says so to
    Qt (``heightForWidth``) and places the pictures itself. Setting its own height from its
    width as it was resized made the settings column's scroll area flip its scroll bar on
    and off inside one resize (the bar takes width, the pictures shrink, the bar goes, they
    grow...) until the window's thread ran out of stack."""

    chosen = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.group.buttonClicked.connect(lambda button: self.chosen.emit(button.name))
        self.buttons: list[Thumbnail] = []
        self.drawn = False  # pictures are made (see draw)
        # the pictures follow the width, never the other way round (no horizontal scrolling)
        self.setMinimumWidth(SLOTS * SIDE_RANGE[0] + (SLOTS - 1) * GAP)
        policy = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt's name)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt's name)
        return picture_side(width, len(self.buttons))

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(self.minimumWidth(), SIDE_RANGE[0])

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return self.sizeHint()

    def show_names(self, names: list[tuple[str, str]]) -> None:
        """One picture for each (name, label); the same ones are kept."""
        if [b.name for b in self.buttons] == [name for name, _ in names]:
            return
        for button in self.buttons:
            self.group.removeButton(button)
            button.hide()
            button.deleteLater()
        self.buttons = [Thumbnail(name, label) for name, label in names]
        for button in self.buttons:
            button.setParent(self)
            self.group.addButton(button)
            button.show()
        self.updateGeometry()  # more pictures than SLOTS would make them smaller
        self._size_pictures()

    def set_current(self, name: str | None) -> None:
        """Frame ``name``'s picture; none for a data set without one (the user's points)."""
        self.group.setExclusive(False)
        for button in self.buttons:
            button.setChecked(button.name == name)
        self.group.setExclusive(True)

    def current(self) -> str | None:
        button = self.group.checkedButton()
        return button.name if button is not None else None

    def draw(self) -> None:
        """Make the pictures (once; later calls only resize them)."""
        self.drawn = True
        self._size_pictures()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._size_pictures()

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.LayoutDirectionChange:  # the row from the other side
            self._size_pictures()

    def _size_pictures(self) -> None:
        """Place the pictures in a row from the left (the right, for right-to-left text);
        a picture is drawn again only when its side changes."""
        side = picture_side(self.width(), len(self.buttons))
        ratio = self.devicePixelRatioF()
        mirrored = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        for k, button in enumerate(self.buttons):
            x = k * (side + GAP)
            button.setGeometry(self.width() - x - side if mirrored else x, 0, side, side)
            if button.side != side or (self.drawn and button._picture is None):
                button.side = side
                button.show_picture(picture(button.name, side, ratio) if self.drawn else None)
