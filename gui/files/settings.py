"""What the app remembers between runs (QSettings): window layout and the last configuration.

Recent files are kept by ``gui.files.session_files``. A stored value that cannot be used (from
an older version, or edited by hand) is ignored, never an error at start-up.
"""

from __future__ import annotations

import json
import sys

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow

from model.config import ExperimentConfig

ORGANISATION = "Neural Playground"
APPLICATION = "Neural Playground"
GEOMETRY_KEY = "window/geometry"
STATE_KEY = "window/state"
CONFIG_KEY = "experiment/last"
THEME_KEY = "appearance/theme"
MAX_STORED_CONFIG = 64 * 2**20  # characters: 100,000 custom points take about 6 MB


def app_settings() -> QSettings:
    """The user's settings store (per user, in the platform's usual place)."""
    return QSettings(ORGANISATION, APPLICATION)


def skipped(what: str, error: BaseException | str) -> None:
    """One line on stderr for a remembered value (or a shipped preset) that is not used."""
    reason = "nested too deeply" if isinstance(error, RecursionError) else error
    print(f"Neural Playground: {what} skipped: {reason}", file=sys.stderr)


def last_config(settings: QSettings) -> ExperimentConfig | None:
    """The configuration in use when the app was last closed, if it is still valid."""
    try:
        raw = settings.value(CONFIG_KEY)
        if not raw:
            return None
        if not isinstance(raw, str):
            raise ValueError(f"a {type(raw).__name__}, not JSON text")
        if len(raw) > MAX_STORED_CONFIG:
            raise ValueError(f"longer than {MAX_STORED_CONFIG:,} characters")
        return ExperimentConfig.from_dict(json.loads(raw))
    except Exception as error:  # whatever is stored, start-up goes on
        skipped("the last configuration", error)
        return None


def restore_window(window: QMainWindow, settings: QSettings) -> None:
    """Size, position, docks and toolbars as they were (as far as the stored bytes allow)."""
    for key, restore in ((GEOMETRY_KEY, window.restoreGeometry), (STATE_KEY, window.restoreState)):
        try:
            value = settings.value(key)
            if isinstance(value, QByteArray) and not restore(value):
                raise ValueError("Qt could not read it")
        except Exception as error:  # a damaged layout is only a layout
            skipped(f"the stored {key}", error)


def save_window(window: QMainWindow, settings: QSettings, config: ExperimentConfig) -> None:
    """The window's layout and the configuration in force, for the next start."""
    settings.setValue(GEOMETRY_KEY, window.saveGeometry())
    settings.setValue(STATE_KEY, window.saveState())
    settings.setValue(CONFIG_KEY, config.to_json())
    settings.sync()


def stored_theme(settings: QSettings | None) -> str:
    """The theme chosen in View > Theme, or "system"."""
    try:
        value = settings.value(THEME_KEY, "system") if settings is not None else "system"
    except Exception as error:
        skipped("the stored theme", error)
        return "system"
    return value if isinstance(value, str) and value in ("system", "light", "dark") else "system"


def store_theme(settings: QSettings, theme: str) -> None:
    settings.setValue(THEME_KEY, theme)
