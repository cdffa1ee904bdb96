"""``main.py perceptron``: the tutorial's perceptron on one draw of two Gaussians, beside the
best any classifier can do there."""

from __future__ import annotations

import argparse

from cli.flags import UsageError, number
from cli.preset_flags import add_preset_flag
from cli.run_flags import EPOCHS, LEARNING_RATE, SEED
from model.config import TrainConfig
from model.data.datasets import EXTRA_PARAMS, PROBLEMS, REGRESSION

GAUSSIANS = EXTRA_PARAMS["gaussians"]  # (default, low, high, whole) of mean and cov


def add_parser(subcommands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """The ``perceptron`` subcommand and its flags."""
    perceptron = subcommands.add_parser("perceptron", help="the perceptron on two Gaussians")
    perceptron.add_argument("--mean", type=number(float), default=GAUSSIANS["mean"][0])
    perceptron.add_argument("--cov", type=number(float, above=0), default=GAUSSIANS["cov"][0])
    perceptron.add_argument("--max_epochs", type=EPOCHS, default=20)
    perceptron.add_argument(
        "--learning_rate", type=LEARNING_RATE, default=TrainConfig.learning_rate
    )
    perceptron.add_argument("--seed", type=SEED, default=TrainConfig.seed)
    perceptron.add_argument(
        "--problem", choices=PROBLEMS, default="classification", help="it only classifies"
    )
    add_preset_flag(perceptron)
    return perceptron


def run(args: argparse.Namespace) -> int:
    """Train on one draw; print the test accuracy, then the training and Bayes-optimal ones."""
    from model.data.datasets import bayes_accuracy, make_dataset
    from model.nn.perceptron import Perceptron

    if args.problem == REGRESSION:
        raise UsageError(
            "main.py perceptron: the perceptron only classifies; for regression run "
            "main.py train --problem regression"
        )
    data = make_dataset("gaussians", seed=args.seed, mean=args.mean, cov=args.cov)
    perceptron = Perceptron(2, max_epochs=args.max_epochs, learning_rate=args.learning_rate)
    records = perceptron.train(data.X_train, data.y_train)
    test = float(((perceptron.forward(data.X_test) > 0) == data.y_test).mean())
    train = float(((perceptron.forward(data.X_train) > 0) == data.y_train).mean())
    print(f"Test accuracy: {test:.4f}")
    print(
        f"Train accuracy: {train:.4f} after {len(records)} epochs; "
        f"Bayes-optimal accuracy: {bayes_accuracy(args.mean, args.cov):.4f}"
    )
    return 0
