"""Loss and accuracy curves, train and test, growing live; hovering reads a value."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QGraphicsItem, QVBoxLayout, QWidget

from model.training.history import HISTORY_LIMIT, HistoryPoint, thinned_indices

REFRESH_MS = 200
# Okabe-Ito blue and vermillion, told apart by the dashes too (colour-blind safe).
TRAIN_PEN = pg.mkPen((0, 114, 178), width=2)
TEST_PEN = pg.mkPen((213, 94, 0), width=2.5, style=pg.QtCore.Qt.PenStyle.DashLine)
RIGHT_MARGIN = 22  # room for the last tick label at the right end of the x axis


class CurvePlot(pg.PlotWidget):
    """One measure (loss or accuracy) for train and test, with a hover read-out."""

    def __init__(self, title: str, measure: str, parent=None) -> None:
        super().__init__(parent)
        self.measure = measure
        self.setTitle(title)
        self.setMenuEnabled(False)
        # Axes are cached as pixmaps and re-rendered only when their range changes; the range
        # grows in (1, 2, 5) x 10^k steps rather than with every new point (see _grow_range).
        for axis in ("left", "bottom"):
            self.getAxis(axis).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.plotItem.vb.disableAutoRange()
        self._x_upper = 0.0
        self._y_upper = 0.0
        # Below the plot, in one row: it never covers a curve.
        self.legend = pg.LegendItem(colCount=2, labelTextSize="9pt", horSpacing=18)
        self.plotItem.layout.addItem(self.legend, 5, 1)
        self.plotItem.layout.setContentsMargins(0, 0, RIGHT_MARGIN, 0)
        self.getAxis("bottom").setStyle(hideOverlappingLabels=False)
        self.setClipToView(True)
        self.setDownsampling(auto=True, mode="peak")
        self.train = self.plot([], [], pen=TRAIN_PEN)
        self.test = self.plot([], [], pen=TEST_PEN)
        self.legend.addItem(self.train, "train")
        self.legend.addItem(self.test, "test")
        self.readout = pg.TextItem(anchor=(0, 1), color=(30, 30, 30), fill=(255, 255, 255, 220))
        self.readout.setZValue(20)
        self.readout.hide()
        self.addItem(self.readout, ignoreBounds=True)
        self._x = np.zeros(0)
        self._values: dict[str, np.ndarray] = {}
        self._x_label = "update"
        self._shown_label = ""
        self.scene().sigMouseMoved.connect(self._hover)

    def set_data(self, x: np.ndarray, train: np.ndarray, test: np.ndarray, x_label: str) -> None:
        self._x, self._values, self._x_label = x, {"train": train, "test": test}, x_label
        self.train.setData(x, train, skipFiniteCheck=True)
        self.test.setData(x, test, skipFiniteCheck=True)
        refit = x_label != self._shown_label  # updates or epochs: a new scale, fit at once
        if refit:  # a new label re-lays out the axis: only on change
            self._shown_label = x_label
            self.setLabel("bottom", x_label)
        self._grow_range(x, train, test, refit)

    def _grow_range(
        self, x: np.ndarray, train: np.ndarray, test: np.ndarray, refit: bool = False
    ) -> None:
        x_max = float(x.max()) if len(x) else 1.0
        values = np.concatenate([train, test])
        values = values[np.isfinite(values)]
        y_max = float(values.max()) if len(values) else 1.0
        if self.measure == "accuracy":
            y_max = 1.0
        shrink = refit or len(x) <= 1  # a fresh start or a new x axis: fit again
        if shrink or x_max > self._x_upper:
            self._x_upper = nice_ceiling(max(x_max, 1.0) * 1.02)
            self.setXRange(0, self._x_upper, padding=0)
        if shrink or y_max > self._y_upper:
            self._y_upper = 1.02 if self.measure == "accuracy" else nice_ceiling(y_max * 1.05)
            self.setYRange(0, self._y_upper, padding=0)

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


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 1.5, 2, 3, 5, 7.5 x 10^k (k integer) at least ``value``."""
    if value <= 0 or not np.isfinite(value):
        return 1.0
    exponent = np.floor(np.log10(value))
    for step in (1.0, 1.5, 2.0, 3.0, 5.0, 7.5, 10.0):
        if step * 10**exponent >= value * (1 - 1e-12):
            return float(step * 10**exponent)
    return float(10 ** (exponent + 1))


COLUMNS = ("update", "epoch", "train_loss", "test_loss", "train_accuracy", "test_accuracy")


