"""A TensorFlow Playground experiment as its link describes it: Playground's names, its
defaults (those of its ``State``), and what a link may ask for (model/limits.py).

A value Playground would misread (an activation it does not know, a layer of 0 neurons, a
batch larger than the training set, so that it never updates) is refused with one line that
names the link's key, as ``key=value: reason``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from model.limits import (
    PLAYGROUND_BATCH_RANGE,
    PLAYGROUND_MAX_HIDDEN_LAYERS,
    PLAYGROUND_MAX_LEARNING_RATE,
    PLAYGROUND_MAX_SEED_CHARS,
    PLAYGROUND_REGULARIZATION_RATE_RANGE,
    PLAYGROUND_TRAIN_PERCENT_RANGE,
    PLAYGROUND_WIDTH_RANGE,
)
from model.numbers import bound_text
from model.playground.random_stream import fresh_seed

PROBLEMS = ("classification", "regression")
CLASSIFICATION_DATASETS = ("circle", "xor", "gauss", "spiral")
REGRESSION_DATASETS = ("reg-plane", "reg-gauss")
ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")
REGULARIZATIONS = ("none", "L1", "L2")
# The feature switches a link holds (state.ts), and the inputs the network is given, in
# Playground's order (playground.ts INPUTS: cosX and cosY have a switch but no input).
FEATURE_SWITCHES = ("x", "y", "xTimesY", "xSquared", "ySquared", "cosX", "sinX", "cosY", "sinY")
INPUTS = ("x", "y", "xSquared", "ySquared", "xTimesY", "sinX", "sinY")
# This app's spelling of each input (model/nn/features.py).
APP_FEATURES = {
    "x": "x1",
    "y": "x2",
    "xSquared": "x1sq",
    "ySquared": "x2sq",
    "xTimesY": "x1x2",
    "sinX": "sinx1",
    "sinY": "sinx2",
}
# Playground's data: points drawn, and its noise slider (a link's noise above NOISE_URL_MAX
# becomes NOISE_RESET, below 0 becomes 0: playground.ts makeGUI).
SAMPLES = {"classification": 500, "regression": 1200}
NOISE_URL_MAX = 80
NOISE_RESET = 50


class PlaygroundLinkError(ValueError):
    """A link (or configuration) Playground would not run as it reads: one line naming the
    link's key."""


def shown(value: object) -> str:
    """A value as a message shows it: at most 40 characters, and printable."""
    text = value if isinstance(value, str) else link_number(value)
    text = text if text.isprintable() else repr(text)
    return text if len(text) <= 40 else text[:39] + "…"


def refuse(key: str, value: object, reason: str) -> PlaygroundLinkError:
    """The one-line error for ``key=value``."""
    return PlaygroundLinkError(f"Playground link: {key}={shown(value)}: {reason}")


