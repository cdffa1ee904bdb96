"""``main.py compare``: runs that differ only in batch size, one line of final figures each,
every curve as CSV."""

from __future__ import annotations

import argparse

from cli.experiment_config import check_batch_sizes, experiment_config
from cli.flags import number_list
from cli.output_files import check_output_path, write_csv
from cli.run_flags import EPOCHS, add_experiment_flags
from cli.training_run import figures
from model.limits import BATCH_RANGE


def add_parser(subcommands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """The ``compare`` subcommand: train's experiment flags and the batch sizes."""
    compare = subcommands.add_parser("compare", help="runs that differ in one parameter")
    add_experiment_flags(compare)
    compare.add_argument(
        "--batch_sizes",
        type=number_list(int, *BATCH_RANGE),
        default=[1, 10, 50, 200, 500],
        help="each at most the number of training points",
    )
    compare.add_argument(
        "--max_steps",
        type=EPOCHS,
        default=100,
        help="epochs per run (a step is one pass, as in train)",
    )
    compare.add_argument("--csv", default=None, help="every curve, one row per run and point")
    return compare


def run(args: argparse.Namespace) -> int:
    """Every batch size checked against the training set first; then the runs."""
    from model.experiments.comparisons import Comparison, compare_runs
    from model.training.trainer import build_dataset

    check_output_path(args.csv)
    config = experiment_config(args, None)
    check_batch_sizes("--batch_sizes", args.batch_sizes, len(build_dataset(config).y_train))
    comparison = compare_runs(config, "batch_size", args.batch_sizes, args.max_steps)
    for one in comparison.runs:
        final = one.final
        line = (
            f"batch_size={one.value}: {figures(final, config.data.is_regression)}, "
            f"{final.update} updates, {final.seconds:.2f} s"
        )
        if one.stopped_reason:
            line += f" (stopped: {one.stopped_reason})"
        print(line)
    if args.csv:
        return write_csv(args.csv, Comparison.header(), comparison.rows())
    return 0
