"""File > Export > Python script and ``main.py train --export_script``: the network as one
standalone file that needs only NumPy.

The script does the app's inference arithmetic in the same order (model/nn/mlp.py
``layers_and_probabilities``, model/nn/activations.py, ``softmax_rows`` of
model/nn/fused_pass.py, the row slices of model/training/evaluation.py), so with the same NumPy its
outputs are the app's to the
last bit; the tests run it in a subprocess and compare.
"""

from __future__ import annotations

from string import Template

from model.export.common import (
    ACTIVATION_NAMES,
    ExportedNetwork,
    array_code,
    docstring,
    feature_code,
)
from model.export.script_command import main_code, reading_code, usage_text

# In place, as model/nn/activations.py computes them (same operations, same order).
ACTIVATION_CODE = {
    "relu": "np.maximum(h, 0.0, out=h)",
    "tanh": "np.tanh(h, out=h)",
    "sigmoid": "# (1 + tanh(h / 2)) / 2, which never overflows\n"
    "    np.multiply(h, 0.5, out=h)\n    np.tanh(h, out=h)\n    h += 1.0\n    h *= 0.5",
    "linear": "pass  # a linear unit passes its weighted sum on unchanged",
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

import numpy as np


def _decode(text, dtype, shape):
    """An array stored as the base64 of its little-endian bytes: exact and compact."""
    raw = np.frombuffer(base64.b64decode(text), dtype=np.dtype(dtype).newbyteorder("<"))
    return raw.astype(dtype).reshape(shape)

''')

POINTS = '''

def _points(X):
    """The points as a C-ordered float64 array of rows (x1, x2)."""
    X = np.asarray(X, dtype=np.float64)
    if X.ndim == 1:
        X = X.reshape(1, -1)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"the points must be rows of two numbers (x1, x2), got shape {X.shape}")
    return np.ascontiguousarray(X)
'''

MLP_CODE = Template('''
def features(X):
    """What the first layer sees of each point: $labels."""
$features_body


def activation(h):
    """The hidden units' activation, $activation_name, applied in place."""
    $activation_body


def _outputs(X):
    h = features(X)
    for weight, bias in LAYERS[:-1]:
        h = h @ weight
        h += bias
        activation(h)
    weight, bias = LAYERS[-1]
    z = h @ weight
    z += bias
    return $finish


def _in_slices(X):
    """The outputs for the rows of X, ROWS at a time as the app evaluates them."""
    X = _points(X)
    if len(X) <= ROWS:
        return _outputs(X)
    return np.concatenate([_outputs(X[i : i + ROWS]) for i in range(0, len(X), ROWS)])
''')

SOFTMAX = '''

def softmax(z):
    """Softmax of every row, in place, shifted by the row maximum."""
    row_max = z[:, 0].copy()
    for j in range(1, z.shape[1]):
        np.maximum(row_max, z[:, j], out=row_max)
    z -= row_max[:, None]
    np.exp(z, out=z)
    z /= (z @ np.ones(z.shape[1]))[:, None]
    return z
'''

CLASSIFIER_API = '''

def predict_proba(X):
    """The probability of each class (columns in CLASS_NAMES' order) for every row of X."""
    return $proba


def predict(X):
    """The most probable class (an index into CLASS_NAMES) for every row of X."""
    return $predict
'''

REGRESSION_API = '''

def predict(X):
    """The predicted value for every row of X (x1, x2): shape (n,)."""
    return _in_slices(X)[:, 0]
