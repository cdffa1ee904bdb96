"""The training worker under stress: closing during long work, stale weight edits, a run that
diverges, and a long run's curves, which must stay bounded in memory."""

import sys
import time

import numpy as np
import pytest

from gui.views.curve_history import COLUMNS, HistoryColumns
from gui.windows.main_window import MainWindow
from model.config import DataConfig, ExperimentConfig, ModelConfig, TrainConfig
from model.training.history import HISTORY_LIMIT, HistoryPoint

TIMEOUT = 20_000

# The heaviest configuration the panels allow: an epoch is 16,000 updates of 8 x 256 Adam.
BIG = ExperimentConfig(
    DataConfig("moons", n_samples=20_000),
    ModelConfig(hidden=(256,) * 8),
    TrainConfig("adam", 0.001, batch_size=1),
)


@pytest.fixture
def exceptions(monkeypatch):
    """Uncaught exceptions anywhere, the training thread included."""
    caught = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, value, tb: caught.append(value))
    return caught


@pytest.mark.parametrize("command", ["epoch", "play"])
def test_closing_during_a_long_command_exits_promptly(qtbot, exceptions, command):
    win = MainWindow(BIG)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.playground.last_frame is not None, timeout=60_000)
    (win.controls.epoch_action if command == "epoch" else win.controls.play_action).trigger()
    qtbot.waitUntil(lambda: win.playground.worker.trainer.updates > 0, timeout=TIMEOUT)  # under way
    started = time.perf_counter()
    win.close()
    took = time.perf_counter() - started
    assert not win.playground.thread.isRunning()
    assert took < 2.0, f"closing took {took:.1f} s"
    assert (
        win.playground.worker.trainer.epochs_completed == 0
    )  # the epoch was cut short, not finished
    assert exceptions == []


def test_a_weight_edit_for_a_layer_a_rebuild_removed_is_ignored(qtbot, window, exceptions):
    window.model_panel.add_layer.click()
    qtbot.waitUntil(lambda: len(window.playground.worker.config.model.hidden) == 2, timeout=TIMEOUT)
    window.model_panel.remove_layer.click()  # queued: a network with one layer fewer ...
    window.playground.request_weight.emit(2, 0, 0, 5.0)  # ... then an edit typed on the old diagram
    window.playground.request_weight.emit(-1, 0, 0, 5.0)
    window.playground.request_weight.emit(0, 7, 0, 5.0)
    window.controls.step_action.trigger()
    qtbot.waitUntil(lambda: window.playground.last_frame.update == 1, timeout=TIMEOUT)
    assert len(window.playground.worker.config.model.hidden) == 1
    linears = window.playground.worker.trainer.model.linears
    assert not any(np.any(linear.params["weight"] == 5.0) for linear in linears)
    window.playground.request_weight.emit(1, 3, 1, 5.0)  # an edit that fits still applies
    qtbot.waitUntil(lambda: linears[1].params["weight"][3, 1] == 5.0, timeout=TIMEOUT)
    assert exceptions == []


def drawn(plot) -> np.ndarray:
    x, y = plot.getData()
    return np.zeros(0) if y is None else np.asarray(y)


