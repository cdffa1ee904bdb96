"""The code export by kind: which script ("numpy" or "torch") to make of a network, and its
all-or-nothing write. The one module that knows both scripts, so that they and what they share
(model/export/common.py) never import each other."""

from __future__ import annotations

import os

from model.data.datasets import Dataset
from model.export.common import exported_network
from model.export.numpy_script import numpy_script
from model.export.torch_script import torch_script
from model.io.safe_files import check_writable, write_atomic
from model.nn.mlp import MLP
from model.nn.perceptron import Perceptron
from model.training.trainer import Trainer

SCRIPTS = {"numpy": numpy_script, "torch": torch_script}


def script_text(
    kind: str, model: MLP | Perceptron, dataset: Dataset, updates: int | None, filename: str
) -> str:
    """The ``kind`` ("numpy" or "torch") script of ``model`` with ``dataset``'s test points."""
    if kind not in SCRIPTS:
        raise ValueError(f"kind must be one of {', '.join(SCRIPTS)}, got {kind!r}")
    return SCRIPTS[kind](exported_network(model, dataset, updates), filename)


def write_script(path: str | os.PathLike, text: str) -> None:
    """Write a script all or nothing (OSError with a message fit for a dialog or a line)."""
    problem = check_writable(path)
    if problem:
        raise OSError(f"cannot write {path}: {problem}")
    try:
        write_atomic(path, text.encode("utf-8"))
    except OSError as error:
        raise OSError(f"cannot write {path}: {error.strerror or error}") from None


def export_trainer(kind: str, trainer: Trainer, path: str | os.PathLike) -> None:
    """Write the ``kind`` script of the trainer's network now (OSError, ValueError)."""
    name = os.path.basename(os.fspath(path)) or "network.py"
    write_script(path, script_text(kind, trainer.model, trainer.dataset, trainer.updates, name))
