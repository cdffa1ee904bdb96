"""The loss landscape: a filled contour map of a slice of the loss, contour lines, a colour bar,
the path of training on the same plane and the current weights; beside it, the loss along
the straight line from the initial weights to the current ones.

The map is coloured here (viridis, log-scaled by default), so that a cell not yet computed
is grey, never a loss.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Signal

from gui.appearance.palette import split_pen
from gui.workers.frames import LandscapeFrame

COLOUR_MAP = "viridis"
NOT_COMPUTED = (200, 200, 200, 255)
CONTOURS = 7
PATH_COLOUR = "#FFFFFF"
NOW_COLOUR = "#D55E00"  # Okabe-Ito vermillion
MAP_SHARE = 0.6  # of the view's width the map's plot takes at most; the line plot the rest


def nice_ticks(low: float, high: float, log: bool) -> list[tuple[float, str]]:
    """Colour-bar ticks labelled with the loss itself, also on a log scale."""
    if not log:
        return [(v, f"{v:.3g}") for v in np.linspace(low, high, 5)]
    ticks = []
    steps = (1, 2, 5) if high - low > 1 else (1, 1.5, 2, 3, 4, 5, 7)
    for decade in range(int(np.floor(low)) - 1, int(np.ceil(high)) + 1):
        for m in steps:
            v = np.log10(m) + decade
            if low <= v <= high:
                ticks.append((v, f"{m * 10.0**decade:.3g}"))
    return ticks or [(low, f"{10**low:.3g}"), (high, f"{10**high:.3g}")]


class LandscapeView(pg.GraphicsLayoutWidget):
    """The map's plot is as wide as its square map needs at the height it has (true to
    scale, the map filling it); the line plot takes the rest of the width."""

    hovered = Signal(str)  # "(a, b) loss" under the mouse, or ""

    def __init__(self) -> None:
        super().__init__()
        self.log_scale = True
        self.landscape: LandscapeFrame | None = None
        self.colour_map = pg.colormap.get(COLOUR_MAP)
        self.map_plot = self.addPlot(row=0, col=0)
        self.map_plot.setLabel("bottom", "a: first direction")
        self.map_plot.setLabel("left", "b: second direction")
        self.map_plot.setAspectLocked(True)  # both directions in the same units of weight
        self.image = pg.ImageItem()
        self.map_plot.addItem(self.image)
        contour_pen = pg.mkPen((255, 255, 255, 110))
        self.contours = [pg.IsocurveItem(pen=contour_pen) for _ in range(CONTOURS)]
        for contour in self.contours:
            contour.setParentItem(self.image)  # in the image's cell coordinates
        self.path = pg.PlotDataItem(
            pen=pg.mkPen(PATH_COLOUR, width=2),
            symbol="o",
            symbolSize=5,
            symbolBrush=PATH_COLOUR,
            symbolPen=pg.mkPen("k", width=0.5),
        )
        self.start = pg.ScatterPlotItem(
            size=11, symbol="s", brush=pg.mkBrush("w"), pen=pg.mkPen("k", width=1.5)
        )
        self.now = pg.ScatterPlotItem(
            size=18, symbol="star", brush=pg.mkBrush(NOW_COLOUR), pen=pg.mkPen("k", width=1.5)
        )
        for item in (self.path, self.start, self.now):
            self.map_plot.addItem(item)
        self.bar = pg.ColorBarItem(
            values=(0.0, 1.0), colorMap=self.colour_map, label="train loss", interactive=False
        )
        self.addItem(self.bar, row=0, col=1)
        self.line_plot = self.addPlot(row=0, col=2)
        self.line_plot.setTitle("From the initial weights (t = 0) to now (t = 1)", size="9pt")
        self.line_plot.setLabel("bottom", "t")
        self.line_plot.setLabel("left", "loss")
        self.line_plot.addLegend(offset=(-10, 10))
        self.train_line = self.line_plot.plot(pen=split_pen("train"), name="train")
        self.test_line = self.line_plot.plot(pen=split_pen("test"), name="test")
        for plot in (self.map_plot, self.line_plot):
            for side in ("left", "bottom"):
                plot.getAxis(side).enableAutoSIPrefix(False)
        self.ci.layout.setColumnStretchFactor(2, 1)
        self._map_aspect = 1.0  # the slice's width / height in units of weight
        self.scene().sigMouseMoved.connect(self._mouse_moved)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit_map()

    def _fit_map(self) -> None:
        """Give the map's plot the width that makes its plot area the slice's shape."""
        plot = self.__dict__.get("map_plot")  # None while the view is being built
        if plot is None or self.width() < 1:
            return
        self.ci.layout.activate()
        box = plot.vb
        width = box.height() * self._map_aspect + (plot.width() - box.width())
        width = round(max(1.0, min(width, MAP_SHARE * self.width())))
        if width != round(plot.width()):
            plot.setMinimumWidth(width)
            plot.setMaximumWidth(width)
            self.ci.layout.activate()

    def forget(self) -> None:
        """A new run: nothing is known of its landscape yet. (Not ``clear``: the layout
        widget puts its layout's ``clear`` in that name, which removes the plots.)"""
        self.landscape = None
        self.image.clear()
        for item in (self.path, self.start, self.now, self.train_line, self.test_line):
            item.setData([], [])
        for contour in self.contours:
            contour.setData(None)

    def set_log_scale(self, log: bool) -> None:
        self.log_scale = log
        if self.landscape is not None:
            self.show_landscape(self.landscape)

    def show_landscape(self, landscape: LandscapeFrame) -> None:
        self.landscape = landscape
        a, b = landscape.a, landscape.b
        loss = landscape.loss if landscape.preview is None else landscape.preview
        with np.errstate(all="ignore"):
            shown = np.log10(np.maximum(loss, 1e-12)) if self.log_scale else loss.copy()
        finite = np.isfinite(shown)
        low, high = (shown[finite].min(), shown[finite].max()) if finite.any() else (0.0, 1.0)
        if high - low < 1e-12:
            high = low + 1e-6
        unit = np.where(finite, (shown - low) / (high - low), 0.0)
        rgba = self.colour_map.map(unit.ravel(), mode="byte").reshape(*unit.shape, 4)
        rgba[~finite] = NOT_COMPUTED
        da = (a[-1] - a[0]) / max(len(a) - 1, 1)
        db = (b[-1] - b[0]) / max(len(b) - 1, 1)
        rect = pg.QtCore.QRectF(a[0] - da / 2, b[0] - db / 2, da * len(a), db * len(b))
        self.image.setImage(rgba, rect=rect)
        levels = np.linspace(low, high, CONTOURS + 2)[1:-1]
        for contour, level in zip(self.contours, levels, strict=True):
            whole = landscape.complete and finite.all()  # not on a preview's blocks
            contour.setData(shown if whole else None, level)
        self.bar.setLevels((low, high))
        self.bar.axis.setTicks([nice_ticks(low, high, self.log_scale)])
        self.bar.getAxis("left").setLabel("train loss (log)" if self.log_scale else "train loss")
        path = landscape.path
        self.path.setData(path[:, 0], path[:, 1])
        self.start.setData(path[:1, 0], path[:1, 1])
        self.now.setData(path[-1:, 0], path[-1:, 1])
        self.map_plot.setRange(rect, padding=0)
        if not np.isclose(rect.width() / rect.height(), self._map_aspect):
            self._map_aspect = rect.width() / rect.height()
            self._fit_map()
        if landscape.line is not None:
            line = landscape.line
            self.train_line.setData(line.t, line.train)
            self.test_line.setData(line.t, line.test)

    def loss_at(self, x: float, y: float) -> tuple[float, float, float] | None:
        """The grid cell nearest (x, y): its (a, b, loss), or None outside the slice."""
        landscape = self.landscape
        if landscape is None:
            return None
        a, b = landscape.a, landscape.b
        j, i = int(np.argmin(np.abs(a - x))), int(np.argmin(np.abs(b - y)))
        half_a = (a[-1] - a[0]) / max(len(a) - 1, 1) / 2
        half_b = (b[-1] - b[0]) / max(len(b) - 1, 1) / 2
        if abs(a[j] - x) > half_a * 1.01 or abs(b[i] - y) > half_b * 1.01:
            return None
        return float(a[j]), float(b[i]), float(landscape.loss[i, j])

    def describe_at(self, x: float, y: float) -> str:
        found = self.loss_at(x, y)
        if found is None:
            return ""
        a, b, loss = found
        value = "not yet computed" if not np.isfinite(loss) else f"loss {loss:.4g}"
        return f"(a, b) = ({a:.3g}, {b:.3g}): {value}"

    def _mouse_moved(self, position: QPointF) -> None:
        if not self.map_plot.sceneBoundingRect().contains(position):
            self.hovered.emit("")
            return
        point = self.map_plot.vb.mapSceneToView(position)
        self.hovered.emit(self.describe_at(point.x(), point.y()))
