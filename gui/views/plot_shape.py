"""Giving a plot of the input plane the shape of its data.

A plot true to scale (one data unit as long in x as in y) widens its range in whichever
direction the widget is longer than the data: in a tall, narrow widget, wide data would fill a
third of the height, the rest empty colour. Here the plot item (its axes, colour bar and legend
with it) takes a box of the data's shape inside the widget, centred, and the widget's spare
room stays plain background.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF

FILL = 0.6  # the data spans at least this much of the visible range in x and in y
LONGEST = 4.0  # the plot is never more than 4 times as wide as tall, nor as tall as wide
SMALLEST = 80.0  # pixels of plot area kept in each direction, however wide the data
PASSES = 4  # the legend's rows follow the plot's width: a few passes settle both


def aspect_range(
    points: np.ndarray, extent: tuple[float, float, float, float]
) -> tuple[float, float]:
    """The widths / heights of plot area that show ``points`` true to scale over at least
    ``FILL`` of the visible range in both directions, when the range is ``extent`` (the data
    and its margin) widened to the plot's shape."""
    span = np.ptp(points, axis=0) if len(points) else np.zeros(2)
    x0, x1, y0, y1 = extent
    wide, tall = x1 - x0, y1 - y0
    low = wide / max(span[1] / FILL, tall)
    high = max(span[0] / FILL, wide) / tall
    low, high = np.clip([low, high], 1 / LONGEST, LONGEST)
    return float(low), float(high)


def shaped_size(
    room: tuple[float, float], chrome: tuple[float, float], aspects: tuple[float, float]
) -> tuple[float, float]:
    """The plot item's (width, height) in ``room``: all of it, unless its plot area (the item
    less ``chrome``, the axes, bar and legend beside and below it) would then be wider or
    taller than ``aspects`` allows; then only as wide or as tall as that."""
    width, height = room
    area_w, area_h = width - chrome[0], height - chrome[1]
    if area_w < SMALLEST or area_h < SMALLEST:
        return width, height
    low, high = aspects
    if area_w > area_h * high:
        width = max(area_h * high, SMALLEST) + chrome[0]
    elif area_w < area_h * low:
        height = max(area_w / low, SMALLEST) + chrome[1]
    return width, height


class DataShape:
    """Keeps ``view``'s plot item in a box of its data's shape, centred in the widget.

    ``before_layout(width)`` is called with the plot item's width before each layout (the
    legend sets its columns from it); ``placed()`` once the plot area has its final size.
    """

    def __init__(
        self,
        view: pg.PlotWidget,
        before_layout: Callable[[float], None],
        placed: Callable[[], None],
    ) -> None:
        self.view = view
        self.aspects: tuple[float, float] | None = None  # None: no data yet, the whole widget
        self.placing = False
        self._before_layout = before_layout
        self._placed = placed

    def follow(self, points: np.ndarray, extent: tuple[float, float, float, float]) -> None:
        """New data: its shape, and the plot placed for it when that changed."""
        aspects = aspect_range(points, extent)
        if self.aspects is None or not np.allclose(aspects, self.aspects, rtol=1e-3):
            self.aspects = aspects
            self.place()

    def place(self) -> None:
        """Lay the plot item out in the widget (after a resize, new data, or a change of
        what sits beside the plot area)."""
        view, item = self.view, self.view.plotItem
        room = QRectF(0, 0, view.width(), view.height())  # the widget's pixels
        if room.width() < 1 or room.height() < 1:
            return
        self.placing = True
        try:
            rect = room
            for _ in range(PASSES):
                self._lay_out(rect)
                if self.aspects is None:
                    break
                box = item.vb
                chrome = (rect.width() - box.width(), rect.height() - box.height())
                width, height = shaped_size((room.width(), room.height()), chrome, self.aspects)
                shaped = QRectF(
                    round((room.width() - width) / 2),
                    round((room.height() - height) / 2),
                    round(width),
                    round(height),
                )
                if shaped == rect:
                    break
                rect = shaped
            else:
                self._lay_out(rect)
        finally:
            self.placing = False
        self._placed()

    def _lay_out(self, rect: QRectF) -> None:
        item = self.view.plotItem
        self._before_layout(rect.width())
        item.setGeometry(rect)
        item.layout.activate()
