"""The training worker: a QObject living in its own QThread, owning the Trainer.

Commands arrive as queued slot calls and are handled between slices of training. While
playing, a timer in the worker thread runs a time-boxed slice of updates, then offers a
frame. At most one frame is in flight: until the GUI acknowledges it, training goes on but
nothing is emitted (backpressure), so the event queue cannot grow without bound.

Every command can be cut short: ``interrupt()``, called directly from the GUI thread (the
worker thread may be busy for seconds: a queued call would wait for it), sets a flag that
training checks between updates and evaluation between slices of rows. The command then
returns at once and later ones are skipped, so the queued ``stop`` runs within milliseconds.

A new configuration cuts the work in hand short the same way (``supersede()``, called
directly before it is queued): a configuration a later one supersedes is skipped, and each
frame carries the request it was made under, so the window draws none made before its latest.
A session is taken between two slices and written by a pool thread (``writes``).
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal, Slot

from gui.workers.frame_maker import FrameMaker
from gui.workers.landscape_work import LandscapeJob
from gui.workers.pacing import Pace
from gui.workers.session_writes import TakenRun, write_session
from gui.workers.sharing import share_the_processor
from model.config import LIVE, NEW_POINTS, REBUILD, ExperimentConfig, change_kind
from model.playground.session import PlaygroundSession
from model.playground.trainer import PlaygroundTrainer
from model.training.divergence import divergence_cause
from model.training.evaluation import TrainingInterrupted
from model.training.trainer import Trainer, TrainingDiverged, build_dataset, build_trainer

SLICE_SECONDS = 0.005  # also how late an acknowledgement may be noticed
# While playing, at most this many frames a second: painting holds the GIL, training needs it.
MAX_FRAMES_PER_SECOND = 27


def _command(method):
    """A worker command: skipped once a stop was requested, and ended quietly by one."""

    @functools.wraps(method)
    def run(self, *args):
        if self._stop_requested.is_set():
            return None
        try:
            return method(self, *args)
        except TrainingInterrupted:
            return None

    return run


class TrainingWorker(QObject):
    frame_ready = Signal(object)
    # why, the configuration still in force, and the number of the request refused
    refused = Signal(str, object, int)
    saved = Signal(str, str)  # path, and why it failed ("" when it worked)
    finished = Signal()

    def __init__(
        self, config: ExperimentConfig, clock: Callable[[], float] = time.perf_counter
    ) -> None:
        super().__init__()
        self.config = config
        self.trainer: Trainer | None = None
        self.rules = None  # a Playground link's configuration, while its rules train
        self.playing = False
        self.clock = clock  # pacing and frame times; a test may drive its own
        self.pace = Pace(clock)
        self.generation = 0
        self._in_flight = False
        self._dirty = False
        self.frames = FrameMaker()
        self._message: str | None = None
        self._notice: str | None = None  # said once, with the next frame
        # The configuration of the last run that diverged, and the likely cause.
        self._last_divergence: tuple[ExperimentConfig, str] | None = None
        self._noted_generation = -1  # the generation whose divergence was noted
        self._stop_requested = threading.Event()
        # Configuration requests: announced by the window (``supersede``, its thread) and
        # taken here, in order; while one announced is not yet taken, work is cut short.
        self._requests_sent = 0
        self._requests_taken = 0
        self.writes = QThreadPool(self)  # session files, one at a time, in order
        self.writes.setMaxThreadCount(1)
        self._timer: QTimer | None = None
        self._target_update: int | None = None
        self._last_frame_time = 0.0
        self.network_view = False
        self.view_aspect: float | None = None  # the boundary view's width / height in pixels
        self.landscape = LandscapeJob(self, self._offer_frame, self._should_stop)

    # ----- life cycle (called in the worker thread) -----
    @Slot()
    @_command
    def start(self) -> None:
        share_the_processor()
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._tick)
        self._rebuild()

    def interrupt(self) -> None:
        """Cut the running command short, skip the queued ones: called directly, any thread."""
        self._stop_requested.set()

    def supersede(self) -> int:
        """A new configuration is on its way: cut the running command short and skip what
        it supersedes. Called directly from the window's thread just before it queues the
        configuration; returns the request's number (frames carry the number taken)."""
        self._requests_sent += 1
        return self._requests_sent

    def _take_request(self) -> bool:
        """A configuration request arrives: True if a later one is already announced."""
        self._requests_taken = min(self._requests_taken + 1, self._requests_sent)
        return self._requests_taken < self._requests_sent

    def _should_stop(self) -> bool:
        return self._stop_requested.is_set() or self._requests_taken < self._requests_sent

    @Slot()
    def stop(self) -> None:
        self._stop_requested.set()
        if self._timer is not None:
            self._timer.stop()
        self.playing = False
        self.finished.emit()

    # ----- commands -----
    @Slot(object)
    @_command
    def set_config(self, config: ExperimentConfig) -> None:
        """A new configuration: the learning rate alone applies live, new points of the
        user's own go on training the same network, anything else rebuilds. Skipped when a
        later configuration is already on its way (it says everything this one does)."""
        if self._take_request():
            return
        # Under Playground rules any edit rebuilds: the panels' run, by this app's rules.
        running = self.trainer is not None and self.rules is None
        kind = change_kind(self.config, config) if running else REBUILD
        if kind == NEW_POINTS:
            self._swap_data(config)
        elif kind == LIVE:
            self.config = config
            self.trainer.set_learning_rate(config.train.learning_rate)
            self._offer_frame()
        else:
            self._rebuild(config)

    def _swap_data(self, config: ExperimentConfig) -> None:
        """Drawn or removed points: the same network trains on, unless the classes changed."""
        try:
            dataset = build_dataset(config)
        except ValueError as error:
            self.refused.emit(str(error), self.config, self._requests_taken)
            return
        if dataset.n_classes != self.trainer.dataset.n_classes:
            self._rebuild(config)
            return
        self.config = config
        self.trainer.replace_dataset(dataset)
        self.pace.new_run()  # another training-set size
        self._offer_frame()

    @Slot(object)
    @_command
    def restart_with(self, config: ExperimentConfig) -> None:
        """A fresh network for ``config`` (a loaded data file); refused, nothing changes."""
        self._take_request()
        self._rebuild(config)

    @Slot(object, object)
    @_command
    def open_session(self, config: ExperimentConfig, trainer: Trainer) -> None:
        """Continue a saved session: its configuration and trainer replace the current ones
        (a Playground run's, replayed from its link, under Playground's rules again)."""
        self._take_request()
        self.playing = False
        self.pause_timer()
        if isinstance(trainer, PlaygroundSession):  # replayed here, never in the window's thread
            try:
                trainer = trainer.replay(self._should_stop)
            except ValueError as error:
                self.refused.emit(str(error), self.config, self._requests_taken)
                return
            if trainer is None:  # cut short: the window closed or asked for something else
                return
        rules = trainer.rules if isinstance(trainer, PlaygroundTrainer) else None
        self._adopt(config, trainer, rules)
        self._offer_frame()

    @Slot(object, object)
    @_command
    def open_playground(self, rules, config: ExperimentConfig) -> None:
        """A TensorFlow Playground link's run by Playground's rules (paused, as Playground
        opens); ``config``, the panels' nearest settings, trains if a panel is edited."""
        if self._take_request():
            return
        self.playing = False
        self._rebuild(config, rules)

    @Slot(str)
    @_command
    def save_session(self, path: str) -> None:
        """Take the session between two slices of training, so it is one consistent state;
        a pool thread writes it (``saved`` answers from there)."""
        if self.trainer is None:
            self.saved.emit(path, "There is no run to save yet.")
            return
        try:  # under Playground's rules: the link and the update count
            run = (
                PlaygroundSession.of(self.trainer)
                if isinstance(self.trainer, PlaygroundTrainer)
                else TakenRun(self.trainer)
            )
        except ValueError as why:
            self.saved.emit(path, f"Not saved: {why}.")
            return
        config = self.config
        self.writes.start(lambda: self.saved.emit(path, write_session(path, config, run)))

    @Slot()
    @_command
    def play(self) -> None:
        if self.trainer is None or self.trainer.stopped_reason:
            self._offer_frame()  # a diverged run stays paused until reset
            return
        self.playing = True
        self._target_update = None
        self._message = None
        self.pace.restart()
        self._timer.start()
        self._offer_frame()

    @Slot()
    @_command
    def pause(self) -> None:
        self.playing = False
        self.pause_timer()
        self._offer_frame(evaluate=True)

    @Slot()
    @_command
    def step_update(self) -> None:
        """Exactly one update, then paused with the figures of the new state."""
        self._paused_then(lambda: self.trainer.step())

    @Slot()
    @_command
    def step_epoch(self) -> None:
        """Updates until the current pass over the training set is complete, then paused."""
        self._paused_then(lambda: self.trainer.run_epoch())

    def _paused_then(self, action) -> None:
        self.playing = False
        self.pause_timer()
        self._guarded(action)
        self._offer_frame(evaluate=True)

    @Slot(int)
    @_command
    def run_updates(self, count: int) -> None:
        """``count`` more updates at full speed, then paused (for screenshots and tests)."""
        if self.trainer is None:
            return
        self._target_update = self.trainer.updates + count
        if count <= 0:
            self._target_update = None
            self._offer_frame()
            return
        self.playing = True
        self._timer.start()

    @Slot()
    @_command
    def reset(self) -> None:
        """Fresh weights from the seed, curves cleared, paused at update 0."""
        self.playing = False
        self._rebuild()

    @Slot(float)
    def set_speed(self, updates_per_second: float) -> None:
        self.pace.set_limit(updates_per_second)

    @Slot(float)
    @_command
    def set_view_aspect(self, aspect: float) -> None:
        """The boundary grid covers the data at the view's shape, so one data unit is as
        long in x as in y and the image fills the view (no stretching, no blank strips)."""
        if aspect > 0 and aspect != self.view_aspect:
            self.view_aspect = aspect
            self._offer_frame()

    @Slot(bool)
    @_command
    def set_network_view(self, shown: bool) -> None:
        """Frames carry the network snapshot only while the network view is shown."""
        self.network_view = shown
        self._offer_frame()

    @Slot(int, int, int, float)
    @_command
    def set_weight(self, layer: int, source: int, target: int, value: float) -> None:
        """A weight typed by the user; the next update starts from it.

        An edit that does not fit the current network (typed on a diagram that a rebuild
        has since replaced: another depth or width) is ignored, as is a non-finite value.
        """
        trainer = self.trainer
        if (
            trainer is not None
            and not self.playing
            and trainer.set_weight(layer, source, target, value)
        ):
            self._offer_frame()

    @Slot()
    @_command
    def acknowledge(self) -> None:
        self._in_flight = False
        if self._dirty:
            self._offer_frame()

    # ----- internals -----
    def _rebuild(self, config: ExperimentConfig | None = None, rules=None) -> None:
        """A new Trainer for ``config`` (default: the current one, under the rules in force),
        by Playground's ``rules`` if given; refused, nothing changes."""
        if config is None:
            config, rules = self.config, self.rules
        try:
            if rules is not None:
                trainer = PlaygroundTrainer(rules, should_stop=self._should_stop)
            else:
                trainer = build_trainer(config, should_stop=self._should_stop)
        except ValueError as error:
            self.refused.emit(str(error), self.config, self._requests_taken)
            return
        was_playing = self.playing
        self.pause_timer()
        self._note_divergence()  # the run being replaced may have diverged
        self._adopt(config, trainer, rules)
        if self._last_divergence is not None and self._last_divergence[0] == config:
            self._notice = f"These settings diverged last time: {self._last_divergence[1]}"
        if was_playing:
            self.play()
        else:
            self._offer_frame()

    def _adopt(self, config: ExperimentConfig, trainer: Trainer, rules=None) -> None:
        """Train ``trainer`` from now on: a new generation, its curves sent from the start."""
        self.config, self.trainer, self.rules = config, trainer, rules
        trainer.should_stop = self._should_stop
        self.generation += 1
        self.frames.new_run()
        self._message = trainer.stopped_reason
        self._notice = None
        self.pace.new_run()

    def pause_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()

    def _guarded(self, action) -> None:
        if self.trainer is None:
            return
        try:
            action()
        except TrainingDiverged as error:
            self._diverged(str(error))

    def _diverged(self, reason: str) -> None:
        self.playing = False
        self._target_update = None
        self.pause_timer()
        self._message = reason

    def _note_divergence(self) -> None:
        """If the run has diverged (an update or an evaluation found it), pause, say why,
        and remember the settings, so that a reset to them can say it will happen again."""
        trainer = self.trainer
        if trainer is None or trainer.stopped_reason is None:
            return
        if self._noted_generation != self.generation:
            self._noted_generation = self.generation
            self._last_divergence = (self.config, divergence_cause(trainer))
            self._diverged(trainer.stopped_reason)

    @Slot()
    @_command
    def _tick(self) -> None:
        trainer = self.trainer
        if trainer is None or not self.playing:
            self.pause_timer()
            return
        now = self.clock()
        unlimited = self._target_update is not None  # run_updates: as fast as possible
        allowed = self.pace.allowed(unlimited)
        self._timer.setInterval(self.pace.timer_interval(unlimited))
        if allowed == 0:
            return
        # End the slice when the next frame is due, so frames come at the intended rate.
        frame_due = self._last_frame_time + 1.0 / MAX_FRAMES_PER_SECOND
        deadline = now + SLICE_SECONDS
        if not self._in_flight:
            deadline = max(min(deadline, frame_due), now + 0.001)
        started = trainer.updates
        try:
            left = allowed
            if self._target_update is not None:
                left = min(left, self._target_update - trainer.updates)
            self.pace.train(trainer, left, deadline)
        except TrainingDiverged as error:
            self._diverged(str(error))
        self._note_divergence()
        self.pace.spent(trainer.updates - started, trainer.updates, unlimited)
        self.landscape.work_between_slices()
        if self._target_update is not None and trainer.updates >= self._target_update:
            self._target_update = None
            self.playing = False
            self.pause_timer()
            self._offer_frame(evaluate=True)
            return
        if self._message is not None:
            self._offer_frame(evaluate=True)
        elif self.clock() - self._last_frame_time >= 1.0 / MAX_FRAMES_PER_SECOND:
            self._offer_frame()

    def _offer_frame(self, evaluate: bool = False) -> None:
        if self.trainer is None:
            return
        if evaluate:
            self.trainer.evaluate()
        self._note_divergence()
        if self._in_flight:
            self._dirty = True
            return
        self._dirty = False
        self._in_flight = True
        self._last_frame_time = self.clock()
        notice, self._notice = self._notice, None
        try:
            frame = self.frames.make(
                self.trainer,
                generation=self.generation,
                playing=self.playing,
                view_aspect=self.view_aspect,
                network_view=self.network_view,
                message=self._message,
                notice=notice,
                updates_per_second=self.pace.updates_per_second() if self.playing else 0.0,
                should_stop=self._should_stop,
                landscape=self.landscape.take(),
                request=self._requests_taken,
            )
        except TrainingInterrupted:  # superseded or stopping: none in flight, offered later
            self._in_flight, self._dirty, self._notice = False, True, notice
            raise
        if isinstance(self.trainer, PlaygroundTrainer) and frame.network is not None:
            # Playground's network as Playground draws it: one output node (its trainer's).
            frame = replace(frame, network=self.trainer.diagram(frame.network))
        self.frame_ready.emit(frame)
