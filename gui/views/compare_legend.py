"""The one legend above a comparison's four plots: the parameter's name, then every run's
line sample and value (a legend inside a plot covers curves, and four of them repeat each
other)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from gui.views.compare_style import SAMPLE_WIDTH, run_pen


class RunLegend(QWidget):
    """The parameter's name, then every run's line sample and value, in rows that wrap to
    the widget's width (centred when they fit on one)."""

    GAP = 18  # between entries
    SPACE = 6  # between a sample and its value

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.title = ""
        self.labels: list[str] = []
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def set_runs(self, title: str, labels: list[str]) -> None:
        """The parameter's name and each run's value; repainted only when they change."""
        if (title, labels) != (self.title, self.labels):
            self.title, self.labels = title, list(labels)
            self.updateGeometry()
            self.update()

    def _title_font(self) -> QFont:
        font = self.font()
        font.setBold(True)
        return font

    def _layout(self, width: int) -> list[tuple[int, int, int]]:
        """(x, row, width) of the title, then of each entry, ``width`` pixels wide."""
        metrics = self.fontMetrics()
        title = QFontMetrics(self._title_font()).horizontalAdvance(self.title)
        places, x, row = [(0, 0, title)], title + self.GAP, 0
        for label in self.labels:
            w = SAMPLE_WIDTH + self.SPACE + metrics.horizontalAdvance(label)
            if x + w > width:
                x, row = 0, row + 1
            places.append((x, row, w))
            x += w + self.GAP
        return places

    def _row_height(self) -> int:
        return self.fontMetrics().height() + 6

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt's name)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt's name)
        return (self._layout(width)[-1][1] + 1) * self._row_height()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        x, _, w = self._layout(10**6)[-1]
        return QSize(x + w, self._row_height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(0, self._row_height())

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt's name)
        if not self.labels:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        height = self._row_height()
        places = self._layout(self.width())
        one_row = places[-1][1] == 0
        left = max(0, (self.width() - places[-1][0] - places[-1][2]) // 2) if one_row else 0
        align = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
        text_colour = self.palette().windowText().color()
        x, _, w = places[0]
        painter.setFont(self._title_font())
        painter.setPen(text_colour)
        painter.drawText(QRectF(left + x, 0, w + 2, height), align, self.title)
        painter.setFont(self.font())
        for index, (label, (x, row, w)) in enumerate(zip(self.labels, places[1:], strict=True)):
            top, x = row * height, x + (left if one_row else 0)
            painter.setPen(run_pen(index, width=3.0))
            mid = top + height / 2
            painter.drawLine(QPointF(x + 1, mid), QPointF(x + SAMPLE_WIDTH - 1, mid))
            painter.setPen(text_colour)
            painter.drawText(QRectF(x + SAMPLE_WIDTH + self.SPACE, top, w, height), align, label)
        painter.end()
