"""A run of ``main.py train`` (and of ``main.py landscape``, which trains the same run): its
Trainer, its epochs with the course's lines, and its final figures in one line.

The heavier modules are imported when a run starts, so that ``--help`` stays quick.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from cli.experiment_config import check_batch_sizes, run_config

if TYPE_CHECKING:  # imported by the run itself, when it starts
    from model.config import ExperimentConfig
    from model.training.history import HistoryPoint
    from model.training.trainer import Trainer


def figures(point: HistoryPoint, regression: bool) -> str:
    """The final losses (and, for classification, accuracies) of one run, for one line."""
    if regression:
        return (
            f"train loss {point.train_loss:.6f}, test loss {point.test_loss:.6f} "
            "(mean squared error)"
        )
    return (
        f"train loss {point.train_loss:.6f}, train accuracy {point.train_accuracy:.4f}, "
        f"test loss {point.test_loss:.6f}, test accuracy {point.test_accuracy:.4f}"
    )


def build_run(args: argparse.Namespace, config: ExperimentConfig | None = None) -> Trainer:
    """The Trainer of a ``train`` (or ``landscape``) command line, its flags checked; it
    evaluates every ``--eval_every`` updates if given, else when ``train_epochs`` reports."""
    from model.training.trainer import build_trainer

    config = config or run_config(args)
    trainer = build_trainer(config, eval_every=args.eval_every)
    check_batch_sizes("--batch_size", [args.batch_size], len(trainer.dataset.y_train))
    return trainer


def epoch_sizes(updates_per_epoch: int, max_steps: int, max_updates: int | None) -> list[int]:
    """Updates in each step of a run: ``max_steps`` whole epochs, or ``max_updates`` updates
    cut into epochs (the last one maybe partial), so a window's run paused mid-epoch is
    reproduced exactly."""
    if max_updates is None:
        return [updates_per_epoch] * max_steps
    whole, rest = divmod(max_updates, updates_per_epoch)
    return [updates_per_epoch] * whole + ([rest] if rest else [])


def epoch_label(epoch: float) -> str:
    """3.52 for a pass under way, as the window's status line writes it; 3 for a whole one."""
    return f"{epoch:.3f}".rstrip("0").rstrip(".")


def train_epochs(args: argparse.Namespace, trainer: Trainer, say: bool = True) -> int:
    """``--max_steps`` epochs, evaluated every ``--eval_freq`` and at the end (the course's
    lines when ``say``); returns the exit status (1: diverged, 130: interrupted)."""
    from model.training.trainer import TrainingDiverged

    regression = trainer.dataset.is_regression

    def report(step: int | str) -> None:  # regression: the test MSE, and no accuracy
        point = trainer.evaluate()
        accuracy = "" if regression else f", Accuracy: {point.test_accuracy:.4f}"
        if say:
            print(f"Step: {step}, Loss: {point.test_loss:.6f}{accuracy}", flush=True)

    report(0)
    sizes = epoch_sizes(trainer.updates_per_epoch, args.max_steps, args.max_updates)
    try:
        for step, updates in enumerate(sizes, 1):
            try:
                trainer.train(updates)  # one epoch; the last of --max_updates maybe less
            except TrainingDiverged as error:
                print(f"Stopped: {error}", file=sys.stderr)
                return 1
            if step == len(sizes) and updates < trainer.updates_per_epoch:
                report(epoch_label(trainer.epoch))  # Step: 3.52, a pass not complete
            elif step % args.eval_freq == 0 or step == len(sizes):
                report(step)
    except KeyboardInterrupt:  # the history so far is still written
        print(f"interrupted after {trainer.epochs_completed} steps", file=sys.stderr)
        return 130
    return 0
