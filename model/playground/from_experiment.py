"""The TensorFlow Playground link nearest to one of this app's configurations (Edit > Copy as
Playground link), or the one-line reason Playground cannot show it.

Playground draws its own points for a data set's shape (its circle, XOR, Gaussians, spiral and
two regression sets), so a link carries the shape, the noise, the split and the seed, not the
points; the network, its activation, learning rate, batch size and penalty carry over as they
are (Playground's L2 adds ``w`` to a weight's gradient and its L1 ``sign(w)``, as this app's do).
"""

from __future__ import annotations

from model.config import ExperimentConfig
from model.data.datasets import DEFAULT_NOISE
from model.limits import PLAYGROUND_MAX_HIDDEN_LAYERS, PLAYGROUND_WIDTH_RANGE
from model.playground.config import (
    APP_FEATURES,
    NOISE_URL_MAX,
    SAMPLES,
    PlaygroundConfig,
    PlaygroundLinkError,
)
from model.playground.link import link_from_config

# This app's data set -> Playground's of the same shape.
DATASET_NAMES = {
    "circles": "circle",
    "xor": "xor",
    "gaussians": "gauss",
    "spiral": "spiral",
    "plane": "reg-plane",
    "multigauss": "reg-gauss",
}
FEATURE_SWITCH = {app: playground for playground, app in APP_FEATURES.items()}


def _cannot(reason: str) -> PlaygroundLinkError:
    return PlaygroundLinkError(f"Playground cannot show this run: {reason}")


def playground_config_for(config: ExperimentConfig) -> PlaygroundConfig:
    """Playground's configuration for ``config``; PlaygroundLinkError names what it lacks."""
    data, model, train = config.data, config.model, config.train
    if model.kind != "mlp":
        raise _cannot("Playground has no perceptron (it trains a neural network)")
    if data.name == "custom":
        raise _cannot("a CSV file's points cannot travel in a link (Playground draws its own)")
    if data.name not in DATASET_NAMES:
        raise _cannot(f"Playground has no {data.name} data set")
    if data.name == "spiral" and int(data.params.get("n_classes", 2)) != 2:
        raise _cannot(f"{int(data.params['n_classes'])} classes (Playground classifies two)")
    if train.optimizer != "sgd":
        raise _cannot(f"the {train.optimizer} optimizer (Playground trains with plain SGD)")
    if train.l1 > 0 and train.l2 > 0:
        raise _cannot("both L1 and L2 (Playground applies one penalty)")
    low, high = PLAYGROUND_WIDTH_RANGE
    if len(model.hidden) > PLAYGROUND_MAX_HIDDEN_LAYERS:
        raise _cannot(
            f"{len(model.hidden)} hidden layers (Playground's has at most "
            f"{PLAYGROUND_MAX_HIDDEN_LAYERS})"
        )
    if any(not low <= width <= high for width in model.hidden):
        wide = max(model.hidden)
        raise _cannot(f"a hidden layer of {wide} neurons (Playground's have {low} to {high})")
    missing = [f for f in model.features if f not in FEATURE_SWITCH]
    if missing:
        raise _cannot(f"the feature {missing[0]} (Playground has no such input)")
    noise = DEFAULT_NOISE[data.name] if data.noise is None else data.noise
    percent = round(100 * noise)
    if percent > NOISE_URL_MAX:
        raise _cannot(f"noise {noise:g} (Playground's reaches {NOISE_URL_MAX / 100:g})")
    problem = "regression" if data.is_regression else "classification"
    perc_train = round(100 * data.train_fraction)
    n_train = SAMPLES[problem] * perc_train // 100
    batch = n_train if train.batch_size is None else min(train.batch_size, n_train)
    regularization, rate = "none", 0.0
    if train.l1 > 0:
        regularization, rate = "L1", train.l1
    elif train.l2 > 0:
        regularization, rate = "L2", train.l2
    name = DATASET_NAMES[data.name]
    try:
        return PlaygroundConfig(
            problem=problem,
            dataset=name if problem == "classification" else "circle",
            reg_dataset=name if problem == "regression" else "reg-plane",
            noise=percent,
            perc_train_data=perc_train,
            features=tuple(FEATURE_SWITCH[f] for f in model.features),
            network_shape=tuple(model.hidden),
            activation=model.activation,
            learning_rate=train.learning_rate,
            batch_size=batch,
            regularization=regularization,
            regularization_rate=rate,
            seed=str(train.seed),
        )
    except PlaygroundLinkError as error:  # a size Playground's network cannot have
        raise _cannot(str(error).removeprefix("Playground link: ")) from None


def playground_link_for(config: ExperimentConfig) -> str:
    """The link (whole URL) that opens ``config``'s nearest experiment in Playground."""
    return link_from_config(playground_config_for(config))
