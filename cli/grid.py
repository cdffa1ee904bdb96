"""``main.py grid``: a hyperparameter map on the command line, run in local worker processes
or on a Dask cluster (``--scheduler``), printed as a table and written as CSV."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from cli.experiment_config import run_config
from cli.flags import UsageError, within
from cli.output_files import check_output_path, write_csv
from cli.run_flags import EPOCHS, add_batch_flags, add_experiment_flags
from model.limits import JOBS_RANGE, MAX_RUNS, MAX_VALUES, SEED_COUNT_RANGE, TARGET_ACCURACY_RANGE

if TYPE_CHECKING:  # imported by the command itself, when it runs
    from model.experiments.hyperparameter_map import MapAxis
    from model.experiments.map_runs import MapResult


def _axis(text: str) -> MapAxis:
    from model.experiments.hyperparameter_map import parse_axis

    try:
        return parse_axis(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_parser(subcommands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """The ``grid`` subcommand: train's flags set everything but the two axes."""
    from model.experiments.hyperparameter_map import PARAMETERS

    names = ", ".join(PARAMETERS)
    grid = subcommands.add_parser(
        "grid",
        help="a two-parameter grid of runs (a hyperparameter map), locally or on a Dask cluster",
        description=f"Every pair of an --x and a --y value, trained --seeds times for "
        f"--max_steps epochs on the same data (per seed, the same initial weights where the "
        f"shapes allow). Parameters: {names}. At most {MAX_VALUES} values an axis and "
        f"{MAX_RUNS:,} runs. The other flags are train's.",
    )
    grid.add_argument(
        "--x",
        type=_axis,
        required=True,
        metavar="NAME=VALUES",
        help="the columns, e.g. learning_rate=0.001,0.01,0.1 (hidden widths: 10-10 or none; "
        "batch_size: full)",
    )
    grid.add_argument(
        "--y", type=_axis, required=True, metavar="NAME=VALUES", help="the rows, as --x"
    )
    grid.add_argument(
        "--seeds",
        type=within(SEED_COUNT_RANGE),
        default=3,
        help="runs per cell, with training seeds --seed, --seed + 1, ... on the data of --seed",
    )
    add_experiment_flags(grid)
    grid.add_argument("--max_steps", type=EPOCHS, default=50, help="epochs per run")
    add_batch_flags(grid)
    grid.add_argument(
        "--target_accuracy",
        type=within(TARGET_ACCURACY_RANGE),
        default=0.9,
        help="updates_to_target counts the updates until the test accuracy first reaches this",
    )
    grid.add_argument(
        "--jobs",
        type=within(JOBS_RANGE),
        default=None,
        help="local worker processes (default: one per core; 1: in this process)",
    )
    grid.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="run on the Dask cluster of this scheduler, e.g. tcp://10.0.0.5:8786 "
        "(needs pip install -e '.[cluster]')",
    )
    grid.add_argument("--csv", default=None, metavar="PATH", help="one row per run and seed")
    return grid


def run(args: argparse.Namespace) -> int:
    """Check everything, run the grid, print mean +- spread, write the CSV (even of a grid
    stopped by Ctrl+C or a lost cluster: the finished runs)."""
    from model.experiments.dask_scheduler import parse_address
    from model.experiments.hyperparameter_map import MapSpec
    from model.experiments.map_placement import ClusterUnavailable, dask_missing, run_map

    config = run_config(args)
    spec = MapSpec(config, args.x, args.y, args.seeds, args.max_steps, args.target_accuracy)
    try:
        spec.check()
    except ValueError as error:
        raise UsageError(f"main.py grid: {error}") from None
    check_output_path(args.csv)
    if args.scheduler is not None:
        if not args.scheduler.strip():
            raise UsageError("main.py grid: --scheduler needs an address, e.g. tcp://host:8786")
        try:
            parse_address(args.scheduler)  # before importing Dask or running anything
        except ClusterUnavailable as error:
            print(f"main.py grid: {error}", file=sys.stderr)
            return 1
        if problem := dask_missing():
            raise UsageError(f"main.py grid: --scheduler: {problem}")
    try:
        result = run_map(spec, args.jobs, args.scheduler, on_record=_progress())
    except ClusterUnavailable as error:
        print(f"main.py grid: {error}", file=sys.stderr)
        return 1
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(format_result(result))
    status = 0
    if result.error:
        print(f"main.py grid: {result.error}", file=sys.stderr)
        status = 1
    elif result.interrupted:
        print(f"interrupted after {result.done} runs", file=sys.stderr)
        status = 130
    if args.csv:
        status = write_csv(args.csv, result.header(), result.rows()) or status
    return status


def _progress():
    """On a terminal, a line counting the runs as they finish."""
    if not sys.stderr.isatty():
        return None

    def show(result, _record) -> None:
        print(f"\r{result.done} of {result.spec.total_runs} runs", end="", file=sys.stderr)

    return show


def format_result(result: MapResult) -> str:
    """Final test accuracy, mean +- spread over seeds, rows y and columns x, and a summary."""
    spec = result.spec
    mean, spread = result.mean("test_accuracy"), result.spread("test_accuracy")
    counts = result.counts()
    width = max(16, *(len(t) + 2 for t in spec.x.texts))
    first = max(len(f"{spec.y.parameter} \\ {spec.x.parameter}"), *map(len, spec.y.texts)) + 2
    lines = [
        f"Final test accuracy, mean +- std over {spec.seeds} seeds, {spec.epochs} epochs each",
        f"{spec.y.parameter} \\ {spec.x.parameter}".ljust(first)
        + "".join(t.ljust(width) for t in spec.x.texts),
    ]
    for row, name in enumerate(spec.y.texts):
        cells = []
        for column in range(spec.shape[1]):
            if counts[row, column] == 0:
                text = "not run"
            elif mean[row, column] != mean[row, column]:  # NaN: every run diverged
                text = "diverged"
            else:
                text = f"{mean[row, column]:.3f} +- {spread[row, column]:.3f}"
            cells.append(text.ljust(width))
        lines.append(name.ljust(first) + "".join(cells))
    diverged = int(result.diverged().sum())
    note = f", {diverged} diverged" if diverged else ""
    lines.append(
        f"{result.done} of {spec.total_runs} runs{note} {result.where}, {result.seconds:.1f} s"
    )
    return "\n".join(line.rstrip() for line in lines)
