"""Run comparisons in parallel processes (loky's reusable executor), with live progress and
Cancel.

Each run trains in a worker process of its own and sends its history so far (and a small
grid of class probabilities, for a thumbnail) through a queue after its epochs; the caller
drains the queue. Cancel sets the shared Event of model/experiments/worker_cancel.py, which every
run asks between updates. Processes start by spawning, never forking, so this is safe beside
Qt's threads. Worth it only when no single run dominates the work: see ``worth_parallel``.
"""

from __future__ import annotations

import math
import os
import queue as queue_module
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from model.config import ExperimentConfig
from model.data.datasets import CUSTOM, DEFAULT_SAMPLES, Dataset
from model.experiments.comparisons import Comparison, RunResult, config_with
from model.experiments.worker_cancel import PolledEvent, spawned_manager
from model.nn.input_plane import evaluate_plane
from model.training.evaluation import TrainingInterrupted
from model.training.trainer import TrainingDiverged, build_dataset, build_trainer

REPORT_SECONDS = 0.1
THUMBNAIL = 48


def estimated_seconds(config: ExperimentConfig, n_train: int, max_epochs: int) -> float:
    """A rough cost model of one run: per update, a fixed cost plus one per sample."""
    batch = min(config.train.batch_size or n_train, n_train)
    updates = math.ceil(n_train / batch) * max_epochs
    width = sum(config.model.hidden) or 1
    return updates * (45e-6 + batch * width * 8e-9) + max_epochs * n_train * width * 1e-8


def train_size(config: ExperimentConfig) -> int:
    """How many training points the configured data set has, without generating it (the
    user's own points are counted: they have no default size)."""
    data = config.data
    n = len(data.points) if data.name == CUSTOM else data.n_samples or DEFAULT_SAMPLES[data.name]
    return int(n * config.data.train_fraction)


def worth_parallel(
    configs: Sequence[ExperimentConfig], n_train: int, max_epochs: int, cores: int | None = None
) -> bool:
    """Parallel pays when the work is long and no single run is most of it."""
    cores = cores or os.cpu_count() or 1
    costs = [estimated_seconds(c, n_train, max_epochs) for c in configs]
    total = sum(costs)
    return cores > 1 and len(costs) > 1 and total > 3.0 and max(costs) < 0.6 * total


def _train_one(
    index: int, config: ExperimentConfig, dataset: Dataset, max_epochs: int, messages, cancel
) -> None:
    """In a worker process: one run, reporting through ``messages`` until done or ``cancel``
    (the Manager's Event) is set."""
    trainer = build_trainer(config, dataset, eval_every=None)  # its first point, whatever comes
    trainer.should_stop = PolledEvent(cancel)
    last = 0.0
    stopped = None
    for _ in range(max_epochs):
        try:
            trainer.run_epoch()
            trainer.evaluate()
        except TrainingInterrupted:  # cancelled: the history keeps the epochs done
            break
        except TrainingDiverged as error:
            stopped = str(error)
            break
        if trainer.stopped_reason is not None:  # the evaluation found the loss exploding
            stopped = trainer.stopped_reason
            break
        if time.perf_counter() - last >= REPORT_SECONDS:
            last = time.perf_counter()
            messages.put((index, list(trainer.history), _thumbnail(trainer), None, False))
    messages.put((index, list(trainer.history), _thumbnail(trainer), stopped, True))


def _thumbnail(trainer) -> np.ndarray:
    return evaluate_plane(
        trainer.model, trainer.dataset.extent(), THUMBNAIL, hidden=False
    ).probabilities


def compare_runs_parallel(
    config: ExperimentConfig,
    parameter: str,
    values: Sequence[Any],
    max_epochs: int,
    n_jobs: int = 2,
    should_cancel: Callable[[], bool] | None = None,
    on_update: Callable[[Comparison, dict[int, np.ndarray]], None] | None = None,
) -> Comparison:
    """The same runs as ``compare_runs`` (same data, same seeds), ``n_jobs`` at a time.

    ``on_update(comparison, thumbnails)`` is called from this thread as reports arrive;
    thumbnails map a run's index to its class probabilities on a small grid.
    """
    from loky import get_reusable_executor  # here: a tenth of a second to import

    configs = [config_with(config, parameter, value) for value in values]
    dataset = build_dataset(config)
    comparison = Comparison(parameter, [RunResult(parameter, v) for v in values])
    thumbnails: dict[int, np.ndarray] = {}
    with spawned_manager() as manager:
        messages, cancel = manager.Queue(), manager.Event()
        executor = get_reusable_executor(max_workers=n_jobs)
        futures = [
            executor.submit(_train_one, i, c, dataset, max_epochs, messages, cancel)
            for i, c in enumerate(configs)
        ]
        finished = 0
        while finished < len(configs):
            if should_cancel is not None and should_cancel() and not cancel.is_set():
                cancel.set()
                comparison.cancelled = True
            for future in futures:  # a worker that died must not leave us waiting
                if future.done() and future.exception() is not None:
                    raise RuntimeError(f"a run failed: {future.exception()}")
            try:
                index, history, thumbnail, stopped, done = messages.get(timeout=0.05)
            except queue_module.Empty:
                continue
            run = comparison.runs[index]
            run.history, run.stopped_reason = history, stopped
            thumbnails[index] = thumbnail
            finished += done
            if on_update is not None:
                on_update(comparison, dict(thumbnails))
        for future in futures:
            future.result()
    return comparison
