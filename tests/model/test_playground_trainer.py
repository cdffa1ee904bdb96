"""A TensorFlow Playground run as the window's worker drives it (PlaygroundTrainer): the
same points, the same losses after every epoch as PlaygroundRun and as Playground's own code
(tests/playground_reference), and a boundary drawn from this app's network that is
Playground's output, moved to [0, 1]."""

import math

import numpy as np
import pytest

from model.config import ExperimentConfig
from model.nn.network_snapshot import snapshot_network
from model.playground.config import PlaygroundLinkError
from model.playground.from_experiment import playground_config_for
from model.playground.link import parse_link
from model.playground.network import input_features
from model.playground.run import PlaygroundRun
from model.playground.to_experiment import nearest_experiment
from model.playground.trainer import PlaygroundTrainer, check_window_link
from model.training.divergence import divergence_cause
from model.training.evaluation import TrainingInterrupted, predict_in_slices
from model.training.trainer import TrainingDiverged
from tests.playground_reference.fixtures import fixture, grid_points

CIRCLE = fixture("circle_tanh_issue")["fragment"]


def epoch_points(trainer: PlaygroundTrainer) -> list[tuple[float, float, float]]:
    """(epoch, train loss, test loss) of the history points at whole epochs."""
    return [
        (p.epoch, p.train_loss, p.test_loss) for p in trainer.history if p.epoch == int(p.epoch)
    ]


@pytest.mark.parametrize(
    "name",
    ["circle_tanh_issue", "reg_gauss_relu_l1_squares", "spiral_hidden_feature_noise_clamped"],
)
def test_the_losses_after_each_epoch_are_playgrounds(name):
    """Trained in uneven slices of updates (as the worker's pace cuts them), every epoch's
    losses are PlaygroundRun's exactly and Playground's own to 1e-9 relative."""
    link = fixture(name)["fragment"]
    trainer, run = PlaygroundTrainer(parse_link(link)), PlaygroundRun.from_link(link)
    epochs = 12
    total = epochs * trainer.updates_per_epoch
    for chunk in [1, 7, 3, 50, 2] * total:
        trainer.train(min(chunk, total - trainer.updates))
        if trainer.updates == total:
            break
    for _ in range(epochs):
        run.run_epoch()
    assert epoch_points(trainer) == [(float(e), a, b) for e, a, b in run.history]
    expected = np.array(fixture(name)["losses"][: epochs + 1], dtype=float)
    got = np.array([(a, b) for _, a, b in epoch_points(trainer)])
    assert np.allclose(got, expected, rtol=1e-9, atol=0)
    assert trainer.epoch == epochs and trainer.epochs_completed == epochs


def test_the_data_are_playgrounds_points_with_classes_for_its_labels():
    data = fixture("circle_tanh_issue")
    trainer = PlaygroundTrainer(parse_link(data["fragment"]))
    d = trainer.dataset
    train = np.array(data["train"], dtype=float)
    test = np.array(data["test"], dtype=float)
    assert np.allclose(d.X_train, train[:, :2], rtol=0, atol=1e-12)
    assert np.allclose(d.X_test, test[:, :2], rtol=0, atol=1e-12)
    assert d.y_train.tolist() == [int(label > 0) for label in train[:, 2]]  # -1 -> 0, +1 -> 1
    assert d.y_test.tolist() == [int(label > 0) for label in test[:, 2]]
    assert d.label_names() == ("-1", "1") and d.n_classes == 2
    assert d.rules == trainer.rules


def test_the_boundary_drawn_is_playgrounds_output_after_its_epochs():
    """The app's network holding Playground's weights gives class 1 the probability
    (1 + output) / 2 at Playground's own boundary grid after the fixture's 60 epochs."""
    data = fixture("circle_tanh_issue")
    trainer = PlaygroundTrainer(parse_link(data["fragment"]))
    for _ in range(data["epochs"]):
        trainer.run_epoch()
    points = np.array(grid_points(data["grid"]))
    probabilities = predict_in_slices(trainer.model, points)
    expected = (1 + np.array(data["grid"]["output"])) / 2
    assert np.allclose(probabilities[:, 1], expected, rtol=0, atol=1e-9)
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    snapshot = snapshot_network(trainer.model, trainer.dataset.extent())
    assert snapshot.widths == [2, 4, 2, 2]
    hidden = np.array(data["final"][0]["W"])
    assert np.allclose(snapshot.weights[0], hidden.T, rtol=0, atol=1e-9)


