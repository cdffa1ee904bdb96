"""Two-dimensional data sets with a reproducible train/test split.

scikit-learn's generators and splitters are used where they exist; they are imported only
when a data set is made, so the command line and the window start fast. A data set poses a
classification problem (integer classes) or a regression problem (a real target per point,
TensorFlow Playground's ``plane`` and ``multigauss``, model/data/regression.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from model.data import regression as regression_data
from model.limits import (
    MAX_CLASSES,
    MAX_COORDINATE,
    MAX_TARGET,
    NOISE_RANGE,
    SAMPLES_RANGE,
    SEED_RANGE,
    TRAIN_FRACTION_RANGE,
)
from model.numbers import parse_number

CLASSIFICATION, REGRESSION = "classification", "regression"
PROBLEMS = (CLASSIFICATION, REGRESSION)
CLASSIFICATION_DATASETS = ("gaussians", "moons", "circles", "xor", "spiral", "blobs")
REGRESSION_DATASETS = tuple(regression_data.GENERATORS)  # plane, multigauss
DATASETS = CLASSIFICATION_DATASETS + REGRESSION_DATASETS
DEFAULT_SAMPLES = {
    "gaussians": 200,
    "moons": 1000,
    "circles": 1000,
    "xor": 1000,
    "spiral": 1000,
    "blobs": 1000,
    "plane": 1000,
    "multigauss": 1000,
}
DEFAULT_NOISE = {
    "gaussians": 0.0,
    "moons": 0.1,
    "circles": 0.1,
    "xor": 0.1,
    "spiral": 0.1,
    "blobs": 1.0,
    "plane": 0.0,  # TensorFlow Playground's default; noise moves where the target is read
    "multigauss": 0.0,
}
# Each data set's own parameters: name -> (default, low, high, integer?).
EXTRA_PARAMS: dict[str, dict[str, tuple[float, float, float, bool]]] = {
    "gaussians": {"mean": (2.0, 0.0, 1000.0, False), "cov": (1.0, 1e-6, 1000.0, False)},
    "moons": {},
    "circles": {"factor": (0.5, 0.05, 0.95, False)},
    "xor": {},
    "spiral": {"n_classes": (2, 2, MAX_CLASSES, True), "turns": (1.5, 0.25, 4.0, False)},
    "blobs": {"n_classes": (3, 2, MAX_CLASSES, True)},
    "plane": {},
    "multigauss": {},
}


def dataset_problem(name: str) -> str:
    """The problem a built-in data set poses: regression for plane and multigauss."""
    return REGRESSION if name in REGRESSION_DATASETS else CLASSIFICATION


def check_problem(problem: str) -> str:
    """``problem`` itself if it is one of PROBLEMS, else a ValueError naming them."""
    if problem not in PROBLEMS:
        raise ValueError(f"problem must be one of {', '.join(PROBLEMS)}, got {problem!r}")
    return problem


def datasets_for(problem: str) -> tuple[str, ...]:
    """The built-in data sets of ``problem``, in the order a list shows them."""
    return REGRESSION_DATASETS if problem == REGRESSION else CLASSIFICATION_DATASETS


@dataclass(frozen=True)
class Dataset:
    """Train and test points with their targets.

    Classification: integer class labels 0 .. n_classes-1 (int64). Regression
    (``problem == REGRESSION``, ``is_regression``): a real target per point (float64), and
    ``n_classes`` is 0, so nothing counts classes that are not there.
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    n_classes: int
    name: str
    params: dict = field(default_factory=dict)
    class_names: tuple[str, ...] = ()  # as in the user's file; empty: "0", "1", ...
    problem: str = CLASSIFICATION

    @property
    def is_regression(self) -> bool:
        return self.problem == REGRESSION

    def label_names(self) -> tuple[str, ...]:
        """The classes' names (none for regression)."""
        return self.class_names or tuple(str(k) for k in range(self.n_classes))

    def value_range(self) -> tuple[float, float]:
        """A regression colour bar's range, ``(-m, m)`` with ``m`` the largest target's size:
        symmetric, so 0 is its middle colour, and every point's target lies within it."""
        y = self.y_all
        m = float(np.max(np.abs(y))) if len(y) else 0.0
        return (-m, m) if m > 0 else (-1.0, 1.0)

    @property
    def y_all(self) -> np.ndarray:
        return np.concatenate([self.y_train, self.y_test])

    @property
    def X_all(self) -> np.ndarray:
        return np.vstack([self.X_train, self.X_test])

    def extent(
        self, margin: float = 0.15, aspect: float | None = None
    ) -> tuple[float, float, float, float]:
        """(x_min, x_max, y_min, y_max) around every point, padded by a fraction of the span.

        ``aspect`` (width / height of the view that shows it): the shorter side is widened,
        about the data's centre, so that one data unit is equally long in x and y there.
        """
        X = self.X_all
        lo, hi = X.min(axis=0), X.max(axis=0)
        pad = np.maximum((hi - lo) * margin, 1e-3)
        lo, hi = lo - pad, hi + pad
        if aspect is not None and np.isfinite(aspect) and aspect > 0:
            centre, span = (lo + hi) / 2, hi - lo
            span = np.maximum(span, np.array([span[1] * aspect, span[0] / aspect]))
            lo, hi = centre - span / 2, centre + span / 2
        return (float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1]))


