"""Data, network and output at once, at every size: from the smallest window `--size` allows to
a full-HD screen, every plot keeps a readable data area, nothing leaves the window, and at
1280 x 800 the network diagram is in view and the settings column needs no scrolling."""

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QTabBar, QToolBar, QWidget

from gui.views.curve_plot import CurvePlot
from model.io.presets import read_presets

TIMEOUT = 10_000
SIZES = [(800, 600), (1024, 640), (1280, 800), (1920, 1080)]
LEAST_DATA_HEIGHT = 120


def resized(qtbot, window, size) -> None:
    window.resize(*size)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == size, timeout=TIMEOUT)
    for _ in range(5):  # layouts settle over a few passes of the event loop
        QApplication.processEvents()


def shown_plots(window) -> list[pg.PlotWidget]:
    return [p for p in window.findChildren(pg.PlotWidget) if p.isVisible()]


def outside(window) -> list[str]:
    """Visible widgets not wholly inside the window; a widget inside a scroll area counts as
    inside when the scroll area is (scrolled content is meant to extend beyond it)."""
    box = window.rect()
    found = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.window() is not window or widget.width() <= 0:
            continue
        if any(isinstance(a, QAbstractScrollArea) for a in ancestors(widget, window)):
            continue
        if isinstance(widget, QTabBar) and widget.parentWidget() is window:
            continue  # a dock area's spare tab bar, which Qt parks out of sight
        rect = QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())
        if not box.contains(rect):
            found.append(f"{type(widget).__name__} {widget.objectName()} {rect}")
    return found


def ancestors(widget: QWidget, top: QWidget) -> list[QWidget]:
    found, parent = [], widget.parentWidget()
    while parent is not None and parent is not top:
        found.append(parent)
        parent = parent.parentWidget()
    return found


@pytest.mark.parametrize("size", SIZES)
def test_every_plot_reads_and_nothing_leaves_the_window(qtbot, window, size):
    resized(qtbot, window, size)
    curves = window.curves
    qtbot.waitUntil(lambda: curves.loss_plot.isVisible(), timeout=TIMEOUT)
    heights = {type(p).__name__: p.getPlotItem().vb.height() for p in shown_plots(window)}
    assert "BoundaryView" in heights and "CurvePlot" in heights
    for plot in shown_plots(window):
        assert plot.getPlotItem().vb.height() >= LEAST_DATA_HEIGHT, (type(plot).__name__, size)
    if curves.arrangement != "tabs":  # loss and accuracy both in view
        assert curves.accuracy_plot.isVisible()
    assert outside(window) == []
    assert not window.side.horizontalScrollBar().isVisible()
    # the run buttons and the counter are never folded into the toolbar's overflow menu
    toolbar = window.findChild(QToolBar, "training-toolbar")
    for action in window.controls.training_actions:
        assert toolbar.widgetForAction(action).isVisible()
    assert window.controls.counter.isVisible()


@pytest.mark.parametrize("size", SIZES)
def test_the_network_is_in_view_from_1280_by_800_beside_a_large_boundary(qtbot, window, size):
    resized(qtbot, window, size)
    large = size[0] >= 1280
    qtbot.waitUntil(lambda: window.network_dock.isVisible() == large, timeout=TIMEOUT)
    boundary = window.boundary  # the room it is given; its plot keeps the data's shape in it
    if large:  # beside the views, the window's whole height; the boundary keeps the most room
        dock = window.network_dock
        assert dock.height() > 0.8 * window.height()
        assert (
            dock.geometry().left()
            >= window.boundary.mapTo(window, window.boundary.rect().topRight()).x()
        )
        assert boundary.height() >= 0.55 * window.height()
        assert boundary.width() >= 0.35 * window.width()
        qtbot.waitUntil(lambda: window.playground.last_frame.network is not None, timeout=TIMEOUT)


