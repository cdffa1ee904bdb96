"""File > Record: the boundary view or the whole window captured as training plays, streamed
to an animated GIF or an MP4 video (``gui.files.recording_writer`` encodes and writes).

A frame is grabbed after the window has drawn one, at most ``fps`` times a second of wall
time: one that comes sooner is grabbed when its turn comes, so the last state before a pause
is always in the film. While paused no frame comes and the file simply waits. A frame whose
boundary image does not fill the view (made before a resize reached the training thread) is
not filmed: the next one fits. Each frame may carry a caption with the figures it was drawn
with (``gui.windows.frame_caption``). The status bar shows the frames and bytes written; the
toolbar button wears a red dot. Stopping, closing the window or reaching the limit completes
the file; a failed write (a full disk) says why and leaves no file.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtCore import QObject, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QKeySequence, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QApplication, QLabel, QToolBar, QWidget

from gui.files.recording_writer import MAX_FRAMES, RecordingWriter, size_text
from gui.windows.actions import make_action
from gui.windows.frame_caption import CaptionFigures
from gui.windows.frame_grab import FrameGrabber, fills_view
from gui.windows.record_dialog import (
    SOURCES,
    RecordChoice,
    RecordDialog,
    remember_choice,
    remembered_choice,
)

RED = "#d62728"
STATUS_MS = 250  # how often the frame count and size are refreshed
IDLE_TIP = "Record the boundary or the whole window as training plays: an animated GIF or an MP4"


def record_icon(recording: bool) -> QIcon:
    """A red dot while recording; a red ring otherwise (drawn, no image file)."""
    pixmap = QPixmap(64, 64)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if recording:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(RED))
        painter.drawEllipse(QRectF(8, 8, 48, 48))
    else:
        painter.setPen(QPen(QColor(RED), 7))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(QRectF(12, 12, 40, 40))
    painter.end()
    return QIcon(pixmap)


class Recorder(QObject):
    """Owns one recording at a time: ``start``, ``stop``; ``action`` toggles through a dialog.

    ``sources`` maps "boundary" and "window" to the widgets they grab."""

    problem = Signal(str)  # the recording could not start, or failed: the banner says it
    saved = Signal(str)  # the path of a completed recording

    def __init__(self, playground, sources: dict[str, QWidget], parent: QWidget, settings=None):
        super().__init__(parent)
        self.playground = playground
        self.sources = sources
        self.figures = CaptionFigures(playground, self)  # the frame drawn and its figures
        self.settings = settings
        self.writer: RecordingWriter | None = None
        self.grabber: FrameGrabber | None = None
        self.choice: RecordChoice | None = None
        self._next_grab = 0.0
        self.max_frames = MAX_FRAMES  # then the recording stops and is saved
        self.action = make_action(parent, "Record…", QKeySequence("Ctrl+R"), IDLE_TIP, self.toggle)
        self.action.setIcon(record_icon(False))
        self.label = QLabel()  # for the status bar
        self.label.setStyleSheet(f"color:{RED}; font-weight:600; padding:0 6px;")
        self.label.hide()
        self._grab_timer = QTimer(self)
        self._grab_timer.setSingleShot(True)
        self._grab_timer.timeout.connect(self._grab)
        self._status_timer = QTimer(self)
        self._status_timer.setInterval(STATUS_MS)
        self._status_timer.timeout.connect(self._show_status)
        playground.frame_ready.connect(self._frame_arrived)

    @property
    def recording(self) -> bool:
        return self.writer is not None

    def put_on(self, toolbar: QToolBar) -> None:
        """The button, with its dot and its words."""
        toolbar.addAction(self.action)
        button = toolbar.widgetForAction(self.action)
        if button is not None:
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)

    # ----- start and stop -----
    def toggle(self) -> None:
        if self.recording:
            self.stop()
            return
        dialog = RecordDialog(remembered_choice(self.settings), self.parent())
        if dialog.exec():
            remember_choice(self.settings, dialog.choice())
            self.start(dialog.choice())

    def start(self, choice: RecordChoice) -> bool:
        """Begin recording with the view as it is now as the first frame (or, if its image
        does not fill it yet, the next frame); False (and the reason on ``problem``) if it
        cannot."""
        if self.recording:
            self.stop()
        try:
            writer = RecordingWriter(choice.path, choice.fps, max_frames=self.max_frames)
        except (OSError, ValueError) as error:
            self.problem.emit(f"Not recording: {error}.")
            return False
        self.writer, self.choice = writer, choice
        self.grabber = FrameGrabber(self.sources[choice.source], caption=choice.caption)
        self._next_grab = 0.0
        self._grab()
        if self.writer is None:  # the first grab failed and said why
            return False
        self.action.setText("Stop recording")
        self.action.setIcon(record_icon(True))
        self.action.setToolTip(f"Stop recording and save {Path(choice.path).name} (Ctrl+R)")
        self._show_status()
        self.label.show()
        self._status_timer.start()
        what = SOURCES[choice.source].lower()
        self.playground.say(f"Recording {what} at {choice.fps} frames/s. Ctrl+R stops.", 5000)
        return True

    def stop(self, why: str = "") -> Path | None:
        """Complete the file; its path, or None (and the reason on ``problem``)."""
        path, problem = self._complete(why)
        if problem:
            self.problem.emit(problem)
        return path

    def finish_on_close(self) -> None:
        """The window is closing: complete the file; a failure can only go to stderr."""
        _, problem = self._complete("")
        if problem:
            print(f"Neural Playground: {problem}", file=sys.stderr)

    def _complete(self, why: str) -> tuple[Path | None, str]:
        writer, choice = self.writer, self.choice
        if writer is None or choice is None:
            return None, ""
        self._end()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            writer.finish()
        except (OSError, ValueError) as error:
            return None, f"The recording was not saved: {error}. {_KEPT}"
        finally:
            QApplication.restoreOverrideCursor()
        height, width = writer.shape[:2] if writer.shape else (0, 0)
        self.playground.say(
            f"{why}Saved {writer.frames:,} frames ({width} x {height}, "
            f"{size_text(writer.bytes_written)}) to {choice.path}.",
            10_000,
        )
        self.saved.emit(choice.path)
        return Path(choice.path), ""

    def _end(self) -> None:
        self.writer = None
        self.grabber = None
        self._grab_timer.stop()
        self._status_timer.stop()
        self.label.hide()
        self.action.setText("Record…")
        self.action.setIcon(record_icon(False))
        self.action.setToolTip(f"{IDLE_TIP} (Ctrl+R)")

    def _failed(self, error: Exception) -> None:
        writer = self.writer
        self._end()
        if writer is not None:
            writer.abort()
        self.problem.emit(f"Recording stopped: {error}. {_KEPT}")

    # ----- frames -----
    def _frame_arrived(self, _frame) -> None:
        """Grab once the window has drawn this frame (a zero timer runs after its drawing),
        and not before the rate allows."""
        if self.writer is None or self._grab_timer.isActive():
            return
        wait = self._next_grab - time.monotonic()
        self._grab_timer.start(max(0, int(wait * 1000 + 0.999)))

    def _grab(self) -> None:
        writer, grabber = self.writer, self.grabber
        if writer is None or grabber is None or self.choice is None:
            return
        if not fills_view(self.sources["boundary"], self.figures.frame):
            return  # blank strips beside the image: the frame that fits is on its way
        self._next_grab = time.monotonic() + 1.0 / self.choice.fps
        text = self.figures.text() if self.choice.caption else None
        try:
            writer.add(grabber.grab(text))
        except (OSError, ValueError) as error:
            self._failed(error)
            return
        if writer.limit_reached:
            self.stop(f"The recording reached {writer.limit_reached}. ")

    def _show_status(self) -> None:
        writer, choice = self.writer, self.choice
        if writer is None or choice is None:
            return
        if writer.error is not None:
            self._failed(writer.error)
            return
        if writer.limit_reached:
            self.stop(f"The recording reached {writer.limit_reached}. ")
            return
        skipped = f", {writer.skipped:,} skipped (encoder busy)" if writer.skipped else ""
        text = (
            f"\u25cf REC  {Path(choice.path).name}: {writer.frames:,} frames, "
            f"{size_text(writer.bytes_written)}{skipped}"
        )
        if self.label.text() != text:
            self.label.setText(text)
            self.action.setStatusTip(text)


_KEPT = "No file was written; an older file of that name is untouched"
