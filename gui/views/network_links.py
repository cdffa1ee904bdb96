"""The network diagram's links and bias squares, and which links are drawn (for hovering).

Links stand under the opaque tiles: brown for positive weights, violet for negative (the
signs' pair in palette.py, apart for colour-blind eyes and from every class colour), fainter
and thicker by strength bins; beyond MAX_LINKS only the strongest are drawn, since thousands
of lines are unreadable. A bias is a small square on a tile's bottom-left corner, coloured by
sign, in three sizes by magnitude.

All links are one item (``LinkLines``), recorded as one picture when they change and painted
by Qt in a single call: the window's thread returns to Python (and may wait there for the
GIL, which training holds in long NumPy calls) once a paint, not at every pen. Eight curve
items, one a pen, each with a cached image of the whole diagram, cost 70 to 110 ms of the
window's thread at every new size, for 1,500 links.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QPen, QPicture

from gui.appearance.palette import NEGATIVE_COLOUR, POSITIVE_COLOUR
from gui.views.network_layout import Layout
from model.nn.network_snapshot import NetworkSnapshot

BIAS_MIN = 24  # tiles at least this large show their bias square
# Link strength bins: (pen width, opacity). One-pixel cosmetic pens draw many times faster
# than wide ones; weaker links are fainter instead of thinner.
WIDTH_BINS = ((1, 70), (1, 130), (1.5, 210), (3, 235))
MAX_LINKS = 1500  # beyond this many, only the strongest are drawn (and hoverable)
BIAS_SHARES = (0.16, 0.24, 0.32)  # bias square's side, as a share of the tile, by |bias|
BIAS_ZERO = 5e-3  # smaller biases get no square (the fresh network's zeros among them)


def link_segments(layout: Layout) -> list[np.ndarray]:
    """Per column gap, (links, 2, 2): from the right edge of neuron i's tile to the left edge
    of neuron j's, every link, row-major (i, j)."""
    tiles = layout.tiles
    segments = []
    for layer in range(len(layout.widths) - 1):
        xa, ya = layout.origins(layer)
        xb, yb = layout.origins(layer + 1)
        a = np.column_stack([xa + tiles[layer], ya + tiles[layer] / 2]).astype(float)
        b = np.column_stack([xb, yb + tiles[layer + 1] / 2]).astype(float)
        pairs = np.empty((len(a), len(b), 2, 2))
        pairs[:, :, 0] = a[:, None]
        pairs[:, :, 1] = b[None, :]
        segments.append(pairs.reshape(-1, 2, 2))
    return segments


class LinkLines(pg.GraphicsObject):
    """Lines in groups, each group with its pen, the last on top: recorded once as a
    picture and painted by Qt in one call (not cached as an image: drawing 1,500
    translucent lines into a transparent image takes ten times as long as drawing them)."""

    def __init__(self) -> None:
        super().__init__()
        self.groups: list[tuple[QPen, np.ndarray]] = []  # pen, segments (k, 2, 2)
        self._picture = QPicture()
        self._bounds = QRectF()

    def set_groups(self, groups: list[tuple[QPen, np.ndarray]]) -> None:
        """Draw these segments, each group with its pen (all cosmetic)."""
        self.prepareGeometryChange()
        self.groups = groups
        self._picture = QPicture()
        painter = QPainter(self._picture)
        ends = []
        for pen, segments in groups:
            if len(segments):
                points = segments.reshape(-1, 2)
                painter.setPen(pen)
                painter.drawPath(pg.arrayToQPath(points[:, 0], points[:, 1], connect="pairs"))
                ends.append(points)
        painter.end()
        if ends:
            points = np.concatenate(ends)
            (x0, y0), (x1, y1) = points.min(axis=0), points.max(axis=0)
            pad = max(pen.widthF() for pen, _ in groups)  # cosmetic: pixels, as view units
            self._bounds = QRectF(x0 - pad, y0 - pad, x1 - x0 + 2 * pad, y1 - y0 + 2 * pad)
        else:
            self._bounds = QRectF()
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt's name)
        return QRectF(self._bounds)

    def paint(self, painter: QPainter, *_) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.drawPicture(0, 0, self._picture)


class LinkLayer:
    """The link and bias items of one plot, and the links last drawn: per column gap, their
    flat indices (row-major (i, j)) and segments, which hovering measures."""

    def __init__(self, plot: pg.PlotWidget) -> None:
        self.pens: list[QPen] = []  # by sign, then strength bin
        for colour in (POSITIVE_COLOUR, NEGATIVE_COLOUR):
            for width, alpha in WIDTH_BINS:
                pen = pg.mkPen(*colour, alpha, width=width)
                pen.setCosmetic(True)
                self.pens.append(pen)
        self.lines = LinkLines()
        self.lines.setZValue(1)
        plot.addItem(self.lines)
        self._brushes = {True: pg.mkBrush(*POSITIVE_COLOUR), False: pg.mkBrush(*NEGATIVE_COLOUR)}
        self.bias_item = pg.ScatterPlotItem(symbol="s", pen=pg.mkPen(255, 255, 255, 220))
        self.bias_item.setZValue(12)
        plot.addItem(self.bias_item)
        self.segments: list[np.ndarray] = []  # per column gap: every link, see link_segments
        self.drawn: list[tuple[np.ndarray, np.ndarray]] = []  # per gap: flat indices, segments

    def place(self, layout: Layout) -> None:
        """Where every link runs in a new layout (drawn at the next ``draw``)."""
        self.segments = link_segments(layout)

    def draw(self, snapshot: NetworkSnapshot, layout: Layout) -> None:
        """Links and biases of ``snapshot`` in ``layout`` (placed before by ``place``)."""
        self._draw_links(snapshot)
        self._draw_biases(snapshot, layout)

    def clear(self) -> None:
        """No diagram: no links, no biases, nothing to hover."""
        self.segments, self.drawn = [], []
        self.lines.set_groups([])
        self.bias_item.setData([], [])

    def _draw_links(self, snapshot: NetworkSnapshot) -> None:
        """One vectorised pass: links grouped by strength and sign, weaker under stronger."""
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
        segments = np.concatenate(self.segments)
        groups = []
        for n in range(len(WIDTH_BINS)):
            for sign, positive in enumerate((True, False)):
                chosen = shown & ((values >= 0) == positive) & (bins == n)
                groups.append((self.pens[sign * len(WIDTH_BINS) + n], segments[chosen]))
        self.lines.set_groups(groups)
        self.drawn = []
        start = 0
        for gap in self.segments:
            flat = np.flatnonzero(shown[start : start + len(gap)])
            self.drawn.append((flat, gap[flat]))
            start += len(gap)

    def _draw_biases(self, snapshot: NetworkSnapshot, layout: Layout) -> None:
        """Biases as squares by sign on each tile's bottom-left corner, in three sizes."""
        xs, ys, positive, sides = [], [], [], []
        for layer, bias in enumerate(snapshot.biases, start=1):
            tile = int(layout.tiles[layer])
            if tile < BIAS_MIN:  # too small to carry a square: hover reads the bias
                continue
            shown = np.abs(bias) >= BIAS_ZERO  # none at all: no square
            x, y = layout.origins(layer, np.flatnonzero(shown))
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
