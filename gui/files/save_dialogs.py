"""The dialogs around an export: ask where (and how wide), write, and say why if it failed.

What takes long is written by a pool thread (``FileWrites``): a plot is drawn in the window's
thread, which owns it, and encoded and written there; a table or a file of 100,000 points is
written there whole. The window's thread only asks and then answers: "Saved" in the status
bar, or a one-line dialog saying why, the old file kept (every write is atomic).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from gui.files.export import export_csv, export_image_png, render_plot

SAVED_MS = 5000  # how long "Saved ..." stays in the status bar


def ask_save_path(parent: QWidget, title: str, pattern: str) -> str:
    path, _ = QFileDialog.getSaveFileName(parent, title, "", pattern)
    return path


def save_or_warn(parent: QWidget, action: Callable[[], None]) -> None:
    """Run a write; a failure becomes a dialog saying why (the old file is untouched)."""
    try:
        action()
    except (OSError, ValueError) as error:
        QMessageBox.warning(parent, "Could not save", str(error))


def _problem(action: Callable[[], None]) -> str:
    """Run ``action``: "" when it worked, else why not, in one line."""
    try:
        action()
    except (OSError, ValueError, MemoryError) as error:
        return str(error) or type(error).__name__
    return ""


class FileWrites(QObject):
    """Writes files in a pool thread of its own, one at a time and in order. Made by
    ``writes_for`` as a child of a window; the window waits for it when it closes."""

    finished = Signal(str, str)  # path, why it failed ("" when written); queued to the window

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.last: tuple[str, str] | None = None  # the last answer: path, problem
        self.finished.connect(self._answer)

    def write(self, path: str, action: Callable[[], None]) -> None:
        """Run ``action`` (which writes ``path``) in the pool thread; answer when done."""
        self._say(f"Saving {Path(path).name}…", 0)
        self.pool.start(lambda: self.finished.emit(str(path), _problem(action)))

    def busy(self) -> bool:
        return self.pool.activeThreadCount() > 0

    def wait(self) -> None:
        """Until every file asked for is written (the window is closing)."""
        self.pool.waitForDone()

    def _answer(self, path: str, problem: str) -> None:
        self.last = (path, problem)
        if problem:
            self._say("", 0)
            QMessageBox.warning(self.window, "Could not save", problem)
        else:
            self._say(f"Saved {path}", SAVED_MS)

    def _say(self, text: str, milliseconds: int) -> None:
        status = getattr(self.window, "statusBar", None)
        if status is not None:
            status().showMessage(text, milliseconds)


def writes_for(parent: QWidget) -> FileWrites:
    """The file writes of ``parent``'s window (made on first use)."""
    window = parent.window()
    writes = window.findChild(FileWrites, options=Qt.FindChildOption.FindDirectChildrenOnly)
    return writes if writes is not None else FileWrites(window)


def save_in_background(parent: QWidget, path: str, action: Callable[[], None]) -> None:
    """Write ``path`` by ``action`` in a pool thread: it must not touch a widget."""
    writes_for(parent).write(path, action)


def save_plot_png(parent: QWidget, plot_item) -> None:
    """Ask for a file and a width; draw the plot here, encode and write it in a pool thread."""
    path = ask_save_path(parent, "Save the plot as PNG", "PNG images (*.png)")
    if not path:
        return
    width, ok = QInputDialog.getInt(parent, "Image width", "Width in pixels:", 1600, 16, 10000)
    if not ok:
        return
    try:
        image = render_plot(plot_item, width)
    except (OSError, ValueError) as error:
        QMessageBox.warning(parent, "Could not save", str(error))
        return
    save_in_background(parent, path, lambda: export_image_png(image, path))


def save_csv(parent: QWidget, title: str, header, rows) -> None:
    """Ask for a file; the rows are taken now and written in a pool thread."""
    if path := ask_save_path(parent, title, "CSV files (*.csv)"):
        header, rows = list(header), [tuple(row) for row in rows]
        save_in_background(parent, path, lambda: export_csv(path, header, rows))
