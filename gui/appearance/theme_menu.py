"""View > Theme: System, Light or Dark, applied at once and remembered.

System follows the desktop when it switches between light and dark (Qt 6.5+).
"""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QActionGroup, QGuiApplication
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from gui.appearance.theme import THEMES, apply_theme, restyle_plots
from gui.files.settings import store_theme, stored_theme


class ThemeMenu(QMenu):
    def __init__(self, window: QWidget, settings: QSettings | None) -> None:
        super().__init__("&Theme", window)
        self.window = window
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
        for root in (self.window, getattr(self.window, "experiments", None)):
            if root is not None:
                restyle_plots(root)
        self.window.statusBar().showMessage(f"Theme: {theme} ({resolved} colours).", 4000)
        return resolved

    def _desktop_changed(self) -> None:
        if self.theme == "system":
            self.choose("system")
