"""Where the run stands, in large digits under small captions, as TensorFlow Playground's
counter: the epoch and the update on the toolbar, always in view; in presentation mode also
the latest figures, above the views."""

from __future__ import annotations

from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from gui.workers.frames import Frame
from model.training.history import HistoryPoint

KEYS = ("epoch", "update", "train", "test", "accuracy")


class Counter(QWidget):
    """``keys`` (of KEYS), each a caption over its value; ``digits`` times the caption's
    font for the values."""

    def __init__(self, keys: tuple[str, ...] = KEYS, spacing: int = 48) -> None:
        super().__init__()
        layout = QGridLayout(self)
        layout.setContentsMargins(16, 6, 16, 6)
        layout.setHorizontalSpacing(spacing)
        layout.setVerticalSpacing(0)
        self.captions: dict[str, QLabel] = {}
        self.values: dict[str, QLabel] = {}
        for column, key in enumerate(keys):
            caption, value = QLabel(), QLabel()
            layout.addWidget(caption, 0, column)
            layout.addWidget(value, 1, column)
            self.captions[key], self.values[key] = caption, value
        layout.setColumnStretch(len(self.values), 1)  # room to spare goes after the values
        self.show_state(None, None)

    def set_fonts(self, base: QFont, digits: float, caption: float = 1.0) -> None:
        """Captions at ``caption`` times ``base``, in capitals; values ``digits`` times."""
        small = QFont(base)
        small.setPointSizeF(base.pointSizeF() * caption)
        small.setCapitalization(QFont.Capitalization.AllUppercase)
        large = QFont(base)
        large.setPointSizeF(base.pointSizeF() * digits)
        large.setStyleHint(QFont.StyleHint.Monospace)
        large.setFixedPitch(True)
        for label in self.captions.values():
            label.setFont(small)
            label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        for label in self.values.values():
            label.setFont(large)

    def show_state(self, frame: Frame | None, last: HistoryPoint | None) -> None:
        regression = frame is not None and frame.dataset is not None and frame.dataset.is_regression
        loss = "MSE" if regression else "loss"
        epoch = 0 if frame is None else int(frame.epoch)
        texts = {
            "epoch": ("Epoch", f"{epoch:07,d}"),  # 000,123 as in TF Playground
            "update": ("Update", f"{0 if frame is None else frame.update:,d}"),
            "train": (f"Train {loss}", "–" if last is None else f"{last.train_loss:.3f}"),
            "test": (f"Test {loss}", "–" if last is None else f"{last.test_loss:.3f}"),
            "accuracy": ("Test accuracy", "–" if last is None else f"{last.test_accuracy:.1%}"),
        }
        for key in self.values:
            caption, value = texts[key]
            shown = not (key == "accuracy" and regression)
            self.captions[key].setVisible(shown)
            self.values[key].setVisible(shown)
            if self.captions[key].text() != caption:
                self.captions[key].setText(caption)
            if self.values[key].text() != value:
                self.values[key].setText(value)
