"""Each run named at its curve's end, just right of the plot: a run is told by its name as well
as by its colour and line style, where curves cross and where colours merge for some eyes.

A short leader in the run's own pen runs from the plot's edge, at the height where the curve
ends, to its name; names that would overlap are pushed apart, as little as they can be.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QFont, QFontMetricsF, QPainter
from PySide6.QtWidgets import QGraphicsItem

from gui.views.compare_style import run_pen

End = tuple[float, float] | None  # a curve's last finite point (x, y), or none yet


def spread(wanted: list[float], gap: float, top: float, bottom: float) -> list[float]:
    """Heights as near ``wanted`` as they can be, each ``gap`` or more from the next, inside
    ``top`` .. ``bottom`` wherever they fit (y grows downwards, as on screen)."""
    order = sorted(range(len(wanted)), key=wanted.__getitem__)
    placed = list(wanted)
    y = -math.inf
    for i in order:  # downwards: each below the one above it, none above the top
        y = placed[i] = max(wanted[i], y + gap, top)
    y = math.inf
    for i in reversed(order):  # upwards: none below the bottom, the gaps kept
        y = placed[i] = min(placed[i], y - gap, bottom)
    return placed


def last_point(x: np.ndarray, y: np.ndarray) -> End:
    """The last point of a curve whose value is a number (a diverged run's curve ends early)."""
    finite = np.flatnonzero(np.isfinite(y))
    return None if finite.size == 0 else (float(x[finite[-1]]), float(y[finite[-1]]))


class EndLabels(QGraphicsItem):
    """The runs' names right of one plot's data area, each level with its curve's end."""

    LEAD = 18  # pixels of the leader, from the plot's edge to the name
    SPACE = 4  # pixels between a leader and its name

    def __init__(self, plot_item: pg.PlotItem) -> None:
        super().__init__(plot_item)
        self.plot_item = plot_item
        self.setZValue(10)
        self.font = QFont()
        self.font.setPointSizeF(8.5)
        self.names: list[str] = []
        self.ends: list[End] = []
        self.places: list[tuple[int, float, float]] = []  # run, its end's y, its name's y
        self._area = QRectF()  # the data area, in the plot item's coordinates
        box = plot_item.vb
        box.sigResized.connect(self.place)
        box.sigRangeChanged.connect(self.place)

    def set_runs(self, names: list[str], ends: list[End]) -> None:
        """Each run's name and its curve's last point (in data coordinates)."""
        if (names, ends) != (self.names, self.ends):
            self.names, self.ends = list(names), list(ends)
            self.place()

    def width(self) -> int:
        """Pixels the names need right of the data area (0 without any)."""
        if not self.names:
            return 0
        metrics = QFontMetricsF(self.font)
        widest = max(metrics.horizontalAdvance(name) for name in self.names)
        return math.ceil(self.LEAD + self.SPACE + widest + 4)

    def place(self, *_) -> None:
        """Put each name level with its curve's end, pushed apart where they would overlap."""
        box = self.plot_item.vb
        area = box.mapRectToItem(self.plot_item, box.boundingRect())
        shown = [(i, end) for i, end in enumerate(self.ends) if end is not None]
        ys = [
            self.plot_item.mapFromScene(box.mapViewToScene(QPointF(*end))).y() for _, end in shown
        ]
        ys = [min(max(y, area.top()), area.bottom()) for y in ys]
        gap = QFontMetricsF(self.font).height()
        names = spread(ys, gap, area.top() + gap / 2, area.bottom() - gap / 2)
        self.prepareGeometryChange()
        self._area = area
        self.places = [(i, y, name) for (i, _), y, name in zip(shown, ys, names, strict=True)]
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt's name)
        height = QFontMetricsF(self.font).height()
        top = min([self._area.top(), *(name - height for _, _, name in self.places)])
        bottom = max([self._area.bottom(), *(name + height for _, _, name in self.places)])
        return QRectF(self._area.right(), top, self.width(), bottom - top)

    def paint(self, painter: QPainter, *_) -> None:
        if not self.isVisible():
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(self.font)
        metrics = QFontMetricsF(self.font)
        ink = self.plot_item.getAxis("left").textPen().color()  # follows the theme
        edge = self._area.right()
        for index, end, name in self.places:
            painter.setPen(run_pen(index, width=2.0))
            painter.drawLine(QPointF(edge + 1, end), QPointF(edge + self.LEAD, name))
            painter.setPen(ink)
            baseline = name + (metrics.ascent() - metrics.descent()) / 2
            painter.drawText(QPointF(edge + self.LEAD + self.SPACE, baseline), self.names[index])
