"""The side panel's controls as a student reads them: layer rows, what applies to the chosen
model, the pace training plays at, and what a divergence says."""

import pytest
from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from gui.windows.main_window import MainWindow
from gui.windows.run_controls import DEFAULT_SPEED, SPEEDS
from gui.workers.worker import MAX_FRAMES_PER_SECOND, TrainingWorker
from model.config import ExperimentConfig, ModelConfig
from model.limits import MAX_LAYERS

TIMEOUT = 10_000


def hidden_widths(win) -> tuple[int, ...]:
    return tuple(box.value() for box in win.model_panel.widths)


def test_layer_rows_add_and_remove_layers_up_to_the_limit(qtbot, window):
    panel = window.model_panel
    assert panel.layers_label.text() == "Hidden layers (widths)"
    assert hidden_widths(window) == (20,)
    while panel.add_layer.isEnabled():
        panel.add_layer.click()
    assert len(panel.widths) == MAX_LAYERS
    panel.add_layer.click()  # disabled: nothing happens
    assert len(panel.widths) == MAX_LAYERS
    assert str(MAX_LAYERS) in panel.add_layer.toolTip()
    qtbot.waitUntil(
        lambda: len(window.playground.worker.config.model.hidden) == MAX_LAYERS, timeout=TIMEOUT
    )
    # One row per layer, each with its own name and width.
    names = [label.text() for label in panel._layer_names]
    assert names == [f"Layer {n}" for n in range(1, MAX_LAYERS + 1)]
    panel.widths[3].setValue(5)
    qtbot.waitUntil(lambda: window.playground.worker.config.model.hidden[3] == 5, timeout=TIMEOUT)
    while panel.remove_layer.isEnabled():
        panel.remove_layer.click()
    assert panel.widths == [] and panel.layer_grid.count() == 0
    assert panel.no_layers.isVisibleTo(window)  # "None: softmax regression ..."
    qtbot.waitUntil(lambda: window.playground.worker.config.model.hidden == (), timeout=TIMEOUT)
    panel.add_layer.click()
    qtbot.waitUntil(lambda: window.playground.worker.config.model.hidden == (8,), timeout=TIMEOUT)
    assert not panel.no_layers.isVisibleTo(window)


def test_a_shown_configuration_rebuilds_the_rows(qtbot, window):
    window.playground.load_config(ExperimentConfig(model=ModelConfig(hidden=(3, 4, 5))))
    assert hidden_widths(window) == (3, 4, 5)
    assert [label.text() for label in window.model_panel._layer_names][-1] == "Layer 3"
    qtbot.waitUntil(
        lambda: window.playground.worker.config.model.hidden == (3, 4, 5), timeout=TIMEOUT
    )


@pytest.mark.parametrize("widths", [(20,) + (8,) * (MAX_LAYERS - 1), (256,) * MAX_LAYERS])
def test_the_side_panel_needs_no_horizontal_scroll_bar_at_1024_wide(qtbot, window, widths):
    window.playground.load_config(ExperimentConfig(model=ModelConfig(hidden=widths)))
    window.resize(1024, 640)
    qtbot.waitUntil(lambda: window.width() == 1024, timeout=TIMEOUT)
    for _ in range(3):
        QApplication.processEvents()
    assert window.side.width() <= 330  # the panel keeps its narrow share of the window
    assert window.side.verticalScrollBar().isVisible()  # the tall case: less room
    assert not window.side.horizontalScrollBar().isVisible()
    assert window.side.widget().minimumSizeHint().width() <= window.side.viewport().width()


def test_the_guide_link_to_hidden_layers_reaches_the_layer_rows(window):
    assert window.side.control_widget("hidden") is window.model_panel.layers_row


def test_perceptron_disables_what_it_does_not_use_and_says_why(qtbot, window):
    model, train = window.model_panel, window.training_panel
    unused = [
        model.layers_label,
        model.add_layer,
        model.remove_layer,
        *model.widths,
        model.activation,
        model.init,
        train.l2,
        train.l1,
    ]
    used = [
        model.kind,
        train.optimizer,
        train.learning_rate,
        train.batch_size,
        train.eval_every,
    ]
    usual = {widget: widget.toolTip() for widget in unused + used}
    assert all(widget.isEnabled() for widget in unused + used)
    model.kind.setCurrentIndex(model.kind.findData("perceptron"))
    qtbot.waitUntil(
        lambda: window.playground.worker.config.model.kind == "perceptron", timeout=TIMEOUT
    )
    for widget in unused:
        assert not widget.isEnabled(), widget
        assert widget.toolTip().startswith("Not used by the perceptron"), widget.toolTip()
    for label, widget in (
        (model._form.labelForField(model.activation), model.activation),
        (train.l2_label, train.l2),
        (train.l1_label, train.l1),
    ):
        assert not label.isEnabled() and label.toolTip() == widget.toolTip()
    assert all(widget.isEnabled() and widget.toolTip() == usual[widget] for widget in used)
    assert "L2" in train.l2.toolTip() and "zero weights" in model.init.toolTip()

    model.kind.setCurrentIndex(model.kind.findData("mlp"))
    qtbot.waitUntil(lambda: window.playground.worker.config.model.kind == "mlp", timeout=TIMEOUT)
    for widget in unused + used:
        assert widget.isEnabled() and widget.toolTip() == usual[widget], widget


