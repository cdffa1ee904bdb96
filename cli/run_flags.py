"""The flags that describe a run, shared by the commands that train the MLP: train and
landscape (all of them), compare and grid (the experiment's, with lengths of their own).

Defaults are the configuration records' (model/config.py) and limits model/limits.py's,
so a command line without a flag builds the window's default run.
"""

from __future__ import annotations

import argparse

from cli.flags import features, number, number_list, within
from cli.preset_flags import add_preset_flag
from model.config import DataConfig, ModelConfig, TrainConfig
from model.data.datasets import DATASETS, EXTRA_PARAMS, PROBLEMS
from model.limits import (
    BATCH_RANGE,
    EPOCHS_RANGE,
    EVAL_EVERY_RANGE,
    LEARNING_RATE_RANGE,
    NOISE_RANGE,
    PENALTY_RANGE,
    SAMPLES_RANGE,
    SEED_RANGE,
    TRAIN_FRACTION_RANGE,
    UPDATES_RANGE,
)
from model.nn.activations import ACTIVATIONS
from model.nn.features import FEATURE_NAMES
from model.nn.modules import INITIALISATIONS
from model.nn.optimizers import OPTIMIZERS

EPOCHS = within(EPOCHS_RANGE)
LEARNING_RATE = within(LEARNING_RATE_RANGE)
SEED = within(SEED_RANGE)


def add_experiment_flags(parser: argparse.ArgumentParser) -> None:
    """The data, the network and how it trains: everything but the run's length; --preset
    sets them all at once."""
    add_preset_flag(parser)
    parser.add_argument(
        "--dnn_hidden_units",
        type=number_list(int, allow_empty=True),
        default=list(ModelConfig.hidden),
        help="comma-separated hidden widths ('' for none: the features feed the outputs)",
    )
    parser.add_argument(
        "--features",
        type=features,
        default=ModelConfig.features,
        help=f"comma-separated inputs the network sees, of {','.join(FEATURE_NAMES)} "
        f"(default: {','.join(ModelConfig.features)})",
    )
    parser.add_argument("--learning_rate", type=LEARNING_RATE, default=TrainConfig.learning_rate)
    parser.add_argument(
        "--problem",
        choices=PROBLEMS,
        default=DataConfig.problem,
        help="regression: one output value, trained on the mean squared error",
    )
    parser.add_argument(
        "--dataset",
        choices=DATASETS,
        default=None,
        help="default: moons (plane for regression; plane and multigauss are the regression sets)",
    )
    parser.add_argument("--n_samples", type=within(SAMPLES_RANGE), default=None)
    parser.add_argument("--noise", type=within(NOISE_RANGE), default=None)
    parser.add_argument(
        "--seed",
        type=SEED,
        default=TrainConfig.seed,
        help="seeds the data, the initial weights and the shuffling",
    )
    parser.add_argument("--activation", choices=tuple(ACTIVATIONS), default=ModelConfig.activation)
    parser.add_argument(
        "--init",
        choices=INITIALISATIONS,
        default=None,
        help="default: he for relu, xavier for tanh, sigmoid and linear",
    )
    parser.add_argument("--optimizer", choices=OPTIMIZERS, default=TrainConfig.optimizer)
    parser.add_argument("--l2", type=within(PENALTY_RANGE), default=TrainConfig.l2)
    parser.add_argument("--l1", type=within(PENALTY_RANGE), default=TrainConfig.l1)
    _add_data_flags(parser)


def _add_data_flags(parser: argparse.ArgumentParser) -> None:
    """The split and each data set's own parameters (the Data panel's), as flags; a value
    outside its data set's range is refused by the configuration, which names it."""
    parser.add_argument(
        "--train_fraction",
        type=within(TRAIN_FRACTION_RANGE),
        default=DataConfig.train_fraction,
        help="the share of the points trained on; the rest are the test set",
    )
    users: dict[str, list[str]] = {}
    for name, params in EXTRA_PARAMS.items():
        for key in params:
            users.setdefault(key, []).append(name)
    for key, names in users.items():
        _, low, high, integer = EXTRA_PARAMS[names[0]][key]
        defaults = {f"{EXTRA_PARAMS[name][key][0]:g}": name for name in names}
        default = (
            next(iter(defaults))
            if len(defaults) == 1
            else ", ".join(f"{value} for {name}" for value, name in defaults.items())
        )
        parser.add_argument(
            f"--{key}",
            type=number(int if integer else float),
            default=None,
            help=f"{' and '.join(names)}: from {low:g} to {high:g} (default {default})",
        )


def add_batch_flags(parser: argparse.ArgumentParser) -> None:
    """--sgd or --batch_size (default: full batch) and --data, the user's own points."""
    parser.add_argument("--sgd", action="store_true", help="batch size 1")
    parser.add_argument(
        "--batch_size", type=within(BATCH_RANGE), default=None, help="default: full batch"
    )
    parser.add_argument(
        "--data",
        default=None,
        metavar="PATH",
        help="train on the points of this CSV file (x1,x2,label; x1,x2,target for "
        "regression) instead of --dataset",
    )


def add_run_flags(parser: argparse.ArgumentParser) -> None:
    """The flags of a training run: train's, and landscape's (which trains the same run)."""
    add_experiment_flags(parser)
    length = parser.add_mutually_exclusive_group()
    length.add_argument("--max_steps", type=EPOCHS, default=1500)
    length.add_argument(
        "--max_updates",
        type=within(UPDATES_RANGE),
        default=None,
        help="train this many updates instead (a run stopped mid-epoch)",
    )
    parser.add_argument("--eval_freq", type=EPOCHS, default=10)
    parser.add_argument(
        "--eval_every",
        type=within(EVAL_EVERY_RANGE),
        default=None,
        help="also record the figures every N updates, as the window's Evaluate every "
        "(for --csv and --save_session)",
    )
    add_batch_flags(parser)
