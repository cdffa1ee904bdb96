"""The docks under the main views (the Loss landscape; the Network on a narrow window): one
rule for how tall they open and how they share the space, so the boundary and the curves keep
room to be read."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QTabWidget

SHARE = 0.4  # of the window's height
KEEP_FOR_VIEWS = 380  # pixels the views above keep however small the window


def opening_height(window: QMainWindow) -> int:
    """A bottom dock's height when first shown: 40 % of the window, less on a small one."""
    height = window.height()
    return max(160, min(int(height * SHARE), height - KEEP_FOR_VIEWS))


def open_at_height(window: QMainWindow, dock: QDockWidget) -> None:
    window.resizeDocks([dock], [opening_height(window)], Qt.Orientation.Vertical)


def share_bottom_area(window: QMainWindow, docks: list[QDockWidget]) -> None:
    """The docks in the bottom area are tabs of it (each can still be dragged out): two
    shown at once would each get half the width, too narrow for a network or a map. A dock
    that is shown comes to the front."""
    window.setTabPosition(Qt.DockWidgetArea.BottomDockWidgetArea, QTabWidget.TabPosition.North)
    for dock in docks:
        dock.toggleViewAction().triggered.connect(
            lambda checked, dock=dock: checked and dock.raise_()
        )


def join_bottom(window: QMainWindow, dock: QDockWidget, partner: QDockWidget) -> bool:
    """Move ``dock`` to the bottom area as a tab beside ``partner``, if ``partner`` is there;
    returns whether it did."""
    if window.dockWidgetArea(partner) != Qt.DockWidgetArea.BottomDockWidgetArea:
        return False
    window.tabifyDockWidget(partner, dock)
    return True
