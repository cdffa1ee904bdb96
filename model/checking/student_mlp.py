"""A student's MLP as the checks and the window drive it, in the student's process: its Linear
layers found by their ``params`` and ``grads`` (``model.linears``, ``model.head``, a list of
layers: wherever they are), in order and in the way each stores its weight; the reference's
weights copied in; one update of plain gradient descent at a time.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import numpy as np

from model.checking.activation_checks import JACOBIAN, PASS_THROUGH, softmax
from model.checking.numeric import REFERENCE_TOLERANCE, close
from model.checking.student import Wrong, array, call, grads_of, put, scalar, shape_text
from model.nn.mlp import MLP
from model.nn.modules import cross_entropy_from_logits, one_hot

SEARCH_DEPTH = 4  # attribute levels searched for Linear layers below the MLP
Pairs = list[tuple[np.ndarray, np.ndarray]]  # a network's (weight as (in, out), bias) per layer


def _is_linear(value: Any) -> bool:
    params = getattr(value, "params", None)
    return (
        not isinstance(value, type)
        and isinstance(params, dict)
        and "weight" in params
        and "bias" in params
        and np.ndim(params["weight"]) == 2
    )


def find_linears(model: Any) -> list[Any]:
    """Every object reachable from ``model``'s attributes (and lists, tuples and dicts of them)
    with ``params['weight']`` (2-D) and ``params['bias']``, each once, in the order found."""
    found: list[Any] = []
    seen: set[int] = set()

    def visit(value: Any, depth: int) -> None:
        if id(value) in seen:
            return
        seen.add(id(value))
        if value is not model and _is_linear(value):
            found.append(value)
            return
        if depth == 0:
            return
        if isinstance(value, dict):
            children = list(value.values())
        elif isinstance(value, list | tuple):
            children = list(value)
        elif hasattr(value, "__dict__") and not isinstance(value, type | ModuleType | np.ndarray):
            children = list(vars(value).values())
        else:
            return
        for child in children:
            visit(child, depth - 1)

    visit(model, SEARCH_DEPTH)
    return found


def outputs_are_probabilities(out: np.ndarray) -> bool:
    """Whether the MLP's outputs are rows of probabilities (it ends in SoftMax), not logits."""
    return bool(
        np.all(np.isfinite(out))
        and np.all(out >= 0)
        and np.all(out <= 1)
        and np.allclose(out.sum(axis=1), 1.0, atol=1e-8)
    )


