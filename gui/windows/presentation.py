"""View > Presentation mode (F11): the window for a lecture hall.

Full screen, the settings column and the guide hidden, everything written larger (the
toolbar too: its buttons, icons and counter), curves and point outlines thicker, and above
the views a large counter, as in TensorFlow Playground: the epoch, the update and the latest
figures. Esc or F11 leaves, and the window is exactly
as before: geometry, fonts, pens, panels.

The change comes in two turns of the event loop: the look first, the window's size in the
next, so that the window's thread lays out and paints the window once for each and never
blocks for both (bench/window_thread_blocks.py).
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFont, QKeySequence
from PySide6.QtWidgets import QApplication

from gui.windows.actions import make_toggle
from gui.windows.presentation_style import PlotStyle
from gui.windows.run_counter import Counter
from gui.workers.frames import Frame

FONT_FACTOR = 1.5  # the application's font (menus, status bar, docks) on an 800-pixel screen
SCREEN_HEIGHT = 800  # a taller screen zooms every text size in proportion
DIGITS_FACTOR = 2.4  # the counter's numbers, relative to the enlarged font
REFRESH_SECONDS = 0.2  # while playing, the counter changes five times a second
KEYS = (QKeySequence("F11"), QKeySequence(Qt.Key.Key_Escape))


class Presentation(QObject):
    """The View menu's Presentation mode toggle and all it changes."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.action = make_toggle(
            window,
            "Presentation mode",
            KEYS[0],
            "Full screen for a lecture hall: large text, thick lines, the epoch counter; "
            "Esc leaves",
            self.set_presenting,
        )
        self.counter = Counter()
        self.counter.setObjectName("presentation-counter")
        self.counter.hide()
        window.banner.parentWidget().layout().insertWidget(0, self.counter)
        window.installEventFilter(self)
        self.presenting = False
        self._saved: dict = {}
        self._size_to_restore: dict | None = None  # left, the size not yet given back
        self._style: PlotStyle | None = None
        self._shown_at = 0.0
        # The window's size changes in the turn after the look (a timer of its own: a
        # pending single-shot call would keep the window alive were it closed first).
        self._size_timer = QTimer(self)
        self._size_timer.setSingleShot(True)
        self._size_timer.setInterval(0)
        self._size_timer.timeout.connect(self._size_step)

    def set_presenting(self, on: bool) -> None:
        if on != self.presenting:
            self._enter() if on else self._leave()

    def _enter(self) -> None:
        self._restore_size()  # left and entered again in one turn: the size it had
        window, app = self.window, QApplication.instance()
        splitter = window.side.parentWidget()
        zoom = max(1.0, window.screen().geometry().height() / SCREEN_HEIGHT)
        self._saved = {
            "geometry": window.geometry(),
            "state": window.windowState(),
            "font": QFont(app.font()),
            "side": window.side.isVisibleTo(window),
            "guide": window.guide.isVisibleTo(window),
            "splitter": splitter.saveState(),
        }
        self.presenting = True
        font = QFont(app.font())
        font.setPointSizeF(font.pointSizeF() * FONT_FACTOR * zoom)
        app.setFont(font)  # the toolbar's text too, and its counter and icons in step
        window.controls.scale(FONT_FACTOR * zoom)
        window.controls.counter_action.setVisible(False)  # the large counter says it all
        window.side.hide()
        window.guide.hide()
        boundary, curves = window.boundary, window.curves
        self._style = PlotStyle(
            [boundary, curves.loss_plot, curves.accuracy_plot],
            [plot.train for plot in (curves.loss_plot, curves.accuracy_plot)]
            + [plot.test for plot in (curves.loss_plot, curves.accuracy_plot)]
            + [boundary.line, boundary.arrow_shaft, boundary.old_line],
            [boundary.train_item, boundary.test_item, boundary.wrong_item],
            [boundary.update_text, curves.loss_plot.readout, curves.accuracy_plot.readout],
            zoom,
        )
        self._style.apply()
        self.counter.set_fonts(font, DIGITS_FACTOR)
        self.counter.show()
        self._show(window.playground.last_frame, force=True)
        window.playground.frame_ready.connect(self._frame)  # after the window has drawn it
        self.action.setShortcuts(list(KEYS))
        window.statusBar().showMessage("Presentation mode: Esc or F11 leaves.", 5000)
        self._size_timer.start()  # laid out and painted in a turn of its own

    def _size_step(self) -> None:
        """Full screen while presenting, else the size from before (if not given back yet)."""
        window = self.window
        if not self.presenting:
            self._restore_size()
        elif not window.isFullScreen():
            window.showFullScreen()
            window.setGeometry(window.screen().geometry())  # where no window manager does it

    def _leave(self, closing: bool = False) -> None:
        """Back as before: the look now, the window's size in the next turn of the event
        loop (now when ``closing``: the window remembers its own size)."""
        window, saved = self.window, self._saved
        self.presenting = False
        window.playground.frame_ready.disconnect(self._frame)
        self.action.setShortcuts([KEYS[0]])
        self.counter.hide()
        self._style.restore()
        self._style = None
        QApplication.instance().setFont(saved["font"])
        window.controls.scale(1.0)
        window.controls.counter_action.setVisible(True)
        window.side.setVisible(saved["side"])
        window.guide.setVisible(saved["guide"])
        window.side.parentWidget().restoreState(saved["splitter"])
        self._size_to_restore = saved
        if closing:
            self._restore_size()
        else:
            self._size_timer.start()
        if self.action.isChecked():  # left by closing the window, not by the action
            self.action.setChecked(False)

    def _restore_size(self) -> None:
        """The window's state and geometry from before presenting, if still to be restored."""
        saved, self._size_to_restore = self._size_to_restore, None
        if saved is None:
            return
        window = self.window
        window.setWindowState(saved["state"])
        if not saved["state"] & (Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen):
            window.setGeometry(saved["geometry"])  # as it was, even if larger than the screen

    def _frame(self, frame: Frame) -> None:
        if self._style is not None:
            self._style.follow()  # a new data set's points get their thick outlines too
        self._show(frame, force=not frame.playing)

    def _show(self, frame: Frame | None, force: bool) -> None:
        now = time.monotonic()
        if frame is None or (not force and now - self._shown_at < REFRESH_SECONDS):
            return
        self._shown_at = now
        self.counter.show_state(frame, self.window.curves.history.last)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        """Closing while presenting: leave first, so the window remembers its own layout
        (and its own size, if it left in this turn of the event loop)."""
        if watched is self.window and event.type() == QEvent.Type.Close:
            if self.presenting:
                self._leave(closing=True)
            else:
                self._restore_size()
        return False
