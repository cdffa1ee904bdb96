"""Presets in the window (the diverging one shows its banner) and undo of drawn points."""

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from gui.drawing.point_edits import EditHistory, PointSet
from gui.windows.main_window import PROBLEM_STYLE
from model.io.presets import find_preset, read_presets

TIMEOUT = 10_000


def frame_after(qtbot, window, condition):
    qtbot.waitUntil(
        lambda: (
            window.playground.last_frame is not None and condition(window.playground.last_frame)
        ),
        timeout=TIMEOUT,
    )
    return window.playground.last_frame


def press(qtbot, window, sequence: str) -> None:
    """A key combination, as a user presses it on the window."""
    window.activateWindow()
    combination = QKeySequence(sequence)[0]
    qtbot.keyClick(window, combination.key(), combination.keyboardModifiers())


def draw(window, x: float, y: float, k: int = 1) -> None:
    window.draw_tools.toggle.setChecked(True)
    window.draw_tools.picker.setCurrentIndex(k)
    window.boundary.point_clicked.emit(x, y, False)


def test_the_presets_menu_offers_every_preset_with_its_lesson(window):
    presets = read_presets()
    assert [a.text() for a in window.menu_actions.presets] == [p.title for p in presets]
    diverging = window.menu_actions.presets[
        [p.slug for p in presets].index("diverging-learning-rate")
    ]
    assert "learning rate" in diverging.statusTip()
    assert "--preset diverging-learning-rate" in diverging.toolTip()


def test_playing_the_diverging_preset_shows_the_red_banner(qtbot, window):
    slugs = [p.slug for p in read_presets()]
    window.menu_actions.presets[slugs.index("diverging-learning-rate")].trigger()
    qtbot.waitUntil(
        lambda: window.playground.worker.config == window.playground.config, timeout=TIMEOUT
    )
    assert window.playground.config.train.learning_rate == 50
    assert not window.banner.isVisible()
    window.controls.play_action.trigger()
    qtbot.waitUntil(window.banner.isVisible, timeout=TIMEOUT)
    assert "diverged" in window.banner.text() and "learning rate" in window.banner.text()
    assert window.banner.styleSheet() == PROBLEM_STYLE
    frame = frame_after(qtbot, window, lambda f: f.stopped and not f.playing)
    assert frame.update < 1000 and not window.controls.play_action.isEnabled()


def test_a_preset_in_the_window_trains_as_it_does_headless(qtbot, window):
    window.playground.load_config(find_preset("three-blobs").config)
    qtbot.waitUntil(
        lambda: window.playground.worker.config == window.playground.config, timeout=TIMEOUT
    )
    window.playground.request_updates.emit(500)
    frame = frame_after(qtbot, window, lambda f: f.update >= 500 and not f.playing)
    assert frame.dataset.n_classes == 3
    assert window.curves.history.last.test_accuracy >= 0.95


def test_undo_and_redo_are_in_the_edit_menu_with_their_shortcuts(window):
    tools = window.draw_tools
    edit_menu = next(m for m in window.menuBar().actions() if m.text() == "&Edit").menu()
    assert tools.undo_action in edit_menu.actions() and tools.redo_action in edit_menu.actions()
    assert tools.undo_action.shortcuts() == [QKeySequence("Ctrl+Z")]
    assert tools.redo_action.shortcuts() == [QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")]
    assert not tools.undo_action.isEnabled() and not tools.redo_action.isEnabled()


def test_clear_then_ctrl_z_restores_the_points_and_training_resumes_on_them(qtbot, window):
    window.playground.request_step.emit()
    frame_after(qtbot, window, lambda f: f.update == 1)
    draw(window, 2.5, -0.5)
    drawn = frame_after(qtbot, window, lambda f: len(f.dataset.y_all) == 1001)
    generation = drawn.generation
    window.draw_tools.clear()
    assert window.playground.pending is not None and not window.controls.play_action.isEnabled()
    assert "Cleared 1001 points" in window.statusBar().currentMessage()
    assert window.status.text() == "0 points of your own: too few to train on"
    assert window.data_panel.dataset.currentText() == "Your own points"  # not "Moons"
    assert window.draw_tools.undo_action.text() == "Undo clear points"

    press(qtbot, window, "Ctrl+Z")
    assert window.playground.pending is None and window.controls.play_action.isEnabled()
    assert window.banner.isHidden()
    assert window.data_panel.dataset.currentData() == "custom"
    assert "Undone: clear points. 1001 points of your own" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: window.status.text().startswith("epoch"), timeout=TIMEOUT)
    X, y = window.playground.config.data.custom_arrays()
    assert len(y) == 1001 and np.any(np.all(np.isclose(X, [2.5, -0.5]), axis=1))
    window.playground.request_step.emit()  # the same network trains on, on the restored points
    frame = frame_after(qtbot, window, lambda f: f.update == 2)
    assert frame.generation == generation and len(frame.dataset.y_all) == 1001

    press(qtbot, window, "Ctrl+Y")  # redo: cleared again
    assert window.playground.pending is not None and len(window.playground.pending[1]) == 0
    assert "Redone: clear points" in window.statusBar().currentMessage()
    press(qtbot, window, "Ctrl+Z")
    assert window.playground.pending is None and len(window.playground.config.data.points) == 1001


