"""The network diagram: one small heatmap per neuron, links by sign and strength.

Layer l's neurons stand in column l; each node shows that neuron's activation over the input
plane. Links are orange for positive weights, blue for negative, wider for larger magnitudes
(drawn as a few line items grouped by width, not one item per link). A bias is the small
square at a node's left edge, coloured by sign. Hovering reads a neuron's bias or a link's
weight and gradient; clicking a link while paused asks for a new weight.
"""

from __future__ import annotations

import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Signal
from PySide6.QtWidgets import QGraphicsItem

from gui.palette import CLASS_COLOURS
from model.network import NetworkSnapshot

COLUMN_GAP = 3.0  # the least distance between layers; more when the view is wide
MAX_COLUMN_GAP = 14.0
ROW_GAP = 1.25  # x 24 pixels per node: a whole number of pixels between neurons
NODE = 1.0
# Link strength bins: (pen width, opacity). Thin pens are 'cosmetic' one-pixel lines, which
# Qt draws many times faster than wide ones; weaker links are fainter instead of thinner.
WIDTH_BINS = ((1, 60), (1, 120), (1, 220), (2.5, 230))
LINK_SECONDS = 0.5  # drawing thousands of lines is the costly part: not at every snapshot
MAX_LINKS = 1500  # beyond this many, only the strongest are drawn (all stay hoverable)
BIAS_SIZES = (4, 7, 10)
POSITIVE, NEGATIVE = CLASS_COLOURS[1], CLASS_COLOURS[0]
MAP_LUT = np.column_stack(  # value in [-1, 1] (256 steps) -> RGBA, white at 0
    [
        np.interp(np.linspace(-1, 1, 256), [-1, 0, 1], [NEGATIVE[c], 250, POSITIVE[c]])
        for c in range(3)
    ]
    + [np.full(256, 255.0)]
).astype(np.uint8)


