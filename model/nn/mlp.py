"""The multi-layer perceptron: an ordered list of modules, ending in SoftMax (classification)
or in one identity output unit (regression)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from model.nn.activations import ACTIVATIONS, hidden_activations
from model.nn.features import DEFAULT_FEATURES, FeatureInputs
from model.nn.fused_pass import FusedPass, softmax_rows
from model.nn.modules import (
    Activation,
    CrossEntropy,
    IdentityOutput,
    Linear,
    MeanSquaredError,
    Module,
    SoftMax,
    cross_entropy_from_logits,
    one_hot,
)

REGRESSION = "regression"


class MLP:
    """Linear, activation, ..., Linear, SoftMax; ``n_hidden=[]`` is softmax regression.

    ``l2`` adds ``l2/2 * sum(W**2)`` and ``l1`` adds ``l1 * sum(|W|)`` over the weights (not the
    biases) to the loss, and their gradients to ``grads`` in ``backward``.

    ``features`` (model/nn/features.py) are what the first Linear sees of each 2-D point, in
    training and inference alike; ``n_inputs`` is their number (2 for the plain x1, x2).

    ``problem="regression"`` (with ``n_classes=0``, as the regression Dataset has): one linear
    output unit, its value the prediction, trained on the mean squared error.
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
        problem: str = "classification",
        features: Sequence[str] = DEFAULT_FEATURES,
    ) -> None:
        if (problem == REGRESSION) != (n_classes == 0):
            raise ValueError(
                "a regression network has n_classes 0 (one output value); a "
                f"classifier 2 or more classes, got {n_classes} for {problem}"
            )
        if activation not in ACTIVATIONS:
            raise ValueError(
                f"activation must be one of {', '.join(ACTIVATIONS)}, got {activation!r}"
            )
        if any(int(w) < 1 for w in n_hidden):
            raise ValueError("every hidden layer needs at least 1 unit")
        # The points stay 2-D; the first Linear sees their chosen features (model/nn/features.py).
        self._inputs = FeatureInputs(features)
        self.features = self._inputs.names
        if n_inputs != len(self.features):
            raise ValueError(
                f"n_inputs must be the number of features ({len(self.features)}), got {n_inputs}"
            )
        self.n_inputs = n_inputs
        self.n_hidden = [int(w) for w in n_hidden]
        self.n_classes = n_classes
        self.problem = problem
        self.activation = activation
        self.init = init or ACTIVATIONS[activation].default_init
        self.l2 = float(l2)
        self.l1 = float(l1)
        rng = np.random.default_rng(seed)
        widths = self.widths
        self.layers: list[Module] = []
        for i, (fan_in, fan_out) in enumerate(zip(widths[:-1], widths[1:], strict=True)):
            is_output = i == len(widths) - 2
            # The output layer feeds SoftMax (or is the output), so He's ReLU gain does not
            # apply there.
            init_here = "xavier" if is_output and self.init == "he" else self.init
            self.layers.append(Linear(fan_in, fan_out, init=init_here, rng=rng))
            if not is_output:
                self.layers.append(Activation(activation))
        self.layers.append(IdentityOutput() if self.is_regression else SoftMax())
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
        self._fused = FusedPass(
            self.widths, self.activation, blocks, grad_blocks, regression=self.is_regression
        )

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
    def is_regression(self) -> bool:
        return self.problem == REGRESSION

    @property
    def n_outputs(self) -> int:
        """Output units: one per class, or the one value of a regression network."""
        return 1 if self.is_regression else self.n_classes

    @property
    def widths(self) -> list[int]:
        """Units per layer: inputs, each hidden layer, outputs."""
        return [self.n_inputs, *self.n_hidden, self.n_outputs]

    def inputs(self, x: np.ndarray) -> np.ndarray:
        """What the first Linear sees of the points ``x``: their chosen features."""
        return self._inputs(x)

    def forward(self, x: np.ndarray) -> np.ndarray:
        """The outputs, one row per input row: class probabilities, or (regression) the
        predicted value in one column."""
        return self._forward_features(self._inputs(x))

    def _forward_features(
        self, features: np.ndarray, layers: Sequence[Module] | None = None
    ) -> np.ndarray:
        """``forward`` on inputs already mapped to the chosen features (through ``layers``,
        by default all of them)."""
        for layer in self.layers if layers is None else layers:
            features = layer.forward(features)
        return features

    def predict_outputs(self, x: np.ndarray) -> np.ndarray:
        """The outputs, as ``forward``, but keeping nothing for a backward pass."""
        return self.layers_and_probabilities(x)[1]

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """Class probabilities (a classifier's ``predict_outputs``)."""
        if self.is_regression:
            raise ValueError("a regression network predicts values (predict_values)")
        return self.predict_outputs(x)

    def predict_values(self, x: np.ndarray) -> np.ndarray:
        """A regression network's predicted value for each row of ``x``, shape (n,)."""
        if not self.is_regression:
            raise ValueError("a classifier predicts class probabilities (predict_proba)")
        return self.predict_outputs(x)[:, 0]

    def hidden_activations(self, x: np.ndarray) -> list[np.ndarray]:
        """Each hidden layer's output (after its activation) for the rows of ``x``."""
        return hidden_activations(self._inputs(x), self._hidden_layers(), self.activation)

    def _hidden_layers(self) -> list[tuple[np.ndarray, np.ndarray]]:
        return [(lin.params["weight"], lin.params["bias"]) for lin in self.linears[:-1]]

    def layers_and_probabilities(self, x: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
        """Each hidden layer's output and the outputs (class probabilities, or a regression
        network's values in one column), in one inference pass.

        The window asks for this every frame: activations and softmax are applied in place.
        """
        hidden, logits = self._layers_and_logits(x)
        return hidden, logits if self.is_regression else softmax_rows(logits)

    def predict_logits(self, x: np.ndarray) -> np.ndarray:
        """The last Linear's output for each row of ``x``, before the softmax (a regression
        network's values): what the loss shown and saved is computed from."""
        return self._layers_and_logits(x)[1]

    def _layers_and_logits(self, x: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
        self._adopt_replaced_parameters()
        x = self._inputs(x)
        hidden = hidden_activations(x, self._hidden_layers(), self.activation)
        output = self.linears[-1].params
        logits = (hidden[-1] if hidden else x) @ output["weight"]
        logits += output["bias"]
        return hidden, logits

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
        """One forward and backward pass on a batch with integer labels (regression: real
        targets); returns its loss (NaN when ``need_loss`` is false and the data loss is not
        computed).

        ``fused`` runs the fused pass (model/nn/fused_pass.py), which can be stopped by
        ``should_stop`` (PassInterrupted); otherwise the modules one by one: ``forward``,
        ``CrossEntropy`` on one-hot targets (``MeanSquaredError`` on the targets),
        ``backward``. Both fill the same ``grads`` with the same numbers up to rounding; the
        Trainer runs the fused one, and the module pass is the readable reference the tests
        check it against. Either way a classifier's loss is ``cross_entropy_from_logits``'s.
        """
        self._adopt_replaced_parameters()
        features = self._inputs.training_batch(x)
        if fused:
            loss = self._fused.run(features, labels, need_loss, should_stop)
            self._add_penalty_gradients()
        else:
            *body, output = self.layers
            logits = self._forward_features(features, body)
            p = output.forward(logits)
            criterion, targets = self._criterion(labels)
            self.backward(criterion.backward(p, targets))
            if not need_loss:
                loss = math.nan
            elif self.is_regression:
                loss = criterion.forward(p, targets)
            else:  # from the logits: CrossEntropy.forward would clip the probabilities
                loss = cross_entropy_from_logits(logits, labels)
        if need_loss and (self.l2 or self.l1):
            loss += self.penalty()
        return loss

    def _criterion(self, labels: np.ndarray) -> tuple[CrossEntropy | MeanSquaredError, np.ndarray]:
        """The loss module and its targets: one-hot classes, or the values as a column."""
        if self.is_regression:
            return MeanSquaredError(), np.asarray(labels, dtype=np.float64).reshape(-1, 1)
        return CrossEntropy(), one_hot(labels, self.n_classes)

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
