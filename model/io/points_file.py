"""Data of the user's own: points read from and written to CSV files of ``x1,x2,label``.

A file is taken whole or not at all: every line is checked first, and a bad file raises
one ValueError naming its first bad lines, so nothing partial is ever loaded. The caller
says which problem the file poses: for classification the third column names classes
(numbers or words); for regression it is a real-valued target, ``x1,x2,target``. Integer
targets are real values too, so the file alone cannot tell: it is never guessed.

A plain file (no quotes, three fields on every line, every number good) is read a column
at a time (100,000 lines in about 0.1 s instead of 0.4 s); anything else, and any doubt,
goes to the reader that checks line by line, which alone decides what is wrong and names
the lines. Both give the same points for every file the fast one takes.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from model.data.datasets import CLASSIFICATION, REGRESSION, check_problem
from model.io.safe_files import UnreadableFile, read_limited, write_csv_atomic
from model.limits import (
    MAX_CLASSES,
    MAX_COORDINATE,
    MAX_POINTS_FILE_BYTES,
    MAX_SAMPLES,
    MAX_TARGET,
)

MIN_POINTS = 4
REPORTED_LINES = 3  # bad lines named in a message; the count of the rest follows


@dataclass(frozen=True)
class LabelledPoints:
    """Points in the plane with class indices 0..k-1 and the class names they came with, or
    (``problem == "regression"``) a real target each and no class names."""

    X: np.ndarray  # (n, 2) float64
    y: np.ndarray  # (n,) int64 classes, or float64 targets
    class_names: tuple[str, ...]
    problem: str = CLASSIFICATION


def _number(text: str) -> float | None:
    if "_" in text:  # Python reads 1_0 as 10; a data file means no such thing
        return None
    try:
        return float(text)
    except ValueError:
        return None


def _number_problem(name: str, text: str, limit: float) -> str | None:
    value = _number(text)
    if value is None:
        return f"{name} {text.strip()!r} is not a number"
    if not math.isfinite(value):
        return f"{name} is {text.strip()}, not a finite number"
    if abs(value) > limit:
        return f"{name} is {text.strip()}, beyond +-{limit:g}"
    return None


def _line_problem(fields: list[str], regression: bool) -> str | None:
    third = "target" if regression else "label"
    if len(fields) != 3:
        return f"expected 3 columns (x1,x2,{third}), got {len(fields)}"
    for name, text in zip(("x1", "x2"), fields[:2], strict=True):
        if problem := _number_problem(name, text, MAX_COORDINATE):
            return problem
    if regression:
        return _number_problem("the target", fields[2], MAX_TARGET)
    if not fields[2].strip():
        return "the label is empty"
    return None


def _is_header(fields: list[str]) -> bool:
    return len(fields) == 3 and _number(fields[0]) is None and _number(fields[1]) is None


def class_order(labels: list[str]) -> list[str]:
    """Integer labels in numeric order, other labels in text order."""
    distinct = set(labels)
    try:
        return sorted(distinct, key=lambda text: (int(text), text))
    except ValueError:
        return sorted(distinct)


def parse_points(
    text: str, source: str = "the file", problem: str = CLASSIFICATION
) -> LabelledPoints:
    """The points of CSV ``text``; a ValueError names the first bad lines of ``source``."""
    regression = check_problem(problem) == REGRESSION
    plain = _plain_columns(text, regression)
    if plain is not None:
        X, third = plain
        if regression:
            return target_points(X, third, source)
        return labelled_points(X, third, source)
    coordinates, labels = _checked_lines(text, source, regression)
    if regression:
        return target_points(coordinates, [float(text) for text in labels], source)
    return labelled_points(coordinates, labels, source)


def _checked_lines(
    text: str, source: str, regression: bool
) -> tuple[list[tuple[float, float]], list[str]]:
    """Every line checked, one at a time: the coordinates and third fields, or a ValueError
    naming the first bad lines."""
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
        line_problem = _line_problem(fields, regression)
        if line_problem:
            problems.append(f"line {number}: {line_problem}")
            continue
        coordinates.append((float(fields[0]), float(fields[1])))
        labels.append(fields[2].strip())
    if problems:
        shown = "; ".join(problems[:REPORTED_LINES])
        more = len(problems) - REPORTED_LINES
        extra = f" (and {more} more bad line{'s' if more > 1 else ''})" if more > 0 else ""
        raise ValueError(f"{source} was not loaded: {shown}{extra}")
    return coordinates, labels


def _plain_columns(text: str, regression: bool) -> tuple[np.ndarray, list | np.ndarray] | None:
    """The coordinates (n, 2) and third fields (labels stripped, or targets) of ``text``
    when every line is plainly good, read a column at a time; None at the least doubt.

    Plain: no quotes, NUL or lone carriage return (where the CSV reader would differ from
    splitting at commas), no field over the CSV reader's limit, exactly two commas on each
    line that is not blank, and every number one that ``_line_problem`` takes."""
    if '"' in text or "\0" in text:
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            return None
    lines = [line for line in text.split("\n") if line.strip()]  # blank lines carry nothing
    if lines and _is_header(lines[0].split(",")):
        del lines[0]
    n = len(lines)
    if n == 0 or max(map(len, lines)) > csv.field_size_limit():
        return None
    commas = np.fromiter(map(str.count, lines, itertools.repeat(",")), np.int64, count=n)
    if np.any(commas != 2):
        return None
    fields = ",".join(lines).split(",")
    X = np.empty((n, 2))
    for column in (0, 1):
        values = _plain_numbers(fields[column::3], MAX_COORDINATE)
        if values is None:
            return None
        X[:, column] = values
    if regression:
        targets = _plain_numbers(fields[2::3], MAX_TARGET)
        return None if targets is None else (X, targets)
    labels = list(map(str.strip, fields[2::3]))
    return None if "" in labels else (X, labels)


def _plain_numbers(texts: list[str], limit: float) -> np.ndarray | None:
    """The numbers ``texts`` hold when each is one ``_number_problem`` takes, else None."""
    if "_" in "".join(texts):
        return None  # 1_0 is not a number in a data file
    try:
        values = np.fromiter(map(float, texts), np.float64, count=len(texts))
    except ValueError:
        return None
    if not np.all(np.abs(values) <= limit):  # NaN and infinities fail this too
        return None
    return values


def _check_count(n: int, source: str) -> None:
    if n < MIN_POINTS:
        raise ValueError(
            f"{source} was not loaded: it has {n} points, at least {MIN_POINTS} are needed"
        )
    if n > MAX_SAMPLES:
        raise ValueError(
            f"{source} was not loaded: it has {n} points, at most {MAX_SAMPLES} are allowed"
        )


def target_points(coordinates, targets, source: str = "the data") -> LabelledPoints:
    """Regression points: the whole set's size checked, the targets kept as they are."""
    _check_count(len(targets), source)
    X = np.asarray(coordinates, dtype=np.float64).reshape(-1, 2)
    return LabelledPoints(X, np.asarray(targets, dtype=np.float64), (), REGRESSION)


