"""The headless commands' flags: argparse with one-line errors, and value types that refuse
what cannot run (an empty list entry, a count beyond what finishes in reasonable time)."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from typing import Any, NoReturn

from model.config import EVAL_EVERY_RANGE, TRAIN_FRACTION_RANGE
from model.data.datasets import DATASETS, EXTRA_PARAMS, PROBLEMS
from model.nn.features import DEFAULT_FEATURES, FEATURE_NAMES, check_features
from model.nn.modules import ACTIVATIONS, INITIALISATIONS
from model.nn.optimizers import OPTIMIZERS

# Upper limits for every count a command line can ask for: beyond them the work would take
# days or the memory would run out, so they are refused before anything runs.
MAX_STEPS = 100_000  # epochs of train and compare, epochs of the perceptron
MAX_SEEDS = 100
MAX_LIST = 20  # values in one list (means, covariances, batch sizes)
MAX_BATCH = 100_000
MAX_UPDATES = 10_000_000  # train --max_updates: a run paused mid-epoch, reproduced exactly


class UsageError(Exception):
    """A bad flag or value: reported on one line, exit status 2."""


class OneLineParser(argparse.ArgumentParser):
    """argparse, but an error is one line on stderr and exit status 2, and flags are spelt
    out in full (an abbreviation such as --learn is refused, not guessed)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


def _parsed(kind: Callable[[str], Any], what: str) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
        if isinstance(value, float) and not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
        return value

    return parse


def _positive(
    kind: Callable[[str], Any], what: str, most: float | None = None
) -> Callable[[str], Any]:
    base = _parsed(kind, what)

    def parse(text: str) -> Any:
        value = base(text)
        if value <= 0:
            raise argparse.ArgumentTypeError(f"{text!r} must be above 0")
        if most is not None and value > most:
            raise argparse.ArgumentTypeError(f"{text!r} must be at most {most:,}")
        return value

    return parse


def _list_of(kind: Callable[[str], Any], what: str, allow_empty: bool = False):
    """Comma-separated values, each one present: '20,,5' and ',' are refused; '' is the
    empty list where ``allow_empty`` (no hidden layers)."""
    item = _parsed(kind, what)

    def parse(text: str) -> list:
        if text == "" and allow_empty:
            return []
        parts = [p.strip() for p in text.split(",")]
        if any(not p for p in parts):
            raise argparse.ArgumentTypeError(
                f"{text!r} is not a comma-separated list of values (an entry is empty)"
            )
        if len(parts) > MAX_LIST:
            raise argparse.ArgumentTypeError(f"{text!r} has more than {MAX_LIST} values")
        return [item(p) for p in parts]

    return parse


def _counts(what: str, most: int) -> Callable[[str], list]:
    """A list of positive whole numbers, each at most ``most``."""
    base = _list_of(int, "a whole number")
    count = _positive(int, what, most)

    def parse(text: str) -> list:
        return [count(str(v)) for v in base(text)]

    return parse


def _features(text: str) -> tuple[str, ...]:
    """Comma-separated feature names (model/nn/features.py's spellings), at least one."""
    names = _list_of(str, "a feature name")(text) if text.strip() else []
    try:
        return check_features(names)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


POS_INT = _positive(int, "a whole number")
POS_FLOAT = _positive(float, "a number")
STEPS = _positive(int, "a whole number", MAX_STEPS)


def _rate(text: str) -> float:
    value = POS_FLOAT(text)
    if value > 100:
        raise argparse.ArgumentTypeError(f"{text!r} must be at most 100")
    return value


RATE = _rate
FLOAT = _parsed(float, "a number")
SEED = _parsed(int, "a whole number")


def _add_experiment_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dnn_hidden_units",
        type=_list_of(int, "a whole number", True),
        default=[20],
        help="comma-separated hidden widths ('' for none: the features feed the outputs)",
    )
    parser.add_argument(
        "--features",
        type=_features,
        default=DEFAULT_FEATURES,
        help=f"comma-separated inputs the network sees, of {','.join(FEATURE_NAMES)} "
        f"(default: {','.join(DEFAULT_FEATURES)})",
    )
    parser.add_argument("--learning_rate", type=RATE, default=0.01)
    parser.add_argument(
        "--problem",
        choices=PROBLEMS,
        default="classification",
        help="regression: one output value, trained on the mean squared error",
    )
    parser.add_argument(
        "--dataset",
        choices=DATASETS,
        default=None,
        help="default: moons (plane for regression; plane and multigauss are the regression sets)",
    )
    parser.add_argument("--n_samples", type=_positive(int, "a whole number", 100_000), default=None)
    parser.add_argument("--noise", type=FLOAT, default=None)
    parser.add_argument(
        "--seed", type=SEED, default=0, help="seeds the data, the initial weights and the shuffling"
    )
    parser.add_argument("--activation", choices=tuple(ACTIVATIONS), default="relu")
    parser.add_argument(
        "--init",
        choices=INITIALISATIONS,
        default=None,
        help="default: he for relu, xavier for tanh, sigmoid and linear",
    )
    parser.add_argument("--optimizer", choices=OPTIMIZERS, default="sgd")
    parser.add_argument("--l2", type=FLOAT, default=0.0)
    parser.add_argument("--l1", type=FLOAT, default=0.0)
    _add_data_flags(parser)


def _within(kind: Callable[[str], Any], what: str, low: float, high: float):
    """A number from ``low`` to ``high`` inclusive."""
    base = _parsed(kind, what)

    def parse(text: str) -> Any:
        value = base(text)
        if not low <= value <= high:
            low_text, high_text = (
                f"{v:,}" if isinstance(v, int) else f"{v:g}" for v in (low, high)
            )
            raise argparse.ArgumentTypeError(f"{text!r} must be from {low_text} to {high_text}")
        return value

    return parse


