"""The hidden activations and their derivatives: one table, used by every code path.

As in scikit-learn's ``neural_network/_base.py``: ``ACTIVATIONS[name](x, out)`` computes the
activation (into ``out`` when given, which may be ``x`` itself), and ``DERIVATIVES[name](y)``
is its derivative written in terms of the activation's *output* ``y``, which the forward pass
keeps anyway. The modules, the fused training pass, inference and the network view all call
these, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

Activation = Callable[..., np.ndarray]
Derivative = Callable[[np.ndarray], np.ndarray]


def relu(x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``max(0, x)``."""
    return np.maximum(x, 0.0, out=out)


def tanh(x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    return np.tanh(x, out=out)


def sigmoid(x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``1 / (1 + exp(-x))``, written as ``(1 + tanh(x / 2)) / 2``, which never overflows."""
    out = np.multiply(x, 0.5, out=out)
    np.tanh(out, out=out)
    out += 1.0
    out *= 0.5
    return out


def identity(x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``x`` itself: a linear unit passes its weighted sum on unchanged."""
    if out is None:
        return x.copy()
    if out is not x:
        out[...] = x
    return out


def relu_derivative(y: np.ndarray) -> np.ndarray:
    """1 where the output is positive, else 0 (the gradient flows through active units)."""
    return y > 0.0


def tanh_derivative(y: np.ndarray) -> np.ndarray:
    """``1 - tanh(x)^2 = 1 - y^2``."""
    return 1.0 - y * y


def sigmoid_derivative(y: np.ndarray) -> np.ndarray:
    """``sigmoid(x) (1 - sigmoid(x)) = y (1 - y)``."""
    return y * (1.0 - y)


def identity_derivative(y: np.ndarray) -> np.ndarray:
    """1 everywhere: the gradient passes through a linear unit unchanged."""
    return np.ones_like(y)


# "linear": layers of linear units compose to one affine map, so any depth of them still
# draws a straight boundary (the lesson TensorFlow Playground's "Linear" teaches).
ACTIVATIONS: dict[str, Activation] = {
    "relu": relu,
    "tanh": tanh,
    "sigmoid": sigmoid,
    "linear": identity,
}
DERIVATIVES: dict[str, Derivative] = {
    "relu": relu_derivative,
    "tanh": tanh_derivative,
    "sigmoid": sigmoid_derivative,
    "linear": identity_derivative,
}


def hidden_activations(
    x: np.ndarray, layers: Iterable[tuple[np.ndarray, np.ndarray]], activation: str
) -> list[np.ndarray]:
    """Each hidden layer's output (after its activation) for the rows of ``x``.

    ``layers`` holds the (weight, bias) of the hidden layers, first to last. Nothing is kept
    for a backward pass. The model's inference, the boundary grid and the network view all
    come through here.
    """
    activate = ACTIVATIONS[activation]
    outputs = []
    h = x
    for weight, bias in layers:
        h = h @ weight
        h += bias
        activate(h, out=h)
        outputs.append(h)
    return outputs
