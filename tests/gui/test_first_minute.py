"""The first minute with the window: with nothing remembered it opens on the experiment that
learns within seconds (Moons: a first run), and says what to press until training begins."""

import subprocess
import sys
from pathlib import Path

import numpy as np
from PIL import Image
from PySide6.QtCore import QSettings, Qt

from gui.files.settings import last_config
from gui.windows.frame_grab import rgb_array
from gui.windows.main_window import MainWindow
from model.io.presets import OPENING_PRESET, find_preset, read_presets

TIMEOUT = 10_000
MAIN = Path(__file__).resolve().parents[2] / "main.py"


def opened(qtbot, window: MainWindow) -> MainWindow:
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.playground.last_frame is not None, timeout=TIMEOUT)
    return window


def test_with_nothing_remembered_the_window_opens_on_the_first_run(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    assert last_config(settings) is None  # a first start, as main() sees it
    window = opened(qtbot, MainWindow(last_config(settings), settings))
    first_run = find_preset(OPENING_PRESET)
    assert window.playground.config == first_run.config  # what the panels show, and train
    assert window.playground.worker.config == first_run.config
    assert window.training_panel.batch_size.value() == 32
    titles = [action.text() for action in window.menu_actions.presets]
    assert titles[0] == first_run.title == "Moons: a first run"  # first in the Presets menu
    part_2 = next(p for p in read_presets() if p.slug == "part-2-mlp-moons")
    assert part_2.title in titles  # the course's setting, one click away
    window.close()


def test_the_window_says_to_press_play_until_training_begins(qtbot, window):
    hint = window.start_hint
    qtbot.waitUntil(hint.isVisible, timeout=TIMEOUT)
    assert hint.text() == "Press Play (Space) to train"
    assert hint.parent() is window.boundary  # over the boundary, where a newcomer looks
    left = hint.mapTo(window.boundary, hint.rect().topLeft()).x()
    assert abs(left + hint.width() / 2 - window.boundary.width() / 2) <= 1  # centred
    window.resize(window.width() + 120, window.height())
    qtbot.waitUntil(
        lambda: abs(hint.x() + hint.width() / 2 - window.boundary.width() / 2) <= 1,
        timeout=TIMEOUT,
    )
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_Space)  # as the hint says
    qtbot.waitUntil(lambda: not hint.isVisible(), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: window.playground.last_frame.update > 0, timeout=TIMEOUT)
    window.controls.play_action.trigger()  # pause
    qtbot.waitUntil(lambda: not window.playground.last_frame.playing, timeout=TIMEOUT)
    window.controls.reset_action.trigger()  # back at update 0: the student knows by now
    qtbot.waitUntil(lambda: window.playground.last_frame.update == 0, timeout=TIMEOUT)
    assert not hint.isVisible()


def test_a_step_is_training_begun_too(qtbot, window):
    qtbot.waitUntil(window.start_hint.isVisible, timeout=TIMEOUT)
    window.controls.step_action.trigger()
    qtbot.waitUntil(lambda: window.playground.last_frame.update == 1, timeout=TIMEOUT)
    assert not window.start_hint.isVisible()


def hint_pixels(rgb: np.ndarray) -> int:
    """Pixels of the hint's dark grey box (over the white margin above the plot)."""
    band = rgb[:70].astype(int)
    return int(((band.max(axis=2) - band.min(axis=2) <= 6) & (band.max(axis=2) < 100)).sum())


def test_the_hint_is_in_a_grab_of_the_view_but_never_in_a_film(qtbot, window, tmp_path):
    """A screenshot shows what a person sees; ``--record`` films the training only."""
    qtbot.waitUntil(window.start_hint.isVisible, timeout=TIMEOUT)
    assert hint_pixels(rgb_array(window.boundary.grab().toImage())) > 2000
    film = tmp_path / "film.gif"
    result = subprocess.run(
        [sys.executable, str(MAIN), "--record", str(film), "--steps", "2", "--every", "1"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    with Image.open(film) as gif:
        first = np.asarray(gif.convert("RGB"))  # update 0, before any training
    assert hint_pixels(first) < 200
