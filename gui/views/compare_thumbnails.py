"""Each run's decision boundary as a small image, captioned with its line sample and value."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QWidget

from gui.views.compare_style import SAMPLE_WIDTH, run_pen


class Thumbnails(QWidget):
    """Each run's decision boundary with its line sample and value beneath, laid out in the
    grid that makes the images largest in the space given."""

    MAX_SIZE = 120
    PAD = 6

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.images: list[QPixmap | None] = []
        self.captions: list[str] = []
        self.size_shown = 0  # pixels, each image's side as last laid out
        self.setMinimumHeight(60)

    def set_runs(self, captions: list[str]) -> None:
        """The runs so far: those already shown keep their images while later runs join; an
        empty list drops every image (a new comparison starts from nothing)."""
        self.captions = list(captions)
        self.images = (self.images + [None] * len(captions))[: len(captions)]
        self.update()

    def set_image(self, index: int, rgba: np.ndarray) -> None:
        """Run ``index``'s boundary from its RGBA image (row 0 at the plane's bottom)."""
        flipped = np.ascontiguousarray(rgba[::-1])  # row 0 is the plane's bottom edge
        rows, cols = flipped.shape[:2]
        qimage = QImage(flipped.data, cols, rows, 4 * cols, QImage.Format.Format_RGBA8888)
        self.images[index] = QPixmap.fromImage(qimage.copy())
        self.update()

    def __len__(self) -> int:
        return len(self.captions)

    def _grid(self) -> tuple[int, int, int]:
        """(columns, image side, cell width) that make the images largest."""
        n = len(self.captions)
        metrics = self.fontMetrics()
        caption = metrics.height() + 4
        widest = max((metrics.horizontalAdvance(c) for c in self.captions), default=0)
        caption_width = SAMPLE_WIDTH + 4 + widest + self.PAD
        best = (n, 0, self.width() // max(n, 1))
        for columns in range(1, n + 1):
            rows = -(-n // columns)
            cell_w, cell_h = self.width() // columns, self.height() // rows
            side = min(cell_w - self.PAD, cell_h - caption - self.PAD, self.MAX_SIZE)
            if cell_w >= caption_width and side > best[1]:
                best = (columns, side, cell_w)
        return best

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt's name)
        if not self.captions:
            return
        columns, side, cell_w = self._grid()
        self.size_shown = max(side, 0)
        metrics = self.fontMetrics()
        caption = metrics.height() + 4
        cell_h = side + caption + self.PAD
        used = min(columns, len(self.captions)) * cell_w
        left = (self.width() - used) // 2
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        text_colour = self.palette().windowText().color()
        for index, text in enumerate(self.captions):
            row, column = divmod(index, columns)
            x0, y0 = left + column * cell_w, row * cell_h
            image = QRectF(x0 + (cell_w - side) / 2, y0 + self.PAD / 2, side, side)
            if self.images[index] is not None and side > 0:
                painter.drawPixmap(image.toRect(), self.images[index])
            else:
                painter.fillRect(image, QColor(176, 176, 176))
            w = SAMPLE_WIDTH + 4 + metrics.horizontalAdvance(text)
            x, mid = x0 + (cell_w - w) / 2, image.bottom() + 2 + caption / 2
            painter.setPen(run_pen(index, width=3.0))
            painter.drawLine(QPointF(x, mid), QPointF(x + SAMPLE_WIDTH - 2, mid))
            painter.setPen(text_colour)
            painter.drawText(
                QRectF(x + SAMPLE_WIDTH + 4, mid - caption / 2, w, caption),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                text,
            )
        painter.end()
