"""A session file written while training goes on.

The worker takes the run between two slices (``TakenRun``: a copy of the trainer's state and
its read-only data set, a few milliseconds); a pool thread then turns it into the file. With
100,000 points and a 256-256 network that took 8 to 10 s (most of it compressing the weight
snapshots, which releases the GIL), time in which training and any new configuration would
have waited.
"""

from __future__ import annotations

from model.config import ExperimentConfig
from model.training.trainer import Trainer, TrainerState


class TakenRun:
    """What a session file needs of a trainer: its data set and a copy of its state."""

    def __init__(self, trainer: Trainer) -> None:
        self.dataset = trainer.dataset  # read-only arrays, never edited
        self._state = trainer.state()  # a copy: training goes on

    def state(self) -> TrainerState:
        return self._state


def write_session(path: str, config: ExperimentConfig, run: TakenRun) -> str:
    """Write the session atomically (a failure keeps the old file); "" or why it failed."""
    from model.io.session import save_session

    try:
        save_session(path, config, run)
    except (OSError, ValueError, MemoryError) as error:
        reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
        return f"Could not save {path}: {reason}"
    return ""
