"""``main.py train``: the course's MLP run, a line per evaluation and a final summary; the
history as CSV, the run as a session, the network as code, when asked."""

from __future__ import annotations

import argparse

from cli.code_export import check_export_paths, write_exports
from cli.experiment_config import run_config
from cli.output_files import check_output_path, write_csv
from cli.run_flags import add_run_flags
from cli.session_output import check_session_path, write_session
from cli.training_run import build_run, figures, train_epochs


def add_parser(subcommands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """The ``train`` subcommand and its flags."""
    train = subcommands.add_parser(
        "train",
        help="train the MLP and print the course's lines",
        description="A step is one pass over the training set; "
        "Loss and Accuracy are on the test set.",
    )
    add_run_flags(train)
    train.add_argument("--csv", default=None, help="write the whole history to this CSV file")
    train.add_argument(
        "--save_session",
        default=None,
        metavar="PATH",
        help="write the trained run as a session (.npz) the window opens and continues",
    )
    for flag, what in (
        ("--export_script", "a standalone Python script (NumPy only)"),
        ("--export_torch", "a PyTorch script (torch is needed only to run it)"),
    ):
        train.add_argument(
            flag,
            default=None,
            metavar="PATH",
            help=f"after training, write the network with its test points as {what}",
        )
    return train


def run(args: argparse.Namespace) -> int:
    """Every output path checked first; then train, print, and write what was asked for
    (even after Ctrl+C: the history so far)."""
    check_output_path(args.csv)
    check_session_path(args.save_session)
    check_export_paths(args)  # --export_script, --export_torch
    config = run_config(args)
    trainer = build_run(args, config)
    status = train_epochs(args, trainer)
    final = trainer.evaluate()
    print(
        f"Final: {trainer.epochs_completed} steps ({trainer.updates} updates, batch size "
        f"{trainer.batch_size}), {figures(final, trainer.dataset.is_regression)}"
    )
    if args.csv:
        status = write_csv(args.csv, *trainer.history_table()) or status  # says where thinned
    if args.save_session:
        status = write_session(args.save_session, config, trainer) or status
    return write_exports(args, trainer) or status
