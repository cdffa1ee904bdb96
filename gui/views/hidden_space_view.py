"""Hidden space: the data and a regular grid of the input plane, mapped through one hidden
layer and drawn in 2-D, so the student sees the layer straighten the classes (for regression
the points are coloured by their target, on the boundary view's diverging scale)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from gui.appearance.palette import CLASS_COLOURS
from gui.appearance.value_colours import point_brushes
from model.data.datasets import Dataset
from model.nn.network_snapshot import NetworkSnapshot, hidden_space


class HiddenSpaceView(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(QLabel("Hidden layer"))
        self.layer = QSpinBox()
        self.layer.setRange(1, 1)
        self.layer.setToolTip("Which hidden layer maps the plane (1 is next to the inputs)")
        self.layer.valueChanged.connect(self._redraw)
        row.addWidget(self.layer)
        self.axes_label = QLabel()
        row.addWidget(self.axes_label, 1)
        layout.addLayout(row)
        self.plot = pg.PlotWidget()
        self.plot.setMenuEnabled(False)
        layout.addWidget(self.plot, 1)
        self.grid_item = pg.PlotCurveItem(pen=pg.mkPen(150, 150, 150, 160), connect="finite")
        self.plot.addItem(self.grid_item)
        self.point_items: list[pg.ScatterPlotItem] = []
        self.target_item = pg.ScatterPlotItem(size=5, pen=None)  # a regression's points
        self.plot.addItem(self.target_item)
        self.points: np.ndarray | None = None
        self._snapshot: NetworkSnapshot | None = None
        self._dataset: Dataset | None = None
        self._extent = None

    def show_snapshot(self, snapshot: NetworkSnapshot, dataset: Dataset, extent) -> None:
        self._snapshot, self._dataset, self._extent = snapshot, dataset, extent
        hidden_layers = len(snapshot.widths) - 2
        self.setEnabled(hidden_layers > 0)
        if hidden_layers > 0:
            self.layer.setRange(1, hidden_layers)
            if self.isVisible():
                self._redraw()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._redraw()

    def _redraw(self) -> None:
        snap, data = self._snapshot, self._dataset
        if snap is None or data is None or len(snap.widths) < 3:
            return
        points, lines, axes = hidden_space(snap, self.layer.value(), data.X_train, self._extent)
        self.points = points
        self.axes_label.setText(f"shown: {axes}")
        gap = np.full((1, 2), np.nan)
        joined = np.vstack([np.vstack([line, gap]) for line in lines])
        self.grid_item.setData(joined[:, 0], joined[:, 1])
        while len(self.point_items) < data.n_classes:
            item = pg.ScatterPlotItem(
                size=5, pen=None, brush=pg.mkBrush(*CLASS_COLOURS[len(self.point_items)])
            )
            self.plot.addItem(item)
            self.point_items.append(item)
        for k, item in enumerate(self.point_items):
            chosen = points[data.y_train == k] if not data.is_regression else points[:0]
            item.setData(chosen[:, 0], chosen[:, 1])
        if data.is_regression:
            brushes = point_brushes(data.y_train, data.value_range())
            self.target_item.setData(points[:, 0], points[:, 1], brush=brushes)
        else:
            self.target_item.setData([], [])
