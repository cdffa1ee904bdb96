"""The student's own MLP and Perceptron trained in their process, step by step, for a window
that shows them beside the reference's run: the same initial weights and the same batches in,
the loss and the weights after each update out.

Nothing here trusts the student's code: it runs in the student's process (sandbox.py) with the
time limit per command and the memory limit of the checks; when it raises, loops or dies,
StudentCodeError says so in one line and the run is over.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from model.checking.discovery import student_folder
from model.checking.sandbox import Refused, Stopped, StudentProcess
from model.limits import CHECK_MEMORY_BYTES, CHECK_SECONDS

Pairs = list[tuple[np.ndarray, np.ndarray]]


class StudentCodeError(Exception):
    """The student's code could not be run on: ``args[0]`` says why, on one line."""


@dataclass(frozen=True)
class TrainingStep:
    """One update of the student's MLP: the loss before it and every layer's (W as (in, out),
    b) after it."""

    loss: float
    weights: Pairs


def _open(path: str | Path, module: str, seconds: float, memory_bytes: int) -> StudentProcess:
    process = StudentProcess(student_folder(path), {}, seconds, memory_bytes)
    try:
        process.open()
    except (Stopped, Refused) as error:
        process.sandbox.close()
        raise StudentCodeError(str(error)) from None
    if module not in process.classes:
        process.sandbox.close()
        reasons = [failure.message() for failure in process.failures]
        raise StudentCodeError(reasons[0] if reasons else f"no {module} class was found in {path}")
    return process


class StudentTraining:
    """The student's ``MLP(n_inputs, n_hidden, n_classes)`` holding ``weights`` (the
    reference's initial ones, as (in, out) and bias pairs), trained by plain gradient descent.

    ``X`` and ``labels`` (a first batch) tell which gradient MLP.backward wants: with respect
    to the logits or to the probabilities. With ``own_loss`` the gradient is what the
    student's CrossEntropy.backward returns and the loss its forward's, so a wrong loss module
    shows in the run; without it, the mean cross-entropy's.
    """

    def __init__(
        self,
        path: str | Path,
        n_hidden: list[int],
        weights: Pairs,
        X: np.ndarray,
        labels: np.ndarray,
        *,
        n_inputs: int = 2,
        n_classes: int = 2,
        own_loss: bool = True,
        seconds: float = CHECK_SECONDS,
        memory_bytes: int = CHECK_MEMORY_BYTES,
    ) -> None:
        self._process: StudentProcess | None = _open(path, "MLP", seconds, memory_bytes)
        payload = {
            "widths": [n_inputs, *n_hidden, n_classes],
            "weights": [
                (np.asarray(w, float), np.asarray(b, float).reshape(-1)) for w, b in weights
            ],
            "X": np.asarray(X, float),
            "labels": np.asarray(labels),
            "own_loss": own_loss,
        }
        self.split = self._request("mlp_start", payload)

    def _request(self, command: str, payload: Any) -> Any:
        if self._process is None:
            raise StudentCodeError("the student's MLP is no longer running")
        try:
            return self._process.request(command, payload)
        except (Stopped, Refused) as error:
            self.close()
            raise StudentCodeError(str(error)) from None

    def update(self, X: np.ndarray, labels: np.ndarray, learning_rate: float) -> TrainingStep:
        """One update on the batch (X, labels)."""
        loss, weights = self._request(
            "mlp_update", (np.asarray(X, float), np.asarray(labels), float(learning_rate))
        )
        return TrainingStep(loss, weights)

    def outputs(self, X: np.ndarray) -> np.ndarray:
        """The student's MLP's outputs (class probabilities, or logits if it has no SoftMax)
        for the rows of ``X``: what its boundary is drawn from."""
        return self._request("mlp_outputs", np.asarray(X, float))

    def close(self) -> None:
        """End the student's process."""
        if self._process is not None:
            self._process.sandbox.close()
            self._process = None

    def __enter__(self) -> StudentTraining:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def student_perceptron_epochs(
    path: str | Path,
    X: np.ndarray,
    labels: np.ndarray,
    learning_rate: float,
    epochs: int,
    *,
    seconds: float = CHECK_SECONDS,
    memory_bytes: int = CHECK_MEMORY_BYTES,
) -> list[np.ndarray]:
    """The student's Perceptron trained on (X, labels) from zero weights, one epoch at a time:
    its weights ([bias, w1, w2]) after each epoch, to draw its line beside the reference's.
    Labels may be 0/1 or -1/+1; StudentCodeError if the code cannot be run."""
    process = _open(path, "Perceptron", seconds, memory_bytes)
    try:
        payload = {
            "X": np.asarray(X, float),
            "labels": np.asarray(labels),
            "learning_rate": float(learning_rate),
            "epochs": int(epochs),
        }
        return process.request("perceptron_epochs", payload)
    except (Stopped, Refused) as error:
        raise StudentCodeError(str(error)) from None
    finally:
        process.sandbox.close()
