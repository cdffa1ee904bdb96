"""What the two code exports share: the network read out of a model, and its arrays written
as Python text that loads back to the same float64 bits.

The scripts are generated as text (model/export/numpy_script.py, model/export/torch_script.py,
chosen and written by model/export/scripts.py); the app never imports torch. A small array is
written as a readable list (``repr`` of a float reads back exactly); a large one as the base64
of its little-endian bytes, about a third of the size of the list, so the largest network
(8 x 256 hidden units) stays a few megabytes.
"""

from __future__ import annotations

import base64
import dataclasses
import pprint
import textwrap
from dataclasses import dataclass

import numpy as np

from model.data.datasets import CUSTOM, Dataset
from model.nn.features import DEFAULT_FEATURES, feature_label
from model.nn.mlp import MLP
from model.nn.perceptron import Perceptron
from model.training.evaluation import SLICE_MULTIPLY_ADDS, multiply_adds_per_row

LIST_LIMIT = 1000  # arrays of at most this many numbers are written as lists

# How each input feature is computed from the columns x1, x2 (model/nn/features.py's table).
FEATURE_CODE = {
    "x1": ("x1", "x1"),
    "x2": ("x2", "x2"),
    "x1sq": ("x1 * x1", "x1 * x1"),
    "x2sq": ("x2 * x2", "x2 * x2"),
    "x1x2": ("x1 * x2", "x1 * x2"),
    "sinx1": ("np.sin(x1)", "torch.sin(x1)"),
    "sinx2": ("np.sin(x2)", "torch.sin(x2)"),
}
ACTIVATION_NAMES = {"relu": "ReLU", "tanh": "tanh", "sigmoid": "sigmoid", "linear": "linear"}


@dataclass(frozen=True)
class ExportedNetwork:
    """Everything a script needs: the weights (copies), the inputs and the test points."""

    kind: str  # "mlp" or "perceptron"
    features: tuple[str, ...]
    activation: str  # the hidden units' ("" for the perceptron)
    layers: list[tuple[np.ndarray, np.ndarray]]  # (weight (in, out), bias (out,)), in order
    perceptron_weights: np.ndarray | None  # [bias, w1, w2]
    regression: bool
    class_names: tuple[str, ...]
    rows: int  # rows per slice of inference, as the app evaluates (model/training/evaluation.py)
    X_test: np.ndarray
    y_test: np.ndarray
    summary: str  # what the network is and what it was trained on, for the docstring

    @property
    def widths(self) -> list[int]:
        return [self.layers[0][0].shape[0], *(w.shape[1] for w, _ in self.layers)]


def exported_network(
    model: MLP | Perceptron, dataset: Dataset, updates: int | None = None
) -> ExportedNetwork:
    """Read the network out of ``model``; ValueError when there is nothing sound to export."""
    if isinstance(model, Perceptron):
        weights = model.weights.copy()
        layers, features, activation = [], DEFAULT_FEATURES, ""
        arrays = [weights]
    elif isinstance(model, MLP):
        weights = None
        layers = [(lin.params["weight"].copy(), lin.params["bias"].copy()) for lin in model.linears]
        features, activation = tuple(model.features), model.activation
        if activation not in ACTIVATION_NAMES:
            raise ValueError(f"the {activation} activation cannot be exported")
        arrays = [a for pair in layers for a in pair]
    else:
        raise ValueError(f"a {type(model).__name__} cannot be exported")
    if not all(np.all(np.isfinite(a)) for a in arrays):
        raise ValueError(
            "the weights are not all finite numbers (the run diverged): reset it before exporting"
        )
    rows = max(1, SLICE_MULTIPLY_ADDS // max(1, multiply_adds_per_row(model)))
    network = ExportedNetwork(
        "perceptron" if weights is not None else "mlp",
        features,
        activation,
        layers,
        weights,
        dataset.is_regression,
        dataset.label_names(),
        rows,
        np.array(dataset.X_test, dtype=np.float64, order="C"),
        np.array(dataset.y_test),
        "",
    )
    return _with_summary(network, dataset, updates)


def _with_summary(
    network: ExportedNetwork, dataset: Dataset, updates: int | None
) -> ExportedNetwork:
    inputs = ", ".join(feature_label(f) for f in network.features)
    if network.kind == "perceptron":
        what = "The perceptron (w . x + b >= 0: class 1, else class 0)"
    else:
        hidden = "".join(
            f" -> {w.shape[1]} {ACTIVATION_NAMES[network.activation]}"
            for w, _ in network.layers[:-1]
        )
        classes = f"{len(network.class_names)} classes (softmax)"
        end = "1 value (linear output)" if network.regression else classes
        what = f"A multi-layer perceptron: {network.widths[0]} inputs ({inputs}){hidden} -> {end}"
    name = "your own points" if dataset.name == CUSTOM else dataset.name
    data = f"Data: {name}, " + (
        "regression (the target is a real value)"
        if network.regression
        else f"classes {', '.join(network.class_names)}"
    )
    trained = "" if updates is None else f"; trained for {updates} updates"
    summary = f"{what}.\n\n{data}{trained}; {len(network.y_test)} test points are included."
    return dataclasses.replace(network, summary=summary)


def array_code(values: np.ndarray, library: str) -> str:
    """Python text that evaluates to ``values`` (float64 or int64) in the script's library,
    to the last bit: a list when small, the base64 of the little-endian bytes when large."""
    values = np.asarray(values)
    integer = values.dtype.kind in "iub"
    values = values.astype(np.int64 if integer else np.float64)
    dtype = f"{'np' if library == 'numpy' else 'torch'}.{'int64' if integer else 'float64'}"
    make = "np.array" if library == "numpy" else "torch.tensor"
    shape = repr(tuple(values.shape))
    if values.size == 0:
        return f"{'np' if library == 'numpy' else 'torch'}.zeros({shape}, dtype={dtype})"
    if values.size <= LIST_LIMIT:
        listed = pprint.pformat(values.tolist(), width=92, compact=True)
        return f"{make}(\n{textwrap.indent(listed, '    ')},\n    dtype={dtype},\n)"
    raw = values.astype("<i8" if integer else "<f8").tobytes()
    text = base64.b64encode(raw).decode("ascii")
    lines = "\n".join(text[i : i + 88] for i in range(0, len(text), 88))
    return f'_decode(\n    """\n{lines}\n""",\n    {dtype},\n    {shape},\n)'


def feature_code(features: tuple[str, ...], library: str) -> list[str]:
    """The expressions of x1, x2 that compute each feature, in order."""
    column = 0 if library == "numpy" else 1
    return [FEATURE_CODE[name][column] for name in features]


def docstring(*paragraphs: str) -> str:
    """Paragraphs wrapped to 92 columns; an indented one (a command) is kept as it is."""
    out = []
    for paragraph in "\n\n".join(paragraphs).split("\n\n"):
        if paragraph.startswith("    "):
            out.append(paragraph)
        else:
            out.append(textwrap.fill(" ".join(paragraph.split()), 92))
    # names from the user's files stay text: no escape sequence, no end of the docstring
    return "\n\n".join(out).replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
