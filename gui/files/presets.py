"""Ready-made experiments shipped in resources/presets, one JSON file each.

A file holds a ``title`` (the Presets menu's text), a ``config`` (an ExperimentConfig as
``to_dict`` writes it) and optionally a ``description`` (the menu's tip: what to watch).
Its name, without the number that orders the menu, is the preset's short name on the
command line: ``04-spiral-tanh.json`` is ``--preset spiral-tanh``. Nothing here imports Qt.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from model.config import ExperimentConfig
from model.io.safe_files import read_limited
from resources import PRESETS

PRESET_FOLDER = PRESETS  # the shipped presets: the default of every function below
MAX_PRESET_BYTES = 16 * 2**20  # a preset of 100,000 drawn points takes about 6 MB


@dataclass(frozen=True)
class Preset:
    slug: str  # the file name without its number prefix: "spiral-tanh"
    title: str
    config: ExperimentConfig
    description: str = ""
    stem: str = ""  # the file name without .json: "04-spiral-tanh"


def slug_of(path: Path) -> str:
    """``04-spiral-tanh.json`` -> ``spiral-tanh``."""
    return re.sub(r"^\d+[-_ ]*", "", path.stem).lower()


def read_presets(folder: Path = PRESET_FOLDER) -> list[Preset]:
    """Every valid preset, in file-name order. A broken file is skipped with one line on
    stderr rather than taking the menu (or the start-up) down with it."""
    presets = []
    for path in sorted(folder.glob("*.json")):
        try:
            presets.append(_read_preset(path))
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
            _skipped(path, error)
    return presets


def _read_preset(path: Path) -> Preset:
    # Only a regular file, and never more than the limit, counted while reading.
    raw = json.loads(read_limited(path, MAX_PRESET_BYTES).decode("utf-8"))
    if not isinstance(raw, dict):
        raise ValueError("not a JSON object")
    for key in ("title", "config"):
        if key not in raw:
            raise ValueError(f"no {key!r}")
    config = ExperimentConfig.from_dict(raw["config"])
    description = str(raw.get("description", ""))
    return Preset(slug_of(path), str(raw["title"]), config, description, path.stem)


def _skipped(path: Path, error: BaseException) -> None:
    if isinstance(error, RecursionError):
        reason = "nested too deeply"
    else:
        reason = (str(error).splitlines() or [type(error).__name__])[0]
    print(f"Neural Playground: preset {path.name} skipped: {reason}", file=sys.stderr)


def load_presets(folder: Path = PRESET_FOLDER) -> list[tuple[str, ExperimentConfig]]:
    """(title, configuration) for every valid preset, in file-name order."""
    return [(preset.title, preset.config) for preset in read_presets(folder)]


def find_preset(name: str, folder: Path = PRESET_FOLDER) -> Preset:
    """The preset ``name`` means: its short name (``spiral-tanh``), its file name without
    ``.json`` (``04-spiral-tanh``) or its title, in any case. LookupError names the choices."""
    presets = read_presets(folder)
    wanted = name.strip().casefold()
    for preset in presets:
        if wanted in (preset.slug, preset.stem.casefold(), preset.title.casefold()):
            return preset
    choices = ", ".join(preset.slug for preset in presets) or "none"
    raise LookupError(f"no preset {name!r}; the presets are: {choices}")
