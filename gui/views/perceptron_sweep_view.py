"""A heatmap of accuracies over means x covariances, each cell labelled with its figures.

Colours come from viridis (perceptually uniform, readable with every common colour vision
deficiency) from 0.5 (chance for two classes) to 1; a colour bar beside the map names what it
measures. A cell without a value yet is grey with a diagonal hatch and no number: it is never
painted as a score. Each number is written in black or white, whichever stands out more from
its cell's colour.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal

ACCURACY_MAP = pg.colormap.get("viridis")
LEVELS = (0.5, 1.0)  # chance to perfect, for two classes
CELL_PIXELS = 48  # each cell is drawn as a square of this many image pixels
PENDING = (176, 176, 176)  # a cell not computed yet: neutral grey ...
PENDING_HATCH = (150, 150, 150)  # ... with darker diagonal stripes
DARK_TEXT, LIGHT_TEXT = (0, 0, 0), (255, 255, 255)


def relative_luminance(rgb) -> np.ndarray:
    """WCAG relative luminance of sRGB colours (0-255) in the last axis."""
    c = np.asarray(rgb, dtype=float)[..., :3] / 255.0
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return linear @ np.array([0.2126, 0.7152, 0.0722])


def new_cell_labels(plot: pg.PlotWidget, old: list[list], shape: tuple[int, int]) -> list[list]:
    """Empty text labels centred on each cell of a (rows, columns) map, replacing ``old``;
    the plot's range is set to the cells."""
    plot.setRange(xRange=(0, shape[1]), yRange=(0, shape[0]), padding=0.02)
    for row in old:
        for label in row:
            plot.removeItem(label)
    labels = []
    for i in range(shape[0]):
        row = []
        for j in range(shape[1]):
            label = pg.TextItem("", anchor=(0.5, 0.5))
            label.setPos(j + 0.5, i + 0.5)
            plot.addItem(label)
            row.append(label)
        labels.append(row)
    return labels


def text_colour(rgb) -> tuple[int, int, int]:
    """Black or white, whichever contrasts more with ``rgb`` (the WCAG crossover 0.179)."""
    return DARK_TEXT if relative_luminance(rgb) > 0.179 else LIGHT_TEXT


def accuracy_colours(values: np.ndarray) -> np.ndarray:
    """RGBA (uint8) of each value on the accuracy map; NaN (no value yet) is grey."""
    values = np.asarray(values, dtype=float)
    scaled = (np.clip(np.nan_to_num(values, nan=LEVELS[0]), *LEVELS) - LEVELS[0]) / (
        LEVELS[1] - LEVELS[0]
    )
    rgba = ACCURACY_MAP.map(scaled.ravel(), mode="byte").reshape(*values.shape, 4)
    rgba[np.isnan(values)] = (*PENDING, 255)
    return rgba.astype(np.uint8)


def _cell_masks() -> tuple[np.ndarray, np.ndarray]:
    """Masks of one cell's pixels: the diagonal stripes of a pending cell, and a 1-pixel
    gap on the right and bottom edges (left transparent, so the background separates cells)."""
    r, c = np.mgrid[0:CELL_PIXELS, 0:CELL_PIXELS]
    return (r + c) % 12 < 3, (r == CELL_PIXELS - 1) | (c == CELL_PIXELS - 1)


_HATCH, _GAP = _cell_masks()


class GridHeatmap(pg.PlotWidget):
    """Rows are means, columns covariances; clicking a cell emits its (row, column)."""

    cell_clicked = Signal(int, int)

    def __init__(self, title: str, measure: str = "test accuracy", parent=None) -> None:
        super().__init__(parent)
        self.setTitle(title)
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.image = pg.ImageItem(axisOrder="row-major")
        self.addItem(self.image)
        self.getViewBox().invertY(True)
        self.setLabel("left", "mean")
        self.setLabel("bottom", "covariance")
        self.colour_bar = pg.ColorBarItem(
            values=LEVELS, colorMap=ACCURACY_MAP, interactive=False, colorMapMenu=False, width=16
        )
        self.colour_bar.axis.setLabel(measure)  # right of the bar, after its numbers
        self.colour_bar.getAxis("left").setWidth(4)
        self.colour_bar.axis.setWidth(None)  # room for the numbers and the label
        self.plotItem.layout.addItem(self.colour_bar, 2, 5)
        self.plotItem.layout.setContentsMargins(2, 2, 10, 2)  # the bar's label leans right
        # The title spans the colour bar too: as wide as the map alone, it would push the bar
        # out of a narrow window.
        layout = self.plotItem.layout
        layout.removeItem(self.plotItem.titleLabel)
        layout.addItem(self.plotItem.titleLabel, 0, 0, 1, 6)
        self.measure = measure
        self.labels: list[list[pg.TextItem]] = []
        self.texts: list[list[str]] = []
        self.colours = np.zeros((0, 0, 4), np.uint8)  # each cell's RGBA, as painted
        self.scene().sigMouseClicked.connect(self._clicked)
        self._shape = (0, 0)

    def show_grid(
        self, means: list[float], covs: list[float], values: np.ndarray, texts: list[list[str]]
    ) -> None:
        """``values`` colour the cells on 0.5..1 (NaN: not computed yet: grey, hatched, and
        its text is not shown)."""
        shape = (len(means), len(covs))
        values = np.asarray(values, dtype=float).reshape(shape)
        pending = np.isnan(values)
        self.colours = accuracy_colours(values)
        n = CELL_PIXELS
        image = np.repeat(np.repeat(self.colours, n, axis=0), n, axis=1)
        hatch = np.tile(_HATCH, shape) & np.repeat(np.repeat(pending, n, axis=0), n, axis=1)
        image[hatch] = (*PENDING_HATCH, 255)
        image[np.tile(_GAP, shape), 3] = 0  # the background shows between cells
        self.image.setImage(image, rect=(0, 0, shape[1], shape[0]))
        if shape != self._shape:
            self._shape = shape
            self.getAxis("left").setTicks([[(i + 0.5, f"{m:g}") for i, m in enumerate(means)]])
            self.getAxis("bottom").setTicks([[(j + 0.5, f"{c:g}") for j, c in enumerate(covs)]])
            self.labels = new_cell_labels(self, self.labels, shape)
        self.texts = [
            ["" if pending[i, j] else texts[i][j] for j in range(shape[1])] for i in range(shape[0])
        ]
        for i in range(shape[0]):
            for j in range(shape[1]):
                label = self.labels[i][j]
                label.setColor(text_colour(self.colours[i, j]))
                label.setText(self.texts[i][j])

    def _clicked(self, event) -> None:
        point = self.getViewBox().mapSceneToView(event.scenePos())
        row, column = int(np.floor(point.y())), int(np.floor(point.x()))
        if 0 <= row < self._shape[0] and 0 <= column < self._shape[1]:
            self.cell_clicked.emit(row, column)
