"""Plot items that answer Qt's frequent geometry questions from a cache.

The boundary view repaints every frame. Qt asks each item on it for its bounding rectangle
several times per repaint, and pyqtgraph's scatter item recomputes it in Python from the
data and the view's pixel size each time, holding the GIL the training thread needs
(bench/gui_speed.py). The rectangle only changes with the data, the symbol size or the
view's transform, so it is kept until one of those changes.

Exported as PNG, pyqtgraph's scatter item draws every point in Python, a fraction of a
millisecond each (24 s for 100,000 points, in the window's thread); ``CachedBoundsScatter``
draws them from the symbols it has already rendered, as on screen, scaled to the export.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from pyqtgraph import functions as fn
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

    def paint(self, painter, option, widget=None) -> None:
        """On screen as pyqtgraph paints; exported, from the pre-rendered symbols too."""
        export = self._exportOpts
        if export is False or not (self.opts["pxMode"] and self.opts["useCache"]):
            super().paint(painter, option, widget)
            return
        scale = export.get("resolutionScale", 1.0) / self.fragmentAtlas.devicePixelRatio()
        shown = self._maskAt(self.viewRect())
        points = np.vstack([self.data["x"], self.data["y"]])
        points = fn.transformCoordinates(painter.transform(), points)
        points = fn.clip_array(points, -(2**30), 2**30)  # as pyqtgraph: Qt fails beyond
        painter.resetTransform()
        sources = self.data["sourceRect"][shown]
        self._pixmapFragments.resize(sources.size)
        fragments = self._pixmapFragments.ndarray()
        fragments[:, 0:2] = points[:, shown].T
        fragments[:, 2:6] = np.frombuffer(sources, dtype=int).reshape((-1, 4))
        fragments[:, 6:10] = [scale, scale, 0.0, 1.0]  # scale x and y, rotation, opacity
        painter.drawPixmapFragments(*self._pixmapFragments.drawargs(), self.fragmentAtlas.pixmap)


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
