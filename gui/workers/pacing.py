"""How many updates the next slice of training may run, and how fast training goes.

No Qt here: the worker's timer asks ``allowed`` before a slice and reports what it did.
Every time is read from ``clock`` (a monotonic count of seconds), so a test can play the
default pace for twenty seconds of a clock it moves itself.
"""

from __future__ import annotations

import sys
import time
from collections import deque
from collections.abc import Callable


class Pace:
    """An update budget that fills at the chosen rate (0: as fast as possible), and the
    measured rate over the last second."""

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self.clock = clock
        self.limit = 0.0  # updates per second; 0: as fast as possible
        self._budget = 0.0
        self._last_tick = clock()
        self._rate_window: deque[tuple[float, int]] = deque(maxlen=1024)
        self.seconds_per_update = 1.0  # measured as training runs: first chunks are single

    def set_limit(self, updates_per_second: float) -> None:
        self.limit = max(0.0, float(updates_per_second))
        self.restart()

    def restart(self) -> None:
        """Playing starts (again): no budget saved up while paused."""
        self._budget = 0.0
        self._last_tick = self.clock()

    def new_run(self) -> None:
        """Another network or training set: the rate and time per update are measured anew."""
        self._rate_window.clear()
        self.seconds_per_update = 1.0

    def allowed(self, unlimited: bool) -> int:
        """Updates the next slice may run (0: wait for the budget to fill)."""
        if self.limit <= 0 or unlimited:
            return sys.maxsize
        now = self.clock()
        self._budget = min(
            self._budget + (now - self._last_tick) * self.limit, max(1.0, self.limit)
        )
        self._last_tick = now
        return int(self._budget)

    def timer_interval(self, unlimited: bool) -> int:
        """Milliseconds between slices: half an update's time at a limited pace."""
        return 0 if self.limit <= 0 or unlimited else int(max(1, 1000 / self.limit / 2))

    def spent(self, updates: int, total_updates: int, unlimited: bool) -> None:
        """A slice ran ``updates`` updates; the run has done ``total_updates``."""
        if self.limit > 0 and not unlimited:
            self._budget -= updates
        self._rate_window.append((self.clock(), total_updates))

    def train(self, trainer, updates: int, deadline: float) -> None:
        """Up to ``updates`` updates, ending near ``deadline`` (a time of ``clock``).

        They run in chunks sized from the measured time per update: ``Trainer.train``
        costs less per update than single steps, and the clock is read once per chunk.
        """
        done = 0
        while done < updates:
            now = self.clock()
            if now >= deadline:
                return
            chunk = int(
                min(updates - done, max(1, 0.8 * (deadline - now) / self.seconds_per_update))
            )
            began = self.clock()
            trainer.train(chunk)
            took = (self.clock() - began) / chunk
            self.seconds_per_update = 0.7 * self.seconds_per_update + 0.3 * took
            done += chunk

    def updates_per_second(self) -> float:
        window = self._rate_window
        now = self.clock()
        while len(window) > 2 and now - window[0][0] > 1.0:
            window.popleft()
        if len(window) < 2:
            return 0.0
        (t0, u0), (t1, u1) = window[0], window[-1]
        return (u1 - u0) / (t1 - t0) if t1 > t0 else 0.0
