"""A widget as it is drawn now, as an RGB array of one size for the whole recording."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QWidget


def rgb_array(image: QImage) -> np.ndarray:
    """A fresh ``(height, width, 3)`` uint8 copy of ``image`` (Qt pads its lines: dropped)."""
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height, line = image.width(), image.height(), image.bytesPerLine()
    data = np.frombuffer(image.constBits(), np.uint8, count=height * line).reshape(height, line)
    return data[:, : width * 3].reshape(height, width, 3).copy()


class FrameGrabber:
    """Grabs ``widget``; the first grab fixes the size, and a widget resized later is scaled
    to fit it (aspect kept, the rest filled with the background), since a video's frames
    all have one size."""

    def __init__(self, widget: QWidget) -> None:
        self.widget = widget
        self.size: QSize | None = None

    def grab(self) -> np.ndarray:
        image = self.widget.grab().toImage()
        if image.isNull() or image.width() < 2 or image.height() < 2:
            raise ValueError("there is nothing to record: the view is hidden or too small")
        if self.size is None:
            self.size = image.size()
        elif image.size() != self.size:
            image = self._fitted(image, self.size)
        return rgb_array(image)

    @staticmethod
    def _fitted(image: QImage, size: QSize) -> QImage:
        scaled = image.scaled(
            size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
        canvas = QImage(size, QImage.Format.Format_RGB888)
        canvas.fill(image.pixelColor(0, 0))  # the view's own background
        painter = QPainter(canvas)
        offset = QPoint(
            (size.width() - scaled.width()) // 2, (size.height() - scaled.height()) // 2
        )
        painter.drawImage(offset, scaled)
        painter.end()
        return canvas
