"""What the Experiments window's two tabs share: reading the lists typed into them, a row of
labelled fields, and the Run / Cancel / progress controls of a tab that runs one experiment.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from model.config import ExperimentConfig
from model.experiments.comparisons import config_with
from model.numbers import parse_number

DEFAULT_VALUES = {
    "batch_size": "1, 10, 50, 200, 500",
    "learning_rate": "0.1, 0.03, 0.01, 0.003",
    "hidden": "20; 10-10; 50",
    "activation": "relu, tanh, sigmoid",
    "optimizer": "sgd, momentum, adam",
    "init": "he, xavier, small",
}


def parse_numbers(text: str, name: str, kind: type = float) -> list:
    """A comma-separated list of numbers, or ValueError naming the field and the value."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts:
        raise ValueError(f"{name}: enter at least one value, separated by commas")
    try:
        return [parse_number(p, kind) for p in parts]
    except ValueError as error:
        raise ValueError(f"{name}: {error}") from None


def parse_values(parameter: str, text: str) -> list:
    """The values to compare, checked against the configuration rules."""
    if parameter == "hidden":
        runs = [r.strip() for r in text.split(";") if r.strip()]
        try:
            values = [
                tuple(parse_number(w, int) for w in r.replace(",", "-").split("-") if w.strip())
                for r in runs
            ]
        except ValueError:
            raise ValueError(
                "hidden: write runs separated by ';', widths by '-', e.g. 20; 10-10"
            ) from None
    elif parameter == "batch_size":
        values = parse_numbers(text, "batch sizes", int)
    elif parameter == "learning_rate":
        values = parse_numbers(text, "learning rates", float)
    else:
        values = [v.strip() for v in text.split(",") if v.strip()]
    if not values:
        raise ValueError(f"{parameter}: enter at least one value")
    for value in values:
        config_with(ExperimentConfig(), parameter, value)  # raises on a bad value
    return values


def labelled_row(*fields: tuple[str, QWidget, int], stretch: bool = False) -> QHBoxLayout:
    """Labels and their fields side by side, each ``(label, widget, stretch factor)``."""
    row = QHBoxLayout()
    for index, (text, widget, factor) in enumerate(fields):
        if index:
            row.addSpacing(12)
        label = QLabel(text)
        label.setBuddy(widget)
        row.addWidget(label)
        row.addWidget(widget, factor)
    if stretch:
        row.addStretch(1)
    return row


class ExperimentTab(QWidget):
    """A tab that runs one experiment in the window's background thread: ``run`` checks the
    fields and emits ``requested`` with the worker's request; the window wires Cancel and
    says when the thread is busy."""

    requested = Signal(object)  # the request for the experiment worker

    def __init__(self, run_tip: str, parent=None) -> None:
        super().__init__(parent)
        self.run_button = QPushButton("Run")
        self.run_button.setToolTip(run_tip)
        self.run_button.clicked.connect(self.run)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar()

    def run(self) -> None:
        """Check the fields and emit ``requested``, or say what is wrong."""
        raise NotImplementedError

    def set_busy(self, busy: bool) -> None:
        """One experiment at a time: Run waits while any runs, Cancel only then."""
        self.run_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
