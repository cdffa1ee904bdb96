"""Closing the main window in two halves: what must happen before it goes, at once, and the
waiting for its threads afterwards, without holding the window's thread.

The training thread stops only between two updates, and one full-batch update of a 256-256
network on 100,000 points takes 0.7 s: waiting for it inside the close event held the
window's thread (and the window on screen) that long. Now the close event remembers the
settings, asks every thread to stop and lets the window go; a timer finishes the rest
(waits that no longer wait, the garbage collector's last pass, deletion) once they have.
``finish`` does the same at once, for callers that must know everything has stopped: the
app before it exits, tests, and ``MainWindow.close``.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from model.limits import THREAD_STOP_SECONDS

POLL_MS = 20


class WindowClosing(QObject):
    """``stopped`` says whether every thread the window started is done; ``finish_up``
    does the rest of the closing (it may wait, and is called once)."""

    def __init__(
        self, parent: QObject, stopped: Callable[[], bool], finish_up: Callable[[], None]
    ) -> None:
        super().__init__(parent)
        self.stopped, self.finish_up = stopped, finish_up
        self.started: float | None = None
        self.finished = False
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._poll)

    def begin(self) -> None:
        """The threads were asked to stop: finish once they have."""
        if self.started is None:
            self.started = time.monotonic()
            self.timer.start()

    def finish(self) -> None:
        """Finish now, waiting for whatever is still running."""
        if not self.finished:
            self.finished = True
            self.timer.stop()
            self.finish_up()

    def _poll(self) -> None:
        if self.stopped() or time.monotonic() - self.started > THREAD_STOP_SECONDS:
            self.finish()
