"""Why a run diverged: the likely cause and what to change, read from the settings in force."""

from __future__ import annotations

from typing import Protocol

import numpy as np

from model.data.datasets import Dataset
from model.nn.optimizers import Adam, Momentum, Optimizer

LARGE_INPUT = 20.0  # the built-in data sets lie within a few units of 0


class Run(Protocol):
    """What the diagnosis reads of a run (a Trainer has all of it)."""

    model: object
    dataset: Dataset
    optimizer: Optimizer

    @property
    def learning_rate(self) -> float: ...


def divergence_cause(trainer: Run) -> str:
    """The likely cause of a divergence, and what to change, from the settings in force.

    In order: an L2 decay that is unstable by itself (plain gradient descent on
    ``l2/2 w^2`` multiplies ``w`` by ``1 - lr*l2`` each update: it grows once ``lr*l2 > 2``,
    with heavy-ball momentum ``mu`` once ``lr*l2 > 2 (1 + mu)``); inputs far from 0 (the
    curvature grows with their square); Adam's or momentum's step at this rate; the depth;
    the learning rate. L1 is never the cause: its push, ``lr*l1`` per update, does not grow.
    """
    optimizer, lr = trainer.optimizer, trainer.learning_rate
    model = trainer.model
    l2 = float(getattr(model, "l2", 0.0))
    depth = len(getattr(model, "n_hidden", ()))
    X = trainer.dataset.X_train
    size = float(np.max(np.abs(X))) if X.size else 0.0
    mu = float(getattr(optimizer, "momentum", 0.0)) if isinstance(optimizer, Momentum) else 0.0
    limit = 2.0 * (1.0 + mu)
    if l2 > 0 and not isinstance(optimizer, Adam) and lr * l2 > limit:
        rule = (
            f"on its own it multiplies the weights by 1 - learning rate × L2 = "
            f"1 - {lr:g} × {l2:g} = {1 - lr * l2:g} each update, so they flip sign and grow"
            if mu == 0
            else f"with momentum {mu:g} the weights grow once learning rate × L2 exceeds "
            f"2 (1 + {mu:g}) = {limit:g}, and here it is {lr * l2:g}"
        )
        return (
            f"Likely cause: the L2 penalty is too strong for this learning rate: {rule}. "
            f"Lower L2 below {limit / lr:.3g} or the learning rate below {limit / l2:.3g}."
        )
    if size > LARGE_INPUT:
        return (
            f"Likely cause: the inputs are far from 0 (coordinates up to {size:,.0f}); the "
            f"gradients and the loss's curvature grow with them, so a learning rate of "
            f"{lr:g} overshoots (inputs 100 times larger need a rate about 10,000 times "
            f"smaller). Lower the learning rate, or centre and scale the points."
        )
    if isinstance(optimizer, Adam):
        return (
            f"Likely cause: the learning rate {lr:g} is large for Adam, which moves every "
            f"weight by up to about the learning rate each update whatever the gradient "
            f"(it usually works from 0.001 to 0.01). Lower the learning rate."
        )
    if mu > 0:
        return (
            f"Likely cause: momentum {mu:g} adds up the steps: in a steady direction it "
            f"moves 1 / (1 - {mu:g}) = {1 / (1 - mu):.3g} times as far as plain SGD, so a "
            f"learning rate of {lr:g} acts like {lr / (1 - mu):.3g}. Lower the learning rate "
            f"to about {lr * (1 - mu):.3g}, or choose plain SGD."
        )
    if depth >= 3:
        return (
            f"Likely cause: the learning rate {lr:g} is too large for {depth} hidden "
            f"layers: one update changes every layer at once and the changes multiply. "
            f"Lower the learning rate (try {lr / 10:.3g}) or use fewer layers."
        )
    return (
        f"Likely cause: the learning rate {lr:g} is too large: each step overshoots the "
        f"minimum by more than it corrects. Lower it (try {lr / 10:.3g})."
    )