def _add_data_flags(parser: argparse.ArgumentParser) -> None:
    """The split and each data set's own parameters (the Data panel's), as flags."""
    parser.add_argument(
        "--train_fraction",
        type=_within(float, "a number", *TRAIN_FRACTION_RANGE),
        default=0.8,
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
            type=_parsed(int, "a whole number") if integer else FLOAT,
            default=None,
            help=f"{' and '.join(names)}: from {low:g} to {high:g} (default {default})",
        )


def _add_run_flags(parser: argparse.ArgumentParser) -> None:
    """The flags of a training run: train's, and landscape's (which trains the same run)."""
    _add_experiment_flags(parser)
    length = parser.add_mutually_exclusive_group()
    length.add_argument("--max_steps", type=STEPS, default=1500)
    length.add_argument(
        "--max_updates",
        type=_within(int, "a whole number", 0, MAX_UPDATES),
        default=None,
        help="train this many updates instead (a run stopped mid-epoch)",
    )
    parser.add_argument("--eval_freq", type=STEPS, default=10)
    parser.add_argument(
        "--eval_every",
        type=_within(int, "a whole number", *EVAL_EVERY_RANGE),
        default=None,
        help="also record the figures every N updates, as the window's Evaluate every "
        "(for --csv and --save_session)",
    )
    parser.add_argument("--sgd", action="store_true", help="batch size 1")
    parser.add_argument(
        "--batch_size",
        type=_positive(int, "a whole number", MAX_BATCH),
        default=None,
        help="default: full batch",
    )
    parser.add_argument(
        "--data",
        default=None,
        metavar="PATH",
        help="train on the points of this CSV file (x1,x2,label; x1,x2,target for "
        "regression) instead of --dataset",
    )


def _resolution(text: str) -> int:
    """An odd grid resolution from 3 to 101 (an even one is rounded up: the grid has a middle)."""
    value = _parsed(int, "a whole number")(text)
    if not 3 <= value <= 101:
        raise argparse.ArgumentTypeError(f"{text!r} must be from 3 to 101")
    return value | 1


def _add_landscape_command(commands) -> None:
    landscape = commands.add_parser(
        "landscape",
        help="train as train does, then write a slice of the loss around the final weights",
        description="Trains the run as train does (same flags), then computes the training loss "
        "on a plane through the final weights: L(final + a d1 + b d2).",
    )
    _add_run_flags(landscape)
    landscape.add_argument(
        "--plane",
        choices=("pca", "random"),
        default="pca",
        help="pca: the path's two principal directions; random: two filter-normalised ones",
    )
    landscape.add_argument(
        "--resolution", type=_resolution, default=41, help="grid points per side, odd, 3 to 101"
    )
    landscape.add_argument(
        "--span", type=_positive(float, "a number", 100), default=1.0, help="a and b run -S to S"
    )
    landscape.add_argument("--csv", default=None, metavar="PATH", help="the grid: a,b,loss")
    landscape.add_argument(
        "--path_csv", default=None, metavar="PATH", help="the path: update,a,b,loss"
    )
    landscape.add_argument("--png", default=None, metavar="PATH", help="the map as a PNG image")


def build_parser() -> OneLineParser:
    """Every command's flags, with the defaults of the course's scripts."""
    parser = OneLineParser(
        prog="main.py",
        description="Neural Playground. Without a command, opens the window "
        "(options: --screenshot PATH [--steps N]).",
    )
    commands = parser.add_subparsers(dest="command", parser_class=OneLineParser)

    train = commands.add_parser(
        "train",
        help="train the MLP and print the course's lines",
        description="A step is one pass over the training set; "
        "Loss and Accuracy are on the test set.",
    )
    _add_run_flags(train)
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
    _add_landscape_command(commands)

    perceptron = commands.add_parser("perceptron", help="the perceptron on two Gaussians")
    perceptron.add_argument("--mean", type=FLOAT, default=2.0)
    perceptron.add_argument("--cov", type=POS_FLOAT, default=1.0)
    perceptron.add_argument("--max_epochs", type=STEPS, default=20)
    perceptron.add_argument("--learning_rate", type=RATE, default=0.01)
    perceptron.add_argument("--seed", type=SEED, default=0)
    perceptron.add_argument(
        "--problem", choices=PROBLEMS, default="classification", help="it only classifies"
    )

    sweep = commands.add_parser("sweep", help="the perceptron over means x covariances")
    sweep.add_argument("--means", type=_list_of(float, "a number"), default=[20, 2, 0.2, 0.02])
    sweep.add_argument("--covs", type=_list_of(float, "a number"), default=[10, 1, 0.1, 0.01])
    sweep.add_argument("--seeds", type=_positive(int, "a whole number", MAX_SEEDS), default=5)
    sweep.add_argument("--max_epochs", type=_positive(int, "a whole number", 10_000), default=20)
    sweep.add_argument("--learning_rate", type=RATE, default=0.01)

    compare = commands.add_parser("compare", help="runs that differ in one parameter")
    _add_experiment_flags(compare)
    compare.add_argument(
        "--batch_sizes",
        type=_counts("a whole number", MAX_BATCH),
        default=[1, 10, 50, 200, 500],
        help="each at most the number of training points",
    )
    compare.add_argument(
        "--max_steps",
        type=STEPS,
        default=100,
        help="epochs per run (a step is one pass, as in train)",
    )
    compare.add_argument("--csv", default=None, help="every curve, one row per run and point")
    from cli.grid_command import add_grid_command  # imports this module's helpers

    add_grid_command(commands)
    return parser
