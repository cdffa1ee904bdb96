"""What each headless command does once its flags are read: train, perceptron, sweep and
compare. The heavier modules are imported inside each command, so that ``--help`` is quick."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from cli.arguments import UsageError
from cli.code_export import check_export_paths, write_exports
from cli.reproduce import (
    check_session_path,
    data_parameters,
    epoch_label,
    epoch_sizes,
    write_session,
)
from model.config import DataConfig, ExperimentConfig, ModelConfig, TrainConfig
from model.data.datasets import REGRESSION, dataset_problem

if TYPE_CHECKING:  # imported by the command itself, when it runs
    from model.experiments.comparisons import PerceptronSweep
    from model.training.history import HistoryPoint
    from model.training.trainer import Trainer


def _data_config(args: argparse.Namespace) -> DataConfig:
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
        return DataConfig.custom(
            points.X,
            points.y,
            points.class_names,
            seed=args.seed,
            problem=args.problem,
            train_fraction=args.train_fraction,
        )
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


def _figures(point: HistoryPoint, regression: bool) -> str:
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


def _experiment_config(args: argparse.Namespace, batch_size: int | None) -> ExperimentConfig:
    return ExperimentConfig(
        _data_config(args),
        ModelConfig("mlp", tuple(args.dnn_hidden_units), args.activation, args.init, args.features),
        TrainConfig(
            args.optimizer,
            args.learning_rate,
            batch_size,
            l2=args.l2,
            l1=args.l1,
            eval_every=getattr(args, "eval_every", None) or TrainConfig.eval_every,
            seed=args.seed,
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


def _check_csv(path: str | None, flag: str = "--csv") -> None:
    from model.io.safe_files import check_writable

    if path is not None and (problem := check_writable(path)):
        raise UsageError(f"{flag}: cannot write {path}: {problem}")


def _write_csv(path: str, header: Sequence[str], rows: list) -> int:
    from model.io.safe_files import write_csv_atomic

    try:
        write_csv_atomic(path, header, rows)
    except OSError as error:
        print(f"cannot write {path}: {error.strerror or error}", file=sys.stderr)
        return 1
    return 0


def run_config(args: argparse.Namespace) -> ExperimentConfig:
    """The configuration a ``train`` (or ``landscape``) command line describes."""
    if args.sgd and args.batch_size not in (None, 1):
        raise UsageError(f"main.py {args.command}: use either --sgd or --batch_size, not both")
    return _experiment_config(args, 1 if args.sgd else args.batch_size)


def build_run(args: argparse.Namespace, config: ExperimentConfig | None = None) -> Trainer:
    """The Trainer of a ``train`` (or ``landscape``) command line, its flags checked; it
    evaluates every ``--eval_every`` updates if given, else when ``train_epochs`` reports."""
    from model.training.trainer import build_trainer

    config = config or run_config(args)
    trainer = build_trainer(config, eval_every=args.eval_every)
    _check_batch_sizes("--batch_size", [args.batch_size], len(trainer.dataset.y_train))
    return trainer


def train_epochs(args: argparse.Namespace, trainer: Trainer, say: bool = True) -> int:
    """``--max_steps`` epochs, evaluated every ``--eval_freq`` and at the end (the course's
    lines when ``say``); returns the exit status (1: diverged, 130: interrupted)."""
    from model.training.trainer import TrainingDiverged

    regression = trainer.dataset.is_regression

    def report(step: int | str) -> None:  # regression: the test MSE, and no accuracy
        point = trainer.evaluate()
        accuracy = "" if regression else f", Accuracy: {point.test_accuracy:.4f}"
        if say:
            print(f"Step: {step}, Loss: {point.test_loss:.6f}{accuracy}")

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


def cmd_train(args: argparse.Namespace) -> int:
    """The course's MLP run: a line per evaluation, a final summary, the history as CSV."""
    _check_csv(args.csv)
    check_session_path(args.save_session)
    check_export_paths(args)  # --export_script, --export_torch
    config = run_config(args)
    trainer = build_run(args, config)
    status = train_epochs(args, trainer)
    final = trainer.evaluate()
    print(
        f"Final: {trainer.epochs_completed} steps ({trainer.updates} updates, batch size "
        f"{trainer.batch_size}), {_figures(final, trainer.dataset.is_regression)}"
    )
    if args.csv:
        status = (
            _write_csv(args.csv, *trainer.history_table())  # says where it was thinned
            or status
        )
    if args.save_session:
        status = write_session(args.save_session, config, trainer) or status
    return write_exports(args, trainer) or status


def cmd_perceptron(args: argparse.Namespace) -> int:
    """The tutorial's perceptron on one draw of two Gaussians, beside the best possible."""
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


def cmd_sweep(args: argparse.Namespace) -> int:
    """The perceptron over means x covariances x seeds, printed as the course's table."""
    from model.data.datasets import make_dataset
    from model.experiments.comparisons import perceptron_sweep

    for m in args.means:  # validate every cell before the long work starts
        for c in args.covs:
            make_dataset("gaussians", seed=0, mean=m, cov=c)
    grid = perceptron_sweep(args.means, args.covs, args.seeds, args.max_epochs, args.learning_rate)
    print(format_grid(grid, args.seeds))
    return 0


def format_grid(grid: PerceptronSweep, n_seeds: int) -> str:
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
    """Runs that differ only in batch size: one line of final figures each, curves as CSV."""
    from model.experiments.comparisons import Comparison, compare_runs

    _check_csv(args.csv)
    config = _experiment_config(args, None)
    from model.training.trainer import build_dataset

    _check_batch_sizes("--batch_sizes", args.batch_sizes, len(build_dataset(config).y_train))
    comparison = compare_runs(config, "batch_size", args.batch_sizes, args.max_steps)
    for run in comparison.runs:
        f = run.final
        line = (
            f"batch_size={run.value}: {_figures(f, config.data.is_regression)}, "
            f"{f.update} updates, {f.seconds:.2f} s"
        )
        if run.stopped_reason:
            line += f" (stopped: {run.stopped_reason})"
        print(line)
    if args.csv:
        return _write_csv(args.csv, Comparison.header(), comparison.rows())
    return 0
