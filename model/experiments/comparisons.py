"""Sweeps and comparisons built from Trainers: pure functions that report and can stop.

Each takes ``progress(done, total)`` and ``should_cancel()`` callables. Cancelling returns
the result so far, marked ``cancelled``, with unfinished entries left as NaN or absent.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from model.config import ExperimentConfig
from model.data.datasets import bayes_accuracy, make_dataset
from model.nn.perceptron import Perceptron
from model.training.evaluation import TrainingInterrupted
from model.training.history import HistoryPoint
from model.training.trainer import Trainer, TrainingDiverged, build_dataset, build_trainer

Progress = Callable[[int, int], None] | None
Cancel = Callable[[], bool] | None

COMPARABLE = ("batch_size", "learning_rate", "hidden", "activation", "optimizer", "init")
_SECTION = {
    "batch_size": "train",
    "learning_rate": "train",
    "optimizer": "train",
    "hidden": "model",
    "activation": "model",
    "init": "model",
}


def _report(progress: Progress, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)


def _cancelled(should_cancel: Cancel) -> bool:
    return should_cancel is not None and should_cancel()


@dataclass
class PerceptronSweep:
    """Test accuracies over means x covariances x seeds (NaN where not run)."""

    means: list[float]
    covs: list[float]
    accuracies: np.ndarray  # (len(means), len(covs), n_seeds)
    cancelled: bool = False

    @property
    def mean_accuracy(self) -> np.ndarray:
        """Mean over the finished seeds of each cell (NaN where none has finished)."""
        done = ~np.isnan(self.accuracies)
        with np.errstate(all="ignore"):  # thread-safe, unlike warnings filters
            return np.nansum(self.accuracies, axis=2) / done.sum(axis=2)

    @property
    def std_accuracy(self) -> np.ndarray:
        done = ~np.isnan(self.accuracies)
        deviations = np.where(done, self.accuracies - self.mean_accuracy[..., None], 0.0)
        with np.errstate(all="ignore"):
            return np.sqrt(np.sum(deviations**2, axis=2) / done.sum(axis=2))

    @property
    def bayes(self) -> np.ndarray:
        return np.array([[bayes_accuracy(m, c) for c in self.covs] for m in self.means])

    @staticmethod
    def header() -> list[str]:
        return ["mean", "cov", "seed", "test_accuracy", "bayes_accuracy"]

    def rows(self) -> list[list]:
        """Long format: one row per finished (mean, covariance, seed)."""
        bayes = self.bayes
        return [
            [m, c, seed, float(self.accuracies[i, j, seed]), float(bayes[i, j])]
            for i, m in enumerate(self.means)
            for j, c in enumerate(self.covs)
            for seed in range(self.accuracies.shape[2])
            if not np.isnan(self.accuracies[i, j, seed])
        ]

    @property
    def complete(self) -> np.ndarray:
        """Cells with every seed finished."""
        return ~np.isnan(self.accuracies).any(axis=2)


def perceptron_test_accuracy(
    mean: float, cov: float, seed: int, max_epochs: int = 20, learning_rate: float = 0.01
) -> float:
    """Train the tutorial's perceptron on one draw of the two Gaussians; its test accuracy."""
    data = make_dataset("gaussians", seed=seed, mean=mean, cov=cov)
    perceptron = Perceptron(2, max_epochs=max_epochs, learning_rate=learning_rate)
    perceptron.train(data.X_train, data.y_train)
    predictions = (perceptron.forward(data.X_test) > 0).astype(np.int64)
    return float(np.mean(predictions == data.y_test))


def perceptron_sweep(
    means: Sequence[float],
    covs: Sequence[float],
    n_seeds: int = 5,
    max_epochs: int = 20,
    learning_rate: float = 0.01,
    progress: Progress = None,
    should_cancel: Cancel = None,
    result_holder: dict | None = None,
) -> PerceptronSweep:
    """The course's table: seeds 0 .. n_seeds-1 for every (mean, covariance) cell.

    ``result_holder["grid"]`` receives the result as soon as it exists, so ``progress`` can
    show the finished cells while the rest runs.
    """
    result = PerceptronSweep(
        list(means), list(covs), np.full((len(means), len(covs), n_seeds), np.nan)
    )
    if result_holder is not None:
        result_holder["grid"] = result
    total = result.accuracies.size
    done = 0
    for i, mean in enumerate(means):
        for j, cov in enumerate(covs):
            for seed in range(n_seeds):
                if _cancelled(should_cancel):
                    result.cancelled = True
                    return result
                result.accuracies[i, j, seed] = perceptron_test_accuracy(
                    mean, cov, seed, max_epochs, learning_rate
                )
                done += 1
                _report(progress, done, total)
    return result


