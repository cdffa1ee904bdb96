"""Data of the user's own: points read from and written to CSV files of ``x1,x2,label``.

A file is taken whole or not at all: every line is checked first, and a bad file raises
one ValueError naming its first bad lines, so nothing partial is ever loaded.
"""

from __future__ import annotations

import csv
import io
import math
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from model.datasets import MAX_CLASSES, MAX_COORDINATE, MAX_SAMPLES
from model.files import UnreadableFile, read_limited, write_csv_atomic

MIN_POINTS = 4
MAX_FILE_BYTES = 50_000_000
REPORTED_LINES = 3  # bad lines named in a message; the count of the rest follows


@dataclass(frozen=True)
class LabelledPoints:
    """Points in the plane with class indices 0..k-1 and the class names they came with."""

    X: np.ndarray  # (n, 2) float64
    y: np.ndarray  # (n,) int64
    class_names: tuple[str, ...]


def _number(text: str) -> float | None:
    if "_" in text:  # Python reads 1_0 as 10; a data file means no such thing
        return None
    try:
        return float(text)
    except ValueError:
        return None


def _line_problem(fields: list[str]) -> str | None:
    if len(fields) != 3:
        return f"expected 3 columns (x1,x2,label), got {len(fields)}"
    for name, text in zip(("x1", "x2"), fields[:2], strict=True):
        value = _number(text)
        if value is None:
            return f"{name} {text.strip()!r} is not a number"
        if not math.isfinite(value):
            return f"{name} is {text.strip()}, not a finite number"
        if abs(value) > MAX_COORDINATE:
            return f"{name} is {text.strip()}, beyond +-{MAX_COORDINATE:g}"
    if not fields[2].strip():
        return "the label is empty"
    return None


def _is_header(fields: list[str]) -> bool:
    return len(fields) == 3 and _number(fields[0]) is None and _number(fields[1]) is None


def _class_order(labels: list[str]) -> list[str]:
    """Integer labels in numeric order, other labels in text order."""
    distinct = set(labels)
    try:
        return sorted(distinct, key=lambda text: (int(text), text))
    except ValueError:
        return sorted(distinct)


def parse_points(text: str, source: str = "the file") -> LabelledPoints:
    """The points of CSV ``text``; a ValueError names the first bad lines of ``source``."""
    problems: list[str] = []
    coordinates: list[tuple[float, float]] = []
    labels: list[str] = []
    reader = csv.reader(io.StringIO(text))
    first = True
    try:
        records = [(reader.line_num, fields) for fields in reader]
    except csv.Error as error:
        raise ValueError(f"{source} was not loaded: line {reader.line_num}: {error}") from None
    for number, fields in records:
        if not fields or (len(fields) == 1 and not fields[0].strip()):
            continue  # blank lines carry nothing
        if first and _is_header(fields):
            first = False
            continue
        first = False
        problem = _line_problem(fields)
        if problem:
            problems.append(f"line {number}: {problem}")
            continue
        coordinates.append((float(fields[0]), float(fields[1])))
        labels.append(fields[2].strip())
    if problems:
        shown = "; ".join(problems[:REPORTED_LINES])
        more = len(problems) - REPORTED_LINES
        extra = f" (and {more} more bad line{'s' if more > 1 else ''})" if more > 0 else ""
        raise ValueError(f"{source} was not loaded: {shown}{extra}")
    return labelled_points(coordinates, labels, source)


def labelled_points(coordinates, labels: list[str], source: str = "the data") -> LabelledPoints:
    """Check the whole set (size, classes) and number the classes 0..k-1."""
    if len(labels) < MIN_POINTS:
        raise ValueError(
            f"{source} was not loaded: it has {len(labels)} points, at least "
            f"{MIN_POINTS} are needed"
        )
    if len(labels) > MAX_SAMPLES:
        raise ValueError(
            f"{source} was not loaded: it has {len(labels)} points, at most "
            f"{MAX_SAMPLES} are allowed"
        )
    names = _class_order(labels)
    if len(names) < 2:
        raise ValueError(
            f"{source} was not loaded: every point has the label {names[0]!r}; "
            "at least 2 classes are needed"
        )
    if len(names) > MAX_CLASSES:
        raise ValueError(
            f"{source} was not loaded: it has {len(names)} classes "
            f"({', '.join(names[:8])}{', ...' if len(names) > 8 else ''}); "
            f"at most {MAX_CLASSES} are allowed"
        )
    index = {name: k for k, name in enumerate(names)}
    X = np.asarray(coordinates, dtype=np.float64).reshape(-1, 2)
    y = np.array([index[label] for label in labels], dtype=np.int64)
    return LabelledPoints(X, y, tuple(names))


def read_points(path: str | os.PathLike) -> LabelledPoints:
    """The points in the CSV file at ``path``; ValueError (one line) when it cannot be used."""
    name = Path(path).name
    try:
        raw = read_limited(path, MAX_FILE_BYTES)
    except UnreadableFile as error:
        raise ValueError(f"{name} was not loaded: it {error}") from None
    except OSError as error:
        raise ValueError(f"{name} could not be read: {error.strerror or error}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(f"{name} was not loaded: it is not a UTF-8 text file") from None
    return parse_points(text, name)


def write_points(path: str | os.PathLike, points: LabelledPoints) -> None:
    """Write ``x1,x2,label`` rows (labels by their names) atomically."""
    names = points.class_names
    rows = (
        (repr(float(x1)), repr(float(x2)), names[k])
        for (x1, x2), k in zip(points.X, points.y, strict=True)
    )
    write_csv_atomic(path, ("x1", "x2", "label"), rows)
