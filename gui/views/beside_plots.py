"""The plots of "Train mine beside the reference": the reference's and the student's decision
boundaries, their loss curves on one plot, and the two perceptron lines.

One rule in every plot of the window: the reference is drawn solid, the student's run dashed
on top of it, so a correct run hides the dashes' gaps exactly and a wrong one shows apart.
Colours keep their meaning in the app: class colours for the points and regions, train and
test (palette.py) for the curves; lines over the plane are in the plot's ink.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from gui.appearance.palette import CLASS_COLOURS, TEST_COLOUR, TRAIN_COLOUR, boundary_image
from gui.appearance.theme import legend_box
from gui.views.perceptron_marks import line_in_extent
from model.data.datasets import Dataset
from model.limits import FRAME_POINTS
from model.nn.input_plane import cell_centres

Extent = tuple[float, float, float, float]
REFERENCE_WIDTH, YOURS_WIDTH = 6.0, 2.0  # a pale band, and dashes that show on it
REFERENCE_ALPHA = 110  # of 255: the band is the colour, faded
DASHES = [3.0, 2.0]  # in pen widths
TITLE_SIZE = "10pt"


PLANE_INK = (20, 20, 20)  # lines over the plane's image, which is light in either theme
SPAN_FOR_LOG = 10.0  # a loss spanning more than a decade is read on a log axis


def ink() -> tuple[int, int, int]:
    """The plots' foreground colour now (black on light plots, light grey on dark ones)."""
    colour = pg.mkColor(pg.getConfigOption("foreground"))
    return colour.red(), colour.green(), colour.blue()


def who_pen(colour, yours: bool) -> pg.QtGui.QPen:
    """The reference's pen (a wide, pale, solid band) or the student's (narrow dashes in the
    full colour, drawn on top): on a correct run the dashes run along the band's middle."""
    rgb = pg.mkColor(colour)
    if yours:
        pen = pg.mkPen(rgb, width=YOURS_WIDTH)
        pen.setDashPattern(DASHES)
        return pen
    rgb.setAlpha(REFERENCE_ALPHA)
    pen = pg.mkPen(rgb, width=REFERENCE_WIDTH)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    return pen


def boundary_lines(probabilities: np.ndarray, extent: Extent) -> tuple[np.ndarray, np.ndarray]:
    """Where the most probable class changes, as x and y with NaN between the pieces."""
    rows, cols, classes = probabilities.shape
    x0, x1, y0, y1 = extent
    xs: list[float] = []
    ys: list[float] = []
    if not np.all(np.isfinite(probabilities)):
        return np.array([]), np.array([])
    for k in range(1 if classes == 2 else classes):
        others = np.delete(probabilities, k, axis=-1).max(axis=-1)
        lead = probabilities[..., k] - others
        for piece in pg.functions.isocurve(lead, 0.0, connected=True):
            points = np.asarray(piece, dtype=np.float64)
            xs += list(x0 + (points[:, 1] + 0.5) * (x1 - x0) / cols) + [np.nan]
            ys += list(y0 + (points[:, 0] + 0.5) * (y1 - y0) / rows) + [np.nan]
    return np.array(xs), np.array(ys)


class PlanePlot(pg.PlotWidget):
    """The input plane true to scale: an optional image of class probabilities, the training
    points in their class colours, and lines over them."""

    def __init__(self, title: str) -> None:
        super().__init__()
        self.setMenuEnabled(False)
        self.hideButtons()
        self.setAspectLocked(True, ratio=1.0)
        self.plotItem.setTitle(title, size=TITLE_SIZE)
        self.setLabel("bottom", "x1")
        self.setLabel("left", "x2")
        self.image = pg.ImageItem()
        self.image.setZValue(-10)
        self.addItem(self.image)
        self.points: list[pg.ScatterPlotItem] = []
        self.lines: dict[str, pg.PlotCurveItem] = {}
        self._extent: Extent | None = None
        self._dataset: Dataset | None = None

    def set_points(self, dataset: Dataset, extent: Extent) -> None:
        """The training points (at most FRAME_POINTS of them), one item per class."""
        if dataset is self._dataset and extent == self._extent:
            return
        self._dataset, self._extent = dataset, extent
        for item in self.points:
            self.removeItem(item)
        X, y = dataset.X_train[:FRAME_POINTS], dataset.y_train[:FRAME_POINTS]
        self.points = []
        for k in range(dataset.n_classes):
            rows = y == k
            item = pg.ScatterPlotItem(
                X[rows, 0],
                X[rows, 1],
                size=5,
                pen=pg.mkPen((30, 30, 30), width=0.5),
                brush=pg.mkBrush(*CLASS_COLOURS[k % len(CLASS_COLOURS)]),
            )
            item.setZValue(5)
            self.addItem(item)
            self.points.append(item)
        x0, x1, y0, y1 = extent
        self.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)

    def aspect(self) -> float | None:
        """The plot area's width / height in pixels (None before it has a size)."""
        box = self.plotItem.vb
        return box.width() / box.height() if box.width() > 0 and box.height() > 0 else None

    def set_image(self, probabilities: np.ndarray | None) -> None:
        """Class probabilities over the extent as the main view colours them; None: none."""
        if probabilities is None or self._extent is None:
            self.image.clear()
            return
        x0, x1, y0, y1 = self._extent
        self.image.setImage(boundary_image(probabilities), levels=(0, 255))
        self.image.setRect(pg.QtCore.QRectF(x0, y0, x1 - x0, y1 - y0))

    def set_line(self, name: str, x: np.ndarray, y: np.ndarray, pen) -> None:
        """Draw (or replace) the line ``name``; empty arrays hide it."""
        line = self.lines.get(name)
        if line is None:
            line = pg.PlotCurveItem(antialias=True, connect="finite")
            line.setZValue(10 if "yours" in name else 9)
            self.addItem(line, ignoreBounds=True)
            self.lines[name] = line
        line.setPen(pen)
        line.setData(np.asarray(x, float), np.asarray(y, float))
        line.setVisible(len(x) > 0)

    def clear_lines(self) -> None:
        for line in self.lines.values():
            line.setData([], [])
            line.hide()