def make_dataset(
    name: str,
    *,
    n_samples: int | None = None,
    noise: float | None = None,
    train_fraction: float = 0.8,
    seed: int = 0,
    **params: float,
) -> Dataset:
    """Generate data set ``name`` and split it from ``seed`` (stratified by class, except for
    regression, which has none).

    ``gaussians`` places two isotropic Gaussians at (mean, mean) and (-mean, -mean) with
    per-axis variance ``cov``; ``noise`` is not used there.
    """
    if name not in DATASETS:
        raise ValueError(f"dataset must be one of {', '.join(DATASETS)}, got {name!r}")
    n_samples = DEFAULT_SAMPLES[name] if n_samples is None else n_samples
    noise = DEFAULT_NOISE[name] if noise is None else noise
    n_samples = parse_number(n_samples, int, "n_samples", *SAMPLES_RANGE)
    noise = parse_number(noise, float, "noise", *NOISE_RANGE)
    train_fraction = parse_number(train_fraction, float, "train_fraction", *TRAIN_FRACTION_RANGE)
    seed = parse_number(seed, int, "seed", *SEED_RANGE)
    allowed = EXTRA_PARAMS[name]
    for key in params:
        if key not in allowed:
            options = ", ".join(allowed) or "none"
            raise ValueError(f"{name} has no parameter {key!r} (its parameters: {options})")
    values = {
        key: parse_number(params.get(key, spec[0]), int if spec[3] else float, key, *spec[1:3])
        for key, spec in allowed.items()
    }
    X, y = _GENERATORS[name](n_samples, noise, seed, **values)
    problem = dataset_problem(name)
    regression = problem == REGRESSION
    n_classes = 0 if regression else int(y.max()) + 1
    from sklearn.model_selection import train_test_split

    try:
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, train_size=train_fraction, random_state=seed, stratify=None if regression else y
        )
    except ValueError:
        raise ValueError(
            f"n_samples={n_samples} is too few to split {train_fraction:g} / "
            f"{1 - train_fraction:g} with every one of the {n_classes} classes on both sides"
        ) from None

    target = np.float64 if regression else np.int64
    arrays = [
        np.ascontiguousarray(X_train, dtype=np.float64),
        y_train.astype(target),
        np.ascontiguousarray(X_test, dtype=np.float64),
        y_test.astype(target),
    ]
    for array in arrays:  # shared with the drawing thread and cached by identity: never edited
        array.setflags(write=False)
    recorded = {
        "n_samples": n_samples,
        "noise": noise,
        "train_fraction": train_fraction,
        "seed": seed,
        **values,
    }
    return Dataset(*arrays, n_classes, name, recorded, problem=problem)


CUSTOM = "custom"
# The largest coordinate a point may have: the grid, the view and the model stay finite
# (1e308 is a float, but the view's range from -1e308 to 1e308 is not).