@dataclass
class RunResult:
    """One run of a comparison: the value that differs, and its history."""

    parameter: str
    value: Any
    history: list[HistoryPoint] = field(default_factory=list)
    stopped_reason: str | None = None

    @property
    def label(self) -> str:
        if isinstance(self.value, (tuple, list)):
            return f"{self.parameter}={'-'.join(map(str, self.value)) or 'none'}"
        return f"{self.parameter}={self.value}"

    @property
    def final(self) -> HistoryPoint | None:
        return self.history[-1] if self.history else None


@dataclass
class Comparison:
    parameter: str
    runs: list[RunResult]
    cancelled: bool = False

    @property
    def epochs_done(self) -> int:
        """Epochs trained so far, over all runs (a history starts with the untrained point)."""
        return sum(max(0, len(run.history) - 1) for run in self.runs)

    def rows(self) -> list[list]:
        """Long format: one row per run and evaluation point."""
        return [
            [run.parameter, _csv_value(run.value), *point.row()]
            for run in self.runs
            for point in run.history
        ]

    @staticmethod
    def header() -> list[str]:
        return ["parameter", "value", *HistoryPoint.header()]


def _csv_value(value: Any) -> Any:
    if isinstance(value, (tuple, list)):
        return "-".join(map(str, value))
    return "full" if value is None else value


def config_with(config: ExperimentConfig, parameter: str, value: Any) -> ExperimentConfig:
    """``config`` with one comparable parameter set to ``value`` (validated)."""
    if parameter not in COMPARABLE:
        raise ValueError(f"parameter must be one of {', '.join(COMPARABLE)}, got {parameter!r}")
    return config.with_changes(**{_SECTION[parameter]: {parameter: value}})


def compare_runs(
    config: ExperimentConfig,
    parameter: str = "batch_size",
    values: Sequence[Any] = (1, 10, 50, 200, 500),
    max_epochs: int = 100,
    progress: Progress = None,
    should_cancel: Cancel = None,
    observe: Callable[[int, Trainer], None] | None = None,
    result_holder: dict | None = None,
) -> Comparison:
    """Runs that differ only in ``parameter``: same data, same seed (so the same initial weights
    wherever the architecture is the same), evaluated after every epoch.

    ``observe(run_index, trainer)`` is called after every epoch, for live views, and
    ``result_holder["comparison"]`` receives the result as soon as it exists.
    """
    configs = [config_with(config, parameter, value) for value in values]
    dataset = build_dataset(config)
    comparison = Comparison(parameter, [])
    if result_holder is not None:
        result_holder["comparison"] = comparison
    total = max_epochs * len(configs)
    done = 0
    for value, run_config in zip(values, configs, strict=True):
        trainer = build_trainer(run_config, dataset, eval_every=None)
        trainer.should_stop = should_cancel  # asked between updates too: a long epoch stops
        run = RunResult(parameter, value, trainer.history)
        comparison.runs.append(run)
        for _ in range(max_epochs):
            if _cancelled(should_cancel):
                comparison.cancelled = True
                return comparison
            try:
                trainer.run_epoch()
                trainer.evaluate()
            except TrainingInterrupted:  # cancelled within an epoch: the curve so far
                comparison.cancelled = True
                return comparison
            except TrainingDiverged as error:  # keep the curve so far
                run.stopped_reason = str(error)
                done += max_epochs - trainer.epochs_completed
                break
            done += 1
            if trainer.stopped_reason is not None:  # the evaluation found the loss exploding
                run.stopped_reason = trainer.stopped_reason
                done += max_epochs - trainer.epochs_completed
                break
            if observe is not None:
                observe(len(comparison.runs) - 1, trainer)
            _report(progress, done, total)
        _report(progress, done, total)
    return comparison
