"""The weights a run passed through: a copy at every evaluation point, bounded in memory.

The loss landscape draws the path of training from them (model/landscape/slices.py). Long runs
are thinned exactly as the history is (``thinned_indices``): the newest at full resolution,
older ones evenly spaced, the first and last always kept.

Alongside, the Gram matrix of the path relative to its first point is kept up to date (one
matrix-vector product per snapshot), so that the principal directions of the path cost a
small eigenproblem instead of a pass over every copy (model/landscape/slices.py ``pca_plane``).
"""

from __future__ import annotations

import numpy as np

from model.training.history import thinned_indices

# At most this many snapshots, and never more than SNAPSHOT_BYTES of them (a network of
# 8 x 256 units has 460,000 weights: 3.7 MB a copy), but at least MIN_SNAPSHOTS.
SNAPSHOT_LIMIT = 200
SNAPSHOT_BYTES = 64 * 2**20
MIN_SNAPSHOTS = 8


def snapshot_limit(n_parameters: int) -> int:
    """How many snapshots of ``n_parameters`` weights a run keeps."""
    fitting = SNAPSHOT_BYTES // (8 * max(1, n_parameters))
    return int(min(SNAPSHOT_LIMIT, max(MIN_SNAPSHOTS, fitting)))


class WeightSnapshots:
    """Copies of the weights by update number, in one preallocated array (no growth)."""

    def __init__(self, n_parameters: int, limit: int | None = None) -> None:
        self.limit = snapshot_limit(n_parameters) if limit is None else max(2, int(limit))
        self._rows = np.empty((self.limit + 1, n_parameters))
        self._gram = np.zeros((self.limit + 1, self.limit + 1))
        self._updates: list[int] = []

    def __len__(self) -> int:
        return len(self._updates)

    def record(self, update: int, parameters: np.ndarray) -> None:
        """Keep a copy of ``parameters`` at ``update`` (replacing one taken at that update)."""
        if self._updates and self._updates[-1] == update:
            self._rows[len(self._updates) - 1] = parameters
            self._gram_row(len(self._updates) - 1)
            return
        if self._updates and update < self._updates[-1]:  # a run restarted: a new path
            self._updates.clear()
        self._rows[len(self._updates)] = parameters
        self._updates.append(int(update))
        self._gram_row(len(self._updates) - 1)
        if len(self._updates) > self.limit:
            keep = thinned_indices(self._updates, self.limit)
            self._rows[: len(keep)] = self._rows[keep]
            self._gram[: len(keep), : len(keep)] = self._gram[np.ix_(keep, keep)]
            self._updates = [self._updates[i] for i in keep]

    def _gram_row(self, i: int) -> None:
        """Row and column ``i`` of the Gram matrix of (rows - rows[0])."""
        first = self._rows[0]
        moved = self._rows[i] - first
        products = self._rows[: i + 1] @ moved - first @ moved
        products[0] = 0.0
        self._gram[i, : i + 1] = products
        self._gram[: i + 1, i] = products

    def get(self) -> tuple[list[int], np.ndarray]:
        """The update numbers and a copy of the weights, shape (k, n), oldest first."""
        return list(self._updates), self._rows[: len(self._updates)].copy()

    def view(self) -> tuple[list[int], np.ndarray, np.ndarray]:
        """The update numbers, the weights (k, n) and the Gram matrix (k, k) of the weights
        minus the first ones, as read-only views: valid until the next ``record``."""
        k = len(self._updates)
        rows, gram = self._rows[:k].view(), self._gram[:k, :k].view()
        rows.flags.writeable = gram.flags.writeable = False
        return list(self._updates), rows, gram

    def load(self, updates: list[int] | np.ndarray, rows: np.ndarray) -> None:
        """Replace the contents (from a session): at most ``limit`` of them, thinned."""
        updates = [int(u) for u in updates]
        rows = np.asarray(rows, dtype=np.float64)
        if rows.shape != (len(updates), self._rows.shape[1]):
            raise ValueError("the recorded weights do not fit this network")
        if any(b <= a for a, b in zip(updates, updates[1:], strict=False)):
            raise ValueError("the recorded weights are not in order of updates")
        keep = thinned_indices(updates, self.limit)
        if keep is not None:
            updates, rows = [updates[i] for i in keep], rows[keep]
        self._rows[: len(updates)] = rows
        self._updates = updates
        for i in range(len(updates)):
            self._gram_row(i)

    def restore(
        self,
        snapshots: tuple[list[int], np.ndarray] | None,
        start: np.ndarray | None,
        parameters: np.ndarray,
        update: int,
    ) -> np.ndarray:
        """The path ``snapshots`` of a saved run (none: only the current ``parameters`` at
        ``update``); returns the run's initial weights ``start`` (unknown: the current ones)."""
        if snapshots is None:
            self._updates = []
        else:
            self.load(*snapshots)
        if not self._updates:
            self.record(update, parameters)
        if start is not None and np.shape(start) != parameters.shape:
            raise ValueError("the initial weights do not fit this network")
        return np.array(parameters if start is None else start, dtype=np.float64)
