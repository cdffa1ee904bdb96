"""The decision-boundary view: class probabilities (or a regression's predicted value) as an
image, with the data on top.

Of a data set larger than a frame predicts (``FRAME_POINTS``, model/limits.py) the view draws
the frame's fixed sample of points, and its legend says so: setting 100,000 points with a
brush each held the window's thread for about a second, and thick outlines for presentation
mode for twenty.
"""

from __future__ import annotations

import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap, QTransform
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPixmapItem

from gui.appearance.palette import CLASS_COLOURS, MARK_COLOUR, binary_colour_map
from gui.appearance.theme import legend_box
from gui.views import boundary_style as style
from gui.views.fast_items import CachedBoundsScatter, FastPaint, prepare_on_change
from gui.views.perceptron_marks import PerceptronMarks
from gui.views.plot_shape import DataShape
from gui.workers.frames import Frame

MARKS_SECONDS = 0.2
LEGEND_ENTRY = 40  # pixels of a legend entry besides its text: the sample and the spacing
LEGEND_MARGINS = 130  # pixels of the plot item's width beside the legend: axis and colour bar


class BoundaryView(FastPaint, pg.PlotWidget):
    """Colour by class, paler where the model is unsure; train points filled, test hollow.
    The plot takes the data's shape in the widget (``DataShape``), true to scale.

    In drawing mode a left click asks for a point there and a right click for the removal
    of the nearest point (``point_clicked``); the window decides what the data becomes.
    """

    point_clicked = Signal(float, float, bool)  # x1, x2, remove
    aspect_changed = Signal(float)  # the plot area's width / height in pixels

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.drawing = False
        self.scene().sigMouseClicked.connect(self._clicked)
        # True to scale: one data unit spans as many pixels in x as in y, at every size.
        self.setAspectLocked(True, ratio=1.0)
        self._fitted = True  # showing the whole data, not a range the user zoomed or panned to
        self.setMenuEnabled(False)
        # Repainted every frame: antialiased painting of the whole scene costs more GIL time
        # than the training thread can spare (bench/gui_speed.py). Symbols are pre-rendered,
        # antialiased, pixmaps either way; the perceptron's lines set their own antialiasing.
        self.setAntialiasing(False)
        for axis in ("left", "bottom"):  # re-rendered only when the range changes
            self.getAxis(axis).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setLabel("bottom", "x1")
        self.setLabel("left", "x2")
        # The worker sends a ready RGBA image: P(class 1) through a colour map for two
        # classes (white where unsure), probability-weighted class colours for more.
        # A plain Qt pixmap item: Qt paints it without calling back into Python, which
        # matters because every frame repaints it (see bench/gui_speed.py). Qt scales it up
        # bilinearly, in C++ without the GIL: smooth, not blocks, at any size and zoom.
        self.image = QGraphicsPixmapItem()
        self.image.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.image.setZValue(-10)
        self.addItem(self.image)
        self.colour_bar = pg.ColorBarItem(
            values=(0.0, 1.0),
            colorMap=binary_colour_map(),
            interactive=False,
            width=14,
            label=style.PROBABILITY_LABEL,
        )
        self.getPlotItem().layout.addItem(self.colour_bar, 2, 5)
        self.colour_bar.axis.setStyle(maxTextLevel=0)  # numbers at major ticks only, never 19
        for item in [self.colour_bar, *self.colour_bar.childItems()]:  # its axes too
            if isinstance(item, pg.AxisItem):
                item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        # One item for all training points and one for all test points, brushes per point set
        # once per data set, cached as pixmaps: they do not change while training.
        self.train_item = CachedBoundsScatter(size=7, pen=pg.mkPen((30, 30, 30), width=0.7))
        self.test_item = CachedBoundsScatter(
            size=8, symbol="s", brush=pg.mkBrush(255, 255, 255, 170)
        )
        for item in (self.train_item, self.test_item):
            item.setZValue(5)
            item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            self.addItem(item)
        self._wrong_key: bytes | None = None
        self._wrong_time = 0.0
        # Below the plot, in rows of four: it never covers a point, drawn or generated.
        # On its own box in the theme's colours (restyle_plots follows a change of theme).
        self.legend = pg.LegendItem(colCount=4, labelTextSize="9pt", horSpacing=18, **legend_box())
        self.getPlotItem().layout.addItem(self.legend, 5, 1)
        self._legend_texts: list[str] | None = None
        self.wrong_item = CachedBoundsScatter(
            symbol="x",
            size=14,
            pen=pg.mkPen(MARK_COLOUR, width=1),
            brush=pg.mkBrush(MARK_COLOUR),
            name="misclassified",
        )
        self.wrong_item.setZValue(4)  # under the points: a black cross around each
        self.wrong_item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.addItem(self.wrong_item)
        self.marks = PerceptronMarks(self.plotItem)
        marks = self.marks  # its items by name, for presentation mode's fonts and pens
        self.line, self.arrow_shaft, self.old_line = marks.line, marks.arrow_shaft, marks.old_line
        self.update_points, self.update_text = marks.update_points, marks.update_text
        self.show_test = True
        self.plotItem.vb.sigRangeChangedManually.connect(self._range_changed_by_user)
        self.plotItem.vb.sigResized.connect(self._plot_area_resized)
        self.data_shape = DataShape(self, self._fit_legend, self._emit_aspect)
        # Placed again once the layout settles: a timer of the view's own, so that none
        # fires into a view deleted with its closed window.
        self._place_timer = QTimer(self)
        self._place_timer.setSingleShot(True)
        self._place_timer.setInterval(0)
        self._place_timer.timeout.connect(self._place_again)
        prepare_on_change(self)
        # pyqtgraph's auto-range button would need a transform update before every paint,
        # which this view no longer runs (FastPaint); View > Fit to data does its job.
        self.hideButtons()
        self._dataset_id: int | None = None
        self.last_image: np.ndarray | None = None
        self.neuron_image: np.ndarray | None = None  # a hovered neuron's map, shown instead
        self._bar: style.Scale | None = None  # the image's colour bar, when no neuron is shown
        self._bar_shown: style.Scale | None = None
        self.discrete = False  # hard class regions instead of probabilities (View menu)
        self._shown: Frame | None = None  # the frame whose image is shown, to re-colour
        self._extent: tuple[float, float, float, float] | None = None

    def set_drawing(self, drawing: bool) -> None:
        self.drawing = drawing
        cursor = Qt.CursorShape.CrossCursor if drawing else Qt.CursorShape.ArrowCursor
        self.viewport().setCursor(cursor)

    def _clicked(self, event) -> None:
        if not self.drawing or event.button() not in (
            Qt.MouseButton.LeftButton,
            Qt.MouseButton.RightButton,
        ):
            return
        box = self.plotItem.vb
        if not box.sceneBoundingRect().contains(event.scenePos()):
            return
        point = box.mapSceneToView(event.scenePos())
        event.accept()
        remove = event.button() == Qt.MouseButton.RightButton
        self.point_clicked.emit(point.x(), point.y(), remove)

    def show_pending(self, X: np.ndarray, y: np.ndarray) -> None:
        """Points being drawn, too few to train on yet: no boundary, no test points."""
        brushes = [pg.mkBrush(*colour) for colour in CLASS_COLOURS]
        self.train_item.setData(X[:, 0], X[:, 1], brush=[brushes[k] for k in y])
        self.test_item.setData([], [])
        self.wrong_item.setData([], [])
        self.image.setPixmap(QPixmap())
        self._shown = None
        self._dataset_id = None  # the next frame shows its own points again
        self._wrong_key = None

    def set_show_test(self, show: bool) -> None:
        self.show_test = show
        self.test_item.setVisible(show)
        self._wrong_key = None

    def show_frame(self, frame: Frame) -> None:
        data = frame.dataset
        if data is None:
            return
        x0, x1, y0, y1 = frame.extent
        self._extent = frame.extent
        if frame.image is not None:
            self._shown = frame
            self.last_image = style.shown_image(frame, self.discrete)
            self._bar = style.bar_scale(frame, self.discrete)
            if self.neuron_image is None:
                self._set_image(self.last_image, frame.extent)
                self._show_bar(self._bar)
        if id(data) != self._dataset_id:
            self._dataset_id = id(data)
            self._show_points(frame)
            self._update_legend(self._legend_entries(frame))
            self.data_shape.follow(data.X_all, data.extent())
            self._fitted = True
        if self._fitted and not np.allclose(
            self.viewRange(), [[x0, x1], [y0, y1]], rtol=0, atol=1e-6 * (x1 - x0)
        ):
            self._show_range(frame.extent)
        self._mark_misclassified(frame)
        self.marks.show(frame)

    def set_discrete(self, discrete: bool) -> None:
        """Hard class regions without a bar, or probabilities; re-colours the frame shown."""
        self.discrete = discrete
        if self._shown is None:
            return
        self.last_image = style.shown_image(self._shown, discrete)
        self._bar = style.bar_scale(self._shown, discrete)
        if self.neuron_image is None:
            self._show_bar(self._bar)
            self._set_image(self.last_image, self._shown.extent)

    def fit_to_data(self) -> None:
        """Back to the whole data extent after zooming or panning."""
        self._fitted = True
        if self._extent is not None:
            self._show_range(self._extent)

    def _show_range(self, extent: tuple[float, float, float, float]) -> None:
        x0, x1, y0, y1 = extent
        self.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)
        self._fitted = True  # setRange's own change signal is not the user's

    def _range_changed_by_user(self) -> None:
        self._fitted = False

    def _plot_area_resized(self) -> None:
        """The plot area changed size outside a placement (the axes, the title, the colour
        bar or the legend took more or less room): placed again once the layout settles."""
        if self.data_shape.placing:
            return
        self._emit_aspect()
        if not self._place_timer.isActive():
            self._place_timer.start()

    def _place_again(self) -> None:
        self.data_shape.place()

    def _emit_aspect(self) -> None:
        """The worker fits the grid to this shape; until its frame comes, the data stays
        centred in the range the view box widened to keep the scale."""
        width, height = self.plotItem.vb.width(), self.plotItem.vb.height()
        if width > 1 and height > 1:
            self.aspect_changed.emit(width / height)

    def show_neuron(
        self,
        rgba: np.ndarray | None,
        name: str = "",
        extent: tuple[float, float, float, float] | None = None,
        values: tuple[float, float] = (0.0, 1.0),
        colour_map=None,
    ) -> None:
        """Show a neuron's map over the plane it was computed on (``extent``) instead of the
        class probabilities, its colour bar spanning the neuron's ``values`` (None: back)."""
        self.neuron_image = rgba
        bar = self.colour_bar
        if rgba is None:
            self.setTitle(None)
            self._show_bar(self._bar)
            if self.last_image is not None and self._extent is not None:
                self._set_image(self.last_image, self._extent)
            return
        self.setTitle(f"{name}: activation over the input plane")
        if colour_map is not None:
            bar.setColorMap(colour_map)
        bar.setLevels(values=values)
        bar.getAxis("left").setLabel(f"{name} activation")
        bar.setVisible(True)
        self._bar_shown = None  # the neuron's: the image's own is set again after it
        extent = extent or self._extent
        if extent is not None:
            self._set_image(rgba, extent)

    def _set_image(self, rgba: np.ndarray, extent: tuple[float, float, float, float]) -> None:
        """Show an RGBA image, row 0 at the bottom edge y0, stretched over the extent."""
        rows, cols = rgba.shape[:2]
        x0, x1, y0, y1 = extent
        image = QImage(rgba.data, cols, rows, 4 * cols, QImage.Format.Format_RGBA8888)
        self.image.setPixmap(QPixmap.fromImage(image))  # copies: ``rgba`` may go
        self.image.setTransform(QTransform.fromScale((x1 - x0) / cols, (y1 - y0) / rows))
        self.image.setPos(x0, y0)

    def _show_points(self, frame: Frame) -> None:
        """The points the frame predicts: all of them, or its sample of a large data set."""
        data = frame.dataset
        train, test = style.point_styles(data)
        if frame.shown_train is not None:
            train = _rows_of(train, frame.shown_train)
            test = _rows_of(test, frame.shown_test)
        X_train, _, X_test, _ = frame.shown_points()
        self.train_item.setData(X_train[:, 0], X_train[:, 1], **train)
        self.test_item.setData(X_test[:, 0], X_test[:, 1], **test)
        self.test_item.setVisible(self.show_test)
        self.wrong_item.setData([], [])  # marked again by the next classification frame
        self._wrong_key = None

    def _show_bar(self, scale: style.Scale | None) -> None:
        """The image's colour bar (label, values, colour map), or none; set only on change."""
        bar = self.colour_bar
        if scale is not None and scale != self._bar_shown:
            label, values, colour_map = scale
            bar.setColorMap(colour_map)
            bar.setLevels(values=values)
            bar.getAxis("left").setLabel(label)
        self._bar_shown = scale if scale is not None else self._bar_shown
        if bar.isVisible() != (scale is not None):
            bar.setVisible(scale is not None)

    def _legend_entries(self, frame: Frame) -> list[tuple[object, str]]:
        """The data's legend, and how many of its points are drawn when not all are."""
        entries = style.legend_entries(frame.dataset, self.wrong_item)
        if frame.shown_train is not None:
            shown = len(frame.shown_train) + len(frame.shown_test)
            total = len(frame.dataset.X_all)
            entries.append((pg.PlotDataItem(pen=None), f"{shown:,} of {total:,} points drawn"))
        return entries

    def _update_legend(self, entries: list[tuple[object, str]]) -> None:
        texts = [text for _, text in entries]
        if texts == self._legend_texts:
            return
        self._legend_texts = texts
        self.legend.clear()
        for sample, text in entries:
            self.legend.addItem(sample, text)
        for item in [self.legend, *self.legend.childItems()]:
            item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._fit_legend()

    def _fit_legend(self, width: float | None = None) -> None:
        """As many legend entries a row as the plot item's ``width`` holds: a legend wider
        than the plot would push the colour bar out of the widget."""
        legend = self.__dict__.get("legend")  # None while the view is being built
        if legend is None or not legend.items:
            return
        items = legend.items
        widest = max(label.item.boundingRect().width() for _, label in items) + LEGEND_ENTRY
        room = (self.plotItem.width() if width is None else width) - LEGEND_MARGINS
        columns = int(max(1, min(len(items), room // widest)))
        if columns != legend.columnCount:
            legend.setColumnCount(columns)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        shape = self.__dict__.get("data_shape")  # None while the view is being built
        if shape is None:
            super().resizeEvent(event)
            return
        shape.placing = True  # pyqtgraph gives the plot item the whole widget first
        super().resizeEvent(event)
        shape.place()

    def _mark_misclassified(self, frame: Frame) -> None:
        """Cross out wrongly classified points; skipped when the set has not changed."""
        if frame.dataset.is_regression:  # no classes: nothing is misclassified
            return
        X_train, y_train, X_test, y_test = frame.shown_points()
        wrong_train = frame.predictions_train != y_train
        wrong_test = frame.predictions_test != y_test
        if not self.show_test:
            wrong_test = np.zeros_like(wrong_test)
        key = np.packbits(np.concatenate([wrong_train, wrong_test])).tobytes()
        if key == self._wrong_key:
            return
        now = time.monotonic()
        if frame.playing and now - self._wrong_time < MARKS_SECONDS:
            return  # while playing, the crosses move five times a second
        self._wrong_time = now
        self._wrong_key = key
        points = np.vstack([X_train[wrong_train], X_test[wrong_test]])
        self.wrong_item.setData(points[:, 0], points[:, 1])


def _rows_of(styles: dict, rows: np.ndarray) -> dict:
    """``setData`` keywords for some of the points: a value given per point, for those rows."""
    return {
        key: [value[i] for i in rows] if isinstance(value, list | np.ndarray) else value
        for key, value in styles.items()
    }
