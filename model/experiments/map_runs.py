"""One run of a hyperparameter map as a pure function, and the map's results: each run's
final figures, their mean and spread over seeds, and the CSV rows.

``run_task`` depends on nothing but its task, so a run gives the same numbers in this
process, in a worker process or on a Dask worker. A task with a ``link`` is a cell under
Playground rules: that link's run by Playground's rules (model/playground/map_cells.py).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from model.config import ExperimentConfig
from model.data.datasets import Dataset
from model.experiments.hyperparameter_map import MapSpec
from model.experiments.worker_cancel import PolledEvent
from model.playground.map_cells import run_playground_cell
from model.training.trainer import TrainingDiverged, build_dataset, build_trainer


@dataclass(frozen=True)
class Measure:
    """What a heatmap can show: its label, and which way is better."""

    name: str
    label: str
    higher_is_better: bool
    log_scale: bool


MEASURES = {
    m.name: m
    for m in (
        Measure("test_accuracy", "final test accuracy", True, False),
        Measure("test_loss", "final test loss", False, True),
        Measure("updates_to_target", "updates to reach the target accuracy", False, True),
        Measure("seconds", "training seconds", False, False),
    )
}


@dataclass(frozen=True)
class RunTask:
    """Everything one run needs: its place in the grid, its configuration and data (under
    Playground rules: its ``link``; ``config`` and ``dataset`` then only estimate its cost)."""

    row: int
    column: int
    seed_index: int
    config: ExperimentConfig
    dataset: Dataset
    epochs: int
    target_accuracy: float
    link: str | None = None


@dataclass(frozen=True)
class RunRecord:
    """A run's final figures (the last finite ones if it diverged, at ``diverged_at``)."""

    row: int
    column: int
    seed_index: int
    seed: int | str  # a Playground link's seed is text
    train_loss: float
    train_accuracy: float
    test_loss: float
    test_accuracy: float
    updates: int
    epochs: int
    updates_to_target: int | None  # None: never reached
    seconds: float
    diverged_at: int | None = None  # the update at which the loss stopped being finite

    @property
    def key(self) -> tuple[int, int, int]:
        return self.row, self.column, self.seed_index

    def value(self, measure: str) -> float:
        """The figure a heatmap shows (NaN: none, e.g. a diverged run's accuracy)."""
        if measure == "updates_to_target":
            return math.nan if self.updates_to_target is None else float(self.updates_to_target)
        if measure != "seconds" and self.diverged_at is not None:
            return math.nan
        return float(getattr(self, measure))


def run_task(task: RunTask, should_stop: Callable[[], bool] | None = None) -> RunRecord:
    """Train one cell and seed for ``task.epochs`` epochs, evaluating after every epoch.

    Stops early (TrainingInterrupted) when ``should_stop()`` says so; a diverged run keeps its
    last finite figures and says when it diverged.
    """
    if task.link is not None:
        cell = run_playground_cell(task.link, task.epochs, task.target_accuracy, should_stop)
        return RunRecord(
            task.row,
            task.column,
            task.seed_index,
            cell.seed,
            cell.train_loss,
            cell.train_accuracy,
            cell.test_loss,
            cell.test_accuracy,
            cell.updates,
            cell.epochs,
            cell.updates_to_target,
            cell.seconds,
            cell.diverged_at,
        )
    trainer = build_trainer(task.config, task.dataset, eval_every=None, should_stop=should_stop)
    point = trainer.history[-1]
    reached = 0 if point.test_accuracy >= task.target_accuracy else None
    diverged = None
    for _ in range(task.epochs):
        try:
            trainer.run_epoch()
        except TrainingDiverged:
            diverged = trainer.updates + 1
            break
        point = trainer.evaluate()
        if trainer.stopped_reason is not None:  # the evaluation found the loss exploding
            diverged = trainer.updates
            break
        if reached is None and point.test_accuracy >= task.target_accuracy:
            reached = trainer.updates
    final = trainer.history[-1]
    return RunRecord(
        task.row,
        task.column,
        task.seed_index,
        task.config.train.seed,
        final.train_loss,
        final.train_accuracy,
        final.test_loss,
        final.test_accuracy,
        trainer.updates,
        trainer.epochs_completed,
        reached,
        trainer.seconds,
        diverged,
    )


