"""Validated, serialisable configuration records: what an experiment is, as plain data.

A record is checked when it is made (``ValueError`` naming the field and its allowed
range), so whatever holds one holds a valid one. ``to_dict``/``from_dict`` give JSON.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

import numpy as np

from model.data.datasets import (
    CUSTOM,
    DATASETS,
    EXTRA_PARAMS,
    PROBLEMS,
    REGRESSION,
    dataset_problem,
)
from model.limits import (
    BATCH_RANGE,
    EVAL_EVERY_RANGE,
    LEARNING_RATE_RANGE,
    MAX_CLASSES,
    MAX_COORDINATE,
    MAX_LAYERS,
    MAX_TARGET,
    MAX_WIDTH,
    NOISE_RANGE,
    PENALTY_RANGE,
    SAMPLES_RANGE,
    SEED_RANGE,
    TRAIN_FRACTION_RANGE,
)
from model.nn.activations import ACTIVATIONS
from model.nn.features import DEFAULT_FEATURES, check_features
from model.nn.modules import INITIALISATIONS
from model.nn.optimizers import OPTIMIZERS
from model.numbers import parse_number

MODEL_KINDS = ("mlp", "perceptron")
JSON_POINTS = 500  # points of one's own turned into JSON text by one call (under 1 ms)


def _choice(name: str, value: Any, options: tuple[str, ...]) -> str:
    if value not in options:
        raise ValueError(f"{name} must be one of {', '.join(options)}, got {value!r}")
    return value


class PointRows(tuple):
    """The user's own points as checked (x1, x2, class) or (x1, x2, target) tuples, and the
    same rows as one read-only (n, 3) array: a configuration made again from them (every
    panel edit makes one) is not checked row by row again, and the training thread gets its
    arrays without converting 100,000 tuples (tens of milliseconds holding the GIL, which
    the window's thread then waits for). Made only by ``checked_points``."""

    rows: np.ndarray
    problem: str
    classes: int  # the number of classes (labels 0..classes-1); 0 for regression

    def __reduce__(self):
        """Pickled (to another process) as plain rows, checked again as they are read."""
        return (checked_points, (tuple(self), self.problem))

    def __copy__(self) -> PointRows:
        return self  # immutable

    def __deepcopy__(self, memo: dict) -> PointRows:
        return self

    def json_text(self) -> str:
        """The rows as the JSON list ``json.dumps([list(row) for row in self])`` writes,
        made once (about 0.3 s for 100,000 rows) and kept: the points never change, and the
        window remembers its configuration as it closes (it makes this text early, in the
        thread that read the file). Written a few hundred rows per call: one call for
        100,000 of them holds the GIL for about 0.1 s, in which a thread saving a session
        stops the window's thread; a piece holds it for under a millisecond."""
        text = self.__dict__.get("_json_text")
        if text is None:
            pieces = (
                json.dumps([list(row) for row in self[start : start + JSON_POINTS]])[1:-1]
                for start in range(0, len(self), JSON_POINTS)
            )
            text = f"[{', '.join(pieces)}]"
            self.__dict__["_json_text"] = text
        return text


def checked_points(points: Any, problem: str) -> PointRows:
    """``points`` (rows of x1, x2 and a class, or for regression a target) checked for
    ``problem``, vectorised; ValueError saying what is wrong. Points checked before for the
    same problem are returned as they are."""
    if isinstance(points, PointRows) and points.problem == problem:
        return points
    try:
        rows = np.array(points, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError("custom points must be rows of x1, x2, class") from None
    if rows.ndim != 2 or rows.shape[1] != 3 or len(rows) < 4:
        raise ValueError("custom data needs at least 4 rows of x1, x2, class")
    if not np.all(np.isfinite(rows)):
        raise ValueError("custom points must be finite numbers")
    if np.abs(rows[:, :2]).max() > MAX_COORDINATE:
        raise ValueError(f"custom point coordinates must lie within +-{MAX_COORDINATE:g}")
    if problem == REGRESSION:
        if np.abs(rows[:, 2]).max() > MAX_TARGET:
            raise ValueError(f"custom point targets must lie within +-{MAX_TARGET:g}")
        third, classes = rows[:, 2].tolist(), 0
    else:
        labels = rows[:, 2]
        if np.any(labels != np.round(labels)) or labels.min() < 0 or labels.max() >= MAX_CLASSES:
            raise ValueError(f"custom point classes must be integers from 0 to {MAX_CLASSES - 1}")
        if len(np.unique(labels)) < 2:
            raise ValueError("custom data needs at least 2 classes")
        third, classes = labels.astype(int).tolist(), int(labels.max()) + 1
    # zip over lists made in C: several times faster than converting row by row
    checked = PointRows(zip(rows[:, 0].tolist(), rows[:, 1].tolist(), third, strict=True))
    rows.setflags(write=False)
    checked.rows, checked.problem, checked.classes = rows, problem, classes
    return checked


@dataclass(frozen=True)
class DataConfig:
    """Which data set, how many points, how noisy, how split, from which seed, and the
    problem it poses: plane and multigauss are regression, the other built-in sets
    classification; the user's own points ("custom") may be either."""

    name: str = "moons"
    n_samples: int | None = None
    noise: float | None = None
    train_fraction: float = 0.8
    seed: int = 0
    params: dict = field(default_factory=dict)
    # The user's own data ("custom"): (x1, x2, class index) rows and the classes' names, or
    # for regression (x1, x2, target) rows.
    points: tuple = ()
    class_names: tuple = ()
    problem: str = "classification"  # or "regression"

    def __post_init__(self) -> None:
        _choice("dataset", self.name, (*DATASETS, CUSTOM))
        _choice("problem", self.problem, PROBLEMS)
        if self.name != CUSTOM and dataset_problem(self.name) != self.problem:
            raise ValueError(
                f"{self.name} is a {dataset_problem(self.name)} data set, "
                f"not one for {self.problem}"
            )
        self._check_points()
        if self.n_samples is not None:
            object.__setattr__(
                self,
                "n_samples",
                parse_number(self.n_samples, int, "n_samples", *SAMPLES_RANGE),
            )
        if self.noise is not None:
            object.__setattr__(
                self, "noise", parse_number(self.noise, float, "noise", *NOISE_RANGE)
            )
        object.__setattr__(
            self,
            "train_fraction",
            parse_number(self.train_fraction, float, "train_fraction", *TRAIN_FRACTION_RANGE),
        )
        object.__setattr__(self, "seed", parse_number(self.seed, int, "seed", *SEED_RANGE))
        allowed = EXTRA_PARAMS.get(self.name, {})
        checked = {}
        for key, value in dict(self.params).items():
            if key not in allowed:
                raise ValueError(
                    f"{self.name} has no parameter {key!r} "
                    f"(its parameters: {', '.join(allowed) or 'none'})"
                )
            _, low, high, integer = allowed[key]
            checked[key] = parse_number(value, int if integer else float, key, low, high)
        object.__setattr__(self, "params", checked)

    def _check_points(self) -> None:
        if self.name != CUSTOM:
            if len(self.points) or len(self.class_names):
                raise ValueError(f"points are given only for custom data, not for {self.name}")
            return
        points = checked_points(self.points, self.problem)
        object.__setattr__(self, "points", points)
        if self.problem == REGRESSION:
            if len(self.class_names):
                raise ValueError("regression data has targets, not class names")
            return
        names = tuple(str(name) for name in self.class_names)
        if names and len(names) != points.classes:
            raise ValueError("custom data needs one class name per class")
        object.__setattr__(self, "class_names", names)

    @classmethod
    def custom(cls, X: np.ndarray, y: np.ndarray, class_names=(), **settings: Any) -> DataConfig:
        """A custom data configuration from point and label (or, with
        ``problem="regression"``, target) arrays."""
        X, y = np.asarray(X, dtype=np.float64).reshape(-1, 2), np.asarray(y).reshape(-1)
        if len(X) != len(y):
            raise ValueError("custom data needs one label per point")
        rows = np.column_stack([X, y])  # checked and turned into tuples by __post_init__
        return cls(CUSTOM, points=rows, class_names=tuple(class_names), **settings)

    @classmethod
    def of_points(cls, points: Any, **settings: Any) -> DataConfig:
        """``custom`` of points read from a file (``LabelledPoints``: X, y, class_names
        and the problem they pose)."""
        return cls.custom(
            points.X, points.y, points.class_names, problem=points.problem, **settings
        )

    @property
    def is_regression(self) -> bool:
        return self.problem == REGRESSION

    def custom_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """(X, y) of a custom configuration's points: y holds classes (int64) or, for
        regression, targets (float64)."""
        rows = self.points.rows
        y = rows[:, 2].copy() if self.is_regression else rows[:, 2].astype(np.int64)
        return rows[:, :2].copy(), y


@dataclass(frozen=True)
class ModelConfig:
    """Perceptron or MLP; for an MLP its hidden widths, activation and initialisation.

    The perceptron sees x1 and x2 only: its boundary is drawn, and its rule replayed, as the
    line ``w . x~ = 0`` in the plane, so other features are refused for it.
    """

    kind: str = "mlp"
    hidden: tuple[int, ...] = (20,)
    activation: str = "relu"
    init: str | None = None  # None: He for ReLU, Xavier for tanh, sigmoid and linear
    # What the network sees of a point (model/nn/features.py), in the canonical order.
    features: tuple[str, ...] = DEFAULT_FEATURES

    def __post_init__(self) -> None:
        _choice("model", self.kind, MODEL_KINDS)
        object.__setattr__(self, "features", check_features(self.features))
        if self.kind == "perceptron" and self.features != DEFAULT_FEATURES:
            raise ValueError(
                "the perceptron takes x1 and x2; other features need the MLP (model mlp)"
            )
        _choice("activation", self.activation, tuple(ACTIVATIONS))
        if self.init is not None:
            _choice("init", self.init, INITIALISATIONS)
        if len(self.hidden) > MAX_LAYERS:
            raise ValueError(f"at most {MAX_LAYERS} hidden layers, got {len(self.hidden)}")
        widths = tuple(parse_number(w, int, "hidden width", 1, MAX_WIDTH) for w in self.hidden)
        object.__setattr__(self, "hidden", widths)


@dataclass(frozen=True)
class TrainConfig:
    """How to train: optimizer, learning rate, batch size (None: full batch), penalties."""

    optimizer: str = "sgd"
    learning_rate: float = 0.01
    batch_size: int | None = None
    l2: float = 0.0
    l1: float = 0.0
    eval_every: int = 10
    seed: int = 0

    def __post_init__(self) -> None:
        _choice("optimizer", self.optimizer, OPTIMIZERS)
        object.__setattr__(
            self,
            "learning_rate",
            parse_number(self.learning_rate, float, "learning_rate", *LEARNING_RATE_RANGE),
        )
        if self.batch_size is not None:
            object.__setattr__(
                self,
                "batch_size",
                parse_number(self.batch_size, int, "batch_size", *BATCH_RANGE),
            )
        object.__setattr__(self, "l2", parse_number(self.l2, float, "l2", *PENALTY_RANGE))
        object.__setattr__(self, "l1", parse_number(self.l1, float, "l1", *PENALTY_RANGE))
        object.__setattr__(
            self,
            "eval_every",
            parse_number(self.eval_every, int, "eval_every", *EVAL_EVERY_RANGE),
        )
        object.__setattr__(self, "seed", parse_number(self.seed, int, "seed", *SEED_RANGE))


@dataclass(frozen=True)
class ExperimentConfig:
    """Everything needed to rebuild a run exactly."""

    data: DataConfig = field(default_factory=DataConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    train: TrainConfig = field(default_factory=TrainConfig)

    def __post_init__(self) -> None:
        if self.model.kind == "perceptron" and self.data.is_regression:
            raise ValueError("the perceptron only classifies: regression needs the MLP (model mlp)")

    def to_dict(self) -> dict:
        return self._dict([list(row) for row in self.data.points])

    def _dict(self, points: list) -> dict:
        # not asdict(self.data): it copies each of 100,000 points recursively (0.3 s)
        data = {f.name: getattr(self.data, f.name) for f in fields(self.data)}
        data["params"] = dict(self.data.params)
        data["points"] = points
        data["class_names"] = list(self.data.class_names)
        return {
            "data": data,
            "model": {
                **asdict(self.model),
                "hidden": list(self.model.hidden),
                "features": list(self.model.features),
            },
            "train": asdict(self.train),
        }

    def to_json(self) -> str:
        """``json.dumps(self.to_dict())``, with the points of one's own as their kept text
        (``PointRows.json_text``)."""
        points = self.data.points
        if len(points) <= JSON_POINTS or not isinstance(points, PointRows):
            return json.dumps(self.to_dict())
        # the key's quotes are bare only where it is a key: inside a string they are escaped
        return json.dumps(self._dict([])).replace(
            '"points": []', f'"points": {points.json_text()}', 1
        )

    @classmethod
    def from_dict(cls, raw: Any) -> ExperimentConfig:
        """Rebuild from ``to_dict`` output; unknown or malformed fields are a ValueError."""
        if not isinstance(raw, dict):
            raise ValueError("configuration must be a JSON object")
        parts = {}
        for key, record in (("data", DataConfig), ("model", ModelConfig), ("train", TrainConfig)):
            section = raw.get(key, {})
            if not isinstance(section, dict):
                raise ValueError(f"configuration section {key!r} must be an object")
            known = {f.name for f in fields(record)}
            unknown = set(section) - known
            if unknown:
                raise ValueError(f"unknown {key} setting(s): {', '.join(sorted(unknown))}")
            if key == "data":
                for name in ("points", "class_names"):
                    if name in section:
                        if not isinstance(section[name], (list, tuple)):
                            raise ValueError(f"{name} must be a list")
                        section = {**section, name: tuple(section[name])}
            for name in ("hidden", "features"):
                if key == "model" and name in section:
                    if not isinstance(section[name], (list, tuple)):
                        raise ValueError(f"{name} must be a list")
                    section = {**section, name: tuple(section[name])}
            try:
                parts[key] = record(**section)
            except TypeError as error:
                raise ValueError(f"bad {key} settings: {error}") from None
        return cls(**parts)

    def with_changes(self, **sections: Any) -> ExperimentConfig:
        """A copy with some fields of some sections replaced, validated again."""
        updated = {}
        for key, changes in sections.items():
            updated[key] = replace(getattr(self, key), **changes)
        return replace(self, **updated)


LIVE, NEW_POINTS, REBUILD = "live", "new points", "rebuild"


def change_kind(old: ExperimentConfig, new: ExperimentConfig) -> str:
    """What moving from ``old`` to ``new`` asks of a running trainer, decided here alone.

    LIVE: only the learning rate differs (it applies to the next update). NEW_POINTS: only
    the user's own points differ, within the same problem (the same network trains on,
    unless the number of classes changed, which the trainer finds out). REBUILD: anything
    else needs fresh weights.
    """
    if (old.model, old.train) == (new.model, new.train):
        if old.data == new.data:
            return LIVE
        same_problem = old.data.problem == new.data.problem
        return NEW_POINTS if new.data.name == CUSTOM and same_problem else REBUILD
    same_otherwise = replace(old.train, learning_rate=new.train.learning_rate) == new.train
    return LIVE if old.data == new.data and old.model == new.model and same_otherwise else REBUILD
