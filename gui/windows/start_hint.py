"""The first step, said where a newcomer looks first: "Press Play (Space) to train" floats over
the decision boundary while the window waits, paused at update 0, and goes for good once
training has begun.

A small widget of its own on top of the view, not an item of the plot: it never enters the
view's range, its exports or its recordings, and it lets every click through to the plot.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QWidget

from gui.workers.frames import Frame

STYLE = (
    "QLabel { background: rgba(20, 20, 20, 200); color: white; border-radius: 8px; "
    "padding: 10px 18px; }"
)
MARGIN = 8  # pixels from the view's top: centred above the data, not over it


class StartHint(QLabel):
    """Shown until the first frame that is playing or past update 0, while Play can be
    pressed; it names Play's own text and shortcut."""

    def __init__(self, playground, play: QAction, view: QWidget) -> None:
        super().__init__(view)
        self.play = play
        self.view = view
        self.started = False
        self.seen_frame = False
        self.setObjectName("start-hint")
        self.setStyleSheet(STYLE)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.setFont(font)
        self.hide()
        view.installEventFilter(self)
        playground.frame_ready.connect(self._frame)
        play.changed.connect(self._show)

    def dismiss(self) -> None:
        """Gone for good, as if training had begun: a film of training (``--record``) shows
        the run, not the first step."""
        self.started = True
        self._show()

    def _frame(self, frame: Frame) -> None:
        self.seen_frame = True
        if frame.playing or frame.update > 0:
            self.started = True
        self._show()

    def _show(self) -> None:
        wanted = self.seen_frame and not self.started and self.play.isEnabled()
        if wanted:
            keys = self.play.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            self.setText(f"Press {self.play.text()} ({keys}) to train")
            self._place()
            self.raise_()
        if wanted != self.isVisible():
            self.setVisible(wanted)

    def _place(self) -> None:
        self.adjustSize()
        x = (self.view.width() - self.width()) // 2
        self.move(max(x, 0), MARGIN)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self.view and event.type() == QEvent.Type.Resize:
            self._place()
        return False
