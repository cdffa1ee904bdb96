"""A hyperparameter map's cells while the shown run follows Playground's rules: each cell and
seed is the link with the two axes' keys changed, trained by Playground's rules.

The axes are learningRate, batchSize and regularizationRate (the map's ``l2`` axis: an L2
penalty of that rate). Seed 0 of a cell is the link's seed string; seed k > 0 is that string
with ``-k`` appended (``0.80664-1``), so it draws other points and other initial weights.
A run is given its link as text, so it runs the same in this process, in a worker process
or on a Dask worker. Its figures are those a map shows of this app's runs: Playground's loss
(the mean of half the squared error) and an accuracy counting the output's sign.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from model.playground.config import PlaygroundConfig
from model.playground.link import link_from_config, parse_link
from model.playground.network import input_features
from model.playground.run import PlaygroundRun
from model.training.evaluation import TrainingInterrupted

# The map's axes a Playground link has, and the keys they change.
PLAYGROUND_MAP_KEYS = {
    "learning_rate": "learningRate",
    "batch_size": "batchSize",
    "l2": "regularizationRate (L2)",
}


def seed_text(seed: str, seed_index: int) -> str:
    """Seed k of a cell: the link's seed, then ``seed-k``."""
    return seed if seed_index == 0 else f"{seed}-{seed_index}"


def cell_rules(
    rules: PlaygroundConfig, values: dict[str, object], seed_index: int = 0
) -> PlaygroundConfig:
    """The link of ``rules`` with the axes' values and seed k, read back as a pasted link is
    (PlaygroundLinkError naming the key for a value Playground would refuse; ValueError for
    an axis a link has no key for)."""
    changes: dict[str, object] = {"seed": seed_text(rules.seed, seed_index)}
    for name, value in values.items():
        if name not in PLAYGROUND_MAP_KEYS:
            raise ValueError(
                f"under Playground rules a map's axes are "
                f"{', '.join(n.replace('_', ' ') for n in PLAYGROUND_MAP_KEYS)}, not "
                f"{name.replace('_', ' ')}"
            )
        if name == "batch_size" and value is None:
            raise ValueError("under Playground rules a batch size is a number of points, not full")
        if name == "l2":
            changes.update(regularization="L2", regularization_rate=value)
        else:
            changes[name] = value
    return parse_link(link_from_config(replace(rules, **changes)))


@dataclass(frozen=True)
class CellFigures:
    """One run's final figures (the last finite ones if it diverged, at ``diverged_at``)."""

    seed: str
    train_loss: float
    train_accuracy: float
    test_loss: float
    test_accuracy: float
    updates: int
    epochs: int
    updates_to_target: int | None
    seconds: float
    diverged_at: int | None


def _accuracy(run: PlaygroundRun, inputs: np.ndarray, labels: np.ndarray) -> float:
    with np.errstate(all="ignore"):
        output = run.network.output(inputs)
    return float(np.mean((output > 0) == (labels > 0)))


def run_playground_cell(
    link: str,
    epochs: int,
    target_accuracy: float,
    should_stop: Callable[[], bool] | None = None,
) -> CellFigures:
    """Train the link's run for ``epochs`` epochs (Playground's step button), evaluating after
    each; TrainingInterrupted when ``should_stop()`` says so between epochs."""
    started = time.perf_counter()
    run = PlaygroundRun(parse_link(link))
    data = run.data
    train = input_features(run.config.inputs, data.train_points), data.train_labels
    test = input_features(run.config.inputs, data.test_points), data.test_labels

    def figures() -> tuple[float, float, float, float]:
        train_loss, test_loss = run.losses()
        return train_loss, _accuracy(run, *train), test_loss, _accuracy(run, *test)

    last = figures()
    reached = 0 if last[3] >= target_accuracy else None
    diverged = None
    for _ in range(epochs):
        if should_stop is not None and should_stop():
            raise TrainingInterrupted("cancelled")
        run.run_epoch()
        now = figures()
        if not (math.isfinite(now[0]) and math.isfinite(now[2])):
            diverged = run.updates
            break
        last = now
        if reached is None and now[3] >= target_accuracy:
            reached = run.updates
    return CellFigures(
        run.config.seed,
        *last,
        run.updates,
        run.epoch,
        reached,
        time.perf_counter() - started,
        diverged,
    )
