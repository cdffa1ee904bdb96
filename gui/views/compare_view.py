"""Runs that differ in one parameter: overlaid curves, final figures, boundary thumbnails.

One legend above the four plots names every run with its colour and line style; the same line
sample marks each run's row in the table and its boundary thumbnail (compare_style.py). This
widget composes the legend, the plots (compare_curves.py), the table (compare_table.py) and the
thumbnails (compare_thumbnails.py), and owns the comparison shown and its x axis.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from gui.views.compare_curves import CurvePlots
from gui.views.compare_legend import RunLegend
from gui.views.compare_style import run_value
from gui.views.compare_table import RunTable
from gui.views.compare_thumbnails import Thumbnails
from model.experiments.comparisons import Comparison


class CompareView(QWidget):
    """A shared legend, four overlay plots in a grid, a table of final figures and each
    run's boundary."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.legend = RunLegend()
        self.legend.setToolTip("Each run's colour and line style, the same in every plot")
        layout.addWidget(self.legend)
        self.curves = CurvePlots()
        self.plots = self.curves.plots
        layout.addWidget(self.curves, 1)
        bottom = QHBoxLayout()
        self.table = RunTable(lambda: self.height() // 3 if self.isVisible() else None)
        bottom.addWidget(self.table, 0, Qt.AlignmentFlag.AlignTop)
        self.thumbnails = Thumbnails()
        self.thumbnails.setToolTip("Each run's decision boundary now")
        bottom.addWidget(self.thumbnails, 1)
        layout.addLayout(bottom)
        self.x_axis = "epoch"
        self.comparison: Comparison | None = None
        self.table.fit()

    def set_x_axis(self, axis: str) -> None:
        """Plot against ``axis`` (epoch, update or seconds), the range fitted at once."""
        self.x_axis = axis
        if self.comparison is not None:
            self.show_comparison(self.comparison, final=True)

    def clear(self) -> None:
        """A new comparison starts: nothing of the last one is kept, images included."""
        self.curves.clear()
        self.table.clear_runs()
        self.thumbnails.set_runs([])
        self.legend.set_runs("", [])
        self.comparison = None

    def show_comparison(
        self,
        comparison: Comparison | None,
        thumbnails: dict[int, np.ndarray] | None = None,
        final: bool = False,
    ) -> None:
        """Draw the runs so far. ``final``: the comparison is finished (or the x axis has
        changed), so the ranges fit the curves exactly rather than growing in steps."""
        if comparison is None:
            return
        self.comparison = comparison
        values = [run_value(run) for run in comparison.runs]
        self.legend.set_runs(comparison.parameter.replace("_", " ") + ":", values)
        if len(self.thumbnails) != len(values):
            self.thumbnails.set_runs(values)
        self.curves.draw(comparison, values, self.x_axis, exact=final)
        self.table.fill(comparison, values)
        for index, rgba in (thumbnails or {}).items():
            if index < len(self.thumbnails):
                self.thumbnails.set_image(index, rgba)

    @contextmanager
    def legend_beside(self, measure: str) -> Iterator[None]:
        """While inside, ``measure``'s plot carries its own legend to the right of the data
        (for saving that one plot as an image)."""
        shown = self.comparison is not None
        title = self.legend.title if shown else None
        runs = len(self.comparison.runs) if shown else 0
        with self.curves.legend_beside(measure, title, runs):
            yield

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self.table.fit()
