"""The configuration a command line describes (model/config.py's records), built from the
flags of cli/run_flags.py, with the mistakes only a whole command line shows refused on one
line: a data set for the other problem, --data beside --dataset, a parameter of another data
set, a batch larger than the training set."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from cli.flags import UsageError
from model.config import DataConfig, ExperimentConfig, ModelConfig, TrainConfig
from model.data.datasets import EXTRA_PARAMS, REGRESSION, dataset_problem

DATA_PARAMETERS = tuple(dict.fromkeys(key for params in EXTRA_PARAMS.values() for key in params))


def data_parameters(args: argparse.Namespace, name: str) -> dict[str, float]:
    """The data set parameters given (--mean, --n_classes, ...), each one ``name`` has;
    ``name`` is a data set, or the flag that replaces one (--data)."""
    given = {
        key: getattr(args, key) for key in DATA_PARAMETERS if getattr(args, key, None) is not None
    }
    own = EXTRA_PARAMS.get(name, {})
    foreign = [f"--{key}" for key in given if key not in own]
    if foreign:
        users = {key: [n for n, p in EXTRA_PARAMS.items() if key in p] for key in given}
        key = foreign[0][2:]
        where = f"{name} has none" if not own else f"{name}'s are --{', --'.join(own)}"
        raise UsageError(
            f"main.py {args.command}: {foreign[0]} is a parameter of "
            f"{' and '.join(users[key])} ({where})"
        )
    return given


def data_config(args: argparse.Namespace) -> DataConfig:
    """The data: a built-in data set with its parameters, or the points of --data's file."""
    if getattr(args, "data", None) == "":
        raise UsageError("main.py train: --data needs the path of a CSV file")
    if getattr(args, "data", None):
        from model.io.points_file import read_points

        given = [
            f"--{n}" for n in ("dataset", "n_samples", "noise") if getattr(args, n) is not None
        ]
        if given:
            raise UsageError(f"main.py train: --data gives the points; drop {', '.join(given)}")

        points = read_points(args.data, args.problem)  # ValueError: one line, the bad lines
        data_parameters(args, "--data")  # none: the file gives the points
        return DataConfig.of_points(points, seed=args.seed, train_fraction=args.train_fraction)
    name = args.dataset or ("plane" if args.problem == REGRESSION else "moons")
    if dataset_problem(name) != args.problem:
        fix = (
            "add --problem regression"
            if dataset_problem(name) == REGRESSION
            else "choose --dataset plane or multigauss"
        )
        raise UsageError(
            f"main.py {args.command}: {name} is a {dataset_problem(name)} data set "
            f"and --problem is {args.problem}: {fix}"
        )
    return DataConfig(
        name,
        n_samples=args.n_samples,
        noise=args.noise,
        seed=args.seed,
        problem=args.problem,
        train_fraction=args.train_fraction,
        params=data_parameters(args, name),
    )


def experiment_config(args: argparse.Namespace, batch_size: int | None) -> ExperimentConfig:
    """The whole configuration of the experiment flags, with this batch size."""
    return ExperimentConfig(
        data_config(args),
        ModelConfig("mlp", tuple(args.dnn_hidden_units), args.activation, args.init, args.features),
        TrainConfig(
            args.optimizer,
            args.learning_rate,
            batch_size,
            l2=args.l2,
            l1=args.l1,
            eval_every=getattr(args, "eval_every", None) or TrainConfig.eval_every,
            seed=getattr(args, "train_seed", args.seed),  # a preset's own (cli/preset_flags.py)
        ),
    )


def run_config(args: argparse.Namespace) -> ExperimentConfig:
    """The configuration a command line with --sgd or --batch_size describes (train,
    landscape, grid)."""
    if args.sgd and args.batch_size not in (None, 1):
        raise UsageError(f"main.py {args.command}: use either --sgd or --batch_size, not both")
    return experiment_config(args, 1 if args.sgd else args.batch_size)


def check_batch_sizes(flag: str, sizes: Sequence[int | None], n_train: int) -> None:
    """A batch larger than the training set would silently run as full batch: refused."""
    for size in sizes:
        if size is not None and size > n_train:
            raise UsageError(
                f"main.py: {flag} {size} is larger than the {n_train} training points "
                "(leave it out for full batch)"
            )