class CurvesPlot(pg.PlotWidget):
    """Measures against updates (or epochs): the reference solid, the student's dashed."""

    def __init__(self, title: str, x_label: str, y_label: str) -> None:
        super().__init__()
        self.setMenuEnabled(False)
        self.hideButtons()
        self.title = title
        self.plotItem.setTitle(title, size=TITLE_SIZE)
        self.setLabel("bottom", x_label)
        self.setLabel("left", y_label)
        self.getAxis("left").enableAutoSIPrefix(False)  # losses read as they are, not x0.001
        self.legend = pg.LegendItem(labelTextSize="8pt", **legend_box())
        self.legend.setParentItem(self.plotItem.vb)
        self.legend.anchor((1, 0), (1, 0), offset=(-6, 6))
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.marker = pg.InfiniteLine(
            angle=90,
            movable=False,
            pen=pg.mkPen(ink(), width=1, style=Qt.PenStyle.DotLine),
        )
        self.marker.hide()
        self.addItem(self.marker, ignoreBounds=True)
        self.log_when_wide = False

    def add_curve(self, name: str, label: str, colour, yours: bool) -> None:
        curve = self.plot([], [], pen=who_pen(colour, yours), connect="finite")
        curve.setZValue(10 if yours else 5)
        self.curves[name] = curve
        self.legend.addItem(curve, label)

    def set_curves(self, curves: dict[str, np.ndarray]) -> None:
        """Each named curve's values, one per update (or epoch) from 0; a loss spanning more
        than a decade on a log axis, so that both runs stay readable after a jump."""
        finite = []
        for name, values in curves.items():
            values = np.asarray(values, dtype=np.float64)
            shown = np.where(np.isfinite(values), values, np.nan)
            self.curves[name].setData(np.arange(len(values)), shown)
            finite.append(shown[np.isfinite(shown) & (shown > 0)])
        if self.log_when_wide:
            every = np.concatenate(finite) if finite else np.array([])
            wide = every.size > 0 and every.max() > SPAN_FOR_LOG * every.min()
            self.setLogMode(y=bool(wide))

    def mark(self, x: float | None, title: str = "") -> None:
        """A dotted vertical line at ``x``, and ``title`` in place of the plot's own while it
        is shown (None: neither)."""
        self.marker.setVisible(x is not None)
        if x is not None:
            self.marker.setPos(x)
        shown = title if x is not None and title else self.title
        self.plotItem.setTitle(shown, size=TITLE_SIZE)

    def clear_curves(self) -> None:
        for curve in self.curves.values():
            curve.setData([], [])
        self.mark(None)


def loss_plot() -> CurvesPlot:
    """Loss on the training and the test points, the reference's and the student's."""
    plot = CurvesPlot("Loss after each update", "update", "cross-entropy")
    plot.log_when_wide = True
    for split, colour in (("train", TRAIN_COLOUR), ("test", TEST_COLOUR)):
        plot.add_curve(f"reference_{split}", f"reference, {split} points", colour, False)
        plot.add_curve(f"yours_{split}", f"yours, {split} points", colour, True)
    return plot


def accuracy_plot() -> CurvesPlot:
    """The perceptrons' test accuracy after each epoch."""
    plot = CurvesPlot("Test accuracy after each epoch", "epoch", "accuracy")
    plot.add_curve("reference", "reference (batch rule)", TEST_COLOUR, False)
    plot.add_curve("yours", "yours", TEST_COLOUR, True)
    return plot


def perceptron_line(weights: np.ndarray, extent: Extent) -> tuple[np.ndarray, np.ndarray]:
    """The line w . [1, x] = 0 within ``extent`` as x and y (empty where it misses)."""
    ends = line_in_extent(weights, extent) if np.all(np.isfinite(weights)) else None
    if ends is None:
        return np.array([]), np.array([])
    return ends[:, 0], ends[:, 1]


def perceptron_regions(weights: np.ndarray, extent: Extent, cells: int = 80) -> np.ndarray:
    """The perceptron's two half-planes as class 'probabilities' (1 and 0), for the image."""
    points = cell_centres(extent, cells, cells)
    plus = (points @ np.asarray(weights[1:], float) + float(weights[0]) >= 0).astype(float)
    return np.column_stack([1.0 - plus, plus]).reshape(cells, cells, 2)