class HistoryColumns:
    """History points as NumPy columns, so a redraw costs the same after a million points as
    after ten. At most ``limit`` points are kept: beyond it the old end is thinned evenly
    (``thinned_indices``, the rule the Trainer's history follows), so memory stays flat
    however long the run. Points whose loss is not a finite number are never kept; an
    accuracy may be NaN (a regression has none)."""

    def __init__(self, limit: int = HISTORY_LIMIT) -> None:
        self.limit = limit
        self.clear()

    def clear(self) -> None:
        self._data = np.empty((len(COLUMNS), 256))
        self.size = 0
        self.last: HistoryPoint | None = None
        self.thinned_before = 0  # points before this update were thinned out (0: none)

    @property
    def thinned(self) -> bool:
        return self.thinned_before > 0

    def extend(self, points: list[HistoryPoint], thinned_before: int = 0) -> None:
        """Append ``points``; a point at an update already held replaces it (and any after
        it). ``thinned_before``: where the source's own history was thinned, if it was."""
        self.thinned_before = max(self.thinned_before, int(thinned_before))
        rows = np.array([[getattr(p, name) for name in COLUMNS] for p in points], dtype=float)
        kept = COLUMNS.index("test_loss") + 1  # update, epoch and both losses must be numbers
        finite = np.isfinite(rows[:, :kept]).all(axis=1) if len(rows) else np.zeros(0, bool)
        if not finite.any():
            return
        rows = rows[finite]
        held = self._data[0, : self.size]
        if self.size and rows[0, 0] <= held[-1]:
            self.size = int(np.searchsorted(held, rows[0, 0], side="left"))
        needed = self.size + len(rows)
        capacity = self._data.shape[1]
        if needed > capacity:
            grown = np.empty((len(COLUMNS), max(needed, min(2 * capacity, self.limit + 1024))))
            grown[:, : self.size] = self._data[:, : self.size]
            self._data = grown
        self._data[:, self.size : needed] = rows.T
        self.size = needed
        self.last = next(p for p, ok in zip(reversed(points), finite[::-1], strict=True) if ok)
        self._thin()

    def _thin(self) -> None:
        keep = thinned_indices(self._data[0, : self.size], self.limit)
        if keep is None:
            return
        first_recent = self._data[0, self.size - self.limit // 2]
        self.thinned_before = max(self.thinned_before, int(first_recent))
        kept = self._data[:, keep]
        if self._data.shape[1] > 2 * (self.limit + 1024):  # after one very large batch
            self._data = np.empty((len(COLUMNS), self.limit + 1024))
        self._data[:, : len(keep)] = kept
        self.size = len(keep)

    @property
    def capacity(self) -> int:
        return self._data.shape[1]

    def rows(self) -> list[list[float]]:
        """The points so far, one row each, in COLUMNS order."""
        return self._data[:, : self.size].T.tolist()

    def table(self) -> tuple[list[str], list[list[float]]]:
        """Header and rows for a CSV export: COLUMNS, then ``thinned``, 1 where the history
        was thinned (only some evaluations kept) and 0 where every evaluation is there."""
        thinned = self._data[0, : self.size] < self.thinned_before
        rows = [[*row, int(t)] for row, t in zip(self.rows(), thinned, strict=True)]
        return [*COLUMNS, "thinned"], rows

    def column(self, name: str) -> np.ndarray:
        return self._data[COLUMNS.index(name), : self.size]


class CurvesView(QWidget):
    """Both plots, fed with history points; the x axis shows updates or epochs."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.loss_plot = CurvePlot("Loss (cross-entropy)", "loss")
        self.accuracy_plot = CurvePlot("Accuracy", "accuracy")
        layout.addWidget(self.loss_plot)
        layout.addWidget(self.accuracy_plot)
        self.history = HistoryColumns()
        self.x_axis = "update"
        # New points are drawn at most REFRESH_MS apart: curves need not repaint at frame rate.
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(REFRESH_MS)
        self._refresh.timeout.connect(self._redraw)

    def clear(self) -> None:
        self.history.clear()
        self._redraw()

    def add_points(
        self, points: list[HistoryPoint], now: bool = False, thinned_before: int = 0
    ) -> None:
        if points:
            self.history.extend(points, thinned_before)
            if now:
                self._redraw()
            elif not self._refresh.isActive():
                self._refresh.start()

    def name_loss(self, perceptron: bool, regression: bool = False) -> None:
        """The loss plot's title names the loss being minimised; a regression has no
        accuracy, so its plot is hidden and the loss plot takes the room."""
        title = "Loss (perceptron criterion)" if perceptron else "Loss (cross-entropy)"
        title = "Loss (mean squared error)" if regression else title
        if self.loss_plot.plotItem.titleLabel.text != title:
            self.loss_plot.setTitle(title)
        if self.accuracy_plot.isVisibleTo(self) == regression:
            self.accuracy_plot.setVisible(not regression)
            self._redraw()

    def set_x_axis(self, axis: str) -> None:
        self.x_axis = axis
        self._redraw()

    def _redraw(self) -> None:
        self._refresh.stop()
        h = self.history
        x = h.column(self.x_axis)
        self.loss_plot.set_data(x, h.column("train_loss"), h.column("test_loss"), self.x_axis)
        if self.accuracy_plot.isVisibleTo(self):  # hidden for regression: NaN accuracies
            self.accuracy_plot.set_data(
                x, h.column("train_accuracy"), h.column("test_accuracy"), self.x_axis
            )
