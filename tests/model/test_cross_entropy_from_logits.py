"""The cross-entropy the app shows and saves comes from the logits (log-sum-exp), never from
probabilities clipped at 1e-12, which stopped every point at -log(1e-12) = 27.6: a network far
on the wrong side of its points reports its true loss in the training history, the
evaluations and the landscape, and agrees with SciPy's ``logsumexp`` written out by hand."""

import numpy as np
import pytest

from model.config import DataConfig, ExperimentConfig, ModelConfig, TrainConfig
from model.landscape.batch_loss import BatchLoss
from model.landscape.slices import Plane, SliceEvaluator
from model.nn.mlp import MLP
from model.nn.modules import CrossEntropy, cross_entropy_from_logits, one_hot
from model.training.evaluation import evaluate_model
from model.training.trainer import build_trainer

special = pytest.importorskip(
    "scipy.special", reason="SciPy (a scikit-learn dependency) is the reference"
)

SMALL_MOONS = ExperimentConfig(data=DataConfig("moons", n_samples=120))


def reference(logits: np.ndarray, labels: np.ndarray) -> float:
    """The mean cross-entropy by SciPy's log-sum-exp, written independently of the app."""
    logits = np.asarray(logits, dtype=np.float64)
    picked = logits[np.arange(len(labels)), labels]
    return float(np.mean(special.logsumexp(logits, axis=1) - picked))


def hand_logits(widths: list[int], theta: np.ndarray, X: np.ndarray) -> np.ndarray:
    """A ReLU network's logits from its flat parameters (W (in, out) then b, layer by layer)."""
    h, offset = X, 0
    pairs = list(zip(widths[:-1], widths[1:], strict=True))
    for i, (n_in, n_out) in enumerate(pairs):
        W = theta[offset : offset + n_in * n_out].reshape(n_in, n_out)
        b = theta[offset + n_in * n_out : offset + n_in * n_out + n_out]
        offset += n_in * n_out + n_out
        h = h @ W + b
        if i < len(pairs) - 1:
            h = np.maximum(h, 0.0)
    return h


def far_from_the_minimum(trainer) -> tuple[float, float]:
    """Sets the output layer to logits (1000, -1000) for every point, so every point of class
    1 is 2000 on the wrong side; returns the true train and test losses (SciPy's)."""
    output = trainer.model.linears[-1]
    output.params["weight"][...] = 0.0
    output.params["bias"][...] = [1000.0, -1000.0]
    d = trainer.dataset
    logits = lambda n: np.tile([1000.0, -1000.0], (n, 1))  # noqa: E731
    return (
        reference(logits(len(d.y_train)), d.y_train),
        reference(logits(len(d.y_test)), d.y_test),
    )


def test_a_network_far_on_the_wrong_side_shows_its_true_loss_in_the_history():
    trainer = build_trainer(SMALL_MOONS)
    train_true, test_true = far_from_the_minimum(trainer)
    assert train_true > 500  # about 2000 x the share of class 1: far past 27.6
    point = trainer.evaluate(force=True)
    assert trainer.history[-1] == point  # recorded: a true loss, not a divergence
    assert point.train_loss == pytest.approx(train_true, rel=1e-12)
    assert point.test_loss == pytest.approx(test_true, rel=1e-12)
    d = trainer.dataset
    assert evaluate_model(trainer.model, d.X_train, d.y_train)[0] == pytest.approx(train_true)
    _, rows = trainer.history_table()  # what train --csv and a saved session write
    assert rows[-1][2] == pytest.approx(train_true, rel=1e-12)


@pytest.mark.parametrize("fused", [True, False])
def test_both_training_passes_return_the_true_loss_and_their_gradient_is_p_minus_y(fused):
    trainer = build_trainer(SMALL_MOONS)
    train_true, _ = far_from_the_minimum(trainer)
    model, d = trainer.model, trainer.dataset
    assert model.loss_and_gradients(d.X_train, d.y_train, fused=fused) == pytest.approx(
        train_true, rel=1e-12
    )
    # The gradient is unchanged: (p - onehot) / n with respect to the logits, never clipped.
    p = model.predict_proba(d.X_train)
    expected = (p - one_hot(d.y_train, 2)).sum(axis=0) / len(d.y_train)
    np.testing.assert_allclose(model.linears[-1].grads["bias"], expected, rtol=1e-12)


