"""Data sets: the course's Gaussians, scikit-learn's shapes, and refusals that say why."""

import math

import numpy as np
import pytest

from model.data.datasets import DATASETS, bayes_accuracy, make_dataset


def test_gaussians_follow_the_course():
    data = make_dataset("gaussians", mean=2, cov=0.5, seed=3)
    assert len(data.y_train) == 160 and len(data.y_test) == 40
    assert np.bincount(data.y_train).tolist() == [80, 80]
    assert np.bincount(data.y_test).tolist() == [20, 20]
    X, y = data.X_all, np.concatenate([data.y_train, data.y_test])
    assert np.allclose(X[y == 0].mean(axis=0), [2, 2], atol=0.2)
    assert np.allclose(X[y == 1].mean(axis=0), [-2, -2], atol=0.2)
    # Per-axis variance cov, and the axes independent (not all points on one line).
    assert np.allclose(X[y == 0].var(axis=0), 0.5, rtol=0.3)
    assert abs(np.corrcoef(X[y == 0].T)[0, 1]) < 0.25


@pytest.mark.parametrize("name", DATASETS)
def test_every_data_set_is_reproducible_and_labelled(name):
    a = make_dataset(name, seed=7)
    b = make_dataset(name, seed=7)
    c = make_dataset(name, seed=8)
    assert np.array_equal(a.X_train, b.X_train) and np.array_equal(a.y_test, b.y_test)
    assert not np.array_equal(a.X_train, c.X_train)
    assert a.X_train.dtype == np.float64 and a.X_train.shape[1] == 2
    if a.is_regression:  # a real target per point, and no classes
        assert a.y_train.dtype == np.float64 and a.n_classes == 0
    else:
        assert set(np.unique(a.y_train)) == set(range(a.n_classes))
    x0, x1, y0, y1 = a.extent()
    assert x0 < a.X_all[:, 0].min() and a.X_all[:, 1].max() < y1


def test_moons_default_to_1000_points_and_blobs_take_a_class_count():
    assert len(make_dataset("moons").X_all) == 1000
    assert make_dataset("blobs", n_classes=6).n_classes == 6


@pytest.mark.parametrize(
    "kwargs,words",
    [
        ({"name": "spirals"}, "dataset must be one of"),
        ({"name": "moons", "noise": -1}, "noise must be a number from 0 to 5"),
        ({"name": "moons", "n_samples": 2}, "n_samples must be a whole number from 4"),
        ({"name": "moons", "train_fraction": 1.0}, "train_fraction"),
        ({"name": "blobs", "n_classes": 7}, "n_classes must be a whole number from 2 to 6"),
        ({"name": "gaussians", "cov": 0}, "cov must be a number from"),
        ({"name": "gaussians", "mean": math.nan}, "mean must be a number"),
        ({"name": "moons", "mean": 1}, "moons has no parameter 'mean'"),
    ],
)
def test_bad_parameters_name_the_parameter_and_range(kwargs, words):
    name = kwargs.pop("name")
    with pytest.raises(ValueError, match=words):
        make_dataset(name, **kwargs)


def test_bayes_accuracy_of_two_isotropic_gaussians():
    assert bayes_accuracy(0, 1) == pytest.approx(0.5)
    # |m1 - m2| = 2 sqrt(2), sigma = 1: Phi(sqrt(2)) = 0.9214
    assert bayes_accuracy(1, 1) == pytest.approx(0.92135, abs=1e-4)
    data = make_dataset("gaussians", n_samples=20000, mean=0.5, cov=1, seed=0)
    rule = (data.X_all.sum(axis=1) < 0).astype(int)  # the optimal boundary x1 + x2 = 0
    empirical = np.mean(rule == np.concatenate([data.y_train, data.y_test]))
    assert empirical == pytest.approx(bayes_accuracy(0.5, 1), abs=0.01)


def test_extent_takes_the_shape_of_the_view_around_the_same_centre():
    data = make_dataset("moons", n_samples=200, seed=0)
    x0, x1, y0, y1 = data.extent()
    for aspect in (0.5, 1.0, 2.5):
        a0, a1, b0, b1 = data.extent(aspect=aspect)
        assert (a1 - a0) / (b1 - b0) == pytest.approx(aspect)
        assert a0 <= x0 and a1 >= x1 and b0 <= y0 and b1 >= y1  # only ever widened
        assert (a0 + a1) / 2 == pytest.approx((x0 + x1) / 2)
        assert (b0 + b1) / 2 == pytest.approx((y0 + y1) / 2)
