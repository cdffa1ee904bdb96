"""The window as a user drives it: controls, play, pause, step, reset, divergence, close."""

import threading

import numpy as np
import pytest
from PySide6.QtCore import QObject, Qt, Slot

TIMEOUT = 10_000


def drawn_points(win) -> int:
    """How many points the loss curve shows on screen."""
    x, _ = win.curves.loss_plot.train.getData()
    return 0 if x is None else len(x)


def wait_for_update(qtbot, win, update):
    qtbot.waitUntil(
        lambda: (
            win.playground.last_frame.update == update and not win.playground.last_frame.playing
        ),
        timeout=TIMEOUT,
    )


@pytest.mark.parametrize(
    "change,read,expected",
    [
        (
            lambda w: w.training_panel.learning_rate.setValue(0.05),
            lambda c: c.train.learning_rate,
            0.05,
        ),
        (lambda w: w.training_panel.batch_size.setValue(32), lambda c: c.train.batch_size, 32),
        (lambda w: w.training_panel.batch_size.setValue(0), lambda c: c.train.batch_size, None),
        (
            lambda w: w.training_panel.optimizer.setCurrentIndex(2),
            lambda c: c.train.optimizer,
            "adam",
        ),
        (lambda w: w.training_panel.l2.setValue(0.01), lambda c: c.train.l2, 0.01),
        (lambda w: w.training_panel.l1.setValue(0.002), lambda c: c.train.l1, 0.002),
        (lambda w: w.training_panel.eval_every.setValue(5), lambda c: c.train.eval_every, 5),
        (lambda w: w.data_panel.dataset.setCurrentIndex(2), lambda c: c.data.name, "circles"),
        (lambda w: w.data_panel.noise.setValue(0.3), lambda c: c.data.noise, 0.3),
        (lambda w: w.data_panel.samples.setValue(400), lambda c: c.data.n_samples, 400),
        (lambda w: w.data_panel.train_fraction.setValue(0.5), lambda c: c.data.train_fraction, 0.5),
        (lambda w: w.data_panel.regenerate.click(), lambda c: c.data.seed, 1),
        (lambda w: w.model_panel.add_layer.click(), lambda c: c.model.hidden, (20, 8)),
        (lambda w: w.model_panel.remove_layer.click(), lambda c: c.model.hidden, ()),
        (lambda w: w.model_panel.widths[0].setValue(5), lambda c: c.model.hidden, (5,)),
        (
            lambda w: w.model_panel.activation.setCurrentIndex(1),
            lambda c: c.model.activation,
            "tanh",
        ),
        (lambda w: w.model_panel.init.setCurrentIndex(3), lambda c: c.model.init, "small"),
    ],
)
def test_each_control_reaches_the_workers_configuration(qtbot, window, change, read, expected):
    change(window)
    qtbot.waitUntil(lambda: read(window.playground.worker.config) == expected, timeout=TIMEOUT)


def test_gaussian_parameters_and_perceptron_mode_reach_the_worker(qtbot, window):
    window.data_panel.dataset.setCurrentIndex(0)
    window.data_panel.params["mean"].setValue(3.0)
    window.model_panel.kind.setCurrentIndex(1)
    qtbot.waitUntil(
        lambda: (
            window.playground.worker.config.model.kind == "perceptron"
            and window.playground.worker.config.data.params.get("mean") == 3.0
        ),
        timeout=TIMEOUT,
    )
    qtbot.waitUntil(
        lambda: window.playground.last_frame.perceptron_weights is not None, timeout=TIMEOUT
    )
    window.controls.step_action.trigger()
    wait_for_update(qtbot, window, 1)
    assert window.boundary.line.isVisible()


def test_play_grows_the_curves_and_repaints_the_boundary(qtbot, window):
    first_image = window.boundary.last_image.copy()
    points = drawn_points(window)
    window.controls.play_action.trigger()
    qtbot.waitUntil(lambda: drawn_points(window) > points + 5, timeout=TIMEOUT)
    qtbot.waitUntil(
        lambda: not np.array_equal(window.boundary.last_image, first_image), timeout=TIMEOUT
    )
    assert window.controls.play_action.text() == "Pause"


