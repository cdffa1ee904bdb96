"""``main.py playground URL``: a TensorFlow Playground link run by Playground's rules, a line
per epoch with Playground's train and test loss; the losses, the data and the weights as
files, when asked."""

from __future__ import annotations

import argparse
import json
import math
import sys

from cli.flags import UsageError, within
from cli.output_files import check_output_path, write_csv, write_file
from model.limits import PLAYGROUND_EPOCHS_DEFAULT, PLAYGROUND_EPOCHS_RANGE

_FILES = (("--csv", "csv"), ("--data_csv", "data_csv"), ("--weights_json", "weights_json"))


def add_parser(subcommands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """The ``playground`` subcommand and its flags."""
    playground = subcommands.add_parser(
        "playground",
        help="run a TensorFlow Playground link by Playground's rules",
        description="Opens a TensorFlow Playground link (the whole URL or the part after '#'; "
        "quote it, it holds '&') with Playground's data, network and random numbers, and "
        "prints its train and test loss (the mean of half the squared error) after each "
        "epoch, from epoch 0 before training.",
    )
    playground.add_argument("url", metavar="URL", help="the Playground link")
    playground.add_argument(
        "--epochs",
        type=within(PLAYGROUND_EPOCHS_RANGE),
        default=PLAYGROUND_EPOCHS_DEFAULT,
        help=f"epochs to train, 0 to {PLAYGROUND_EPOCHS_RANGE[1]:,} "
        f"(default {PLAYGROUND_EPOCHS_DEFAULT})",
    )
    playground.add_argument(
        "--csv", default=None, metavar="PATH", help="write epoch,train_loss,test_loss"
    )
    playground.add_argument(
        "--data_csv",
        default=None,
        metavar="PATH",
        help="write the points as x1,x2,label,split: the training points, then the test points",
    )
    playground.add_argument(
        "--weights_json",
        default=None,
        metavar="PATH",
        help='write {"initial": [...], "final": [...]}: per layer {"W": [[...]], "b": [...]}',
    )
    return playground


def _finite_or_none(value: object) -> object:
    """JSON has no NaN or infinity: a diverged weight is written as null."""
    if isinstance(value, list):
        return [_finite_or_none(v) for v in value]
    if isinstance(value, dict):
        return {k: _finite_or_none(v) for k, v in value.items()}
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _check_paths(args: argparse.Namespace) -> None:
    """Every output path writable and no two the same, before any work."""
    seen: dict[str, str] = {}
    for flag, name in _FILES:
        path = getattr(args, name)
        check_output_path(path, flag)
        if path is not None:
            if path in seen:
                raise UsageError(f"main.py playground: {seen[path]} and {flag} name the same file")
            seen[path] = flag


def run(args: argparse.Namespace) -> int:
    """Open the link, print a line per epoch, write the files asked for (after Ctrl+C too,
    with the epochs so far)."""
    from model.playground.run import PlaygroundRun

    _check_paths(args)
    playground = PlaygroundRun.from_link(args.url)
    config = playground.config
    if not config.seed_given:
        print(
            f"note: the link has no seed, so Playground would draw its own; "
            f"this run uses seed={config.seed}",
            file=sys.stderr,
        )

    def say(epoch: int, train: float, test: float) -> None:
        print(f"Epoch: {epoch}, Train loss: {train:.6f}, Test loss: {test:.6f}", flush=True)

    status = 0
    say(*playground.history[0])
    try:
        for _ in range(args.epochs):
            playground.run_epoch()
            say(*playground.history[-1])
    except KeyboardInterrupt:
        print(f"interrupted after {playground.epoch} epochs", file=sys.stderr)
        status = 130
    return _write_files(args, playground) or status


def _write_files(args: argparse.Namespace, playground) -> int:
    """The files asked for; the exit status (1 if a write failed)."""
    status = 0
    if args.csv:
        rows = [[epoch, train, test] for epoch, train, test in playground.history]
        status = write_csv(args.csv, ["epoch", "train_loss", "test_loss"], rows) or status
    if args.data_csv:
        data = playground.data
        whole = not playground.config.is_regression  # classification labels are -1 and 1
        rows = [
            [x, y, int(label) if whole else label, split]
            for points, labels, split in (
                (data.train_points, data.train_labels, "train"),
                (data.test_points, data.test_labels, "test"),
            )
            for (x, y), label in zip(points.tolist(), labels.tolist(), strict=True)
        ]
        status = write_csv(args.data_csv, ["x1", "x2", "label", "split"], rows) or status
    if args.weights_json:
        weights = {"initial": playground.initial_weights, "final": playground.weights()}
        text = json.dumps(_finite_or_none(weights)) + "\n"
        status = write_file(args.weights_json, text.encode("utf-8")) or status
    return status
