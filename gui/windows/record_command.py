"""``--record PATH``: train a number of updates while recording, write the file, quit.

Unlike a recording made by hand (``gui.windows.recording``), which grabs frames as time
passes, this one grabs a frame at the start and after every ``every`` updates, with training
paused for the grab: the same options give the same film on any machine, however fast.
The exit status says how it went: 0 written, 1 not written (one line on stderr says why).
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, QTimer

from gui.files.recording_writer import RecordingWriter, size_text
from gui.windows.frame_grab import FrameGrabber
from gui.workers.frames import Frame

SETTLE_MS = 300  # as for --screenshot: the window laid out and the first frame drawn


def default_every(updates: int) -> int:
    """About a hundred frames over the run: one every ``updates // 100`` updates."""
    return max(1, updates // 100)


class RecordWhenTrained(QObject):
    """Grabs ``source`` ("boundary" or "window") every ``every`` updates for ``updates``
    updates, then completes the file and closes the window; ``exit_code`` afterwards."""

    def __init__(
        self, window, path: str, updates: int, every: int, fps: float, source: str = "boundary"
    ) -> None:
        super().__init__(window)
        self.window = window
        self.path = path
        self.updates, self.every = updates, max(1, every)
        self.writer = RecordingWriter(path, fps)
        widget = window.boundary if source == "boundary" else window
        self.grabber = FrameGrabber(widget)
        self.exit_code = 0
        self._end: int | None = None  # the update the recording ends at
        self._target: int | None = None  # the update whose frame is awaited
        self._grabbing = False
        window.playground.frame_ready.connect(self._frame)
        # timers tied to this object: none fires once the window is gone
        QTimer.singleShot(SETTLE_MS, self, self._begin)

    def _begin(self) -> None:
        frame = self.window.playground.last_frame
        if frame is None:  # the first frame is late: begin with it
            QTimer.singleShot(50, self, self._begin)
            return
        self._end = frame.update + self.updates
        self._target = frame.update
        self._frame(frame)

    def _frame(self, frame: Frame) -> None:
        if self._target is None or self._grabbing or frame.playing:
            return
        if frame.update >= self._target or frame.stopped:
            self._grabbing = True
            # a zero timer: after the window has drawn this frame
            QTimer.singleShot(0, self, lambda: self._grab(frame))

    def _grab(self, frame: Frame) -> None:
        self._grabbing = False
        try:
            self.writer.add(self.grabber.grab(), wait=True)
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
        self._target = None
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
        self._target = None
        self.writer.abort()
        self.exit_code = 1
        print(f"main.py: {error}", file=sys.stderr)
        self.window.close()

    def end_early(self) -> None:
        """The window closed (or Ctrl+C) before the recording ended: no file, status 1."""
        if self.writer.recording:
            self._target = None
            self.writer.abort()
            self.exit_code = 1
            print(
                f"main.py: the recording to {self.path} was interrupted: nothing was written",
                file=sys.stderr,
            )
