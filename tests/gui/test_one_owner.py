"""Each decision has one owner: the worker decides whether a change rebuilds the network (the
window only reports it when the new run's frame comes), and data sets are generated in the
training thread, never in the GUI thread while the user draws."""

import threading

from PySide6.QtCore import Qt

import model.data.datasets
from gui.controller import NEW_NETWORK
from model.config import LIVE, NEW_POINTS, REBUILD, DataConfig, ExperimentConfig, change_kind

TIMEOUT = 10_000


def settled(window) -> bool:
    frame = window.playground.last_frame
    return (
        frame is not None
        and window.playground.worker.config == window.playground.config
        and frame.generation == window.playground.worker.generation
    )


def test_the_change_kind_is_decided_in_one_place():
    base = ExperimentConfig()
    assert change_kind(base, base.with_changes(train={"learning_rate": 0.5})) == LIVE
    assert change_kind(base, base.with_changes(train={"batch_size": 10})) == REBUILD
    assert change_kind(base, base.with_changes(model={"hidden": (5,)})) == REBUILD
    assert change_kind(base, base.with_changes(data={"seed": 3})) == REBUILD
    own = ExperimentConfig(DataConfig.custom([[0, 0], [1, 1], [0, 1], [1, 0]], [0, 1, 0, 1]))
    more = ExperimentConfig(
        DataConfig.custom([[0, 0], [1, 1], [0, 1], [1, 0], [2, 2]], [0, 1, 0, 1, 1])
    )
    assert change_kind(own, more) == NEW_POINTS
    assert change_kind(own, more.with_changes(model={"hidden": (5,)})) == REBUILD


def test_a_learning_rate_change_goes_on_and_a_width_change_is_announced(qtbot, window):
    qtbot.waitUntil(lambda: settled(window), timeout=TIMEOUT)
    generation = window.playground.last_frame.generation
    window.statusBar().clearMessage()
    window.training_panel.learning_rate.setValue(0.5)
    qtbot.waitUntil(
        lambda: window.playground.worker.config.train.learning_rate == 0.5, timeout=TIMEOUT
    )
    window.playground.request_step.emit()
    qtbot.waitUntil(lambda: window.playground.last_frame.update == 1, timeout=TIMEOUT)
    assert window.playground.last_frame.generation == generation
    assert NEW_NETWORK not in window.statusBar().currentMessage()
    window.model_panel.widths[0].setValue(7)
    qtbot.waitUntil(lambda: window.playground.last_frame.generation > generation, timeout=TIMEOUT)
    assert window.statusBar().currentMessage() == NEW_NETWORK
    assert window.playground.last_frame.update == 0


def test_drawing_never_generates_a_data_set_in_the_gui_thread(qtbot, window, monkeypatch):
    threads = []
    for name, generate in list(model.data.datasets._GENERATORS.items()):

        def recorded(*args, generate=generate, **kwargs):
            threads.append(threading.current_thread())
            return generate(*args, **kwargs)

        monkeypatch.setitem(model.data.datasets._GENERATORS, name, recorded)
    panel = window.data_panel
    panel.dataset.setCurrentIndex(panel.dataset.findData("circles"))
    # Draw at once, before the circles' first frame has come back, then undo and redo.
    window.draw_tools.toggle.setChecked(True)
    window.boundary.point_clicked.emit(0.1, 0.2, False)
    window.boundary.point_clicked.emit(0.3, -0.2, False)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # generated again
    qtbot.waitUntil(lambda: settled(window), timeout=TIMEOUT)
    assert window.playground.config.data.name == "circles"
    assert threads, "no data set was generated"
    assert threading.main_thread() not in threads
