"""The network diagram: one heatmap tile per neuron, links coloured by sign, layers titled.

Layer l's neurons stand in column l under a title; each tile shows that neuron's activation
over the input plane (network_tiles.py). The view works in widget pixels: tiles are as large
as the dock allows, a layer too tall for one column is laid out as a grid of columns
(network_layout.py), and when even the smallest tiles do not fit, the diagram scrolls
vertically under fixed titles (network_frame.py). Links and biases are drawn under and on the
tiles (network_links.py); hovering reads a neuron's bias or a drawn link's weight and gradient
(network_hover.py); clicking a link while paused asks for a new weight. This class composes
those parts and owns the snapshot shown, the layout, the scroll bar and the mouse.
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QScrollBar

from gui.views.network_frame import DiagramFrame, fit_scrollbar, layer_titles
from gui.views.network_hover import HoverMarks, nearest_link, neuron_name
from gui.views.network_inputs import InputLabels
from gui.views.network_layout import Layout, plan_layout
from gui.views.network_links import LinkLayer
from gui.views.network_tiles import layer_canvas, neuron_range, neuron_rgba
from model.nn.network_snapshot import NetworkSnapshot

LINK_SECONDS = 0.5  # drawing thousands of lines is the costly part: not at every snapshot
NO_DIAGRAM = (
    "The perceptron has no hidden layers to draw: its weights are the line in the boundary view."
)


class NetworkView(pg.PlotWidget):
    """The diagram of the snapshot last shown; says which neuron is hovered and which link
    is clicked."""

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
        self.links = LinkLayer(self)
        self.marks = HoverMarks(self)
        self.frame = DiagramFrame(self)
        self.inputs = InputLabels(self)  # each input's feature, named beside its tile
        self.scrollbar = QScrollBar(Qt.Orientation.Vertical, self)
        self.scrollbar.hide()
        self.scrollbar.valueChanged.connect(self._apply_range)
        self._widths: list[int] = []
        self._links_time = 0.0
        self._hovered = (-1, -1)
        self._footer = 0
        self.live = False  # while training plays, links and biases redraw twice a second
        # A window's layout resizes the view several times in a row (presentation mode, a
        # dock opening): the diagram is laid out again once, in the turn after the last.
        self._relayout_timer = QTimer(self)
        self._relayout_timer.setSingleShot(True)
        self._relayout_timer.setInterval(0)
        self._relayout_timer.timeout.connect(self._relayout)
        box.sigResized.connect(self._resized)
        self.scene().sigMouseClicked.connect(self._click)

    def setBackground(self, background) -> None:  # noqa: N802 (pyqtgraph's name)
        """A new theme: titles, legend and highlights take colours that show on it."""
        super().setBackground(background)
        if getattr(self, "plan", None) is not None:
            self._relayout()

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        """A new font (presentation mode, or back): titles, legend and names take it, and
        the diagram is laid out again for their size."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and hasattr(self, "inputs"):  # built
            self.frame.set_font(self.font())
            self.inputs.set_font(self.font())
            if self.plan is not None:
                self._relayout_timer.start()

    # ----- geometry -----
    def _size(self) -> tuple[float, float]:
        box = self.getViewBox()
        return box.width(), box.height()

    def node_centre(self, layer: int, index: int) -> tuple[float, float]:
        """The centre of neuron ``index``'s tile, in view coordinates (pixels)."""
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

    # ----- layout -----
    def _resized(self, *_) -> None:
        """A new size: one view unit stays one pixel now, the layout follows in the next turn."""
        self._apply_range()
        self._relayout_timer.start()

    def _relayout(self, *_) -> None:
        """Fit the diagram to the view's size (pixels); called on resize and new shapes."""
        if not self._widths:
            self._apply_range()
            return
        width, height = self._size()
        if width <= 1 or height <= 1:
            return
        lines, header, footer = self.frame.bands(width)
        band = self.inputs.band()  # the inputs' names, left of the diagram
        layout, scrolls = plan_layout(self._widths, width - band, height, header, footer, (0,))
        if scrolls:  # room for the scroll bar
            width -= self.scrollbar.sizeHint().width()
            layout, scrolls = plan_layout(self._widths, width - band, height, header, footer, (0,))
        layout = replace(layout, x0=layout.x0 + band)
        self.plan, self.scrolls, self._footer = layout, scrolls, footer
        ink = self._text_colour()
        self.marks.set_ink(ink)
        self.frame.place(layout, lines, width, ink)
        self.inputs.place(layout, ink)
        self.links.place(layout)
        fit_scrollbar(self.scrollbar, layout, scrolls, height)
        self._apply_range()
        if self.snapshot is not None:
            self._draw(self.snapshot, links=True)

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
        shown = self.plan is not None and bool(self._widths)
        bands = (self.plan.header, self._footer) if shown else (0, 0)
        self.frame.follow(top, (width, height), bands, self.scrolls)

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
        """Draw ``snapshot``; links only twice a second while training plays (they cost most)."""
        self.snapshot = snapshot
        self.frame.placeholder.hide()
        titles = layer_titles(snapshot.widths, snapshot.activation, snapshot.output_activation)
        labels = tuple(snapshot.input_labels)
        if (snapshot.widths, titles, labels) != (self._widths, self.frame.texts, self.inputs.texts):
            self._rebuild(snapshot.widths, titles, labels)  # draws
            return
        now = time.monotonic()
        self._draw(snapshot, links=now - self._links_time >= LINK_SECONDS or not self.live)

    def _output(self, layer: int) -> bool:
        """The class probabilities' layer. A regression's one output unit is a value, not a
        probability: drawn like a hidden unit, blue (negative), white, orange (positive)."""
        return layer == len(self._widths) - 1 and self._widths[-1] > 1

    def _draw(self, snapshot: NetworkSnapshot, links: bool) -> None:
        if self.plan is None:
            return
        for layer, maps in enumerate(snapshot.maps):
            x, y = self.plan.origins(layer, 0)
            w, h = self.plan.block_size(layer)
            canvas = layer_canvas(maps, self.plan, layer, self._output(layer))
            self.columns[layer].setImage(canvas, levels=(0, 255), rect=QRectF(x, y, w, h))
        if links:
            self._links_time = time.monotonic()
            self.links.draw(snapshot, self.plan)

    def _rebuild(self, widths: list[int], titles: list[str], labels: tuple[str, ...]) -> None:
        for item in self.columns:
            self.removeItem(item)
        self._widths = list(widths)
        self.columns, self.plan = [], None
        self.frame.set_titles(titles)
        self.inputs.set_texts(labels)
        for _ in widths:
            image = pg.ImageItem(axisOrder="row-major")
            image.setZValue(10)
            self.addItem(image)
            self.columns.append(image)
        self._hide_hover()
        self._relayout()

    def neuron_map(self, layer: int, index: int) -> np.ndarray | None:
        """One neuron's RGBA map (row 0 at the plane's bottom), for the big view."""
        if self.snapshot is None:
            return None
        return neuron_rgba(self.snapshot.maps[layer], index, self._output(layer))

    def neuron_scale(self, layer: int, index: int) -> tuple[tuple[float, float], pg.ColorMap]:
        """The values a neuron's map spans and its colours, for a colour bar beside it:
        hidden and input neurons from -m to m (m its largest magnitude), outputs 0 to 1."""
        values, lut = neuron_range(self.snapshot.maps[layer], index, self._output(layer))
        return values, pg.ColorMap(np.linspace(0, 1, len(lut)), lut)

    def clear_snapshot(self) -> None:
        """Nothing to show (the perceptron has no hidden layers to draw): say so."""
        self.snapshot = None
        for item in self.columns:
            self.removeItem(item)
        self.columns, self._widths, self.plan = [], [], None
        self.inputs.clear()
        self.links.clear()
        self._hide_hover()
        self.scrolls = False
        self.scrollbar.hide()
        self.frame.say(NO_DIAGRAM, self._text_colour())
        self._apply_range()

    # ----- interaction -----
    def mouseMoveEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        """Every move is read (not the scene's signal, which drops moves closer than 10 ms
        and so may leave a stale read-out where the pointer stops)."""
        super().mouseMoveEvent(event)
        self._hover(self.mapToScene(event.position().toPoint()))

    def leaveEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().leaveEvent(event)
        self._hide_hover()

    def _hide_hover(self) -> None:
        self.marks.hide()
        self._set_hovered(-1, -1)

    def _set_hovered(self, layer: int, index: int) -> None:
        """Tell the window which neuron is hovered, only when that changes."""
        if (layer, index) != self._hovered:
            self._hovered = (layer, index)
            self.neuron_hovered.emit(layer, index)

    def link_at(self, x: float, y: float) -> tuple[int, int, int] | None:
        """The drawn link nearest (x, y), within a few pixels: (layer, from, to) or None."""
        return nearest_link(self.links.drawn, self.links.segments, self._widths, x, y)

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
        """How the read-out and the window name a neuron."""
        output = self.snapshot.output_activation if self.snapshot is not None else ""
        return neuron_name(self._widths, layer, index, self.inputs.texts, output)

    def _hover(self, position) -> None:
        point = self.getViewBox().mapSceneToView(position)
        x, y = point.x(), point.y()
        text, target = self.describe_at(x, y)
        if not text:
            self._hide_hover()
            return
        width, height = self._size()
        top = self.scrollbar.value() if self.scrolls else 0
        self.marks.show(text, x, y, right=x > width * 0.6, low=y - top < height * 0.45)
        if target[0] == "node":
            self.marks.outline_tile(self.tile_rect(*target[1:]))
            self._set_hovered(target[1], target[2])
        else:
            self.marks.outline_link(*self.link_ends(*target[1:]))
            self._set_hovered(-1, -1)

    def _click(self, event) -> None:
        point = self.getViewBox().mapSceneToView(event.scenePos())
        _, target = self.describe_at(point.x(), point.y())
        if target is not None and target[0] == "link":
            self.link_clicked.emit(*target[1:])
