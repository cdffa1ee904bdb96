"""View > Theme: System, Light or Dark, applied at once and remembered.

System follows the desktop when it switches between light and dark (Qt 6.5+).
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Signal
from PySide6.QtGui import QActionGroup, QGuiApplication
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from gui.appearance.theme import THEMES, apply_theme
from gui.files.settings import store_theme, stored_theme


class ThemeMenu(QMenu):
    """Applies the theme to the application; the windows restyle their plots on ``applied``."""

    applied = Signal(str, str)  # the theme chosen, and the colours it resolved to

    def __init__(self, parent: QWidget, settings: QSettings | None) -> None:
        super().__init__("&Theme", parent)
        self.settings = settings
        self.theme = stored_theme(settings)
        group = QActionGroup(self)
        for theme in THEMES:
            action = self.addAction(theme.capitalize())
            action.setCheckable(True)
            action.setChecked(theme == self.theme)
            action.setStatusTip("Light or dark colours, or as the desktop has it")
            action.triggered.connect(lambda _=False, t=theme: self.choose(t))
            group.addAction(action)
        hints = QGuiApplication.styleHints()
        if hasattr(hints, "colorSchemeChanged"):
            hints.colorSchemeChanged.connect(self._desktop_changed)

    def choose(self, theme: str) -> str:
        """Apply ``theme`` to the widgets and to every plot already made; remember it."""
        self.theme = theme
        if self.settings is not None:
            store_theme(self.settings, theme)
        resolved = apply_theme(QApplication.instance(), theme)
        self.applied.emit(theme, resolved)
        return resolved

    def _desktop_changed(self) -> None:
        if self.theme == "system":
            self.choose("system")
