"""The hidden activations: one table of their names, functions and derivatives, used by every
code path.

As in scikit-learn's ``neural_network/_base.py``: ``ACTIVATIONS[name](x, out)`` computes the
activation (into ``out`` when given, which may be ``x`` itself), and
``ACTIVATIONS[name].derivative(y)`` is its derivative written in terms of the activation's
*output* ``y``, which the forward pass keeps anyway. The modules (model/nn/modules.py), the fused
training pass, inference, the loss landscape and the network view all look activations up here,
so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np


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


@dataclass(frozen=True)
class ActivationFunction:
    """An activation, its derivative (in terms of its output) and the initialisation that
    suits it (model/nn/modules.py ``initial_weights``). Called, it is the activation."""

    function: Callable[..., np.ndarray]
    derivative: Callable[[np.ndarray], np.ndarray]
    default_init: str

    def __call__(self, x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        return self.function(x, out)


# "linear": layers of linear units compose to one affine map, so any depth of them still
# draws a straight boundary (the lesson TensorFlow Playground's "Linear" teaches).
# He initialisation for ReLU, Xavier (Glorot) for the others.
ACTIVATIONS: dict[str, ActivationFunction] = {
    "relu": ActivationFunction(relu, relu_derivative, "he"),
    "tanh": ActivationFunction(tanh, tanh_derivative, "xavier"),
    "sigmoid": ActivationFunction(sigmoid, sigmoid_derivative, "xavier"),
    "linear": ActivationFunction(identity, identity_derivative, "xavier"),
}


def hidden_activations(
    x: np.ndarray, layers: Iterable[tuple[np.ndarray, np.ndarray]], activation: str
) -> list[np.ndarray]:
    """Each hidden layer's output (after its activation) for the rows of ``x``.

    ``layers`` holds the (weight, bias) of the hidden layers, first to last. Nothing is kept
    for a backward pass. The model's inference, the boundary grid and the network view all
    come through here.
    """
    activate = ACTIVATIONS[activation].function
    outputs = []
    h = x
    for weight, bias in layers:
        h = h @ weight
        h += bias
        activate(h, out=h)
        outputs.append(h)
    return outputs