def link_number(value: object) -> str:
    """A number as JavaScript's ``String(number)`` writes it (Playground's links): 0.03, 50,
    0.00001, 1e-7."""
    if isinstance(value, (list, tuple)):
        return ",".join(link_number(v) for v in value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    number = float(value)
    if not math.isfinite(number):
        return "NaN" if math.isnan(number) else ("Infinity" if number > 0 else "-Infinity")
    if number == 0:
        return "0"
    # value = 0.d1...dk x 10^n with the shortest digits that read back as the number
    shortest = Decimal(repr(abs(number))).normalize().as_tuple()
    digits = "".join(map(str, shortest.digits))
    k = len(digits)
    n = shortest.exponent + k
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        text = "0." + "0" * (-n) + digits
    else:
        power = n - 1
        text = digits[0] + ("." + digits[1:] if k > 1 else "") + "e"
        text += ("+" if power >= 0 else "-") + str(abs(power))
    return ("-" if number < 0 else "") + text


def _check_number(
    key: str,
    value: float,
    low: float | None = None,
    high: float | None = None,
    *,
    above: float | None = None,
    whole: bool = False,
) -> None:
    """``refuse`` unless ``value`` is finite (whole if asked) and within the limits."""
    ok = (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and (not whole or value == int(value))
        and (low is None or value >= low)
        and (high is None or value <= high)
        and (above is None or value > above)
    )
    if not ok:
        kind = "a whole number" if whole else "a number"
        if above is not None:
            limits = f"above {bound_text(above)} and at most {bound_text(high)}"
        else:
            limits = f"from {bound_text(low)} to {bound_text(high)}"
        raise refuse(key, value, f"must be {kind} {limits}")


def _check_name(key: str, value: str, names: tuple[str, ...], what: str) -> None:
    if value not in names:
        raise refuse(key, value, f"Playground's {what} are {', '.join(names)}")


@dataclass(frozen=True)
class PlaygroundConfig:
    """Every setting a Playground link holds, with Playground's defaults.

    ``noise`` and ``perc_train_data`` are percentages, as the link writes them; ``features``
    are the switches that are on (of FEATURE_SWITCHES), ``hidden`` the controls hidden with
    ``name_hide=true`` (a hidden input is not given to the network). Without a ``seed`` one
    is made as Playground makes it, and ``seed_given`` is False: Playground would have drawn
    its own, so such a run has Playground's kind of numbers, not the same ones.
    """

    problem: str = "classification"
    dataset: str = "circle"
    reg_dataset: str = "reg-plane"
    noise: float = 0
    perc_train_data: float = 50
    features: tuple[str, ...] = ("x", "y")
    hidden: tuple[str, ...] = ()
    network_shape: tuple[int, ...] = (4, 2)
    activation: str = "tanh"
    learning_rate: float = 0.03
    batch_size: int = 10
    regularization: str = "none"
    regularization_rate: float = 0
    seed: str = ""
    seed_given: bool = True
    init_zero: bool = False
    show_test_data: bool = False
    discretize: bool = False
    collect_stats: bool = False
    hide_text: bool = False
    tutorial: str | None = None

    def __post_init__(self) -> None:
        for name in self.features:
            _check_name(name, name, FEATURE_SWITCHES, "features")
        features = tuple(n for n in FEATURE_SWITCHES if n in self.features)
        object.__setattr__(self, "features", features)  # in the link's order
        object.__setattr__(self, "hidden", tuple(self.hidden))
        object.__setattr__(self, "network_shape", tuple(self.network_shape))
        _check_name("problem", self.problem, PROBLEMS, "problems")
        _check_name("dataset", self.dataset, CLASSIFICATION_DATASETS, "classification data sets")
        _check_name("regDataset", self.reg_dataset, REGRESSION_DATASETS, "regression data sets")
        _check_name("activation", self.activation, ACTIVATIONS, "activations")
        _check_name("regularization", self.regularization, REGULARIZATIONS, "regularizations")
        _check_number("noise", self.noise, 0, NOISE_URL_MAX)
        _check_number("percTrainData", self.perc_train_data, *PLAYGROUND_TRAIN_PERCENT_RANGE)
        _check_number(
            "learningRate", self.learning_rate, above=0, high=PLAYGROUND_MAX_LEARNING_RATE
        )
        _check_number(
            "regularizationRate", self.regularization_rate, *PLAYGROUND_REGULARIZATION_RATE_RANGE
        )
        shape = self.network_shape
        if len(shape) > PLAYGROUND_MAX_HIDDEN_LAYERS:
            raise refuse(
                "networkShape",
                shape,
                f"Playground has at most {PLAYGROUND_MAX_HIDDEN_LAYERS} hidden layers",
            )
        for width in shape:
            if not (
                isinstance(width, int)
                and not isinstance(width, bool)
                and PLAYGROUND_WIDTH_RANGE[0] <= width <= PLAYGROUND_WIDTH_RANGE[1]
            ):
                low, high = PLAYGROUND_WIDTH_RANGE
                raise refuse(
                    "networkShape", shape, f"a hidden layer has from {low} to {high} neurons"
                )
        _check_number("batchSize", self.batch_size, *PLAYGROUND_BATCH_RANGE, whole=True)
        object.__setattr__(self, "batch_size", int(self.batch_size))
        if not self.n_train or self.n_train == self.n_samples:
            raise refuse(
                "percTrainData", self.perc_train_data, "leaves no training or no test point"
            )
        if self.batch_size > self.n_train:
            raise refuse(
                "batchSize",
                self.batch_size,
                f"more than the {self.n_train} training points: Playground would never "
                "update the weights",
            )
        if not isinstance(self.seed, str):
            raise refuse("seed", self.seed, "a seed is some text, such as 0.80664")
        if not self.seed.strip():  # as Playground: a seed made from a fresh random number
            object.__setattr__(self, "seed", fresh_seed())
            object.__setattr__(self, "seed_given", False)
        if len(self.seed) > PLAYGROUND_MAX_SEED_CHARS:
            raise refuse("seed", self.seed, f"longer than {PLAYGROUND_MAX_SEED_CHARS} characters")

    @property
    def is_regression(self) -> bool:
        return self.problem == "regression"

    @property
    def data_name(self) -> str:
        """The data set in use: ``dataset`` or, for regression, ``reg_dataset``."""
        return self.reg_dataset if self.is_regression else self.dataset

    @property
    def inputs(self) -> tuple[str, ...]:
        """The network's inputs in Playground's order: switched on, not hidden, and one of
        Playground's inputs."""
        return tuple(n for n in INPUTS if n in self.features and n not in self.hidden)

    @property
    def n_samples(self) -> int:
        return SAMPLES[self.problem]

    @property
    def n_train(self) -> int:
        """Playground's split: ``Math.floor(data.length * percTrainData / 100)``."""
        return math.floor(self.n_samples * self.perc_train_data / 100)

    @property
    def updates_per_epoch(self) -> int:
        """Playground updates after every ``batchSize``-th point of an epoch; the rest of the
        points carry over into the next epoch's first update."""
        return self.n_train // self.batch_size
