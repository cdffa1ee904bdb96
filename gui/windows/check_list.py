"""The Check my code window's list of checks: one row per check as it finishes (✓ or ✗, the
module, what was checked, what was found, and the student's number beside the reference's
where the check has two), the progress, a Stop button and the summary line."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from model.checking.report import CheckReport, CheckResult

PASS_MARK, FAIL_MARK = "✓", "✗"
# Bluish green and vermillion (Okabe-Ito): told apart by every kind of colour vision, and the
# marks differ in shape as well.
PASS_COLOUR, FAIL_COLOUR = QColor(0, 158, 115), QColor(213, 94, 0)
COLUMNS = ("", "Module", "Check", "What was found", "Yours", "Reference")
STATUS, MODULE, CHECK, MESSAGE, YOURS, REFERENCE = range(len(COLUMNS))
MESSAGE_WIDTH = 520  # pixels the message column starts with; it takes the spare width


class CheckList(QWidget):
    """The results of one run of the checks, as they come."""

    stop_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.setFormat("%v of %m checks")
        self.stop_button = QPushButton("Stop")
        self.stop_button.setToolTip("Stop checking after the check that is running")
        self.stop_button.clicked.connect(self.stop_requested)
        self.status = QLabel()  # checking / stopped / the one line for an unusable folder
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = self.table.horizontalHeader()
        for column in (STATUS, MODULE, CHECK, YOURS, REFERENCE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(MESSAGE, QHeaderView.ResizeMode.Stretch)
        header.sectionResized.connect(lambda *_: self.table.resizeRowsToContents())
        for column, width in ((STATUS, 28), (MODULE, 100), (CHECK, 190), (YOURS, 130)):
            self.table.setColumnWidth(column, width)
        self.table.setColumnWidth(REFERENCE, 130)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        bold = QFont(self.summary.font())
        bold.setBold(True)
        self.summary.setFont(bold)
        row = QHBoxLayout()
        row.addWidget(self.progress, 1)
        row.addWidget(self.stop_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        self.results: list[CheckResult] = []
        self.set_running(False)

    def start(self, path: str) -> None:
        """A new run on ``path``: the list cleared."""
        self.results = []
        self.table.setRowCount(0)
        self.summary.clear()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status.setText(f"Checking {html.escape(path, quote=False)} …")
        self.set_running(True)

    def set_running(self, running: bool) -> None:
        self.stop_button.setEnabled(running)
        self.stop_button.setVisible(running)
        self.progress.setVisible(running or bool(self.results))

    def add(self, result: CheckResult, done: int, total: int) -> None:
        """One finished check, at the end of the list."""
        self.results.append(result)
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        row = self.table.rowCount()
        self.table.insertRow(row)
        mark = QTableWidgetItem(PASS_MARK if result.passed else FAIL_MARK)
        mark.setForeground(PASS_COLOUR if result.passed else FAIL_COLOUR)
        mark.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        font = QFont(mark.font())
        font.setBold(True)
        larger = QFont(font)
        larger.setPointSizeF(font.pointSizeF() * 1.3)
        mark.setFont(larger)
        mark.setToolTip("passes" if result.passed else "fails")
        cells = {
            STATUS: mark,
            MODULE: QTableWidgetItem(result.module),
            CHECK: QTableWidgetItem(result.check),
            MESSAGE: QTableWidgetItem(result.message),
            YOURS: QTableWidgetItem(result.yours or ""),
            REFERENCE: QTableWidgetItem(result.reference or ""),
        }
        tip = result.message
        if result.output:
            tip += f"\n\nYour code printed:\n{result.output}"
        for column, item in cells.items():
            if column != STATUS:
                item.setToolTip(tip)
                if not result.passed:
                    item.setFont(font)
            item.setTextAlignment(
                Qt.AlignmentFlag.AlignTop
                | (
                    Qt.AlignmentFlag.AlignHCenter
                    if column == STATUS
                    else Qt.AlignmentFlag.AlignLeft
                )
            )
            self.table.setItem(row, column, item)
        self.table.resizeRowToContents(row)
        self.table.scrollToItem(mark)

    def finish(self, report: CheckReport) -> None:
        """Every check done: the summary line."""
        self.set_running(False)
        self.status.clear()
        self.summary.setText(report.summary())

    def stopped(self) -> None:
        """Stopped by the student: said at once, whatever the worker still sends."""
        self.set_running(False)
        done = len(self.results)
        self.status.setText(
            f"<b>Stopped</b> after {done} check{'s' if done != 1 else ''}. Check again to run "
            "them all."
        )

    def refuse(self, why: str) -> None:
        """Nothing could be checked: one line saying why, in bold."""
        self.set_running(False)
        self.progress.hide()
        self.status.setText(f"<b>Nothing was checked:</b> {html.escape(why, quote=False)}")

    def marks(self) -> list[tuple[str, str, str]]:
        """(mark, module, message) per row, as shown: what tests and screenshots read."""
        return [
            (
                self.table.item(row, STATUS).text(),
                self.table.item(row, MODULE).text(),
                self.table.item(row, MESSAGE).text(),
            )
            for row in range(self.table.rowCount())
        ]
