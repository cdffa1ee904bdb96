"""The loss landscape of a run under TensorFlow Playground's rules: a slice of Playground's own
loss (the mean of half the squared error of its one output node) over Playground's own
weights and biases, centred on the weights of now, so that its centre is the train loss
Playground reports and any other point is Playground's loss at the weights moved there."""

import copy

import numpy as np
import pytest

from model.landscape import slices as engine
from model.landscape.batch_loss import HALF_SQUARED, HALF_SQUARED_TANH, BatchLoss
from model.playground.link import parse_link
from model.playground.network import PlaygroundNetwork, input_features
from model.playground.run import PlaygroundRun
from model.playground.trainer import PlaygroundTrainer
from tests.playground_reference.fixtures import fixture

LINKS = [
    "circle_tanh_issue",  # classification: tanh output against -1 and 1
    "reg_gauss_relu_l1_squares",  # regression: the output itself, features x², y²
    "spiral_all_features_l1",  # three hidden layers, every input
    "gauss_sigmoid_no_hidden_l2",  # no hidden layer
]
EPOCHS = 3


def trained(name: str) -> tuple[PlaygroundTrainer, PlaygroundRun]:
    """The window's trainer and the headless run of one link, ``EPOCHS`` epochs each."""
    link = fixture(name)["fragment"]
    trainer, run = PlaygroundTrainer(parse_link(link)), PlaygroundRun.from_link(link)
    for _ in range(EPOCHS):
        trainer.run_epoch()
        run.run_epoch()
    return trainer, run


def moved(network: PlaygroundNetwork, flat: np.ndarray, model) -> PlaygroundNetwork:
    """A copy of Playground's network holding the weights ``flat`` (the landscape's order:
    each layer's W of shape (in, out), then its b)."""
    network = copy.deepcopy(network)
    arrays = engine.layer_arrays(flat, model)
    for layer, (W, b) in enumerate(zip(network.W, network.b, strict=True)):
        W[...] = arrays[f"W{layer}"].T
        b[...] = arrays[f"b{layer}"]
    return network


def rel(a: float, b: float) -> float:
    return abs(a - b) / abs(b)


@pytest.mark.parametrize("name", LINKS)
def test_a_slice_is_of_playgrounds_loss_over_its_own_parameters(name):
    trainer, run = trained(name)
    model, kind = trainer.landscape_model, trainer.landscape_loss
    assert kind == (HALF_SQUARED if run.config.is_regression else HALF_SQUARED_TANH)
    centre = engine.flat_parameters(model)
    # Playground's weights and biases, each once: no duplicated output unit.
    assert centre.size == run.network.params.size
    assert np.array_equal(np.sort(centre), np.sort(run.network.params))
    plane = engine.random_plane(model, np.random.default_rng(3))
    evaluator = engine.SliceEvaluator(
        model, trainer.dataset, centre, plane, span=1.0, resolution=5, loss_kind=kind
    )
    loss = evaluator.compute()
    # The centre, computed by the slice itself, is Playground's reported train loss.
    assert run.history[-1][1] == run.train_loss
    assert rel(loss[2, 2], run.train_loss) < 1e-12
    # Every point off the centre is Playground's own loss at the weights moved there.
    inputs = input_features(run.config.inputs, run.data.train_points)
    for i, j in [(0, 0), (1, 3), (4, 2), (3, 4)]:
        weights = plane.point(evaluator.a[j], evaluator.b[i])
        expected = moved(run.network, weights, model).loss(inputs, run.data.train_labels)
        assert rel(loss[i, j], expected) < 1e-12, (i, j)
        assert loss[i, j] != pytest.approx(run.train_loss, rel=1e-6)  # truly moved


def test_the_random_plane_is_filter_normalised_to_playgrounds_neurons():
    """Li et al.: each neuron's incoming weights in a direction have the norm of that
    neuron's weights in Playground's network; no bias moves."""
    trainer, run = trained("spiral_all_features_l1")
    model = trainer.landscape_model
    plane = engine.random_plane(model, np.random.default_rng(0))
    for direction in (plane.d1, plane.d2):
        arrays = engine.layer_arrays(direction, model)
        for layer, (W, b) in enumerate(zip(run.network.W, run.network.b, strict=True)):
            got = np.linalg.norm(arrays[f"W{layer}"], axis=0)  # per neuron: its column
            assert np.allclose(got, np.linalg.norm(W, axis=1), rtol=1e-9, atol=1e-12)
            assert not np.any(arrays[f"b{layer}"]) and b.size


def test_the_pca_plane_and_the_line_follow_playgrounds_path_and_losses():
    """The path of snapshots is of Playground's parameters: its PCA plane ends at the centre,
    and the line from the initial weights starts at epoch 0's losses and ends at those of
    now, on the training and the test points."""
    trainer, run = trained("circle_tanh_issue")
    model, kind = trainer.landscape_model, trainer.landscape_loss
    centre = engine.flat_parameters(model)
    updates, snapshots, gram = trainer.snapshots.view()
    assert updates[-1] == trainer.updates and np.array_equal(snapshots[-1], centre)
    assert len(snapshots) == EPOCHS + 1
    plane = engine.pca_plane(snapshots, centre, gram)
    assert plane.explained > 0.5
    assert np.allclose(engine.path_around(plane, snapshots, centre)[-1], 0.0)
    line = engine.LineEvaluator(
        model, trainer.dataset, trainer.initial_parameters, centre, points=5, loss_kind=kind
    )
    line.advance(float("inf"))
    (_, train_0, test_0), (_, train_n, test_n) = run.history[0], run.history[-1]
    assert rel(line.train[0], train_0) < 1e-12 and rel(line.train[-1], train_n) < 1e-12
    assert rel(line.test[0], test_0) < 1e-12 and rel(line.test[-1], test_n) < 1e-12
    assert np.isfinite(line.train).all() and np.isfinite(line.test).all()


def test_a_half_squared_loss_needs_one_output_unit():
    trainer, _ = trained("circle_tanh_issue")
    with pytest.raises(ValueError, match="one output unit"):
        BatchLoss(trainer.model, trainer.dataset.X_train, trainer.dataset.y_train,
                  loss=HALF_SQUARED_TANH)  # fmt: skip
    with pytest.raises(ValueError, match="the loss must be one of"):
        BatchLoss(trainer.landscape_model, trainer.dataset.X_train, trainer.dataset.y_train,
                  loss="hinge")  # fmt: skip
