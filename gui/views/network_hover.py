"""Hovering the network diagram: which drawn link is under the pointer, what a neuron is
called, and the read-out and outline that show what is hovered.

The hit test on tiles is arithmetic on the layout (network_layout.Layout.tile_at); on links it
is one vectorised point-to-segment distance over the drawn links of at most two column gaps.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsRectItem

HIT_PIXELS = 4.0  # how near (pixels) a link must be to be hovered


def neuron_name(
    widths: list[int],
    layer: int,
    index: int,
    input_labels: tuple[str, ...] = (),
    output_activation: str = "",
) -> str:
    """'input x1²' (the input's feature), 'hidden layer 1, neuron 5' or 'output (class 0)';
    TensorFlow Playground's one tanh output is 'output (tanh: its sign is the class)'."""
    if layer == 0:
        label = input_labels[index] if index < len(input_labels) else f"x{index + 1}"
        return f"input {label}"
    if layer == len(widths) - 1:  # one output unit: a regression's predicted value
        if output_activation == "tanh":
            return "output (tanh: its sign is the class)"
        return f"output (class {index})" if widths[-1] > 1 else "output (predicted value)"
    return f"hidden layer {layer}, neuron {index + 1}"


def nearest_link(
    drawn: list[tuple[np.ndarray, np.ndarray]],
    segments: list[np.ndarray],
    widths: list[int],
    x: float,
    y: float,
) -> tuple[int, int, int] | None:
    """The drawn link nearest (x, y), within HIT_PIXELS: (layer, from, to) or None.

    ``drawn`` holds per column gap the drawn links' flat indices and segments, ``segments``
    every link of each gap; only the gaps whose span contains x are measured."""
    best, found = HIT_PIXELS, None
    for layer, (flat, chosen) in enumerate(drawn):
        if not len(flat):
            continue
        gap = segments[layer]
        if not gap[0, 0, 0] - 1 <= x <= gap[-1, 1, 0] + 1:
            continue
        a, b = chosen[:, 0], chosen[:, 1]
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
            i, j = divmod(int(flat[nearest]), widths[layer + 1])
            found = (layer, i, j)
    return found


class HoverMarks:
    """The read-out beside the pointer and the outline of the hovered tile or link."""

    def __init__(self, plot: pg.PlotWidget) -> None:
        self.link = pg.PlotCurveItem(pen=pg.mkPen(20, 20, 20, width=3))
        self.link.setZValue(8)  # over the links, under the tiles
        plot.addItem(self.link)
        self.tile = QGraphicsRectItem()
        self.tile.setPen(pg.mkPen(20, 20, 20, width=2, cosmetic=True))
        self.tile.setZValue(14)
        self.tile.hide()
        plot.addItem(self.tile)
        self.readout = pg.TextItem(anchor=(0, 1), color=(20, 20, 20), fill=(255, 255, 255, 235))
        self.readout.setZValue(30)
        self.readout.hide()
        plot.addItem(self.readout)

    def set_ink(self, ink: QColor) -> None:
        """Outlines in the colour that shows on the theme's background."""
        self.link.setPen(pg.mkPen(ink, width=3))
        self.tile.setPen(pg.mkPen(ink, width=2, cosmetic=True))

    def show(self, text: str, x: float, y: float, right: bool, low: bool) -> None:
        """``text`` beside (x, y): to the left of the pointer near the right edge, below it
        near the top, so that it stays in sight."""
        self.readout.setText(text)
        self.readout.setAnchor((1 if right else 0, 0 if low else 1))
        self.readout.setPos(x + (-12 if right else 12), y + (12 if low else -12))
        self.readout.show()

    def outline_tile(self, rect: QRectF) -> None:
        """Outline the hovered neuron's tile (view coordinates)."""
        self.link.setData([], [])
        self.tile.setRect(rect)
        self.tile.show()

    def outline_link(self, start: tuple, end: tuple) -> None:
        """Trace the hovered link from ``start`` to ``end``."""
        (ax, ay), (bx, by) = start, end
        self.link.setData([ax, bx], [ay, by])
        self.tile.hide()

    def hide(self) -> None:
        """Nothing hovered: no read-out, no outline."""
        self.readout.hide()
        self.link.setData([], [])
        self.tile.hide()
