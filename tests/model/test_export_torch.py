"""The network exported as a PyTorch script: torch.nn.Sequential in float64, its outputs
within 1e-9 of the app's, the same accuracy line as the NumPy script.

The app never needs torch. These tests run the script with this Python when it can import
torch, else with the Python that NP_TORCH_PYTHON names, and are skipped otherwise.
"""

import re
import subprocess
import sys

import numpy as np
import pytest

from model.export.scripts import export_trainer
from model.training.evaluation import predict_in_slices
from tests.model.export_runs import NO_TORCH, run_script, script_predictions, torch_python
from tests.model.test_export_script import CASES, MAIN, _mlp, plane, trained

TORCH = torch_python()
needs_torch = pytest.mark.skipif(TORCH is None, reason=NO_TORCH)


def both_scripts(trainer, tmp_path):
    numpy_path, torch_path = tmp_path / "network.py", tmp_path / "network_torch.py"
    export_trainer("numpy", trainer, numpy_path)
    export_trainer("torch", trainer, torch_path)
    return numpy_path, torch_path


def test_the_app_never_imports_torch():
    code = (
        "import sys; from model.export.scripts import script_text; "
        "from model.training.trainer import build_trainer; "
        "from model.config import ExperimentConfig; "
        "t = build_trainer(ExperimentConfig()); "
        "script_text('torch', t.model, t.dataset, 0, 'n.py'); "
        "print('torch' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=MAIN.parent, timeout=60
    )
    assert result.stdout.strip() == "False", result.stderr


@needs_torch
@pytest.mark.parametrize("case", list(CASES))
def test_torch_outputs_match_the_apps_to_1e_9(tmp_path, case):
    trainer = trained(CASES[case])
    numpy_path, torch_path = both_scripts(trainer, tmp_path)
    X = plane(trainer.dataset)
    names, outputs = script_predictions(torch_path, X, python=TORCH)
    app = predict_in_slices(trainer.model, X)
    assert outputs.shape == app.shape
    assert np.max(np.abs(outputs - app)) <= 1e-9
    if names is not None:
        assert names == script_predictions(numpy_path, X)[0]
    # run, it prints the NumPy script's line
    assert run_script(torch_path, python=TORCH) == run_script(numpy_path)


@needs_torch
def test_the_torch_network_is_a_sequential_with_the_features_in_front(tmp_path):
    config = _mlp(CASES["tanh with x1sq, sinx1"].data, (12, 7), "tanh", ("x1sq", "sinx1"))
    trainer = trained(config)
    _, torch_path = both_scripts(trainer, tmp_path)
    code = (
        "import sys; sys.path.insert(0, '.'); import network_torch as m; "
        "print(type(m.NETWORK).__name__, [type(x).__name__ for x in m.NETWORK], "
        "next(m.NETWORK.parameters()).dtype)"
    )
    result = subprocess.run(
        [TORCH, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=300
    )
    assert result.returncode == 0, result.stderr
    modules = "['Features', 'Linear', 'Tanh', 'Linear', 'Tanh', 'Linear', 'Softmax']"
    assert result.stdout.strip() == f"Sequential {modules} torch.float64"


@needs_torch
def test_train_export_torch_prints_the_same_accuracy_line(tmp_path):
    numpy_path, torch_path = tmp_path / "net.py", tmp_path / "net_torch.py"
    result = subprocess.run(
        [
            sys.executable,
            str(MAIN),
            "train",
            "--max_steps",
            "25",
            "--features",
            "x1,x2,x1x2,sinx2",
            "--export_script",
            str(numpy_path),
            "--export_torch",
            str(torch_path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    accuracy = re.search(r"test accuracy (\d\.\d{4})", result.stdout.splitlines()[-1]).group(1)
    line = run_script(torch_path, python=TORCH)
    assert line.startswith(f"test accuracy {accuracy} (")
    assert line == run_script(numpy_path)
