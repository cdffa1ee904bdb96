"""The data set and the network a configuration describes (the Trainer is made in
model/training/trainer.py from these)."""

from __future__ import annotations

from model.config import ExperimentConfig
from model.data.datasets import CUSTOM, Dataset, custom_dataset, make_dataset
from model.nn.mlp import MLP
from model.nn.perceptron import Perceptron


def build_model(config: ExperimentConfig, dataset: Dataset) -> MLP | Perceptron:
    """The network a configuration describes, initialised from the training seed."""
    n_inputs = dataset.X_train.shape[1]
    if config.model.kind == "perceptron":
        if dataset.is_regression:
            raise ValueError(f"the perceptron only classifies; {dataset.name} is regression data")
        if dataset.n_classes != 2:
            raise ValueError(
                f"the perceptron separates 2 classes; {dataset.name} has {dataset.n_classes}"
            )
        return Perceptron(n_inputs, learning_rate=config.train.learning_rate)
    t = config.train
    return MLP(
        len(config.model.features),  # the points stay 2-D; the MLP maps them to its features
        list(config.model.hidden),
        dataset.n_classes,
        activation=config.model.activation,
        init=config.model.init,
        seed=t.seed,
        l2=t.l2,
        l1=t.l1,
        problem=dataset.problem,
        features=config.model.features,
    )


def build_dataset(config: ExperimentConfig) -> Dataset:
    """The configured data set, generated (or taken from the configuration's own points)."""
    d = config.data
    if d.name == CUSTOM:
        X, y = d.custom_arrays()
        return custom_dataset(X, y, d.train_fraction, d.seed, d.class_names, d.problem)
    return make_dataset(
        d.name,
        n_samples=d.n_samples,
        noise=d.noise,
        train_fraction=d.train_fraction,
        seed=d.seed,
        **d.params,
    )
