"""Python's cyclic garbage collected in the GUI thread, never in the training thread.

Left automatic, the collector runs in whichever thread happens to allocate; in the training
thread it may destroy Qt objects of a closed dialog or window held in a cycle, and a QObject
destructor there waits for the GIL while the GUI thread, holding it, waits for that
destructor's lock: the window hangs (seen with PySide6 6.11). So while a window lives,
automatic collection is off and a timer in the GUI thread collects each generation when it
is due, as the automatic collector would.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 250


class GuiThreadGarbageCollector(QObject):
    """Owned by the main window: automatic collection off from now until ``stop``."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.collect_due)
        gc.disable()
        self.timer.start()

    def collect_due(self) -> None:
        """The oldest generation whose count passed its threshold, with the younger ones."""
        counts = gc.get_count()
        due = [g for g in range(3) if counts[g] > self.thresholds[g]]
        if due:
            gc.collect(max(due))

    def stop(self) -> None:
        """Automatic collection back on (the window is closing)."""
        self.timer.stop()
        gc.collect()
        gc.enable()
