"""Runs that differ in one parameter: overlaid curves, final figures, boundary thumbnails.

One legend above the four plots names every run with its colour and line style (a legend
inside a plot covers curves, and four of them repeat each other). Runs are told apart by the
Okabe-Ito colours, which stay apart for colour-blind eyes, and beyond six runs by line style as
well. The same line sample marks each run's row in the table and its boundary thumbnail.
"""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QIcon, QImage, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui.appearance.palette import CLASS_COLOURS
from gui.views.curves import nice_ceiling
from model.experiments import Comparison
from model.training import HistoryPoint

MEASURES = [
    ("train_loss", "Train loss"),
    ("test_loss", "Test loss"),
    ("train_accuracy", "Train accuracy"),
    ("test_accuracy", "Test accuracy"),
]
RUN_COLOURS = list(CLASS_COLOURS)
LINE_STYLES = [
    Qt.PenStyle.SolidLine,
    Qt.PenStyle.DashLine,
    Qt.PenStyle.DotLine,
    Qt.PenStyle.DashDotLine,
]
FIELDS = HistoryPoint.header()
X_LABELS = {"epoch": "epoch", "update": "update", "seconds": "training seconds"}
RIGHT_MARGIN = 24  # pixels right of each plot, for half the last tick label
TABLE_ROWS_SHOWN = 8  # the table grows to show this many runs, then scrolls
SAMPLE_WIDTH = 30  # pixels, the line sample in the legend, table and captions


