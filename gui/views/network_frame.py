"""What stays in place around the network diagram while its tiles scroll: one title above
each layer ("Input", "Hidden 1: 20 ReLU", ..., "Output: softmax"), the legend at the foot, the
bands behind them that keep scrolled tiles from showing through, and the placeholder said
when there is no diagram to draw.
"""

from __future__ import annotations

import re

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPen
from PySide6.QtWidgets import QGraphicsRectItem, QScrollBar

from gui.appearance.palette import NEGATIVE_COLOUR, POSITIVE_COLOUR
from gui.views.network_layout import MARGIN, Layout

SWATCH = '<span style="color:rgb{}">&#9632;</span>'
LEGEND = (  # the diagram's key, clause by clause (the later ones only where there is room)
    f"{SWATCH.format(POSITIVE_COLOUR)} positive (brown) &nbsp;"
    f"{SWATCH.format(NEGATIVE_COLOUR)} negative (violet)",
    "weights (lines, thicker when larger), neuron outputs (tiles, over the input plane), "
    "biases (corner squares)",
    "an output tile: P(class) in the class's colour (regression: the predicted value)",
    "hover to read; click a line while paused to edit its weight",
)
ACTIVATION_NAMES = {"relu": "ReLU", "tanh": "tanh", "sigmoid": "sigmoid", "linear": "linear"}


def _broken(title: str, lines: int) -> list[str]:
    """A layer's title on at most ``lines`` lines: whole, then broken after the colon, then
    its description broken at spaces too ('Output:' / 'predicted' / 'value')."""
    if lines <= 1:
        return [title]
    head, _, tail = title.partition(": ")
    if not tail:
        return [title]
    return [f"{head}:", tail] if lines == 2 else [f"{head}:", *tail.split(" ")]


def layer_titles(widths: list[int], activation: str, output: str = "") -> list[str]:
    """'Input', 'Hidden 1: 20 ReLU', ..., 'Output: softmax' (one output unit: a regression's
    'Output: predicted value', its identity output drawn like a hidden unit's map). ``output``:
    the output node's own activation, when it has one (a TensorFlow Playground classifier's
    one node: 'Output: tanh')."""
    name = ACTIVATION_NAMES.get(activation, activation)
    hidden = [f"Hidden {k}: {units} {name}" for k, units in enumerate(widths[1:-1], start=1)]
    if output:
        last = f"Output: {ACTIVATION_NAMES.get(output, output)}"
    else:
        last = "Output: softmax" if widths[-1] > 1 else "Output: predicted value"
    return ["Input", *hidden, last]


def _plain(html: str) -> str:
    """The text a reader sees of a legend clause (for measuring it)."""
    return re.sub(r"<[^>]+>", "", html).replace("&nbsp;", " ").replace("&#9632;", "#")


def fit_scrollbar(bar: QScrollBar, layout: Layout, scrolls: bool, height: float) -> None:
    """Along the right edge of its widget, spanning what the diagram has beyond the view's
    ``height`` pixels, while it ``scrolls``; otherwise hidden, at the top."""
    bar.setVisible(scrolls)
    if scrolls:
        widget, hint = bar.parentWidget(), bar.sizeHint().width()
        bar.setGeometry(widget.width() - hint - 1, 1, hint, widget.height() - 2)
        bar.setRange(0, int(layout.height - height))
        bar.setPageStep(int(height))
        bar.setSingleStep(int(layout.tiles.min() + layout.gaps.min()))
        bar.raise_()
    else:
        bar.setValue(0)


def _band() -> QGraphicsRectItem:
    band = QGraphicsRectItem()
    band.setPen(QPen(Qt.PenStyle.NoPen))
    band.setZValue(20)
    return band


