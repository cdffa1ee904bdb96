"""Calling the student's code inside its process: an exception it raises becomes a failed check
that names the call, the error and the student's own line; an answer of the wrong kind becomes
a failed check that says what was expected.
"""

from __future__ import annotations

import errno
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from model.limits import CHECK_OUTPUT_BYTES

MESSAGE_CHARS = 240  # of an error's own text, at most, in a check's message
_FOLDER: list[Path] = []  # the student's folder, set once in the student's process


class Wrong(Exception):
    """A check fails: ``message`` says what is wrong, in the student's terms; ``yours`` and
    ``reference`` are the two numbers to show side by side, when there are two."""

    def __init__(
        self, message: str, yours: str | None = None, reference: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.yours = yours
        self.reference = reference


@dataclass
class Context:
    """What a check is given in the student's process: the student's classes (by module
    name), what earlier checks found (``facts``), the modules with a failing check so far,
    and the data sets the app made (arrays by name)."""

    classes: dict[str, type]
    facts: dict[str, Any] = field(default_factory=dict)
    failed: frozenset[str] = frozenset()
    data: dict[str, Any] = field(default_factory=dict)


class StudentError(Wrong):
    """The student's code raised while the check called it."""

    def __init__(self, what: str, error: BaseException) -> None:
        where = student_line(error)
        super().__init__(f"{what} raised {error_text(error)}" + (f" ({where})" if where else ""))
        self.error = error
        self.where = where


def error_text(error: BaseException) -> str:
    """'ValueError: its first line', shortened to MESSAGE_CHARS (a SyntaxError without the
    file and line its text repeats)."""
    if isinstance(error, OSError) and error.errno == errno.EFBIG:
        return f"OSError: it printed more than the {CHECK_OUTPUT_BYTES:,} bytes of output allowed"
    text = error.msg if isinstance(error, SyntaxError) and error.msg else str(error)
    text = text.strip().splitlines()[0] if text.strip() else ""
    if len(text) > MESSAGE_CHARS:
        text = text[: MESSAGE_CHARS - 3] + "..."
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def set_student_folder(folder: Path) -> None:
    """The folder whose files count as the student's when an error's line is named."""
    _FOLDER[:] = [folder.resolve()]


def relative_name(filename: str) -> str | None:
    """``filename`` relative to the student's folder, or None when it is not in it."""
    if not _FOLDER or not filename:
        return None
    try:
        return Path(filename).resolve().relative_to(_FOLDER[0]).as_posix()
    except (ValueError, OSError):
        return None


def student_line(error: BaseException) -> str | None:
    """'modules.py:31' for the innermost frame of ``error`` in the student's files (a
    SyntaxError: the line it names), or None when the error never passed through them."""
    if isinstance(error, SyntaxError) and relative_name(error.filename or ""):
        return f"{relative_name(error.filename)}:{error.lineno}"
    where = None
    for frame in traceback.extract_tb(error.__traceback__):
        name = relative_name(frame.filename)
        if name is not None:
            where = f"{name}:{frame.lineno}"
    return where


def call(what: str, function: Callable[..., Any], *args: Any) -> Any:
    """``function(*args)``; StudentError (naming ``what``) if it raises."""
    try:
        return function(*args)
    except (Exception, SystemExit) as error:  # anything the student's code raises fails it
        raise StudentError(what, error) from None


def array(value: Any, what: str, shape: tuple[int, ...] | None = None) -> np.ndarray:
    """``value`` as a float array of ``shape`` (when given); Wrong if it is not one."""
    try:
        result = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise Wrong(f"{what} returned {type(value).__name__}, expected an array") from None
    if shape is not None and result.shape != tuple(shape):
        raise Wrong(
            f"{what} returned shape {shape_text(result.shape)}, expected {shape_text(shape)}"
        )
    return result


def scalar(value: Any, what: str) -> float:
    """``value`` as one number (a float, a 0-d or one-element array); Wrong otherwise."""
    try:
        result = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise Wrong(f"{what} returned {type(value).__name__}, expected a number") from None
    if result.size != 1:
        raise Wrong(f"{what} returned shape {shape_text(result.shape)}, expected one number")
    return float(result.reshape(-1)[0])


def shape_text(shape: tuple[int, ...]) -> str:
    """A shape as Python prints it: (4,), (32, 4)."""
    return str(tuple(int(n) for n in shape))


def params_of(module: Any, what: str) -> dict:
    """``module.params`` with a weight and a bias; Wrong if it has none."""
    params = getattr(module, "params", None)
    if not isinstance(params, dict) or "weight" not in params or "bias" not in params:
        raise Wrong(f"{what} has no params dict with 'weight' and 'bias'")
    return params


def grads_of(module: Any, what: str) -> dict:
    """``module.grads`` after a backward pass; Wrong if it has no 'weight' and 'bias'."""
    grads = getattr(module, "grads", None)
    if not isinstance(grads, dict) or "weight" not in grads or "bias" not in grads:
        raise Wrong(f"{what} leaves no grads dict with 'weight' and 'bias'")
    return grads


def put(params: dict, key: str, value: np.ndarray) -> None:
    """Set ``params[key]`` to ``value`` (reshaped to its shape): in place where the array
    allows it, so any other reference the student keeps to it sees the new numbers."""
    current = params[key]
    if isinstance(current, np.ndarray) and current.flags.writeable and current.size == value.size:
        current[...] = value.reshape(current.shape)
    else:
        params[key] = np.array(value, dtype=np.float64).reshape(np.shape(current))
