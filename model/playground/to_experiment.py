"""This app's configuration nearest to a TensorFlow Playground link: what the panels show
while a link's run trains by Playground's rules, and what a panel edit then trains by this
app's rules (the reverse of model/playground/from_experiment.py, as far as it goes).

The app draws its own points for the same shapes, initialises and batches its own way and
has no seed text, so the nearest configuration is a starting point, not the same run.
"""

from __future__ import annotations

from model.config import DataConfig, ExperimentConfig, ModelConfig, TrainConfig
from model.limits import (
    LEARNING_RATE_RANGE,
    PENALTY_RANGE,
    SEED_RANGE,
    TRAIN_FRACTION_RANGE,
)
from model.playground.config import APP_FEATURES, PlaygroundConfig
from model.playground.from_experiment import DATASET_NAMES

APP_DATASET = {playground: app for app, playground in DATASET_NAMES.items()}


def _within(value: float, limits: tuple[float, float]) -> float:
    return min(max(value, limits[0]), limits[1])


def _seed(text: str) -> int:
    """The link's seed as this app's whole-number seed when it is one, else 0."""
    return int(text) if text.isdigit() and SEED_RANGE[0] <= int(text) <= SEED_RANGE[1] else 0


def nearest_experiment(rules: PlaygroundConfig) -> ExperimentConfig:
    """The app's configuration of the same data set's shape, noise, split, features, network,
    activation, learning rate, batch size and penalty (clamped to the app's limits).

    ValueError if the app has no such configuration (a link with no input switched on)."""
    name = APP_DATASET[rules.data_name]
    noise = None if name == "gaussians" else rules.noise / 100  # the app's Gaussians have none
    data = DataConfig(
        name=name,
        n_samples=rules.n_samples,
        noise=noise,
        train_fraction=_within(rules.perc_train_data / 100, TRAIN_FRACTION_RANGE),
        problem=rules.problem,
    )
    model = ModelConfig(
        kind="mlp",
        hidden=rules.network_shape,
        activation=rules.activation,
        features=tuple(APP_FEATURES[name] for name in rules.inputs),
    )
    rate = _within(rules.regularization_rate, PENALTY_RANGE)
    train = TrainConfig(
        optimizer="sgd",
        learning_rate=_within(rules.learning_rate, LEARNING_RATE_RANGE),
        batch_size=rules.batch_size,
        l1=rate if rules.regularization == "L1" else 0.0,
        l2=rate if rules.regularization == "L2" else 0.0,
        seed=_seed(rules.seed),
    )
    return ExperimentConfig(data, model, train)
