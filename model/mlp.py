"""The multi-layer perceptron: an ordered list of modules, ending in SoftMax."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from model.activations import hidden_activations
from model.fused import FusedPass, softmax_rows
from model.modules import ACTIVATIONS, DEFAULT_INIT, CrossEntropy, Linear, Module, SoftMax, one_hot


class MLP:
    """Linear, activation, ..., Linear, SoftMax; ``n_hidden=[]`` is softmax regression.

    ``l2`` adds ``l2/2 * sum(W**2)`` and ``l1`` adds ``l1 * sum(|W|)`` over the weights (not the
    biases) to the loss, and their gradients to ``grads`` in ``backward``.
    """

    def __init__(
        self,
        n_inputs: int,
        n_hidden: Sequence[int],
        n_classes: int,
        activation: str = "relu",
        init: str | None = None,
        seed: int | None = None,
        l2: float = 0.0,
        l1: float = 0.0,
    ) -> None:
        if activation not in ACTIVATIONS:
            raise ValueError(
                f"activation must be one of {', '.join(ACTIVATIONS)}, got {activation!r}"
            )
        if any(int(w) < 1 for w in n_hidden):
            raise ValueError("every hidden layer needs at least 1 unit")
        self.n_inputs = n_inputs
        self.n_hidden = [int(w) for w in n_hidden]
        self.n_classes = n_classes
        self.activation = activation
        self.init = init or DEFAULT_INIT[activation]
        self.l2 = float(l2)
        self.l1 = float(l1)
        rng = np.random.default_rng(seed)
        widths = self.widths
        self.layers: list[Module] = []
        for i, (fan_in, fan_out) in enumerate(zip(widths[:-1], widths[1:], strict=True)):
            is_output = i == len(widths) - 2
            # The output layer feeds SoftMax, so He's ReLU gain does not apply there.
            init_here = "xavier" if is_output and self.init == "he" else self.init
            self.layers.append(Linear(fan_in, fan_out, init=init_here, rng=rng))
            if not is_output:
                self.layers.append(ACTIVATIONS[activation]())
        self.layers.append(SoftMax())
        self._pack_parameters()

    def _pack_parameters(self) -> None:
        """Lay every parameter (and gradient) out as a view into one flat array.

        The optimizer then updates all of them with one vectorised operation per step.
        """
        linears = self.linears
        total = sum(lin.params[k].size for lin in linears for k in ("weight", "bias"))
        self._flat_params = np.empty(total)
        self._flat_grads = np.zeros(total)
        self._views: list[tuple[dict, str, np.ndarray]] = []
        offset = 0
        for linear in linears:
            for key in ("weight", "bias"):
                shape = linear.params[key].shape
                size = int(np.prod(shape))
                view = self._flat_params[offset : offset + size].reshape(shape)
                view[...] = linear.params[key]
                linear.params[key] = view
                linear.grads[key] = self._flat_grads[offset : offset + size].reshape(shape)
                self._views.append((linear.params, key, view))
                offset += size
        blocks, grad_blocks = [], []
        offset = 0
        for linear in linears:
            shape = (linear.in_features + 1, linear.out_features)
            size = shape[0] * shape[1]
            blocks.append(self._flat_params[offset : offset + size].reshape(shape))
            grad_blocks.append(self._flat_grads[offset : offset + size].reshape(shape))
            offset += size
        self._fused = FusedPass(self.widths, self.activation, blocks, grad_blocks)

    def _adopt_replaced_parameters(self) -> None:
        """Copy any array put into a ``params`` dict by hand into the flat storage."""
        for params, key, view in self._views:
            current = params[key]
            if current is not view:
                if np.shape(current) != view.shape:
                    raise ValueError(f"{key} must keep shape {view.shape}, got {np.shape(current)}")
                view[...] = current
                params[key] = view

    @property
    def linears(self) -> list[Linear]:
        return [layer for layer in self.layers if isinstance(layer, Linear)]

    @property
    def widths(self) -> list[int]:
        """Units per layer: inputs, each hidden layer, classes."""
        return [self.n_inputs, *self.n_hidden, self.n_classes]

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Class probabilities, one row per input row."""
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """Class probabilities, as ``forward``, but keeping nothing for a backward pass."""
        return self.layers_and_probabilities(x)[1]

    def hidden_activations(self, x: np.ndarray) -> list[np.ndarray]:
        """Each hidden layer's output (after its activation) for the rows of ``x``."""
        hidden = [(lin.params["weight"], lin.params["bias"]) for lin in self.linears[:-1]]
        return hidden_activations(x, hidden, self.activation)

    def layers_and_probabilities(self, x: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
        """Each hidden layer's output and the class probabilities, in one inference pass.

        The window asks for this every frame: activations and softmax are applied in place.
        """
        self._adopt_replaced_parameters()
        hidden = self.hidden_activations(x)
        output = self.linears[-1].params
        logits = (hidden[-1] if hidden else x) @ output["weight"]
        logits += output["bias"]
        return hidden, softmax_rows(logits)

    def backward(self, dout: np.ndarray) -> None:
        """Fill every Linear's ``grads`` from the gradient with respect to the logits."""
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        self._add_penalty_gradients()

    def _add_penalty_gradients(self) -> None:
        if self.l2 or self.l1:
            for linear in self.linears:
                w = linear.params["weight"]
                if self.l2:
                    linear.grads["weight"] += self.l2 * w
                if self.l1:
                    linear.grads["weight"] += self.l1 * np.sign(w)

    def penalty(self) -> float:
        """The regularisation term added to the data loss."""
        total = 0.0
        for linear in self.linears:
            w = linear.params["weight"]
            if self.l2:
                total += 0.5 * self.l2 * float(np.sum(w * w))
            if self.l1:
                total += self.l1 * float(np.sum(np.abs(w)))
        return total

    def loss_and_gradients(
        self,
        x: np.ndarray,
        labels: np.ndarray,
        need_loss: bool = True,
        should_stop: Callable[[], bool] | None = None,
        fused: bool = True,
    ) -> float:
        """One forward and backward pass on a batch with integer labels; returns its loss
        (NaN when ``need_loss`` is false and the data loss is not computed).

        ``fused`` runs the fused pass (model/fused.py), which can be stopped by
        ``should_stop`` (PassInterrupted); otherwise the modules one by one: ``forward``,
        ``CrossEntropy`` on one-hot targets, ``backward``. Both fill the same ``grads`` with
        the same numbers up to rounding; ``model/pass_choice.py`` says which is faster.
        """
        self._adopt_replaced_parameters()
        if fused:
            loss = self._fused.run(x, labels, need_loss, should_stop)
            self._add_penalty_gradients()
        else:
            p = self.forward(x)
            targets = one_hot(labels, self.n_classes)
            criterion = CrossEntropy()
            self.backward(criterion.backward(p, targets))
            loss = criterion.forward(p, targets) if need_loss else math.nan
        if need_loss and (self.l2 or self.l1):
            loss += self.penalty()
        return loss

    def gradients_finite(self) -> bool:
        """Whether every gradient is a finite number (one dot product over all of them)."""
        g = self._flat_grads
        return math.isfinite(float(g @ g))

    def parameter_pairs(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """One (parameters, gradients) pair of flat arrays viewed by every Linear's dicts.

        An array put into a ``params`` dict by hand is copied in first, so it is the one
        the optimizer updates.
        """
        self._adopt_replaced_parameters()
        return [(self._flat_params, self._flat_grads)]