def run_pen(index: int, width: float = 2.0) -> QPen:
    """Run ``index``'s pen: the palette's colours in turn, then again with the next style."""
    colour = RUN_COLOURS[index % len(RUN_COLOURS)]
    style = LINE_STYLES[(index // len(RUN_COLOURS)) % len(LINE_STYLES)]
    pen = pg.mkPen(colour, width=width, style=style)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    return pen


def line_sample(index: int, height: int = 14) -> QPixmap:
    """A short stroke in run ``index``'s colour and style, for legends and captions."""
    pixmap = QPixmap(SAMPLE_WIDTH, height)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(run_pen(index, width=3.0))
    painter.drawLine(QPointF(1, height / 2), QPointF(SAMPLE_WIDTH - 1, height / 2))
    painter.end()
    return pixmap


def run_value(run) -> str:
    """The value that sets a run apart, as the legend and the table show it."""
    if run.value is None:
        return "full batch"
    if isinstance(run.value, float):
        return f"{run.value:g}"
    return run.label.split("=", 1)[1]


class RunLegend(QWidget):
    """The parameter's name, then every run's line sample and value, in rows that wrap to
    the widget's width (centred when they fit on one)."""

    GAP = 18  # between entries
    SPACE = 6  # between a sample and its value

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.title = ""
        self.labels: list[str] = []
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def set_runs(self, title: str, labels: list[str]) -> None:
        if (title, labels) != (self.title, self.labels):
            self.title, self.labels = title, list(labels)
            self.updateGeometry()
            self.update()

    def _title_font(self):
        font = self.font()
        font.setBold(True)
        return font

    def _layout(self, width: int) -> list[tuple[int, int, int]]:
        """(x, row, width) of the title, then of each entry, ``width`` pixels wide."""
        metrics = self.fontMetrics()
        title = QFontMetrics(self._title_font()).horizontalAdvance(self.title)
        places, x, row = [(0, 0, title)], title + self.GAP, 0
        for label in self.labels:
            w = SAMPLE_WIDTH + self.SPACE + metrics.horizontalAdvance(label)
            if x + w > width:
                x, row = 0, row + 1
            places.append((x, row, w))
            x += w + self.GAP
        return places

    def _row_height(self) -> int:
        return self.fontMetrics().height() + 6

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt's name)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt's name)
        return (self._layout(width)[-1][1] + 1) * self._row_height()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        x, _, w = self._layout(10**6)[-1]
        return QSize(x + w, self._row_height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(0, self._row_height())

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt's name)
        if not self.labels:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        height = self._row_height()
        places = self._layout(self.width())
        one_row = places[-1][1] == 0
        left = max(0, (self.width() - places[-1][0] - places[-1][2]) // 2) if one_row else 0
        align = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
        text_colour = self.palette().windowText().color()
        x, _, w = places[0]
        painter.setFont(self._title_font())
        painter.setPen(text_colour)
        painter.drawText(QRectF(left + x, 0, w + 2, height), align, self.title)
        painter.setFont(self.font())
        for index, (label, (x, row, w)) in enumerate(zip(self.labels, places[1:], strict=True)):
            top, x = row * height, x + (left if one_row else 0)
            painter.setPen(run_pen(index, width=3.0))
            mid = top + height / 2
            painter.drawLine(QPointF(x + 1, mid), QPointF(x + SAMPLE_WIDTH - 1, mid))
            painter.setPen(text_colour)
            painter.drawText(QRectF(x + SAMPLE_WIDTH + self.SPACE, top, w, height), align, label)
        painter.end()


class Thumbnails(QWidget):
    """Each run's decision boundary with its line sample and value beneath, laid out in the
    grid that makes the images largest in the space given."""

    MAX_SIZE = 120
    PAD = 6

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.images: list[QPixmap | None] = []
        self.captions: list[str] = []
        self.size_shown = 0  # pixels, each image's side as last laid out
        self.setMinimumHeight(60)

    def set_runs(self, captions: list[str]) -> None:
        self.captions = list(captions)
        self.images = (self.images + [None] * len(captions))[: len(captions)]
        self.update()

    def set_image(self, index: int, rgba: np.ndarray) -> None:
        flipped = np.ascontiguousarray(rgba[::-1])  # row 0 is the plane's bottom edge
        rows, cols = flipped.shape[:2]
        qimage = QImage(flipped.data, cols, rows, 4 * cols, QImage.Format.Format_RGBA8888)
        self.images[index] = QPixmap.fromImage(qimage.copy())
        self.update()

    def __len__(self) -> int:
        return len(self.captions)

    def _grid(self) -> tuple[int, int, int]:
        """(columns, image side, cell width) that make the images largest."""
        n = len(self.captions)
        metrics = self.fontMetrics()
        caption = metrics.height() + 4
        widest = max((metrics.horizontalAdvance(c) for c in self.captions), default=0)
        caption_width = SAMPLE_WIDTH + 4 + widest + self.PAD
        best = (n, 0, self.width() // max(n, 1))
        for columns in range(1, n + 1):
            rows = -(-n // columns)
            cell_w, cell_h = self.width() // columns, self.height() // rows
            side = min(cell_w - self.PAD, cell_h - caption - self.PAD, self.MAX_SIZE)
            if cell_w >= caption_width and side > best[1]:
                best = (columns, side, cell_w)
        return best

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt's name)
        if not self.captions:
            return
        columns, side, cell_w = self._grid()
        self.size_shown = max(side, 0)
        metrics = self.fontMetrics()
        caption = metrics.height() + 4
        cell_h = side + caption + self.PAD
        used = min(columns, len(self.captions)) * cell_w
        left = (self.width() - used) // 2
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        text_colour = self.palette().windowText().color()
        for index, text in enumerate(self.captions):
            row, column = divmod(index, columns)
            x0, y0 = left + column * cell_w, row * cell_h
            image = QRectF(x0 + (cell_w - side) / 2, y0 + self.PAD / 2, side, side)
            if self.images[index] is not None and side > 0:
                painter.drawPixmap(image.toRect(), self.images[index])
            else:
                painter.fillRect(image, QColor(176, 176, 176))
            w = SAMPLE_WIDTH + 4 + metrics.horizontalAdvance(text)
            x, mid = x0 + (cell_w - w) / 2, image.bottom() + 2 + caption / 2
            painter.setPen(run_pen(index, width=3.0))
            painter.drawLine(QPointF(x, mid), QPointF(x + SAMPLE_WIDTH - 2, mid))
            painter.setPen(text_colour)
            painter.drawText(
                QRectF(x + SAMPLE_WIDTH + 4, mid - caption / 2, w, caption),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                text,
            )
        painter.end()


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
        plots = QGridLayout()
        plots.setSpacing(4)
        self.plots: dict[str, pg.PlotWidget] = {}
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
            plots.addWidget(plot, index // 2, index % 2)
        layout.addLayout(plots, 1)
        bottom = QHBoxLayout()
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(
            ["run", "train loss", "train acc", "test loss", "test acc", "updates"]
        )
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setIconSize(QSize(SAMPLE_WIDTH, 14))
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        bottom.addWidget(self.table, 0, Qt.AlignmentFlag.AlignTop)
        self.thumbnails = Thumbnails()
        self.thumbnails.setToolTip("Each run's decision boundary now")
        bottom.addWidget(self.thumbnails, 1)
        layout.addLayout(bottom)
        self.x_axis = "epoch"
        self.comparison: Comparison | None = None
        self._curves: dict[tuple[str, int], pg.PlotDataItem] = {}
        self._ranges: dict[str, tuple[float, ...]] = {}
        self._drawn: dict[int, tuple[int, str]] = {}
        self._fit_table()

    # ----- what the window calls -----
    def set_x_axis(self, axis: str) -> None:
        """Plot against ``axis`` (epoch, update or seconds), the range fitted at once."""
        self.x_axis = axis
        if self.comparison is not None:
            self.show_comparison(self.comparison, final=True)

    def clear(self) -> None:
        for plot in self.plots.values():
            plot.clear()
        self._curves.clear()
        self._ranges.clear()
        self._drawn.clear()
        self.table.setRowCount(0)
        self._fit_table()
        self.thumbnails.set_runs([])
        self.legend.set_runs("", [])
        self.comparison = None

    def show_comparison(
        self, comparison: Comparison | None, thumbnails: dict | None = None, final: bool = False
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
        for index, run in enumerate(comparison.runs):
            drawn = (len(run.history), self.x_axis)
            if self._drawn.get(index) == drawn:
                continue  # this run has no new points: leave its curves alone
            self._drawn[index] = drawn
            table = np.array([p.row() for p in run.history], dtype=float).reshape(-1, len(FIELDS))
            x = table[:, FIELDS.index(self.x_axis)]
            for measure, _ in MEASURES:
                key = (measure, index)
                if key not in self._curves:
                    self._curves[key] = self.plots[measure].plot(
                        pen=run_pen(index), name=values[index]
                    )
                self._curves[key].setData(x, table[:, FIELDS.index(measure)])
        self._fit_ranges(comparison, exact=final)
        for plot in self.plots.values():
            if plot.getAxis("bottom").labelText != X_LABELS[self.x_axis]:
                plot.setLabel("bottom", X_LABELS[self.x_axis])
        self._fill_table(comparison, values)
        for index, rgba in (thumbnails or {}).items():
            if index < len(self.thumbnails):
                self.thumbnails.set_image(index, rgba)

    @contextmanager
    def legend_beside(self, measure: str):
        """While inside, ``measure``'s plot carries its own legend to the right of the data
        (for saving that one plot as an image)."""
        item = self.plots[measure].plotItem
        legend = pg.LegendItem(labelTextSize="10pt")
        if self.comparison is not None:
            legend.layout.addItem(pg.LabelItem(self.legend.title, bold=True), 0, 0, 1, 2)
            for index in range(len(self.comparison.runs)):
                curve = self._curves.get((measure, index))
                if curve is not None:
                    legend.addItem(curve, curve.name())
        item.layout.addItem(legend, 2, 3)
        item.layout.setColumnFixedWidth(3, legend.layout.preferredWidth() + 8)
        item.layout.activate()
        try:
            yield
        finally:
            item.layout.removeItem(legend)
            item.scene().removeItem(legend)
            item.layout.setColumnFixedWidth(3, 0)
            item.layout.activate()

    # ----- ranges -----
    def _fit_ranges(self, comparison: Comparison, exact: bool) -> None:
        """While runs stream in, ranges only grow, in 1-1.5-2-3-5-7.5 steps, so axes are
        re-rendered rarely; once finished, they fit the curves."""
        points = [p for run in comparison.runs for p in run.history]
        if not points:
            return
        x_end = max(max(getattr(p, self.x_axis) for p in points), 1e-9)
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

    # ----- table -----
    def _fill_table(self, comparison: Comparison, values: list[str]) -> None:
        rows_before = self.table.rowCount()
        self.table.setRowCount(len(comparison.runs))
        self.table.horizontalHeaderItem(0).setText(comparison.parameter.replace("_", " "))
        for row, run in enumerate(comparison.runs):
            f = run.final
            if f is None:  # a parallel run that has not reported yet
                cells = [f"{values[row]} (waiting)", "", "", "", "", ""]
            else:
                cells = [
                    values[row] + (" (diverged)" if run.stopped_reason else ""),
                    f"{f.train_loss:.4f}",
                    f"{f.train_accuracy:.3f}",
                    f"{f.test_loss:.4f}",
                    f"{f.test_accuracy:.3f}",
                    str(f.update),
                ]
            for column, text in enumerate(cells):
                item = self.table.item(row, column)
                if item is None:
                    item = QTableWidgetItem()
                    if column:
                        item.setTextAlignment(
                            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                        )
                    else:
                        item.setIcon(QIcon(line_sample(row)))
                    self.table.setItem(row, column, item)
                item.setText(text)
        self.table.resizeColumnsToContents()
        if self.table.rowCount() != rows_before:
            self._fit_table()
        else:
            self.table.setFixedWidth(self._table_width())

    def _table_width(self) -> int:
        header = self.table.horizontalHeader()
        scroll = self.table.verticalScrollBar().sizeHint().width()
        return header.length() + 2 * self.table.frameWidth() + scroll

    def _fit_table(self) -> None:
        """Tall enough for every run, up to TABLE_ROWS_SHOWN and a third of the view's
        height (then it scrolls); at least two rows."""
        row = self.table.verticalHeader().defaultSectionSize()
        chrome = self.table.horizontalHeader().sizeHint().height() + 2 * self.table.frameWidth()
        room = (self.height() // 3 - chrome) // row if self.isVisible() else TABLE_ROWS_SHOWN
        shown = max(2, min(self.table.rowCount(), TABLE_ROWS_SHOWN, room))
        self.table.setFixedHeight(chrome + shown * row)
        self.table.setFixedWidth(self._table_width())

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit_table()