def test_a_regression_networks_value_is_playgrounds_output():
    link = fixture("reg_gauss_relu_l1_squares")["fragment"]
    trainer, run = PlaygroundTrainer(parse_link(link)), PlaygroundRun.from_link(link)
    trainer.train(75)
    run.step(75)
    points = run.data.test_points
    assert trainer.dataset.is_regression and trainer.dataset.y_test.tolist() == (
        run.data.test_labels.tolist()
    )
    assert np.allclose(predict_in_slices(trainer.model, points)[:, 0], run.predict(points))
    assert math.isnan(trainer.evaluate().test_accuracy)


def test_a_weight_typed_on_the_diagram_is_playgrounds_and_the_figures_follow():
    trainer = PlaygroundTrainer(parse_link(CIRCLE))
    before = trainer.evaluate().train_loss
    assert trainer.set_weight(0, 1, 3, 0.25)  # from input y to the fourth neuron
    assert trainer.run.network.W[0][3, 1] == 0.25
    assert trainer.set_weight(2, 0, 0, 0.5)  # the diagram's one output node: Playground's z
    assert trainer.run.network.W[2][0, 0] == 0.5
    assert trainer.model.linears[2].params["weight"][0].tolist() == [-0.5, 0.5]
    assert not trainer.set_weight(2, 0, 1, 0.5)  # Playground has no second output node
    point = trainer.history[-1]
    assert point.update == 0 and point.train_loss != before
    inputs = input_features(trainer.rules.inputs, trainer.run.data.train_points)
    assert point.train_loss == trainer.run.network.loss(inputs, trainer.run.data.train_labels)
    assert not trainer.set_weight(0, 2, 0, 1.0)  # no third input
    assert not trainer.set_weight(0, 0, 0, math.nan)


def test_a_diverging_run_stops_with_the_reason():
    """Playground would go on showing NaN; the window pauses and says why, as for its own
    runs, with the cause the app's diagnosis reads from the run."""
    link = "problem=regression&regDataset=reg-plane&activation=linear&learningRate=3&seed=1"
    trainer = PlaygroundTrainer(parse_link(link))
    with pytest.raises(TrainingDiverged, match="Playground's loss is no longer a finite number"):
        for _ in range(200):
            trainer.run_epoch()
    assert trainer.stopped_reason is not None
    assert all(math.isfinite(p.train_loss) for p in trainer.history)
    with pytest.raises(TrainingDiverged):
        trainer.step()
    assert "the learning rate 3 is too large" in divergence_cause(trainer)


def test_a_stop_request_ends_training_between_updates():
    asked = []

    def stop() -> bool:
        asked.append(1)
        return len(asked) > 5

    trainer = PlaygroundTrainer(parse_link(CIRCLE), should_stop=stop)
    with pytest.raises(TrainingInterrupted):
        trainer.train(100)
    assert trainer.updates == 5


def test_a_link_without_inputs_cannot_be_shown_and_says_so():
    rules = parse_link(CIRCLE.replace("x=true", "x=false").replace("y=true", "y=false"))
    with pytest.raises(PlaygroundLinkError, match="no input is on"):
        check_window_link(rules)


def test_the_nearest_app_configuration_links_back_to_the_same_experiment():
    """The panels' settings for a link describe the same data set's shape, network and
    training; their own link (Edit > Copy as Playground link) has the link's settings."""
    rules = parse_link(fixture("spiral_all_features_l1")["fragment"])
    config = nearest_experiment(rules)
    assert isinstance(config, ExperimentConfig)
    assert (config.data.name, config.model.hidden, config.model.activation) == (
        "spiral",
        rules.network_shape,
        rules.activation,
    )
    back = playground_config_for(config)
    for field in (
        "problem",
        "dataset",
        "noise",
        "perc_train_data",
        "network_shape",
        "activation",
        "learning_rate",
        "batch_size",
        "regularization",
        "regularization_rate",
    ):
        assert getattr(back, field) == getattr(rules, field), field
    assert back.inputs == rules.inputs
