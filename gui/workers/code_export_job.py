"""The network written as code, from the training thread.

The Trainer belongs to the worker's thread and the window sees only frames, which do not
always carry the weights. So the script is made where the Trainer lives: a queued call on
this child of the worker runs between two slices of training (one consistent set of
weights, even while playing), writes the file atomically and says how it went.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot

from model.export.scripts import export_trainer


class CodeExportJob(QObject):
    """A child of the worker, made before the worker moves to its thread (so it moves too)."""

    exported = Signal(str, str, str)  # kind, path, and why it failed ("" when it worked)

    def __init__(self, worker: QObject) -> None:
        super().__init__(worker)
        self.worker = worker

    @Slot(str, str)
    def export(self, kind: str, path: str) -> None:
        """Write the ``kind`` ("numpy" or "torch") script of the network being trained."""
        trainer = getattr(self.worker, "trainer", None)
        if trainer is None:
            self.exported.emit(kind, path, "There is no network to export yet.")
            return
        try:
            export_trainer(kind, trainer, path)
        except (OSError, ValueError) as error:
            self.exported.emit(kind, path, f"The network was not exported: {error}.")
            return
        self.exported.emit(kind, path, "")
