"""A hyperparameter map: two settings varied together over a grid, each cell trained with
several seeds, to show how the two interact (learning rate with batch size, width with
depth, L2 with noise).

This module is the grid's description: the parameters that can be an axis, how their values
are written (``learning_rate=0.001,0.01,0.1``), the limits, and the configuration of every
cell and seed. Running it is model/experiments/map_runs.py (one run) and
model/experiments/map_placement.py (where the runs go).

Seeds: seed k of a grid trains with the training seed ``base seed + k`` (initial weights and
the order of the mini-batches) on the data of the base seed. So every run sees the same data,
and two runs with the same seed and the same layer shapes start from the same weights (the
same draws, scaled by the initialisation). Noise as an axis is the exception: it changes the
data, the same for every run with that noise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from model.config import ExperimentConfig
from model.data.datasets import CUSTOM, Dataset
from model.limits import (
    EPOCHS_RANGE,
    MAX_LAYERS,
    MAX_RUNS,
    MAX_VALUES,
    SEED_COUNT_RANGE,
    SEED_RANGE,
    TARGET_ACCURACY_RANGE,
)
from model.nn.activations import ACTIVATIONS
from model.nn.modules import INITIALISATIONS
from model.nn.optimizers import OPTIMIZERS
from model.numbers import bound_text, parse_number
from model.playground.config import PlaygroundConfig
from model.playground.link import link_from_config, parse_link
from model.playground.map_cells import cell_rules
from model.training.trainer import build_dataset

DEFAULT_DEPTH_WIDTH = 20  # depth's layers are as wide as the first hidden layer, else this
NO_NOISE = ("gaussians", CUSTOM)  # data sets whose points no noise setting changes


# A value as typed, checked against the configuration's limits when it is applied to a cell.
_number = partial(parse_number, kind=float)
_whole = partial(parse_number, kind=int)


def _batch(text: str) -> int | None:
    return None if text.lower() == "full" else _whole(text)


def _widths(text: str) -> tuple[int, ...]:
    if text.lower() == "none":
        return ()
    return tuple(_whole(w.strip()) for w in text.split("-"))


def _choice(options: tuple[str, ...]) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if text not in options:
            raise ValueError(f"{text!r} is not one of {', '.join(options)}")
        return text

    return parse


def _depth(config: ExperimentConfig, depth: int) -> ExperimentConfig:
    if not 0 <= depth <= MAX_LAYERS:
        raise ValueError(f"depth must be from 0 to {MAX_LAYERS}, got {depth}")
    width = config.model.hidden[0] if config.model.hidden else DEFAULT_DEPTH_WIDTH
    return config.with_changes(model={"hidden": (width,) * depth})


def _noise(config: ExperimentConfig, noise: float) -> ExperimentConfig:
    if config.data.name in NO_NOISE:
        raise ValueError(f"noise does not change the {config.data.name} data; choose another axis")
    return config.with_changes(data={"noise": noise})


def _setter(section: str, name: str) -> Callable[[ExperimentConfig, Any], ExperimentConfig]:
    return lambda config, value: config.with_changes(**{section: {name: value}})


def _text(value: Any) -> str:
    """A value as the command line and the CSV write it: 0.01, full, 10-10, none."""
    if value is None:
        return "full"
    if isinstance(value, tuple):
        return "-".join(map(str, value)) or "none"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


@dataclass(frozen=True)
class Parameter:
    """One setting that can be an axis: how a value is read and put into a configuration."""

    name: str
    label: str
    parse: Callable[[str], Any]
    apply: Callable[[ExperimentConfig, Any], ExperimentConfig]
    example: str  # a good first set of values, as typed


# In this order the values are applied to a cell, so that depth repeats the cell's width.
PARAMETERS = {
    p.name: p
    for p in (
        Parameter(
            "learning_rate",
            "learning rate",
            _number,
            _setter("train", "learning_rate"),
            "0.001,0.01,0.1,1",
        ),
        Parameter(
            "batch_size", "batch size", _batch, _setter("train", "batch_size"), "1,10,100,full"
        ),
        Parameter("hidden", "hidden widths", _widths, _setter("model", "hidden"), "5,20,80"),
        Parameter("depth", "depth", _whole, _depth, "1,2,3,4"),
        Parameter(
            "activation",
            "activation",
            _choice(tuple(ACTIVATIONS)),
            _setter("model", "activation"),
            "relu,tanh,sigmoid",
        ),
        Parameter(
            "optimizer",
            "optimizer",
            _choice(OPTIMIZERS),
            _setter("train", "optimizer"),
            "sgd,momentum,adam",
        ),
        Parameter("l2", "L2", _number, _setter("train", "l2"), "0,0.001,0.01,0.1"),
        Parameter("noise", "noise", _number, _noise, "0.05,0.1,0.2,0.3"),
        Parameter(
            "init",
            "initialisation",
            _choice(INITIALISATIONS),
            _setter("model", "init"),
            "he,xavier,small",
        ),
    )
}


@dataclass(frozen=True)
class MapAxis:
    """A parameter and its values, in the order given."""

    parameter: str
    values: tuple

    @property
    def label(self) -> str:
        return PARAMETERS[self.parameter].label

    @property
    def texts(self) -> list[str]:
        return [_text(v) for v in self.values]

    def __str__(self) -> str:
        return f"{self.parameter}={','.join(self.texts)}"


def parse_values(parameter: str, text: str) -> MapAxis:
    """``text``'s comma-separated values of ``parameter`` (hidden widths: 10-10, none;
    batch size: full), or ValueError naming what is wrong."""
    if parameter not in PARAMETERS:
        raise ValueError(f"{parameter!r} is not one of {', '.join(PARAMETERS)}")
    parts = [p.strip() for p in text.split(",")]
    if not text.strip() or any(not p for p in parts):
        raise ValueError(f"{parameter}: {text!r} is not a comma-separated list (an entry is empty)")
    if len(parts) > MAX_VALUES:
        raise ValueError(f"{parameter}: at most {MAX_VALUES} values, got {len(parts)}")
    try:
        values = tuple(PARAMETERS[parameter].parse(p) for p in parts)
    except ValueError as error:
        raise ValueError(f"{parameter}: {error}") from None
    if len(set(values)) < len(values):
        raise ValueError(f"{parameter}: a value is listed twice in {text!r}")
    return MapAxis(parameter, values)


def parse_axis(text: str) -> MapAxis:
    """``name=v1,v2,...`` as the command line takes it."""
    name, equals, values = text.partition("=")
    if not equals:
        raise ValueError(f"{text!r} is not NAME=VALUES (e.g. learning_rate=0.001,0.01,0.1)")
    return parse_values(name.strip(), values)


@dataclass(frozen=True)
class MapSpec:
    """What a grid trains: the base configuration, the two axes (x: columns, y: rows),
    seeds per cell, epochs per run, and the test accuracy whose first reaching is timed.

    With ``rules`` (the shown run's Playground link) every cell and seed is that link with
    the axes' keys changed, run by Playground's rules (model/playground/map_cells.py);
    ``base`` is then only the app's nearest settings (a cell opened in the main window)."""

    base: ExperimentConfig
    x: MapAxis
    y: MapAxis
    seeds: int = 3
    epochs: int = 50
    target_accuracy: float = 0.9
    rules: PlaygroundConfig | None = None
    _datasets: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, columns): y values down, x values across."""
        return len(self.y.values), len(self.x.values)

    @property
    def total_runs(self) -> int:
        return self.shape[0] * self.shape[1] * self.seeds

    def seed(self, seed_index: int) -> int:
        """The training seed of a run's seed index."""
        return self.base.train.seed + seed_index

    def cell_config(self, row: int, column: int, seed_index: int = 0) -> ExperimentConfig:
        """The configuration of one cell and seed (ValueError if it is not a valid one)."""
        config = self.base.with_changes(train={"seed": self.seed(seed_index)})
        values = {self.x.parameter: self.x.values[column], self.y.parameter: self.y.values[row]}
        for name in PARAMETERS:  # the table's order: depth after hidden
            if name in values:
                config = PARAMETERS[name].apply(config, values[name])
        return config

    def cell_link(self, row: int, column: int, seed_index: int = 0) -> str:
        """Under Playground rules, the link of one cell and seed (ValueError if Playground
        would refuse it)."""
        if self.rules is None:
            raise ValueError("the grid follows this app's rules, not a Playground link's")
        values = {self.x.parameter: self.x.values[column], self.y.parameter: self.y.values[row]}
        return link_from_config(cell_rules(self.rules, values, seed_index))

    def check(self) -> None:
        """Everything that would stop a run, found before any runs: ValueError, one line."""
        if self.x.parameter == self.y.parameter:
            raise ValueError(f"the two axes must be different parameters, both are {self.x}")
        if self.rules is not None and self.rules.is_regression:
            raise ValueError("the grid compares classifiers: the shown link is a regression")
        if self.base.data.is_regression:
            raise ValueError("the grid compares classifiers: choose a classification data set")
        if self.base.model.kind != "mlp":
            raise ValueError("the grid trains the MLP: set the model to mlp")
        for name, value, (low, high) in (
            ("seeds", self.seeds, SEED_COUNT_RANGE),
            ("epochs", self.epochs, EPOCHS_RANGE),
            ("the target accuracy", self.target_accuracy, TARGET_ACCURACY_RANGE),
        ):
            if not low <= value <= high:
                raise ValueError(
                    f"{name} must be from {bound_text(low)} to {bound_text(high)}, got {value}"
                )
        if self.total_runs > MAX_RUNS:
            raise ValueError(
                f"{self.shape[1]} x {self.shape[0]} cells x {self.seeds} seeds is "
                f"{self.total_runs:,} runs; at most {MAX_RUNS:,}"
            )
        if self.rules is not None:
            for row in range(self.shape[0]):
                for column in range(self.shape[1]):
                    try:
                        self.cell_link(row, column)
                    except ValueError as error:
                        raise ValueError(f"{self.cell_name(row, column)}: {error}") from None
            self.cell_link(0, 0, self.seeds - 1)  # the longest seed text
            return
        if self.seed(self.seeds - 1) > SEED_RANGE[1]:
            raise ValueError(f"the seeds must stay within {SEED_RANGE[1]}")
        for row in range(self.shape[0]):
            for column in range(self.shape[1]):
                try:
                    config = self.cell_config(row, column)
                except ValueError as error:
                    raise ValueError(f"{self.cell_name(row, column)}: {error}") from None
                n_train = len(self.dataset(row, column).y_train)
                _check_batch(config, n_train, self.cell_name(row, column))

    def data_key(self, row: int, column: int) -> Any:
        """Which data a cell trains on: the same for all but a noise axis's values."""
        if self.x.parameter == "noise":
            return self.x.values[column]
        return self.y.values[row] if self.y.parameter == "noise" else None

    def dataset(self, row: int, column: int) -> Dataset:
        """The cell's data (generated once per distinct data, then kept)."""
        key = self.data_key(row, column)
        if key not in self._datasets:
            self._datasets[key] = build_dataset(self.cell_config(row, column))
        return self._datasets[key]

    def cell_name(self, row: int, column: int) -> str:
        """``learning_rate=0.01, batch_size=10``: how a cell is named in messages."""
        return f"{self.x.parameter}={self.x.texts[column]}, {self.y.parameter}={self.y.texts[row]}"

    def to_dict(self) -> dict:
        """The grid as JSON data: the base configuration and the axes as typed."""
        extra = {} if self.rules is None else {"playground_link": link_from_config(self.rules)}
        return {
            **extra,
            "base": self.base.to_dict(),
            "x": {"parameter": self.x.parameter, "values": self.x.texts},
            "y": {"parameter": self.y.parameter, "values": self.y.texts},
            "seeds": self.seeds,
            "epochs": self.epochs,
            "target_accuracy": self.target_accuracy,
        }

    @classmethod
    def from_dict(cls, raw: Any) -> MapSpec:
        """The grid ``to_dict`` wrote, checked again (ValueError if anything is amiss)."""
        try:
            axes = [
                parse_values(raw[key]["parameter"], ",".join(raw[key]["values"]))
                for key in ("x", "y")
            ]
            spec = cls(
                ExperimentConfig.from_dict(raw["base"]),
                *axes,
                seeds=int(raw["seeds"]),
                epochs=int(raw["epochs"]),
                target_accuracy=float(raw["target_accuracy"]),
                rules=parse_link(raw["playground_link"]) if "playground_link" in raw else None,
            )
        except (KeyError, TypeError, AttributeError) as error:
            raise ValueError(f"not a grid description: {error}") from None
        spec.check()
        return spec


def _check_batch(config: ExperimentConfig, n_train: int, where: str) -> None:
    """A batch larger than the training set would silently run as full batch: refused."""
    size = config.train.batch_size
    if size is not None and size > n_train:
        raise ValueError(
            f"{where}: batch size {size} is larger than the {n_train} training points "
            "(write full for full batch)"
        )
