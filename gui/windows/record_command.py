"""``--record PATH``: train a number of updates while recording, write the file, quit.

Unlike a recording made by hand (``gui.windows.recording``), which grabs frames as time
passes, this one grabs a frame at the start and after every ``every`` updates, with training
paused for the grab: the same options give the same film on any machine, however fast.
The film starts once the window has painted itself and drawn a frame made for the view's
laid-out shape; before that the boundary image may not fill the view yet (blank strips).
The exit status says how it went: 0 written, 1 not written (one line on stderr says why).
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QEvent, QObject, QTimer

from gui.files.recording_writer import RecordingWriter, size_text
from gui.windows.frame_caption import CaptionFigures
from gui.windows.frame_grab import FrameGrabber, fills_view
from gui.workers.frames import Frame

FIT_PATIENCE_MS = 3000  # a view whose frames never fit it is filmed as it is after this


def default_every(updates: int) -> int:
    """About a hundred frames over the run: one every ``updates // 100`` updates."""
    return max(1, updates // 100)


class RecordWhenTrained(QObject):
    """Grabs ``source`` ("boundary" or "window") every ``every`` updates for ``updates``
    updates, then completes the file and closes the window; ``exit_code`` afterwards.
    Build it before the window's event loop runs, so that it sees every frame's figures
    for the caption (``caption`` False: none)."""

    def __init__(
        self,
        window,
        path: str,
        updates: int,
        every: int,
        fps: float,
        source: str = "boundary",
        caption: bool = True,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.path = path
        self.updates, self.every = updates, max(1, every)
        self.writer = RecordingWriter(path, fps)
        widget = window.boundary if source == "boundary" else window
        self.grabber = FrameGrabber(widget, caption=caption)
        self.figures = CaptionFigures(window.playground, self)
        self.caption = caption
        self.exit_code = 0
        self._painted = False
        self._over = False  # finished, failed or interrupted: frames are no longer looked at
        self._end: int | None = None  # the update the recording ends at
        self._target: int | None = None  # the update whose frame is awaited
        self._grab_due = False
        # Runs while a frame that fits the view is awaited; then the one shown is filmed.
        self.patience = QTimer(self)  # timers tied to this object: none fires once it is gone
        self.patience.setSingleShot(True)
        self.patience.setInterval(FIT_PATIENCE_MS)
        self.patience.timeout.connect(lambda: self._grab(patient=False))
        window.playground.frame_ready.connect(self._frame)
        window.installEventFilter(self)
        # A paint to wait for, even if the window has painted before this was built; it
        # comes after the layout that show and --size asked for.
        window.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        """The window's first paint: it is laid out at its size. Grab after it, not in it."""
        if not self._painted and watched is self.window and event.type() == QEvent.Type.Paint:
            self._painted = True
            self.window.removeEventFilter(self)
            self._schedule()
        return False

    def _frame(self, _frame: Frame) -> None:
        self._schedule()

    def _schedule(self) -> None:
        """Look at the newest frame once the window has drawn it (a zero timer runs after
        the drawing of the frame that has just arrived)."""
        if self._painted and not self._grab_due and not self._over:
            self._grab_due = True
            QTimer.singleShot(0, self, self._grab)

    def _grab(self, patient: bool = True) -> None:
        self._grab_due = False
        frame = self.figures.frame  # the newest frame: the one the window shows
        if frame is None or frame.playing or self._over:
            return
        if self._target is None:  # the first frame: the film starts here
            self._end = frame.update + self.updates
            self._target = frame.update
        if frame.update < self._target and not frame.stopped:
            return
        if patient and not fills_view(self.window.boundary, frame):
            if not self.patience.isActive():  # from the first frame that misses
                self.patience.start()
            return
        self.patience.stop()
        try:
            text = self.figures.text() if self.caption else None
            self.writer.add(self.grabber.grab(text), wait=True)
        except (OSError, ValueError) as error:
            self._fail(error)
            return
        assert self._end is not None
        if frame.update >= self._end or frame.stopped or self.writer.limit_reached:
            self._finish(frame)
            return
        step = min(self.every, self._end - frame.update)
        self._target = frame.update + step
        self.window.playground.request_updates.emit(step)

    def _finish(self, frame: Frame) -> None:
        self._over = True
        try:
            self.writer.finish()
        except (OSError, ValueError) as error:
            self._fail(error)
            return
        height, width = self.writer.shape[:2] if self.writer.shape else (0, 0)
        note = ""
        if frame.stopped:
            note = f" (training stopped at update {frame.update}: {frame.message})"
        elif self.writer.limit_reached:
            note = f" (stopped at {self.writer.limit_reached})"
        print(
            f"recorded {self.writer.frames} frames ({width}x{height}, "
            f"{size_text(self.writer.bytes_written)}) to {self.path}{note}"
        )
        self.window.close()

    def _fail(self, error: Exception) -> None:
        self._over = True
        self.writer.abort()
        self.exit_code = 1
        print(f"main.py: {error}", file=sys.stderr)
        self.window.close()

    def end_early(self) -> None:
        """The window closed (or Ctrl+C) before the recording ended: no file, status 1."""
        if self.writer.recording:
            self._over = True
            self.writer.abort()
            self.exit_code = 1
            print(
                f"main.py: the recording to {self.path} was interrupted: nothing was written",
                file=sys.stderr,
            )
