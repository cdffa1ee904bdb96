"""Making one Frame from the trainer: the boundary image over the view's extent (class
probabilities, or a regression's predicted value on a diverging scale), the predictions,
the history points not yet sent and, while the network view is shown, the network's
snapshot. Every array is made afresh for the frame (see ``gui.workers.frames``).

A frame predicts at most FRAME_POINTS of the data's points: all of a small data set, a fixed
sample of a large one (the same for each of its frames, so the crosses on misclassified
points do not jump around). With 100,000 points and a 256-256 network every frame predicting
every point took a second of the training thread; the history's evaluations still cover
every point."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from gui.appearance.palette import boundary_image
from gui.appearance.value_colours import value_image
from gui.workers.frames import Frame, LandscapeFrame
from model.data.datasets import Dataset
from model.limits import FRAME_POINTS
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


def point_sample(
    n_train: int, n_test: int, limit: int = FRAME_POINTS
) -> tuple[np.ndarray, np.ndarray] | None:
    """The rows of the training and the test points a frame predicts, at most ``limit`` in
    all, shared between the two in proportion, in order; None when every point fits."""
    total = n_train + n_test
    if total <= limit:
        return None
    rng = np.random.default_rng(0)  # the same sample every time for the same sizes
    k_train = min(n_train, round(limit * n_train / total))
    k_test = min(n_test, limit - k_train)
    rows = []
    for n, k in ((n_train, k_train), (n_test, k_test)):
        chosen = np.sort(rng.choice(n, size=k, replace=False))
        chosen.setflags(write=False)  # shared by every frame of the data set: never edited
        rows.append(chosen)
    return rows[0], rows[1]


class FrameMaker:
    """Remembers what the window was sent: the last history point, the last snapshot time."""

    def __init__(self) -> None:
        # The last history point sent to the window, and its update: frames carry the
        # points after it (the history is thinned at its old end, so indices would shift).
        self._sent_update = -1
        self._sent_last = None
        self._last_network_time = 0.0
        self._sample: tuple[Dataset, tuple[np.ndarray, np.ndarray] | None] | None = None

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
        request: int = 0,
    ) -> Frame:
        points = self._new_points(trainer.history)
        extent = trainer.dataset.extent(aspect=view_aspect)
        model = trainer.model
        d = trainer.dataset
        rows, columns = grid_shape(extent, grid_resolution(model))
        shown = self._shown(d)
        X_train, X_test = d.X_train, d.X_test
        if shown is not None:
            X_train, X_test = X_train[shown[0]], X_test[shown[1]]
        # One pass over the grid and the points shown: fewer, larger NumPy calls.
        inputs = np.concatenate([cell_centres(extent, rows, columns), X_train, X_test])
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
            predictions_train=predicted[: len(X_train)],
            predictions_test=predicted[len(X_train) :],
            dataset=d,
            stopped=trainer.stopped_reason is not None,
            network=self._network_snapshot(model, d.extent(), network_view, playing),
            perceptron_update=model.last_update if perceptron and not playing else None,
            landscape=landscape,
            shown_train=None if shown is None else shown[0],
            shown_test=None if shown is None else shown[1],
            request=request,
        )

    def _shown(self, dataset: Dataset) -> tuple[np.ndarray, np.ndarray] | None:
        """The sample of ``dataset``'s points its frames predict (None: all), made once."""
        if self._sample is None or self._sample[0] is not dataset:
            self._sample = (dataset, point_sample(len(dataset.X_train), len(dataset.X_test)))
        return self._sample[1]

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
