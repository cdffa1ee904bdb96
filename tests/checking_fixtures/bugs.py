"""Students' solutions with one bug each, and correct ones written the other ways a course
allows, made from correct/ by replacing text: a test writes the folder it needs into its own
temporary directory."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

CORRECT = Path(__file__).resolve().parent / "correct"


@dataclass(frozen=True)
class Change:
    """In ``file``, ``old`` (which must be there once) becomes ``new``."""

    file: str
    old: str
    new: str


@dataclass(frozen=True)
class Bug:
    """A folder whose checks fail in ``module`` alone, with ``message`` in the failure."""

    name: str
    module: str
    message: str
    changes: tuple[Change, ...]


BUGS = (
    Bug(
        "cross-entropy gradient of the sum",  # the report's listing: x - y with a mean forward
        "CrossEntropy",
        "CrossEntropy.backward (with SoftMax.backward) is 800.0 times the gradient of the loss "
        "CrossEntropy.forward returns, which is a mean over 800 samples: divide by the batch size",
        (Change("modules.py", "dx = (x - y) / x.shape[0]", "dx = x - y"),),
    ),
    Bug(
        "ReLU passes every gradient",
        "ReLU",
        "ReLU.backward lets the gradient through where the input was negative",
        (Change("modules.py", "dx = dout * (self.x > 0)", "dx = dout"),),
    ),
    Bug(
        "SoftMax without the row maximum",
        "SoftMax",
        "SoftMax.forward gives nan for inputs of 1000: subtract each row's maximum first",
        (Change("modules.py", "np.exp(x - x.max(axis=1, keepdims=True))", "np.exp(x)"),),
    ),
    Bug(
        "bias gradient not summed",
        "Linear",
        "Linear.backward: grads['bias'] has shape (32, 4), expected (4,): sum over the batch",
        (
            Change(
                "modules.py", 'self.grads["bias"] = dout.sum(axis=0)', 'self.grads["bias"] = dout'
            ),
        ),
    ),
    Bug(
        "input gradient with the weight the wrong way round",
        "Linear",
        "Linear.backward uses the weight the wrong way round",
        (
            Change(
                "modules.py",
                'dx = dout @ self.params["weight"]',
                'dx = dout @ self.params["weight"].T',
            ),
        ),
    ),
    Bug(
        "weight gradient divided by the batch size",
        "Linear",
        "grads['weight'] is 1/32 of x.T @ dout (dout has 32 rows): do not divide by the batch size",
        (Change("modules.py", "dout.T @ self.x", "dout.T @ self.x / len(self.x)"),),
    ),
    Bug(
        "weight gradient transposed",
        "Linear",
        "Linear.backward: grads['weight'] has shape (3, 4), expected (4, 3): store the gradient "
        "the way the weight is stored",
        (Change("modules.py", "dout.T @ self.x", "self.x.T @ dout"),),
    ),
    Bug(  # the MLP made of it is judged with the reference's Linear, and passes
        "weight made of the wrong shape",
        "Linear",
        "Linear(3, 4): params['weight'] has shape (3, 3), expected (3, 4) or (4, 3)",
        (
            Change(
                "modules.py", "size=(out_features, in_features)", "size=(in_features, in_features)"
            ),
        ),
    ),
    Bug(
        "MLP backward in forward order",
        "MLP",
        "MLP.backward raised ValueError",
        (
            Change(
                "mlp_numpy.py",
                "reversed(self.linears[:-1]), reversed(self.relus)",
                "self.linears[:-1], self.relus",
            ),
        ),
    ),
    Bug(
        "perceptron update summed over every axis",  # the report's listing
        "Perceptron",
        "Perceptron.train moves every weight by the same amount: the update is summed over the "
        "features too",
        (
            Change(
                "perceptron.py",
                "-np.mean(labels[wrong, None] * x[wrong], axis=0)",
                "-np.sum(labels[wrong, None] * x[wrong])",
            ),
        ),
    ),
    Bug(
        "perceptron counts points on the line as right",
        "Perceptron",
        "Perceptron.train never updates from zero weights: a point exactly on the line (score 0) "
        "must count as wrong",
        (
            Change(
                "perceptron.py",
                "-labels * (x @ self.weights) >= 0",
                "-labels * (x @ self.weights) > 0",
            ),
        ),
    ),
    Bug(
        "perceptron update summed over the points",
        "Perceptron",
        "Perceptron.train's update is 108.0 times the batch rule's: it sums over the 108 "
        "misclassified points, where the rule takes their mean",
        (
            Change(
                "perceptron.py",
                "-np.mean(labels[wrong, None] * x[wrong], axis=0)",
                "-np.sum(labels[wrong, None] * x[wrong], axis=0)",
            ),
        ),
    ),
)

# Right, written the other ways: the weight as (in, out), the bias as a row, SoftMax.backward
# the Jacobian product with CrossEntropy.backward the gradient with respect to the
# probabilities, an MLP that also keeps its last layer as model.head.
OTHER_CONVENTIONS = (
    Change("modules.py", "size=(out_features, in_features)", "size=(in_features, out_features)"),
    Change(
        "modules.py",
        '"weight": np.zeros((out_features, in_features))',
        '"weight": np.zeros((in_features, out_features))',
    ),
    Change("modules.py", 'x @ self.params["weight"].T', 'x @ self.params["weight"]'),
    Change("modules.py", "dout.T @ self.x", "self.x.T @ dout"),
    Change(
        "modules.py", 'dx = dout @ self.params["weight"]', 'dx = dout @ self.params["weight"].T'
    ),
    Change(
        "modules.py",
        '"bias": np.zeros(out_features),\n        }\n        self.grads',
        '"bias": np.zeros((1, out_features)),\n        }\n        self.grads',
    ),
    Change("modules.py", "dout.sum(axis=0)", "dout.sum(axis=0, keepdims=True)"),
    Change(
        "modules.py",
        "        dx = dout\n",
        "        s = self.out\n        dx = s * (dout - np.sum(dout * s, axis=1, keepdims=True))\n",
    ),
    Change(
        "modules.py", "dx = (x - y) / x.shape[0]", "dx = -y / np.clip(x, 1e-12, 1.0) / x.shape[0]"
    ),
    Change(
        "mlp_numpy.py",
        "        self.softmax = SoftMaxModule()\n",
        "        self.softmax = SoftMaxModule()\n        self.head = self.linears[-1]\n",
    ),
)

HANGING = (
    Change(
        "modules.py",
        "        self.x = x\n        out = np.maximum(x, 0.0)",
        "        while True:\n            pass",
    ),
)
BROKEN_IMPORT = (
    Change(
        "modules.py", "import numpy as np\n", "import numpy as np\nimport helpers_from_last_year\n"
    ),
)


def make_folder(root: Path, changes: tuple[Change, ...] = ()) -> Path:
    """correct/ with ``changes`` applied, copied into the new folder ``root``."""
    shutil.copytree(CORRECT, root, ignore=shutil.ignore_patterns("__pycache__"))
    for change in changes:
        path = root / change.file
        text = path.read_text(encoding="utf-8")
        assert text.count(change.old) == 1, f"{change.old!r} is not once in {change.file}"
        path.write_text(text.replace(change.old, change.new), encoding="utf-8")
    return root
