"""One way to make a window action: text, shortcut, a tooltip naming the shortcut, a slot."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget


def _action(parent: QWidget, text: str, shortcut, tip: str) -> QAction:
    action = QAction(text, parent)
    action.setShortcut(QKeySequence(shortcut))
    action.setToolTip(f"{tip} ({QKeySequence(shortcut).toString()})")
    action.setStatusTip(tip)
    parent.addAction(action)
    return action


def make_action(parent: QWidget, text: str, shortcut, tip: str, slot: Callable) -> QAction:
    """An action whose shortcut works anywhere in ``parent``'s window."""
    action = _action(parent, text, shortcut, tip)
    action.triggered.connect(slot)
    return action


def make_toggle(
    parent: QWidget, text: str, shortcut, tip: str, slot: Callable, checked: bool = False
) -> QAction:
    """An on/off action (a view option), likewise; ``slot`` receives each new state."""
    action = _action(parent, text, shortcut, tip)
    action.setCheckable(True)
    action.setChecked(checked)
    action.toggled.connect(slot)
    return action
