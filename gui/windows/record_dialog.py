"""File > Record…: what to record (the boundary or the whole window), how often, where, and
whether each frame carries a caption (epoch, update, loss and accuracy).

The choice is checked before the dialog closes, so a recording never starts towards a file
it cannot write; the last choice is offered again next time.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gui.files.recording_writer import (
    DEFAULT_FPS,
    FORMATS,
    FPS_RANGE,
    MAX_BYTES,
    MAX_FRAMES,
    recording_problem,
    size_text,
)

SOURCES = {"boundary": "The decision boundary", "window": "The whole window"}
KEYS = {
    "path": "recording/path",
    "source": "recording/source",
    "fps": "recording/fps",
    "caption": "recording/caption",
}
CAPTION_TIP = (
    "A strip below each frame with the epoch, the update, the loss and the accuracy "
    "(the mean squared error for regression) of the state shown"
)
ERROR_STYLE = "color:#a01010;"


@dataclass(frozen=True)
class RecordChoice:
    path: str
    source: str  # a key of SOURCES
    fps: int
    caption: bool = True  # the figures of each frame burnt in below it


def remembered_choice(settings: QSettings | None) -> RecordChoice:
    """The last choice, where it is still usable; else a captioned GIF of the boundary in
    the home folder at 15 frames/s."""
    path, source, fps = str(Path.home() / "neural-playground.gif"), "boundary", DEFAULT_FPS
    caption = True
    if settings is not None:
        stored_path = settings.value(KEYS["path"])
        if isinstance(stored_path, str) and Path(stored_path).suffix.lower() in FORMATS:
            path = stored_path
        if settings.value(KEYS["source"]) in SOURCES:
            source = settings.value(KEYS["source"])
        try:
            stored_fps = int(settings.value(KEYS["fps"], fps))
            if FPS_RANGE[0] <= stored_fps <= FPS_RANGE[1]:
                fps = stored_fps
        except (TypeError, ValueError):
            pass
        stored_caption = str(settings.value(KEYS["caption"], "true")).lower()
        caption = stored_caption not in ("false", "0", "no")
    return RecordChoice(path, source, fps, caption)


def remember_choice(settings: QSettings | None, choice: RecordChoice) -> None:
    if settings is not None:
        settings.setValue(KEYS["path"], choice.path)
        settings.setValue(KEYS["source"], choice.source)
        settings.setValue(KEYS["fps"], choice.fps)
        settings.setValue(KEYS["caption"], "true" if choice.caption else "false")


class RecordDialog(QDialog):
    """Asks for a RecordChoice; ``choice()`` once accepted."""

    def __init__(self, initial: RecordChoice, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Record")
        self.sources = QButtonGroup(self)
        source_row = QHBoxLayout()
        for key, text in SOURCES.items():
            button = QRadioButton(text)
            button.setProperty("source", key)
            button.setChecked(key == initial.source)
            self.sources.addButton(button)
            source_row.addWidget(button)
        self.fps = QSpinBox()
        self.fps.setRange(*FPS_RANGE)
        self.fps.setValue(initial.fps)
        self.fps.setSuffix(" frames/s")
        self.fps.setToolTip("At most this many frames for each second of training watched")
        self.caption = QCheckBox("Epoch, update, loss and accuracy below each frame")
        self.caption.setChecked(initial.caption)
        self.caption.setToolTip(CAPTION_TIP)
        self.format = QComboBox()
        for suffix, name in FORMATS.items():
            self.format.addItem(f"{name[0].upper()}{name[1:]} ({suffix})", suffix)
        self.path = QLineEdit(initial.path)
        self.path.setMinimumWidth(360)
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)
        form = QFormLayout()
        form.addRow("Record:", source_row)
        form.addRow("Rate:", self.fps)
        form.addRow("Caption:", self.caption)
        form.addRow("Format:", self.format)
        form.addRow("Save to:", path_row)
        hint = QLabel(
            "Frames are captured as training plays or steps, and none while it is paused. "
            f"The file is written as the recording goes (up to {MAX_FRAMES:,} frames or "
            f"{size_text(MAX_BYTES)}) and appears when it stops: Ctrl+R, or closing the window."
        )
        hint.setWordWrap(True)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.record_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.record_button.setText("Record")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._follow_path(initial.path)
        self.path.textEdited.connect(self._follow_path)
        self.format.activated.connect(self._format_chosen)

    def choice(self) -> RecordChoice:
        button = self.sources.checkedButton()
        source = button.property("source") if button is not None else "boundary"
        path = os.path.expanduser(self.path.text().strip())
        return RecordChoice(path, source, self.fps.value(), self.caption.isChecked())

    def accept(self) -> None:
        """Closes only on a choice that can be recorded; else says why, in the dialog."""
        choice = self.choice()
        problem = recording_problem(choice.path, choice.fps) if choice.path else "choose a file"
        if problem:
            problem = problem.removeprefix(f"{choice.path}: ")  # the path is in the box
            self.error.setText(problem[0].upper() + problem[1:] + ".")
            self.error.show()
            return
        super().accept()

    def _browse(self) -> None:
        patterns = ";;".join(
            f"{name[0].upper()}{name[1:]} (*{suffix})" for suffix, name in FORMATS.items()
        )
        chosen = self.format.currentIndex()
        pattern = patterns.split(";;")[chosen]
        path, _ = QFileDialog.getSaveFileName(
            self, "Record to", self.path.text(), patterns, pattern
        )
        if path:
            self.path.setText(path)
            self._follow_path(path)

    def _follow_path(self, text: str) -> None:
        """The format box names the format the file's suffix gives."""
        index = self.format.findData(Path(text.strip()).suffix.lower())
        if index >= 0:
            self.format.setCurrentIndex(index)
        self.error.hide()

    def _format_chosen(self) -> None:
        """Another format: the file's suffix follows."""
        text = self.path.text().strip()
        if text:
            self.path.setText(str(Path(text).with_suffix(self.format.currentData())))
        self.error.hide()
