"""One curve plot: a measure (loss or accuracy) for train and test against updates or
epochs, its legend in the title's row, a hover read-out, and ranges fitted to what it shows.

The x axis ends a little past the last point (not at 500 for 300 updates) and counts in
whole numbers. A loss that falls by more than a factor of ten flattens against a linear
axis within a few updates, so the loss plot turns logarithmic by itself then, unless the
student chose a scale with its log toggle.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFont, QFontMetrics
from PySide6.QtWidgets import QGraphicsItem, QToolButton

from gui.appearance.palette import split_pen
from gui.views.curve_axes import CountAxis, ValueAxis

TRAIN_PEN, TEST_PEN = split_pen("train"), split_pen("test")  # as in every view
RIGHT_MARGIN = 12  # room for the last tick label at the right end of the x axis
TITLE_ROW = 26  # pixels: the title and the legend share one row
TITLE_SIZE = "10pt"
Y_PADDING = 0.04  # of the loss axis' range, beyond each end
SPAN_FOR_LOG = 10.0  # the loss spans more than a decade: read it on a log axis
SETTLED_HEADROOM = 1.05  # the x axis ends 5 % past the last point once training pauses
GROWING_HEADROOM = 1.12  # while playing, room for a few frames before the axis moves again
LEAST_X = {"update": 10.0, "epoch": 1.0}  # a fresh run's axis: 0 to 10 updates, 0 to 1 epoch
SOLID_SAMPLE, DASHED_SAMPLE = "━━", "╍╍"


class CurvePlot(pg.PlotWidget):
    """One measure for train (solid) and test (dashed), with a hover read-out. A plot given
    ``log_action`` (the loss) may show its values on a log axis."""

    def __init__(self, title: str, measure: str, log_action: QAction | None = None) -> None:
        super().__init__(axisItems={"bottom": CountAxis("bottom"), "left": ValueAxis("left")})
        self.measure = measure
        self.setMenuEnabled(False)
        # Axes are cached as pixmaps and re-rendered only when their range changes; ranges
        # move in steps rather than with every new point (see _fit_x and _fit_y).
        for axis in ("left", "bottom"):
            self.getAxis(axis).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            self.getAxis(axis).setStyle(maxTextLevel=0)  # labels at the major ticks only
        self.plotItem.vb.disableAutoRange()
        self.plotItem.layout.setContentsMargins(0, 0, RIGHT_MARGIN, 0)
        self.setClipToView(True)
        self.setDownsampling(auto=True, mode="peak")
        self.train = self.plot([], [], pen=TRAIN_PEN)
        self.test = self.plot([], [], pen=TEST_PEN)
        self.title_text = ""
        self._x_label = ""
        self._legend_place: tuple[str, str] = ("", "")
        self._legend_in_axis = ""
        self.plotItem.titleLabel.setAttr("size", TITLE_SIZE)  # pyqtgraph's is 11pt
        self.set_title(title)
        self.readout = pg.TextItem(anchor=(0, 1), color=(30, 30, 30), fill=(255, 255, 255, 220))
        self.readout.setZValue(20)
        self.readout.hide()
        self.addItem(self.readout, ignoreBounds=True)
        self.log = False  # values on a log axis
        self.log_choice: bool | None = None  # the student's choice; None: by the span
        self.log_action = log_action
        self.log_button: QToolButton | None = None
        if log_action is not None:
            self.log_button = QToolButton(self)
            self.log_button.setDefaultAction(log_action)
            self.log_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            self.log_button.setAutoRaise(False)  # a button, also while off
            self.log_button.setCursor(Qt.CursorShape.PointingHandCursor)
            log_action.toggled.connect(self._log_chosen)
        self._x = np.zeros(0)
        self._values: dict[str, np.ndarray] = {"train": np.zeros(0), "test": np.zeros(0)}
        self._x_upper = 0.0
        self._y_range = (0.0, 0.0)
        self.scene().sigMouseMoved.connect(self._hover)

    def set_title(self, title: str) -> None:
        """The title; the legend (a solid and a dashed sample) beside it in the same row, or
        beside the x axis' name when the row is too narrow for both."""
        if title == self.title_text:
            return
        self.title_text = title
        self._legend_place = ("", "")
        self._place_legend()

    def _place_legend(self) -> None:
        legend = (
            f"<span style='color:{TRAIN_PEN.color().name()}'>{SOLID_SAMPLE}</span>&nbsp;train"
            f"&nbsp;&nbsp;<span style='color:{TEST_PEN.color().name()}'>{DASHED_SAMPLE}</span>"
            "&nbsp;test"
        )
        label = self.plotItem.titleLabel
        size = label.opts.get("size") or TITLE_SIZE  # larger in presentation mode
        font = QFont(self.font())
        font.setPointSizeF(float(str(size).removesuffix("pt")))
        metrics = QFontMetrics(font)
        room = self.width() - self.getAxis("left").width() - RIGHT_MARGIN - 8
        wanted = metrics.horizontalAdvance(
            f"{self.title_text}    {SOLID_SAMPLE} train  {DASHED_SAMPLE} test"
        )
        place = "title" if wanted <= room else "axis"
        # a title wider than the plot is shortened, never widening the plot past its edge
        shown = metrics.elidedText(self.title_text, Qt.TextElideMode.ElideRight, max(room, 40))
        if (place, shown) == self._legend_place:
            return
        self._legend_place = (place, shown)
        spaces = "&nbsp;" * 4
        title = f"{shown}{spaces}{legend}" if place == "title" else shown
        row = label.maximumHeight() if label.isVisible() else TITLE_ROW
        self.setTitle(title, size=size)  # pyqtgraph's row of 30 pixels: the one kept instead
        label.setMaximumHeight(row)
        self.plotItem.layout.setRowFixedHeight(0, row)
        self._legend_in_axis = legend if place == "axis" else ""
        self._show_x_label()

    def _show_x_label(self) -> None:
        legend = self._legend_in_axis
        if self._x_label or legend:
            extra = f"&nbsp;&nbsp;&nbsp;&nbsp;{legend}" if legend and self._x_label else legend
            self.setLabel("bottom", f"{self._x_label}{extra}")
        elif self.getAxis("bottom").label.toPlainText():
            self.setLabel("bottom", "")

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if getattr(self, "plotItem", None) is None:  # closed
            return
        if getattr(self, "title_text", ""):  # first: the plot's least width may change
            self._place_legend()
        super().resizeEvent(event)
        if getattr(self, "log_button", None) is not None:  # above the value axis
            self.log_button.adjustSize()
            self.log_button.move(2, 1)

    # ----- data -----
    def set_data(
        self, x: np.ndarray, train: np.ndarray, test: np.ndarray, x_label: str, settle: bool
    ) -> None:
        """Draw the points; ``settle``: training is not playing, so fit the ranges snugly
        now (while playing they move in steps)."""
        self._x, self._values = x, {"train": train, "test": test}
        refit = x_label != self._x_label or len(x) <= 1  # a new scale or a fresh start
        if x_label != self._x_label:  # a new label re-lays out the axis: only on change
            self._x_label = x_label
            self._show_x_label()
        if self.log_action is not None:
            self._choose_scale(train, test)
        self._fit_x(x, refit or settle)
        self._fit_y(train, test, refit or settle)
        self.train.setData(x, self._shown(train), skipFiniteCheck=True)
        self.test.setData(x, self._shown(test), skipFiniteCheck=True)

    def _shown(self, values: np.ndarray) -> np.ndarray:
        """Values as plotted: their logarithm on a log axis (a zero loss at the axis' foot)."""
        if not self.log:
            return values
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log10(np.maximum(values, 10.0 ** self._y_range[0]))

    def _choose_scale(self, train: np.ndarray, test: np.ndarray) -> None:
        wanted = self.log_choice
        if wanted is None:  # by the span; once log in a run, log until the run ends
            wanted = self.log or spans_decades(np.concatenate([train, test]), SPAN_FOR_LOG)
        if wanted != self.log:
            self.log = wanted
            self.getAxis("left").setLogMode(wanted)
            self._y_range = (0.0, 0.0)
            if self.log_action is not None and self.log_action.isChecked() != wanted:
                self.log_action.blockSignals(True)  # shown, not chosen
                self.log_action.setChecked(wanted)
                self.log_action.blockSignals(False)

    def _log_chosen(self, on: bool) -> None:
        self.log_choice = on
        if len(self._x):
            self.set_data(self._x, self._values["train"], self._values["test"], self._x_label, True)

    def forget_scale(self) -> None:
        """A new run: the scale follows its span again, unless the student chose one."""
        if self.log_choice is None and self.log:
            self.log = False
            self.getAxis("left").setLogMode(False)
            if self.log_action is not None:
                self.log_action.blockSignals(True)
                self.log_action.setChecked(False)
                self.log_action.blockSignals(False)
        self._y_range = (0.0, 0.0)

    # ----- ranges -----
    def _fit_x(self, x: np.ndarray, snug: bool) -> None:
        last = float(x.max()) if len(x) else 0.0
        least = LEAST_X.get(self._x_label, 1.0)
        if snug:
            upper = max(least, two_digit_ceiling(last * SETTLED_HEADROOM))
        elif last > self._x_upper:
            upper = max(least, two_digit_ceiling(last * GROWING_HEADROOM))
        else:
            return
        if upper != self._x_upper:
            self._x_upper = upper
            self.setXRange(0, upper, padding=0)

    def _fit_y(self, train: np.ndarray, test: np.ndarray, snug: bool) -> None:
        values = np.concatenate([train, test])
        values = values[np.isfinite(values)]
        if self.measure == "accuracy":
            wanted = (0.0, 1.02)
        elif self.log:
            positive = values[values > 0]
            if not len(positive):
                positive = np.array([0.1, 1.0])
            low, high = float(positive.min()), float(positive.max())
            shown_low, shown_high = (10.0**v for v in self._y_range)
            if not snug and self._y_range != (0.0, 0.0) and shown_low <= low and high <= shown_high:
                return
            wanted = (math.log10(nice_floor(low / 1.1)), math.log10(nice_ceiling(high * 1.1)))
        else:
            high = float(values.max()) if len(values) else 1.0
            if not snug and 0 < high <= self._y_range[1]:
                return
            wanted = (0.0, nice_ceiling(high * 1.05))
        if wanted != self._y_range:
            self._y_range = wanted
            # a loss axis' end ticks are labelled in full, not cut by the plot's edges
            self.setYRange(*wanted, padding=0 if self.measure == "accuracy" else Y_PADDING)

    # ----- reading -----
    def _hover(self, position) -> None:
        if not len(self._x) or not self.sceneBoundingRect().contains(position):
            self.readout.hide()
            return
        point = self.plotItem.vb.mapSceneToView(position)
        i = int(np.clip(np.searchsorted(self._x, point.x()), 0, len(self._x) - 1))
        if i > 0 and abs(self._x[i - 1] - point.x()) < abs(self._x[i] - point.x()):
            i -= 1
        train, test = self._values["train"][i], self._values["test"][i]
        text = (
            f"{self._x_label} {self._x[i]:g}\ntrain {self.measure} {train:.4f}"
            f"\ntest {self.measure} {test:.4f}"
        )
        self.readout.setText(text)
        self.readout.setPos(self._x[i], float(self._shown(np.array([train]))[0]))
        self.readout.show()

    def readout_text(self) -> str:
        return self.readout.toPlainText() if self.readout.isVisible() else ""

    def legend_item(self):
        """The item whose text holds the legend: the title, or the x axis' name."""
        if self._legend_place[0] == "axis":
            return self.getAxis("bottom").label
        return self.plotItem.titleLabel.item


