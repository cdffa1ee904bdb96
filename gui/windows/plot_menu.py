"""A right-click menu on every plot: copy it to the clipboard as an image, or save it as PNG.

A plot in drawing mode (right click removes a point) keeps its right click.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from gui.files.export import export_image_png
from gui.files.save_dialogs import ask_save_path, save_or_warn


def copy_image(widget: QWidget) -> None:
    """The widget as it is drawn now, on the clipboard."""
    QApplication.clipboard().setImage(widget.grab().toImage())


def save_image(parent: QWidget, widget: QWidget) -> None:
    path = ask_save_path(parent, "Save the plot as PNG", "PNG images (*.png)")
    if path:
        save_or_warn(parent, lambda: export_image_png(widget.grab(), path))


class PlotMenus(QObject):
    """Gives every pyqtgraph view under ``root`` the copy/save menu."""

    def __init__(self, root: QWidget) -> None:
        super().__init__(root)
        self.root = root
        self.views: list[pg.GraphicsView] = []
        self.attach_all()

    def attach_all(self) -> None:
        """Attach to the views that exist now (call again after adding plots)."""
        for view in self.root.findChildren(pg.GraphicsView):
            if view not in self.views:
                self.views.append(view)
                # A signal, not an event filter: no Python runs for the views' other events
                # (every frame's paint among them).
                view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
                view.customContextMenuRequested.connect(
                    lambda point, v=view: self.show_menu(v, point)
                )

    def show_menu(self, view: pg.GraphicsView, point: QPoint) -> bool:
        """The menu at ``point`` (view coordinates); False when the right click is the
        view's own (removing a point while drawing)."""
        if getattr(view, "drawing", False):
            return False
        menu = QMenu(view)
        menu.addAction("Copy image", lambda: copy_image(view))
        menu.addAction("Save image as PNG…", lambda: save_image(self.root, view))
        menu.exec(view.mapToGlobal(point))
        return True
