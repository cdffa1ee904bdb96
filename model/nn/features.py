"""Input features: what the network sees of a point (x1, x2), as in TensorFlow Playground.

The data stay two-dimensional; a model built with features maps each row through
``feature_map`` before its first layer, so every evaluation (training, the boundary grid, the
network view, exports) sees the same inputs. The spellings are the command line's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

FEATURES: dict[str, tuple[str, Callable[[np.ndarray, np.ndarray], np.ndarray]]] = {
    "x1": ("x1", lambda x1, x2: x1),
    "x2": ("x2", lambda x1, x2: x2),
    "x1sq": ("x1²", lambda x1, x2: x1 * x1),
    "x2sq": ("x2²", lambda x1, x2: x2 * x2),
    "x1x2": ("x1·x2", lambda x1, x2: x1 * x2),
    "sinx1": ("sin(x1)", lambda x1, x2: np.sin(x1)),
    "sinx2": ("sin(x2)", lambda x1, x2: np.sin(x2)),
}
FEATURE_NAMES = tuple(FEATURES)
DEFAULT_FEATURES = ("x1", "x2")


def check_features(names: Sequence[str]) -> tuple[str, ...]:
    """The chosen features in the canonical order; ValueError naming the allowed ones."""
    if isinstance(names, str):
        names = [names]
    chosen = set()
    for name in names:
        if name not in FEATURES:
            raise ValueError(f"unknown feature {name!r} (the features: {', '.join(FEATURE_NAMES)})")
        chosen.add(name)
    if not chosen:
        raise ValueError(f"choose at least one feature of {', '.join(FEATURE_NAMES)}")
    return tuple(name for name in FEATURE_NAMES if name in chosen)


def feature_label(name: str) -> str:
    """How a feature is written for people: ``x1²`` for ``x1sq``."""
    return FEATURES[name][0]


def feature_map(X: np.ndarray, names: Sequence[str]) -> np.ndarray:
    """The (n, len(names)) inputs the network sees for the (n, 2) points ``X``.

    The plain x1, x2 come back as ``X`` itself (no copy) when they are all that is chosen.
    """
    names = tuple(names)
    if names == DEFAULT_FEATURES:
        return X
    x1, x2 = X[:, 0], X[:, 1]
    out = np.empty((len(X), len(names)), dtype=np.float64)
    for column, name in enumerate(names):
        out[:, column] = FEATURES[name][1](x1, x2)
    return out


class FeatureInputs:
    """A model's feature map, remembering the last read-only training batch it mapped.

    Full-batch training gives the model the very same read-only array every update (the
    Trainer's training set): its features are then computed once, and handed on read-only,
    so the fused pass keeps its copy of them too. Plain x1, x2 pass straight through.
    """

    def __init__(self, names: Sequence[str]) -> None:
        self.names = check_features(names)
        self.plain = self.names == DEFAULT_FEATURES
        self._source: np.ndarray | None = None
        self._mapped: np.ndarray | None = None

    def __call__(self, X: np.ndarray) -> np.ndarray:
        """The features of the points ``X`` (``X`` itself for plain x1, x2)."""
        return X if self.plain else feature_map(X, self.names)

    def training_batch(self, X: np.ndarray) -> np.ndarray:
        """As calling it, but a read-only batch seen last time is not mapped again."""
        if self.plain:
            return X
        if X is self._source:
            return self._mapped
        mapped = feature_map(X, self.names)
        if not X.flags.writeable:
            mapped.setflags(write=False)
            self._source, self._mapped = X, mapped
        return mapped
