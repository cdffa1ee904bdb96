"""The dialogs around an export: ask where (and how wide), write, and say why if it failed."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from gui.files.export import export_csv, export_plot_png


def ask_save_path(parent: QWidget, title: str, pattern: str) -> str:
    path, _ = QFileDialog.getSaveFileName(parent, title, "", pattern)
    return path


def save_or_warn(parent: QWidget, action: Callable[[], None]) -> None:
    """Run a write; a failure becomes a dialog saying why (the old file is untouched)."""
    try:
        action()
    except (OSError, ValueError) as error:
        QMessageBox.warning(parent, "Could not save", str(error))


def save_plot_png(parent: QWidget, plot_item) -> None:
    """Ask for a file and a width, then write the plot as PNG."""
    path = ask_save_path(parent, "Save the plot as PNG", "PNG images (*.png)")
    if not path:
        return
    width, ok = QInputDialog.getInt(parent, "Image width", "Width in pixels:", 1600, 16, 10000)
    if ok:
        save_or_warn(parent, lambda: export_plot_png(plot_item, path, width))


def save_csv(parent: QWidget, title: str, header, rows) -> None:
    if path := ask_save_path(parent, title, "CSV files (*.csv)"):
        save_or_warn(parent, lambda: export_csv(path, header, rows))
