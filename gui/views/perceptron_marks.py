"""What the boundary view draws over the perceptron's plane: its decision line w . x~ = 0 as a
line (exact and smooth at any zoom, not read off the image's grid), the weight vector from
the line's middle and, while paused, the last update of its rule replayed."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from gui.workers.frames import Frame

Extent = tuple[float, float, float, float]
INK = (20, 20, 20)


def line_in_extent(w: np.ndarray, extent: Extent) -> np.ndarray | None:
    """The two ends of the part of the line ``b + w1 x1 + w2 x2 = 0`` inside ``extent``
    (where the boundary image ends), or None where the line misses it or ``w`` has no
    direction."""
    b, w1, w2 = (float(v) for v in w)
    norm2 = w1 * w1 + w2 * w2
    if norm2 == 0 or not np.isfinite(norm2 + b):
        return None
    x0, x1, y0, y1 = extent
    centre = np.array([(x0 + x1) / 2, (y0 + y1) / 2])
    normal = np.array([w1, w2])
    foot = centre - (normal @ centre + b) / norm2 * normal  # the line's point nearest centre
    direction = np.array([-w2, w1]) / np.sqrt(norm2)
    low, high = -np.inf, np.inf  # the parameter t of foot + t direction, clipped per axis
    for axis, (lo, hi) in enumerate(((x0, x1), (y0, y1))):
        if direction[axis] == 0:
            if not lo <= foot[axis] <= hi:
                return None
            continue
        t_lo, t_hi = sorted(
            ((lo - foot[axis]) / direction[axis], (hi - foot[axis]) / direction[axis])
        )
        low, high = max(low, t_lo), min(high, t_hi)
    if not low < high:
        return None
    return np.array([foot + low * direction, foot + high * direction])


class PerceptronMarks:
    """The line, the weight vector and the replay, added to ``plot``; hidden for an MLP."""

    def __init__(self, plot: pg.PlotItem) -> None:
        pen = pg.mkPen(INK, width=2)
        self.line = pg.PlotCurveItem(pen=pen, antialias=True)
        self.arrow_shaft = pg.PlotCurveItem(pen=pen, antialias=True)
        self.arrow_head = pg.ArrowItem(angle=0, headLen=13, tipAngle=40, brush=INK, pen=None)
        for item in (self.line, self.arrow_shaft, self.arrow_head):
            item.setZValue(10)
            plot.addItem(item, ignoreBounds=True)
        # Replaying the perceptron rule: the line before the update, dashed, the points that
        # made the update, ringed, and the update itself, written out.
        self.old_line = pg.PlotCurveItem(
            pen=pg.mkPen((60, 60, 60), width=1.5, style=pg.QtCore.Qt.PenStyle.DashLine),
            antialias=True,
        )
        self.update_points = pg.ScatterPlotItem(
            size=15, brush=None, pen=pg.mkPen((230, 180, 0), width=2.5)
        )
        # Bottom right: the legend holds the top left corner.
        self.update_text = pg.TextItem(color=INK, fill=(255, 255, 255, 220), anchor=(1, 1))
        for item in (self.old_line, self.update_points, self.update_text):
            item.setZValue(11)
            item.hide()
            plot.addItem(item, ignoreBounds=True)

    def show(self, frame: Frame) -> None:
        self._draw_line(frame)
        self._draw_update(frame)

    def _draw_line(self, frame: Frame) -> None:
        w = frame.perceptron_weights
        ends = None if w is None else line_in_extent(w, frame.extent)
        for item in (self.line, self.arrow_shaft, self.arrow_head):
            item.setVisible(ends is not None)
        if ends is None:
            return
        _, w1, w2 = w
        x0, x1, y0, y1 = frame.extent
        self.line.setData(ends[:, 0], ends[:, 1])
        # The weight vector, from the middle of the line's visible part: it points to +1.
        foot = ends.mean(axis=0)
        length = 0.2 * min(x1 - x0, y1 - y0)
        tip = foot + length * np.array([w1, w2]) / np.hypot(w1, w2)
        self.arrow_shaft.setData([foot[0], tip[0]], [foot[1], tip[1]])
        self.arrow_head.setPos(*tip)
        self.arrow_head.setStyle(angle=180 - np.degrees(np.arctan2(w2, w1)))

    def _draw_update(self, frame: Frame) -> None:
        """The last update of the perceptron rule, while paused."""
        record = frame.perceptron_update
        shown = record is not None and frame.perceptron_weights is not None
        for item in (self.old_line, self.update_points, self.update_text):
            item.setVisible(shown)
        if not shown:
            return
        ends = line_in_extent(record.weights_before, frame.extent)
        self.old_line.setVisible(ends is not None)
        if ends is not None:
            self.old_line.setData(ends[:, 0], ends[:, 1])
        points = record.misclassified_points
        self.update_points.setData(points[:, 0], points[:, 1])
        change = frame.perceptron_weights - record.weights_before
        self.update_text.setText(
            f"{len(points)} misclassified points made this update\n"
            f"g = -mean(y x~) = ({record.gradient[0]:.3g}, {record.gradient[1]:.3g}, "
            f"{record.gradient[2]:.3g})\n"
            f"w change = -lr g = ({change[0]:.3g}, {change[1]:.3g}, {change[2]:.3g})"
        )
        x0, x1, y0, y1 = frame.extent
        self.update_text.setPos(x1, y0)
