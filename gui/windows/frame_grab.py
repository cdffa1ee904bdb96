"""A widget as it is drawn now, as an RGB array of one size for the whole recording, with
the caption below it if one was asked for; and whether the view is ready to be filmed."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QWidget

from gui.windows.frame_caption import CaptionStrip
from gui.workers.frames import Frame

BLANK_PIXELS = 2.0  # a grid this many pixels short of the plot area still fills it


def rgb_array(image: QImage) -> np.ndarray:
    """A fresh ``(height, width, 3)`` uint8 copy of ``image`` (Qt pads its lines: dropped)."""
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height, line = image.width(), image.height(), image.bytesPerLine()
    data = np.frombuffer(image.constBits(), np.uint8, count=height * line).reshape(height, line)
    return data[:, : width * 3].reshape(height, width, 3).copy()


def fills_view(boundary, frame: Frame | None) -> bool:
    """Whether ``frame``'s boundary image fills the plot area of ``boundary`` (the boundary
    view) as it is laid out now. The worker fits the image's grid to the plot area's shape,
    but only once told it: a frame made before the layout settled, or before a resize
    reached the worker, leaves blank strips beside the image. The next frame fits."""
    if frame is None or frame.image is None or not boundary.isVisible():
        return frame is not None  # no image to fit (or none shown): as good as it gets
    x0, x1, y0, y1 = frame.extent
    box = boundary.plotItem.vb
    width, height = box.width(), box.height()
    if width < 2 or height < 2 or x1 <= x0 or y1 <= y0:
        return False
    grid, view = (x1 - x0) / (y1 - y0), width / height
    # the view box keeps one data unit square: it widens the side the grid is short of
    if grid < view:
        return (1 - grid / view) * width <= BLANK_PIXELS
    return (1 - view / grid) * height <= BLANK_PIXELS


class FrameGrabber:
    """Grabs ``widget``; the first grab fixes the size, and a widget resized later is scaled
    to fit it (aspect kept, the rest filled with the background), since a video's frames
    all have one size. With ``caption``, each frame gets a strip below with the text given
    to ``grab`` (``gui.windows.frame_caption``)."""

    def __init__(self, widget: QWidget, caption: bool = False) -> None:
        self.widget = widget
        self.size: QSize | None = None
        self.caption = CaptionStrip(widget.palette(), widget.font()) if caption else None

    def grab(self, text: str | None = None) -> np.ndarray:
        image = self.widget.grab().toImage()
        if image.isNull() or image.width() < 2 or image.height() < 2:
            raise ValueError("there is nothing to record: the view is hidden or too small")
        image.setDevicePixelRatio(1.0)  # its pixels, as the film has them (a HiDPI screen)
        if self.size is None:
            self.size = image.size()
            if self.caption is not None:
                self.caption.fix_size(image.width(), image.height(), text or "")
        elif image.size() != self.size:
            image = self._fitted(image, self.size)
        if self.caption is not None:
            image = self.caption.below(image, text or "")
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
