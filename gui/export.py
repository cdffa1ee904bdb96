"""Exports: plots to PNG, tables to CSV, configurations to JSON, each written atomically.

Every function raises OSError (or ValueError) with a message fit for a dialog; a failed write
leaves any earlier file untouched (model/files.py writes a temporary file, then renames).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from model.config import ExperimentConfig
from model.files import check_writable, write_atomic, write_csv_atomic


def _check(path: str | os.PathLike) -> None:
    problem = check_writable(path)
    if problem:
        raise OSError(f"cannot write {path}: {problem}")


def export_plot_png(plot_item, path: str | os.PathLike, width: int = 1200) -> None:
    """Render a pyqtgraph PlotItem (or scene item) to a PNG ``width`` pixels wide."""
    import pyqtgraph.exporters as exporters

    _check(path)
    if not 16 <= width <= 10_000:
        raise ValueError(f"width must be from 16 to 10000 pixels, got {width}")
    exporter = exporters.ImageExporter(plot_item)
    exporter.parameters()["width"] = int(width)
    target = Path(path)
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".png", dir=target.parent)
    os.close(fd)
    try:
        exporter.export(temporary)
        data = Path(temporary).read_bytes()
    finally:
        Path(temporary).unlink(missing_ok=True)
    if not data:
        raise OSError(f"cannot write {path}: the image could not be rendered")
    write_atomic(path, data)


def export_csv(path: str | os.PathLike, header: Sequence[str], rows: Iterable[Sequence]) -> None:
    _check(path)
    write_csv_atomic(path, header, rows)


def export_config_json(path: str | os.PathLike, config: ExperimentConfig) -> None:
    _check(path)
    text = json.dumps(config.to_dict(), indent=2) + "\n"
    write_atomic(path, text.encode("utf-8"))
