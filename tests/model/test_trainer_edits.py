"""What the window asks of a Trainer between updates: a weight typed by hand, a new learning
rate; and the divergence diagnosis reading a run without importing the Trainer."""

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from model.config import ExperimentConfig, ModelConfig, TrainConfig
from model.training.trainer import build_trainer

ROOT = Path(__file__).resolve().parents[2]


def adam_trainer():
    trainer = build_trainer(ExperimentConfig(train=TrainConfig("adam", 0.01)), eval_every=1)
    trainer.train(5)
    return trainer


def test_a_typed_weight_is_applied_and_the_figures_are_evaluated_again():
    trainer = adam_trainer()
    before = trainer.history[-1]
    assert trainer.set_weight(1, 3, 0, 2.5)
    assert trainer.model.linears[1].params["weight"][3, 0] == 2.5
    assert trainer.optimizer.state()["t"] == 0  # Adam's moments no longer fit: forgotten
    after = trainer.history[-1]
    assert after.update == before.update == 5 and len(trainer.history) == 6
    assert after.train_loss != before.train_loss
    trainer.train(1)  # the next update starts from the typed weight


@pytest.mark.parametrize(
    "layer, source, target, value",
    [
        (2, 0, 0, 1.0),  # 2-20-2 has Linear layers 0 and 1
        (-1, 0, 0, 1.0),
        (0, 2, 0, 1.0),  # the first layer has 2 inputs
        (1, 0, 2, 1.0),  # and 2 outputs
        (0, 0, -1, 1.0),
        (0, 0, 0, math.nan),
        (0, 0, 0, math.inf),
    ],
)
def test_a_weight_that_does_not_fit_the_network_is_ignored(layer, source, target, value):
    trainer = adam_trainer()
    weights = trainer.model.parameter_pairs()[0][0].copy()
    history = list(trainer.history)
    assert not trainer.set_weight(layer, source, target, value)
    assert np.array_equal(trainer.model.parameter_pairs()[0][0], weights)
    assert trainer.history == history and trainer.optimizer.state()["t"] == 5


def test_the_perceptron_has_no_weight_to_type():
    trainer = build_trainer(ExperimentConfig(model=ModelConfig(kind="perceptron")))
    assert not trainer.set_weight(0, 0, 0, 1.0)


def test_a_new_learning_rate_reaches_the_optimizer_and_the_perceptron():
    trainer = build_trainer(ExperimentConfig(model=ModelConfig(kind="perceptron")))
    trainer.set_learning_rate(0.25)
    assert trainer.learning_rate == trainer.optimizer.learning_rate == 0.25
    assert trainer.model.learning_rate == 0.25
    for bad in (0.0, -1.0, math.nan, math.inf):
        with pytest.raises(ValueError, match="positive number"):
            trainer.set_learning_rate(bad)
    assert trainer.learning_rate == 0.25


def test_the_divergence_diagnosis_does_not_import_the_trainer():
    code = "import sys, model.training.divergence; print('model.training.trainer' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
