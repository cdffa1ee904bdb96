"""A comparison's four overlay plots (train and test loss and accuracy), one curve per run,
each named at its end (compare_labels.py).

While runs stream in, ranges only grow, in 1-1.5-2-3-5-7.5 steps, so axes are re-rendered
rarely; once the comparison is finished, they fit the curves.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QGraphicsItem, QGridLayout, QWidget

from gui.views.compare_labels import EndLabels, last_point
from gui.views.compare_style import run_name, run_pen
from gui.views.curve_plot import nice_ceiling
from model.experiments.comparisons import Comparison
from model.training.history import HistoryPoint

MEASURES = [
    ("train_loss", "Train loss"),
    ("test_loss", "Test loss"),
    ("train_accuracy", "Train accuracy"),
    ("test_accuracy", "Test accuracy"),
]
FIELDS = HistoryPoint.header()
X_LABELS = {"epoch": "epoch", "update": "update", "seconds": "training seconds"}
RIGHT_MARGIN = 24  # pixels right of each plot, for half the last tick label


class CurvePlots(QWidget):
    """The four plots in a grid; ``lines[(measure, run index)]`` is each run's curve."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(4)
        self.plots: dict[str, pg.PlotWidget] = {}
        self.end_labels: dict[str, EndLabels] = {}
        for index, (measure, title) in enumerate(MEASURES):
            plot = pg.PlotWidget(title=title)
            plot.setMenuEnabled(False)
            plot.setMinimumHeight(110)
            # No grid lines, and axes cached as pixmaps: painting axes is what keeps a window
            # busy while runs stream in (bench/experiments_speed.py).
            for axis in ("left", "bottom"):
                plot.getAxis(axis).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            # Room on the right for the last tick's label, which is centred on the axis' end.
            plot.getAxis("bottom").setStyle(hideOverlappingLabels=RIGHT_MARGIN)
            plot.plotItem.layout.setContentsMargins(2, 2, RIGHT_MARGIN, 2)
            self.plots[measure] = plot
            self.end_labels[measure] = EndLabels(plot.plotItem)
            grid.addWidget(plot, index // 2, index % 2)
        self.lines: dict[tuple[str, int], pg.PlotDataItem] = {}
        self._ranges: dict[str, tuple[float, ...]] = {}
        self._drawn: dict[int, tuple[int, str]] = {}  # run index: (points drawn, x axis)
        self._ends: dict[tuple[str, int], tuple[float, float] | None] = {}  # as ``lines``

    def clear(self) -> None:
        """No runs: empty plots, and ranges that fit the next comparison afresh."""
        for plot in self.plots.values():
            plot.clear()
        self.lines.clear()
        self._ranges.clear()
        self._drawn.clear()
        self._ends.clear()
        for measure in self.plots:
            self._name_ends(measure, [])

    def draw(self, comparison: Comparison, values: list[str], x_axis: str, exact: bool) -> None:
        """Every run's curves against ``x_axis``; only runs with new points are redrawn.
        ``exact``: the ranges fit the curves rather than growing in steps."""
        for index, run in enumerate(comparison.runs):
            drawn = (len(run.history), x_axis)
            if self._drawn.get(index) == drawn:
                continue  # this run has no new points: leave its curves alone
            self._drawn[index] = drawn
            table = np.array([p.row() for p in run.history], dtype=float).reshape(-1, len(FIELDS))
            x = table[:, FIELDS.index(x_axis)]
            for measure, _ in MEASURES:
                key = (measure, index)
                if key not in self.lines:
                    self.lines[key] = self.plots[measure].plot(
                        pen=run_pen(index), name=values[index]
                    )
                y = table[:, FIELDS.index(measure)]
                self.lines[key].setData(x, y)
                self._ends[key] = last_point(x, y)
        self._fit_ranges(comparison, x_axis, exact)
        names = [run_name(run) for run in comparison.runs]
        for measure in self.plots:
            self._name_ends(measure, names)
        for plot in self.plots.values():
            if plot.getAxis("bottom").labelText != X_LABELS[x_axis]:
                plot.setLabel("bottom", X_LABELS[x_axis])

    def _name_ends(self, measure: str, names: list[str]) -> None:
        """Each run's name at its curve's end, with room for the names right of the plot."""
        labels = self.end_labels[measure]
        labels.set_runs(names, [self._ends.get((measure, i)) for i in range(len(names))])
        margin = max(RIGHT_MARGIN, labels.width())
        layout = self.plots[measure].plotItem.layout
        if layout.getContentsMargins()[2] != margin:
            layout.setContentsMargins(2, 2, margin, 2)
            layout.activate()  # the data area narrows now, and the names move with it

    def _fit_ranges(self, comparison: Comparison, x_axis: str, exact: bool) -> None:
        points = [p for run in comparison.runs for p in run.history]
        if not points:
            return
        x_end = max(max(getattr(p, x_axis) for p in points), 1e-9)
        x_max = x_end if exact else nice_ceiling(x_end)
        for measure, plot in self.plots.items():
            values = np.array([getattr(p, measure) for p in points], dtype=float)
            finite = values[np.isfinite(values)]
            if "accuracy" in measure:
                low = float(np.floor((finite.min() - 0.02) * 10) / 10) if finite.size else 0.0
                low = min(max(low, 0.0), 0.9)
                y_range = (low, 1.0 + 0.03 * (1.0 - low))
            else:
                # A diverged run may leave the top: the others stay readable.
                first = [run.history[0] for run in comparison.runs if run.history]
                start = max((getattr(p, measure) for p in first), default=1.0)
                top = min(finite.max(), 2 * start) if finite.size else 1.0
                top = max(top, 1e-9) * 1.05
                y_range = (0.0, top if exact else nice_ceiling(top))
            wanted = (0.0, x_max, *y_range)
            if self._ranges.get(measure) != wanted:
                self._ranges[measure] = wanted
                plot.setRange(xRange=(0.0, x_max), yRange=y_range, padding=0)

    @contextmanager
    def legend_beside(self, measure: str, title: str | None, runs: int) -> Iterator[None]:
        """While inside, ``measure``'s plot carries its own legend to the right of the data:
        ``title`` (None: no comparison, an empty legend) over the first ``runs`` curves."""
        item = self.plots[measure].plotItem
        legend = pg.LegendItem(labelTextSize="10pt")
        if title is not None:
            legend.layout.addItem(pg.LabelItem(title, bold=True), 0, 0, 1, 2)
            for index in range(runs):
                curve = self.lines.get((measure, index))
                if curve is not None:
                    legend.addItem(curve, curve.name())
        labels = self.end_labels[measure]  # the legend names the runs instead
        labels.hide()
        margins = item.layout.getContentsMargins()
        item.layout.setContentsMargins(2, 2, RIGHT_MARGIN, 2)
        item.layout.addItem(legend, 2, 3)
        item.layout.setColumnFixedWidth(3, legend.layout.preferredWidth() + 8)
        item.layout.activate()
        try:
            yield
        finally:
            item.layout.removeItem(legend)
            item.scene().removeItem(legend)
            item.layout.setColumnFixedWidth(3, 0)
            item.layout.setContentsMargins(*margins)
            item.layout.activate()
            labels.show()
