"""Running exported scripts as a user runs them, for the export tests (model and window)."""

from __future__ import annotations

import csv
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

TORCH_PYTHON_VARIABLE = "NP_TORCH_PYTHON"


def torch_python() -> str | None:
    """A Python that can import torch: this one, or the one NP_TORCH_PYTHON names."""
    if importlib.util.find_spec("torch") is not None:
        return sys.executable
    named = os.environ.get(TORCH_PYTHON_VARIABLE)
    if named and Path(named).is_file():
        check = subprocess.run([named, "-c", "import torch"], capture_output=True, timeout=120)
        if check.returncode == 0:
            return named
    return None


NO_TORCH = (
    "torch is not importable here: set NP_TORCH_PYTHON to a Python that has it "
    "(e.g. NP_TORCH_PYTHON=/tmp/torchvenv/bin/python) to run the PyTorch script's tests"
)


def run_script(path: Path, *args: str, python: str = sys.executable):
    """Run an exported script; its stdout (a failure shows its stderr)."""
    result = subprocess.run(
        [python, str(path), *args], capture_output=True, text=True, timeout=300, cwd=path.parent
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def script_predictions(path: Path, X: np.ndarray, python: str = sys.executable):
    """What the script's --predict writes for the points ``X``: (class names, outputs), the
    outputs being the class probabilities, or a regression's values in one column."""
    points = path.parent / "points.csv"
    out = path.parent / "predictions.csv"
    with points.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["x1", "x2"])
        writer.writerows([repr(a), repr(b)] for a, b in X.tolist())
    run_script(path, "--predict", str(points), str(out), python=python)
    with out.open(newline="") as handle:
        rows = list(csv.reader(handle))
    header, rows = rows[0], rows[1:]
    got = np.array([[float(r[0]), float(r[1])] for r in rows]).reshape(-1, 2)
    assert np.array_equal(got, X)  # the points read back exactly
    if header[2] == "value":
        return None, np.array([[float(r[2])] for r in rows])
    return [r[2] for r in rows], np.array([[float(v) for v in r[3:]] for r in rows])
