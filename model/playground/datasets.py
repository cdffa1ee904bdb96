"""TensorFlow Playground's data (src/dataset.ts and playground.ts ``generateData``), drawn
from its random stream in its order: the points, then the shuffle, then the split by
``percTrainData``.

Each generator is a line-for-line port: the same draws in the same order and the same
arithmetic (d3's linear scales written out as d3 3.5 computes them), so the points are
Playground's to the last bit or two. Playground's noise moves the point at which a label is
read, not the point (except for the spiral and the Gaussians, where it moves the point).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from model.playground.config import PlaygroundConfig
from model.playground.random_stream import PlaygroundRandom

Example = tuple[float, float, float]  # x, y, label
Generator = Callable[[PlaygroundRandom, int, float], list[Example]]


def _linear(domain: tuple[float, float], range_: tuple[float, float], clamp: bool = False):
    """d3 3.5's ``d3.scale.linear().domain(domain).range(range_)``, with its arithmetic."""
    a, b = domain[0], domain[1] - domain[0]
    r0, r1 = range_

    def scale(x: float) -> float:
        t = (x - a) / b
        if clamp:
            t = max(0.0, min(1.0, t))
        return r0 * (1 - t) + r1 * t

    return scale


def _dist(x: float, y: float, cx: float, cy: float) -> float:
    dx = x - cx
    dy = y - cy
    return math.sqrt(dx * dx + dy * dy)


def _normal(rng: PlaygroundRandom, mean: float, variance: float) -> float:
    """dataset.ts ``normalRandom``: the polar Box-Muller method, keeping one of the pair."""
    while True:
        v1 = 2 * rng.random() - 1
        v2 = 2 * rng.random() - 1
        s = v1 * v1 + v2 * v2
        if not s > 1:
            break
    result = math.sqrt(-2 * math.log(s) / s) * v1
    return mean + math.sqrt(variance) * result


def classify_two_gauss(rng: PlaygroundRandom, n: int, noise: float) -> list[Example]:
    """Two Gaussians at (2, 2) (label 1) and (-2, -2) (label -1); variance 0.5 to 4 as the
    noise goes from 0 to 0.5."""
    variance = _linear((0, 0.5), (0.5, 4))(noise)
    points: list[Example] = []
    for cx, cy, label in ((2, 2, 1.0), (-2, -2, -1.0)):
        i = 0
        while i < n / 2:
            x = _normal(rng, cx, variance)
            y = _normal(rng, cy, variance)
            points.append((x, y, label))
            i += 1
    return points


def regress_plane(rng: PlaygroundRandom, n: int, noise: float) -> list[Example]:
    """Targets (x + y) / 10 on the square of side 12, read at a point moved by the noise."""
    radius = 6
    label_scale = _linear((-10, 10), (-1, 1))
    points: list[Example] = []
    for _ in range(n):
        x = rng.uniform(-radius, radius)
        y = rng.uniform(-radius, radius)
        noise_x = rng.uniform(-radius, radius) * noise
        noise_y = rng.uniform(-radius, radius) * noise
        points.append((x, y, label_scale((x + noise_x) + (y + noise_y))))
    return points


_GAUSSIANS = ((-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1))


def regress_gaussian(rng: PlaygroundRandom, n: int, noise: float) -> list[Example]:
    """Six bumps of alternating sign; the target is the bump largest in absolute value."""
    label_scale = _linear((0, 2), (1, 0), clamp=True)

    def label_at(x: float, y: float) -> float:
        label = 0.0
        for cx, cy, sign in _GAUSSIANS:
            new_label = sign * label_scale(_dist(x, y, cx, cy))
            if abs(new_label) > abs(label):
                label = new_label
        return label

    radius = 6
    points: list[Example] = []
    for _ in range(n):
        x = rng.uniform(-radius, radius)
        y = rng.uniform(-radius, radius)
        noise_x = rng.uniform(-radius, radius) * noise
        noise_y = rng.uniform(-radius, radius) * noise
        points.append((x, y, label_at(x + noise_x, y + noise_y)))
    return points


