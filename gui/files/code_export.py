"""File > Export > Python script and PyTorch script: the network being trained, as code.

The window asks where; the training thread, which owns the weights, writes the file
(gui/workers/code_export_job.py) between two slices of training, all or nothing; its answer
comes back as a status-bar message, or a dialog saying why nothing was written.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QWidget

from gui.files import save_dialogs
from model.io.safe_files import check_writable

PATTERN = "Python files (*.py)"
ACTIONS = {  # kind: menu text, dialog title, tip
    "numpy": (
        "Python script…",
        "Save the network as a Python script",
        "The network as one .py file needing only NumPy: its weights, predict(X), and the "
        "test accuracy when run; the same predictions as here",
    ),
    "torch": (
        "PyTorch script…",
        "Save the network as a PyTorch script",
        "The same network as torch.nn.Sequential in float64 with the weights loaded; "
        "PyTorch is needed only to run the file",
    ),
}


class CodeExport(QObject):
    """The two actions, the question where, and the answer from the training thread."""

    def __init__(self, playground, parent: QWidget) -> None:
        super().__init__(parent)
        self.playground = playground
        self.parent_widget = parent
        self.last_result: tuple[str, str, str] | None = None  # kind, path, problem
        self.actions: list[QAction] = []
        for kind, (text, _, tip) in ACTIONS.items():
            action = QAction(text, parent)
            action.setToolTip(tip)
            action.setStatusTip(tip)
            action.triggered.connect(lambda _=False, k=kind: self.ask_and_export(k))
            self.actions.append(action)
        self.numpy_action, self.torch_action = self.actions
        playground.code_exported.connect(self._exported)

    def ask_and_export(self, kind: str) -> None:
        """Ask for a file (``.py`` is added when left out), then export to it."""
        path = save_dialogs.ask_save_path(self.parent_widget, ACTIONS[kind][1], PATTERN)
        if not path:
            return
        if not path.endswith(".py"):
            path += ".py"
        self.export(kind, path)

    def export(self, kind: str, path: str) -> bool:
        """Ask the training thread to write ``kind``'s script to ``path``; False (and a
        dialog) when the path cannot be written at all."""
        problem = check_writable(path)
        if problem:
            self._warn(f"The network was not exported: cannot write {path}: {problem}.")
            return False
        self.last_result = None
        self.playground.export_code(kind, path)
        return True

    @Slot(str, str, str)
    def _exported(self, kind: str, path: str, problem: str) -> None:
        self.last_result = (kind, path, problem)
        if problem:
            self._warn(problem)
            return
        needs = " (it needs PyTorch)" if kind == "torch" else ""
        self.playground.say(
            f"Exported the network to {path}: run it with python {Path(path).name}{needs}.",
            8000,
        )

    def _warn(self, text: str) -> None:
        QMessageBox.warning(self.parent_widget, "Could not export the network", text)
