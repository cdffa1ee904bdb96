"""File > Export > PyTorch script and ``main.py train --export_torch``: the same network as a
``torch.nn.Sequential`` in float64 with the weights loaded, its input features as a small
module in front.

Only text is made here: the app never imports torch, which is needed only to run the file.
PyTorch adds and multiplies in its own order, so the outputs agree with the app's to about
1e-15 rather than to the last bit (the tests ask for 1e-9).
"""

from __future__ import annotations

from string import Template

from model.export.common import (
    ExportedNetwork,
    array_code,
    docstring,
    feature_code,
)
from model.export.script_command import main_code, reading_code, usage_text
from model.nn.features import DEFAULT_FEATURES, feature_label

MODULES = {
    "relu": "nn.ReLU()",
    "tanh": "nn.Tanh()",
    "sigmoid": "nn.Sigmoid()",
    "linear": "nn.Identity()",
}

HEAD = Template('''#!/usr/bin/env python3
"""$doc
"""

import array
import base64
import csv
import math
import os
import stat
import sys

try:
    import torch
    from torch import nn
except ImportError:
    raise SystemExit("This script needs PyTorch: pip install torch") from None


def _decode(text, dtype, shape):
    """A tensor stored as the base64 of its little-endian bytes: exact and compact."""
    raw = bytearray(base64.b64decode(text))
    if sys.byteorder == "big":
        raw = bytearray(b for i in range(0, len(raw), 8) for b in reversed(raw[i : i + 8]))
    return torch.frombuffer(raw, dtype=dtype).reshape(shape).clone()
''')

FEATURES = Template('''
class Features(nn.Module):
    """What the first layer sees of each point (x1, x2): $labels."""

    def forward(self, x):
$body
''')

BUILD = Template('''
def build_network():
    """The network as torch.nn.Sequential in float64, with the exported weights loaded."""
    network = nn.Sequential(
$modules
    )
    linears = [module for module in network if isinstance(module, nn.Linear)]
    with torch.no_grad():
        for linear, (weight, bias) in zip(linears, LAYERS):
            linear.weight.copy_(weight.T)  # torch keeps (units, inputs)
            linear.bias.copy_(bias)
    return network.eval()


NETWORK = build_network()


def _points(X):
    """The points as a float64 tensor of rows (x1, x2)."""
    X = torch.as_tensor(X, dtype=torch.float64)
    if X.dim() == 1:
        X = X.reshape(1, -1)
    if X.dim() != 2 or X.shape[1] != 2:
        raise ValueError(f"the points must be rows of two numbers (x1, x2), got {tuple(X.shape)}")
    return X
''')

# The points read (a flat array.array of float64, never empty) as a tensor that shares them.
POINTS = "torch.frombuffer(_read_points(argv[1]), dtype=torch.float64)"

DECISION = '''
class Decision(nn.Module):
    """The perceptron's hard decision as class probabilities: class 1 where w . x + b >= 0."""

    def forward(self, score):
        plus = (score >= 0).to(score.dtype)
        return torch.cat([1.0 - plus, plus], dim=1)
'''

CLASSIFIER_API = '''
def predict_proba(X):
    """The probability of each class (columns in CLASS_NAMES' order) for every row of X."""
    with torch.no_grad():
        return NETWORK(_points(X))


def predict(X):
    """The most probable class (an index into CLASS_NAMES) for every row of X."""
    return predict_proba(X).argmax(dim=1)

'''

REGRESSION_API = '''
def predict(X):
    """The predicted value for every row of X (x1, x2): shape (n,)."""
    with torch.no_grad():
        return NETWORK(_points(X))[:, 0]

'''


def torch_script(network: ExportedNetwork, filename: str = "network_torch.py") -> str:
    """The whole script, as text."""
    if network.regression:
        api = "predict(X) the predicted value of each row of an (n, 2) tensor of points x1, x2."
    else:
        api = "predict(X) the class of each row of an (n, 2) tensor of points x1, x2 (an index "
        api += "into CLASS_NAMES), predict_proba(X) the probability of every class."
    doc = docstring(
        network.summary,
        f"Needs PyTorch. {usage_text(filename, network.regression)}",
        f"Or import it: NETWORK is the torch.nn.Sequential (float64, weights loaded); {api}",
        "The outputs are the app's to about 1e-15: the same float64 arithmetic, summed in "
        "PyTorch's own order.",
    )
    parts = [
        HEAD.substitute(doc=doc),
        _constants(network),
        _features(network),
    ]
    if network.kind == "perceptron":
        parts.append(DECISION)
    parts += [
        BUILD.substitute(modules="\n".join(f"        {m}," for m in _modules(network))),
        reading_code(),
        REGRESSION_API if network.regression else CLASSIFIER_API,
        main_code(network.regression, POINTS, 1),
    ]
    return "\n\n\n".join(part.strip("\n") for part in parts) + "\n"


def _constants(network: ExportedNetwork) -> str:
    lines = [] if network.regression else [f"CLASS_NAMES = {tuple(network.class_names)!r}"]
    if network.kind == "perceptron":
        w = network.perceptron_weights
        layers = [(w[1:].reshape(2, 1), w[:1])]  # [b, w1, w2] as one Linear unit
    else:
        layers = network.layers
    names = []
    for i, (weight, bias) in enumerate(layers, start=1):
        fan_in, fan_out = weight.shape
        if network.kind == "perceptron":
            what = "The perceptron as one Linear unit: W1 holds w1, w2 and B1 holds b"
        else:
            what = (
                f"Layer {i}, {fan_in} -> {fan_out}: W{i} has shape (inputs, units), as in the app"
            )
        lines += [
            "",
            f"# {what}.",
            f"W{i} = {array_code(weight, 'torch')}",
            f"B{i} = {array_code(bias, 'torch')}",
        ]
        names.append(f"(W{i}, B{i})")
    lines += [
        "",
        f"LAYERS = [{', '.join(names)}]",
        "",
        "# The test points exported with the network, and their "
        + ("targets." if network.regression else "classes."),
        f"X_TEST = {array_code(network.X_test, 'torch')}",
        f"Y_TEST = {array_code(network.y_test, 'torch')}",
    ]
    return "\n".join(lines)


def _features(network: ExportedNetwork) -> str:
    if network.features == DEFAULT_FEATURES:
        body = "        return x  # the plain coordinates"
    else:
        columns = ", ".join(feature_code(network.features, "torch"))
        body = f"        x1, x2 = x[:, 0], x[:, 1]\n        return torch.stack([{columns}], dim=1)"
    labels = ", ".join(feature_label(f) for f in network.features)
    return FEATURES.substitute(labels=labels, body=body)


def _modules(network: ExportedNetwork) -> list[str]:
    """The Sequential's modules: features, then Linear and activation, ..., the output."""
    modules = ["Features()"]
    if network.kind == "perceptron":
        return [*modules, "nn.Linear(2, 1, dtype=torch.float64)", "Decision()"]
    for i, (weight, _) in enumerate(network.layers):
        modules.append(f"nn.Linear({weight.shape[0]}, {weight.shape[1]}, dtype=torch.float64)")
        if i < len(network.layers) - 1:
            modules.append(MODULES[network.activation])
    if not network.regression:
        modules.append("nn.Softmax(dim=1)")
    return modules
