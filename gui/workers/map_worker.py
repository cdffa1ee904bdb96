"""A hyperparameter map run off the GUI thread (model/experiments/map_placement.py does the work).

The runs themselves go to worker processes or a Dask cluster; this object, living in the
Experiments window's background thread, waits for them, sends the finished runs a few
times a second, and passes Cancel on through a flag the GUI thread sets directly.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from gui.workers.experiment_worker import failure_text
from model.experiments.map_placement import ClusterUnavailable, run_map
from model.experiments.map_runs import MapResult

UPDATE_INTERVAL = 0.2  # seconds between partial results sent to the window


class MapWorker(QObject):
    """Runs one grid at a time; ``progress`` carries copies of the result so far."""

    progress = Signal(object)  # MapResult so far
    finished = Signal(object)  # MapResult: complete, cancelled, or with an error
    failed = Signal(str)  # nothing ran: the cluster could not be reached, or a bad grid

    def __init__(self) -> None:
        super().__init__()
        self.cancel_requested = threading.Event()
        self._last_sent = 0.0

    def cancel(self) -> None:
        """Called from the GUI thread: the grid stops at its next look (within 50 ms)."""
        self.cancel_requested.set()

    def _send(self, name: str, *args: Any) -> None:
        try:
            getattr(self, name).emit(*args)
        except RuntimeError:  # the window was deleted while the grid ran
            self.cancel_requested.set()

    def _record(self, result: MapResult, _record) -> None:
        now = time.perf_counter()
        if now - self._last_sent >= UPDATE_INTERVAL:
            self._last_sent = now
            self._send("progress", result.snapshot())

    @Slot(object)
    def run(self, request: dict[str, Any]) -> None:
        """The grid of ``request``: ``spec``, and ``jobs`` or a ``scheduler`` address."""
        self.cancel_requested.clear()
        self._last_sent = 0.0
        try:
            result = run_map(
                request["spec"],
                request.get("jobs"),
                request.get("scheduler"),
                on_record=self._record,
                should_cancel=self.cancel_requested.is_set,
            )
        except (ClusterUnavailable, ValueError) as error:
            self._send("failed", str(error))
            return
        except Exception as error:  # noqa: BLE001 - the window must learn of any failure
            self._send("failed", failure_text("The map", error).splitlines()[0])
            return
        self._send("finished", result)
