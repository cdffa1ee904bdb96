"""Ready-made experiments shipped in resources/presets, one JSON file each, read for both
front ends: the window's Presets menu and ``--preset``, and the headless commands' ``--preset``.

A file holds a ``title`` (the Presets menu's text), a ``config`` (an ExperimentConfig as
``to_dict`` writes it) and optionally a ``description`` (the menu's tip: what to watch).
Its name, without the number that orders the menu, is the preset's short name on the
command line: ``04-spiral-tanh.json`` is ``--preset spiral-tanh``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from model.config import ExperimentConfig
from model.io.safe_files import read_limited
from resources import PRESETS

PRESET_FOLDER = PRESETS  # the shipped presets: the default of every function below
MAX_PRESET_BYTES = 16 * 2**20  # a preset of 100,000 drawn points takes about 6 MB
# The experiment the window opens on when it remembers none: one that learns in seconds.
OPENING_PRESET = "first-run"

# Told of each file skipped, what it was ("preset 05-xor.json") and why, in one line each:
# a front end prints them, the engine never does.
Report = Callable[[str, str], None]
_READ_ERRORS = (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError)


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


def read_presets(folder: Path = PRESET_FOLDER, report: Report | None = None) -> list[Preset]:
    """Every valid preset, in file-name order. A broken file is skipped (and passed to
    ``report``) rather than taking the menu, a command or the start-up down with it."""
    presets = []
    for path in sorted(folder.glob("*.json")):
        try:
            presets.append(_read_preset(path))
        except _READ_ERRORS as error:
            if report is not None:
                report(f"preset {path.name}", _reason(error))
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


def _reason(error: BaseException) -> str:
    if isinstance(error, RecursionError):
        return "nested too deeply"
    return (str(error).splitlines() or [type(error).__name__])[0]


def find_preset(name: str, folder: Path = PRESET_FOLDER, report: Report | None = None) -> Preset:
    """The preset ``name`` means: its short name (``spiral-tanh``), its file name without
    ``.json`` (``04-spiral-tanh``) or its title, in any case. LookupError names the choices."""
    presets = read_presets(folder, report)
    wanted = name.strip().casefold()
    for preset in presets:
        if wanted in (preset.slug, preset.stem.casefold(), preset.title.casefold()):
            return preset
    choices = ", ".join(preset.slug for preset in presets) or "none"
    raise LookupError(f"no preset {name!r}; the presets are: {choices}")


def opening_config(folder: Path = PRESET_FOLDER, report: Report | None = None) -> ExperimentConfig:
    """The window's first experiment when it remembers none: OPENING_PRESET's, or the
    configuration records' defaults (the course's Part II) if that file cannot be read."""
    try:
        return find_preset(OPENING_PRESET, folder, report).config
    except LookupError:
        return ExperimentConfig()
