"""Long experiments (the perceptron sweep, run comparisons) in a QThread of their own.

The work itself is the pure functions of model/experiments/comparisons.py; this object turns their
progress callbacks into signals carrying fresh copies, and their ``should_cancel`` into a
flag the GUI thread sets directly (a queued 'cancel' would wait behind the running job).
Nothing of a job outlives it here: its thumbnails belong to that job alone.
"""

from __future__ import annotations

import copy
import threading
import time
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from gui.appearance.palette import boundary_image
from model.config import ExperimentConfig
from model.experiments.comparisons import Comparison, compare_runs, config_with, perceptron_sweep
from model.experiments.parallel_comparisons import compare_runs_parallel, train_size, worth_parallel
from model.nn.input_plane import evaluate_plane
from model.playground.compare import compare_playground
from model.training.trainer import Trainer

THUMBNAIL_RESOLUTION = 48
UPDATE_INTERVAL = 0.2  # seconds between partial results sent to the window
DRAW_PAUSE = 0.03  # seconds the worker steps back after sending them (about 15 % of its time)


class ExperimentWorker(QObject):
    """Runs one experiment at a time in its own thread, reporting partial results a few
    times a second."""

    grid_progress = Signal(int, int, object)  # done, total, PerceptronSweep so far
    grid_finished = Signal(object)
    compare_progress = Signal(object, object)  # Comparison so far, thumbnails by run index
    compare_finished = Signal(object, object)  # Comparison, thumbnails by run index
    failed = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.cancel_requested = threading.Event()
        self._last_sent = 0.0
        self.mode = ""

    def cancel(self) -> None:
        """Called from the GUI thread: the running job stops at its next check."""
        self.cancel_requested.set()

    def _send(self, name: str, *args: Any) -> None:
        """Emit signal ``name``; if this object's Qt side is gone (its window was deleted
        while the job ran), stop the job quietly instead of raising in the thread."""
        try:
            getattr(self, name).emit(*args)
        except RuntimeError:  # "Signal source has been deleted"
            self.cancel_requested.set()

    @staticmethod
    def _let_the_window_draw() -> None:
        """Step back from the GIL for a moment after sending partial results, so the GUI
        thread draws them at full speed instead of sharing the interpreter with training."""
        time.sleep(DRAW_PAUSE)

    def _due(self) -> bool:
        now = time.perf_counter()
        if now - self._last_sent >= UPDATE_INTERVAL:
            self._last_sent = now
            return True
        return False

    @Slot(object)
    def run_map(self, request: dict[str, Any]) -> None:
        """The perceptron sweep of ``request`` (means, covs, seeds, max_epochs, learning_rate)."""
        self.cancel_requested.clear()
        holder: dict = {}

        def progress(done: int, total: int) -> None:
            if self._due() or done == total:
                self._send("grid_progress", done, total, copy.deepcopy(holder.get("grid")))
                self._let_the_window_draw()

        try:
            grid = perceptron_sweep(
                request["means"],
                request["covs"],
                request["seeds"],
                request["max_epochs"],
                request["learning_rate"],
                progress=progress,
                should_cancel=self.cancel_requested.is_set,
                result_holder=holder,
            )
        except Exception as error:  # noqa: BLE001 - the window must learn of any failure
            self._send("failed", failure_text("The perceptron sweep", error))
            return
        self._send("grid_finished", grid)

    def _send_comparison(self, comparison: Comparison, thumbnails: dict[int, np.ndarray]) -> None:
        self._send("compare_progress", copy.deepcopy(comparison), dict(thumbnails))
        self._let_the_window_draw()

    @Slot(object)
    def run_compare(self, request: dict[str, Any]) -> None:
        """The comparison of ``request``, in two processes where that pays, else in this thread."""
        self.cancel_requested.clear()
        thumbnails: dict[int, np.ndarray] = {}  # this comparison's boundary images, by run
        holder: dict = {}

        def observe(index: int, trainer: Trainer) -> None:
            if self._due() or trainer.epochs_completed == request["max_epochs"]:
                grid = evaluate_plane(
                    trainer.model, trainer.dataset.extent(), THUMBNAIL_RESOLUTION, hidden=False
                )
                thumbnails[index] = boundary_image(grid.probabilities)
                self._send_comparison(holder["comparison"], thumbnails)

        def parallel_update(comparison: Comparison, probabilities: dict) -> None:
            thumbnails.update((i, boundary_image(p)) for i, p in probabilities.items())
            if self._due():
                self._send_comparison(comparison, thumbnails)

        config: ExperimentConfig = request["config"]
        parameter, values, epochs = request["parameter"], request["values"], request["max_epochs"]
        try:
            if request.get("rules") is not None:  # the shown run's link, by Playground's rules
                self.mode = "under Playground rules"
                comparison = compare_playground(
                    request["rules"],
                    parameter,
                    values,
                    epochs,
                    should_cancel=self.cancel_requested.is_set,
                    observe=observe,
                    result_holder=holder,
                )
            elif request.get(
                "parallel",
                worth_parallel(
                    [config_with(config, parameter, v) for v in values], train_size(config), epochs
                ),
            ):
                self.mode = "in 2 processes"
                comparison = compare_runs_parallel(
                    config,
                    parameter,
                    values,
                    epochs,
                    should_cancel=self.cancel_requested.is_set,
                    on_update=parallel_update,
                )
            else:
                self.mode = "in one process"
                comparison = compare_runs(
                    config,
                    parameter,
                    values,
                    epochs,
                    should_cancel=self.cancel_requested.is_set,
                    observe=observe,
                    result_holder=holder,
                )
        except Exception as error:  # noqa: BLE001 - the window must learn of any failure
            self._send("failed", failure_text("The comparison", error))
            return
        self._send("compare_finished", comparison, dict(thumbnails))


def failure_text(action: str, error: Exception) -> str:
    """What the window says when ``action`` failed. A refusal (ValueError) already reads
    as a sentence; anything else is a fault, and its text alone (a KeyError's is only the
    missing key, ``'custom'``) means nothing to the user: say what failed, in words."""
    if isinstance(error, ValueError) and str(error):
        return str(error)
    if isinstance(error, MemoryError):
        return f"{action} needs more memory than there is: try fewer runs or epochs."
    if isinstance(error, OSError):
        return f"{action} could not run: {error.strerror or error}."
    return (
        f"{action} stopped on an internal error ({type(error).__name__}). The main "
        "window's run is unchanged; please report the steps that led here."
    )
