"""The run buttons' icons (play, pause, step, epoch, reset), drawn as shapes at whatever size
and in whatever colours the theme has when they are painted: sharp in presentation mode and on
a 2x screen, right after a change of theme, with no image files to ship.

Play and Pause are a filled disc in the theme's highlight colour, as TensorFlow Playground's
large round button: the one control a newcomer must find first.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QIcon,
    QIconEngine,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QApplication

KINDS = ("play", "pause", "step", "epoch", "reset")


class RunIconEngine(QIconEngine):
    """Paints one of KINDS into any rectangle, in the application's current palette."""

    def __init__(self, kind: str) -> None:
        super().__init__()
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
        self.kind = kind

    def clone(self) -> QIconEngine:
        return RunIconEngine(self.kind)

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(  # noqa: N802 (Qt's name)
        self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float
    ) -> QPixmap:
        """A transparent pixmap with the shape painted in, sharp at ``scale`` (the screen's
        device pixel ratio)."""
        pixmap = QPixmap(size * scale)
        pixmap.setDevicePixelRatio(scale)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        self.paint(painter, QRect(QPoint(0, 0), size), mode, state)
        painter.end()
        return pixmap

    def paint(self, painter: QPainter, rect, mode: QIcon.Mode, state: QIcon.State) -> None:
        palette = QApplication.palette()
        disabled = mode == QIcon.Mode.Disabled
        group = QPalette.ColorGroup.Disabled if disabled else QPalette.ColorGroup.Active
        ink = palette.color(group, QPalette.ColorRole.ButtonText)
        accent = palette.color(group, QPalette.ColorRole.Highlight)
        if disabled:
            accent = palette.color(group, QPalette.ColorRole.Mid)
        on_accent = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.HighlightedText)
        side = min(rect.width(), rect.height())
        box = QRectF(
            rect.x() + (rect.width() - side) / 2, rect.y() + (rect.height() - side) / 2, side, side
        )
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.kind in ("play", "pause"):
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(accent)
            painter.drawEllipse(box.adjusted(0.5, 0.5, -0.5, -0.5))
            _glyph(
                painter,
                self.kind,
                box.adjusted(*(side * f for f in (0.3, 0.3, -0.3, -0.3))),
                on_accent,
            )
        else:
            _glyph(
                painter, self.kind, box.adjusted(*(side * f for f in (0.1, 0.15, -0.1, -0.15))), ink
            )
        painter.restore()


def run_icon(kind: str) -> QIcon:
    return QIcon(RunIconEngine(kind))


def _glyph(painter: QPainter, kind: str, box: QRectF, colour: QColor) -> None:
    """The shape of ``kind`` filling ``box``."""
    x, y, w, h = box.x(), box.y(), box.width(), box.height()
    painter.setBrush(colour)
    painter.setPen(Qt.PenStyle.NoPen)
    if kind == "play":
        painter.drawPath(_triangle(x + 0.12 * w, y, w * 0.95, h))
    elif kind == "pause":
        bar = 0.32 * w
        painter.drawRect(QRectF(x + 0.04 * w, y, bar, h))
        painter.drawRect(QRectF(x + w - bar - 0.04 * w, y, bar, h))
    elif kind == "step":  # one update: a triangle against a bar
        painter.drawPath(_triangle(x, y, 0.68 * w, h))
        painter.drawRect(QRectF(x + 0.76 * w, y, 0.18 * w, h))
    elif kind == "epoch":  # a whole pass: two triangles against a bar
        painter.drawPath(_triangle(x, y, 0.42 * w, h))
        painter.drawPath(_triangle(x + 0.36 * w, y, 0.42 * w, h))
        painter.drawRect(QRectF(x + 0.82 * w, y, 0.16 * w, h))
    else:  # reset: an arrow round a circle, back to the start
        pen = QPen(colour, max(1.5, 0.16 * w))
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        ring = box.adjusted(0.12 * w, 0.12 * h, -0.12 * w, -0.12 * h)
        painter.drawArc(ring, 100 * 16, 290 * 16)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        tip = QPointF(ring.center().x() - 0.02 * w, ring.top())
        head = QPainterPath(QPointF(tip.x() + 0.3 * w, tip.y()))
        head.lineTo(tip.x() - 0.02 * w, tip.y() - 0.24 * h)
        head.lineTo(tip.x() - 0.02 * w, tip.y() + 0.24 * h)
        head.closeSubpath()
        painter.drawPath(head)


def _triangle(x: float, y: float, w: float, h: float) -> QPainterPath:
    """A triangle pointing right, filling the ``w`` x ``h`` box at (x, y)."""
    path = QPainterPath(QPointF(x, y))
    path.lineTo(x + w, y + h / 2)
    path.lineTo(x, y + h)
    path.closeSubpath()
    return path