def test_a_divergence_is_shown_never_drawn_and_reset_says_it_will_recur(qtbot, window):
    window.training_panel.learning_rate.setValue(1.0)
    window.training_panel.l2.setValue(10.0)  # lr x L2 = 10: the weights grow 9-fold an update
    qtbot.waitUntil(lambda: window.playground.worker.config.train.l2 == 10.0, timeout=TIMEOUT)
    window.controls.play_action.trigger()
    qtbot.waitUntil(lambda: window.playground.last_frame.stopped, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: not window.playground.last_frame.playing, timeout=TIMEOUT)
    assert window.banner.isVisible() and "diverged at update" in window.banner.text()
    history = window.curves.history
    assert history.size >= 1 and np.isfinite(history._data[:, : history.size]).all()
    for plot in (window.curves.loss_plot, window.curves.accuracy_plot):
        for curve in (plot.train, plot.test):
            assert np.isfinite(drawn(curve)).all()

    # the same settings: the student is told what will happen
    window.controls.reset_action.trigger()
    qtbot.waitUntil(lambda: window.playground.last_frame.update == 0, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: window.controls.play_action.isEnabled(), timeout=TIMEOUT)
    text = window.banner.text()
    assert window.banner.isVisible() and text.startswith("These settings diverged last time:")
    assert "L2 penalty is too strong" in text

    window.training_panel.learning_rate.setValue(0.1)  # lr x L2 = 1: stable
    qtbot.waitUntil(
        lambda: window.playground.worker.config.train.learning_rate == 0.1, timeout=TIMEOUT
    )
    window.controls.reset_action.trigger()
    qtbot.waitUntil(lambda: window.playground.worker.generation > 2, timeout=TIMEOUT)
    qtbot.waitUntil(
        lambda: window.playground.last_frame.generation == window.playground.worker.generation,
        timeout=TIMEOUT,
    )
    assert "diverged" not in window.banner.text() or not window.banner.isVisible()


def point(update: int, loss: float = 0.5) -> HistoryPoint:
    return HistoryPoint(update, update / 10, loss, 0.8, loss, 0.75, update / 1000)


def test_the_curves_keep_a_bounded_record_with_both_ends():
    columns = HistoryColumns()
    total = 3 * HISTORY_LIMIT
    for start in range(0, total, 40):  # as frames bring them
        columns.extend([point(u) for u in range(start, start + 40)])
        assert columns.size <= HISTORY_LIMIT and columns.capacity <= HISTORY_LIMIT + 1024
    updates = columns.column("update")
    assert updates[0] == 0 and updates[-1] == total - 1
    assert np.all(np.diff(updates[-HISTORY_LIMIT // 2 :]) == 1)  # recent points in full
    header, rows = columns.table()
    assert header == [*COLUMNS, "thinned"]
    assert rows[0][-1] == 1 and rows[-1][-1] == 0  # the export says which part is thinned


def test_the_curves_keep_no_point_that_is_not_a_number_and_replace_a_point_sent_again():
    columns = HistoryColumns()
    columns.extend([point(0), point(10, loss=float("nan")), point(20)])
    columns.extend([point(20, loss=0.25)])  # evaluated again after a weight edit
    assert columns.column("update").tolist() == [0, 20]
    assert columns.column("train_loss").tolist() == [0.5, 0.25]
    assert columns.last.train_loss == 0.25


def test_a_long_run_in_the_window_keeps_history_and_curves_bounded(qtbot, window):
    window.training_panel.eval_every.setValue(1)
    qtbot.waitUntil(lambda: window.playground.worker.config.train.eval_every == 1, timeout=TIMEOUT)
    target = HISTORY_LIMIT + HISTORY_LIMIT // 2
    window.playground.request_updates.emit(target)
    qtbot.waitUntil(
        lambda: (
            window.playground.last_frame.update == target
            and not window.playground.last_frame.playing
        ),
        timeout=60_000,
    )
    trainer_history = window.playground.worker.trainer.history
    curves = window.curves.history
    assert len(trainer_history) <= HISTORY_LIMIT and curves.size <= HISTORY_LIMIT
    assert trainer_history[0].update == 0 and trainer_history[-1].update == target
    assert curves.column("update")[0] == 0 and curves.column("update")[-1] == target
    assert curves.thinned and window.playground.worker.trainer.history_thinned


def test_cyclic_garbage_is_collected_in_the_gui_thread_while_a_window_lives(qtbot, window):
    """Automatic collection is off while the window lives (it could run in the training
    thread and destroy Qt objects there: a deadlock); the GUI thread's timer collects."""
    import gc
    import weakref

    class Node:
        pass

    assert not gc.isenabled()
    node = Node()
    node.itself = node  # a cycle: only the cyclic collector frees it
    gone = weakref.ref(node)
    del node
    young = [[] for _ in range(gc.get_threshold()[0] + 1)]  # a young collection now due
    qtbot.waitUntil(lambda: gone() is None, timeout=10_000)
    del young
    window.close()
    assert gc.isenabled()
