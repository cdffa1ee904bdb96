"""``main.py sweep``: the perceptron over means x covariances x seeds, printed as the
course's table."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from cli.flags import number_list, within
from cli.run_flags import EPOCHS, LEARNING_RATE
from model.config import TrainConfig
from model.limits import SEED_COUNT_RANGE

if TYPE_CHECKING:  # imported by the command itself, when it runs
    from model.experiments.comparisons import PerceptronSweep


def add_parser(subcommands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """The ``sweep`` subcommand and its flags."""
    sweep = subcommands.add_parser("sweep", help="the perceptron over means x covariances")
    sweep.add_argument("--means", type=number_list(float), default=[20, 2, 0.2, 0.02])
    sweep.add_argument("--covs", type=number_list(float), default=[10, 1, 0.1, 0.01])
    sweep.add_argument("--seeds", type=within(SEED_COUNT_RANGE), default=5)
    sweep.add_argument("--max_epochs", type=EPOCHS, default=20)
    sweep.add_argument("--learning_rate", type=LEARNING_RATE, default=TrainConfig.learning_rate)
    return sweep


def run(args: argparse.Namespace) -> int:
    """Every cell checked before the long work starts; then the table."""
    from model.data.datasets import make_dataset
    from model.experiments.comparisons import perceptron_sweep

    for m in args.means:
        for c in args.covs:
            make_dataset("gaussians", seed=0, mean=m, cov=c)  # ValueError: a bad mean or cov
    grid = perceptron_sweep(args.means, args.covs, args.seeds, args.max_epochs, args.learning_rate)
    print(format_sweep(grid, args.seeds))
    return 0


def format_sweep(grid: PerceptronSweep, n_seeds: int) -> str:
    """Mean test accuracy +- spread over seeds, with the Bayes-optimal accuracy in brackets."""
    width = 26
    lines = [
        f"Test accuracy, mean +- std over {n_seeds} seeds (Bayes-optimal in brackets)",
        "mean \\ cov".ljust(12) + "".join(f"{c:g}".ljust(width) for c in grid.covs),
    ]
    mean, std, bayes = grid.mean_accuracy, grid.std_accuracy, grid.bayes
    for i, m in enumerate(grid.means):
        cells = [
            f"{mean[i, j]:.3f} +- {std[i, j]:.3f} ({bayes[i, j]:.3f})".ljust(width)
            for j in range(len(grid.covs))
        ]
        lines.append(f"{m:g}".ljust(12) + "".join(cells))
    return "\n".join(line.rstrip() for line in lines)
