"""The names of the network diagram's inputs, beside their tiles: x1, x2, x1², sin(x1), ...

As in TensorFlow Playground, each input tile is one chosen feature over the plane, named at
its left in a band the view keeps free for the longest name. The names scroll with the tiles.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QColor, QFont, QFontMetrics

from gui.views.network_layout import Layout

GAP = 4  # pixels between a name and its tile


class InputLabels:
    """One text item per input of one plot, placed at the left of its tile."""

    def __init__(self, plot: pg.PlotWidget) -> None:
        self.plot = plot
        self.font = QFont(plot.font())
        self.items: list[pg.TextItem] = []
        self.texts: tuple[str, ...] = ()

    def set_font(self, font: QFont) -> None:
        """The names in ``font`` (the view's: larger while presenting)."""
        self.font = QFont(font)
        for item in self.items:
            item.setFont(self.font)

    def set_texts(self, texts: tuple[str, ...]) -> None:
        """One item per name (placed by ``place``)."""
        self.clear()
        self.texts = tuple(texts)
        for _ in texts:
            item = pg.TextItem(anchor=(1, 0.5))
            item.setFont(self.font)
            item.setZValue(9)  # over the links, under the bands that hide scrolled tiles
            self.plot.addItem(item)
            self.items.append(item)

    def clear(self) -> None:
        for item in self.items:
            self.plot.removeItem(item)
        self.items, self.texts = [], ()

    def band(self) -> int:
        """The width (pixels) the names need at the diagram's left, 0 with none."""
        if not self.texts:
            return 0
        metrics = QFontMetrics(self.font)
        return max(metrics.horizontalAdvance(text) for text in self.texts) + 2 * GAP

    def place(self, layout: Layout, ink: QColor) -> None:
        """Each name right-aligned at the left of its input tile, centred on it."""
        xs, ys = layout.origins(0)
        half = layout.tiles[0] / 2
        for item, text, x, y in zip(self.items, self.texts, xs, ys, strict=True):
            item.setText(text, color=ink)
            item.setPos(float(x - GAP), float(y + half))