class DiagramFrame:
    """The titles, legend, bands and placeholder of one plot, in its pixel coordinates."""

    def __init__(self, plot: pg.PlotWidget) -> None:
        self.plot = plot
        self.header = _band()  # the titles' band: tiles scroll under it
        plot.addItem(self.header)
        self.footer = _band()  # the legend's band, likewise
        plot.addItem(self.footer)
        self.legend = pg.TextItem(anchor=(0, 1))
        self.legend.setZValue(21)
        plot.addItem(self.legend)
        self.placeholder = pg.TextItem(anchor=(0.5, 0.5))
        self.placeholder.setZValue(21)
        self.placeholder.hide()
        plot.addItem(self.placeholder)
        self.titles: list[pg.TextItem] = []  # one per layer
        self.texts: list[str] = []
        self.set_font(plot.font())

    def set_font(self, font: QFont) -> None:
        """Titles in ``font``, bold, the legend a point smaller, the placeholder's words in
        it (the view's font: larger while presenting); ``place`` puts the titles in it."""
        self.title_font = QFont(font)
        self.title_font.setBold(True)
        self.legend_font = QFont(font)
        self.legend_font.setPointSizeF(max(7.0, font.pointSizeF() - 1))
        self.legend.setFont(self.legend_font)
        self.placeholder.setFont(QFont(font))

    def set_titles(self, texts: list[str]) -> None:
        """One title item per layer (placed by ``place``)."""
        self.clear_titles()
        self.texts = list(texts)
        for _ in texts:
            title = pg.TextItem(anchor=(0.5, 0))
            title.setZValue(21)
            self.plot.addItem(title)
            self.titles.append(title)

    def clear_titles(self) -> None:
        """Remove every title item from the plot."""
        for item in self.titles:
            self.plot.removeItem(item)
        self.titles, self.texts = [], []

    def bands(self, width: float) -> tuple[int, int, int]:
        """(title lines, header height, footer height) in pixels for a ``width``-pixel view:
        titles too wide for their layer's share break after the colon."""
        metrics = QFontMetrics(self.title_font)
        share = width / len(self.texts)
        lines = 1
        for t in self.texts:
            for n in (1, 2, 3):
                if all(metrics.horizontalAdvance(part) <= share - 6 for part in _broken(t, n)):
                    break
            lines = max(lines, n)  # 'Hidden 1:' over '20 ReLU'; 'predicted' over 'value'
        footer = QFontMetrics(self.legend_font).height() + 4
        return lines, lines * metrics.height() + 8, footer

    def place(self, layout: Layout, lines: int, width: float, ink: QColor) -> None:
        """Each title centred over its layer (kept inside the view), and the legend."""
        metrics = QFontMetrics(self.title_font)
        for layer, (item, text) in enumerate(zip(self.titles, self.texts, strict=True)):
            shown = "\n".join(_broken(text, lines))
            item.setText(shown, color=ink)
            item.setFont(self.title_font)
            half = max(metrics.horizontalAdvance(part) for part in shown.split("\n")) / 2
            centre = layout.x0[layer] + layout.block_size(layer)[0] / 2
            item.setPos(float(np.clip(centre, half + 2, width - half - 2)), 0.0)
        self._write_legend(width, ink)

    def _write_legend(self, width: float, ink: QColor) -> None:
        """What the colours and lines mean, in as many of LEGEND's clauses as fit."""
        metrics = QFontMetrics(self.legend_font)
        shown: list[str] = []
        for clause in LEGEND:
            text = " · ".join([*shown, clause])
            if metrics.horizontalAdvance(_plain(text)) > width - 2 * MARGIN:
                break
            shown.append(clause)
        grey = "#b4b4b4" if ink.lightness() > 128 else "#505050"
        self.legend.setHtml(f'<span style="color:{grey}">{" · ".join(shown)}</span>')
        self.legend.setVisible(bool(self.texts))

    def follow(
        self, top: float, size: tuple[float, float], bands: tuple[int, int], scrolls: bool
    ) -> None:
        """Keep the frame in sight of the view showing ``size`` pixels from ``top`` down;
        ``bands`` are the header's and footer's heights, drawn only while it scrolls."""
        (width, height), (header, footer) = size, bands
        background: QBrush = self.plot.backgroundBrush()
        self.header.setBrush(background)
        self.header.setRect(QRectF(0, top, width, header))
        self.header.setVisible(scrolls)
        self.footer.setBrush(background)
        self.footer.setRect(QRectF(0, top + height - footer, width, footer))
        self.footer.setVisible(scrolls)
        self.legend.setPos(MARGIN, top + height - 1)
        for item in self.titles:
            item.setY(top + 4)
        self.placeholder.setPos(width / 2, top + height / 2)

    def say(self, text: str, ink: QColor) -> None:
        """No diagram: ``text`` in its place, no titles and no legend."""
        self.clear_titles()
        self.placeholder.setText(text, color=ink)
        self.placeholder.show()
        self.legend.hide()
