"""Loss and accuracy curves, train and test, growing live; hovering reads a value.

The two plots stand side by side, one above the other, or as two tabs, whichever leaves
each plot's data area readable (MIN_DATA_HEIGHT pixels tall or more) in the room the
window gives them; a regression has no accuracy, and its loss plot takes the room.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QGridLayout, QTabBar, QVBoxLayout, QWidget

from gui.views.curve_history import HistoryColumns
from gui.views.curve_plot import CurvePlot
from model.training.history import HistoryPoint

REFRESH_MS = 200
MIN_DATA_HEIGHT = 120  # pixels of a plot's data area, at least, in every arrangement
MIN_DATA_WIDTH = 150
BEST_ASPECT = 1.6  # a plot's width / height that reads best: the arrangement nearest it wins
CHROME = (70, 70)  # a plot's width and height outside its data area, before it is laid out
LOG_KEY = "Shift+L"
LOSS_TITLES = {
    "cross-entropy": "Loss (cross-entropy)",
    "perceptron": "Loss (perceptron criterion)",
    "regression": "Loss (mean squared error)",
    # TensorFlow Playground's "Training loss" and "Test loss" (model/playground/run.py)
    "playground": "Loss (½ squared error)",
}


class CurvesView(QWidget):
    """Both plots, fed with history points; the x axis shows updates or epochs."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.log_action = QAction("Loss on a log scale", self)
        self.log_action.setCheckable(True)
        self.log_action.setShortcut(QKeySequence(LOG_KEY))
        tip = (
            "Plot the loss on a log scale, where a loss that falls from 6 to 0.01 stays "
            "readable (on by itself when the loss spans more than a factor of ten)"
        )
        self.log_action.setToolTip(f"{tip} ({LOG_KEY})")
        self.log_action.setStatusTip(tip)
        self.log_action.setIconText("log")  # the loss plot's button
        self.addAction(self.log_action)
        self.loss_plot = CurvePlot(LOSS_TITLES["cross-entropy"], "loss", self.log_action)
        self.accuracy_plot = CurvePlot("Accuracy", "accuracy")
        self.tabs = QTabBar()
        self.tabs.addTab("Loss")
        self.tabs.addTab("Accuracy")
        self.tabs.setExpanding(False)
        self.tabs.setDrawBase(False)
        self.tabs.currentChanged.connect(lambda _: self._place())
        self.tabs.hide()
        self.grid = QGridLayout()
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(4)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.tabs)
        layout.addLayout(self.grid, 1)
        self.regression = False
        self.arrangement = ""
        self._place()
        self.history = HistoryColumns()
        self.x_axis = "update"
        # New points are drawn at most REFRESH_MS apart: curves need not repaint at frame rate.
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(REFRESH_MS)
        self._refresh.timeout.connect(self._redraw)
        self._settled = True

    @property
    def plots(self) -> list[CurvePlot]:
        return [self.loss_plot] if self.regression else [self.loss_plot, self.accuracy_plot]

    # ----- arrangement -----
    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._place()

    def _chrome(self) -> tuple[int, int]:
        """A plot's width and height outside its data area, as laid out now."""
        plot = self.loss_plot
        box = plot.plotItem.vb
        if box.height() <= 0 or plot.height() <= box.height():
            return CHROME
        return int(plot.width() - box.width()), int(plot.height() - box.height())

    def choose_arrangement(self, width: int, height: int) -> str:
        """ "single" (one plot), "column", "row" or "tabs" for ``width`` x ``height`` pixels:
        of the arrangements that leave every data area readable, the one whose plots' shape
        is nearest BEST_ASPECT; tabs when neither does."""
        if self.regression:
            return "single"
        chrome_w, chrome_h = self._chrome()
        gap = self.grid.spacing()
        fits = []
        half_h, half_w = (height - gap) / 2, (width - gap) / 2
        if half_h - chrome_h >= MIN_DATA_HEIGHT and width - chrome_w >= MIN_DATA_WIDTH:
            fits.append(("column", width - chrome_w, half_h - chrome_h))
        if half_w - chrome_w >= MIN_DATA_WIDTH and height - chrome_h >= MIN_DATA_HEIGHT:
            fits.append(("row", half_w - chrome_w, height - chrome_h))
        if not fits:
            return "tabs"
        return min(fits, key=lambda f: abs(math.log(f[1] / f[2] / BEST_ASPECT)))[0]

    def _place(self) -> None:
        arrangement = self.choose_arrangement(self.width(), self.height())
        tab = self.tabs.currentIndex()
        if arrangement != self.arrangement:
            self.arrangement = arrangement
            for plot in (self.loss_plot, self.accuracy_plot):
                self.grid.removeWidget(plot)
            places = {"column": (1, 0), "row": (0, 1)}.get(arrangement, (0, 0))
            self.grid.addWidget(self.loss_plot, 0, 0)
            self.grid.addWidget(self.accuracy_plot, *places)
            for row in range(2):
                self.grid.setRowStretch(row, 1 if arrangement == "column" or row == 0 else 0)
                self.grid.setColumnStretch(row, 1 if arrangement == "row" or row == 0 else 0)
            self.tabs.setVisible(arrangement == "tabs")
        tabbed = arrangement == "tabs"
        self.loss_plot.setVisible(not tabbed or tab == 0)
        self.accuracy_plot.setVisible(not self.regression and (not tabbed or tab == 1))

    def needed_height(self, arrangement: str) -> int:
        """Pixels of height that keep every data area readable in ``arrangement``."""
        plots = 2 if arrangement == "column" and not self.regression else 1
        return plots * (MIN_DATA_HEIGHT + self._chrome()[1]) + (plots - 1) * self.grid.spacing()

    def needed_width(self, arrangement: str) -> int:
        """Pixels of width that keep every data area readable in ``arrangement``."""
        plots = 2 if arrangement == "row" and not self.regression else 1
        return plots * (MIN_DATA_WIDTH + self._chrome()[0]) + (plots - 1) * self.grid.spacing()

    def minimumSizeHint(self):  # noqa: N802 (Qt's name)
        """Room for one plot with a readable data area (as tabs, if need be)."""
        hint = super().minimumSizeHint()
        chrome_w, chrome_h = CHROME
        hint.setWidth(MIN_DATA_WIDTH + chrome_w)
        hint.setHeight(MIN_DATA_HEIGHT + chrome_h + self.tabs.sizeHint().height())
        return hint

    # ----- data -----
    def clear(self) -> None:
        self.history.clear()
        self.loss_plot.forget_scale()
        self._redraw()

    def add_points(
        self, points: list[HistoryPoint], now: bool = False, thinned_before: int = 0
    ) -> None:
        if points:
            self.history.extend(points, thinned_before)
        elif not now or self._settled:
            return  # nothing new, and the ranges already fit a paused run
        self._settled = now
        if now:  # paused or stepping: drawn at once, the ranges fitted snugly
            self._redraw()
        elif not self._refresh.isActive():
            self._refresh.start()

    def name_loss(
        self, perceptron: bool, regression: bool = False, playground: bool = False
    ) -> None:
        """The loss plot's title names the loss being minimised (``playground``: a run under
        TensorFlow Playground's rules); a regression has no accuracy, so its plot is hidden
        and the loss plot takes the room."""
        kind = "regression" if regression else "perceptron" if perceptron else "cross-entropy"
        kind = "playground" if playground else kind
        self.loss_plot.set_title(LOSS_TITLES[kind])
        if regression != self.regression:
            self.regression = regression
            self._place()
            self._redraw()

    def set_x_axis(self, axis: str) -> None:
        self.x_axis = axis
        self._redraw()

    def _redraw(self) -> None:
        self._refresh.stop()
        h = self.history
        x = h.column(self.x_axis)
        settle = self._settled
        self.loss_plot.set_data(
            x, h.column("train_loss"), h.column("test_loss"), self.x_axis, settle
        )
        if not self.regression:  # a regression's accuracies are NaN
            self.accuracy_plot.set_data(
                x, h.column("train_accuracy"), h.column("test_accuracy"), self.x_axis, settle
            )
