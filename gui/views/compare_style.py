"""How the runs of a comparison are told apart: one pen per run, the same in every plot,
legend, table row and thumbnail caption.

Runs take the Okabe-Ito colours in turn, which stay apart for colour-blind eyes, and beyond six
runs a line style as well.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QPainter, QPen, QPixmap

from gui.appearance.palette import CLASS_COLOURS
from model.experiments.comparisons import RunResult

RUN_COLOURS = list(CLASS_COLOURS)
LINE_STYLES = [
    Qt.PenStyle.SolidLine,
    Qt.PenStyle.DashLine,
    Qt.PenStyle.DotLine,
    Qt.PenStyle.DashDotLine,
]
SAMPLE_WIDTH = 30  # pixels, the line sample in the legend, table and captions


def run_pen(index: int, width: float = 2.0) -> QPen:
    """Run ``index``'s pen: the palette's colours in turn, then again with the next style."""
    colour = RUN_COLOURS[index % len(RUN_COLOURS)]
    style = LINE_STYLES[(index // len(RUN_COLOURS)) % len(LINE_STYLES)]
    pen = pg.mkPen(colour, width=width, style=style)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    return pen


def line_sample(index: int, height: int = 14) -> QPixmap:
    """A short stroke in run ``index``'s colour and style, for legends and captions."""
    pixmap = QPixmap(SAMPLE_WIDTH, height)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(run_pen(index, width=3.0))
    painter.drawLine(QPointF(1, height / 2), QPointF(SAMPLE_WIDTH - 1, height / 2))
    painter.end()
    return pixmap


def run_value(run: RunResult) -> str:
    """The value that sets a run apart, as the legend and the table show it."""
    if run.value is None:
        return "full batch"
    if isinstance(run.value, float):
        return f"{run.value:g}"
    return run.label.split("=", 1)[1]
