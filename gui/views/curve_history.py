"""The history the curves draw, as NumPy columns: a redraw costs the same after a million
points as after ten, and memory stays flat however long the run."""

from __future__ import annotations

import numpy as np

from model.training.history import HISTORY_LIMIT, HistoryPoint, thinned_indices

COLUMNS = ("update", "epoch", "train_loss", "test_loss", "train_accuracy", "test_accuracy")


class HistoryColumns:
    """History points as NumPy columns, so a redraw costs the same after a million points as
    after ten. At most ``limit`` points are kept: beyond it the old end is thinned evenly
    (``thinned_indices``, the rule the Trainer's history follows), so memory stays flat
    however long the run. Points whose loss is not a finite number are never kept; an
    accuracy may be NaN (a regression has none)."""

    def __init__(self, limit: int = HISTORY_LIMIT) -> None:
        self.limit = limit
        self.clear()

    def clear(self) -> None:
        self._data = np.empty((len(COLUMNS), 256))
        self.size = 0
        self.last: HistoryPoint | None = None
        self.thinned_before = 0  # points before this update were thinned out (0: none)

    @property
    def thinned(self) -> bool:
        return self.thinned_before > 0

    def extend(self, points: list[HistoryPoint], thinned_before: int = 0) -> None:
        """Append ``points``; a point at an update already held replaces it (and any after
        it). ``thinned_before``: where the source's own history was thinned, if it was."""
        self.thinned_before = max(self.thinned_before, int(thinned_before))
        rows = np.array([[getattr(p, name) for name in COLUMNS] for p in points], dtype=float)
        kept = COLUMNS.index("test_loss") + 1  # update, epoch and both losses must be numbers
        finite = np.isfinite(rows[:, :kept]).all(axis=1) if len(rows) else np.zeros(0, bool)
        if not finite.any():
            return
        rows = rows[finite]
        held = self._data[0, : self.size]
        if self.size and rows[0, 0] <= held[-1]:
            self.size = int(np.searchsorted(held, rows[0, 0], side="left"))
        needed = self.size + len(rows)
        capacity = self._data.shape[1]
        if needed > capacity:
            grown = np.empty((len(COLUMNS), max(needed, min(2 * capacity, self.limit + 1024))))
            grown[:, : self.size] = self._data[:, : self.size]
            self._data = grown
        self._data[:, self.size : needed] = rows.T
        self.size = needed
        self.last = next(p for p, ok in zip(reversed(points), finite[::-1], strict=True) if ok)
        self._thin()

    def _thin(self) -> None:
        keep = thinned_indices(self._data[0, : self.size], self.limit)
        if keep is None:
            return
        first_recent = self._data[0, self.size - self.limit // 2]
        self.thinned_before = max(self.thinned_before, int(first_recent))
        kept = self._data[:, keep]
        if self._data.shape[1] > 2 * (self.limit + 1024):  # after one very large batch
            self._data = np.empty((len(COLUMNS), self.limit + 1024))
        self._data[:, : len(keep)] = kept
        self.size = len(keep)

    @property
    def capacity(self) -> int:
        return self._data.shape[1]

    def rows(self) -> list[list[float]]:
        """The points so far, one row each, in COLUMNS order."""
        return self._data[:, : self.size].T.tolist()

    def table(self) -> tuple[list[str], list[list[float]]]:
        """Header and rows for a CSV export: COLUMNS, then ``thinned``, 1 where the history
        was thinned (only some evaluations kept) and 0 where every evaluation is there."""
        thinned = self._data[0, : self.size] < self.thinned_before
        rows = [[*row, int(t)] for row, t in zip(self.rows(), thinned, strict=True)]
        return [*COLUMNS, "thinned"], rows

    def column(self, name: str) -> np.ndarray:
        return self._data[COLUMNS.index(name), : self.size]
