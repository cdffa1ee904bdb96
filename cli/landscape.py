"""``main.py landscape``: train the run ``main.py train`` would, then write a slice of the
training loss around the final weights (grid CSV, path CSV, a PNG figure) and say what it
shows."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from cli.experiment_config import run_config
from cli.flags import within
from cli.output_files import check_output_path, write_csv, write_file
from cli.run_flags import add_run_flags
from cli.training_run import build_run, train_epochs
from model.limits import (
    LANDSCAPE_RESOLUTION_DEFAULT,
    LANDSCAPE_RESOLUTION_RANGE,
    LANDSCAPE_SPAN_DEFAULT,
    LANDSCAPE_SPAN_RANGE,
)
from model.numbers import bound_text

if TYPE_CHECKING:  # imported by the command itself, when it runs
    from model.config import ExperimentConfig

OUTPUT_FLAGS = ("csv", "path_csv", "png")


def _odd_resolution(text: str) -> int:
    """--resolution: whole, within LANDSCAPE_RESOLUTION_RANGE, and odd, so that the grid's
    middle point is the final weights (an even number is refused, not silently changed)."""
    resolution = within(LANDSCAPE_RESOLUTION_RANGE)(text)
    if resolution % 2 == 0:
        raise argparse.ArgumentTypeError(
            f"{text!r} is even: the grid needs a middle, use {resolution - 1} or {resolution + 1}"
        )
    return resolution


def add_parser(subcommands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """The ``landscape`` subcommand: train's flags, the plane and the files to write."""
    landscape = subcommands.add_parser(
        "landscape",
        help="train as train does, then write a slice of the loss around the final weights",
        description="Trains the run as train does (same flags), then computes the training loss "
        "on a plane through the final weights: L(final + a d1 + b d2).",
    )
    add_run_flags(landscape)
    landscape.add_argument(
        "--plane",
        choices=("pca", "random"),
        default="pca",
        help="pca: the path's two principal directions; random: two filter-normalised ones",
    )
    low, high = LANDSCAPE_RESOLUTION_RANGE
    landscape.add_argument(
        "--resolution",
        type=_odd_resolution,
        default=LANDSCAPE_RESOLUTION_DEFAULT,
        help=f"grid points per side, an odd number from {low} to {high} (the grid has a "
        "middle: the final weights)",
    )
    low, high = LANDSCAPE_SPAN_RANGE
    landscape.add_argument(
        "--span",
        type=within(LANDSCAPE_SPAN_RANGE),
        default=LANDSCAPE_SPAN_DEFAULT,
        help=f"a and b run -S to S, S from {bound_text(low)} to {bound_text(high)}",
    )
    landscape.add_argument("--csv", default=None, metavar="PATH", help="the grid: a,b,loss")
    landscape.add_argument(
        "--path_csv", default=None, metavar="PATH", help="the path: update,a,b,loss"
    )
    landscape.add_argument(
        "--png", default=None, metavar="PATH", help="the map and the path as a PNG figure"
    )
    return landscape


def run(args: argparse.Namespace) -> int:
    """One line: the loss at the centre (the final training loss) and the plane's share of
    the path's variance; the files asked for."""
    import numpy as np

    from model.landscape.slices import (
        SliceEvaluator,
        flat_parameters,
        path_around,
        pca_plane,
        random_plane,
        training_loss,
    )

    for flag in OUTPUT_FLAGS:
        check_output_path(getattr(args, flag), f"--{flag}")
    config = run_config(args)
    trainer = build_run(args, config)
    status = train_epochs(args, trainer, say=False)
    if status:
        return status
    model, dataset = trainer.model, trainer.dataset
    final = trainer.evaluate()
    centre = flat_parameters(model)
    updates, snapshots = trainer.weight_snapshots
    if not updates or updates[-1] != trainer.updates:  # the path ends at the final weights
        updates, snapshots = [*updates, trainer.updates], np.vstack([snapshots, centre])
    if args.plane == "pca":
        plane = pca_plane(snapshots, centre)
    else:
        plane = random_plane(model, np.random.default_rng(args.seed))
    evaluator = SliceEvaluator(model, dataset, centre, plane, args.span, args.resolution)
    loss = evaluator.compute()
    path = path_around(plane, snapshots, centre)
    path_loss = [training_loss(model, dataset, row) for row in snapshots]
    middle = len(evaluator.a) // 2
    if args.plane == "pca":
        what = f"the PCA plane holds {plane.explained:.1%} of the path's variance"
    else:
        what = "two random filter-normalised directions"
    print(
        f"Centre (0, 0): train loss {loss[middle, middle]:.6f} after {trainer.updates} "
        f"updates (train reports {final.train_loss:.6f}); {what}; "
        f"{len(updates)} path points, {loss.size} grid points"
    )
    if args.csv:
        rows = [
            (float(a), float(b), float(loss[i, j]))
            for i, b in enumerate(evaluator.b)
            for j, a in enumerate(evaluator.a)
        ]
        status = write_csv(args.csv, ["a", "b", "loss"], rows) or status
    if args.path_csv:
        rows = [
            (int(u), float(ab[0]), float(ab[1]), float(value))
            for u, ab, value in zip(updates, path, path_loss, strict=True)
        ]
        status = write_csv(args.path_csv, ["update", "a", "b", "loss"], rows) or status
    if args.png:
        from cli.landscape_figure import LandscapePicture, landscape_png

        picture = LandscapePicture(
            a=evaluator.a,
            b=evaluator.b,
            loss=loss,
            path=path,
            updates=[int(u) for u in updates],
            plane=args.plane,
            explained=plane.explained,
            loss_name="mean squared error" if dataset.is_regression else "cross-entropy",
            run=describe_run(config, trainer.batch_size),
        )
        status = write_file(args.png, landscape_png(picture)) or status
    return status


def describe_run(config: ExperimentConfig, batch_size: int) -> str:
    """The run in one line for the figure's title: data, network, optimizer, batch."""
    data, model, train = config.data, config.model, config.train
    hidden = "-".join(map(str, model.hidden)) or "none"
    batch = "full batch" if train.batch_size is None else f"batch {batch_size}"
    return (
        f"{data.name} data, hidden {hidden}, {model.activation}, {train.optimizer}, "
        f"learning rate {train.learning_rate:g}, {batch}"
    )
