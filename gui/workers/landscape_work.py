"""The loss landscape's work in the training thread, between slices of training.

While the view is shown, a slice of the loss centred on the current weights is started at
most twice a second while playing (at once when paused) and advanced in pieces of at most
``PIECE_SECONDS``. While playing it takes at most ``DUTY`` of the thread's time, so training
keeps most of its speed; when paused, its own timer advances it between events. A finished
slice (when paused, a partial one too) goes out once, in the next frame. When paused, the
1-D line from the initial weights follows the grid, in pieces of its own.

Nothing here holds the thread longer than a piece, whatever the size of the path: the
principal directions come from the running Gram matrix the snapshots keep (a small
eigenproblem), and the grid is computed a tile of data rows at a time.

A slice belongs to one run: when the worker trains another (a new network, new data, a reset,
a session opened), the slice under way and any not yet sent are dropped, and the next one is
of the new run. A slice's line is made from the slice's own model, data and weights, so the
two never mix runs.

A slice is of the loss the run is trained on, over the parameters it trains: the Trainer's
model and loss, or those a trainer names for its landscape (``landscape_model`` and
``landscape_loss``: a run under TensorFlow Playground's rules, model/playground/trainer.py,
offers its own network's weights and biases and Playground's half squared error).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, QTimer, Slot

from gui.workers.frames import LandscapeFrame, LandscapeLine
from model.landscape import slices as engine
from model.landscape.batch_loss import MODEL_LOSS
from model.limits import LANDSCAPE_RESOLUTION_DEFAULT, LANDSCAPE_SPAN_DEFAULT

PIECE_SECONDS = 0.010  # one piece of a slice: never delays a frame by more than this
DUTY = 0.12  # while playing, the fraction of the thread's time a slice may take
SLICES_PER_SECOND = 2  # while playing, at most
FOLLOW_SECONDS = 2.0  # while playing, a slice not done by then ends at its last whole level
PARTIAL_SECONDS = 0.2  # when paused, a partial slice is shown this often


@dataclass(frozen=True)
class LandscapeRequest:
    """What the view asks for: shown or not, which plane, how fine, how far, and whether
    random directions move the biases too (model/landscape/slices.py ``filter_normalised``)."""

    shown: bool = False
    plane: str = "pca"  # or "random"
    resolution: int = LANDSCAPE_RESOLUTION_DEFAULT
    span: float = LANDSCAPE_SPAN_DEFAULT
    include_biases: bool = False


def sliced(trainer) -> tuple[engine.Model, str]:
    """The model whose parameters a slice of ``trainer``'s run moves, and the kind of loss
    (model/landscape/batch_loss.py): the trainer's own, unless it names others for its
    landscape. Its ``initial_parameters`` and ``snapshots`` are of that model."""
    model = getattr(trainer, "landscape_model", None)
    if model is None:
        return trainer.model, MODEL_LOSS
    return model, trainer.landscape_loss


@dataclass
class _Slice:
    """A slice being computed, what it is centred on and the run's initial weights (the
    line's start)."""

    evaluator: engine.SliceEvaluator
    centre: np.ndarray
    start: np.ndarray
    update: int
    plane: str
    path: np.ndarray
    path_updates: np.ndarray
    explained: float | None
    line: engine.LineEvaluator | None = None  # when paused, after the grid


