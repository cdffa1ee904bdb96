"""The table of a comparison's final figures: one row per run, marked with its line sample."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QHeaderView, QSizePolicy, QTableWidget, QTableWidgetItem

from gui.views.compare_style import SAMPLE_WIDTH, line_sample
from model.experiments.comparisons import Comparison

TABLE_ROWS_SHOWN = 8  # the table grows to show this many runs, then scrolls
HEADERS = ["run", "train loss", "train acc", "test loss", "test acc", "updates"]


class RunTable(QTableWidget):
    """Final train and test figures of every run, as tall as its rows (up to a limit) and
    as wide as its columns. ``room()`` is the height it may take, None when not on screen."""

    def __init__(self, room: Callable[[], int | None], parent=None) -> None:
        super().__init__(0, len(HEADERS), parent)
        self.room = room
        self.setHorizontalHeaderLabels(HEADERS)
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.verticalHeader().hide()
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.setIconSize(QSize(SAMPLE_WIDTH, 14))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def clear_runs(self) -> None:
        """No runs: an empty table, two rows high."""
        self.setRowCount(0)
        self.fit()

    def fill(self, comparison: Comparison, values: list[str]) -> None:
        """A row per run: its value (waiting or diverged) and its last figures."""
        rows_before = self.rowCount()
        self.setRowCount(len(comparison.runs))
        self.horizontalHeaderItem(0).setText(comparison.parameter.replace("_", " "))
        for row, run in enumerate(comparison.runs):
            f = run.final
            if f is None:  # a parallel run that has not reported yet
                cells = [f"{values[row]} (waiting)", "", "", "", "", ""]
            else:
                cells = [
                    values[row] + (" (diverged)" if run.stopped_reason else ""),
                    f"{f.train_loss:.4f}",
                    f"{f.train_accuracy:.3f}",
                    f"{f.test_loss:.4f}",
                    f"{f.test_accuracy:.3f}",
                    str(f.update),
                ]
            for column, text in enumerate(cells):
                self._cell(row, column).setText(text)
        self.resizeColumnsToContents()
        if self.rowCount() != rows_before:
            self.fit()
        else:
            self.setFixedWidth(self._width())

    def _cell(self, row: int, column: int) -> QTableWidgetItem:
        """The item at (row, column), made on first use: numbers right-aligned, the run's
        name beside its line sample."""
        item = self.item(row, column)
        if item is None:
            item = QTableWidgetItem()
            if column:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            else:
                item.setIcon(QIcon(line_sample(row)))
            self.setItem(row, column, item)
        return item

    def _width(self) -> int:
        scroll = self.verticalScrollBar().sizeHint().width()
        return self.horizontalHeader().length() + 2 * self.frameWidth() + scroll

    def fit(self) -> None:
        """Tall enough for every run, up to TABLE_ROWS_SHOWN and the room given (then it
        scrolls); at least two rows."""
        row = self.verticalHeader().defaultSectionSize()
        chrome = self.horizontalHeader().sizeHint().height() + 2 * self.frameWidth()
        room = self.room()
        rows = (room - chrome) // row if room is not None else TABLE_ROWS_SHOWN
        shown = max(2, min(self.rowCount(), TABLE_ROWS_SHOWN, rows))
        self.setFixedHeight(chrome + shown * row)
        self.setFixedWidth(self._width())
