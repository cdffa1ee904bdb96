"""What the app remembers between runs (QSettings): window layout and the last configuration.

Recent files are kept by ``gui.session_files``. A stored value that cannot be used (from
an older version, or edited by hand) is ignored, never an error at start-up.
"""

from __future__ import annotations

import json

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow

from model.config import ExperimentConfig

ORGANISATION = "Neural Playground"
APPLICATION = "Neural Playground"
GEOMETRY_KEY = "window/geometry"
STATE_KEY = "window/state"
CONFIG_KEY = "experiment/last"
THEME_KEY = "appearance/theme"


def app_settings() -> QSettings:
    """The user's settings store (per user, in the platform's usual place)."""
    return QSettings(ORGANISATION, APPLICATION)


def last_config(settings: QSettings) -> ExperimentConfig | None:
    """The configuration in use when the app was last closed, if it is still valid."""
    raw = settings.value(CONFIG_KEY)
    if not raw:
        return None
    try:
        return ExperimentConfig.from_dict(json.loads(str(raw)))
    except (ValueError, TypeError):
        return None


def restore_window(window: QMainWindow, settings: QSettings) -> None:
    """Size, position, docks and toolbars as they were."""
    geometry = settings.value(GEOMETRY_KEY)
    if isinstance(geometry, QByteArray):
        window.restoreGeometry(geometry)
    state = settings.value(STATE_KEY)
    if isinstance(state, QByteArray):
        window.restoreState(state)


def save_window(window, settings: QSettings) -> None:
    settings.setValue(GEOMETRY_KEY, window.saveGeometry())
    settings.setValue(STATE_KEY, window.saveState())
    settings.setValue(CONFIG_KEY, json.dumps(window.config.to_dict()))
    settings.sync()


def stored_theme(settings: QSettings | None) -> str:
    """The theme chosen in View > Theme, or "system"."""
    value = settings.value(THEME_KEY, "system") if settings is not None else "system"
    return value if value in ("system", "light", "dark") else "system"


def store_theme(settings: QSettings, theme: str) -> None:
    settings.setValue(THEME_KEY, theme)
