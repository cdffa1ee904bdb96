"""A heatmap of one measure over two hyperparameters: x values across, y values down.

Means use viridis turned so that brighter is always better (a high accuracy, a low loss, few
updates, few seconds); spreads use cividis, brighter for more spread, so the two views never
read alike. Both are perceptually uniform and readable with every common colour vision
deficiency. Losses and update counts span decades and are coloured on a log scale, the colour
bar labelled in the measure's own units. A cell not yet run is grey and hatched; a cell run
without a value (every seed diverged, or none reached the target) is plain grey with a word
saying why: neither is ever painted as a score.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal

from gui.views.perceptron_sweep_view import (
    CELL_PIXELS,
    PENDING,
    PENDING_HATCH,
    new_cell_labels,
    text_colour,
)

NO_VALUE = (205, 205, 205)  # run, but nothing to show: plain grey, no hatch
MAX_LABELLED = (12, 12)  # cells are written on up to this many columns and rows


def colour_map(name: str, reverse: bool) -> pg.ColorMap:
    """A named pyqtgraph map, reversed if asked (a fresh copy: the named one is shared)."""
    cmap = copy.deepcopy(pg.colormap.get(name))
    if reverse:
        cmap.reverse()
    return cmap


@dataclass
class HeatmapPicture:
    """What to draw: values on a scale, each cell's text, and the colour bar."""

    values: np.ndarray  # (rows, columns), NaN: no value
    pending: np.ndarray  # (rows, columns) bool: not run yet
    texts: list[list[str]]
    levels: tuple[float, float]  # of the values as given (log10 already taken if log)
    cmap_name: str
    reverse: bool
    bar_label: str
    log_scale: bool = False


def decade_ticks(levels: tuple[float, float]) -> list[tuple[float, str]]:
    """Ticks of a log10 colour bar at whole decades (or its two ends), labelled in units."""
    low, high = levels
    decades = list(range(math.ceil(low), math.floor(high) + 1))
    positions = decades if len(decades) >= 2 else [low, high]
    return [(p, f"{10**p:,.0f}" if p >= 0 and p == int(p) else f"{10**p:.3g}") for p in positions]


class HypergridHeatmap(pg.PlotWidget):
    """Clicking a cell emits its (row, column); hovering emits it too, (-1, -1) off the map."""

    cell_clicked = Signal(int, int)
    cell_hovered = Signal(int, int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.image = pg.ImageItem(axisOrder="row-major")
        self.addItem(self.image)
        self.getViewBox().invertY(True)
        self.colour_bar = pg.ColorBarItem(
            values=(0, 1),
            colorMap=colour_map("viridis", False),
            interactive=False,
            colorMapMenu=False,
            width=16,
        )
        self.colour_bar.getAxis("left").setWidth(4)
        self.colour_bar.axis.setWidth(None)
        self.colour_bar.axis.enableAutoSIPrefix(False)  # 0.02, not 20 (x0.001)
        self.plotItem.layout.addItem(self.colour_bar, 2, 5)
        self.plotItem.layout.setContentsMargins(2, 10, 10, 2)  # room for the top number
        layout = self.plotItem.layout
        layout.removeItem(self.plotItem.titleLabel)
        layout.addItem(self.plotItem.titleLabel, 0, 0, 1, 6)
        self.labels: list[list[pg.TextItem]] = []
        self.texts: list[list[str]] = []
        self.colours = np.zeros((0, 0, 4), np.uint8)  # each cell's RGBA, as painted
        self._shape = (0, 0)
        self._ticks: tuple = ()
        self._hovered = (-1, -1)
        self.scene().sigMouseClicked.connect(self._clicked)
        self.scene().sigMouseMoved.connect(self._moved)

    def set_axes(self, x_label: str, x_texts: list[str], y_label: str, y_texts: list[str]) -> None:
        """Name the axes and put each value at its cell's centre."""
        self.setLabel("bottom", x_label)
        self.setLabel("left", y_label)
        ticks = (tuple(x_texts), tuple(y_texts))
        if ticks != self._ticks:
            self._ticks = ticks
            self.getAxis("bottom").setTicks([[(j + 0.5, t) for j, t in enumerate(x_texts)]])
            self.getAxis("left").setTicks([[(i + 0.5, t) for i, t in enumerate(y_texts)]])

    def show_picture(self, picture: HeatmapPicture) -> None:
        """Paint the cells, their texts and the colour bar."""
        values = np.asarray(picture.values, dtype=float)
        shape = values.shape
        cmap = colour_map(picture.cmap_name, picture.reverse)
        low, high = picture.levels
        scaled = np.clip((np.nan_to_num(values, nan=low) - low) / (high - low), 0.0, 1.0)
        colours = cmap.map(scaled.ravel(), mode="byte").reshape(*shape, 4).astype(np.uint8)
        colours[np.isnan(values)] = (*NO_VALUE, 255)
        colours[picture.pending] = (*PENDING, 255)
        self.colours = colours
        n = CELL_PIXELS
        image = np.repeat(np.repeat(colours, n, axis=0), n, axis=1)
        r, c = np.mgrid[0 : shape[0] * n, 0 : shape[1] * n]
        hatch = ((r + c) % 12 < 3) & np.repeat(np.repeat(picture.pending, n, 0), n, 1)
        image[hatch] = (*PENDING_HATCH, 255)
        image[(r % n == n - 1) | (c % n == n - 1), 3] = 0  # the background between cells
        self.image.setImage(image, rect=(0, 0, shape[1], shape[0]))
        self.colour_bar.setColorMap(cmap)
        self.colour_bar.setLevels(values=picture.levels)
        self.colour_bar.axis.setLabel(picture.bar_label)
        self.colour_bar.axis.setTicks([decade_ticks(picture.levels)] if picture.log_scale else None)
        if shape != self._shape:
            self._new_labels(shape)
        labelled = shape[0] <= MAX_LABELLED[1] and shape[1] <= MAX_LABELLED[0]
        self.texts = [
            [picture.texts[i][j] if labelled else "" for j in range(shape[1])]
            for i in range(shape[0])
        ]
        for i in range(shape[0]):
            for j in range(shape[1]):
                label = self.labels[i][j]
                label.setColor(text_colour(colours[i, j]))
                label.setText(self.texts[i][j])

    def _new_labels(self, shape: tuple[int, int]) -> None:
        self._shape = shape
        self.labels = new_cell_labels(self, self.labels, shape)

    def cell_at(self, scene_pos) -> tuple[int, int]:
        """(row, column) under a scene position, or (-1, -1) off the cells."""
        point = self.getViewBox().mapSceneToView(scene_pos)
        row, column = int(np.floor(point.y())), int(np.floor(point.x()))
        if 0 <= row < self._shape[0] and 0 <= column < self._shape[1]:
            return row, column
        return -1, -1

    def _clicked(self, event) -> None:
        row, column = self.cell_at(event.scenePos())
        if row >= 0:
            self.cell_clicked.emit(row, column)

    def _moved(self, scene_pos) -> None:
        cell = self.cell_at(scene_pos)
        if cell != self._hovered:
            self._hovered = cell
            self.cell_hovered.emit(*cell)
