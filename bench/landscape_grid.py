"""Seconds for one slice of the loss landscape (model/landscape/slices.py), batched against
one point at a time, and the longest single ``advance`` piece.

Run: .venv/bin/python bench/landscape_grid.py [--resolution 41]

For a few networks on moons (1000 points, 800 of them training), after 100 updates: the
whole grid with the batched evaluator, the same grid computed point by point through the
model (``training_loss``; timed on a tenth of the points and scaled), their ratio, the
longest piece when advanced in the window's pieces (``PIECE_SECONDS``, 10 ms: the most a
slice holds the training thread), and ``pca_plane`` on the run's snapshots: from scratch
(a pass over every snapshot) and from the Gram matrix the Trainer keeps (as the window
does). BLAS runs one thread, as beside the window on a 2-core machine.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from model.config import DataConfig, ExperimentConfig, ModelConfig  # noqa: E402
from model.landscape.slices import (  # noqa: E402
    SliceEvaluator,
    flat_parameters,
    pca_plane,
    random_plane,
    training_loss,
)
from model.training.trainer import build_trainer  # noqa: E402

PIECE_SECONDS = 0.010  # gui/workers/landscape_work.py (not imported: it needs Qt)

NETWORKS = {
    "2-20-2": (20,),
    "2-32x3-2 tanh": (32, 32, 32),
    "2-64x6-2": (64,) * 6,
    "2-256x3-2": (256,) * 3,
}


def measure(hidden: tuple[int, ...], resolution: int) -> str:
    activation = "tanh" if hidden == (32, 32, 32) else "relu"
    config = ExperimentConfig(
        DataConfig("moons", n_samples=1000), ModelConfig(hidden=hidden, activation=activation)
    )
    trainer = build_trainer(config, eval_every=5)
    trainer.train(100)
    model, data = trainer.model, trainer.dataset
    centre = flat_parameters(model)
    started = time.perf_counter()
    plane = pca_plane(trainer.weight_snapshots[1], centre)
    pca = time.perf_counter() - started
    _, rows, gram = trainer.snapshots.view()
    started = time.perf_counter()
    pca_plane(rows, centre, gram)
    pca_gram = time.perf_counter() - started
    plane = random_plane(model, np.random.default_rng(0))
    started = time.perf_counter()
    SliceEvaluator(model, data, centre, plane, 1.0, resolution).compute()
    batched = time.perf_counter() - started
    axis = np.linspace(-1, 1, resolution)
    sample = [(a, b) for a in axis[::10] for b in axis]
    started = time.perf_counter()
    for a, b in sample:
        training_loss(model, data, plane.point(a, b))
    single = (time.perf_counter() - started) * resolution**2 / len(sample)
    evaluator = SliceEvaluator(model, data, centre, plane, 1.0, resolution)
    longest = 0.0
    while not evaluator.done:
        started = time.perf_counter()
        evaluator.advance(PIECE_SECONDS)
        longest = max(longest, time.perf_counter() - started)
    return (
        f"{batched:8.3f} s {single:9.3f} s {single / batched:6.1f}x "
        f"{longest * 1000:8.1f} ms {pca * 1000:7.1f} ms {pca_gram * 1000:7.1f} ms"
        f"  ({centre.size} weights)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--resolution", type=int, default=41)
    resolution = parser.parse_args().resolution
    threadpool_limits(limits=1, user_api="blas")
    print(f"{resolution} x {resolution} grid on moons (800 training points)")
    header = (
        f"{'batched':>10} {'per point':>11} {'ratio':>7} {'piece':>11} {'pca':>10}"
        f" {'pca, Gram':>10}"
    )
    print(f"{'network':16} {header}")
    for name, hidden in NETWORKS.items():
        print(f"{name:16} {measure(hidden, resolution)}", flush=True)


if __name__ == "__main__":
    main()
