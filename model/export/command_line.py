"""The command line that reruns a configured run headless: the train and perceptron
commands' flags written back from a configuration.

``main.py train`` parsing ``train_command(config, updates)`` builds that same configuration
and trains it for that many updates, so it prints the figures the window showed. What no flag
can say (a perceptron run the ``perceptron`` command does not make, say) is a ``NoCommand``
naming the reason.
"""

from __future__ import annotations

import math
import shlex
from collections.abc import Sequence

import numpy as np

from model.config import DataConfig, ExperimentConfig
from model.data.datasets import CUSTOM, DEFAULT_SAMPLES, REGRESSION
from model.io.points_file import class_order
from model.limits import MAX_EPOCHS, UPDATES_RANGE
from model.nn.features import DEFAULT_FEATURES

PROGRAM = ("python", "main.py")
DATA_FILE = "points.csv"  # where the command expects the user's own points
DEFAULT_TRAIN_FRACTION = DataConfig.train_fraction  # the command's default
PERCEPTRON_SAMPLES = DEFAULT_SAMPLES["gaussians"]  # what main.py perceptron draws


class NoCommand(ValueError):
    """No command line reproduces this run; the message says why, in one sentence."""


def number(value: float) -> str:
    """The shortest text that reads back as exactly ``value``: 0.1, 1e-06, 2."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def command_text(argv: Sequence[str]) -> str:
    """The whole command, quoted for a POSIX shell (an empty hidden-widths list is '')."""
    return shlex.join([*PROGRAM, *argv])


def train_command(
    config: ExperimentConfig,
    updates: int,
    train_points: int | None = None,
    data_path: str = DATA_FILE,
) -> list[str]:
    """``main.py train`` arguments that build ``config`` and run ``updates`` updates.

    ``train_points``, the size of the training set, lets a batch at least that large be
    written as full batch (the command refuses a larger one) and whole epochs as the
    course's ``--max_steps``. The user's own points are read from ``data_path``.
    """
    data, model, train = config.data, config.model, config.train
    if model.kind != "mlp":
        raise NoCommand("main.py train trains the multi-layer perceptron, not the perceptron")
    if data.seed != train.seed:
        raise NoCommand(
            f"the data's seed ({data.seed}) and the weights' ({train.seed}) differ, "
            "and --seed sets both"
        )
    argv = ["train"]
    if data.problem == REGRESSION:
        argv += ["--problem", REGRESSION]
    if data.name == CUSTOM:
        argv += ["--data", data_path]
    else:
        argv += ["--dataset", data.name]
        if data.n_samples is not None:
            argv += ["--n_samples", str(data.n_samples)]
        if data.noise is not None:
            argv += ["--noise", number(data.noise)]
        for key, value in data.params.items():
            argv += [f"--{key}", str(value) if isinstance(value, int) else number(value)]
    if data.train_fraction != DEFAULT_TRAIN_FRACTION:
        argv += ["--train_fraction", number(data.train_fraction)]
    if data.seed:
        argv += ["--seed", str(data.seed)]
    argv += ["--dnn_hidden_units", ",".join(str(width) for width in model.hidden)]
    if model.features != DEFAULT_FEATURES:
        argv += ["--features", ",".join(model.features)]
    if model.activation != "relu":
        argv += ["--activation", model.activation]
    if model.init is not None:
        argv += ["--init", model.init]
    if train.optimizer != "sgd":
        argv += ["--optimizer", train.optimizer]
    argv += ["--learning_rate", number(train.learning_rate)]
    batch = train.batch_size
    if batch is not None and train_points is not None and batch >= train_points:
        batch = None  # the Trainer runs it as full batch; the command refuses the size
    if batch is not None:
        argv += ["--batch_size", str(batch)]
    if train.l2:
        argv += ["--l2", number(train.l2)]
    if train.l1:
        argv += ["--l1", number(train.l1)]
    argv += ["--eval_every", str(train.eval_every)]
    return argv + _length(updates, batch, train_points)


def _length(updates: int, batch: int | None, train_points: int | None) -> list[str]:
    """``--max_steps`` for whole epochs (a step of the course is one), else ``--max_updates``."""
    if not UPDATES_RANGE[0] <= updates <= UPDATES_RANGE[1]:
        raise NoCommand(f"the command runs at most {UPDATES_RANGE[1]:,} updates, not {updates:,}")
    per_epoch = 1 if batch is None else None
    if batch is not None and train_points is not None:
        per_epoch = math.ceil(train_points / batch)
    if per_epoch and updates and updates % per_epoch == 0 and updates // per_epoch <= MAX_EPOCHS:
        return ["--max_steps", str(updates // per_epoch)]
    return ["--max_updates", str(updates)]


def perceptron_command(
    config: ExperimentConfig, updates: int, train_points: int | None = None
) -> list[str]:
    """``main.py perceptron`` arguments that rerun this perceptron run, or NoCommand saying
    why that command cannot: it draws 200 points from two Gaussians, splits them 80/20 and
    applies the batch rule to the whole training set, one epoch at a time."""
    data, train = config.data, config.train
    if config.model.kind != "perceptron":
        raise NoCommand("main.py perceptron trains the perceptron, not the multi-layer one")
    if data.name != "gaussians":
        raise NoCommand(f"main.py perceptron trains on two Gaussians, and this run on {data.name}")
    if data.n_samples not in (None, PERCEPTRON_SAMPLES) or (
        data.train_fraction != DEFAULT_TRAIN_FRACTION
    ):
        raise NoCommand(
            f"main.py perceptron draws {PERCEPTRON_SAMPLES} points split 80/20, and this run "
            f"has {data.n_samples} split {data.train_fraction:g}"
        )
    if train.optimizer != "sgd":
        raise NoCommand(f"main.py perceptron applies the rule itself, not {train.optimizer}")
    batch = train.batch_size
    if batch is not None and (train_points is None or batch < train_points):
        raise NoCommand(
            f"main.py perceptron updates on the whole training set, and this run in "
            f"batches of {batch}"
        )
    if not 1 <= updates <= MAX_EPOCHS:
        raise NoCommand(
            f"main.py perceptron runs 1 to {MAX_EPOCHS:,} epochs, and this run is at update "
            f"{updates:,}"
        )
    mean, cov = data.params.get("mean", 2.0), data.params.get("cov", 1.0)
    return [
        "perceptron",
        *("--mean", number(mean), "--cov", number(cov), "--max_epochs", str(updates)),
        *("--learning_rate", number(train.learning_rate), "--seed", str(data.seed)),
    ]


def saved_points_reproduce(y: np.ndarray, names: Sequence[str], problem: str) -> bool:
    """Whether points saved as CSV (``x1,x2,label``) read back with the same class numbers.

    Coordinates and targets are written exactly; a file numbers its classes by sorting their
    names and has no class without a point, so the numbering can come back otherwise.
    """
    if problem == REGRESSION:
        return True
    used = sorted(set(np.asarray(y).tolist()))
    if used != list(range(len(names))):
        return False
    return class_order([str(name) for name in names]) == [str(name) for name in names]