def custom_dataset(
    X: np.ndarray,
    y: np.ndarray,
    train_fraction: float = 0.8,
    seed: int = 0,
    class_names: tuple[str, ...] = (),
    problem: str = CLASSIFICATION,
) -> Dataset:
    """The user's own points, split by a hash of each point's coordinates and the seed.

    A point keeps its side of the split when others are added or removed, so drawing does
    not shuffle the test set. At least one point lies on each side. ``y`` holds classes
    numbered from 0, or for regression a real target per point.
    """
    regression = check_problem(problem) == REGRESSION
    X = np.ascontiguousarray(X, dtype=np.float64).reshape(-1, 2)
    y = np.asarray(y, dtype=np.float64 if regression else np.int64).reshape(-1)
    if len(y) != len(X) or len(y) < 4:
        raise ValueError(f"custom data needs at least 4 labelled points, got {len(y)}")
    if not np.all(np.isfinite(X)):
        raise ValueError("custom data points must be finite numbers")
    if np.abs(X).max() > MAX_COORDINATE:
        raise ValueError(f"custom data coordinates must lie within +-{MAX_COORDINATE:g}")
    if regression:
        if not np.all(np.isfinite(y)) or np.abs(y).max() > MAX_TARGET:
            raise ValueError(f"custom data targets must be numbers within +-{MAX_TARGET:g}")
    elif y.min() < 0 or y.max() >= MAX_CLASSES or len(np.unique(y)) < 2:
        raise ValueError(f"custom data needs 2 to {MAX_CLASSES} classes numbered from 0")
    train_fraction = parse_number(train_fraction, float, "train_fraction", *TRAIN_FRACTION_RANGE)
    seed = parse_number(seed, int, "seed", *SEED_RANGE)
    u = _point_hash_uniform(X, seed)
    train = u < train_fraction
    if train.all():
        train[np.argmax(u)] = False
    if not train.any():
        train[np.argmin(u)] = True
    arrays = [X[train], y[train], X[~train], y[~train]]
    for array in arrays:
        array.setflags(write=False)
    n_classes = 0 if regression else int(y.max()) + 1
    names = tuple(class_names) if len(class_names) == n_classes else ()
    recorded = {"n_samples": len(y), "train_fraction": train_fraction, "seed": seed}
    return Dataset(*arrays, n_classes, CUSTOM, recorded, names, problem)


def _point_hash_uniform(X: np.ndarray, seed: int) -> np.ndarray:
    """A number in [0, 1) per point from its coordinates' bits and the seed (splitmix64)."""

    def mix(z: np.ndarray) -> np.ndarray:
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))

    bits = X.view(np.uint64)
    with np.errstate(over="ignore"):
        h = mix(bits[:, 0] + np.uint64(seed) * np.uint64(0x9E3779B97F4A7C15))
        h = mix(h ^ bits[:, 1])
    return (h >> np.uint64(11)).astype(np.float64) / 2.0**53


def _gaussians(n, noise, seed, mean, cov):
    rng = np.random.default_rng(seed)
    per_class = n // 2
    std = math.sqrt(cov)
    X = np.vstack(
        [
            rng.normal(mean, std, size=(per_class, 2)),
            rng.normal(-mean, std, size=(n - per_class, 2)),
        ]
    )
    y = np.repeat([0, 1], [per_class, n - per_class])
    return X, y


def _moons(n, noise, seed):
    from sklearn.datasets import make_moons

    return make_moons(n_samples=n, noise=noise, random_state=seed)


def _circles(n, noise, seed, factor):
    from sklearn.datasets import make_circles

    return make_circles(n_samples=n, noise=noise, factor=factor, random_state=seed)


def _xor(n, noise, seed):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.0, 1.0, size=(n, 2))
    y = ((X[:, 0] > 0) ^ (X[:, 1] > 0)).astype(np.int64)
    # Push points away from the axes a little so the four quadrants read clearly, then jitter.
    X += np.sign(X) * 0.1
    X += rng.normal(0.0, noise, size=X.shape)
    return X, y


def _spiral(n, noise, seed, n_classes, turns):
    rng = np.random.default_rng(seed)
    counts = np.full(n_classes, n // n_classes)
    counts[: n % n_classes] += 1
    points, labels = [], []
    for k, count in enumerate(counts):
        r = np.linspace(0.05, 1.0, count)
        theta = r * turns * 2 * np.pi + 2 * np.pi * k / n_classes
        xy = np.column_stack([r * np.sin(theta), r * np.cos(theta)])
        points.append(xy + rng.normal(0.0, noise * 0.5, size=xy.shape))
        labels.append(np.full(count, k))
    return np.vstack(points), np.concatenate(labels)


def _blobs(n, noise, seed, n_classes):
    from sklearn.datasets import make_blobs

    return make_blobs(
        n_samples=n,
        centers=n_classes,
        cluster_std=max(noise, 1e-3),
        center_box=(-6.0, 6.0),
        random_state=seed,
    )


_GENERATORS = {
    "gaussians": _gaussians,
    "moons": _moons,
    "circles": _circles,
    "xor": _xor,
    "spiral": _spiral,
    "blobs": _blobs,
    **regression_data.GENERATORS,
}


def bayes_accuracy(mean: float, cov: float) -> float:
    """Best accuracy any classifier can reach on the two Gaussians: ``Phi(|m1 - m2| / 2 sigma)``.

    With centres (m, m) and (-m, -m), ``|m1 - m2| = 2 sqrt(2) |m|`` and ``sigma = sqrt(cov)``.
    """
    z = math.sqrt(2.0) * abs(mean) / math.sqrt(cov)
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))
