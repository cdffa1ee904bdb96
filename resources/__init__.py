"""Files the app reads while it runs: the presets and the guide.

A package, so that one lookup finds them in a checkout and in an installed copy alike
(``pip install .`` ships them as package data, as pyproject.toml lists).
"""

from __future__ import annotations

from pathlib import Path

FOLDER = Path(__file__).resolve().parent
PRESETS = FOLDER / "presets"  # one JSON file a preset (model/io/presets.py)
GUIDE = FOLDER / "guide.html"  # Help > Guide (gui/windows/guide.py)
