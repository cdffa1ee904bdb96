"""The caption burnt into a recording's frames: where the run is and how well it does, so that
a film shown on its own still says what the student is looking at."""

from __future__ import annotations

import math

from PySide6.QtCore import QObject, QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics, QImage, QPainter, QPalette, QPen

from gui.workers.frames import Frame
from model.training.history import HistoryPoint

SEPARATOR = "  \u00b7  "
MIN_PIXELS = 9  # the smallest caption font, in pixels; a longer caption is elided
ROOM_TO_GROW = 1.2  # the first caption's width times this fits: its numbers may get longer


def caption_text(frame: Frame, point: HistoryPoint | None) -> str:
    """``epoch 2.125 · update 17 · train loss 0.3127 · test accuracy 91.2%``: the frame's
    place and the figures shown with it (``point``: the run's latest evaluation). Without a
    test set, the train accuracy; a regression has the mean squared error instead."""
    epoch = f"{frame.epoch:.3f}".rstrip("0").rstrip(".")  # 300, or 2.125 mid-epoch
    parts = [f"epoch {epoch}", f"update {frame.update:,}"]
    if point is not None and math.isfinite(point.train_loss):
        regression = frame.dataset is not None and frame.dataset.is_regression
        tested = math.isfinite(point.test_loss)
        if regression:
            parts.append(f"train MSE {point.train_loss:.4g}")
            if tested:
                parts.append(f"test MSE {point.test_loss:.4g}")
        else:
            parts.append(f"train loss {point.train_loss:.4f}")
            which, accuracy = ("test", point.test_accuracy)
            if not (tested and math.isfinite(point.test_accuracy)):
                which, accuracy = ("train", point.train_accuracy)
            if math.isfinite(accuracy):
                parts.append(f"{which} accuracy {accuracy:.1%}")
    if frame.stopped:
        parts.append("diverged")
    return SEPARATOR.join(parts)


class CaptionFigures(QObject):
    """Follows the frames as the window does, to know the figures each one is drawn with:
    the latest evaluation of the run shown (a frame carries only the points new since the
    one before). Built before the first frame arrives, to miss none."""

    def __init__(self, playground, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.frame: Frame | None = None
        self.point: HistoryPoint | None = None
        self._generation: int | None = None
        playground.frame_ready.connect(self._follow)

    def _follow(self, frame: Frame) -> None:
        if frame.generation != self._generation:  # a new run: its figures start over
            self._generation = frame.generation
            self.point = None
        for point in reversed(frame.new_points):
            if math.isfinite(point.train_loss):
                self.point = point
                break
        self.frame = frame

    def text(self) -> str | None:
        """The caption of the frame last drawn (None before any frame)."""
        return None if self.frame is None else caption_text(self.frame, self.point)


class CaptionStrip:
    """Draws a caption in a strip below a grabbed image, in the widget's own colours: a
    film of the light theme stays light. Its height and font are fixed by the first image,
    as every frame of a film has one size."""

    def __init__(self, palette: QPalette, base_font: QFont) -> None:
        self.background = palette.color(QPalette.ColorRole.Window)
        self.foreground = palette.color(QPalette.ColorRole.WindowText)
        self.rule = palette.color(QPalette.ColorRole.Mid)
        self.font = QFont(base_font)
        self.height = 0

    def fix_size(self, width: int, height: int, text: str) -> None:
        """A font about a fortieth of the image's height, smaller if ``text`` (with room for
        its numbers to grow) would not fit across."""
        pixels = max(MIN_PIXELS, min(24, round(height / 40)))
        self.font.setPixelSize(pixels)
        while pixels > MIN_PIXELS and _text_width(self.font, text) * ROOM_TO_GROW > width - 16:
            pixels -= 1
            self.font.setPixelSize(pixels)
        self.height = QFontMetrics(self.font).height() * 8 // 5

    def below(self, image: QImage, text: str) -> QImage:
        """``image`` with the strip and ``text`` added below it."""
        width = image.width()
        out = QImage(width, image.height() + self.height, QImage.Format.Format_RGB888)
        out.fill(self.background)
        painter = QPainter(out)
        painter.drawImage(0, 0, image)
        painter.setPen(QPen(self.rule, 1))
        painter.drawLine(0, image.height(), width, image.height())
        font = QFont(self.font)
        while _text_width(font, text) > width - 16 and font.pixelSize() > MIN_PIXELS:
            font.setPixelSize(font.pixelSize() - 1)  # this frame's numbers are longer
        painter.setFont(font)
        painter.setPen(self.foreground)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        metrics = QFontMetrics(font)
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, width - 16)
        box = QRect(8, image.height() + 1, width - 16, self.height - 1)
        painter.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, shown)
        painter.end()
        return out


def _text_width(font: QFont, text: str) -> int:
    return QFontMetrics(font).horizontalAdvance(text)
