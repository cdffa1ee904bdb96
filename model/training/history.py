"""The Trainer's record of evaluations, and how it is kept bounded over long runs."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import astuple, dataclass, fields

import numpy as np

# The history keeps at most this many points: the newest half at full resolution, before
# them a record thinned evenly in updates (see ``thinned_indices``). 10,000 points are a
# few megabytes, and the curves draw them in a few milliseconds.
HISTORY_LIMIT = 10_000


@dataclass(frozen=True)
class HistoryPoint:
    """The figures at one evaluation point. Losses are the data loss, without penalties: the
    cross-entropy (from the logits, never clipped), or for regression the mean squared error,
    whose accuracies are NaN."""

    update: int
    epoch: float
    train_loss: float
    train_accuracy: float
    test_loss: float
    test_accuracy: float
    seconds: float  # training time spent so far (evaluations excluded)

    @staticmethod
    def header() -> list[str]:
        return [f.name for f in fields(HistoryPoint)]

    def row(self) -> tuple:
        return astuple(self)


def thinned_indices(updates: Sequence[float] | np.ndarray, limit: int) -> np.ndarray | None:
    """Which points of a history to keep once it holds more than ``limit`` (None: all).

    ``updates`` are the points' update numbers, in increasing order. The newest ``limit // 2``
    points are kept as they are. Before them at most ``limit // 4`` are kept, evenly spaced:
    the first point in each interval of ``2**k`` updates, with ``k`` the smallest for which
    the intervals spanned are few enough. That span only grows, so ``k`` never decreases and
    a part thinned before stays evenly spaced when thinned again. The first point (the
    start) and the last are always kept. The choice depends on the update numbers alone, so
    a history thinned in two places (the Trainer, the curves) or restored from a session and
    thinned again keeps the same points.
    """
    n = len(updates)
    if n <= limit:
        return None
    recent = max(1, limit // 2)
    past = np.asarray(updates[: n - recent], dtype=np.float64)
    room = max(2, limit // 4)
    first, last = float(past[0]), float(past[-1])
    spacing = 1.0
    while math.floor(last / spacing) - math.floor(first / spacing) + 1 > room:
        spacing *= 2.0
    bucket = np.floor(past / spacing)
    keep = np.empty(len(past), dtype=bool)
    keep[0] = True
    np.not_equal(bucket[1:], bucket[:-1], out=keep[1:])
    return np.concatenate([np.flatnonzero(keep), np.arange(n - recent, n)])


def thin_history(history: list[HistoryPoint], thinned_before: int) -> int:
    """Keep ``history`` within HISTORY_LIMIT points (``thinned_indices``), in place: others
    may hold the list. Returns the new mark: points before this update were thinned out."""
    if len(history) <= HISTORY_LIMIT:
        return thinned_before
    keep = thinned_indices([p.update for p in history], HISTORY_LIMIT)
    first_recent = history[len(history) - HISTORY_LIMIT // 2].update
    history[:] = [history[i] for i in keep]
    return max(thinned_before, first_recent)
