"""Drawn points as data: one point added or the nearest removed, whether there are enough
to train on, and the bounded undo history of point sets. No Qt: the tools in
gui/drawing/draw_tools.py use these.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from model.config import DataConfig
from model.io.points_file import MIN_POINTS

EMPTY = (np.zeros((0, 2)), np.zeros(0, dtype=np.int64))
UNDO_STEPS = 100
UNDO_POINTS = 2_000_000  # points kept over all steps: about 50 MB as arrays


@dataclass(frozen=True)
class PointSet:
    """The data on screen before or after an edit, kept compactly for undo: a generated
    data set's configuration, or the user's points as arrays with their split settings."""

    generated: DataConfig | None = None
    X: np.ndarray = field(default_factory=lambda: EMPTY[0])
    y: np.ndarray = field(default_factory=lambda: EMPTY[1])
    names: tuple[str, ...] = ()
    train_fraction: float = 0.8
    seed: int = 0

    @property
    def size(self) -> int:
        return len(self.y)


class EditHistory:
    """Undo and redo steps: (what the edit was, the points on the other side of it)."""

    def __init__(self, steps: int = UNDO_STEPS, points: int = UNDO_POINTS) -> None:
        self.max_steps, self.max_points = steps, points
        self.undo_steps: list[tuple[str, PointSet]] = []
        self.redo_steps: list[tuple[str, PointSet]] = []

    def record(self, what: str, before: PointSet) -> None:
        self.undo_steps.append((what, before))
        self.redo_steps.clear()
        self._trim()

    def undo(self, now: PointSet) -> tuple[str, PointSet] | None:
        if not self.undo_steps:
            return None
        what, before = self.undo_steps.pop()
        self.redo_steps.append((what, now))
        return what, before

    def redo(self, now: PointSet) -> tuple[str, PointSet] | None:
        if not self.redo_steps:
            return None
        what, after = self.redo_steps.pop()
        self.undo_steps.append((what, now))
        self._trim()
        return what, after

    def clear(self) -> None:
        self.undo_steps.clear()
        self.redo_steps.clear()

    def _trim(self) -> None:
        """Drop the oldest undo steps beyond the bounds (the newest one always stays)."""
        kept = sum(state.size for _, state in self.undo_steps + self.redo_steps)
        while len(self.undo_steps) > 1 and (
            len(self.undo_steps) > self.max_steps or kept > self.max_points
        ):
            kept -= self.undo_steps.pop(0)[1].size


def too_few(y: np.ndarray) -> str | None:
    """Why these labels cannot be trained on yet, or None."""
    classes = len(np.unique(y))
    if len(y) >= MIN_POINTS and classes >= 2:
        return None
    return (
        f"Draw at least {MIN_POINTS} points of at least 2 classes to train "
        f"(now {len(y)} point{'s' if len(y) != 1 else ''}, {classes} "
        f"class{'es' if classes != 1 else ''}). Left click adds, right click removes."
    )


def with_point(X: np.ndarray, y: np.ndarray, x1: float, x2: float, label: int):
    return np.vstack([X, [[x1, x2]]]), np.append(y, label).astype(np.int64)


def without_nearest(X: np.ndarray, y: np.ndarray, x1: float, x2: float):
    if len(y) == 0:
        return X, y
    nearest = int(np.argmin(np.hypot(X[:, 0] - x1, X[:, 1] - x2)))
    keep = np.arange(len(y)) != nearest
    return X[keep], y[keep]


def class_names_for(names: tuple[str, ...], n_classes: int) -> tuple[str, ...]:
    """The known names, extended by numbers for classes drawn beyond them."""
    names = list(names)
    while len(names) < n_classes:
        candidate = str(len(names))
        names.append(candidate if candidate not in names else f"class {len(names)}")
    return tuple(names[:n_classes])