def test_pause_stops_training_and_step_then_adds_exactly_one_update(qtbot, window):
    window.controls.play_action.trigger()
    qtbot.waitUntil(lambda: window.playground.last_frame.update > 20, timeout=TIMEOUT)
    window.controls.play_action.trigger()
    qtbot.waitUntil(lambda: not window.playground.last_frame.playing, timeout=TIMEOUT)
    paused_at = window.playground.last_frame.update
    assert window.playground.worker.trainer.updates == paused_at
    window.controls.step_action.trigger()
    wait_for_update(qtbot, window, paused_at + 1)
    assert window.playground.worker.trainer.updates == paused_at + 1


def test_step_is_one_update_and_epoch_one_pass(qtbot, window):
    window.training_panel.batch_size.setValue(100)  # 800 training points: 8 updates a pass
    qtbot.waitUntil(lambda: window.playground.worker.trainer.batch_size == 100, timeout=TIMEOUT)
    window.controls.step_action.trigger()
    wait_for_update(qtbot, window, 1)
    assert window.playground.last_frame.epoch == pytest.approx(1 / 8)
    window.controls.epoch_action.trigger()
    wait_for_update(qtbot, window, 8)
    window.controls.epoch_action.trigger()
    wait_for_update(qtbot, window, 16)
    assert window.playground.last_frame.epoch == 2


def test_keyboard_shortcuts_step_and_reset(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_Right)
    wait_for_update(qtbot, window, 1)
    qtbot.keyClick(window, Qt.Key.Key_R)
    wait_for_update(qtbot, window, 0)


def test_reset_clears_the_curves_and_reinitialises(qtbot, window):
    initial_image = window.boundary.last_image.copy()
    window.controls.play_action.trigger()
    qtbot.waitUntil(lambda: drawn_points(window) > 10, timeout=TIMEOUT)
    window.controls.reset_action.trigger()
    wait_for_update(qtbot, window, 0)
    qtbot.waitUntil(lambda: drawn_points(window) == 1, timeout=TIMEOUT)
    assert window.curves.loss_plot.train.getData()[0].tolist() == [0]
    assert np.array_equal(window.boundary.last_image, initial_image)  # same seed, same weights


def test_learning_rate_change_during_play_applies_without_reset(qtbot, window):
    window.controls.play_action.trigger()
    qtbot.waitUntil(lambda: window.playground.last_frame.update > 50, timeout=TIMEOUT)
    generation = window.playground.last_frame.generation
    before = window.playground.last_frame.update
    window.training_panel.learning_rate.setValue(0.05)
    qtbot.waitUntil(lambda: window.playground.worker.trainer.learning_rate == 0.05, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: window.playground.last_frame.update > before + 50, timeout=TIMEOUT)
    assert window.playground.last_frame.generation == generation
    qtbot.waitUntil(lambda: drawn_points(window) > 5, timeout=TIMEOUT)


def test_a_diverging_run_pauses_itself_and_says_why(qtbot, window):
    window.training_panel.learning_rate.setValue(1.0)
    window.training_panel.l2.setValue(10.0)
    qtbot.waitUntil(lambda: window.playground.worker.config.train.l2 == 10.0, timeout=TIMEOUT)
    window.controls.play_action.trigger()
    qtbot.waitUntil(
        lambda: window.playground.last_frame.stopped and not window.playground.last_frame.playing,
        timeout=TIMEOUT,
    )
    assert window.banner.isVisible() and "diverged" in window.banner.text()
    assert not window.controls.play_action.isEnabled()
    window.controls.reset_action.trigger()
    qtbot.waitUntil(lambda: window.controls.play_action.isEnabled(), timeout=TIMEOUT)
    assert "These settings diverged last time" in window.banner.text()  # and will again


def test_an_impossible_combination_is_refused_and_training_goes_on(qtbot, window):
    window.data_panel.dataset.setCurrentIndex(5)  # blobs: three classes
    qtbot.waitUntil(lambda: window.playground.worker.config.data.name == "blobs", timeout=TIMEOUT)
    window.model_panel.kind.setCurrentIndex(1)  # the perceptron separates only two
    qtbot.waitUntil(window.banner.isVisible, timeout=TIMEOUT)
    assert "perceptron separates 2 classes" in window.banner.text()
    assert window.playground.worker.trainer.dataset.name == "blobs"  # the last good network is kept
    assert window.playground.worker.config.model.kind == "mlp"
    assert window.model_panel.kind.currentData() == "mlp"  # and the panel shows it again
    window.controls.step_action.trigger()
    wait_for_update(qtbot, window, 1)


