"""The network diagram: one heatmap tile per neuron, links coloured by sign, layers titled.

Layer l's neurons stand in column l under a title ("Input", "Hidden 1: 20 ReLU", ...,
"Output: softmax"); each tile shows that neuron's activation over the input plane (orange
positive, blue negative, white zero; outputs around probability 0.5). The view works in
widget pixels: tiles are as large as the dock allows (up to TILE_MAX), a layer too tall for
one column is laid out as a grid of columns (neurons numbered down, then across), and when
even TILE_MIN tiles do not fit, the diagram scrolls vertically under fixed titles.

Links are drawn under the opaque tiles: orange for positive weights, blue for negative (the
Okabe-Ito pair, apart for colour-blind eyes), fainter and thinner for smaller magnitudes;
beyond MAX_LINKS only the strongest are drawn. A bias is the small square on a tile's
bottom-left corner, coloured by sign. Hovering reads a neuron's bias or a drawn link's weight
and gradient (the hit test is arithmetic on the layout plus one vectorised distance over the
drawn links of at most two column gaps); clicking a link while paused asks for a new weight.
"""

from __future__ import annotations

import math
import re
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem, QScrollBar

from gui.appearance.palette import CLASS_COLOURS
from gui.views.network_layout import MARGIN, Layout, plan_layout
from model.network import NetworkSnapshot

BORDER_MIN = 20  # tiles at least this large get a one-pixel frame
BIAS_MIN = 24  # tiles at least this large show their bias square
HIT_PIXELS = 4.0  # how near (pixels) a link must be to be hovered
# Link strength bins: (pen width, opacity). One-pixel cosmetic pens draw many times faster
# than wide ones; weaker links are fainter instead of thinner.
WIDTH_BINS = ((1, 70), (1, 130), (1.5, 210), (3, 235))
LINK_SECONDS = 0.5  # drawing thousands of lines is the costly part: not at every snapshot
MAX_LINKS = 1500  # beyond this many, only the strongest are drawn (and hoverable)
BIAS_SHARES = (0.16, 0.24, 0.32)  # bias square's side, as a share of the tile, by |bias|
BIAS_ZERO = 5e-3  # smaller biases get no square (the fresh network's zeros among them)
POSITIVE, NEGATIVE = CLASS_COLOURS[1], CLASS_COLOURS[0]  # orange #E69F00, blue #0072B2
BORDER = (150, 150, 150, 255)
MISSING = (160, 160, 160, 255)  # a cell without a value (the network diverged)
SWATCH = '<span style="color:rgb{}">&#9632;</span>'
LEGEND = (  # the diagram's key, clause by clause (the later ones only where there is room)
    f"{SWATCH.format(POSITIVE)} positive &nbsp;{SWATCH.format(NEGATIVE)} negative: "
    "weights (lines, thicker when larger), neuron outputs (tiles, over the input plane), "
    "biases (corner squares)",
    "an output tile: P(class) in the class's colour",
    "hover to read; click a line while paused to edit its weight",
)
ACTIVATION_NAMES = {"relu": "ReLU", "tanh": "tanh", "sigmoid": "sigmoid"}
MAP_LUT = np.column_stack(  # value in [-1, 1] (256 steps) -> RGBA, white at 0
    [
        np.interp(np.linspace(-1, 1, 256), [-1, 0, 1], [NEGATIVE[c], 250, POSITIVE[c]])
        for c in range(3)
    ]
    + [np.full(256, 255.0)]
).astype(np.uint8)
# Output k's tile: P(class k) from 0 (white) to 1 (class k's colour, as in the boundary view).
OUTPUT_LUTS = np.stack(
    [
        np.column_stack(
            [np.interp(np.linspace(0, 1, 256), [0, 1], [250, colour[c]]) for c in range(3)]
            + [np.full(256, 255.0)]
        )
        for colour in CLASS_COLOURS
    ]
).astype(np.uint8)


def _resampler(size_in: int, size_out: int) -> np.ndarray:
    """(size_out, size_in) matrix: linear interpolation at the output pixels' centres (a box
    average when shrinking by a whole factor)."""
    centres = np.clip((np.arange(size_out) + 0.5) * size_in / size_out - 0.5, 0, size_in - 1)
    low = np.floor(centres).astype(int)
    high = np.minimum(low + 1, size_in - 1)
    frac = centres - low
    matrix = np.zeros((size_out, size_in))
    np.add.at(matrix, (np.arange(size_out), low), 1 - frac)
    np.add.at(matrix, (np.arange(size_out), high), frac)
    return matrix


