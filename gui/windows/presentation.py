"""View > Presentation mode (F11): the window for a lecture hall.

Full screen, the settings column and the guide hidden, everything written larger, curves and
point outlines thicker, and above the views a large counter, as in TensorFlow Playground:
the epoch, the update and the latest figures. Esc or F11 leaves, and the window is exactly
as before: geometry, fonts, pens, panels.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFont, QKeySequence, QPalette
from PySide6.QtWidgets import QApplication, QGridLayout, QLabel, QToolBar, QWidget

from gui.windows.actions import make_toggle
from gui.windows.presentation_style import PlotStyle
from gui.workers.frames import Frame
from model.training.history import HistoryPoint

FONT_FACTOR = 1.5  # the application's font (menus, status bar, docks) on an 800-pixel screen
SCREEN_HEIGHT = 800  # a taller screen zooms every text size in proportion
DIGITS_FACTOR = 2.4  # the counter's numbers, relative to the enlarged font
REFRESH_SECONDS = 0.2  # while playing, the counter changes five times a second
KEYS = (QKeySequence("F11"), QKeySequence(Qt.Key.Key_Escape))


class Counter(QWidget):
    """Epoch, update and the latest figures in large digits, each under a small caption."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("presentation-counter")
        layout = QGridLayout(self)
        layout.setContentsMargins(16, 6, 16, 6)
        layout.setHorizontalSpacing(48)
        layout.setVerticalSpacing(0)
        self.captions: dict[str, QLabel] = {}
        self.values: dict[str, QLabel] = {}
        for column, key in enumerate(("epoch", "update", "train", "test", "accuracy")):
            caption, value = QLabel(), QLabel()
            layout.addWidget(caption, 0, column)
            layout.addWidget(value, 1, column)
            self.captions[key], self.values[key] = caption, value
        layout.setColumnStretch(len(self.values), 1)

    def set_fonts(self, base: QFont) -> None:
        caption = QFont(base)
        caption.setCapitalization(QFont.Capitalization.AllUppercase)
        digits = QFont(base)
        digits.setPointSizeF(base.pointSizeF() * DIGITS_FACTOR)
        digits.setStyleHint(QFont.StyleHint.Monospace)
        digits.setFixedPitch(True)
        for label in self.captions.values():
            label.setFont(caption)
            label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        for label in self.values.values():
            label.setFont(digits)

    def show_state(self, frame: Frame, last: HistoryPoint | None) -> None:
        regression = frame.dataset is not None and frame.dataset.is_regression
        loss = "MSE" if regression else "loss"
        texts = {
            "epoch": ("Epoch", f"{int(frame.epoch):07,d}"),  # 000,123 as in TF Playground
            "update": ("Update", f"{frame.update:,d}"),
            "train": (f"Train {loss}", "–" if last is None else f"{last.train_loss:.3f}"),
            "test": (f"Test {loss}", "–" if last is None else f"{last.test_loss:.3f}"),
            "accuracy": ("Test accuracy", "–" if last is None else f"{last.test_accuracy:.1%}"),
        }
        for key, (caption, value) in texts.items():
            shown = not (key == "accuracy" and regression)
            self.captions[key].setVisible(shown)
            self.values[key].setVisible(shown)
            if self.captions[key].text() != caption:
                self.captions[key].setText(caption)
            if self.values[key].text() != value:
                self.values[key].setText(value)


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
        self.counter.hide()
        window.banner.parentWidget().layout().insertWidget(0, self.counter)
        window.installEventFilter(self)
        self.presenting = False
        self._saved: dict = {}
        self._style: PlotStyle | None = None
        self._shown_at = 0.0

    def set_presenting(self, on: bool) -> None:
        if on != self.presenting:
            self._enter() if on else self._leave()

    def _enter(self) -> None:
        window, app = self.window, QApplication.instance()
        toolbar = window.findChild(QToolBar, "training-toolbar")
        splitter = window.side.parentWidget()
        zoom = max(1.0, window.screen().geometry().height() / SCREEN_HEIGHT)
        self._saved = {
            "geometry": window.geometry(),
            "state": window.windowState(),
            "font": QFont(app.font()),
            "side": window.side.isVisibleTo(window),
            "guide": window.guide.isVisibleTo(window),
            "splitter": splitter.saveState(),
            "toolbar": toolbar,
        }
        self.presenting = True
        # The toolbar is the presenter's: it keeps its size, and so fits a 1280-pixel screen.
        toolbar.setFont(QFont(app.font()))
        font = QFont(app.font())
        font.setPointSizeF(font.pointSizeF() * FONT_FACTOR * zoom)
        app.setFont(font)
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
        self.counter.set_fonts(font)
        self.counter.show()
        self._show(window.playground.last_frame, force=True)
        window.playground.frame_ready.connect(self._frame)  # after the window has drawn it
        self.action.setShortcuts(list(KEYS))
        window.showFullScreen()
        window.setGeometry(window.screen().geometry())  # where no window manager does it
        window.statusBar().showMessage("Presentation mode: Esc or F11 leaves.", 5000)

    def _leave(self) -> None:
        window, saved = self.window, self._saved
        self.presenting = False
        window.playground.frame_ready.disconnect(self._frame)
        self.action.setShortcuts([KEYS[0]])
        self.counter.hide()
        self._style.restore()
        self._style = None
        QApplication.instance().setFont(saved["font"])
        saved["toolbar"].setFont(QFont())  # inherits the application's font again
        window.side.setVisible(saved["side"])
        window.guide.setVisible(saved["guide"])
        window.side.parentWidget().restoreState(saved["splitter"])
        window.setWindowState(saved["state"])
        if not saved["state"] & (Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen):
            window.setGeometry(saved["geometry"])  # as it was, even if larger than the screen
        if self.action.isChecked():  # left by closing the window, not by the action
            self.action.setChecked(False)

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
        """Closing while presenting: leave first, so the window remembers its own layout."""
        if watched is self.window and event.type() == QEvent.Type.Close and self.presenting:
            self._leave()
        return False