def labelled_points(coordinates, labels: list[str], source: str = "the data") -> LabelledPoints:
    """Check the whole set (size, classes) and number the classes 0..k-1."""
    _check_count(len(labels), source)
    names = class_order(labels)
    if len(names) < 2:
        raise ValueError(
            f"{source} was not loaded: every point has the label {names[0]!r}; "
            "at least 2 classes are needed"
        )
    if len(names) > MAX_CLASSES:
        raise ValueError(
            f"{source} was not loaded: it has {len(names)} classes "
            f"({', '.join(names[:8])}{', ...' if len(names) > 8 else ''}); "
            f"at most {MAX_CLASSES} are allowed{_regression_hint(names)}"
        )
    index = {name: k for k, name in enumerate(names)}
    X = np.asarray(coordinates, dtype=np.float64).reshape(-1, 2)
    y = np.fromiter(map(index.__getitem__, labels), np.int64, count=len(labels))
    return LabelledPoints(X, y, tuple(names))


def _regression_hint(names: list[str]) -> str:
    """Too many classes that are all numbers: likely real-valued targets."""
    if all(_number(name) is not None for name in names):
        return " (its labels are numbers: load it for regression if they are targets)"
    return ""


def read_points(path: str | os.PathLike, problem: str = CLASSIFICATION) -> LabelledPoints:
    """The points in the CSV file at ``path`` (a third column of class labels, or for
    regression of real targets); ValueError (one line) when it cannot be used."""
    name = Path(path).name
    try:
        raw = read_limited(path, MAX_POINTS_FILE_BYTES)
    except UnreadableFile as error:
        raise ValueError(f"{name} was not loaded: it {error}") from None
    except OSError as error:
        raise ValueError(f"{name} could not be read: {error.strerror or error}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(f"{name} was not loaded: it is not a UTF-8 text file") from None
    return parse_points(text, name, problem)


def write_points(path: str | os.PathLike, points: LabelledPoints) -> None:
    """Write ``x1,x2,label`` rows (labels by their names), or for regression
    ``x1,x2,target`` rows (the targets' exact values), atomically."""
    if points.problem == REGRESSION:
        third = (repr(float(t)) for t in points.y)
        header = ("x1", "x2", "target")
    else:
        third = (points.class_names[k] for k in points.y)
        header = ("x1", "x2", "label")
    rows = (
        (repr(float(x1)), repr(float(x2)), value)
        for (x1, x2), value in zip(points.X, third, strict=True)
    )
    write_csv_atomic(path, header, rows)
