"""The playground without its widgets: the configuration in force, the training worker's
life, and the commands that change what is trained.

Windows, menus and tools call its methods and listen to its signals; none of them reaches
into another. Whether a change builds a new network is decided once, by the worker
(``model.config.change_kind``); this object learns the outcome from the next frame's
generation.

A new configuration supersedes the work in hand: the worker is told directly (it may be busy
for seconds making a frame) before the configuration is queued, and a frame made before the
latest request arrives is acknowledged without being drawn.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from gui.drawing.point_edits import EMPTY, class_names_for
from gui.workers.code_export_job import CodeExportJob
from gui.workers.frames import Frame
from gui.workers.worker import TrainingWorker
from model.config import DataConfig, ExperimentConfig, ModelConfig, TrainConfig
from model.data.datasets import CUSTOM
from model.limits import THREAD_STOP_SECONDS
from model.playground.to_experiment import nearest_experiment

NEW_NETWORK = "New network: the change needs fresh weights, so training restarted at update 0."
Points = tuple[np.ndarray, np.ndarray, tuple[str, ...]]


class Playground(QObject):
    """Owns the configuration and the training thread; says what happened by signals."""

    # to the training thread
    request_config = Signal(object)
    request_restart = Signal(object)  # a configuration to start afresh with
    request_play = Signal()
    request_pause = Signal()
    request_step = Signal()
    request_epoch = Signal()
    request_reset = Signal()
    request_speed = Signal(float)
    request_updates = Signal(int)
    request_ack = Signal()
    request_stop = Signal()
    request_network = Signal(bool)
    request_landscape = Signal(object)  # a LandscapeRequest
    request_weight = Signal(int, int, int, float)
    request_aspect = Signal(float)  # the boundary view's width / height
    request_open = Signal(object, object)  # configuration, trainer
    request_playground = Signal(object, object)  # a Playground link's rules, configuration
    request_save = Signal(str)
    request_code_export = Signal(str, str)  # "numpy" or "torch", path
    # to the windows
    frame_ready = Signal(object)  # a Frame to draw; acknowledge with frame_drawn()
    problem = Signal(str)  # something went wrong or was refused: the banner says it
    notice = Signal(str)  # what to do next, not an error
    banner_cleared = Signal()
    message = Signal(str, int)  # a status-bar message and how long it stays (ms)
    points_held = Signal(object, object)  # drawn points too few to train on, shown alone
    hold_ended = Signal()
    saved = Signal(str, str)  # path, and why saving failed ("" when it worked)
    code_exported = Signal(str, str, str)  # kind, path, why it failed ("" when it worked)

    def __init__(
        self,
        config: ExperimentConfig,
        show_config: Callable[[ExperimentConfig], ExperimentConfig],
        split_settings: Callable[[], tuple[float, int]],
        parent: QObject | None = None,
    ) -> None:
        """``show_config`` puts a configuration into the panels and returns it as they show
        it (left-out defaults explicit); ``split_settings`` reads the train fraction and seed
        that any data, drawn points too, is split with."""
        super().__init__(parent)
        self.config = config
        self.show_config = show_config
        self.split_settings = split_settings
        self.playing = False
        self.last_frame: Frame | None = None
        self.pending: Points | None = None  # drawn points waiting to be enough
        self._generation = -1
        self._announce_rebuild = False
        self._request = 0  # the number of the latest configuration request sent

    # ----- the training thread -----
    def start(self, updates_per_second: float) -> None:
        # Not a child: the playground goes with its window when the window closes; the
        # thread, joined by then, stays for whoever asks whether it still runs.
        self.thread = QThread()
        self.worker = TrainingWorker(self.config)
        self.code_export = CodeExportJob(self.worker)  # a child: it moves with the worker
        self.worker.set_speed(updates_per_second)  # before it has a thread
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.start)
        # The QThread object lives in the GUI thread, which is blocked in wait() at
        # shutdown: quit() must be called directly from the worker thread.
        self.worker.finished.connect(self.thread.quit, Qt.ConnectionType.DirectConnection)
        self.worker.frame_ready.connect(self._frame_arrived)
        self.worker.refused.connect(self._refused)
        self.worker.saved.connect(self.saved)
        self.code_export.exported.connect(self.code_exported)
        self.request_code_export.connect(self.code_export.export)
        worker = self.worker
        for signal, slot in (
            (self.request_config, worker.set_config),
            (self.request_restart, worker.restart_with),
            (self.request_play, worker.play),
            (self.request_pause, worker.pause),
            (self.request_step, worker.step_update),
            (self.request_epoch, worker.step_epoch),
            (self.request_reset, worker.reset),
            (self.request_speed, worker.set_speed),
            (self.request_updates, worker.run_updates),
            (self.request_ack, worker.acknowledge),
            (self.request_stop, worker.stop),
            (self.request_network, worker.set_network_view),
            (self.request_landscape, worker.landscape.set_request),
            (self.request_weight, worker.set_weight),
            (self.request_aspect, worker.set_view_aspect),
            (self.request_open, worker.open_session),
            (self.request_playground, worker.open_playground),
            (self.request_save, worker.save_session),
        ):
            signal.connect(slot)
        self.thread.start()

    def stop_soon(self) -> None:
        """Ask training to stop after the update in hand; nothing waits."""
        if self.thread.isRunning():
            self.worker.interrupt()  # directly: the worker thread may be busy for seconds
            self.request_stop.emit()

    def stopped(self) -> bool:
        """The training thread is done, and so is any session being written."""
        return not self.thread.isRunning() and self.worker.writes.activeThreadCount() == 0

    def shutdown(self) -> None:
        """Stop training after the update in hand and wait for the thread."""
        self.stop_soon()
        self.thread.wait(THREAD_STOP_SECONDS * 1000)
        self.worker.writes.waitForDone()  # a session being written is finished, not cut

    @Slot(object)
    def _frame_arrived(self, frame: Frame) -> None:
        if frame.request < self._request:  # made before the latest configuration request
            self.request_ack.emit()  # not drawn: the worker may send the next at once
            return
        if frame.generation != self._generation:
            if self._announce_rebuild and self._generation >= 0:
                self.say(NEW_NETWORK, 6000)
            self._generation = frame.generation
        self._announce_rebuild = False
        self.playing = frame.playing
        self.last_frame = frame
        self.frame_ready.emit(frame)

    def frame_drawn(self) -> None:
        """The window has drawn the last frame: the worker may send the next."""
        self.request_ack.emit()

    @Slot(str, object, int)
    def _refused(self, why: str, config_in_force: ExperimentConfig, request: int) -> None:
        """The worker could not build that network: say why and show what still runs,
        unless a later configuration has been sent since (it is on its way, and decides:
        the window showing the configuration in force then would differ from the worker's
        once the later one is applied)."""
        if request < self._request:
            return
        self.config = self.show_config(config_in_force)
        self.problem.emit(f"Not applied: {why}. The previous settings stay in force.")

    # ----- commands -----
    def say(self, text: str, milliseconds: int = 5000) -> None:
        self.message.emit(text, milliseconds)

    def toggle_play(self) -> None:
        (self.request_pause if self.playing else self.request_play).emit()

    def reset(self) -> None:
        self.banner_cleared.emit()
        self._announce_rebuild = False
        self.request_reset.emit()

    def edit_config(self, config: ExperimentConfig) -> None:
        """A checked configuration from the panels: train it (the worker decides whether the
        network must be rebuilt; a rebuild is announced when its frame comes)."""
        self.end_hold()
        self.banner_cleared.emit()
        self._send(config, announce=True)

    def edit_without_data(self, why: str, model: ModelConfig, train: TrainConfig) -> None:
        """The panels' data cannot be trained on yet (drawn points too few): a Model or
        Training change applies to the data trained last, the points keep waiting."""
        if self.pending is None:
            self.problem.emit(why)
            return
        try:
            config = ExperimentConfig(self.config.data, model, train)
        except ValueError as error:
            self.problem.emit(str(error))
            return
        self._send(config, announce=True)

    def _send(self, config: ExperimentConfig, announce: bool = False) -> None:
        self.config = config
        self._announce_rebuild = announce
        self._supersede()
        self.request_config.emit(config)

    def _supersede(self) -> None:
        """Cut the worker's work in hand short: a configuration request follows."""
        worker = getattr(self, "worker", None)
        if worker is not None:
            self._request = worker.supersede()

    def load_config(self, config: ExperimentConfig) -> None:
        """Show and train ``config`` (a preset, the experiments window)."""
        self.end_hold()
        self.config = self.show_config(config)
        self.banner_cleared.emit()
        self._send(self.config)

    def apply_data(self, data: DataConfig, restart: bool = False) -> None:
        """Train on other data: drawn points go on with the same network, a loaded file
        (``restart``) starts a fresh one."""
        self.end_hold()
        self.banner_cleared.emit()
        self.config = self.show_config(ExperimentConfig(data, self.config.model, self.config.train))
        if restart:
            self._supersede()
            self.request_restart.emit(self.config)
        else:
            self._send(self.config)

    def open_session(self, config: ExperimentConfig, trainer) -> ExperimentConfig:
        """Continue a session already read and checked; returns its configuration as shown."""
        self.end_hold()
        self.banner_cleared.emit()
        self.config = self.show_config(config)
        self._supersede()
        self.request_open.emit(self.config, trainer)
        return self.config

    def open_playground(self, rules) -> None:
        """Train a TensorFlow Playground link's run by Playground's rules; the panels show
        this app's nearest settings (editing one trains those, by this app's rules)."""
        self.end_hold()
        self.banner_cleared.emit()
        with contextlib.suppress(ValueError):  # none (no input): the panels keep theirs
            self.config = self.show_config(nearest_experiment(rules))
        self._supersede()
        self.request_playground.emit(rules, self.config)

    def save_session(self, path: str) -> None:
        self.request_save.emit(path)

    def export_code(self, kind: str, path: str) -> None:
        """Write the network as a script ("numpy" or "torch"); ``code_exported`` answers."""
        self.request_code_export.emit(kind, path)

    def set_weight(self, layer: int, source: int, target: int, value: float) -> None:
        self.request_weight.emit(layer, source, target, value)

    # ----- drawn points -----
    def hold_points(self, X: np.ndarray, y: np.ndarray, names: tuple[str, ...], why: str) -> None:
        """Points too few to train on: training pauses and they are shown alone."""
        self.pending = (X, y, names)
        self.request_pause.emit()
        self.points_held.emit(X, y)
        self.notice.emit(why)

    def end_hold(self) -> None:
        """Points held back for being too few give way to data that can train."""
        if self.pending is not None:
            self.pending = None
            self.hold_ended.emit()

    def current_points(self) -> Points:
        """The points on the plane, with their class names: those waiting, the latest
        drawn (even before their frame has come back), or the configured data set's.
        A regression's points have real targets (float) and no class names."""
        if self.pending is not None:
            return self.pending
        data = self.config.data
        if data.name == CUSTOM:
            X, y = data.custom_arrays()
            if data.is_regression:
                return X, y, ()
            return X, y, class_names_for(data.class_names, int(y.max()) + 1)
        dataset = self.last_frame.dataset if self.last_frame is not None else None
        if dataset is None:
            return (*EMPTY, ())
        return dataset.X_all, dataset.y_all, dataset.label_names()

    def shows_configured_problem(self) -> bool:
        """Whether the points on screen pose the configured problem (classes, or targets).
        Just after a change of problem the frame on screen is of the old kind until the new
        data set's first frame comes back; the data set is made by the worker, never here."""
        data = self.config.data
        if self.pending is not None or data.name == CUSTOM:
            return True
        dataset = self.last_frame.dataset if self.last_frame is not None else None
        return dataset is not None and dataset.problem == data.problem

    def classes_in_training(self) -> int:
        """How many classes the network being trained has (0 if unknown)."""
        data = self.config.data
        if data.is_regression:
            return 0
        if data.name == CUSTOM:
            return int(max(point[2] for point in data.points)) + 1
        return self.last_frame.dataset.n_classes if self.last_frame is not None else 0
