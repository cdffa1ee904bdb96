"""View > Presentation mode (F11): the window for a lecture hall.

Full screen, the settings column and the guide hidden, everything written larger (the
toolbar too: its buttons, icons and counter), curves and point outlines thicker, and above
the views a large counter, as in TensorFlow Playground: the epoch, the update and the latest
figures. Esc or F11 leaves, and the window is exactly
as before: geometry, fonts, pens, panels.

The change comes in steps, each in a turn of the event loop of its own, so that the window's
thread lays out and paints the window once for each and never blocks for all of them
(bench/window_thread_blocks.py): the plots' look first, then the window's text and panels,
then its size; leaving, the look, the size, then the text and panels (the settings column,
shown last, is laid out once, at the size it keeps). Between two steps the event loop
handles what came meanwhile (input, frames, timers already due).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFont, QKeySequence
from PySide6.QtWidgets import QApplication, QDockWidget

from gui.windows.actions import make_toggle
from gui.windows.presentation_style import PlotStyle
from gui.windows.run_counter import Counter
from gui.workers.frames import Frame

FONT_FACTOR = 1.5  # the application's font (menus, status bar, docks) on an 800-pixel screen
SCREEN_HEIGHT = 800  # a taller screen zooms every text size in proportion
DIGITS_FACTOR = 2.4  # the counter's numbers, relative to the enlarged font
REFRESH_SECONDS = 0.2  # while playing, the counter changes five times a second
KEYS = (QKeySequence("F11"), QKeySequence(Qt.Key.Key_Escape))
# Between the steps of a change. Not 0: a timer of 0 ms would run ahead of the timers
# already due (they would wait for the whole change); 25 ms is a frame and a half at 60 Hz.
STEP_MS = 25


def dock_font(font: QFont) -> QFont:
    """``font`` for the docks while presenting, their titles included. A docked dock titles
    itself in the title font it took when it was made while its font is the application's
    (QDockWidget::paintEvent compares them); asking for antialiased text, as text is drawn
    anyway, makes the font another one, so the title is drawn in it."""
    own = QFont(font)
    own.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
    return own


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
        self._zoom = 1.0
        self._shown_at = 0.0
        self._font = QFont()  # the application's font while presenting
        # What a change still has to do, a step a turn (a timer of its own: a pending
        # single-shot call would keep the window alive were it closed first).
        self._steps: list[Callable[[], None]] = []
        self._step_timer = QTimer(self)
        self._step_timer.setSingleShot(True)
        self._step_timer.setInterval(STEP_MS)
        self._step_timer.timeout.connect(self._next_step)

    def set_presenting(self, on: bool) -> None:
        if on != self.presenting:
            self._enter() if on else self._leave()

    def _enter(self) -> None:
        """The plots' look now; the window's text and panels, then its size, in the next
        steps."""
        self._finish_steps()  # left and entered again before leaving was done: done first
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
        self._font = QFont(app.font())
        self._font.setPointSizeF(self._font.pointSizeF() * FONT_FACTOR * zoom)
        self._zoom = zoom
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
        self._style.apply_text()
        window.playground.frame_ready.connect(self._frame)  # after the window has drawn it
        self.action.setShortcuts(list(KEYS))
        window.statusBar().showMessage("Presentation mode: Esc or F11 leaves.", 5000)
        self._then([self._style.apply_points, self._enlarge_window, self._full_screen])

    def _enlarge_window(self) -> None:
        """The counter shown, the panels hidden and the window's own text enlarged (the
        toolbar's too, its counter and icons in step), laid out once for all of it."""
        window = self.window
        self.counter.set_fonts(self._font, DIGITS_FACTOR)
        self.counter.show()
        self._show(window.playground.last_frame, force=True)
        window.side.hide()  # hidden first: not laid out again for the larger text
        window.guide.hide()
        window.controls.counter_action.setVisible(False)  # the large counter says it all
        self._set_font(self._font, FONT_FACTOR * self._zoom, dock_font(self._font))

    def _full_screen(self) -> None:
        window = self.window
        if self.presenting and not window.isFullScreen():
            window.showFullScreen()
            window.setGeometry(window.screen().geometry())  # where no window manager does it

    def _leave(self, closing: bool = False) -> None:
        """Back as before: the plots' look and the counter now, the window's size, then its
        text and panels, in the next steps (all now when ``closing``: the window remembers
        its own layout and size)."""
        window = self.window
        self._steps = []  # steps of entering not taken yet: what follows undoes them anyway
        self.presenting = False
        window.playground.frame_ready.disconnect(self._frame)
        self.action.setShortcuts([KEYS[0]])
        self.counter.hide()
        self._style.restore()
        self._style = None
        self._size_to_restore = self._saved
        # the size before the panels: the settings column is laid out once, at its own size
        self._then([self._restore_size, self._restore_window])
        if closing:
            self._finish_steps()
        if self.action.isChecked():  # left by closing the window, not by the action
            self.action.setChecked(False)

    def _restore_window(self) -> None:
        """The window's text and panels as they were."""
        window, saved = self.window, self._saved
        window.controls.counter_action.setVisible(True)
        self._set_font(saved["font"], 1.0, QFont())  # before the panels: laid out once
        window.side.setVisible(saved["side"])
        window.guide.setVisible(saved["guide"])
        window.side.parentWidget().restoreState(saved["splitter"])

    def _set_font(self, font: QFont, scale: float, docks: QFont) -> None:
        """The application's font, and the toolbar scaled in step, heard by every widget
        now: each would hear of it in the next turn, and the status bar then ask for a row
        of another height, which lays the whole window out a second time; so both now, and
        the window is laid out once, its status bar's new height included. ``docks``: the
        docks' own font (``QFont()``, none: they follow the application's)."""
        app, window = QApplication.instance(), self.window
        app.setFont(font)
        for dock in window.findChildren(QDockWidget):
            dock.setFont(docks)
        window.controls.scale(scale)
        app.sendPostedEvents(None, QEvent.Type.ApplicationFontChange)
        app.sendPostedEvents(window.statusBar(), QEvent.Type.LayoutRequest)

    def _restore_size(self) -> None:
        """The window's state and geometry from before presenting, if still to be restored."""
        saved, self._size_to_restore = self._size_to_restore, None
        if saved is None:
            return
        window = self.window
        window.setWindowState(saved["state"])
        if not saved["state"] & (Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen):
            window.setGeometry(saved["geometry"])  # as it was, even if larger than the screen

    def _then(self, steps: list[Callable[[], None]]) -> None:
        """Take ``steps`` one a turn, from the next turn on."""
        self._steps = list(steps)
        self._step_timer.start()

    def _next_step(self) -> None:
        if self._steps:
            self._steps.pop(0)()
        if self._steps:
            self._step_timer.start()

    def _finish_steps(self) -> None:
        """Every step still to take, now."""
        self._step_timer.stop()
        while self._steps:
            self._steps.pop(0)()

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
                self._finish_steps()
        return False
