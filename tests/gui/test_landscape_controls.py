"""The Loss landscape dock's controls say what is used: the grid box offers odd numbers only
(an even one typed becomes the odd one above it, in the box), and "Include biases", offered
for random directions, gives the slice in which each neuron's bias moves with its weights."""

import numpy as np
from PySide6.QtCore import Qt

TIMEOUT = 20_000


def test_the_grid_is_odd_as_the_box_shows_and_random_directions_may_include_biases(qtbot, window):
    window.menu_actions.landscape_toggle.trigger()
    dock = window.landscape_dock
    qtbot.waitUntil(lambda: dock.shows_update(0), timeout=TIMEOUT)
    box = dock.resolution
    box.lineEdit().selectAll()
    qtbot.keyClicks(box, "4")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert box.text() == "grid 5" and box.value() == 5  # what the slice uses, shown
    qtbot.waitUntil(
        lambda: dock.shows_update(0) and dock.view.landscape.loss.shape == (5, 5), timeout=TIMEOUT
    )
    box.stepBy(1)  # the arrows go from odd to odd
    assert box.value() == 7
    box.stepBy(-3)
    assert box.value() == 3 == box.minimum() and box.maximum() % 2 == 1

    assert not dock.biases.isEnabled()  # the PCA plane has no filters to choose for
    dock.plane.setCurrentIndex(dock.plane.findData("random"))
    assert dock.biases.isEnabled()
    qtbot.waitUntil(
        lambda: dock.shows_update(0) and dock.view.landscape.plane == "random"
        and dock.view.landscape.loss.shape == (3, 3),
        timeout=TIMEOUT,
    )  # fmt: skip
    weights_only = dock.view.landscape.loss.copy()
    dock.biases.setChecked(True)
    qtbot.waitUntil(
        lambda: dock.shows_update(0)
        and not np.array_equal(dock.view.landscape.loss, weights_only),
        timeout=TIMEOUT,
    )  # fmt: skip
    with_biases = dock.view.landscape.loss
    assert with_biases[1, 1] == weights_only[1, 1]  # the same centre, another plane
    assert np.isfinite(with_biases).all()
    dock.biases.setChecked(False)
    qtbot.waitUntil(
        lambda: dock.shows_update(0) and np.array_equal(dock.view.landscape.loss, weights_only),
        timeout=TIMEOUT,
    )  # the plane of the run, fixed: the same map again
