"""What travels from the training thread to the screen: one immutable Frame at a time.

Every array in a frame is freshly made for it: a queued signal passes a reference, so a
buffer the worker reused would be drawn while being overwritten.

A frame predicts at most ``FRAME_POINTS`` of the data's points (model/limits.py): of a larger
data set, a fixed sample (``shown_train``, ``shown_test``), which the boundary view draws.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.data.datasets import Dataset
from model.nn.network_snapshot import NetworkSnapshot
from model.nn.perceptron import UpdateRecord
from model.training.history import HistoryPoint


@dataclass(frozen=True)
class LandscapeLine:
    """The loss on the straight line from the initial weights (t = 0) to the current (t = 1)."""

    t: np.ndarray
    train: np.ndarray
    test: np.ndarray


@dataclass(frozen=True)
class LandscapeFrame:
    """A slice of the training loss around the weights of update ``update``, and the path of
    training projected on the same plane. ``loss[i, j]`` is at (a[j], b[i]); NaN: not yet
    computed (a partial slice, ``complete`` False)."""

    update: int
    plane: str  # "pca" or "random"
    a: np.ndarray
    b: np.ndarray
    loss: np.ndarray
    path: np.ndarray  # (k, 2): the recorded weights, projected
    path_updates: np.ndarray  # (k,)
    explained: float | None  # the fraction of the path's variance the PCA plane captures
    complete: bool
    line: LandscapeLine | None = None  # only when paused
    # A partial slice's loss with the cells not yet computed filled from a coarser lattice
    # (model/landscape/order.py): what the map draws; None when complete.
    preview: np.ndarray | None = None
    progress: float = 1.0  # the fraction of the grid computed


@dataclass(frozen=True)
class Frame:
    generation: int  # increases on every reset or rebuild: curves start over
    update: int
    epoch: float
    playing: bool
    new_points: list[HistoryPoint]
    # (rows, columns, n_classes) at the centres of cells tiling ``extent``; None: regression
    probabilities: np.ndarray | None
    image: np.ndarray | None  # the same (or the values) as RGBA uint8, ready to show
    extent: tuple[float, float, float, float]
    perceptron_weights: np.ndarray | None = None  # [bias, w1, w2] in perceptron mode
    updates_per_second: float = 0.0
    message: str | None = None  # a reason the run paused itself, if it did
    notice: str | None = None  # a note to show once (these settings diverged last time)
    # Predicted classes (int) of the data's points, or for regression their values (float)
    predictions_train: np.ndarray | None = None
    predictions_test: np.ndarray | None = None
    dataset: Dataset | None = None  # read-only arrays, never edited: safe to share
    stopped: bool = False  # diverged: only Reset continues
    network: NetworkSnapshot | None = None  # only while the network view is shown
    perceptron_update: UpdateRecord | None = None  # the last update, when paused
    history_thinned_before: int = 0  # the trainer's history is thinned before this update
    values: np.ndarray | None = None  # regression: (rows, columns) predicted values, as above
    landscape: LandscapeFrame | None = None  # a new slice, only while the view is shown
    # The rows of X_train and X_test the predictions are for, when the data has more points
    # than a frame predicts (a fixed sample); None: every point, in order.
    shown_train: np.ndarray | None = None
    shown_test: np.ndarray | None = None
    # The configuration request the worker had taken when it made this frame: a frame made
    # before the window's latest request is superseded and is not drawn.
    request: int = 0

    def shown_points(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(X_train, y_train, X_test, y_test) of the points the predictions are for."""
        d = self.dataset
        if self.shown_train is None:
            return d.X_train, d.y_train, d.X_test, d.y_test
        train, test = self.shown_train, self.shown_test
        return d.X_train[train], d.y_train[train], d.X_test[test], d.y_test[test]
