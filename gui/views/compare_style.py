"""How the runs of a comparison are told apart: one pen per run, the same in every plot,
legend, table row and thumbnail caption, and a name at each curve's end.

Runs take the Okabe-Ito colours in turn (in the class colours' order, which keeps neighbours
furthest apart for colour-blind eyes) and each its own line style as well, so that two runs
whose colours merge for some eyes (blue and sky blue; orange and vermillion for deutan eyes)
still differ in their dashes. Beyond six runs the styles shift by one, so no two runs share
both colour and style.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QPainter, QPen, QPixmap

from gui.appearance.palette import CLASS_COLOURS
from model.experiments.comparisons import RunResult

RUN_COLOURS = list(CLASS_COLOURS)
# Qt's styles, and sparse dots (in pen widths), ordered so that runs whose colours come
# closest (0 and 3, 1 and 4, 2 and 5) differ most in style: solid and dash-dot-dot, dash and
# dot, dash-dot and sparse dots (which also stand apart from 0's solid and 3's dashes, whose
# blues reddish purple nears for protan eyes).
LINE_STYLES: list[Qt.PenStyle | list[float]] = [
    Qt.PenStyle.SolidLine,
    Qt.PenStyle.DashLine,
    Qt.PenStyle.DashDotLine,
    Qt.PenStyle.DashDotDotLine,
    Qt.PenStyle.DotLine,
    [1.0, 4.0],
]
RUN_NAMES = {"batch_size": "batch", "learning_rate": "lr", "hidden": "hidden", "init": "init"}
SAMPLE_WIDTH = 30  # pixels, the line sample in the legend, table and captions


def run_style(index: int) -> Qt.PenStyle | list[float]:
    """Run ``index``'s line style: its own among the first six, then shifted by one for
    each further six, so that colour and style together stay unique."""
    return LINE_STYLES[(index + index // len(RUN_COLOURS)) % len(LINE_STYLES)]


def run_pen(index: int, width: float = 2.0) -> QPen:
    """Run ``index``'s pen: the palette's colours in turn, each run with its own dashes."""
    pen = pg.mkPen(RUN_COLOURS[index % len(RUN_COLOURS)], width=width)
    style = run_style(index)
    if isinstance(style, list):
        pen.setDashPattern(style)
    else:
        pen.setStyle(style)
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


def run_name(run: RunResult) -> str:
    """What a curve's end label calls the run: the parameter's short name and the value
    ("batch 10", "lr 0.1"); a value that names itself stands alone ("full batch", "adam")."""
    value = run_value(run)
    short = RUN_NAMES.get(run.parameter)
    return value if run.value is None or short is None else f"{short} {value}"
