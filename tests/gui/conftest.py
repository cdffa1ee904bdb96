"""A main window on the default experiment, closed (and its thread joined) after each test."""

import gc

import pytest

from gui.app import configure_pyqtgraph
from gui.windows.main_window import MainWindow
from model.config import ExperimentConfig

configure_pyqtgraph()


def boundary_fits_view(win) -> bool:
    """The last frame's grid has the boundary view's shape (the worker knows the view's size)."""
    if win.playground.last_frame is None:
        return False
    x0, x1, y0, y1 = win.playground.last_frame.extent
    box = win.boundary.plotItem.vb
    return abs((x1 - x0) / (y1 - y0) - box.width() / box.height()) < 1e-6 * box.width()


@pytest.fixture(autouse=True)
def garbage_collected_in_the_gui_thread():
    """Collect the Qt objects of earlier tests' windows here, in the GUI thread. Left to
    Python's automatic collection, a cycle holding them can be collected in a training
    thread, whose QObject destructor then waits for the GIL while the GUI thread, deleting
    a menu, waits for the destructor's lock: a deadlock (seen with PySide6 6.11)."""
    yield
    gc.collect()


@pytest.fixture
def window(qtbot):
    win = MainWindow(ExperimentConfig())
    win.controls.speed.setCurrentIndex(
        win.controls.speed.findData(0.0)
    )  # tests play at full speed, not 75/s
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: boundary_fits_view(win), timeout=10_000)
    yield win
    win.close()
    assert not win.playground.thread.isRunning()
