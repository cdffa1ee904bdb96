"""A closed window is returned whole: the window, its training worker and trainer are freed
once it has closed (three windows opened and closed in one process used to keep all three,
246 -> 677 -> 1,074 -> 1,464 MB with 100,000 points; bench/window_thread_blocks.py --cycles 3).
"""

from __future__ import annotations

import gc
import weakref

from PySide6.QtCore import QCoreApplication, QEvent

from gui.windows.main_window import MainWindow
from model.config import ExperimentConfig
from tests.gui.running import run_updates

TIMEOUT = 20_000


def opened_trained_and_closed(qtbot) -> dict[str, weakref.ref]:
    """A window that trained a little and showed some of what it makes, closed: weak
    references to it, its training worker and its trainer."""
    window = MainWindow(ExperimentConfig())  # not given to qtbot, which would delete it itself
    try:
        window.show()
        qtbot.waitUntil(lambda: window.playground.last_frame is not None, timeout=TIMEOUT)
        run_updates(qtbot, window, 20)
        window.presentation.action.trigger()
        window.presentation.action.trigger()
        window.show_experiments()
        worker = window.playground.worker
        kept = {
            "window": weakref.ref(window),
            "worker": weakref.ref(worker),
            "trainer": weakref.ref(worker.trainer),
        }
    finally:
        window.close()
    assert not window.playground.thread.isRunning()
    return kept


def test_closing_a_window_frees_it_its_worker_and_its_trainer(qtbot):
    kept = opened_trained_and_closed(qtbot)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    assert [name for name, ref in kept.items() if ref() is not None] == []
