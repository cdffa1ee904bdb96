"""Files of points read in a pool thread: the window's thread only asks, then uses the answer.

Reading and checking 100,000 lines, and making their data configuration, held the window's
thread for 0.4 to 0.5 s (bench/window_thread_blocks.py); a bad file of 50 MB, checked line
by line, for seconds. A pool thread of the window does both now, one file at a time; the
answer comes back to the window's thread as a queued signal, and only the latest request's
answer is used (a later load, or a session opened meanwhile, supersedes an earlier one).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QThreadPool, Signal

from model.config import DataConfig
from model.io.points_file import LabelledPoints, read_points


@dataclass(frozen=True)
class PointsRead:
    """A file's points and their data configuration, or why there are none: ``unread``
    when the file could not be read or checked, ``unusable`` when its points make no data
    set (either one line)."""

    path: str
    problem: str  # what the third column was read as
    points: LabelledPoints | None = None
    data: DataConfig | None = None
    unread: str = ""
    unusable: str = ""


def read_data(path: str, problem: str, train_fraction: float, seed: int) -> PointsRead:
    """Read and check ``path`` for ``problem`` and make its data configuration, split by
    ``train_fraction`` and ``seed``: everything that takes long, and touches no widget."""
    try:
        points = read_points(path, problem)
    except ValueError as error:
        return PointsRead(path, problem, unread=str(error))
    except MemoryError:
        return PointsRead(path, problem, unread=f"{Path(path).name} is too large to read")
    try:
        data = DataConfig.of_points(points, train_fraction=train_fraction, seed=seed)
    except (ValueError, MemoryError) as error:
        return PointsRead(path, problem, points, unusable=str(error) or "not enough memory")
    data.points.json_text()  # made here, not as the window closes and remembers them
    return PointsRead(path, problem, points, data)


class PointsReads(QObject):
    """Reads files of points in a pool thread of its own, one at a time and in order;
    ``answered`` gives each answer, with its request's number, in the owner's thread."""

    answered = Signal(int, object)  # request number, PointsRead

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.latest = 0  # the number of the latest request; earlier answers are stale

    def start(self, path: str, problem: str, train_fraction: float, seed: int) -> int:
        """Read ``path`` in the pool thread; returns the request's number."""
        self.latest += 1
        number = self.latest
        self.pool.start(
            lambda: self.answered.emit(number, read_data(path, problem, train_fraction, seed))
        )
        return number

    def supersede(self) -> None:
        """Whatever was asked before is not wanted any more (its answer is dropped)."""
        self.latest += 1

    def is_latest(self, number: int) -> bool:
        return number == self.latest

    def busy(self) -> bool:
        return self.pool.activeThreadCount() > 0

    def stop_soon(self) -> None:
        """The window is closing: no answer is used any more (``stop`` waits for the file)."""
        self.supersede()

    def stop(self) -> None:
        """The window is closing: no answer is used any more; wait for the file in hand (a
        pool thread must not outlive the object it answers through)."""
        self.supersede()
        self.pool.waitForDone()