class LandscapeJob(QObject):
    """A child of the worker (so it lives in the training thread); reads its trainer."""

    def __init__(self, worker, offer: Callable[[], None], should_stop: Callable[[], bool]):
        super().__init__(worker)
        self.worker = worker
        self.offer = offer
        self.should_stop = should_stop
        self.request = LandscapeRequest()
        self._trainer = None  # the run the slices are of
        self._dataset = None  # and its data (new points of the user's own replace it)
        self._random_plane: tuple[bool, engine.Plane] | None = None  # biases included?
        self._slice: _Slice | None = None
        self._unsent: LandscapeFrame | None = None
        self._started = 0.0
        self._rest_until = 0.0
        self._last_partial = 0.0
        self._timer: QTimer | None = None  # made in the worker thread, on first use

    @Slot(object)
    def set_request(self, request: LandscapeRequest) -> None:
        if self.should_stop():
            return
        changed = request != self.request
        self.request = request
        if not request.shown:
            self._slice, self._unsent = None, None
            self._stop_timer()
        elif changed:
            self._slice = None
            self._rest_until = 0.0
            if not self.worker.playing:
                self._start_paused()

    # ----- called by the worker -----
    def work_between_slices(self) -> None:
        """While playing: start or advance a slice, within the duty cycle."""
        trainer = self.worker.trainer
        now = time.perf_counter()
        self._follow_run()
        if not self.request.shown or trainer is None or now < self._rest_until:
            return
        current = self._slice
        finished = current is None or current.evaluator.done
        # A slice too slow to finish soon (a large network) is left at its last complete
        # level, so the map keeps following the weights, sharper when paused.
        overdue = current is not None and now - self._started >= FOLLOW_SECONDS
        finished = finished or (overdue and current.evaluator.level > 0)
        if finished and (current is None or now - self._started >= 1 / SLICES_PER_SECOND):
            self._begin(trainer)  # a piece of its own: the plane may take a few ms
        elif finished:
            return
        else:
            level = current.evaluator.level
            slow = now - self._started >= 1 / SLICES_PER_SECOND
            if not self._advance(PIECE_SECONDS) and slow and current.evaluator.level > level:
                self._publish(complete=False)  # a slow slice: a finer preview of the map
        spent = time.perf_counter() - now
        self._rest_until = now + spent / DUTY

    def take(self) -> LandscapeFrame | None:
        """The landscape for the frame being made: a new slice once, else None. When
        paused with weights the shown slice is not centred on, a new slice starts."""
        self._follow_run()
        if self.request.shown and not self.worker.playing and self._stale():
            self._start_paused()
        landscape, self._unsent = self._unsent, None
        return landscape

    # ----- internals -----
    def _follow_run(self) -> bool:
        """Drop the slices of a run the worker no longer trains (another network, other
        data): their weights fit the new model no more. True if there were any."""
        trainer = self.worker.trainer
        dataset = None if trainer is None else trainer.dataset
        if trainer is self._trainer and dataset is self._dataset:
            return False
        if trainer is not self._trainer:
            self._random_plane = None
        self._trainer, self._dataset = trainer, dataset
        self._slice, self._unsent = None, None
        return True

    def _stale(self) -> bool:
        trainer = self.worker.trainer
        if trainer is None:
            return False
        current = self._slice
        if current is None or trainer is not self._trainer or current.update != trainer.updates:
            return True
        return not np.array_equal(current.centre, engine.flat_parameters(sliced(trainer)[0]))

    def _start_paused(self) -> None:
        if self.worker.trainer is None:
            return
        self._begin(self.worker.trainer)
        if self._timer is None:
            self._timer = QTimer(self)
            self._timer.setInterval(0)
            self._timer.timeout.connect(self._paused_piece)
        self._timer.start()

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()

    @Slot()
    def _paused_piece(self) -> None:
        """When paused: the next piece of the slice; partial results now and then."""
        if self._follow_run() and self.request.shown and self.worker.trainer is not None:
            self._begin(self.worker.trainer)  # another run while paused: its slice instead
        if self.should_stop() or self.worker.playing or self._slice is None:
            self._stop_timer()
            return
        current = self._slice
        if not current.evaluator.done:
            current.evaluator.advance(PIECE_SECONDS, self.should_stop)
        elif current.line is None:
            evaluator = current.evaluator
            current.line = engine.LineEvaluator(
                evaluator.model,
                evaluator.dataset,
                current.start,
                current.centre,
                loss_kind=evaluator.loss_kind,
            )
        elif current.line.advance(PIECE_SECONDS, self.should_stop):
            self._stop_timer()
            self._publish(complete=True)
            self.offer()
            return
        if time.perf_counter() - self._last_partial >= PARTIAL_SECONDS:
            self._last_partial = time.perf_counter()
            self._publish(complete=False)
            self.offer()

    def _begin(self, trainer) -> None:
        """A new slice centred on the trainer's weights, on the requested plane."""
        self._follow_run()
        (model, loss_kind), request = sliced(trainer), self.request
        centre = engine.flat_parameters(model)
        updates, snapshots, gram = trainer.snapshots.view()
        explained = None
        if request.plane == "pca" and len(snapshots) >= 3:
            plane = engine.pca_plane(snapshots, centre, gram)
            explained = float(np.sum(plane.explained))
            kind = "pca"
        else:  # too short a path for principal directions: random ones meanwhile
            plane, kind = self._random_directions(model, request.include_biases), "random"
        path = engine.path_around(plane, snapshots, centre)
        at_centre = bool(updates) and np.array_equal(snapshots[-1], centre)
        if not at_centre:  # the path ends where we are
            updates, path = [*updates, trainer.updates], np.vstack([path, np.zeros((1, 2))])
        last = trainer.history[-1] if trainer.history else None
        known = last.train_loss if at_centre and last and last.update == trainer.updates else None
        self._slice = _Slice(
            evaluator=engine.SliceEvaluator(
                model,
                trainer.dataset,
                centre,
                plane,
                request.span,
                request.resolution,
                centre_loss=known,
                loss_kind=loss_kind,
            ),  # fmt: skip
            centre=centre,
            start=trainer.initial_parameters,  # the run's; never changed
            update=trainer.updates,
            plane=kind,
            path=np.asarray(path, dtype=float),
            path_updates=np.asarray(updates),
            explained=explained,
        )
        self._started = self._last_partial = time.perf_counter()

    def _random_directions(self, model, include_biases: bool) -> engine.Plane:
        """The run's random plane, fixed for the run (for each choice of biases). One made
        while every weight was zero (the perceptron's start) has no direction, so it is made
        again from the weights of now."""
        if self._random_plane is not None:
            included, plane = self._random_plane
            if included == include_biases and np.any(plane.d1) and np.any(plane.d2):
                return plane
        plane = engine.random_plane(model, np.random.default_rng(0), include_biases)
        self._random_plane = include_biases, plane
        return plane

    def _advance(self, seconds: float) -> bool:
        """A piece of the slice; True when it finished (and was published)."""
        current = self._slice
        done = current.evaluator.advance(seconds, self.should_stop)
        if done:
            self._publish(complete=True)
        return done

    def _publish(self, complete: bool) -> None:
        current = self._slice
        evaluator, line = current.evaluator, current.line
        if line is not None and complete and line.done:
            line = LandscapeLine(line.t.copy(), line.train.copy(), line.test.copy())
        else:
            line = None
        self._unsent = LandscapeFrame(
            update=current.update,
            plane=current.plane,
            a=np.array(evaluator.a, dtype=float),
            b=np.array(evaluator.b, dtype=float),
            loss=np.array(evaluator.loss, dtype=float),
            preview=None if complete else np.array(evaluator.preview(), dtype=float),
            progress=1.0 if complete else evaluator.progress,
            path=current.path.copy(),
            path_updates=current.path_updates.copy(),
            explained=current.explained,
            complete=complete,
            line=line,
        )
