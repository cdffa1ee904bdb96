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
