"""Exports: plots to PNG, tables to CSV, configurations to JSON, each written atomically.

Every function raises OSError (or ValueError) with a message fit for a dialog; a failed write
leaves any earlier file untouched (model/io/safe_files.py writes a temporary file, then renames).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence

from model.config import ExperimentConfig
from model.io.safe_files import check_writable, write_atomic, write_csv_atomic


def _check(path: str | os.PathLike) -> None:
    problem = check_writable(path)
    if problem:
        raise OSError(f"cannot write {path}: {problem}")


def export_plot_png(plot_item, path: str | os.PathLike, width: int = 1200) -> None:
    """Render a pyqtgraph PlotItem (or scene item) to a PNG ``width`` pixels wide."""
    _check(path)
    export_image_png(render_plot(plot_item, width), path)


def render_plot(plot_item, width: int = 1200):
    """A pyqtgraph PlotItem (or scene item) as a QImage ``width`` pixels wide: drawn in the
    window's thread, which owns the scene; encoding and writing it may happen elsewhere."""
    import pyqtgraph.exporters as exporters

    if not 16 <= width <= 10_000:
        raise ValueError(f"width must be from 16 to 10000 pixels, got {width}")
    exporter = exporters.ImageExporter(plot_item)
    exporter.parameters()["width"] = int(width)
    return exporter.export(toBytes=True)


def png_bytes(image) -> bytes:
    """A QImage (or QPixmap) encoded as PNG in memory (OSError if Qt cannot encode it)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if image.isNull() or not image.save(buffer, "PNG"):
        raise OSError("the image could not be encoded as PNG")
    buffer.close()
    return bytes(data.data())


def export_image_png(image, path: str | os.PathLike) -> None:
    """Write a QImage or QPixmap as PNG, all or nothing: encoded first, then written
    atomically, so a full disk leaves the old file and raises OSError."""
    try:
        data = png_bytes(image)
    except OSError as error:
        raise OSError(f"cannot write {path}: {error}") from None
    write_atomic(path, data)


def export_csv(path: str | os.PathLike, header: Sequence[str], rows: Iterable[Sequence]) -> None:
    _check(path)
    write_csv_atomic(path, header, rows)


def export_config_json(path: str | os.PathLike, config: ExperimentConfig) -> None:
    _check(path)
    text = json.dumps(config.to_dict(), indent=2) + "\n"
    write_atomic(path, text.encode("utf-8"))
