"""The decision-boundary view: class probabilities as an image, with the data on top."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QGraphicsItem

from gui.frames import Frame
from gui.palette import CLASS_COLOURS, binary_colour_map, probability_image

MARK_COLOUR = (220, 20, 60)


class BoundaryView(pg.PlotWidget):
    """Colour by class, paler where the model is unsure; train points filled, test hollow."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAspectLocked(False)
        self.setMenuEnabled(False)
        for axis in ("left", "bottom"):  # re-rendered only when the range changes
            self.getAxis(axis).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setLabel("bottom", "x1")
        self.setLabel("left", "x2")
        # Two classes: P(class 1) through a colour map (white where unsure) with a colour bar.
        # More classes: an RGB image, each pixel the probability-weighted class colour.
        self.image = pg.ImageItem(axisOrder="row-major")
        self.rgb_image = pg.ImageItem(axisOrder="row-major")
        self.addItem(self.image)
        self.addItem(self.rgb_image)
        self.colour_bar = pg.ColorBarItem(
            values=(0.0, 1.0),
            colorMap=binary_colour_map(),
            interactive=False,
            width=14,
            label="P(class 1)",
        )
        self.colour_bar.setImageItem(self.image, insert_in=self.getPlotItem())
        self.train_items: list[pg.ScatterPlotItem] = []
        self.test_items: list[pg.ScatterPlotItem] = []
        self.wrong_item = pg.ScatterPlotItem(
            symbol="x",
            size=11,
            pen=pg.mkPen(MARK_COLOUR, width=2),
            brush=pg.mkBrush(MARK_COLOUR),
            name="misclassified",
        )
        self.addItem(self.wrong_item)
        self.line = pg.PlotCurveItem(pen=pg.mkPen((20, 20, 20), width=2))
        self.arrow_shaft = pg.PlotCurveItem(pen=pg.mkPen((20, 20, 20), width=2))
        self.arrow_head = pg.ArrowItem(angle=0, headLen=14, brush=(20, 20, 20), pen=None)
        for item in (self.line, self.arrow_shaft, self.arrow_head):
            item.setZValue(10)
            self.addItem(item)
        self.show_test = True
        self._dataset_id: int | None = None
        self.last_image: np.ndarray | None = None

    def _ensure_scatter(self, n_classes: int) -> None:
        while len(self.train_items) < n_classes:
            colour = CLASS_COLOURS[len(self.train_items)]
            train = pg.ScatterPlotItem(
                size=7, pen=pg.mkPen((30, 30, 30), width=0.7), brush=pg.mkBrush(*colour)
            )
            test = pg.ScatterPlotItem(
                size=8,
                symbol="s",
                pen=pg.mkPen(*colour, width=1.6),
                brush=pg.mkBrush(255, 255, 255, 160),
            )
            for item in (train, test):
                item.setZValue(5)
                item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
                self.addItem(item)
            self.train_items.append(train)
            self.test_items.append(test)

    def set_show_test(self, show: bool) -> None:
        self.show_test = show
        for item in self.test_items:
            item.setVisible(show)

    def show_frame(self, frame: Frame) -> None:
        data = frame.dataset
        if data is None:
            return
        x0, x1, y0, y1 = frame.extent
        if frame.probabilities is not None:
            rect = QRectF(x0, y0, x1 - x0, y1 - y0)
            binary = frame.probabilities.shape[-1] == 2
            if binary:
                self.last_image = frame.probabilities[..., 1]
                self.image.setImage(self.last_image, levels=(0.0, 1.0), rect=rect)
            else:
                self.last_image = probability_image(frame.probabilities)
                self.rgb_image.setImage(self.last_image, levels=(0, 255), rect=rect)
            self.image.setVisible(binary)
            self.rgb_image.setVisible(not binary)
            self.colour_bar.setVisible(binary)
        if id(data) != self._dataset_id:
            self._dataset_id = id(data)
            self._ensure_scatter(data.n_classes)
            for k in range(len(self.train_items)):
                tr, te = data.X_train[data.y_train == k], data.X_test[data.y_test == k]
                self.train_items[k].setData(tr[:, 0], tr[:, 1])
                self.test_items[k].setData(te[:, 0], te[:, 1])
                self.test_items[k].setVisible(self.show_test)
            self.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)
        wrong = [data.X_train[frame.predictions_train != data.y_train]]
        if self.show_test:
            wrong.append(data.X_test[frame.predictions_test != data.y_test])
        points = np.vstack(wrong)
        self.wrong_item.setData(points[:, 0], points[:, 1])
        self._draw_perceptron(frame)

    def _draw_perceptron(self, frame: Frame) -> None:
        w = frame.perceptron_weights
        visible = w is not None and np.hypot(w[1], w[2]) > 0
        for item in (self.line, self.arrow_shaft, self.arrow_head):
            item.setVisible(bool(visible))
        if not visible:
            return
        b, w1, w2 = w
        x0, x1, y0, y1 = frame.extent
        norm = np.hypot(w1, w2)
        # The line w . x + b = 0, drawn across the view; the weight vector from its nearest point.
        foot = -b * np.array([w1, w2]) / norm**2
        direction = np.array([-w2, w1]) / norm
        span = 2 * max(x1 - x0, y1 - y0)
        ends = np.array([foot - span * direction, foot + span * direction])
        self.line.setData(ends[:, 0], ends[:, 1])
        length = 0.2 * min(x1 - x0, y1 - y0)
        tip = foot + length * np.array([w1, w2]) / norm
        self.arrow_shaft.setData([foot[0], tip[0]], [foot[1], tip[1]])
        self.arrow_head.setPos(*tip)
        self.arrow_head.setStyle(angle=180 - np.degrees(np.arctan2(w2, w1)))
