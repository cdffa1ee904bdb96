"""TensorFlow Playground's two regression data sets: a tilted plane and six Gaussian bumps.

As in its ``dataset.ts``: points are uniform over the square [-6, 6]^2, and the target is
read at the point moved by ``noise`` times a uniform offset in [-6, 6] on each axis (so
noise blurs the target, not the position). ``plane`` is ``(x1 + x2) / 10``; ``multigauss``
takes, of six bumps ``sign * max(0, 1 - d / 2)`` at fixed centres (d the distance to the
centre), the one largest in magnitude. Without noise the targets lie within [-1.2, 1.2]
(plane) and [-1, 1] (multigauss).
"""

from __future__ import annotations

import numpy as np

RADIUS = 6.0
# (x, y, sign) of each bump: the top row +, -, +, the bottom row -, +, -.
BUMPS = np.array(
    [
        [-4.0, 2.5, 1.0],
        [0.0, 2.5, -1.0],
        [4.0, 2.5, 1.0],
        [-4.0, -2.5, -1.0],
        [0.0, -2.5, 1.0],
        [4.0, -2.5, -1.0],
    ]
)
BUMP_RADIUS = 2.0  # a bump falls linearly from 1 at its centre to 0 at this distance


def _points_and_readings(n: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The points, and where each one's target is read (the point moved by the noise)."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-RADIUS, RADIUS, size=(n, 2))
    return X, X + rng.uniform(-RADIUS, RADIUS, size=(n, 2)) * noise


def plane(n: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A linear target, ``(x1 + x2) / 10``: one output unit without hidden layers fits it."""
    X, at = _points_and_readings(n, noise, seed)
    return X, (at[:, 0] + at[:, 1]) / 10.0


def multigauss(n: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Six bumps of alternating sign: the target is the strongest bump at each point."""
    X, at = _points_and_readings(n, noise, seed)
    distance = np.hypot(at[:, None, 0] - BUMPS[:, 0], at[:, None, 1] - BUMPS[:, 1])
    heights = BUMPS[:, 2] * np.clip(1.0 - distance / BUMP_RADIUS, 0.0, 1.0)
    strongest = np.argmax(np.abs(heights), axis=1)  # the first of equals, as dataset.ts keeps
    return X, heights[np.arange(n), strongest]


GENERATORS = {"plane": plane, "multigauss": multigauss}