def test_a_refusal_that_arrives_after_a_later_change_leaves_that_change(qtbot, window):
    """The worker refused one configuration while the window had already sent the next:
    the late refusal used to put the panels back to the configuration in force then, so
    the window showed one configuration and trained another (found by the random walk)."""
    playground = window.playground
    blobs = playground.config.with_changes(data={"name": "blobs"})  # three classes
    playground.load_config(blobs)
    qtbot.waitUntil(lambda: playground.worker.config == playground.config, timeout=TIMEOUT)
    refused = threading.Event()
    playground.worker.refused.connect(
        lambda *_: refused.set(),
        Qt.ConnectionType.DirectConnection,  # in the worker's thread
    )
    heard = Heard()  # hears it after the window does (queued calls keep their order)
    playground.worker.refused.connect(heard.hear)
    playground.load_config(blobs.with_changes(model={"kind": "perceptron"}))
    assert refused.wait(TIMEOUT / 1000)  # refused; the answer waits for the window's thread
    playground.load_config(blobs.with_changes(train={"learning_rate": 0.05}))
    later = playground.config  # as the panels show it; sent before the refusal is heard
    qtbot.waitUntil(lambda: heard.count == 1, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: playground.worker.config == later, timeout=TIMEOUT)
    assert playground.config == later  # what the window shows is what trains
    assert window.training_panel.learning_rate.value() == 0.05
    assert window.model_panel.kind.currentData() == "mlp"
    assert "Not applied" not in window.banner.text()  # about settings already left behind


