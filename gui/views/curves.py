"""Loss and accuracy curves, train and test, growing live; hovering reads a value."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from model.training import HistoryPoint

TRAIN_PEN = pg.mkPen((31, 119, 180), width=2)
TEST_PEN = pg.mkPen((255, 127, 14), width=2, style=pg.QtCore.Qt.PenStyle.DashLine)


class CurvePlot(pg.PlotWidget):
    """One measure (loss or accuracy) for train and test, with a hover read-out."""

    def __init__(self, title: str, measure: str, parent=None) -> None:
        super().__init__(parent)
        self.measure = measure
        self.setTitle(title)
        self.setMenuEnabled(False)
        self.showGrid(x=True, y=True, alpha=0.25)
        self.addLegend(offset=(-10, 10))
        self.setClipToView(True)
        self.setDownsampling(auto=True, mode="peak")
        self.train = self.plot([], [], pen=TRAIN_PEN, name="train")
        self.test = self.plot([], [], pen=TEST_PEN, name="test")
        self.readout = pg.TextItem(anchor=(0, 1), color=(30, 30, 30), fill=(255, 255, 255, 220))
        self.readout.setZValue(20)
        self.readout.hide()
        self.addItem(self.readout, ignoreBounds=True)
        self._x = np.zeros(0)
        self._values: dict[str, np.ndarray] = {}
        self._x_label = "update"
        self.scene().sigMouseMoved.connect(self._hover)

    def set_data(self, x: np.ndarray, train: np.ndarray, test: np.ndarray, x_label: str) -> None:
        self._x, self._values, self._x_label = x, {"train": train, "test": test}, x_label
        self.train.setData(x, train, skipFiniteCheck=True)
        self.test.setData(x, test, skipFiniteCheck=True)
        self.setLabel("bottom", x_label)

    def _hover(self, position) -> None:
        if not len(self._x) or not self.sceneBoundingRect().contains(position):
            self.readout.hide()
            return
        point = self.plotItem.vb.mapSceneToView(position)
        i = int(np.clip(np.searchsorted(self._x, point.x()), 0, len(self._x) - 1))
        if i > 0 and abs(self._x[i - 1] - point.x()) < abs(self._x[i] - point.x()):
            i -= 1
        text = (
            f"{self._x_label} {self._x[i]:g}\ntrain {self.measure} {self._values['train'][i]:.4f}"
            f"\ntest {self.measure} {self._values['test'][i]:.4f}"
        )
        self.readout.setText(text)
        self.readout.setPos(self._x[i], self._values["train"][i])
        self.readout.show()

    def readout_text(self) -> str:
        return self.readout.toPlainText() if self.readout.isVisible() else ""


class CurvesView(QWidget):
    """Both plots, fed with history points; the x axis shows updates or epochs."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.loss_plot = CurvePlot("Loss (cross-entropy)", "loss")
        self.accuracy_plot = CurvePlot("Accuracy", "accuracy")
        self.accuracy_plot.setYRange(0, 1.0)
        layout.addWidget(self.loss_plot)
        layout.addWidget(self.accuracy_plot)
        self.points: list[HistoryPoint] = []
        self.x_axis = "update"

    def clear(self) -> None:
        self.points = []
        self._redraw()

    def add_points(self, points: list[HistoryPoint]) -> None:
        if points:
            self.points.extend(points)
            self._redraw()

    def set_x_axis(self, axis: str) -> None:
        self.x_axis = axis
        self._redraw()

    def _redraw(self) -> None:
        pts = self.points
        x = np.array([getattr(p, self.x_axis) for p in pts], dtype=np.float64)
        column = {
            name: np.array([getattr(p, name) for p in pts], dtype=np.float64)
            for name in ("train_loss", "test_loss", "train_accuracy", "test_accuracy")
        }
        self.loss_plot.set_data(x, column["train_loss"], column["test_loss"], self.x_axis)
        self.accuracy_plot.set_data(
            x, column["train_accuracy"], column["test_accuracy"], self.x_axis
        )
