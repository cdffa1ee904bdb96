"""Plots readable from the back of a lecture hall: larger axis, title and legend text, thicker
curves and point outlines, larger points; and everything exactly as it was afterwards.

``PlotStyle`` remembers each value it changes, the very objects, and puts them back. A view
that replaces its points' pens with new data (a new data set while presenting) is thickened
again by ``follow``; what it replaced is not "restored" over the view's own new style.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QFont, QPen

PEN_FACTOR = 2.0
SIZE_FACTOR = 1.5
# Text sizes in points on a screen 800 pixels high; ``zoom`` scales them for taller ones.
TICK_POINTS = 14
LABEL_POINTS = 16
TITLE_POINTS = 15
LEGEND_POINTS = 14
TEXT_POINTS = 13  # notes on a plot: the perceptron's update written out, hover read-outs
TICK_DENSITY = 0.4  # fewer ticks and labels, so that larger ones do not run into each other
TITLE_ROW = 30  # pyqtgraph's title row, in pixels: taller while the title is larger


def thicker(pen: QPen) -> QPen:
    """A copy of ``pen`` PEN_FACTOR times as wide (a hairline counts as 1 pixel)."""
    wide = QPen(pen)
    wide.setWidthF(max(pen.widthF(), 1.0) * PEN_FACTOR)
    return wide


def thicker_each(pens: list[QPen]) -> list[QPen]:
    """``thicker`` of each pen, one new pen for each pen object: points sharing a pen share
    its thicker copy, so the scatter item renders one symbol for them, not one a point
    (20,000 test points, each with its own copy, held the window for 8 s)."""
    wide: dict[int, QPen] = {}
    for pen in pens:
        if id(pen) not in wide:
            wide[id(pen)] = thicker(pen)
    return [wide[id(pen)] for pen in pens]


class PlotStyle:
    """Apply the presentation look to some plots and their items; ``restore`` undoes it."""

    def __init__(
        self,
        views: list[pg.PlotWidget],
        curves: list,
        scatters: list,
        texts: list[pg.TextItem],
        zoom: float = 1.0,
    ) -> None:
        self.views, self.curves, self.scatters, self.zoom = views, curves, scatters, zoom
        self.texts = texts
        self.saved: dict = {}
        self._pens: dict = {}  # scatter -> the item-wide pen this style set
        self._points: dict = {}  # scatter -> (its data array, that data's own pens)

    def apply_text(self) -> None:
        """Axes, titles, legends, curves and text items (the first of two steps: with
        5,000 points drawn, both at once held the window's thread up to 0.2 s)."""
        for view in self.views:
            self._text(view)
        for curve in self.curves:
            self.saved[curve] = curve.opts["pen"]
            curve.setPen(thicker(curve.opts["pen"]))
        for text in self.texts:
            self.saved[text] = QFont(text.textItem.font())
            font = QFont(text.textItem.font())
            font.setPointSizeF(TEXT_POINTS * self.zoom)
            text.setFont(font)

    def apply_points(self) -> None:
        """The points' symbols larger and their outlines thicker."""
        for item in self.scatters:
            self.saved[item] = item.opts["size"]
            item.setSize(item.opts["size"] * SIZE_FACTOR, update=False)  # follow() updates
        self.follow()

    def follow(self) -> None:
        """Thicken outlines the views set since (a new data set's points); room for titles
        the views set since (setTitle makes the row 30 pixels high again)."""
        for view in self.views:
            self._title_room(view, self._title_height())
        for item in self.scatters:
            changed = False
            pen = item.opts["pen"]
            if self._pens.get(item) is not pen:  # first time, or the view set its own since
                self.saved[(item, "pen")] = pen
                item.setPen(thicker(pen), update=False)
                self._pens[item] = item.opts["pen"]  # the object kept, maybe a copy
                changed = True
            own = self._points.get(item)
            if own is None or own[0] is not item.data:  # new points: their own pens?
                pens = list(item.data["pen"])
                self._points[item] = (item.data, pens)
                if pens and all(p is not None for p in pens):
                    item.setPen(thicker_each(pens), update=False)
                    changed = True
            if changed:
                item.updateSpots()

    def restore(self) -> None:
        for view in self.views:
            self._text_back(view)
        for curve in self.curves:
            curve.setPen(self.saved[curve])
        for text in self.texts:
            text.setFont(self.saved[text])
        for item in self.scatters:
            if item in self.saved:  # not when left before the points' step was taken
                item.setSize(self.saved[item], update=False)
            if item.opts["pen"] is self._pens.get(item):
                item.setPen(self.saved[(item, "pen")], update=False)
            data, pens = self._points.get(item, (None, []))
            if data is item.data and pens and all(p is not None for p in pens):
                item.setPen(pens, update=False)
            item.updateSpots()
        self.saved, self._pens, self._points = {}, {}, {}

    def _text(self, view: pg.PlotWidget) -> None:
        for item in view.scene().items():
            if isinstance(item, pg.AxisItem):
                self.saved[item] = (item.style["tickFont"], dict(item.labelStyle))
                self.saved[(item, "density")] = (item._tickDensity, item.style["maxTextLevel"])
                item.setTickDensity(TICK_DENSITY)
                item.setStyle(maxTextLevel=0)  # numbers at the major ticks only
                font = QFont(view.font())
                font.setPointSizeF(TICK_POINTS * self.zoom)
                item.setTickFont(font)
                item.labelStyle = {**item.labelStyle, "font-size": self._size(LABEL_POINTS)}
                item._updateLabel()
            elif isinstance(item, pg.LegendItem):
                self.saved[item] = item.opts["labelTextSize"]
                _legend_size(item, self._size(LEGEND_POINTS))
        title = view.getPlotItem().titleLabel
        self.saved[title] = dict(title.opts)
        self.saved[(title, "row")] = title.maximumHeight()
        title.setText(title.text, size=self._size(TITLE_POINTS))
        self._title_room(view, self._title_height())
        layout = view.getPlotItem().layout
        self.saved[layout] = layout.getContentsMargins()
        if not title.isVisible():  # room above the top tick's label (the colour bar's 1.0)
            left, top, right, bottom = self.saved[layout]
            layout.setContentsMargins(left, top + TICK_POINTS * self.zoom * 0.7, right, bottom)

    def _size(self, size: float) -> str:
        return f"{size * self.zoom:.3g}pt"

    def _title_height(self) -> int:
        """Pixels for a title of TITLE_POINTS (zoomed), at the screen's 96 dots an inch."""
        return max(TITLE_ROW, round(TITLE_POINTS * self.zoom * 96 / 72 * 1.5))

    @staticmethod
    def _title_room(view: pg.PlotWidget, height: int) -> None:
        plot = view.getPlotItem()
        if plot.titleLabel.isVisible() and plot.titleLabel.maximumHeight() != height:
            plot.titleLabel.setMaximumHeight(height)
            plot.layout.setRowFixedHeight(0, height)

    def _text_back(self, view: pg.PlotWidget) -> None:
        for item in view.scene().items():
            if isinstance(item, pg.AxisItem) and item in self.saved:
                font, label_style = self.saved[item]
                item.setTickFont(font)
                density, level = self.saved[(item, "density")]
                item.setTickDensity(density)
                item.setStyle(maxTextLevel=level)
                item.labelStyle = label_style
                item._updateLabel()
            elif isinstance(item, pg.LegendItem) and item in self.saved:
                _legend_size(item, self.saved[item])
        title = view.getPlotItem().titleLabel
        title.opts = self.saved[title]
        title.setText(title.text)
        self._title_room(view, self.saved[(title, "row")])
        layout = view.getPlotItem().layout
        layout.setContentsMargins(*self.saved[layout])


def _legend_size(legend: pg.LegendItem, size: str) -> None:
    """Every entry's text at ``size``, those shown already included."""
    legend.setLabelTextSize(size)
    for _, label in legend.items:
        label.setText(label.text)
    legend.updateSize()