class Heard(QObject):
    """Counts the worker's refusals, in the window's thread."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    @Slot(str, object, int)
    def hear(self, *_) -> None:
        self.count += 1


def test_closing_during_play_joins_the_thread(qtbot, window):
    window.controls.play_action.trigger()
    qtbot.waitUntil(lambda: window.playground.last_frame.playing, timeout=TIMEOUT)
    window.close()
    assert not window.playground.thread.isRunning()


def test_hovering_a_curve_reads_its_value(qtbot, window):
    window.controls.play_action.trigger()
    qtbot.waitUntil(lambda: drawn_points(window) > 10, timeout=TIMEOUT)
    window.controls.play_action.trigger()
    qtbot.waitUntil(lambda: not window.playground.last_frame.playing, timeout=TIMEOUT)
    plot = window.curves.loss_plot
    x, y = plot.train.getData()
    scene_pos = plot.plotItem.vb.mapViewToScene(pg_point(x[5], y[5]))
    plot._hover(scene_pos)
    assert f"update {x[5]:g}" in plot.readout_text()
    assert f"train loss {y[5]:.4f}" in plot.readout_text()


def pg_point(x, y):
    from PySide6.QtCore import QPointF

    return QPointF(x, y)


def test_speed_control_reaches_the_worker_and_limits_the_rate(qtbot, window):
    window.controls.speed.setCurrentIndex(1)  # 5 updates a second
    qtbot.waitUntil(lambda: window.playground.worker.pace.limit == 5.0, timeout=TIMEOUT)
    window.controls.play_action.trigger()
    qtbot.waitUntil(lambda: window.playground.last_frame.update >= 3, timeout=TIMEOUT)
    window.controls.speed.setCurrentIndex(window.controls.speed.count() - 1)  # as fast as possible
    qtbot.waitUntil(lambda: window.playground.worker.pace.limit == 0.0, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: window.playground.last_frame.update > 200, timeout=TIMEOUT)


def test_speed_and_axis_have_keys_and_menu_entries(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_BracketLeft)  # one step slower than "as fast as possible"
    qtbot.waitUntil(lambda: window.playground.worker.pace.limit == 1000.0, timeout=TIMEOUT)
    qtbot.keyClick(window, Qt.Key.Key_BracketRight)
    qtbot.waitUntil(lambda: window.playground.worker.pace.limit == 0.0, timeout=TIMEOUT)
    qtbot.keyClick(window, Qt.Key.Key_X)
    assert (
        window.controls.x_axis.currentData() == "epoch"
        and window.controls.epochs_axis_action.isChecked()
    )
    window.controls.x_axis.setCurrentIndex(0)
    assert not window.controls.epochs_axis_action.isChecked()
    menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions()}
    texts = {action.text() for action in menus["Run"].actions()}
    assert {"Slower", "Faster"} <= texts


def test_curves_switch_between_updates_and_epochs(qtbot, window):
    window.training_panel.batch_size.setValue(400)  # two updates an epoch
    qtbot.waitUntil(lambda: window.playground.worker.trainer.batch_size == 400, timeout=TIMEOUT)
    for _ in range(20):
        window.controls.step_action.trigger()
    wait_for_update(qtbot, window, 20)
    window.controls.x_axis.setCurrentIndex(1)
    qtbot.waitUntil(lambda: window.curves.loss_plot.train.getData()[0][-1] == 10, timeout=TIMEOUT)
    window.controls.x_axis.setCurrentIndex(0)
    qtbot.waitUntil(lambda: window.curves.loss_plot.train.getData()[0][-1] == 20, timeout=TIMEOUT)


def test_test_points_can_be_hidden(qtbot, window):
    assert window.boundary.test_item.isVisible()
    window.controls.test_toggle.trigger()
    assert not window.boundary.test_item.isVisible()
    window.controls.test_toggle.trigger()
    assert window.boundary.test_item.isVisible()


def test_misclassified_points_are_marked(qtbot, window):
    frame = window.playground.last_frame
    data = frame.dataset
    wrong = int((frame.predictions_train != data.y_train).sum())
    wrong += int((frame.predictions_test != data.y_test).sum())
    assert wrong > 0  # the untrained network gets some wrong
    assert len(window.boundary.wrong_item.data) == wrong


def test_perceptron_steps_replay_the_tutorial_rule(qtbot, window):
    window.data_panel.dataset.setCurrentIndex(0)  # two Gaussians, 80 training points a class
    window.model_panel.kind.setCurrentIndex(1)
    qtbot.waitUntil(
        lambda: window.playground.worker.config.model.kind == "perceptron", timeout=TIMEOUT
    )
    window.controls.epoch_action.trigger()
    wait_for_update(qtbot, window, 1)
    record = window.playground.last_frame.perceptron_update
    # Zero initial weights predict +1 everywhere: the update is made of the other class.
    assert len(record.misclassified_points) == 80
    assert np.array_equal(record.weights_before, np.zeros(3))
    boundary = window.boundary
    assert boundary.update_points.isVisible() and len(boundary.update_points.data) == 80
    change = window.playground.last_frame.perceptron_weights - record.weights_before
    assert np.allclose(change, -0.01 * record.gradient)
    assert "80 misclassified points made this update" in boundary.update_text.toPlainText()
    window.controls.epoch_action.trigger()
    wait_for_update(qtbot, window, 2)
    assert boundary.old_line.isVisible()  # the line before this update, dashed
    window.controls.play_action.trigger()
    qtbot.waitUntil(lambda: window.playground.last_frame.playing, timeout=TIMEOUT)
    assert not boundary.update_points.isVisible()  # the replay is for stepping


def test_presets_load_the_configurations_they_name(qtbot, window):
    from dataclasses import replace

    from model.data.datasets import DEFAULT_NOISE, DEFAULT_SAMPLES
    from model.io.presets import read_presets

    presets = {preset.title: preset.config for preset in read_presets()}
    assert len(window.menu_actions.presets) == len(presets) >= 6
    titles = [action.text() for action in window.menu_actions.presets]
    part_1 = titles.index("Part I: perceptron on two Gaussians")
    part_3 = titles.index("Part III: SGD, batch size 1")
    window.menu_actions.presets[part_3].trigger()
    qtbot.waitUntil(
        lambda: window.playground.worker.config == window.playground.config, timeout=TIMEOUT
    )
    preset = presets[titles[part_3]]  # what it leaves out (size, noise) at the data set's defaults
    explicit = replace(
        preset.data, n_samples=DEFAULT_SAMPLES["moons"], noise=DEFAULT_NOISE["moons"]
    )
    assert window.playground.config == replace(preset, data=explicit)
    assert window.playground.worker.trainer.batch_size == 1
    assert window.training_panel.batch_size.value() == 1
    window.menu_actions.presets[part_1].trigger()
    qtbot.waitUntil(
        lambda: window.playground.worker.config.model.kind == "perceptron", timeout=TIMEOUT
    )
    assert window.playground.worker.config.data.params == {"mean": 2.0, "cov": 1.0}


def test_fit_to_data_undoes_a_zoom(qtbot, window):
    x0, x1, y0, y1 = window.playground.last_frame.extent
    box = window.boundary.plotItem.vb
    box.scaleBy((0.3, 0.3))
    assert box.viewRange()[0][1] - box.viewRange()[0][0] < 0.5 * (x1 - x0)
    qtbot.keyClick(window, Qt.Key.Key_Home)
    (vx0, vx1), (vy0, vy1) = box.viewRange()
    assert np.allclose([vx0, vx1, vy0, vy1], [x0, x1, y0, y1])
