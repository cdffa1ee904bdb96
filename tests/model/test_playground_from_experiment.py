"""Copy as Playground link: a configuration Playground can show becomes a link that opens the
same experiment settings there; one it cannot gets a one-line reason."""

from __future__ import annotations

import pytest

from model.config import DataConfig, ExperimentConfig, ModelConfig, TrainConfig
from model.playground.config import PlaygroundLinkError
from model.playground.from_experiment import playground_link_for
from model.playground.link import parse_link


def test_a_playground_shaped_run_opens_with_its_own_settings() -> None:
    config = ExperimentConfig(
        data=DataConfig(name="spiral", noise=0.2, train_fraction=0.6, seed=3),
        model=ModelConfig(hidden=(8, 8, 5), activation="tanh", features=("x1", "x2", "sinx1")),
        train=TrainConfig(learning_rate=0.003, batch_size=7, l1=0.001, seed=42),
    )
    link = playground_link_for(config)
    assert link.startswith("https://playground.tensorflow.org/#")
    opened = parse_link(link)
    assert (opened.problem, opened.dataset, opened.noise) == ("classification", "spiral", 20)
    assert opened.perc_train_data == 60
    assert opened.network_shape == (8, 8, 5)
    assert opened.activation == "tanh"
    assert set(opened.features) == {"x", "y", "sinX"}
    assert (opened.learning_rate, opened.batch_size) == (0.003, 7)
    assert (opened.regularization, opened.regularization_rate) == ("L1", 0.001)
    assert opened.seed == "42"


def test_regression_and_full_batch_carry_over() -> None:
    config = ExperimentConfig(
        data=DataConfig(name="multigauss", problem="regression", noise=0.05, train_fraction=0.5),
        model=ModelConfig(hidden=(), activation="linear"),
        train=TrainConfig(learning_rate=0.01, batch_size=None, l2=0.01),
    )
    opened = parse_link(playground_link_for(config))
    assert (opened.problem, opened.reg_dataset, opened.noise) == ("regression", "reg-gauss", 5)
    assert opened.network_shape == ()
    assert opened.batch_size == 600  # the whole training half of Playground's 1,200 points
    assert opened.regularization == "L2"


@pytest.mark.parametrize(
    ("config", "reason"),
    [
        (ExperimentConfig(model=ModelConfig(kind="perceptron")), "no perceptron"),
        (
            ExperimentConfig(data=DataConfig(name="xor"), train=TrainConfig(optimizer="adam")),
            "adam optimizer",
        ),
        (ExperimentConfig(data=DataConfig(name="spiral", params={"n_classes": 3})), "3 classes"),
        (ExperimentConfig(data=DataConfig(name="moons")), "no moons data set"),
        (
            ExperimentConfig(
                data=DataConfig(
                    name="custom",
                    points=((0, 0, 0), (1, 1, 1), (0, 1, 0), (1, 0, 1)),
                    class_names=("a", "b"),
                )
            ),
            "CSV file",
        ),
        (
            ExperimentConfig(data=DataConfig(name="xor"), model=ModelConfig(hidden=(20,))),
            "20 neurons",
        ),
        (
            ExperimentConfig(data=DataConfig(name="xor"), train=TrainConfig(l1=0.1, l2=0.1)),
            "both L1 and L2",
        ),
    ],
)
def test_what_playground_cannot_show_is_one_line_naming_it(config, reason) -> None:
    with pytest.raises(PlaygroundLinkError) as error:
        playground_link_for(config)
    message = str(error.value)
    assert reason in message and "\n" not in message
