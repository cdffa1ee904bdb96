"""Configuration records: validated when made, and round-tripped through JSON."""

import json

import pytest

from model.config import DataConfig, ExperimentConfig, ModelConfig, TrainConfig


def test_round_trip_through_json():
    cfg = ExperimentConfig(
        DataConfig("blobs", noise=0.5, params={"n_classes": 4}),
        ModelConfig(hidden=(8, 4), activation="tanh"),
        TrainConfig("adam", 0.003, batch_size=32, l2=0.01),
    )
    assert ExperimentConfig.from_dict(json.loads(json.dumps(cfg.to_dict()))) == cfg


@pytest.mark.parametrize(
    "make,words",
    [
        (lambda: TrainConfig(learning_rate=0), "learning_rate must be a number from 1e-06 to 100"),
        (lambda: TrainConfig(batch_size=0), "batch_size must be a whole number from 1"),
        (lambda: TrainConfig(optimizer="lbfgs"), "optimizer must be one of"),
        (lambda: ModelConfig(hidden=(20, 0)), "hidden width must be a whole number from 1"),
        (lambda: ModelConfig(activation="gelu"), "activation must be one of"),
        (lambda: DataConfig("blobs", params={"n_classes": 9}), "n_classes must be a whole number"),
        (lambda: ExperimentConfig.from_dict({"train": {"speed": 3}}), "unknown train setting"),
        (lambda: ExperimentConfig.from_dict([]), "must be a JSON object"),
    ],
)
def test_invalid_values_are_refused_with_the_field_named(make, words):
    with pytest.raises(ValueError, match=words):
        make()


def test_with_changes_validates_again():
    cfg = ExperimentConfig()
    assert cfg.with_changes(train={"batch_size": 10}).train.batch_size == 10
    with pytest.raises(ValueError):
        cfg.with_changes(train={"batch_size": -3})