def test_a_landscape_slice_far_from_the_minimum_shows_its_true_losses():
    trainer = build_trainer(SMALL_MOONS)
    far_from_the_minimum(trainer)
    model, d = trainer.model, trainer.dataset
    centre = model.parameter_pairs()[0][0].copy()
    # The plane of the two output biases: at (a, b) the logits are (1000 + a, -1000 + b).
    d1, d2 = np.zeros_like(centre), np.zeros_like(centre)
    d1[-2], d2[-1] = 1.0, 1.0
    evaluator = SliceEvaluator(model, d, centre, Plane(d1, d2), span=1.0, resolution=5)
    loss = evaluator.compute()
    expected = [
        [
            reference(np.tile([1000.0 + a, -1000.0 + b], (len(d.y_train), 1)), d.y_train)
            for a in evaluator.a
        ]
        for b in evaluator.b
    ]
    assert np.min(expected) > 500
    np.testing.assert_allclose(loss, expected, rtol=1e-12)


@pytest.mark.parametrize("scale", [1.0, 30.0, 1000.0])
@pytest.mark.parametrize("n_classes", [2, 3, 6])
def test_the_loss_is_scipys_log_sum_exp_on_random_logits(scale, n_classes):
    rng = np.random.default_rng(n_classes)
    logits = rng.normal(scale=scale, size=(500, n_classes))
    labels = rng.integers(0, n_classes, size=500)
    assert cross_entropy_from_logits(logits, labels) == pytest.approx(
        reference(logits, labels), rel=1e-10
    )


def test_evaluation_and_the_landscape_agree_with_scipy_at_random_weights_of_any_scale():
    rng = np.random.default_rng(7)
    model = MLP(2, [16, 8], 3, seed=1)
    X, y = rng.normal(size=(300, 2)), rng.integers(0, 3, size=300)
    centre = model.parameter_pairs()[0][0].copy()
    thetas = np.array([centre * scale for scale in (1.0, 10.0, 100.0, 1000.0)])
    thetas += rng.normal(scale=0.1, size=thetas.shape)
    expected = [reference(hand_logits(model.widths, t, X), y) for t in thetas]
    assert expected[-1] > 100  # past the old clip of 27.6 at the large scales
    np.testing.assert_allclose(BatchLoss(model, X, y).losses(thetas), expected, rtol=1e-10)
    for theta, true in zip(thetas, expected, strict=True):
        model.parameter_pairs()[0][0][...] = theta
        assert evaluate_model(model, X, y)[0] == pytest.approx(true, rel=1e-10)


def test_an_ordinary_run_records_the_same_losses_as_the_clipped_probabilities_gave():
    """No probability near 1e-12 (the ordinary case): the history is what it always was."""
    config = ExperimentConfig(
        data=DataConfig("spiral", n_samples=150, params={"n_classes": 3}),
        model=ModelConfig(hidden=(12, 12)),
        train=TrainConfig("adam", 0.02, batch_size=16, eval_every=10),
    )
    trainer = build_trainer(config)
    trainer.train(150)
    model, d = trainer.model, trainer.dataset
    updates, weights = trainer.weight_snapshots
    history = {p.update: p for p in trainer.history}
    assert len(updates) == 16
    for update, theta in zip(updates, weights, strict=True):
        model.parameter_pairs()[0][0][...] = theta
        for X, y, shown in (
            (d.X_train, d.y_train, history[update].train_loss),
            (d.X_test, d.y_test, history[update].test_loss),
        ):
            p = model.predict_proba(X)
            assert p[np.arange(len(y)), y].min() > 1e-6  # nothing near the old clip
            clipped = CrossEntropy().forward(p, one_hot(y, 3))
            assert shown == pytest.approx(clipped, rel=1e-12)
            assert shown == pytest.approx(reference(hand_logits(model.widths, theta, X), y))