def _plain(html: str) -> str:
    """The text a reader sees of a legend clause (for measuring it)."""
    return re.sub(r"<[^>]+>", "", html).replace("&nbsp;", " ").replace("&#9632;", "#")


def layer_titles(widths: list[int], activation: str) -> list[str]:
    """'Input', 'Hidden 1: 20 ReLU', ..., 'Output: softmax'."""
    name = ACTIVATION_NAMES.get(activation, activation)
    hidden = [f"Hidden {k}: {units} {name}" for k, units in enumerate(widths[1:-1], start=1)]
    return ["Input", *hidden, "Output: softmax"]


class NetworkView(pg.PlotWidget):
    link_clicked = Signal(int, int, int)  # layer, from, to
    neuron_hovered = Signal(int, int)  # layer, neuron (-1, -1: none)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setMenuEnabled(False)
        self.setAntialiasing(False)  # thousands of links: plain lines keep it fast
        self.hideAxis("left")
        self.hideAxis("bottom")
        item = self.getPlotItem()
        item.hideButtons()
        item.layout.setContentsMargins(0, 0, 0, 0)
        box = self.getViewBox()
        box.setMouseEnabled(False, False)
        box.enableAutoRange(enable=False)
        box.invertY(True)
        box.setDefaultPadding(0.0)
        self.snapshot: NetworkSnapshot | None = None
        self.plan: Layout | None = None
        self.scrolls = False
        self.columns: list[pg.ImageItem] = []  # one image per layer
        self.titles: list[pg.TextItem] = []
        self.link_items: list[pg.PlotCurveItem] = []
        for colour in (POSITIVE, NEGATIVE):
            for z, (width, alpha) in enumerate(WIDTH_BINS):
                pen = pg.mkPen(*colour, alpha, width=width)
                pen.setCosmetic(True)
                line = pg.PlotCurveItem(
                    pen=pen, connect="pairs", skipFiniteCheck=True, antialias=False
                )
                line.setZValue(1 + z)
                line.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
                self.addItem(line)
                self.link_items.append(line)
        self._brushes = {True: pg.mkBrush(*POSITIVE), False: pg.mkBrush(*NEGATIVE)}
        self.bias_item = pg.ScatterPlotItem(symbol="s", pen=pg.mkPen(255, 255, 255, 220))
        self.bias_item.setZValue(12)
        self.addItem(self.bias_item)
        self.highlight_link = pg.PlotCurveItem(pen=pg.mkPen(20, 20, 20, width=3))
        self.highlight_link.setZValue(8)  # over the links, under the tiles
        self.addItem(self.highlight_link)
        self.highlight_tile = QGraphicsRectItem()
        self.highlight_tile.setPen(pg.mkPen(20, 20, 20, width=2, cosmetic=True))
        self.highlight_tile.setZValue(14)
        self.highlight_tile.hide()
        self.addItem(self.highlight_tile)
        self.header = QGraphicsRectItem()  # the titles' band: tiles scroll under it
        self.header.setPen(QPen(Qt.PenStyle.NoPen))
        self.header.setZValue(20)
        self.addItem(self.header)
        self.footer = QGraphicsRectItem()  # the legend's band, likewise
        self.footer.setPen(QPen(Qt.PenStyle.NoPen))
        self.footer.setZValue(20)
        self.addItem(self.footer)
        self.legend = pg.TextItem(anchor=(0, 1))
        self.legend.setZValue(21)
        self.addItem(self.legend)
        self.placeholder = pg.TextItem(anchor=(0.5, 0.5))
        self.placeholder.setZValue(21)
        self.placeholder.hide()
        self.addItem(self.placeholder)
        self.readout = pg.TextItem(anchor=(0, 1), color=(20, 20, 20), fill=(255, 255, 255, 235))
        self.readout.setZValue(30)
        self.readout.hide()
        self.addItem(self.readout)
        self.title_font = QFont(self.font())
        self.title_font.setBold(True)
        self.legend_font = QFont(self.font())
        self.legend_font.setPointSizeF(max(7.0, self.font().pointSizeF() - 1))
        self.legend.setFont(self.legend_font)
        self.scrollbar = QScrollBar(Qt.Orientation.Vertical, self)
        self.scrollbar.hide()
        self.scrollbar.valueChanged.connect(self._apply_range)
        self._widths: list[int] = []
        self._titles: list[str] = []
        self._segments: list[np.ndarray] = []  # per column gap: (links, 2, 2), row-major (i, j)
        self._drawn: list[tuple[np.ndarray, np.ndarray]] = []  # per gap: flat indices, segments
        self._links_time = 0.0
        self._hovered = (-1, -1)
        self._footer = 0
        self.live = False  # while training plays, links and biases redraw twice a second
        box.sigResized.connect(self._relayout)
        self.scene().sigMouseClicked.connect(self._click)

    def setBackground(self, background) -> None:  # noqa: N802 (pyqtgraph's name)
        """A new theme: titles, legend and highlights take colours that show on it."""
        super().setBackground(background)
        if getattr(self, "plan", None) is not None:
            self._relayout()

    # ----- geometry -----
    def _size(self) -> tuple[float, float]:
        box = self.getViewBox()
        return box.width(), box.height()

    def node_centre(self, layer: int, index: int) -> tuple[float, float]:
        x, y = self.plan.origins(layer, index)
        half = self.plan.tiles[layer] / 2
        return float(x + half), float(y + half)

    def tile_rect(self, layer: int, index: int) -> QRectF:
        """The tile of neuron ``index`` of ``layer``, in view coordinates (pixels)."""
        x, y = self.plan.origins(layer, index)
        tile = float(self.plan.tiles[layer])
        return QRectF(float(x), float(y), tile, tile)

    def link_ends(self, layer: int, i: int, j: int) -> tuple[tuple, tuple]:
        """From the right edge of neuron i's tile to the left edge of neuron j's."""
        x0, y0 = self.node_centre(layer, i)
        x1, y1 = self.node_centre(layer + 1, j)
        tiles = self.plan.tiles
        return (x0 + tiles[layer] / 2, y0), (x1 - tiles[layer + 1] / 2, y1)

    def _link_geometry(self) -> list[np.ndarray]:
        """Per column gap, (links, 2, 2): start and end of every link, row-major (i, j)."""
        layout, tiles = self.plan, self.plan.tiles
        segments = []
        for layer in range(len(self._widths) - 1):
            xa, ya = layout.origins(layer)
            xb, yb = layout.origins(layer + 1)
            a = np.column_stack([xa + tiles[layer], ya + tiles[layer] / 2]).astype(float)
            b = np.column_stack([xb, yb + tiles[layer + 1] / 2]).astype(float)
            pairs = np.empty((len(a), len(b), 2, 2))
            pairs[:, :, 0] = a[:, None]
            pairs[:, :, 1] = b[None, :]
            segments.append(pairs.reshape(-1, 2, 2))
        return segments

    # ----- layout -----
    def _relayout(self, *_) -> None:
        """Fit the diagram to the view's size (pixels); called on resize and new shapes."""
        if not self._widths:
            self._apply_range()
            return
        width, height = self._size()
        if width <= 1 or height <= 1:
            return
        metrics = QFontMetrics(self.title_font)
        share = width / len(self._widths)
        lines = 1
        if any(metrics.horizontalAdvance(t) > share - 6 for t in self._titles):
            lines = 2  # 'Hidden 1:' over '20 ReLU'
        header = lines * metrics.height() + 8
        footer = QFontMetrics(self.legend_font).height() + 4
        layout, scrolls = plan_layout(self._widths, width, height, header, footer)
        if scrolls:  # room for the scroll bar
            width -= self.scrollbar.sizeHint().width()
            layout, scrolls = plan_layout(self._widths, width, height, header, footer)
        self.plan, self.scrolls, self._footer = layout, scrolls, footer
        ink = self._text_colour()
        self.highlight_link.setPen(pg.mkPen(ink, width=3))
        self.highlight_tile.setPen(pg.mkPen(ink, width=2, cosmetic=True))
        self._place_titles(lines, width)
        self._write_legend(width)
        self._segments = self._link_geometry()
        bar = self.scrollbar
        bar.setVisible(scrolls)
        if scrolls:
            hint = bar.sizeHint().width()
            bar.setGeometry(self.width() - hint - 1, 1, hint, self.height() - 2)
            bar.setRange(0, int(layout.height - height))
            bar.setPageStep(int(height))
            bar.setSingleStep(int(layout.tiles.min() + layout.gaps.min()))
            bar.raise_()
        else:
            bar.setValue(0)
        self._apply_range()
        if self.snapshot is not None:
            self._draw(self.snapshot, links=True)

    def _place_titles(self, lines: int, width: float) -> None:
        colour = self._text_colour()
        metrics = QFontMetrics(self.title_font)
        layout = self.plan
        for layer, (item, text) in enumerate(zip(self.titles, self._titles, strict=True)):
            shown = text.replace(": ", ":\n") if lines == 2 else text
            item.setText(shown, color=colour)
            item.setFont(self.title_font)
            half = max(metrics.horizontalAdvance(part) for part in shown.split("\n")) / 2
            centre = layout.x0[layer] + layout.block_size(layer)[0] / 2
            item.setPos(float(np.clip(centre, half + 2, width - half - 2)), 0.0)

    def _write_legend(self, width: float) -> None:
        """What the colours and lines mean, in as many of LEGEND's clauses as fit."""
        metrics = QFontMetrics(self.legend_font)
        shown: list[str] = []
        for clause in LEGEND:
            text = " · ".join([*shown, clause])
            if metrics.horizontalAdvance(_plain(text)) > width - 2 * MARGIN:
                break
            shown.append(clause)
        grey = "#b4b4b4" if self._text_colour().lightness() > 128 else "#505050"
        self.legend.setHtml(f'<span style="color:{grey}">{" · ".join(shown)}</span>')
        self.legend.setVisible(bool(self._widths))

    def _text_colour(self) -> QColor:
        background = self.backgroundBrush().color()
        return QColor(230, 230, 230) if background.lightness() < 128 else QColor(30, 30, 30)

    def _apply_range(self, *_) -> None:
        """One view unit is one pixel; the scroll bar moves the view down the diagram."""
        width, height = self._size()
        top = float(self.scrollbar.value()) if self.scrolls else 0.0
        self.getViewBox().setRange(
            xRange=(0, width), yRange=(top, top + height), padding=0, update=True
        )
        self.header.setBrush(self.backgroundBrush())
        header = self.plan.header if self.plan is not None and self._widths else 0
        self.header.setRect(QRectF(0, top, width, header))
        self.header.setVisible(self.scrolls)
        footer = self._footer if self.plan is not None and self._widths else 0
        self.footer.setBrush(self.backgroundBrush())
        self.footer.setRect(QRectF(0, top + height - footer, width, footer))
        self.footer.setVisible(self.scrolls)
        self.legend.setPos(MARGIN, top + height - 1)
        for item in self.titles:
            item.setY(top + 4)
        self.placeholder.setPos(width / 2, top + height / 2)

    def wheelEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if self.scrolls:
            self.scrollbar.setValue(
                self.scrollbar.value() - event.angleDelta().y() * self.scrollbar.singleStep() // 40
            )
            event.accept()
        else:
            event.ignore()

    # ----- drawing -----
    def show_snapshot(self, snapshot: NetworkSnapshot) -> None:
        self.snapshot = snapshot
        self.placeholder.hide()
        titles = layer_titles(snapshot.widths, snapshot.activation)
        if snapshot.widths != self._widths or titles != self._titles:
            self._rebuild(snapshot.widths, titles)  # draws
            return
        now = time.monotonic()
        self._draw(snapshot, links=now - self._links_time >= LINK_SECONDS or not self.live)

    def _draw(self, snapshot: NetworkSnapshot, links: bool) -> None:
        if self.plan is None:
            return
        for layer, maps in enumerate(snapshot.maps):
            x, y = self.plan.origins(layer, 0)
            w, h = self.plan.block_size(layer)
            self.columns[layer].setImage(
                self._layer_canvas(maps, layer), levels=(0, 255), rect=QRectF(x, y, w, h)
            )
        if links:
            self._links_time = time.monotonic()
            self._draw_links(snapshot)
            self._draw_biases(snapshot)

    def _rebuild(self, widths: list[int], titles: list[str]) -> None:
        for item in self.columns + self.titles:
            self.removeItem(item)
        self._widths, self._titles = list(widths), titles
        self.columns, self.titles, self.plan = [], [], None
        for _ in widths:
            image = pg.ImageItem(axisOrder="row-major")
            image.setZValue(10)
            self.addItem(image)
            self.columns.append(image)
            title = pg.TextItem(anchor=(0.5, 0))
            title.setZValue(21)
            self.addItem(title)
            self.titles.append(title)
        self._hide_hover()
        self._relayout()

    def _scaled(self, maps: np.ndarray, layer: int) -> np.ndarray:
        """Hidden and input maps in [-1, 1], each neuron by its own largest magnitude;
        outputs are probabilities, in [0, 1] as they are. NaN stays NaN (drawn grey)."""
        if layer == len(self._widths) - 1:
            return maps
        scale = np.nanmax(np.abs(maps), axis=(1, 2), keepdims=True) if maps.size else 1.0
        return maps / np.where(np.nan_to_num(scale) > 0, scale, 1.0)

    def _colours(self, values: np.ndarray, layer: int, units: np.ndarray) -> np.ndarray:
        """RGBA for scaled maps ``values`` (neurons ``units`` of ``layer``): blue, white,
        orange for hidden and inputs; white to the class's colour for output k."""
        missing = np.isnan(values)
        values = np.nan_to_num(values)
        if layer == len(self._widths) - 1:
            index = np.clip(values * 255, 0, 255).astype(np.uint8)
            colours = OUTPUT_LUTS[(units % len(OUTPUT_LUTS))[:, None, None], index]
        else:
            colours = MAP_LUT[np.clip((values + 1) * 127.5, 0, 255).astype(np.uint8)]
        colours[missing] = MISSING
        return colours

    def _layer_canvas(self, maps: np.ndarray, layer: int) -> np.ndarray:
        """One RGBA image per layer at screen resolution: its tiles in a grid (column by
        column) with transparent gaps. One image item per layer keeps 8 x 256 fast."""
        layout = self.plan
        tile, gap = int(layout.tiles[layer]), int(layout.gaps[layer])
        pitch = tile + gap
        resample = _resampler(maps.shape[1], tile)
        # Row 0 of a map is the plane's bottom edge; this view's y axis points down.
        values = resample @ self._scaled(maps, layer)[:, ::-1] @ resample.T
        tiles = self._colours(values, layer, np.arange(len(maps)))
        if tile >= BORDER_MIN:
            for edge in (tiles[:, 0], tiles[:, -1], tiles[:, :, 0], tiles[:, :, -1]):
                edge[:] = BORDER
        rows, cols = int(layout.rows[layer]), int(layout.cols[layer])
        padded = np.zeros((cols * rows, pitch, pitch, 4), dtype=np.uint8)
        padded[: len(tiles), :tile, :tile] = tiles
        canvas = padded.reshape(cols, rows, pitch, pitch, 4).transpose(1, 2, 0, 3, 4)
        canvas = canvas.reshape(rows * pitch, cols * pitch, 4)
        return np.ascontiguousarray(canvas[: rows * pitch - gap, : cols * pitch - gap])

    def neuron_map(self, layer: int, index: int) -> np.ndarray | None:
        """One neuron's RGBA map (row 0 at the plane's bottom), for the big view."""
        if self.snapshot is None:
            return None
        maps = self.snapshot.maps[layer]
        values = self._scaled(maps[index : index + 1], layer)
        return np.ascontiguousarray(self._colours(values, layer, np.array([index]))[0])

    def neuron_scale(self, layer: int, index: int) -> tuple[tuple[float, float], pg.ColorMap]:
        """The values a neuron's map spans and its colours, for a colour bar beside it:
        hidden and input neurons from -m to m (m its largest magnitude), outputs 0 to 1."""
        if layer == len(self._widths) - 1:
            lut = OUTPUT_LUTS[index % len(OUTPUT_LUTS)]
            values = (0.0, 1.0)
        else:
            lut = MAP_LUT
            magnitude = float(np.nanmax(np.abs(self.snapshot.maps[layer][index])))
            magnitude = magnitude if np.isfinite(magnitude) and magnitude > 0 else 1.0
            values = (-magnitude, magnitude)
        return values, pg.ColorMap(np.linspace(0, 1, len(lut)), lut)

    def _draw_links(self, snapshot: NetworkSnapshot) -> None:
        """One vectorised pass: links grouped by sign and strength, each group one item."""
        values = np.concatenate([w.ravel() for w in snapshot.weights])
        # A weight that is not a number (a run blowing up) has no line; hover still reads it.
        magnitude = np.where(np.isfinite(values), np.abs(values), 0.0)
        top = float(magnitude.max()) if len(values) else 1.0
        top = top or 1.0
        shown = magnitude > 0
        if len(values) > MAX_LINKS:  # only the strongest: thousands of lines are unreadable
            shown = np.zeros(len(values), dtype=bool)
            shown[np.argpartition(magnitude, -MAX_LINKS)[-MAX_LINKS:]] = True
        bins = np.minimum((magnitude / top * len(WIDTH_BINS)).astype(int), len(WIDTH_BINS) - 1)
        segments = np.concatenate(self._segments)
        for n, item in enumerate(self.link_items):
            positive = n < len(WIDTH_BINS)
            chosen = shown & ((values >= 0) == positive) & (bins == n % len(WIDTH_BINS))
            pairs = segments[chosen].reshape(-1, 2)
            item.setData(pairs[:, 0], pairs[:, 1], connect="pairs", skipFiniteCheck=True)
        self._drawn = []  # per gap: the drawn links' flat indices and segments, for hovering
        start = 0
        for gap in self._segments:
            flat = np.flatnonzero(shown[start : start + len(gap)])
            self._drawn.append((flat, gap[flat]))
            start += len(gap)

    def _draw_biases(self, snapshot: NetworkSnapshot) -> None:
        """Biases as squares by sign on each tile's bottom-left corner, in three sizes."""
        xs, ys, positive, sides = [], [], [], []
        for layer, bias in enumerate(snapshot.biases, start=1):
            tile = int(self.plan.tiles[layer])
            if tile < BIAS_MIN:  # too small to carry a square: hover reads the bias
                continue
            shown = np.abs(bias) >= BIAS_ZERO  # none at all: no square
            x, y = self.plan.origins(layer, np.flatnonzero(shown))
            xs.append(x + 1)
            ys.append(y + tile - 1)
            positive.append(bias[shown] > 0)
            magnitude = np.minimum(np.abs(bias[shown]), 1.0) * 4  # infinite: the largest
            size = np.minimum(magnitude, len(BIAS_SHARES) - 1).astype(int)
            sides.append(np.round(np.array(BIAS_SHARES) * tile)[size])
        if not xs:
            self.bias_item.setData([], [])
            return
        self.bias_item.setData(
            np.concatenate(xs),
            np.concatenate(ys),
            brush=[self._brushes[bool(p)] for p in np.concatenate(positive)],
            size=np.concatenate(sides),
        )

    def clear_snapshot(self) -> None:
        """Nothing to show (the perceptron has no hidden layers to draw): say so."""
        self.snapshot = None
        for item in self.columns + self.titles:
            self.removeItem(item)
        self.columns, self.titles = [], []
        self._widths, self._titles, self._drawn, self.plan = [], [], [], None
        for item in self.link_items:
            item.setData([], [])
        self.bias_item.setData([], [])
        self._hide_hover()
        self.scrolls = False
        self.scrollbar.hide()
        self.placeholder.setText(
            "The perceptron has no hidden layers to draw: its weights are the line in the "
            "boundary view.",
            color=self._text_colour(),
        )
        self.placeholder.show()
        self.legend.hide()
        self._apply_range()

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        """Every move is read (not the scene's signal, which drops moves closer than 10 ms
        and so may leave a stale read-out where the pointer stops)."""
        super().mouseMoveEvent(event)
        self._hover(self.mapToScene(event.position().toPoint()))

    def leaveEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().leaveEvent(event)
        self._hide_hover()

    def _hide_hover(self) -> None:
        self.readout.hide()
        self.highlight_link.setData([], [])
        self.highlight_tile.hide()
        self._set_hovered(-1, -1)

    def _set_hovered(self, layer: int, index: int) -> None:
        """Tell the window which neuron is hovered, only when that changes."""
        if (layer, index) != self._hovered:
            self._hovered = (layer, index)
            self.neuron_hovered.emit(layer, index)

    # ----- interaction -----
    def link_at(self, x: float, y: float) -> tuple[int, int, int] | None:
        """The drawn link nearest (x, y), within HIT_PIXELS: (layer, from, to) or None.

        Only the links of the (at most two) column gaps whose span contains x are measured,
        with one vectorised point-to-segment distance over the drawn ones."""
        best, found = HIT_PIXELS, None
        for layer, (flat, segments) in enumerate(self._drawn):
            if not len(flat):
                continue
            gap = self._segments[layer]
            if not gap[0, 0, 0] - 1 <= x <= gap[-1, 1, 0] + 1:
                continue
            a, b = segments[:, 0], segments[:, 1]
            d = b - a
            t = ((x - a[:, 0]) * d[:, 0] + (y - a[:, 1]) * d[:, 1]) / np.maximum(
                (d * d).sum(axis=1), 1e-12
            )
            t = np.clip(t, 0.0, 1.0)
            dx, dy = a[:, 0] + t * d[:, 0] - x, a[:, 1] + t * d[:, 1] - y
            distance = dx * dx + dy * dy
            nearest = int(np.argmin(distance))
            if distance[nearest] < best * best:
                best = math.sqrt(distance[nearest])
                i, j = divmod(int(flat[nearest]), self._widths[layer + 1])
                found = (layer, i, j)
        return found

    def describe_at(self, x: float, y: float) -> tuple[str, tuple | None]:
        """What is under view point (x, y): text, and ('node', l, i) or ('link', l, i, j)."""
        snap = self.snapshot
        if snap is None or self.plan is None:
            return "", None
        if self.scrolls and y < self.scrollbar.value() + self.plan.header:
            return "", None  # on the titles' band
        node = self.plan.tile_at(x, y)
        if node is not None:
            layer, index = node
            name = self.neuron_name(layer, index)
            if layer == 0:
                return name, ("node", layer, index)
            bias = snap.biases[layer - 1][index]
            return f"{name}\nbias {bias:.4f}", ("node", layer, index)
        link = self.link_at(x, y)
        if link is None:
            return "", None
        layer, i, j = link
        text = (
            f"{self.neuron_name(layer, i)} → {self.neuron_name(layer + 1, j)}\n"
            f"weight {snap.weights[layer][i, j]:.4f}\n"
            f"gradient {snap.weight_grads[layer][i, j]:.3g}"
        )
        return text, ("link", layer, i, j)

    def neuron_name(self, layer: int, index: int) -> str:
        if layer == 0:
            return f"input x{index + 1}"
        if layer == len(self._widths) - 1:
            return f"output (class {index})"
        return f"hidden layer {layer}, neuron {index + 1}"

    def _hover(self, position) -> None:
        point = self.getViewBox().mapSceneToView(position)
        x, y = point.x(), point.y()
        text, target = self.describe_at(x, y)
        if not text:
            self._hide_hover()
            return
        self.readout.setText(text)
        width, height = self._size()
        top = self.scrollbar.value() if self.scrolls else 0
        right, low = x > width * 0.6, y - top < height * 0.45
        self.readout.setAnchor((1 if right else 0, 0 if low else 1))
        self.readout.setPos(x + (-12 if right else 12), y + (12 if low else -12))
        self.readout.show()
        if target[0] == "node":
            self.highlight_link.setData([], [])
            self.highlight_tile.setRect(self.tile_rect(*target[1:]))
            self.highlight_tile.show()
            self._set_hovered(target[1], target[2])
        else:
            (ax, ay), (bx, by) = self.link_ends(*target[1:])
            self.highlight_link.setData([ax, bx], [ay, by])
            self.highlight_tile.hide()
            self._set_hovered(-1, -1)

    def hover_text(self) -> str:
        return self.readout.toPlainText() if self.readout.isVisible() else ""

    def _click(self, event) -> None:
        point = self.getViewBox().mapSceneToView(event.scenePos())
        _, target = self.describe_at(point.x(), point.y())
        if target is not None and target[0] == "link":
            self.link_clicked.emit(*target[1:])