def classify_spiral(rng: PlaygroundRandom, n: int, noise: float) -> list[Example]:
    """Two spirals of 1.75 turns out to radius 5; the noise moves the points."""
    points: list[Example] = []
    half = n / 2
    for delta_t, label in ((0.0, 1.0), (math.pi, -1.0)):
        i = 0
        while i < half:
            r = i / half * 5
            t = 1.75 * i / half * 2 * math.pi + delta_t
            x = r * math.sin(t) + rng.uniform(-1, 1) * noise
            y = r * math.cos(t) + rng.uniform(-1, 1) * noise
            points.append((x, y, label))
            i += 1
    return points


def classify_circle(rng: PlaygroundRandom, n: int, noise: float) -> list[Example]:
    """A disc of radius 2.5 (label 1) in a ring from 3.5 to 5 (label -1); the label is read
    at a point moved by the noise."""
    radius = 5
    points: list[Example] = []
    for r_low, r_high in ((0, radius * 0.5), (radius * 0.7, radius)):
        i = 0
        while i < n / 2:
            r = rng.uniform(r_low, r_high)
            angle = rng.uniform(0, 2 * math.pi)
            x = r * math.sin(angle)
            y = r * math.cos(angle)
            noise_x = rng.uniform(-radius, radius) * noise
            noise_y = rng.uniform(-radius, radius) * noise
            inside = _dist(x + noise_x, y + noise_y, 0, 0) < radius * 0.5
            points.append((x, y, 1.0 if inside else -1.0))
            i += 1
    return points


def classify_xor(rng: PlaygroundRandom, n: int, noise: float) -> list[Example]:
    """Points in +-5 kept 0.3 off the axes; the label is the sign of x * y at a point moved
    by the noise."""
    points: list[Example] = []
    padding = 0.3
    for _ in range(n):
        x = rng.uniform(-5, 5)
        x += padding if x > 0 else -padding
        y = rng.uniform(-5, 5)
        y += padding if y > 0 else -padding
        noise_x = rng.uniform(-5, 5) * noise
        noise_y = rng.uniform(-5, 5) * noise
        points.append((x, y, 1.0 if (x + noise_x) * (y + noise_y) >= 0 else -1.0))
    return points


GENERATORS: dict[str, Generator] = {
    "circle": classify_circle,
    "xor": classify_xor,
    "gauss": classify_two_gauss,
    "spiral": classify_spiral,
    "reg-plane": regress_plane,
    "reg-gauss": regress_gaussian,
}


def shuffle_order(rng: PlaygroundRandom, n: int) -> list[int]:
    """dataset.ts ``shuffle`` (Fisher-Yates from the end) applied to 0..n-1: the original
    index of each shuffled point."""
    order = list(range(n))
    counter = n
    while counter > 0:
        index = math.floor(rng.random() * counter)
        counter -= 1
        order[counter], order[index] = order[index], order[counter]
    return order


@dataclass(frozen=True)
class PlaygroundData:
    """Playground's training and test points, in its order; labels +-1 for classification,
    the target for regression."""

    train_points: np.ndarray  # (n_train, 2)
    train_labels: np.ndarray  # (n_train,)
    test_points: np.ndarray
    test_labels: np.ndarray


def generate_data(config: PlaygroundConfig, rng: PlaygroundRandom) -> PlaygroundData:
    """playground.ts ``generateData``: the points from the stream, shuffled, split."""
    examples = GENERATORS[config.data_name](rng, config.n_samples, config.noise / 100)
    order = shuffle_order(rng, len(examples))
    table = np.array([examples[k] for k in order], dtype=float).reshape(-1, 3)
    split = math.floor(len(examples) * config.perc_train_data / 100)
    return PlaygroundData(
        train_points=table[:split, :2].copy(),
        train_labels=table[:split, 2].copy(),
        test_points=table[split:, :2].copy(),
        test_labels=table[split:, 2].copy(),
    )
