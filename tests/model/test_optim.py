"""Optimizers update parameters in place, from pairs read afresh every step."""

import numpy as np
import pytest

from model.nn.optimizers import OPTIMIZERS, SGD, Adam, make_optimizer


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


def test_adams_first_two_steps_are_the_textbook_bias_corrected_ones():
    """Kingma and Ba: m_hat = m / (1 - b1^t), v_hat = v / (1 - b2^t), p -= lr m_hat /
    (sqrt(v_hat) + eps). The first step moves each weight by about lr against its gradient's
    sign; without the bias correction it would be sqrt(1 - b2) / (1 - b1), 3.2 times that.
    (The implementation folds the correction into the step size, which scales eps alone.)"""
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-8
    gradients = [np.array([0.5, -2.0, 0.1, 3.0]), np.array([-0.3, -1.0, 0.4, 2.0])]
    param, grad = np.array([1.0, 2.0, -1.0, 0.0]), np.zeros(4)
    m, v = np.zeros(4), np.zeros(4)
    optimizer = Adam(lr, b1, b2, eps)
    for t, g in enumerate(gradients, start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)
        textbook = lr * m_hat / (np.sqrt(v_hat) + eps)
        before = param.copy()
        grad[:] = g
        optimizer.step([(param, grad)])
        assert np.allclose(before - param, textbook, rtol=1e-5, atol=0), t
        if t == 1:  # m_hat = g and v_hat = g^2: lr g / (|g| + eps)
            assert np.allclose(before - param, lr * np.sign(g), rtol=1e-5, atol=0)
