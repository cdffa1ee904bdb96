"""The headless commands: train, perceptron, sweep and compare.

Bad flags or values end with exit status 2 and one line saying what is wrong.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from model.config import DataConfig, ExperimentConfig, ModelConfig, TrainConfig
from model.datasets import DATASETS
from model.modules import ACTIVATIONS, INITIALISATIONS
from model.optim import OPTIMIZERS

COMMANDS = ("train", "perceptron", "sweep", "compare")
# Upper limits for every count a command line can ask for: beyond them the work would take
# days or the memory would run out, so they are refused before anything runs.
MAX_STEPS = 100_000  # epochs of train and compare, epochs of the perceptron
MAX_SEEDS = 100
MAX_LIST = 20  # values in one list (means, covariances, batch sizes)
MAX_BATCH = 100_000


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
        help="comma-separated hidden widths ('' for none)",
    )
    parser.add_argument("--learning_rate", type=RATE, default=0.01)
    parser.add_argument("--dataset", choices=DATASETS, default=None, help="default: moons")
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
        help="default: he for relu, xavier for tanh and sigmoid",
    )
    parser.add_argument("--optimizer", choices=OPTIMIZERS, default="sgd")
    parser.add_argument("--l2", type=FLOAT, default=0.0)
    parser.add_argument("--l1", type=FLOAT, default=0.0)


def build_parser() -> OneLineParser:
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
    _add_experiment_flags(train)
    train.add_argument("--max_steps", type=STEPS, default=1500)
    train.add_argument("--eval_freq", type=STEPS, default=10)
    train.add_argument("--sgd", action="store_true", help="batch size 1")
    train.add_argument(
        "--batch_size",
        type=_positive(int, "a whole number", MAX_BATCH),
        default=None,
        help="default: full batch",
    )
    train.add_argument("--csv", default=None, help="write the whole history to this CSV file")
    train.add_argument(
        "--data",
        default=None,
        metavar="PATH",
        help="train on the points of this CSV file (x1,x2,label) instead of --dataset",
    )

    perceptron = commands.add_parser("perceptron", help="the perceptron on two Gaussians")
    perceptron.add_argument("--mean", type=FLOAT, default=2.0)
    perceptron.add_argument("--cov", type=POS_FLOAT, default=1.0)
    perceptron.add_argument("--max_epochs", type=STEPS, default=20)
    perceptron.add_argument("--learning_rate", type=RATE, default=0.01)
    perceptron.add_argument("--seed", type=SEED, default=0)

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
    return parser


def _data_config(args: argparse.Namespace) -> DataConfig:
    if getattr(args, "data", None) == "":
        raise UsageError("main.py train: --data needs the path of a CSV file")
    if getattr(args, "data", None):
        from model.points_file import read_points

        given = [
            f"--{n}" for n in ("dataset", "n_samples", "noise") if getattr(args, n) is not None
        ]
        if given:
            raise UsageError(f"main.py train: --data gives the points; drop {', '.join(given)}")

        points = read_points(args.data)  # ValueError: one line naming the bad lines
        return DataConfig.custom(points.X, points.y, points.class_names, seed=args.seed)
    name = args.dataset or "moons"
    return DataConfig(name, n_samples=args.n_samples, noise=args.noise, seed=args.seed)


def _experiment_config(args: argparse.Namespace, batch_size: int | None) -> ExperimentConfig:
    return ExperimentConfig(
        _data_config(args),
        ModelConfig("mlp", tuple(args.dnn_hidden_units), args.activation, args.init),
        TrainConfig(
            args.optimizer, args.learning_rate, batch_size, l2=args.l2, l1=args.l1, seed=args.seed
        ),
    )


def _check_batch_sizes(flag: str, sizes: Sequence[int | None], n_train: int) -> None:
    """A batch larger than the training set would silently run as full batch: refused."""
    for size in sizes:
        if size is not None and size > n_train:
            raise UsageError(
                f"main.py: {flag} {size} is larger than the {n_train} training points "
                "(leave it out for full batch)"
            )


def _check_csv(path: str | None) -> None:
    from model.files import check_writable

    if path is not None and (problem := check_writable(path)):
        raise UsageError(f"--csv: cannot write {path}: {problem}")


def _write_csv(path: str, header: Sequence[str], rows: list) -> int:
    from model.files import write_csv_atomic

    try:
        write_csv_atomic(path, header, rows)
    except OSError as error:
        print(f"cannot write {path}: {error.strerror or error}", file=sys.stderr)
        return 1
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from model.training import TrainingDiverged, build_trainer

    if args.sgd and args.batch_size not in (None, 1):
        raise UsageError("main.py train: use either --sgd or --batch_size, not both")
    _check_csv(args.csv)
    config = _experiment_config(args, 1 if args.sgd else args.batch_size)
    trainer = build_trainer(config, eval_every=None)
    _check_batch_sizes("--batch_size", [args.batch_size], len(trainer.dataset.y_train))

    def report(step: int) -> None:
        point = trainer.evaluate()
        print(f"Step: {step}, Loss: {point.test_loss:.6f}, Accuracy: {point.test_accuracy:.4f}")

    report(0)
    status = 0
    try:
        for step in range(1, args.max_steps + 1):
            try:
                trainer.run_epoch()
            except TrainingDiverged as error:
                print(f"Stopped: {error}", file=sys.stderr)
                status = 1
                break
            if step % args.eval_freq == 0 or step == args.max_steps:
                report(step)
    except KeyboardInterrupt:  # the history so far is still written
        print(f"interrupted after {trainer.epochs_completed} steps", file=sys.stderr)
        status = 130
    final = trainer.evaluate()
    print(
        f"Final: {trainer.epochs_completed} steps ({trainer.updates} updates, batch size "
        f"{trainer.batch_size}), train loss {final.train_loss:.6f}, train accuracy "
        f"{final.train_accuracy:.4f}, test loss {final.test_loss:.6f}, test accuracy "
        f"{final.test_accuracy:.4f}"
    )
    if args.csv:
        status = (
            _write_csv(args.csv, *trainer.history_table())  # says where it was thinned
            or status
        )
    return status


def cmd_perceptron(args: argparse.Namespace) -> int:
    from model.datasets import bayes_accuracy, make_dataset
    from model.perceptron import Perceptron

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


def cmd_sweep(args: argparse.Namespace) -> int:
    from model.datasets import make_dataset
    from model.experiments import perceptron_grid

    for m in args.means:  # validate every cell before the long work starts
        for c in args.covs:
            make_dataset("gaussians", seed=0, mean=m, cov=c)
    grid = perceptron_grid(args.means, args.covs, args.seeds, args.max_epochs, args.learning_rate)
    print(format_grid(grid, args.seeds))
    return 0


def format_grid(grid, n_seeds: int) -> str:
    """Mean test accuracy +- spread over seeds, with the Bayes-optimal accuracy in brackets."""
    width = 26
    lines = [
        f"Test accuracy, mean +- std over {n_seeds} seeds (Bayes-optimal in brackets)",
        "mean \\ cov".ljust(12) + "".join(f"{c:g}".ljust(width) for c in grid.covs),
    ]
    mean, std, bayes = grid.mean_accuracy, grid.std_accuracy, grid.bayes
    for i, m in enumerate(grid.means):
        cells = [
            f"{mean[i, j]:.3f} +- {std[i, j]:.3f} ({bayes[i, j]:.3f})".ljust(width)
            for j in range(len(grid.covs))
        ]
        lines.append(f"{m:g}".ljust(12) + "".join(cells))
    return "\n".join(line.rstrip() for line in lines)


def cmd_compare(args: argparse.Namespace) -> int:
    from model.experiments import Comparison, compare_runs

    _check_csv(args.csv)
    config = _experiment_config(args, None)
    from model.training import build_dataset

    _check_batch_sizes("--batch_sizes", args.batch_sizes, len(build_dataset(config).y_train))
    comparison = compare_runs(config, "batch_size", args.batch_sizes, args.max_steps)
    for run in comparison.runs:
        f = run.final
        line = (
            f"batch_size={run.value}: train loss {f.train_loss:.6f}, train accuracy "
            f"{f.train_accuracy:.4f}, test loss {f.test_loss:.6f}, test accuracy "
            f"{f.test_accuracy:.4f}, {f.update} updates, {f.seconds:.2f} s"
        )
        if run.stopped_reason:
            line += f" (stopped: {run.stopped_reason})"
        print(line)
    if args.csv:
        return _write_csv(args.csv, Comparison.header(), comparison.rows())
    return 0


HANDLERS = {
    "train": cmd_train,
    "perceptron": cmd_perceptron,
    "sweep": cmd_sweep,
    "compare": cmd_compare,
}


def run(argv: Sequence[str]) -> int:
    """Parse and run one headless command; returns the exit status."""
    try:
        args = build_parser().parse_args(list(argv))
        if args.command is None:
            raise UsageError("main.py: name a command: " + ", ".join(COMMANDS))
        return HANDLERS[args.command](args)
    except (UsageError, ValueError) as error:
        print(str(error).splitlines()[0] if str(error) else "invalid input", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
