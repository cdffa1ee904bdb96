"""The network diagram: one small heatmap per neuron, links by sign and strength.

Layer l's neurons stand in column l; each node shows that neuron's activation over the input
plane. Links are orange for positive weights, blue for negative, wider for larger magnitudes
(drawn as a few line items grouped by width, not one item per link). A bias is the small
square at a node's left edge, coloured by sign. Hovering reads a neuron's bias or a link's
weight and gradient; clicking a link while paused asks for a new weight.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Signal
from PySide6.QtWidgets import QGraphicsItem

from gui.palette import CLASS_COLOURS
from model.network import NetworkSnapshot

COLUMN_GAP = 3.0
ROW_GAP = 1.3
NODE = 1.0
WIDTH_BINS = (0.6, 1.2, 2.2, 3.5)
POSITIVE, NEGATIVE = CLASS_COLOURS[1], CLASS_COLOURS[0]
MAP_LUT = np.array(
    [
        np.interp(np.linspace(-1, 1, 256), [-1, 0, 1], [NEGATIVE[c], 250, POSITIVE[c]])
        for c in range(3)
    ]
).T.astype(np.uint8)


class NetworkView(pg.PlotWidget):
    link_clicked = Signal(int, int, int)  # layer, from, to
    neuron_hovered = Signal(int, int)  # layer, neuron (-1, -1: none)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setMenuEnabled(False)
        self.hideAxis("left")
        self.hideAxis("bottom")
        self.setAspectLocked(True)
        self.getViewBox().invertY(True)
        self.snapshot: NetworkSnapshot | None = None
        self.nodes: list[list[pg.ImageItem]] = []
        self.link_items: list[pg.PlotCurveItem] = []
        self.bias_item = pg.ScatterPlotItem(symbol="s", size=7, pen=None)
        self.bias_item.setZValue(5)
        self.addItem(self.bias_item)
        self.readout = pg.TextItem(anchor=(0, 1), color=(20, 20, 20), fill=(255, 255, 255, 230))
        self.readout.setZValue(30)
        self.readout.hide()
        self.addItem(self.readout, ignoreBounds=True)
        self._widths: list[int] = []
        self.scene().sigMouseMoved.connect(self._hover)
        self.scene().sigMouseClicked.connect(self._click)

    # ----- geometry -----
    def node_centre(self, layer: int, index: int) -> tuple[float, float]:
        count = self._widths[layer]
        tallest = max(self._widths)
        top = (tallest - count) * ROW_GAP / 2
        return layer * COLUMN_GAP, top + index * ROW_GAP

    def link_ends(self, layer: int, i: int, j: int) -> tuple[tuple, tuple]:
        x0, y0 = self.node_centre(layer, i)
        x1, y1 = self.node_centre(layer + 1, j)
        return (x0 + NODE / 2, y0), (x1 - NODE / 2, y1)

    # ----- drawing -----
    def show_snapshot(self, snapshot: NetworkSnapshot) -> None:
        self.snapshot = snapshot
        if snapshot.widths != self._widths:
            self._rebuild(snapshot.widths)
        for layer, maps in enumerate(snapshot.maps):
            for index, item in enumerate(self.nodes[layer]):
                x, y = self.node_centre(layer, index)
                # Row 0 of a map is the plane's bottom edge; this view's y axis points down.
                item.setImage(
                    self._colours(maps[index][::-1], layer),
                    levels=(0, 255),
                    rect=QRectF(x - NODE / 2, y - NODE / 2, NODE, NODE),
                )
        self._draw_links(snapshot)
        self._draw_biases(snapshot)

    def _colours(self, values: np.ndarray, layer: int) -> np.ndarray:
        if layer == len(self._widths) - 1:  # probabilities: 0.5 is neutral
            scaled = 2 * values - 1
        else:
            scale = np.max(np.abs(values)) or 1.0
            scaled = values / scale
        index = np.clip((np.nan_to_num(scaled) + 1) * 127.5, 0, 255).astype(np.uint8)
        return MAP_LUT[index]

    def _rebuild(self, widths: list[int]) -> None:
        for column in self.nodes:
            for item in column:
                self.removeItem(item)
        self._widths = list(widths)
        self.nodes = []
        for count in widths:
            column = [pg.ImageItem(axisOrder="row-major") for _ in range(count)]
            for item in column:
                item.setZValue(10)
                self.addItem(item)
            self.nodes.append(column)
        for item in self.link_items:
            self.removeItem(item)
        self.link_items = []
        for colour in (POSITIVE, NEGATIVE):
            for width in WIDTH_BINS:
                item = pg.PlotCurveItem(pen=pg.mkPen(*colour, 200, width=width), connect="pairs")
                item.setZValue(1)
                item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
                self.addItem(item)
                self.link_items.append(item)
        height = (max(widths) - 1) * ROW_GAP
        self.setRange(
            xRange=(-1, (len(widths) - 1) * COLUMN_GAP + 1), yRange=(-1, height + 1), padding=0.02
        )

    def _draw_links(self, snapshot: NetworkSnapshot) -> None:
        strengths = np.concatenate([np.abs(w).ravel() for w in snapshot.weights])
        top = float(strengths.max()) or 1.0
        groups: dict[tuple[bool, int], list] = {}
        for layer, w in enumerate(snapshot.weights):
            for i in range(w.shape[0]):
                for j in range(w.shape[1]):
                    value = w[i, j]
                    width_bin = min(int(abs(value) / top * len(WIDTH_BINS)), len(WIDTH_BINS) - 1)
                    groups.setdefault((value >= 0, width_bin), []).extend(
                        self.link_ends(layer, i, j)
                    )
        for n, item in enumerate(self.link_items):
            positive = n < len(WIDTH_BINS)
            points = groups.get((positive, n % len(WIDTH_BINS)), [])
            if points:
                xy = np.array(points, dtype=float)
                item.setData(xy[:, 0], xy[:, 1])
            else:
                item.setData([], [])

    def _draw_biases(self, snapshot: NetworkSnapshot) -> None:
        spots = []
        for layer, bias in enumerate(snapshot.biases, start=1):
            for index, value in enumerate(bias):
                x, y = self.node_centre(layer, index)
                colour = POSITIVE if value >= 0 else NEGATIVE
                spots.append(
                    {
                        "pos": (x - NODE / 2 - 0.15, y),
                        "brush": pg.mkBrush(*colour),
                        "size": 4 + min(8.0, 8 * abs(float(value))),
                    }
                )
        self.bias_item.setData(spots)

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
                    name = self._neuron_name(layer, index)
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
            f"{self._neuron_name(layer, i)} → {self._neuron_name(layer + 1, j)}\n"
            f"weight {snap.weights[layer][i, j]:.4f}\n"
            f"gradient {snap.weight_grads[layer][i, j]:.3g}"
        )
        return text, ("link", layer, i, j)

    def _neuron_name(self, layer: int, index: int) -> str:
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
