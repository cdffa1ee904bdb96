"""``main.py landscape``: train the run ``main.py train`` would, then write a slice of the
training loss around the final weights (grid CSV, path CSV, a PNG figure, the plane's
directions) and say what it shows.

A slice costs about one multiply-add per grid point x parameter x training point: a run over
LANDSCAPE_MAX_WORK is refused before it trains, and a slice that takes a while says on stderr
how far it is.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

from cli.experiment_config import run_config
from cli.flags import UsageError, within
from cli.output_files import check_output_path, write_csv, write_file
from cli.run_flags import add_run_flags
from cli.training_run import build_run, train_epochs
from model.limits import (
    LANDSCAPE_MAX_WORK,
    LANDSCAPE_RESOLUTION_DEFAULT,
    LANDSCAPE_RESOLUTION_RANGE,
    LANDSCAPE_SPAN_DEFAULT,
    LANDSCAPE_SPAN_RANGE,
)
from model.numbers import bound_text

if TYPE_CHECKING:  # imported by the command itself, when it runs
    from model.config import ExperimentConfig

OUTPUT_FLAGS = ("csv", "path_csv", "png", "directions")
PROGRESS_QUIET = 1.0  # seconds: a slice done sooner says nothing on stderr
PROGRESS_EVERY = 0.25  # seconds between updates of the progress line on a terminal
PROGRESS_LOG_EVERY = 10.0  # seconds between progress lines when stderr is not a terminal


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
    landscape.add_argument(
        "--directions",
        default=None,
        metavar="PATH.npz",
        help="the centre and both directions by layer, as NumPy arrays: W0, b0, W1, b1, ... "
        "(the final weights, each W (in, out)), aW0, ab0, ... (direction 1), bW0, bb0, ... "
        "(direction 2)",
    )
    landscape.add_argument(
        "--include_biases",
        action="store_true",
        help="random plane: scale each neuron's bias with its incoming weights, as one "
        "filter (default, as Li et al. 2018: the weights alone, the biases' directions 0)",
    )
    return landscape


def check_work(config: ExperimentConfig, resolution: int) -> None:
    """UsageError, on one line naming the product and the limit, if the slice (the grid and
    at most the whole recorded path, each point a pass over the training set) would cost
    more than LANDSCAPE_MAX_WORK multiply-adds; said before the run trains."""
    from model.training.snapshots import snapshot_limit
    from model.training.trainer import build_dataset, build_model

    dataset = build_dataset(config)
    parameters = build_model(config, dataset).parameter_pairs()[0][0].size
    samples = len(dataset.y_train)
    grid = resolution * resolution
    path = snapshot_limit(parameters) + 1  # the most points the path can have, the end included
    work = (grid + path) * parameters * samples
    if work > LANDSCAPE_MAX_WORK:
        raise UsageError(
            f"main.py landscape: {grid + path:,} points ({grid:,} on the grid, up to {path:,} "
            f"on the path) x {parameters:,} parameters x {samples:,} training points = "
            f"{work:.2g} multiply-adds, more than the limit of {LANDSCAPE_MAX_WORK:.0e}: lower "
            "--resolution, --n_samples or --dnn_hidden_units"
        )


class Progress:
    """How much of the slice is computed, on stderr: on a terminal one line rewritten in
    place and wiped at the end; elsewhere (a log) a line every PROGRESS_LOG_EVERY seconds.
    Nothing for a slice done within PROGRESS_QUIET seconds."""

    def __init__(
        self, total: int, stream: TextIO | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.total, self.stream, self.clock = total, stream or sys.stderr, clock
        self.terminal = self.stream.isatty()
        self.started = self.last = clock()
        self.shown = False

    def __call__(self, done: int) -> None:
        now = self.clock()
        every = PROGRESS_EVERY if self.terminal else PROGRESS_LOG_EVERY
        if now - self.started < max(PROGRESS_QUIET, every) or now - self.last < every:
            return
        self.last, elapsed = now, now - self.started
        left = f", about {_duration(elapsed * (self.total - done) / done)} left" if done else ""
        text = (
            f"landscape: {done:,} of {self.total:,} points computed ({done / self.total:.0%}) "
            f"in {_duration(elapsed)}{left}"
        )
        self.stream.write(f"\r{text}\x1b[K" if self.terminal else f"{text}\n")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        """Wipe the terminal's progress line, so the result line stands alone."""
        if self.terminal and self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def _duration(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.0f} min"


def _check_flags(args: argparse.Namespace) -> None:
    if args.include_biases and args.plane != "random":
        raise UsageError("main.py landscape: --include_biases is for --plane random")
    if args.directions is not None and not args.directions.lower().endswith(".npz"):
        raise UsageError(
            f"--directions: {args.directions} does not end in .npz (the file is NumPy's npz)"
        )


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

    _check_flags(args)
    for flag in OUTPUT_FLAGS:
        check_output_path(getattr(args, flag), f"--{flag}")
    config = run_config(args)
    check_work(config, args.resolution)
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
        plane = random_plane(model, np.random.default_rng(args.seed), args.include_biases)
    evaluator = SliceEvaluator(model, dataset, centre, plane, args.span, args.resolution)
    grid = evaluator.loss.size
    progress = Progress(grid + len(snapshots))
    try:
        while not evaluator.advance(PROGRESS_EVERY / 2):
            progress(round(evaluator.progress * grid))
        path_loss = []
        for row in snapshots:
            path_loss.append(training_loss(model, dataset, row))
            progress(grid + len(path_loss))
    finally:
        progress.close()
    loss = evaluator.loss
    path = path_around(plane, snapshots, centre)
    middle = len(evaluator.a) // 2
    if args.plane == "pca":
        what = f"the PCA plane holds {plane.explained:.1%} of the path's variance"
    elif args.include_biases:
        what = "two random filter-normalised directions (each neuron's bias in its filter)"
    else:
        what = "two random filter-normalised directions (biases not moved, as Li et al.)"
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
    if args.directions:
        status = write_file(args.directions, directions_npz(model, centre, plane)) or status
    return status


def directions_npz(model, centre, plane) -> bytes:
    """The centre and the plane's directions by layer (model/landscape/slices.py
    ``plane_arrays``) as the bytes of an npz file, so the write can be atomic."""
    import io

    import numpy as np

    from model.landscape.slices import plane_arrays

    buffer = io.BytesIO()
    np.savez(buffer, **plane_arrays(model, centre, plane))
    return buffer.getvalue()


def describe_run(config: ExperimentConfig, batch_size: int) -> str:
    """The run in one line for the figure's title: data, network, optimizer, batch."""
    data, model, train = config.data, config.model, config.train
    hidden = "-".join(map(str, model.hidden)) or "none"
    batch = "full batch" if train.batch_size is None else f"batch {batch_size}"
    return (
        f"{data.name} data, hidden {hidden}, {model.activation}, {train.optimizer}, "
        f"learning rate {train.learning_rate:g}, {batch}"
    )