def spans_decades(values: np.ndarray, ratio: float) -> bool:
    """Whether the positive finite ``values`` span more than ``ratio`` (largest / smallest)."""
    positive = values[np.isfinite(values) & (values > 0)]
    return bool(len(positive)) and float(positive.max()) > ratio * float(positive.min())


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 1.5, 2, 3, 5, 7.5 x 10^k (k integer) at least ``value``."""
    if value <= 0 or not np.isfinite(value):
        return 1.0
    exponent = np.floor(np.log10(value))
    for step in (1.0, 1.5, 2.0, 3.0, 5.0, 7.5, 10.0):
        if step * 10**exponent >= value * (1 - 1e-12):
            return float(step * 10**exponent)
    return float(10 ** (exponent + 1))


def nice_floor(value: float) -> float:
    """The largest of 1, 2, 5 x 10^k (k integer) at most ``value`` (a log axis' foot)."""
    if value <= 0 or not np.isfinite(value):
        return 1e-12
    exponent = np.floor(np.log10(value))
    for step in (5.0, 2.0, 1.0):
        if step * 10**exponent <= value * (1 + 1e-12):
            return float(step * 10**exponent)
    return float(10 ** (exponent - 1))


def two_digit_ceiling(value: float) -> float:
    """``value`` rounded up to two significant digits: 315 -> 320, 1,575 -> 1,600."""
    if value <= 0 or not np.isfinite(value):
        return 0.0
    unit = 10.0 ** (math.floor(math.log10(value)) - 1)
    return float(math.ceil(value / unit * (1 - 1e-12)) * unit)
