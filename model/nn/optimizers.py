"""Optimizers over (parameter, gradient) pairs, updating parameters in place.

The pairs are passed to every ``step`` rather than held, so a parameter array that was
replaced in a module's ``params`` is the one updated. State (velocities, moments) is kept
per position in the list and reset if a shape changes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

Pairs = Sequence[tuple[np.ndarray, np.ndarray]]
OPTIMIZERS = ("sgd", "momentum", "adam")


class Optimizer:
    """Base: ``learning_rate`` may be changed between steps."""

    def __init__(self, learning_rate: float) -> None:
        self.learning_rate = float(learning_rate)

    def step(self, pairs: Pairs) -> None:
        raise NotImplementedError

    def reset(self) -> None:
        """Forget accumulated state (after the weights were re-initialised or edited by hand)."""

    def state(self) -> dict[str, np.ndarray]:
        """Accumulated state as named arrays, for saving a session."""
        return {}

    def load_state(self, state: dict[str, np.ndarray]) -> None:
        """Take back what ``state`` gave (KeyError or ValueError if it does not fit)."""


class SGD(Optimizer):
    """``p <- p - lr * g``."""

    def step(self, pairs: Pairs) -> None:
        lr = self.learning_rate
        for param, grad in pairs:
            param -= lr * grad


class Momentum(Optimizer):
    """Heavy-ball momentum: ``v <- mu v - lr g``, ``p <- p + v``."""

    def __init__(self, learning_rate: float, momentum: float = 0.9) -> None:
        super().__init__(learning_rate)
        self.momentum = momentum
        self._velocity: list[np.ndarray] = []

    def reset(self) -> None:
        self._velocity = []

    def state(self) -> dict[str, np.ndarray]:
        return {f"velocity_{i}": v.copy() for i, v in enumerate(self._velocity)}

    def load_state(self, state: dict[str, np.ndarray]) -> None:
        self._velocity = _numbered(state, "velocity")

    def step(self, pairs: Pairs) -> None:
        if len(self._velocity) != len(pairs) or any(
            v.shape != p.shape for v, (p, _) in zip(self._velocity, pairs, strict=True)
        ):
            self._velocity = [np.zeros_like(p) for p, _ in pairs]
        for v, (param, grad) in zip(self._velocity, pairs, strict=True):
            v *= self.momentum
            v -= self.learning_rate * grad
            param += v


class Adam(Optimizer):
    """Adam (Kingma and Ba) with bias-corrected first and second moments."""

    def __init__(
        self, learning_rate: float, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8
    ) -> None:
        super().__init__(learning_rate)
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self.reset()

    def reset(self) -> None:
        self._m: list[np.ndarray] = []
        self._v: list[np.ndarray] = []
        self._t = 0

    def state(self) -> dict[str, np.ndarray]:
        arrays = {f"m_{i}": m.copy() for i, m in enumerate(self._m)}
        arrays.update({f"v_{i}": v.copy() for i, v in enumerate(self._v)})
        return {**arrays, "t": np.array(self._t)}

    def load_state(self, state: dict[str, np.ndarray]) -> None:
        m, v = _numbered(state, "m"), _numbered(state, "v")
        if len(m) != len(v):
            raise ValueError("Adam's moments do not pair up")
        self._m, self._v, self._t = m, v, int(state["t"]) if m else 0

    def step(self, pairs: Pairs) -> None:
        if len(self._m) != len(pairs) or any(
            m.shape != p.shape for m, (p, _) in zip(self._m, pairs, strict=True)
        ):
            self.reset()
            self._m = [np.zeros_like(p) for p, _ in pairs]
            self._v = [np.zeros_like(p) for p, _ in pairs]
        self._t += 1
        b1, b2 = self.beta1, self.beta2
        step_size = self.learning_rate * np.sqrt(1 - b2**self._t) / (1 - b1**self._t)
        for m, v, (param, grad) in zip(self._m, self._v, pairs, strict=True):
            m *= b1
            m += (1 - b1) * grad
            v *= b2
            v += (1 - b2) * grad * grad
            param -= step_size * m / (np.sqrt(v) + self.eps)


def _numbered(state: dict[str, np.ndarray], prefix: str) -> list[np.ndarray]:
    arrays, i = [], 0
    while f"{prefix}_{i}" in state:
        arrays.append(np.array(state[f"{prefix}_{i}"], dtype=np.float64))
        i += 1
    return arrays


def make_optimizer(name: str, learning_rate: float) -> Optimizer:
    """An optimizer by name: sgd, momentum or adam."""
    classes = {"sgd": SGD, "momentum": Momentum, "adam": Adam}
    if name not in classes:
        raise ValueError(f"optimizer must be one of {', '.join(OPTIMIZERS)}, got {name!r}")
    return classes[name](learning_rate)
