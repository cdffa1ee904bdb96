"""A main window on the default experiment, closed (and its thread joined) after each test."""

import pytest

from gui.app import configure_pyqtgraph
from gui.main_window import MainWindow
from model.config import ExperimentConfig

configure_pyqtgraph()


@pytest.fixture
def window(qtbot):
    win = MainWindow(ExperimentConfig())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.last_frame is not None, timeout=10_000)
    yield win
    win.close()
    assert not win.thread.isRunning()
