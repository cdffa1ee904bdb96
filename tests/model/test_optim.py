"""Optimizers update parameters in place, from pairs read afresh every step."""

import numpy as np
import pytest

from model.optim import OPTIMIZERS, SGD, make_optimizer


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_each_optimizer_minimises_a_quadratic(name):
    target = np.array([3.0, -2.0])
    param = np.zeros(2)
    grad = np.zeros(2)
    optimizer = make_optimizer(name, 0.1)
    for _ in range(500):
        grad[:] = param - target
        optimizer.step([(param, grad)])
    assert np.allclose(param, target, atol=1e-3)


def test_sgd_is_one_plain_step_and_updates_a_replaced_array():
    param, grad = np.array([1.0, 2.0]), np.array([0.5, -1.0])
    SGD(0.1).step([(param, grad)])
    assert np.allclose(param, [0.95, 2.1])
    replacement = np.zeros(2)
    SGD(1.0).step([(replacement, grad)])
    assert np.allclose(replacement, [-0.5, 1.0])


def test_unknown_optimizer_is_refused():
    with pytest.raises(ValueError, match="optimizer must be one of sgd, momentum, adam"):
        make_optimizer("rmsprop", 0.1)
