"""Plot items that answer Qt's frequent geometry questions from a cache.

The boundary view repaints every frame. Qt asks each item on it for its bounding rectangle
several times per repaint, and pyqtgraph's scatter item recomputes it in Python from the
data and the view's pixel size each time, holding the GIL the training thread needs
(bench/gui_speed.py). The rectangle only changes with the data, the symbol size or the
view's transform, so it is kept until one of those changes.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QGraphicsView


class CachedBoundsScatter(pg.ScatterPlotItem):
    """A ScatterPlotItem whose bounding rectangle is computed once per data and view."""

    _cached_rect: QRectF | None = None

    def boundingRect(self) -> QRectF:
        if self._cached_rect is None:
            self._cached_rect = super().boundingRect()
        return self._cached_rect

    def prepareGeometryChange(self) -> None:
        self._cached_rect = None
        super().prepareGeometryChange()

    def invalidate(self) -> None:
        self._cached_rect = None
        super().invalidate()

    def updateSpots(self, dataSet=None) -> None:
        super().updateSpots(dataSet)
        self._cached_rect = None

    def viewTransformChanged(self) -> None:
        self._cached_rect = None
        super().viewTransformChanged()


def prepare_on_change(view: pg.GraphicsView) -> None:
    """Let ``view`` paint without pyqtgraph's Python ``paintEvent`` (see ``FastPaint``).

    That override only brings each view box's transform up to date before painting; here
    each view box does it when its size, range or state changes instead.
    """
    for item in view.scene().items():
        if isinstance(item, pg.ViewBox):
            for signal in (item.sigResized, item.sigRangeChanged, item.sigStateChanged):
                signal.connect(item.prepareForPaint)


class FastPaint:
    """Mixin for a view repainted every frame: Qt paints it without entering Python.

    PySide holds the GIL for the whole of a C++ call made from Python, so pyqtgraph's Python
    ``paintEvent`` (which calls Qt's) keeps the training thread waiting while Qt paints.
    With Qt's own method in its place, the GIL is taken only for items painted in Python.
    Call ``prepare_on_change`` once the plot's items exist.
    """

    paintEvent = QGraphicsView.paintEvent  # noqa: N815 (Qt's name)
