"""One way to make a window action: text, shortcut, a tooltip naming the shortcut, a slot."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget


def make_action(parent: QWidget, text: str, shortcut, tip: str, slot: Callable) -> QAction:
    """An action whose shortcut works anywhere in ``parent``'s window."""
    action = QAction(text, parent)
    action.setShortcut(QKeySequence(shortcut))
    action.setToolTip(f"{tip} ({QKeySequence(shortcut).toString()})")
    action.setStatusTip(tip)
    action.triggered.connect(slot)
    parent.addAction(action)
    return action
