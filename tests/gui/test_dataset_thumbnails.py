"""Data sets picked from pictures of their points, as in TensorFlow Playground: one picture a
data set of the problem shown, drawn from the engine's own generator, made once."""

import numpy as np
from PySide6.QtCore import Qt

from gui.panels import dataset_thumbnails
from gui.panels.dataset_thumbnails import thumbnail_points
from model.data.datasets import datasets_for, make_dataset
from tests.gui.running import run_updates

TIMEOUT = 10_000


def thumbnails(window):
    return window.data_panel.thumbnails


def test_each_data_set_has_a_picture_of_its_points_and_a_click_picks_it(qtbot, window):
    strip = thumbnails(window)
    qtbot.waitUntil(lambda: strip.drawn, timeout=TIMEOUT)  # after the first frame
    names = [button.name for button in strip.buttons]
    assert names == list(datasets_for("classification"))
    assert all(button.isVisible() and button._picture is not None for button in strip.buttons)
    assert strip.current() == window.playground.config.data.name
    side = strip.buttons[0].width()
    assert side >= 36 and all(b.width() == b.height() == side for b in strip.buttons)
    assert strip.height() == side  # the row is as tall as its pictures, which it holds
    assert all(strip.rect().contains(b.geometry()) for b in strip.buttons)
    lefts = [b.x() for b in strip.buttons]
    assert lefts == sorted(lefts) and lefts[0] == 0  # in a row from the left
    strip.setLayoutDirection(Qt.LayoutDirection.RightToLeft)  # from the right in such scripts
    assert strip.buttons[0].geometry().right() == strip.width() - 1
    strip.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    spiral = next(button for button in strip.buttons if button.name == "spiral")
    qtbot.mouseClick(spiral, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.playground.worker.config.data.name == "spiral", timeout=TIMEOUT)
    assert window.data_panel.dataset.currentData() == "spiral" and strip.current() == "spiral"
    window.data_panel.dataset.setCurrentIndex(window.data_panel.dataset.findData("xor"))
    assert strip.current() == "xor"  # the list and the pictures say the same


def test_a_regression_shows_its_own_data_sets(qtbot, window):
    panel = window.data_panel
    panel.problem.setCurrentIndex(panel.problem.findData("regression"))
    strip = thumbnails(window)
    assert [b.name for b in strip.buttons] == list(datasets_for("regression"))
    assert strip.current() == panel.dataset.currentData()


def test_the_pictures_are_the_engine_s_points_made_once(qtbot, window, monkeypatch):
    qtbot.waitUntil(lambda: thumbnails(window).drawn, timeout=TIMEOUT)
    for name in datasets_for("classification"):
        unit, y, regression = thumbnail_points(name)
        data = make_dataset(
            name, n_samples=dataset_thumbnails.SAMPLES, seed=dataset_thumbnails.SEED
        )
        assert not regression and np.array_equal(y, data.y_all)
        # the same shape, scaled into the picture, one scale for both axes
        X = data.X_all
        scale = (unit[:, 0].max() - unit[:, 0].min()) / np.ptp(X[:, 0])
        assert np.allclose((unit - unit.min(axis=0)) / scale, X - X.min(axis=0))
        assert thumbnail_points(name) is thumbnail_points(name)  # cached
    calls = []
    monkeypatch.setattr(dataset_thumbnails, "make_dataset", lambda *a, **k: calls.append(a))
    run_updates(qtbot, window, 60)  # frames draw no data set
    window.resize(1000, 700)
    qtbot.waitUntil(lambda: window.width() == 1000, timeout=TIMEOUT)
    assert calls == []


def test_drawn_points_have_no_picture_to_frame(qtbot, window):
    window.draw_tools.toggle.setChecked(True)
    window.boundary.point_clicked.emit(2.5, -0.5, False)  # a point of one's own
    qtbot.waitUntil(lambda: window.data_panel.dataset.currentData() == "custom", timeout=TIMEOUT)
    assert thumbnails(window).current() is None
    moons = next(b for b in thumbnails(window).buttons if b.name == "moons")
    qtbot.mouseClick(moons, Qt.MouseButton.LeftButton)  # back to a data set of the engine's
    qtbot.waitUntil(lambda: window.playground.worker.config.data.name == "moons", timeout=TIMEOUT)
