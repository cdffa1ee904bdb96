"""Cancel for runs in local worker processes, the one way for comparisons and maps alike.

The caller makes an Event with a Manager process (``spawned_manager``) and passes it along with
the work; Cancel sets it. Each run asks it between updates and between slices of a large pass
through ``PolledEvent``, at most every CANCEL_CHECK_SECONDS: asking is a round trip to the
Manager, too slow for every update, and a tenth of a second keeps every run stoppable within a
second. A run in this process is given the caller's own ``should_cancel`` instead.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.managers import SyncManager

CANCEL_CHECK_SECONDS = 0.1


@contextmanager
def spawned_manager() -> Iterator[SyncManager]:
    """A Manager process whose Events and Queues can be sent to worker processes, shut down on
    exit. Started by spawning, never forking, so it is safe beside Qt's threads."""
    manager = multiprocessing.get_context("spawn").Manager()
    try:
        yield manager
    finally:
        manager.shutdown()


class PolledEvent:
    """``should_stop`` for a run in a worker process: is the Manager's cancel Event set?

    Asked at most every CANCEL_CHECK_SECONDS, so that it costs nothing per update. A Manager
    that cannot be reached any more counts as set: whoever asked for the run is gone.
    """

    def __init__(self, event) -> None:
        self.event = event
        self.next_check = 0.0

    def __call__(self) -> bool:
        now = time.monotonic()
        if now < self.next_check:
            return False
        self.next_check = now + CANCEL_CHECK_SECONDS
        try:
            return bool(self.event.is_set())
        except (OSError, EOFError):
            return True
