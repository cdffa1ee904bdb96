"""``main.py landscape``: train the run ``main.py train`` would, then write a slice of the
training loss around the final weights (grid CSV, path CSV, PNG) and say what it shows."""

from __future__ import annotations

import argparse
import sys

import numpy as np

from cli.run_commands import _check_csv, _write_csv, build_run, train_epochs


def cmd_landscape(args: argparse.Namespace) -> int:
    """One line: the loss at the centre (the final training loss) and the plane's share of
    the path's variance; the files asked for."""
    from model.landscape.slices import (
        SliceEvaluator,
        flat_parameters,
        path_around,
        pca_plane,
        random_plane,
        training_loss,
    )

    for flag in ("csv", "path_csv", "png"):
        _check_csv(getattr(args, flag), f"--{flag}")
    trainer = build_run(args)
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
        status = _write_csv(args.csv, ["a", "b", "loss"], rows) or status
    if args.path_csv:
        rows = [
            (int(u), float(ab[0]), float(ab[1]), float(value))
            for u, ab, value in zip(updates, path, path_loss, strict=True)
        ]
        status = _write_csv(args.path_csv, ["update", "a", "b", "loss"], rows) or status
    if args.png:
        status = _write_png(args.png, loss, path, args.span) or status
    return status


def _write_png(path: str, loss: np.ndarray, points: np.ndarray, span: float) -> int:
    from model.io.safe_files import write_atomic
    from model.landscape.image import landscape_png

    try:
        write_atomic(path, landscape_png(loss, points, span))
    except OSError as error:
        print(f"cannot write {path}: {error.strerror or error}", file=sys.stderr)
        return 1
    return 0
