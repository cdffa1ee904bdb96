"""Ready-made experiments shipped in resources/presets, one JSON file each."""

from __future__ import annotations

import json
from pathlib import Path

from model.config import ExperimentConfig

PRESET_FOLDER = Path(__file__).resolve().parents[1] / "resources" / "presets"


def load_presets(folder: Path = PRESET_FOLDER) -> list[tuple[str, ExperimentConfig]]:
    """(title, configuration) for every valid preset, in file-name order; a broken file is
    skipped rather than taking the menu down with it."""
    presets = []
    for path in sorted(folder.glob("*.json")):
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            presets.append((str(raw["title"]), ExperimentConfig.from_dict(raw["config"])))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return presets