def test_undo_of_a_single_added_point(qtbot, window):
    tools = window.draw_tools
    draw(window, 2.5, -0.5)
    frame_after(qtbot, window, lambda f: len(f.dataset.y_all) == 1001)
    draw(window, -1.0, 1.5, k=0)
    frame = frame_after(qtbot, window, lambda f: len(f.dataset.y_all) == 1002)
    generation = frame.generation
    assert tools.undo_action.text() == "Undo add point"

    tools.undo_action.trigger()  # the second point goes; the network trains on
    frame = frame_after(qtbot, window, lambda f: len(f.dataset.y_all) == 1001)
    assert frame.generation == generation
    assert not np.any(np.all(np.isclose(frame.dataset.X_all, [-1.0, 1.5]), axis=1))
    assert tools.redo_action.isEnabled() and tools.redo_action.text() == "Redo add point"

    tools.undo_action.trigger()  # the first one: back to the generated moons
    frame = frame_after(qtbot, window, lambda f: f.dataset.name == "moons")
    assert window.playground.config.data.name == "moons"
    assert window.data_panel.dataset.currentData() == "moons"
    assert not tools.undo_action.isEnabled()

    tools.redo_action.trigger()
    tools.redo_action.trigger()
    frame = frame_after(qtbot, window, lambda f: len(f.dataset.y_all) == 1002)
    assert not tools.redo_action.isEnabled()


def test_undo_of_a_removed_point_puts_it_back_in_its_class(qtbot, window):
    target = window.playground.last_frame.dataset.X_train[0]
    label = int(window.playground.last_frame.dataset.y_train[0])
    window.draw_tools.toggle.setChecked(True)
    window.boundary.point_clicked.emit(float(target[0]), float(target[1]), True)
    frame_after(qtbot, window, lambda f: len(f.dataset.y_all) == 999)
    assert window.draw_tools.undo_action.text() == "Undo remove point"
    window.draw_tools.undo_action.trigger()
    frame = frame_after(qtbot, window, lambda f: len(f.dataset.y_all) == 1000)
    back = np.all(frame.dataset.X_all == target, axis=1)
    assert back.sum() == 1 and frame.dataset.y_all[back][0] == label


def test_the_history_is_forgotten_when_the_data_changes_another_way(qtbot, window):
    draw(window, 2.5, -0.5)
    frame_after(qtbot, window, lambda f: len(f.dataset.y_all) == 1001)
    assert window.draw_tools.undo_action.isEnabled()
    window.training_panel.learning_rate.setValue(0.05)  # not the data: undo stays
    assert window.draw_tools.undo_action.isEnabled()
    window.data_panel.dataset.setCurrentIndex(window.data_panel.dataset.findData("circles"))
    assert not window.draw_tools.undo_action.isEnabled()
    window.draw_tools.undo()
    assert window.playground.config.data.name == "circles"


def test_the_edit_history_is_bounded_in_steps_and_points():
    def points(n):
        return PointSet(X=np.zeros((n, 2)), y=np.zeros(n, dtype=np.int64))

    history = EditHistory(steps=3, points=1000)
    for k in range(5):
        history.record(f"edit {k}", points(10))
    assert [what for what, _ in history.undo_steps] == ["edit 2", "edit 3", "edit 4"]
    history.record("big", points(2000))  # the newest step stays, whatever its size
    assert [what for what, _ in history.undo_steps] == ["big"]
    assert history.undo(points(5))[0] == "big" and history.undo(points(5)) is None
    assert history.redo(points(7))[0] == "big" and not history.redo_steps


def test_ctrl_z_in_a_panel_box_edits_the_box_not_the_points(qtbot, window):
    draw(window, 2.5, -0.5)
    frame_after(qtbot, window, lambda f: len(f.dataset.y_all) == 1001)
    box = window.training_panel.eval_every
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(window.playground.config.data.points) == 1001


def test_a_change_while_too_few_points_wait_keeps_them_and_their_undo(qtbot, window):
    window.draw_tools.clear()
    draw(window, 0.5, 0.5)
    assert len(window.playground.pending[1]) == 1
    window.model_panel.activation.setCurrentIndex(1)  # tanh, for the data trained last
    qtbot.waitUntil(
        lambda: window.playground.worker.config.model.activation == "tanh", timeout=TIMEOUT
    )
    assert (
        window.playground.worker.config.data.name == "moons"
        and window.playground.config == window.playground.worker.config
    )
    window.data_panel.seed.setValue(7)  # a split setting, kept for the points to come
    assert len(window.playground.pending[1]) == 1  # the drawn point is still there
    assert window.data_panel.dataset.currentText() == "Your own points"
    assert (
        not window.controls.play_action.isEnabled() and "at least 4 points" in window.banner.text()
    )
    window.draw_tools.undo_action.trigger()  # the history survived the changes
    assert len(window.playground.pending[1]) == 0
