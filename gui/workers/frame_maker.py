"""Making one Frame from the trainer: the boundary image over the view's extent (class
probabilities, or a regression's predicted value on a diverging scale), the predictions,
the history points not yet sent and, while the network view is shown, the network's
snapshot. Every array is made afresh for the frame (see ``gui.workers.frames``)."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from gui.appearance.palette import boundary_image
from gui.appearance.value_colours import value_image
from gui.workers.frames import Frame, LandscapeFrame
from model.nn.input_plane import Extent, cell_centres
from model.nn.mlp import MLP
from model.nn.network_snapshot import snapshot_network
from model.nn.perceptron import Perceptron
from model.training.evaluation import predict_in_slices
from model.training.trainer import Trainer

# The boundary image has about GRID_RESOLUTION**2 square cells (fewer for large networks,
# below), drawn with bilinear smoothing: at 1280 x 800 a cell is about 4 pixels wide.
GRID_RESOLUTION = 112
GRID_BUDGET = 3e6  # multiply-adds per boundary image: a few milliseconds of the worker's time
NETWORK_RESOLUTION = 24
NETWORK_PER_SECOND = 5


def grid_resolution(model) -> int:
    """112 x 112 cells for small networks, down to 40 x 40 for large ones, so that a
    frame's boundary image costs about the same whatever the network."""
    if not isinstance(model, MLP):
        return GRID_RESOLUTION
    weights = sum(linear.params["weight"].size for linear in model.linears)
    return int(np.clip(np.sqrt(GRID_BUDGET / weights), 40, GRID_RESOLUTION))


def grid_shape(extent: Extent, resolution: int) -> tuple[int, int]:
    """(rows, columns) of about ``resolution**2`` square cells over ``extent``: a view
    shaped like the extent shows them square."""
    x0, x1, y0, y1 = extent
    root = np.sqrt((x1 - x0) / (y1 - y0))
    return max(2, round(resolution / root)), max(2, round(resolution * root))


class FrameMaker:
    """Remembers what the window was sent: the last history point, the last snapshot time."""

    def __init__(self) -> None:
        # The last history point sent to the window, and its update: frames carry the
        # points after it (the history is thinned at its old end, so indices would shift).
        self._sent_update = -1
        self._sent_last = None
        self._last_network_time = 0.0

    def new_run(self) -> None:
        """Another trainer: its curves are sent from the start."""
        self._sent_update, self._sent_last = -1, None

    def make(
        self,
        trainer: Trainer,
        *,
        generation: int,
        playing: bool,
        view_aspect: float | None,
        network_view: bool,
        message: str | None,
        notice: str | None,
        updates_per_second: float,
        should_stop: Callable[[], bool],
        landscape: LandscapeFrame | None = None,
    ) -> Frame:
        points = self._new_points(trainer.history)
        extent = trainer.dataset.extent(aspect=view_aspect)
        model = trainer.model
        d = trainer.dataset
        rows, columns = grid_shape(extent, grid_resolution(model))
        # One pass over the grid and both data sets: fewer, larger NumPy calls.
        inputs = np.concatenate([cell_centres(extent, rows, columns), d.X_train, d.X_test])
        with np.errstate(all="ignore"):
            outputs = predict_in_slices(model, inputs, should_stop)
        cells = rows * columns
        grid = outputs[:cells].reshape(rows, columns, -1)
        if d.is_regression:  # the predicted value: on the diverging scale, no classes
            values, grid = grid[..., 0], None
            image = value_image(values, d.value_range())
            predicted = outputs[cells:, 0]
        else:
            values, image, predicted = None, boundary_image(grid), np.argmax(outputs[cells:], 1)
        perceptron = isinstance(model, Perceptron)
        return Frame(
            generation=generation,
            update=trainer.updates,
            epoch=trainer.epoch,
            playing=playing,
            new_points=points,
            history_thinned_before=trainer.history_thinned_before,
            probabilities=grid,
            values=values,
            image=image,
            extent=extent,
            perceptron_weights=model.weights.copy() if perceptron else None,
            updates_per_second=updates_per_second,
            message=message,
            notice=notice,
            predictions_train=predicted[: len(d.X_train)],
            predictions_test=predicted[len(d.X_train) :],
            dataset=d,
            stopped=trainer.stopped_reason is not None,
            network=self._network_snapshot(model, d.extent(), network_view, playing),
            perceptron_update=model.last_update if perceptron and not playing else None,
            landscape=landscape,
        )

    def _network_snapshot(self, model, extent, shown: bool, playing: bool):
        """The network view's data, at most NETWORK_PER_SECOND times a second while playing."""
        if not shown or not isinstance(model, MLP):
            return None
        now = time.perf_counter()
        if playing and now - self._last_network_time < 1.0 / NETWORK_PER_SECOND:
            return None
        self._last_network_time = now
        return snapshot_network(model, extent, NETWORK_RESOLUTION)

    def _new_points(self, history: list) -> list:
        """The history points the window has not been sent yet (scanned from the end)."""
        i = len(history)
        while i > 0 and history[i - 1].update > self._sent_update:
            i -= 1
        # The last point sent, evaluated again (a weight edit, new data): sent again.
        before = history[i - 1] if i > 0 else None
        if (
            before is not None
            and before.update == self._sent_update
            and before is not self._sent_last
        ):
            i -= 1
        points = history[i:]
        if points:
            self._sent_update, self._sent_last = points[-1].update, points[-1]
        return points