def test_a_disabled_control_still_shows_why_on_hover(qtbot, window):
    window.model_panel.kind.setCurrentIndex(window.model_panel.kind.findData("perceptron"))
    l2 = window.training_panel.l2
    point = QPoint(5, 5)
    QApplication.sendEvent(l2, QHelpEvent(QEvent.Type.ToolTip, point, l2.mapToGlobal(point)))
    qtbot.waitUntil(QToolTip.isVisible, timeout=TIMEOUT)
    assert QToolTip.text().startswith("Not used by the perceptron") and not l2.isEnabled()
    QToolTip.hideText()
    window.guide.control_requested.emit("hidden")  # a guide link: the status line says why
    assert window.statusBar().currentMessage().startswith("Not used by the perceptron")


def test_a_loaded_perceptron_configuration_disables_the_same_controls(qtbot, window):
    window.playground.load_config(ExperimentConfig(model=ModelConfig(kind="perceptron")))
    assert not window.training_panel.l2.isEnabled()
    assert not window.model_panel.layers_label.isEnabled()
    window.playground.load_config(ExperimentConfig())
    assert window.training_panel.l2.isEnabled() and window.model_panel.activation.isEnabled()


def test_without_hidden_layers_the_activation_says_it_has_nothing_to_do(window):
    model = window.model_panel
    usual = model.activation.toolTip()
    model.remove_layer.click()
    assert not model.activation.isEnabled()
    assert "without hidden layers" in model.activation.toolTip()
    assert model.init.isEnabled()  # the output layer is still initialised
    model.add_layer.click()
    assert model.activation.isEnabled() and model.activation.toolTip() == usual


@pytest.fixture
def paced_window(qtbot):
    """A window as a student opens it, at the default pace (the ``window`` fixture runs at
    full speed)."""
    win = MainWindow(ExperimentConfig())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.playground.last_frame is not None, timeout=TIMEOUT)
    yield win
    win.close()


class Clock:
    """Seconds that pass only when the test moves them: what the pacing allows per second of
    its own clock, whatever the load on the machine running the suite."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# The default network's full-batch update takes 66-100 us on a 2-core machine
# (bench/README.md); the paced run below spends this much of its clock on each.
SECONDS_PER_UPDATE = 1e-4


def test_the_default_pace_plays_1500_updates_in_15_to_30_seconds(paced_window):
    """The worker as the window runs it (its timer's intervals, every frame acknowledged once
    drawn) at the pace the window set, on a clock that moves only as the timer waits and
    the updates run: a student watches the first 1500 updates for 15 to 30 seconds."""
    limit = paced_window.playground.worker.pace.limit
    assert paced_window.controls.speed.currentData() == DEFAULT_SPEED == limit
    assert ExperimentConfig().train.batch_size is None  # full batch: an update per epoch
    clock = Clock()
    worker = TrainingWorker(ExperimentConfig(), clock)
    frames: list[tuple[int, float]] = []  # (update, updates a second on the status bar)
    worker.frame_ready.connect(
        lambda frame: frames.append((frame.update, frame.updates_per_second))
    )
    worker.start()
    worker.set_speed(limit)
    trainer = worker.trainer
    run_updates = trainer.train

    def timed_updates(count: int) -> None:
        run_updates(count)
        clock.now += count * SECONDS_PER_UPDATE

    trainer.train = timed_updates
    worker.play()
    worker.pause_timer()  # the test is the timer: one tick per interval of the clock
    began, seen = clock.now, 0
    while trainer.updates < 1500 and clock.now - began < 120:
        clock.now += worker._timer.interval() / 1000
        worker._tick()
        if len(frames) > seen:  # the window draws the frame, then acknowledges it
            seen = len(frames)
            worker.acknowledge()
    seconds = clock.now - began
    worker.stop()

    assert trainer.updates in (1500, 1501)
    assert 15 <= seconds <= 30, f"1500 updates took {seconds:.1f} s of the worker's clock"
    assert abs(frames[-1][1] - limit) <= 0.1 * limit  # the status bar's updates a second
    assert 20 <= len(frames) / seconds <= MAX_FRAMES_PER_SECOND + 1  # a smooth picture
    assert ("As fast as possible", 0.0) in SPEEDS
    assert "As fast as possible" in paced_window.controls.speed.toolTip()


def test_a_requested_number_of_updates_runs_at_full_speed_whatever_the_pace(qtbot, paced_window):
    # --screenshot and tests ask for N updates: at 75/s, 1500 would take 20 s.
    paced_window.playground.request_updates.emit(1500)
    qtbot.waitUntil(
        lambda: (
            paced_window.playground.last_frame.update == 1500
            and not paced_window.playground.last_frame.playing
        ),
        timeout=TIMEOUT,
    )
    assert paced_window.playground.worker.pace.limit == DEFAULT_SPEED  # the box unchanged


def test_the_divergence_banner_names_the_penalty(qtbot, window):
    window.training_panel.learning_rate.setValue(1.0)
    window.training_panel.l2.setValue(10.0)
    qtbot.waitUntil(lambda: window.playground.worker.config.train.l2 == 10.0, timeout=TIMEOUT)
    window.controls.play_action.trigger()
    qtbot.waitUntil(lambda: window.playground.last_frame.stopped, timeout=TIMEOUT)
    text = window.banner.text()
    assert "diverged" in text and "L2 penalty is too strong" in text and "below 0.2" in text
