"""Runs that differ in one parameter: overlaid curves, final figures, boundary thumbnails."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui.palette import CLASS_COLOURS
from gui.views.curves import nice_ceiling
from model.experiments import Comparison
from model.training import HistoryPoint

MEASURES = [
    ("train_loss", "Train loss"),
    ("test_loss", "Test loss"),
    ("train_accuracy", "Train accuracy"),
    ("test_accuracy", "Test accuracy"),
]
RUN_COLOURS = [*CLASS_COLOURS, (127, 127, 127), (188, 189, 34), (23, 190, 207)]
FIELDS = HistoryPoint.header()
X_LABELS = {"epoch": "epoch", "update": "update", "seconds": "training seconds"}


class CompareView(QWidget):
    """Four overlay plots in a grid, a table of final figures and a strip of thumbnails."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        plots = QGridLayout()
        self.plots: dict[str, pg.PlotWidget] = {}
        for index, (measure, title) in enumerate(MEASURES):
            plot = pg.PlotWidget(title=title)
            plot.setMenuEnabled(False)
            plot.addLegend(offset=(-10, 10), labelTextSize="8pt")
            # No grid lines, and axes cached as pixmaps: painting axes is what keeps a window
            # busy while runs stream in (bench/experiments_speed.py).
            for axis in ("left", "bottom"):
                plot.getAxis(axis).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            self.plots[measure] = plot
            plots.addWidget(plot, index // 2, index % 2)
        layout.addLayout(plots, 3)
        bottom = QHBoxLayout()
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(
            ["run", "train loss", "train acc", "test loss", "test acc", "updates"]
        )
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        bottom.addWidget(self.table, 3)
        self.thumbnail_row = QHBoxLayout()
        thumbnails = QWidget()
        thumbnails.setLayout(self.thumbnail_row)
        bottom.addWidget(thumbnails, 2)
        layout.addLayout(bottom, 1)
        self.thumbnails: list[QLabel] = []
        self.x_axis = "epoch"
        self.comparison: Comparison | None = None
        self._curves: dict[tuple[str, int], pg.PlotDataItem] = {}
        self._ranges: dict[str, tuple[float, float]] = {}
        self._drawn: dict[int, tuple[int, str]] = {}

    def set_x_axis(self, axis: str) -> None:
        self.x_axis = axis
        if self.comparison is not None:
            self.show_comparison(self.comparison)

    def clear(self) -> None:
        for plot in self.plots.values():
            plot.clear()
            plot.addLegend(offset=(-10, 10), labelTextSize="8pt")
        self._curves.clear()
        self._ranges.clear()
        self._drawn.clear()
        self.table.setRowCount(0)
        for label in self.thumbnails:
            label.deleteLater()
        self.thumbnails = []
        self.comparison = None

    def show_comparison(
        self, comparison: Comparison | None, thumbnails: dict | None = None
    ) -> None:
        if comparison is None:
            return
        self.comparison = comparison
        for index, run in enumerate(comparison.runs):
            drawn = (len(run.history), self.x_axis)
            if self._drawn.get(index) == drawn:
                continue  # this run has no new points: leave its curves alone
            self._drawn[index] = drawn
            table = np.array([p.row() for p in run.history], dtype=float).reshape(-1, len(FIELDS))
            x = table[:, FIELDS.index(self.x_axis)]
            pen = pg.mkPen(RUN_COLOURS[index % len(RUN_COLOURS)], width=2)
            for measure, _ in MEASURES:
                key = (measure, index)
                if key not in self._curves:
                    self._curves[key] = self.plots[measure].plot(pen=pen, name=run.label)
                self._curves[key].setData(x, table[:, FIELDS.index(measure)])
        self._fit_ranges(comparison)
        for plot in self.plots.values():
            if plot.getAxis("bottom").labelText != X_LABELS[self.x_axis]:
                plot.setLabel("bottom", X_LABELS[self.x_axis])
        self._fill_table(comparison)
        if thumbnails:
            self._show_thumbnails(comparison, thumbnails)

    def _fit_ranges(self, comparison: Comparison) -> None:
        """Ranges that only grow, in 1-1.5-2-3-5-7.5 steps: axes are re-rendered rarely."""
        points = [p for run in comparison.runs for p in run.history]
        if not points:
            return
        x_max = nice_ceiling(max(max(getattr(p, self.x_axis) for p in points), 1e-9))
        for measure, plot in self.plots.items():
            values = [getattr(p, measure) for p in points]
            finite = [v for v in values if np.isfinite(v)] or [1.0]
            y_max = 1.02 if "accuracy" in measure else nice_ceiling(max(finite) * 1.05)
            wanted = (x_max, y_max)
            if self._ranges.get(measure) != wanted:
                self._ranges[measure] = wanted
                plot.setRange(xRange=(0, x_max), yRange=(0, y_max), padding=0)

    def _fill_table(self, comparison: Comparison) -> None:
        self.table.setRowCount(len(comparison.runs))
        for row, run in enumerate(comparison.runs):
            f = run.final
            if f is None:  # a parallel run that has not reported yet
                self.table.setItem(row, 0, QTableWidgetItem(f"{run.label} (waiting)"))
                continue
            cells = [
                run.label + (" (diverged)" if run.stopped_reason else ""),
                f"{f.train_loss:.4f}",
                f"{f.train_accuracy:.3f}",
                f"{f.test_loss:.4f}",
                f"{f.test_accuracy:.3f}",
                str(f.update),
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()

    def _show_thumbnails(self, comparison: Comparison, thumbnails: dict) -> None:
        """Each run's current decision boundary, small, captioned with its value."""
        while len(self.thumbnails) < len(comparison.runs):
            box = QWidget()
            column = QVBoxLayout(box)
            column.setContentsMargins(2, 2, 2, 2)
            image, caption = QLabel(), QLabel()
            image.setFixedSize(96, 96)
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            column.addWidget(image)
            column.addWidget(caption)
            self.thumbnail_row.addWidget(box)
            self.thumbnails.append(box)
        for index, rgba in thumbnails.items():
            if index >= len(self.thumbnails):
                continue
            flipped = np.ascontiguousarray(rgba[::-1])  # row 0 is the plane's bottom edge
            rows, cols = flipped.shape[:2]
            qimage = QImage(flipped.data, cols, rows, 4 * cols, QImage.Format.Format_RGBA8888)
            image, caption = self.thumbnails[index].findChildren(QLabel)
            image.setPixmap(QPixmap.fromImage(qimage).scaled(96, 96))
            caption.setText(comparison.runs[index].label)
