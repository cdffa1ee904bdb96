"""``--screenshot``: train a number of updates, save a PNG of the window once drawn, quit."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, QTimer

from gui.files.export import export_image_png
from gui.workers.frames import Frame


class ScreenshotWhenTrained(QObject):
    """Asks for ``updates`` updates at once, then saves the window when they are drawn."""

    def __init__(self, window, path: str, updates: int) -> None:
        super().__init__(window)
        self.window = window
        self.path = path
        self.updates = updates
        self.done = False
        self.written = False  # main.py exits 1 when the picture could not be written
        window.playground.frame_ready.connect(self._frame)
        # timers tied to this object: none fires once the window is gone
        QTimer.singleShot(300, self, lambda: window.playground.request_updates.emit(updates))

    def _frame(self, frame: Frame) -> None:
        if self.done:
            return
        if (frame.update >= self.updates or frame.stopped) and not frame.playing:
            landscape = self.window.landscape_dock
            if landscape.seen and not landscape.shows_update(frame.update):
                return  # the slice around the final weights is still being computed
            self.done = True
            QTimer.singleShot(200, self, self.save_and_quit)

    def save_and_quit(self) -> None:
        try:
            export_image_png(self.window.grab(), self.path)
            self.written = True
        except OSError as error:
            self.window.show_problem(f"Could not write the screenshot: {error}")
            print(f"could not write the screenshot to {self.path}: {error}", file=sys.stderr)
        self.window.close()
