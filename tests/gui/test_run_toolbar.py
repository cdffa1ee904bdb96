"""The run controls a newcomer looks for first: large Play/Pause, Step, Epoch and Reset
buttons with icons and words, their keys as before, and the epoch and update counter always
on the toolbar."""

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QToolBar, QToolButton

from gui.windows.run_icons import KINDS, run_icon
from tests.gui.running import run_updates

TIMEOUT = 10_000


def button(window, action) -> QToolButton:
    toolbar = window.findChild(QToolBar, "training-toolbar")
    return toolbar.widgetForAction(action)


def test_run_buttons_are_large_with_icons_words_and_their_keys(qtbot, window):
    controls = window.controls
    keys = {
        controls.play_action: "Space",
        controls.step_action: "Right",
        controls.epoch_action: "Shift+Right",
        controls.reset_action: "R",
    }
    for action, key in keys.items():
        shown = button(window, action)
        assert shown.isVisible() and not action.icon().isNull()
        assert shown.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon
        assert shown.height() >= 36 and shown.iconSize().height() >= 22
        assert action.shortcut() == QKeySequence(key)
    play = button(window, controls.play_action)
    assert play.iconSize().height() > button(window, controls.step_action).iconSize().height()
    assert play.font().bold()
    qtbot.keyClick(window, Qt.Key.Key_Space)  # play: the button says Pause
    qtbot.waitUntil(lambda: controls.play_action.text() == "Pause", timeout=TIMEOUT)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: controls.play_action.text() == "Play", timeout=TIMEOUT)


def test_the_counter_follows_every_update_and_epoch(qtbot, window):
    counter = window.controls.counter
    assert counter.isVisible()
    assert counter.captions["epoch"].text() == "Epoch"
    start = window.playground.last_frame.update
    for _ in range(3):
        window.controls.step_action.trigger()
    qtbot.waitUntil(lambda: counter.values["update"].text() == str(start + 3), timeout=TIMEOUT)
    window.training_panel.batch_size.setValue(100)  # eight updates an epoch
    qtbot.waitUntil(lambda: window.playground.worker.trainer.batch_size == 100, timeout=TIMEOUT)
    # the new batch size starts a new run: count from its first frame, not the old run's last
    qtbot.waitUntil(
        lambda: window.playground.last_frame.update == window.playground.worker.trainer.updates,
        timeout=TIMEOUT,
    )
    run_updates(qtbot, window, 16)
    frame = window.playground.last_frame
    assert counter.values["epoch"].text() == f"{int(frame.epoch):07,d}"
    assert counter.values["update"].text() == f"{frame.update:,d}"


def test_the_icons_are_drawn_sharp_at_any_size(qtbot):
    for kind in KINDS:
        icon = run_icon(kind)
        for side in (16, 32, 96):
            image = icon.pixmap(QSize(side, side)).toImage()
            assert image.width() >= side
            corner = image.pixelColor(0, 0)
            assert corner.alpha() == 0  # transparent around the shape
            painted = sum(
                image.pixelColor(x, y).alpha() > 0
                for x in range(0, image.width(), 2)
                for y in range(0, image.height(), 2)
            )
            assert painted > 0.05 * (image.width() // 2) ** 2
