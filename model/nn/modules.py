"""The building blocks of the MLP, each with its forward and backward pass side by side.

Every module keeps on itself what its backward pass needs (the cache), and every
parameterised module keeps its parameters in ``params`` and their gradients in ``grads``.
``params`` is the source of truth: replacing ``params['weight']`` with a new array is
seen by the next forward pass. Gradients are those of the *mean* loss over the batch.
These are written to be read; the training pass that is fast is model/nn/fused_pass.py, and the
tests check the two against each other and against central differences.
"""

from __future__ import annotations

import numpy as np

from model.nn.activations import ACTIVATIONS

# The smallest probability CrossEntropy.forward takes the log of: -log(1e-12) = 27.6 is the most
# one point can add there. The numbers the app shows come from cross_entropy_from_logits instead.
LOG_CLIP = 1e-12
INITIALISATIONS = ("he", "xavier", "small")


class Module:
    """A differentiable step: ``forward`` caches what ``backward`` needs."""

    params: dict[str, np.ndarray]
    grads: dict[str, np.ndarray]

    def __init__(self) -> None:
        self.params = {}
        self.grads = {}

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def backward(self, dout: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def initial_weights(
    in_features: int, out_features: int, init: str, rng: np.random.Generator
) -> np.ndarray:
    """He for ReLU, Xavier (Glorot) for tanh, sigmoid and linear, or the old template's
    N(0, 1e-4)."""
    if init == "he":
        std = np.sqrt(2.0 / in_features)
    elif init == "xavier":
        std = np.sqrt(2.0 / (in_features + out_features))
    elif init == "small":
        std = 1e-4
    else:
        raise ValueError(f"init must be one of {', '.join(INITIALISATIONS)}, got {init!r}")
    return rng.normal(0.0, std, size=(in_features, out_features))


class Linear(Module):
    """``y = x @ W + b`` with ``W`` of shape (in_features, out_features)."""

    def __init__(
        self,
        in_features: int,
        out_features: int,
        init: str = "he",
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__()
        rng = rng if rng is not None else np.random.default_rng()
        self.in_features = in_features
        self.out_features = out_features
        self.params = {
            "weight": initial_weights(in_features, out_features, init, rng),
            "bias": np.zeros(out_features),
        }
        self.grads = {
            "weight": np.zeros((in_features, out_features)),
            "bias": np.zeros(out_features),
        }

    def forward(self, x: np.ndarray) -> np.ndarray:
        self._x = x
        return x @ self.params["weight"] + self.params["bias"]

    def backward(self, dout: np.ndarray) -> np.ndarray:
        # Written into the gradient arrays, which the MLP lays out in one flat array.
        self.grads["weight"][...] = self._x.T @ dout
        self.grads["bias"][...] = dout.sum(axis=0)
        return dout @ self.params["weight"].T

    def __repr__(self) -> str:
        return f"Linear({self.in_features}, {self.out_features})"


class Activation(Module):
    """An elementwise activation, looked up by name in the one table of
    model/nn/activations.py (``activation`` is its name there).

    The backward pass needs only the output: every derivative there is written in its terms.
    """

    def __init__(self, activation: str) -> None:
        super().__init__()
        if activation not in ACTIVATIONS:
            raise ValueError(
                f"activation must be one of {', '.join(ACTIVATIONS)}, got {activation!r}"
            )
        self.name = activation
        self.function = ACTIVATIONS[activation]

    def forward(self, x: np.ndarray) -> np.ndarray:
        self._out = self.function(x)
        return self._out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        return dout * self.function.derivative(self._out)

    def __repr__(self) -> str:
        return f"Activation({self.name!r})"


class ReLU(Activation):
    """``max(0, x)``; the gradient flows where the output is positive."""

    def __init__(self) -> None:
        super().__init__("relu")


class Tanh(Activation):
    """``tanh(x)``; its derivative is ``1 - y^2`` for the output ``y``."""

    def __init__(self) -> None:
        super().__init__("tanh")


class Sigmoid(Activation):
    """``1 / (1 + exp(-x))``; its derivative is ``y (1 - y)`` for the output ``y``."""

    def __init__(self) -> None:
        super().__init__("sigmoid")


class Identity(Activation):
    """A linear unit, ``y = x`` (derivative 1); not the Linear layer, which has weights.

    Layers of them compose to one affine map: any depth still draws a straight boundary."""

    def __init__(self) -> None:
        super().__init__("linear")


class SoftMax(Module):
    """Row-wise softmax, shifted by the row maximum so ``exp`` cannot overflow.

    ``backward`` passes its input through: ``CrossEntropy.backward`` already returns the
    gradient with respect to the logits (the fused SoftMax + CrossEntropy convention).
    """

    def forward(self, x: np.ndarray) -> np.ndarray:
        e = np.exp(x - x.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def backward(self, dout: np.ndarray) -> np.ndarray:
        return dout


class CrossEntropy:
    """Mean cross-entropy of class probabilities ``p`` against one-hot targets ``y``.

    The course's interface, on probabilities: a probability that rounds to 0 is clipped to
    LOG_CLIP, so no point adds more than 27.6. The losses the app shows and saves are
    ``cross_entropy_from_logits``'s, true to rounding for any finite logits.
    """

    def forward(self, p: np.ndarray, y: np.ndarray) -> float:
        n = p.shape[0]
        return float(-np.sum(y * np.log(np.clip(p, LOG_CLIP, 1.0))) / n)

    def backward(self, p: np.ndarray, y: np.ndarray) -> np.ndarray:
        """The gradient of the mean loss with respect to the *logits* (fused with SoftMax)."""
        return (p - y) / p.shape[0]


def cross_entropy_terms(
    logits: np.ndarray, labels: np.ndarray, overwrite: bool = False
) -> np.ndarray:
    """``-log softmax(z)[label] = logsumexp(z) - z[label]`` for every row of logits ``z``
    (classes along the last axis; ``labels`` broadcast against the other axes).

    From the logits, so a point far on the wrong side adds its true loss (about 1000 for a
    logit gap of 1000), where the log of its probability, 0 in floating point, could only be
    clipped. ``overwrite`` lets it work in ``logits`` (their values are then lost).
    """
    z = logits if overwrite else np.array(logits, dtype=np.float64)
    # A loop over the few class columns beats max and sum along the last axis on tall arrays.
    row_max = z[..., 0].copy()
    for j in range(1, z.shape[-1]):
        np.maximum(row_max, z[..., j], out=row_max)
    z -= row_max[..., None]
    index = np.broadcast_to(np.asarray(labels)[..., None], (*z.shape[:-1], 1))
    terms = -np.take_along_axis(z, index, axis=-1)[..., 0]
    np.exp(z, out=z)
    terms += np.log(z @ np.ones(z.shape[-1]))
    return terms


def cross_entropy_from_logits(logits: np.ndarray, labels: np.ndarray) -> float:
    """The mean cross-entropy of rows of logits against integer class labels: the loss the
    training history, evaluations, the landscape and the experiments show and save."""
    return float(np.mean(cross_entropy_terms(logits, labels)))


class IdentityOutput(Module):
    """The regression network's output: the last Linear's value as it is (no SoftMax), so
    one output unit can take any real value."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        return x

    def backward(self, dout: np.ndarray) -> np.ndarray:
        return dout


class MeanSquaredError:
    """The regression loss: the mean over the batch of ``(prediction - target)^2``.

    Predictions and targets are (n, 1) columns, one output unit's value per row.
    """

    def forward(self, prediction: np.ndarray, target: np.ndarray) -> float:
        residual = prediction - target
        return float(np.sum(residual * residual) / prediction.shape[0])

    def backward(self, prediction: np.ndarray, target: np.ndarray) -> np.ndarray:
        """The gradient of the mean loss with respect to the predictions: ``2 (p - t) / n``."""
        return 2.0 * (prediction - target) / prediction.shape[0]


def one_hot(labels: np.ndarray, n_classes: int) -> np.ndarray:
    """Integer class labels as rows of a float64 identity matrix."""
    out = np.zeros((labels.shape[0], n_classes))
    out[np.arange(labels.shape[0]), labels] = 1.0
    return out
