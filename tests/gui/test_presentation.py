"""View > Presentation mode: full screen, panels hidden, large text, thick lines and the epoch
counter; Esc (or F11) gives back the window exactly as it was."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QToolBar

from model.io.presets import find_preset
from tests.gui.running import run_updates


def looks(window) -> dict:
    """What presentation mode changes, as values to compare."""
    boundary, curves = window.boundary, window.curves
    axis = boundary.getAxis("bottom")
    test_pens = boundary.test_item.data["pen"]
    toolbar = window.findChild(QToolBar, "training-toolbar")
    return {
        "geometry": window.geometry(),
        "full screen": window.isFullScreen(),
        "side": window.side.isVisible(),
        "guide": window.guide.isVisible(),
        "counter": window.presentation.counter.isVisible(),
        "font": QApplication.font().pointSizeF(),
        "tick font": axis.style["tickFont"],
        "axis label": dict(axis.labelStyle),
        "title": dict(curves.loss_plot.getPlotItem().titleLabel.opts),
        "margins": boundary.getPlotItem().layout.getContentsMargins(),
        "density": axis._tickDensity,
        "labelled levels": axis.style["maxTextLevel"],
        "note": boundary.update_text.textItem.font().pointSizeF(),
        "title row": curves.loss_plot.plotItem.titleLabel.maximumHeight(),
        "curve": curves.loss_plot.train.opts["pen"].widthF(),
        "dashed": curves.accuracy_plot.test.opts["pen"].widthF(),
        "outline": boundary.train_item.opts["pen"].widthF(),
        "test outlines": sorted({p.widthF() for p in test_pens if p is not None}),
        "point size": boundary.train_item.opts["size"],
        "toolbar": toolbar.font().pointSizeF(),
        "toolbar font set": toolbar.testAttribute(Qt.WidgetAttribute.WA_SetFont),
        "icons": toolbar.iconSize().height(),
        "play": window.controls.play_button.height(),
        "toolbar counter": window.controls.counter.isVisible(),
        "diagram titles": window.network.frame.title_font.pointSizeF(),
        "diagram legend": window.network.frame.legend.textItem.font().pointSizeF(),
        "input names": [item.textItem.font().pointSizeF() for item in window.network.inputs.items],
        "title shown": [t.textItem.font().pointSizeF() for t in window.network.frame.titles],
        "dock font": window.network_dock.font().pointSizeF(),
        "dock font set": window.network_dock.testAttribute(Qt.WidgetAttribute.WA_SetFont),
    }


@pytest.fixture
def before(window):
    window.guide.show()  # a dock the mode hides and must show again
    return looks(window)


def test_f11_presents_large_and_esc_gives_the_window_back(qtbot, window, before):
    run_updates(qtbot, window, 40)
    qtbot.keyClick(window, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: window.isFullScreen())
    now = looks(window)
    assert window.presentation.action.isChecked()
    assert not now["side"] and not now["guide"] and now["counter"]
    counter = window.presentation.counter.values
    assert counter["epoch"].text() == "000,040" and counter["update"].text() == "40"
    point = window.curves.history.last
    assert counter["test"].text() == f"{point.test_loss:.3f}"
    assert counter["accuracy"].text() == f"{point.test_accuracy:.1%}"
    assert counter["epoch"].font().pointSizeF() > 3 * before["font"]  # readable from afar
    assert now["font"] == pytest.approx(1.5 * before["font"])
    assert now["tick font"].pointSizeF() >= 14 and now["axis label"]["font-size"] == "16pt"
    assert now["title"]["size"] == "15pt" and now["title row"] > before["title row"]
    assert now["note"] == 13 and now["density"] < before["density"]
    assert now["curve"] == 2 * before["curve"] and now["dashed"] == 2 * before["dashed"]
    assert now["outline"] >= 2 * before["outline"] and now["point size"] > before["point size"]
    assert min(now["test outlines"]) == 2 * min(before["test outlines"])
    # the toolbar grows too, and leaves the epoch to the large counter
    assert now["toolbar"] == pytest.approx(1.5 * before["toolbar"])
    assert now["icons"] > before["icons"] and now["play"] > before["play"]
    assert before["toolbar counter"] and not now["toolbar counter"]
    # the network diagram's titles, legend and input names grow with the rest
    qtbot.waitUntil(lambda: looks(window)["title shown"][0] > before["title shown"][0])
    now = looks(window)
    assert now["diagram titles"] == pytest.approx(1.5 * before["diagram titles"])
    assert now["diagram legend"] > before["diagram legend"]
    assert min(now["input names"]) == pytest.approx(1.5 * min(before["input names"]))
    # the docks' titles too: a dock's own font, not the application's (see dock_font)
    assert now["dock font set"] and now["dock font"] == pytest.approx(now["font"])
    assert window.network_dock.font() != QApplication.font()
    run_updates(qtbot, window, 20)  # the counter follows the run
    assert counter["epoch"].text() == "000,060"
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: looks(window) == before)  # fonts reach the widgets in events
    assert not window.presentation.action.isChecked()


def test_f11_again_leaves_and_esc_does_nothing_outside(qtbot, window, before):
    window.presentation.action.trigger()
    qtbot.waitUntil(lambda: window.isFullScreen())
    window.presentation.action.trigger()
    qtbot.waitUntil(lambda: looks(window) == before)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.presentation.action.isChecked() and looks(window) == before


def test_new_data_while_presenting_gets_thick_outlines_and_its_own_back(qtbot, window, before):
    window.presentation.action.trigger()
    generation = window.playground.last_frame.generation
    window.playground.load_config(find_preset("three-blobs").config)
    qtbot.waitUntil(lambda: window.playground.last_frame.generation != generation)
    qtbot.waitUntil(lambda: min(looks(window)["test outlines"]) == 2 * before["test outlines"][0])
    regression = find_preset("regression-multigauss").config
    window.playground.load_config(regression)
    qtbot.waitUntil(lambda: window.playground.last_frame.dataset.is_regression)
    counter = window.presentation.counter
    qtbot.waitUntil(lambda: counter.captions["test"].text() == "Test MSE")
    assert counter.values["accuracy"].isHidden()  # regression has no accuracy
    assert window.boundary.test_item.opts["pen"].widthF() >= 2 * 0.7  # its item-wide outline
    window.presentation.action.trigger()
    assert window.boundary.test_item.opts["pen"].widthF() == 0.7  # the view's own again
    assert looks(window)["outline"] == before["outline"]


def test_closing_while_presenting_leaves_it_first(qtbot, window, before):
    window.presentation.action.trigger()
    qtbot.waitUntil(lambda: window.isFullScreen())
    window.close()
    assert not window.presentation.presenting
    assert QApplication.font().pointSizeF() == before["font"]


def test_the_presentation_option_starts_in_it(qtbot, window, before):
    from gui.app import _options, apply_window_options

    apply_window_options(window, _options(["--presentation"]))
    qtbot.waitUntil(lambda: window.isFullScreen())
    assert window.presentation.action.isChecked() and window.presentation.counter.isVisible()
    window.presentation.action.trigger()
    qtbot.waitUntil(lambda: looks(window) == before)


def test_the_change_comes_in_steps_with_the_event_loop_turning_between(qtbot, window, before):
    window.presentation.action.trigger()
    now = looks(window)
    assert now["tick font"].pointSizeF() >= 14 and now["curve"] == 2 * before["curve"]
    assert now["font"] == before["font"] and now["side"]  # the window's text in a later turn
    assert now["point size"] == before["point size"]  # and the points' symbols
    qtbot.waitUntil(lambda: looks(window)["point size"] > before["point size"])
    qtbot.waitUntil(lambda: QApplication.font().pointSizeF() > before["font"])
    assert not window.side.isVisible() and window.presentation.counter.isVisible()
    qtbot.waitUntil(window.isFullScreen)  # the window's size last
    window.presentation.action.trigger()
    now = looks(window)
    assert now["tick font"] == before["tick font"] and not now["counter"]  # the plots at once
    assert now["font"] > before["font"] and not now["side"]  # the window's text later
    qtbot.waitUntil(lambda: looks(window) == before)
    window.presentation.action.trigger()  # in and out again before a step is taken
    window.presentation.action.trigger()
    qtbot.waitUntil(lambda: looks(window) == before)
    window.presentation.action.trigger()
    qtbot.waitUntil(window.isFullScreen)
    window.presentation.action.trigger()  # out and in again before leaving is done
    window.presentation.action.trigger()
    qtbot.waitUntil(lambda: window.isFullScreen() and not window.side.isVisible())
    window.presentation.action.trigger()
    qtbot.waitUntil(lambda: looks(window) == before)