class NetworkView(pg.PlotWidget):
    link_clicked = Signal(int, int, int)  # layer, from, to
    neuron_hovered = Signal(int, int)  # layer, neuron (-1, -1: none)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setMenuEnabled(False)
        self.setAntialiasing(False)  # thousands of links: plain lines keep it fast
        self._brushes = {True: pg.mkBrush(*POSITIVE), False: pg.mkBrush(*NEGATIVE)}
        self.hideAxis("left")
        self.hideAxis("bottom")
        self.setAspectLocked(True)
        self.getViewBox().invertY(True)
        self.snapshot: NetworkSnapshot | None = None
        self.columns: list[pg.ImageItem] = []  # one image per layer
        self.link_items: list[pg.PlotCurveItem] = []
        self.bias_item = pg.ScatterPlotItem(symbol="s", size=7, pen=None)
        self.bias_item.setZValue(5)
        self.addItem(self.bias_item)
        self.readout = pg.TextItem(anchor=(0, 1), color=(20, 20, 20), fill=(255, 255, 255, 230))
        self.readout.setZValue(30)
        self.readout.hide()
        self.addItem(self.readout, ignoreBounds=True)
        self._widths: list[int] = []
        self.column_gap = COLUMN_GAP
        self._links_time = 0.0
        self.live = False  # while training plays, links and biases redraw twice a second
        self.scene().sigMouseMoved.connect(self._hover)
        self.scene().sigMouseClicked.connect(self._click)

    # ----- geometry -----
    def node_centre(self, layer: int, index: int) -> tuple[float, float]:
        count = self._widths[layer]
        tallest = max(self._widths)
        top = (tallest - count) * ROW_GAP / 2
        return layer * self.column_gap, top + index * ROW_GAP

    def link_ends(self, layer: int, i: int, j: int) -> tuple[tuple, tuple]:
        x0, y0 = self.node_centre(layer, i)
        x1, y1 = self.node_centre(layer + 1, j)
        return (x0 + NODE / 2, y0), (x1 - NODE / 2, y1)

    # ----- drawing -----
    def show_snapshot(self, snapshot: NetworkSnapshot) -> None:
        self.snapshot = snapshot
        rebuilt = snapshot.widths != self._widths
        if rebuilt:
            self._rebuild(snapshot.widths)
        for layer, maps in enumerate(snapshot.maps):
            x, top = self.node_centre(layer, 0)
            _, bottom = self.node_centre(layer, len(maps) - 1)
            self.columns[layer].setImage(
                self._column_image(maps, layer),
                levels=(0, 255),
                rect=QRectF(x - NODE / 2, top - NODE / 2, NODE, bottom - top + NODE),
            )
        now = time.monotonic()
        if rebuilt or now - self._links_time >= LINK_SECONDS or not self.live:
            self._links_time = now
            self._draw_links(snapshot)
            self._draw_biases(snapshot)

    def _column_image(self, maps: np.ndarray, layer: int) -> np.ndarray:
        """One RGBA image per layer: its neurons' maps stacked with transparent gaps.

        One image item per layer rather than per neuron keeps a 6 x 32 network fast.
        """
        units, size = maps.shape[0], maps.shape[1]
        # Row 0 of a map is the plane's bottom edge; this view's y axis points down.
        tiles = self._map_colours(maps, layer)[:, ::-1]  # (units, size, size, 4)
        pitch = round(size * ROW_GAP / NODE)
        canvas = np.zeros((pitch * (units - 1) + size, size, 4), dtype=np.uint8)
        for unit in range(units):
            canvas[unit * pitch : unit * pitch + size] = tiles[unit]
        return canvas

    def _map_colours(self, maps: np.ndarray, layer: int) -> np.ndarray:
        """RGBA maps: each hidden neuron scaled by its own largest magnitude, outputs around
        probability 0.5, inputs by their range."""
        if layer == len(self._widths) - 1:  # probabilities: 0.5 is neutral
            scaled = 2 * maps - 1
        else:
            scale = np.max(np.abs(maps), axis=(1, 2), keepdims=True)
            scaled = maps / np.where(scale > 0, scale, 1.0)
        index = np.clip((np.nan_to_num(scaled) + 1) * 127.5, 0, 255).astype(np.uint8)
        return MAP_LUT[index]

    def neuron_map(self, layer: int, index: int) -> np.ndarray | None:
        """One neuron's RGBA map (row 0 at the plane's bottom), for the big view."""
        if self.snapshot is None:
            return None
        maps = self.snapshot.maps[layer]
        return np.ascontiguousarray(self._map_colours(maps, layer)[index])

    def _fitting_gap(self, widths: list[int]) -> float:
        """The distance between layers that fills the view's width at its height's scale."""
        if len(widths) < 2 or self.height() <= 0:
            return COLUMN_GAP
        height = (max(widths) - 1) * ROW_GAP + 2
        wide = height * self.width() / self.height() - 2
        return float(np.clip(wide / (len(widths) - 1), COLUMN_GAP, MAX_COLUMN_GAP))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        widths, snapshot = getattr(self, "_widths", None), getattr(self, "snapshot", None)
        if widths and snapshot is not None:  # (pyqtgraph resizes before __init__ is done)
            gap = self._fitting_gap(widths)
            if abs(gap - self.column_gap) > 0.1 * self.column_gap:
                self._widths = []  # lay the network out again for the new shape
                self.show_snapshot(snapshot)

    def _rebuild(self, widths: list[int]) -> None:
        for item in self.columns:
            self.removeItem(item)
        self._widths = list(widths)
        self.column_gap = self._fitting_gap(self._widths)
        self.columns = []
        for _ in widths:
            item = pg.ImageItem(axisOrder="row-major")
            item.setZValue(10)
            self.addItem(item)
            self.columns.append(item)
        for item in self.link_items:
            self.removeItem(item)
        self.link_items = []
        for colour in (POSITIVE, NEGATIVE):
            for width, alpha in WIDTH_BINS:
                pen = pg.mkPen(*colour, alpha, width=width)
                pen.setCosmetic(True)
                item = pg.PlotCurveItem(pen=pen, connect="pairs")
                item.setZValue(1)
                item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
                self.addItem(item)
                self.link_items.append(item)
        self._segments = self._link_geometry()
        height = (max(widths) - 1) * ROW_GAP
        self.setRange(
            xRange=(-1, (len(widths) - 1) * self.column_gap + 1),
            yRange=(-1, height + 1),
            padding=0.02,
        )

    def _link_geometry(self) -> np.ndarray:
        """(links, 2, 2): start and end of every link, layer by layer, row-major (i, j)."""
        segments = []
        for layer in range(len(self._widths) - 1):
            for i in range(self._widths[layer]):
                for j in range(self._widths[layer + 1]):
                    segments.append(self.link_ends(layer, i, j))
        return np.array(segments, dtype=float).reshape(-1, 2, 2)

    def _draw_links(self, snapshot: NetworkSnapshot) -> None:
        """One vectorised pass: links grouped by sign and width, each group one line item."""
        values = np.concatenate([w.ravel() for w in snapshot.weights])
        top = float(np.abs(values).max()) or 1.0
        if len(values) > MAX_LINKS:  # hide the weakest: thousands of lines are unreadable
            threshold = np.partition(np.abs(values), -MAX_LINKS)[-MAX_LINKS]
            shown = np.abs(values) >= threshold
        else:
            shown = np.ones(len(values), dtype=bool)
        bins = np.minimum((np.abs(values) / top * len(WIDTH_BINS)).astype(int), len(WIDTH_BINS) - 1)
        for n, item in enumerate(self.link_items):
            positive = n < len(WIDTH_BINS)
            chosen = ((values >= 0) == positive) & shown
            chosen &= bins == n % len(WIDTH_BINS)
            pairs = self._segments[chosen].reshape(-1, 2)
            item.setData(pairs[:, 0], pairs[:, 1])

    def _draw_biases(self, snapshot: NetworkSnapshot) -> None:
        """Biases as squares by sign, in three sizes (few distinct symbols render fast)."""
        xs, ys, brushes, sizes = [], [], [], []
        for layer, bias in enumerate(snapshot.biases, start=1):
            for index, value in enumerate(bias):
                x, y = self.node_centre(layer, index)
                xs.append(x - NODE / 2 - 0.15)
                ys.append(y)
                brushes.append(self._brushes[value >= 0])
                sizes.append(BIAS_SIZES[min(int(abs(value) * 4), len(BIAS_SIZES) - 1)])
        self.bias_item.setData(xs, ys, brush=brushes, size=sizes)

    def clear_snapshot(self) -> None:
        """Nothing to show (the perceptron has no hidden layers to draw): empty the view."""
        self.snapshot = None
        for item in self.columns:
            item.clear()
        for item in self.link_items:
            item.setData([], [])
        self.bias_item.setData([], [])
        self.readout.hide()

    def leaveEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().leaveEvent(event)
        self.readout.hide()
        self.neuron_hovered.emit(-1, -1)

    # ----- interaction -----
    def describe_at(self, x: float, y: float) -> tuple[str, tuple | None]:
        """What is under view point (x, y): text, and ('node', l, i) or ('link', l, i, j)."""
        snap = self.snapshot
        if snap is None:
            return "", None
        for layer, count in enumerate(self._widths):
            for index in range(count):
                cx, cy = self.node_centre(layer, index)
                if abs(x - cx) <= NODE / 2 and abs(y - cy) <= NODE / 2:
                    name = self.neuron_name(layer, index)
                    if layer == 0:
                        return name, ("node", layer, index)
                    bias = snap.biases[layer - 1][index]
                    return f"{name}\nbias {bias:.4f}", ("node", layer, index)
        best, found = 0.25, None
        for layer, w in enumerate(snap.weights):
            (x0, _), (x1, _) = self.link_ends(layer, 0, 0)
            if not x0 <= x <= x1:
                continue
            for i in range(w.shape[0]):
                for j in range(w.shape[1]):
                    (ax, ay), (bx, by) = self.link_ends(layer, i, j)
                    t = (x - ax) / (bx - ax)
                    distance = abs(y - (ay + t * (by - ay)))
                    if distance < best:
                        best, found = distance, (layer, i, j)
        if found is None:
            return "", None
        layer, i, j = found
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
        text, target = self.describe_at(point.x(), point.y())
        if not text:
            self.readout.hide()
            self.neuron_hovered.emit(-1, -1)
            return
        self.readout.setText(text)
        self.readout.setPos(point.x() + 0.2, point.y() - 0.2)
        self.readout.show()
        if target[0] == "node":
            self.neuron_hovered.emit(target[1], target[2])

    def hover_text(self) -> str:
        return self.readout.toPlainText() if self.readout.isVisible() else ""

    def _click(self, event) -> None:
        point = self.getViewBox().mapSceneToView(event.scenePos())
        _, target = self.describe_at(point.x(), point.y())
        if target is not None and target[0] == "link":
            self.link_clicked.emit(*target[1:])
