"""The building blocks of the MLP, each with its forward and backward pass side by side.

Every module keeps on itself what its backward pass needs (the cache), and every
parameterised module keeps its parameters in ``params`` and their gradients in ``grads``.
``params`` is the source of truth: replacing ``params['weight']`` with a new array is
seen by the next forward pass. Gradients are those of the *mean* loss over the batch.
"""

from __future__ import annotations

import numpy as np

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
    """He for ReLU, Xavier (Glorot) for tanh and sigmoid, or the old template's N(0, 1e-4)."""
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
        needs_input_grad: bool = True,
    ) -> None:
        super().__init__()
        rng = rng if rng is not None else np.random.default_rng()
        self.in_features = in_features
        self.out_features = out_features
        # The first layer's input gradient is never used in training; skipping it saves a matmul.
        self.needs_input_grad = needs_input_grad
        self.params = {
            "weight": initial_weights(in_features, out_features, init, rng),
            "bias": np.zeros(out_features),
        }
        self.grads = {
            "weight": np.zeros((in_features, out_features)),
            "bias": np.zeros(out_features),
        }
        self._x: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        self._x = x
        out = x @ self.params["weight"]
        out += self.params["bias"]
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray | None:
        x = self._x
        np.matmul(x.T, dout, out=self.grads["weight"])
        if dout.shape[0] == 1:
            self.grads["bias"][...] = dout[0]
        else:  # ones @ dout is the column sum, several times faster than dout.sum(axis=0)
            np.matmul(_ones(dout.shape[0]), dout, out=self.grads["bias"])
        if not self.needs_input_grad:
            return None
        return dout @ self.params["weight"].T

    def __repr__(self) -> str:
        return f"Linear({self.in_features}, {self.out_features})"


class ReLU(Module):
    """``max(0, x)``; the gradient flows where the input was positive."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        self._out = np.maximum(x, 0.0)
        return self._out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        return dout * (self._out > 0.0)


class Tanh(Module):
    """``tanh(x)``; its derivative ``1 - tanh^2`` reuses the output."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        self._out = np.tanh(x)
        return self._out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        return dout * (1.0 - self._out * self._out)


class Sigmoid(Module):
    """``1 / (1 + exp(-x))``, computed without overflow for large negative inputs."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        # 0.5 * (1 + tanh(x / 2)) is the logistic function and never overflows.
        self._out = 0.5 * (1.0 + np.tanh(0.5 * x))
        return self._out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        return dout * self._out * (1.0 - self._out)


class SoftMax(Module):
    """Row-wise softmax, shifted by the row maximum so ``exp`` cannot overflow.

    ``backward`` passes its input through: ``CrossEntropy.backward`` already returns the
    gradient with respect to the logits (the fused SoftMax + CrossEntropy convention).
    """

    def forward(self, x: np.ndarray) -> np.ndarray:
        # Row maxima and sums over a handful of columns: a column loop and a matrix-vector
        # product are far faster than max(axis=1) and sum(axis=1) on tall, narrow arrays.
        row_max = x[:, 0].copy()
        for j in range(1, x.shape[1]):
            np.maximum(row_max, x[:, j], out=row_max)
        z = x - row_max[:, None]
        np.exp(z, out=z)
        z /= (z @ _ones(x.shape[1]))[:, None]
        return z

    def backward(self, dout: np.ndarray) -> np.ndarray:
        return dout


class CrossEntropy:
    """Mean cross-entropy of class probabilities ``p`` against one-hot targets ``y``."""

    def forward(self, p: np.ndarray, y: np.ndarray) -> float:
        n = p.shape[0]
        return float(-np.sum(y * np.log(np.clip(p, LOG_CLIP, 1.0))) / n)

    def backward(self, p: np.ndarray, y: np.ndarray) -> np.ndarray:
        """The gradient of the mean loss with respect to the *logits* (fused with SoftMax)."""
        return (p - y) / p.shape[0]


_ONES: dict[int, np.ndarray] = {}


def _ones(n: int) -> np.ndarray:
    """A cached read-only vector of n ones, for sums written as matrix products."""
    ones = _ONES.get(n)
    if ones is None:
        ones = np.ones(n)
        ones.setflags(write=False)
        if len(_ONES) < 64:
            _ONES[n] = ones
    return ones


ACTIVATIONS: dict[str, type[Module]] = {"relu": ReLU, "tanh": Tanh, "sigmoid": Sigmoid}
DEFAULT_INIT = {"relu": "he", "tanh": "xavier", "sigmoid": "xavier"}


def one_hot(labels: np.ndarray, n_classes: int) -> np.ndarray:
    """Integer class labels as rows of a float64 identity matrix."""
    out = np.zeros((labels.shape[0], n_classes))
    out[np.arange(labels.shape[0]), labels] = 1.0
    return out