'''


def numpy_script(network: ExportedNetwork, filename: str = "network.py") -> str:
    """The whole script, as text."""
    if network.kind == "perceptron":
        api = "predict(X) is the class (0 or 1) of each row of an (n, 2) array of points x1, x2, "
        api += "and scores(X) their w . x + b."
    elif network.regression:
        api = "predict(X) is the predicted value of each row of an (n, 2) array of points x1, x2."
    else:
        api = "predict(X) is the class of each row of an (n, 2) array of points x1, x2 (an index "
        api += "into CLASS_NAMES), predict_proba(X) the probability of every class."
    doc = docstring(
        network.summary,
        f"Needs only NumPy. {usage_text(filename, network.regression)}",
        f"Or import it: {api}",
        "The arithmetic is Neural Playground's own inference, in the same order, so with the "
        "same NumPy the outputs are the app's to the last bit.",
    )
    parts = [
        HEAD.substitute(doc=doc),
        _constants(network),
        POINTS,
    ]
    if network.kind == "perceptron":
        parts.append(_perceptron_code())
    else:
        parts.append(_mlp_code(network))
    parts.append(reading_code())
    points = "np.frombuffer(_read_points(argv[1]), dtype=np.float64)"  # shares, no copy
    parts.append(main_code(network.regression, points, network.rows))
    return "\n\n\n".join(part.strip("\n") for part in parts) + "\n"


def _constants(network: ExportedNetwork) -> str:
    lines = []
    if not network.regression:
        lines.append(f"CLASS_NAMES = {tuple(network.class_names)!r}")
    if network.kind == "perceptron":
        lines += [
            "",
            "# [b, w1, w2]: class 1 where w1 x1 + w2 x2 + b >= 0.",
            f"WEIGHTS = {array_code(network.perceptron_weights, 'numpy')}",
        ]
    else:
        lines.append(f"ROWS = {network.rows}  # points per slice of inference, as in the app")
        names = []
        last = len(network.layers) - 1
        for i, (weight, bias) in enumerate(network.layers, start=1):
            fan_in, fan_out = weight.shape
            if i - 1 < last:
                name = ACTIVATION_NAMES[network.activation]
                what = f"{fan_in} -> {fan_out} {name} units: h = activation(h @ W{i} + B{i})"
            else:
                what = f"output, {fan_in} -> {fan_out}: z = h @ W{i} + B{i}"
            lines += [
                "",
                f"# Layer {i}, {what}; W{i} has shape (inputs, units).",
                f"W{i} = {array_code(weight, 'numpy')}",
                f"B{i} = {array_code(bias, 'numpy')}",
            ]
            names.append(f"(W{i}, B{i})")
        lines += ["", f"LAYERS = [{', '.join(names)}]"]
    lines += [
        "",
        "# The test points exported with the network, and their "
        + ("targets." if network.regression else "classes."),
        f"X_TEST = {array_code(network.X_test, 'numpy')}",
        f"Y_TEST = {array_code(network.y_test, 'numpy')}",
    ]
    return "\n".join(lines) + "\n"


def _mlp_code(network: ExportedNetwork) -> str:
    from model.nn.features import DEFAULT_FEATURES, feature_label

    if network.features == DEFAULT_FEATURES:
        body = "    return X  # the plain coordinates"
    else:
        body = "\n".join(
            [
                "    x1, x2 = X[:, 0], X[:, 1]",
                f"    out = np.empty((len(X), {len(network.features)}), dtype=np.float64)",
                *(
                    f"    out[:, {j}] = {code}"
                    for j, code in enumerate(feature_code(network.features, "numpy"))
                ),
                "    return out",
            ]
        )
    code = MLP_CODE.substitute(
        labels=", ".join(feature_label(f) for f in network.features),
        features_body=body,
        activation_name=ACTIVATION_NAMES[network.activation],
        activation_body=ACTIVATION_CODE[network.activation],
        finish="z" if network.regression else "softmax(z)",
    )
    if network.regression:
        return code + REGRESSION_API
    return (
        code
        + SOFTMAX
        + Template(CLASSIFIER_API).substitute(
            proba="_in_slices(X)", predict="np.argmax(predict_proba(X), axis=1)"
        )
    )


def _perceptron_code() -> str:
    return """

def scores(X):
    \"\"\"w . x + b for every row of X: positive on class 1's side.\"\"\"
    X = _points(X)
    return X @ WEIGHTS[1:] + WEIGHTS[0]


def predict(X):
    \"\"\"The class of every row of X: 1 where w . x + b >= 0, else 0.\"\"\"
    return (scores(X) >= 0).astype(np.int64)


def predict_proba(X):
    \"\"\"The hard decision as class probabilities (0 or 1), one column per class.\"\"\"
    plus = (scores(X) >= 0).astype(np.float64)
    return np.column_stack([1.0 - plus, plus])
"""