def test_a_student_s_choice_of_the_network_dock_is_kept_when_the_window_changes(qtbot, window):
    resized(qtbot, window, (1280, 800))
    window.menu_actions.network_toggle.trigger()  # closed by the student
    qtbot.waitUntil(lambda: not window.network_dock.isVisible(), timeout=TIMEOUT)
    resized(qtbot, window, (1920, 1080))
    assert not window.network_dock.isVisible()
    resized(qtbot, window, (800, 600))
    window.menu_actions.network_toggle.trigger()  # opened on a small window: under the views
    qtbot.waitUntil(window.network_dock.isVisible, timeout=TIMEOUT)
    assert (
        window.network_dock.geometry().top()
        > window.boundary.mapTo(window, window.boundary.rect().bottomLeft()).y()
    )
    for plot in shown_plots(window):
        assert plot.getPlotItem().vb.height() >= LEAST_DATA_HEIGHT or not isinstance(
            plot, CurvePlot
        )


@pytest.mark.parametrize("size", [(1024, 640), (1280, 800)])
def test_with_the_landscape_open_the_curves_stay_readable(qtbot, window, size):
    resized(qtbot, window, size)
    window.menu_actions.landscape_toggle.trigger()
    qtbot.waitUntil(lambda: window.landscape_dock.seen, timeout=TIMEOUT)
    for _ in range(5):
        QApplication.processEvents()
    for plot in (window.curves.loss_plot, window.curves.accuracy_plot):
        if plot.isVisible():
            assert plot.getPlotItem().vb.height() >= LEAST_DATA_HEIGHT
    assert window.curves.loss_plot.isVisible()  # as a tab at least
    assert window.boundary.getPlotItem().vb.height() >= LEAST_DATA_HEIGHT
    assert outside(window) == []


@pytest.mark.parametrize("preset", read_presets(), ids=lambda p: p.slug)
def test_the_settings_column_needs_no_scrolling_at_1280_by_800(qtbot, window, preset):
    resized(qtbot, window, (1280, 800))
    window.playground.load_config(preset.config)
    qtbot.waitUntil(lambda: window.playground.worker.config == window.playground.config)
    for _ in range(5):
        QApplication.processEvents()
    side = window.side
    assert side.widget().height() <= side.viewport().height()
    assert not side.verticalScrollBar().isVisible() and not side.horizontalScrollBar().isVisible()


def test_a_regression_gives_its_loss_plot_the_room(qtbot, window):
    from model.config import DataConfig, ExperimentConfig

    resized(qtbot, window, (800, 600))
    config = ExperimentConfig(data=DataConfig("multigauss", problem="regression"))
    window.playground.load_config(config)
    qtbot.waitUntil(lambda: window.curves.arrangement == "single", timeout=TIMEOUT)
    assert not window.curves.accuracy_plot.isVisible() and not window.curves.tabs.isVisible()
    assert window.curves.loss_plot.getPlotItem().vb.height() >= LEAST_DATA_HEIGHT


def test_the_perceptron_leaves_no_empty_network_column(qtbot, window):
    resized(qtbot, window, (1280, 800))
    assert window.network_dock.isVisible()
    window.model_panel.kind.setCurrentIndex(window.model_panel.kind.findData("perceptron"))
    qtbot.waitUntil(lambda: not window.network_dock.isVisible(), timeout=TIMEOUT)
    window.model_panel.kind.setCurrentIndex(window.model_panel.kind.findData("mlp"))
    qtbot.waitUntil(window.network_dock.isVisible, timeout=TIMEOUT)


@pytest.mark.parametrize("size", [(800, 600), (1280, 800)])
def test_the_dark_theme_keeps_the_layout(qtbot, window, size):
    window.theme_menu.choose("dark")
    try:
        resized(qtbot, window, size)
        for plot in shown_plots(window):
            assert plot.getPlotItem().vb.height() >= LEAST_DATA_HEIGHT
        assert outside(window) == []
        assert not window.side.horizontalScrollBar().isVisible()
    finally:
        window.theme_menu.choose("light")
