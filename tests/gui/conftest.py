"""A main window on the default experiment, closed (and its thread joined) after each test."""

import pyqtgraph as pg
import pytest

from gui.main_window import MainWindow
from model.config import ExperimentConfig

pg.setConfigOptions(imageAxisOrder="row-major", useOpenGL=False, background="w")


@pytest.fixture
def window(qtbot):
    win = MainWindow(ExperimentConfig())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.last_frame is not None, timeout=10_000)
    yield win
    win.close()
    assert not win.thread.isRunning()
