"""What a Trainer must remember to continue a run exactly: the contents of a saved session."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.training.history import HistoryPoint


@dataclass
class TrainerState:
    """Everything needed to continue a run exactly (``Trainer.state``, ``Trainer.restore``).

    ``X_epoch``/``y_epoch`` are the current pass's order of the training set; ``rng_state``
    is the shuffling generator's; ``start_loss`` is the first evaluation's loss (with
    penalties), the yardstick of an exploding loss.
    """

    parameters: np.ndarray
    optimizer: dict[str, np.ndarray]
    updates: int
    epochs_completed: int
    batch_in_epoch: int
    seconds: float
    stopped_reason: str | None
    rng_state: dict
    X_epoch: np.ndarray
    y_epoch: np.ndarray
    history: list[HistoryPoint]
    history_thinned_before: int = 0
    start_loss: float | None = None
    perceptron_epochs: int | None = None  # the perceptron's own epoch count
    # The weights at evaluation points (updates, (k, n) array) and at the start of the run:
    # the loss landscape's path. None (older sessions): only the current weights are known.
    snapshots: tuple[list[int], np.ndarray] | None = None
    initial_parameters: np.ndarray | None = None