def run_tasks(tasks: list[RunTask], cancel=None) -> list[RunRecord]:
    """Several runs in a row, one unit of work for a worker process; each stops when ``cancel``
    (a Manager's Event, model/experiments/worker_cancel.py) is set. One BLAS thread: the worker
    processes share the cores already."""
    from threadpoolctl import threadpool_limits

    should_stop = PolledEvent(cancel) if cancel is not None else None
    with threadpool_limits(1):
        return [run_task(task, should_stop) for task in tasks]


def map_tasks(spec: MapSpec) -> list[RunTask]:
    """Every run of ``spec``, x-major (as the CSV lists them); checks ``spec`` first."""
    spec.check()
    if spec.rules is not None:
        data = build_dataset(spec.base)  # for the cost estimate only
        return [
            RunTask(
                row,
                column,
                k,
                spec.base,
                data,
                spec.epochs,
                spec.target_accuracy,
                spec.cell_link(row, column, k),
            )
            for column in range(spec.shape[1])
            for row in range(spec.shape[0])
            for k in range(spec.seeds)
        ]
    return [
        RunTask(
            row,
            column,
            k,
            spec.cell_config(row, column, k),
            spec.dataset(row, column),
            spec.epochs,
            spec.target_accuracy,
        )
        for column in range(spec.shape[1])
        for row in range(spec.shape[0])
        for k in range(spec.seeds)
    ]


@dataclass
class MapResult:
    """The runs finished so far; ``error`` says why the rest did not run (a lost cluster)."""

    spec: MapSpec
    records: dict[tuple[int, int, int], RunRecord] = field(default_factory=dict)
    cancelled: bool = False
    interrupted: bool = False  # Ctrl+C on the command line
    error: str | None = None
    where: str = ""  # how the runs ran: "in 2 local processes", ...
    seconds: float = 0.0  # wall-clock time of the whole grid

    def snapshot(self) -> MapResult:
        """A copy to hand to another thread (the records themselves are immutable)."""
        return replace(self, records=dict(self.records))

    @property
    def done(self) -> int:
        return len(self.records)

    def values(self, measure: str) -> np.ndarray:
        """(rows, columns, seeds) of ``measure``; NaN where not run or without a value."""
        out = np.full((*self.spec.shape, self.spec.seeds), np.nan)
        for (row, column, k), record in self.records.items():
            out[row, column, k] = record.value(measure)
        return out

    def counts(self) -> np.ndarray:
        """Runs finished per cell."""
        out = np.zeros(self.spec.shape, dtype=int)
        for row, column, _ in self.records:
            out[row, column] += 1
        return out

    def diverged(self) -> np.ndarray:
        """Runs per cell that diverged."""
        out = np.zeros(self.spec.shape, dtype=int)
        for record in self.records.values():
            out[record.row, record.column] += record.diverged_at is not None
        return out

    def mean(self, measure: str) -> np.ndarray:
        """Mean over the seeds with a value (NaN where none has one)."""
        values = self.values(measure)
        have = ~np.isnan(values)
        with np.errstate(all="ignore"):
            return np.nansum(values, axis=2) / have.sum(axis=2)

    def spread(self, measure: str) -> np.ndarray:
        """Standard deviation over the seeds with a value (0 for one seed)."""
        values = self.values(measure)
        have = ~np.isnan(values)
        deviations = np.where(have, values - self.mean(measure)[..., None], 0.0)
        with np.errstate(all="ignore"):
            return np.sqrt(np.sum(deviations**2, axis=2) / have.sum(axis=2))

    @property
    def complete(self) -> np.ndarray:
        """Cells with every seed finished."""
        return self.counts() == self.spec.seeds

    def header(self) -> list[str]:
        return [
            self.spec.x.parameter,
            self.spec.y.parameter,
            "seed",
            "test_accuracy",
            "test_loss",
            "train_accuracy",
            "train_loss",
            "updates",
            "epochs",
            "updates_to_target",
            "seconds",
            "diverged_at",
        ]

    def rows(self) -> list[list]:
        """One row per finished run: x value, y value, seed, final figures (x-major)."""
        x, y = self.spec.x.texts, self.spec.y.texts
        return [
            [
                x[r.column],
                y[r.row],
                r.seed,
                r.test_accuracy,
                r.test_loss,
                r.train_accuracy,
                r.train_loss,
                r.updates,
                r.epochs,
                "" if r.updates_to_target is None else r.updates_to_target,
                r.seconds,
                "" if r.diverged_at is None else r.diverged_at,
            ]
            for _, r in sorted(self.records.items(), key=lambda kv: (kv[0][1], kv[0][0], kv[0][2]))
        ]
