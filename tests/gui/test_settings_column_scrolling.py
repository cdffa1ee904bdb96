"""The settings column lays itself out once per resize, whatever its size: its scroll bar
never flips on and off inside one resize (which had run the window's thread out of stack,
a crash found by the long random walk)."""

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

from gui.panels.settings_column import SettingsColumn
from model.config import ExperimentConfig

MOST_RESIZES = 4  # one resize of the column moves its content a couple of times at most
RUNAWAY = 50  # more than this inside one resize: swallowed, so a regression fails, not crashes


class ResizeCounter(QObject):
    """Counts the content's resizes; past RUNAWAY it swallows them, ending Qt's recursion."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Resize:
            self.count += 1
            return self.count > RUNAWAY
        return False


def test_no_size_makes_the_scroll_bar_flip_within_one_resize(qtbot):
    column = SettingsColumn(ExperimentConfig())
    qtbot.addWidget(column)
    model = column.model_panel
    while model.widths:  # no hidden layer: a wrapped sentence of their own joins the column
        model.remove_layer.click()
    column.show()
    counter = ResizeCounter()
    column.widget().installEventFilter(counter)
    runaway = []
    # Around the height where the content just fits, for widths where the pictures change
    # size: with the fonts here, pictures that set their own height ran away at five of these.
    for width in range(332, 353):
        for height in range(598, 615):
            counter.count = 0
            column.resize(width, height)
            QApplication.processEvents()  # the layout requests it posted
            if counter.count > MOST_RESIZES:
                runaway.append((width, height, counter.count))
    assert runaway == []
    assert column.widget().width() <= column.viewport().width()  # no horizontal scrolling
