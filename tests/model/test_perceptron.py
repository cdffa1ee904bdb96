"""The perceptron of the course tutorial."""

import numpy as np
import pytest

from model.data.datasets import bayes_accuracy, make_dataset
from model.nn.perceptron import Perceptron, as_signed_labels


def test_reaches_full_training_accuracy_on_separable_data():
    data = make_dataset("gaussians", mean=5, cov=1, seed=1)
    perceptron = Perceptron(2, max_epochs=100, learning_rate=0.01)
    records = perceptron.train(data.X_train, data.y_train)
    assert records[-1].misclassified.size == 0
    assert np.all((perceptron.forward(data.X_train) > 0) == data.y_train)


def test_reaches_the_bayes_level_within_a_few_points_on_overlapping_data():
    accuracies = []
    for seed in range(5):
        data = make_dataset("gaussians", n_samples=4000, mean=1.25, cov=1, seed=seed)
        perceptron = Perceptron(2, max_epochs=200, learning_rate=0.01)
        records = perceptron.train(data.X_train, data.y_train)
        assert records[-1].misclassified.size > 0  # overlapping: never all right
        accuracies.append(np.mean((perceptron.forward(data.X_test) > 0) == data.y_test))
    bayes = bayes_accuracy(1.25, 1)  # 0.961
    assert bayes - 0.03 <= np.mean(accuracies) <= bayes + 0.01


def test_one_epoch_is_the_tutorial_batch_rule_per_feature():
    X = np.array([[1.0, 2.0], [-1.0, 0.5], [3.0, -1.0]])
    y = np.array([1, -1, 1])
    perceptron = Perceptron(2, learning_rate=0.5)
    perceptron.weights[:] = [0.0, 0.0, 1.0]  # predicts +1, +1, -1: rows 1 and 2 are wrong
    record = perceptron.train_epoch(X, y)
    expected_g = -np.mean([[-1.0, 1.0, -0.5], [1.0, 3.0, -1.0]], axis=0)  # y_i x~_i over M
    assert record.misclassified.tolist() == [1, 2]
    assert np.allclose(record.gradient, expected_g)
    assert np.allclose(perceptron.weights, [0.0, 1.0, 0.625])
    # The direction of w rotates: a rule that applied one scalar to every weight could not.
    before, after = record.weights_before[1:], record.weights_after[1:]
    assert abs(before[0] * after[1] - before[1] * after[0]) > 1e-9


def test_predicts_plus_one_on_the_boundary_and_maps_zero_one_labels():
    perceptron = Perceptron(2)
    assert perceptron.forward(np.array([[0.0, 0.0]])).tolist() == [1.0]
    assert as_signed_labels(np.array([0, 1, 1])).tolist() == [-1.0, 1.0, 1.0]
    with pytest.raises(ValueError, match="-1/\\+1 or 0/1"):
        perceptron.train(np.zeros((2, 2)), np.array([0, 2]))


def test_stops_early_when_nothing_is_misclassified():
    data = make_dataset("gaussians", mean=20, cov=1, seed=0)
    records = Perceptron(2, max_epochs=50).train(data.X_train, data.y_train)
    assert len(records) < 50 and records[-1].misclassified.size == 0