class StudentMLP:
    """The student's ``MLP(n_inputs, n_hidden, n_classes)`` and its Linear layers in order."""

    def __init__(
        self, cls: type, n_inputs: int, n_hidden: list[int], n_classes: int, in_out_hint: bool
    ) -> None:
        self.widths = [n_inputs, *n_hidden, n_classes]
        self.name = f"MLP({n_inputs}, {list(n_hidden)}, {n_classes})"
        self.model = call(self.name, cls, n_inputs, list(n_hidden), n_classes)
        self.layers = self._ordered(find_linears(self.model), in_out_hint)

    def _ordered(self, linears: list[Any], hint: bool) -> list[tuple[Any, bool]]:
        """(layer, weight stored as (in, out)?) for each pair of widths, in order."""
        if not linears:
            raise Wrong(
                f"{self.name}: no Linear layers found on it (objects with params['weight'] and "
                "params['bias'], e.g. in self.linears)"
            )
        shapes = [shape_text(np.shape(layer.params["weight"])) for layer in linears]
        unused = list(linears)
        ordered = []
        for i, (a, b) in enumerate(zip(self.widths[:-1], self.widths[1:], strict=True)):
            for layer in unused:
                shape = np.shape(layer.params["weight"])
                if shape in ((a, b), (b, a)):
                    in_out = shape == (a, b) and (a != b or hint)
                    ordered.append((layer, in_out))
                    unused.remove(layer)
                    break
            else:
                raise Wrong(
                    f"{self.name}: no Linear layer for layer {i + 1} ({a} to {b} units) among "
                    f"the weights found, of shapes {', '.join(shapes)}"
                )
        # A square weight could be stored either way: as the other layers store theirs.
        known = {
            in_out for layer, in_out in ordered if len(set(np.shape(layer.params["weight"]))) == 2
        }
        if len(known) == 1:
            way = known.pop()
            ordered = [
                (layer, way if len(set(np.shape(layer.params["weight"]))) == 1 else in_out)
                for layer, in_out in ordered
            ]
        return ordered

    def set_weights(self, weights: list[tuple[np.ndarray, np.ndarray]]) -> None:
        """Copy (W as (in, out), b) pairs into the layers, stored their way."""
        for (layer, in_out), (w, b) in zip(self.layers, weights, strict=True):
            put(layer.params, "weight", w if in_out else w.T)
            put(layer.params, "bias", b)

    def weights(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """Each layer's (W as (in, out), b as a row), copies."""
        out = []
        for layer, in_out in self.layers:
            w = array(layer.params["weight"], "params['weight']")
            out.append(
                ((w if in_out else w.T).copy(), array(layer.params["bias"], "bias").reshape(-1))
            )
        return out

    def gradients(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """Each layer's grads after backward, as (in, out) and a row; Wrong if a shape is off."""
        out = []
        for i, (layer, in_out) in enumerate(self.layers):
            grads = grads_of(layer, "MLP.backward")
            weight, bias = np.shape(layer.params["weight"]), np.size(layer.params["bias"])
            gw = array(grads["weight"], f"layer {i + 1}'s grads['weight']")
            gb = array(grads["bias"], f"layer {i + 1}'s grads['bias']")
            if gw.shape != weight or gb.size != bias:
                raise Wrong(
                    f"MLP.backward leaves layer {i + 1}'s grads of shapes {shape_text(gw.shape)} "
                    f"and {shape_text(gb.shape)} for params of {shape_text(weight)} and "
                    f"{shape_text(np.shape(layer.params['bias']))}"
                )
            out.append((gw if in_out else gw.T, gb.reshape(-1)))
        return out

    def forward(self, X: np.ndarray) -> np.ndarray:
        """The MLP's outputs for the rows of ``X``: (n, classes)."""
        return array(
            call("MLP.forward", self.model.forward, X), "MLP.forward", (len(X), self.widths[-1])
        )

    def backward(self, dout: np.ndarray) -> None:
        call("MLP.backward", self.model.backward, dout)

    def update(self, learning_rate: float) -> None:
        """``p <- p - lr * grad`` for every weight and bias, in place."""
        for layer, _ in self.layers:
            grads = grads_of(layer, "MLP.backward")
            for key in ("weight", "bias"):
                step = learning_rate * np.asarray(grads[key], dtype=np.float64)
                put(
                    layer.params,
                    key,
                    np.asarray(layer.params[key]) - step.reshape(np.shape(layer.params[key])),
                )


def mean_loss(out: np.ndarray, labels: np.ndarray) -> float:
    """The mean cross-entropy of the MLP's outputs (probabilities or logits)."""
    if outputs_are_probabilities(out):
        picked = out[np.arange(len(labels)), labels]
        with np.errstate(divide="ignore"):
            return float(-np.mean(np.log(picked)))
    return cross_entropy_from_logits(out, labels)


def loss_gradient(out: np.ndarray, labels: np.ndarray, split: str) -> np.ndarray:
    """The gradient of the mean cross-entropy that ``MLP.backward`` is given: with respect to
    the logits (outputs that are logits, or a SoftMax.backward that passes through), or with
    respect to the probabilities (a SoftMax.backward that is the Jacobian product)."""
    n, classes = out.shape
    y = one_hot(labels, classes)
    if not outputs_are_probabilities(out):
        return (softmax(out) - y) / n
    if split == PASS_THROUGH:
        return (out - y) / n
    return -y / np.maximum(out, 1e-300) / n


def other_split(split: str) -> str:
    return PASS_THROUGH if split == JACOBIAN else JACOBIAN


def reference_mlp(widths: list[int], weights: Pairs) -> MLP:
    """The app's MLP of these widths (ReLU) holding ``weights`` ((in, out) and bias pairs)."""
    reference = MLP(widths[0], widths[1:-1], widths[-1], activation="relu", seed=0)
    for linear, (w, b) in zip(reference.linears, weights, strict=True):
        linear.params["weight"][...] = w
        linear.params["bias"][...] = b
    return reference


def reference_gradients(reference: Any, X: np.ndarray, labels: np.ndarray) -> Pairs:
    """The reference's gradients of the mean cross-entropy on (X, labels), module by module."""
    reference.loss_and_gradients(X, labels, fused=False)
    return [(lin.grads["weight"].copy(), lin.grads["bias"].copy()) for lin in reference.linears]


def gradients_close(got: Pairs, expected: Pairs, tolerance: float) -> bool:
    """Every layer's weight and bias gradients equal up to ``tolerance``."""
    return all(
        close(g, e, tolerance)
        for pair, other in zip(got, expected, strict=True)
        for g, e in zip(pair, other, strict=True)
    )


def try_splits(
    mlp: StudentMLP, X: np.ndarray, labels: np.ndarray, expected: list, preferred: str
) -> tuple[str, list[tuple[np.ndarray, np.ndarray]], bool]:
    """Which gradient the student's MLP.backward wants (with respect to the logits or to the
    probabilities): the split whose gradients equal ``expected``, those gradients and True;
    else ``preferred``, its gradients and False."""
    first = None
    for split in (preferred, other_split(preferred)):
        out = mlp.forward(X)
        mlp.backward(loss_gradient(out, labels, split))
        grads = mlp.gradients()
        if gradients_close(grads, expected, REFERENCE_TOLERANCE):
            return split, grads, True
        first = first or grads
        if not outputs_are_probabilities(out):
            break  # logits: there is one gradient to give
    assert first is not None
    out = mlp.forward(X)
    mlp.backward(loss_gradient(out, labels, preferred))
    return preferred, mlp.gradients(), False


class StudentRun:
    """The student's MLP trained by plain gradient descent, one update at a time.

    The gradient MLP.backward is given is the mean cross-entropy's (``split`` says with respect
    to what), or, with ``loss_module`` (the student's CrossEntropy), what its backward returns;
    the loss reported is then its forward's.
    """

    def __init__(self, mlp: StudentMLP, split: str, loss_module: Any | None = None) -> None:
        self.mlp = mlp
        self.split = split
        self.loss_module = loss_module

    def update(self, X: np.ndarray, labels: np.ndarray, learning_rate: float) -> float:
        """One update on the batch (X, labels); returns the loss before it."""
        with np.errstate(all="ignore"):
            out = self.mlp.forward(X)
            if self.loss_module is not None and outputs_are_probabilities(out):
                y = one_hot(labels, out.shape[1])
                loss = scalar(
                    call("CrossEntropy.forward", self.loss_module.forward, out, y),
                    "CrossEntropy.forward",
                )
                dout = array(
                    call("CrossEntropy.backward", self.loss_module.backward, out, y),
                    "CrossEntropy.backward",
                    out.shape,
                )
            else:
                loss = mean_loss(out, labels)
                dout = loss_gradient(out, labels, self.split)
            self.mlp.backward(dout)
            self.mlp.update(learning_rate)
        return loss
