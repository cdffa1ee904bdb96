"""What a student sees: the boundary true to scale, legends off the data, curves refit,
colour bars that say what they measure."""

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QFontMetrics

from tests.gui.conftest import boundary_fits_view

TIMEOUT = 10_000


def pixels_per_unit(window) -> tuple[float, float]:
    box = window.boundary.plotItem.vb
    (x0, x1), (y0, y1) = box.viewRange()
    return box.width() / (x1 - x0), box.height() / (y1 - y0)


def assert_true_to_scale(window) -> None:
    px, py = pixels_per_unit(window)
    assert px == pytest.approx(py, rel=0.01)


def data_in_view(window) -> bool:
    """Every point of the data lies inside the visible range, away from its edges."""
    data = window.playground.last_frame.dataset
    (x0, x1), (y0, y1) = window.boundary.plotItem.vb.viewRange()
    X = data.X_all
    return bool(
        (X[:, 0] > x0).all()
        and (X[:, 0] < x1).all()
        and (X[:, 1] > y0).all()
        and (X[:, 1] < y1).all()
    )


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080), (1024, 640), (900, 1000)])
def test_boundary_is_true_to_scale_and_filled_at_every_size(qtbot, window, size):
    window.resize(*size)
    qtbot.waitUntil(lambda: boundary_fits_view(window), timeout=TIMEOUT)
    assert_true_to_scale(window)
    assert data_in_view(window)
    # The image fills the plot area: the grid covers exactly the visible range.
    x0, x1, y0, y1 = window.playground.last_frame.extent
    (vx0, vx1), (vy0, vy1) = window.boundary.plotItem.vb.viewRange()
    assert np.allclose([x0, x1, y0, y1], [vx0, vx1, vy0, vy1], rtol=1e-3, atol=1e-3)


def test_scale_holds_after_zoom_and_home(qtbot, window):
    box = window.boundary.plotItem.vb
    box.scaleBy((0.5, 0.5))
    assert_true_to_scale(window)
    window.resize(1100, 700)
    qtbot.waitUntil(lambda: boundary_fits_view(window), timeout=TIMEOUT)
    assert_true_to_scale(window)  # still zoomed in, still to scale
    qtbot.keyClick(window, Qt.Key.Key_Home)
    qtbot.waitUntil(lambda: data_in_view(window), timeout=TIMEOUT)
    assert_true_to_scale(window)


def test_circles_are_round_on_screen(qtbot, window):
    window.data_panel.dataset.setCurrentIndex(2)  # circles
    qtbot.waitUntil(lambda: window.playground.last_frame.dataset.name == "circles", timeout=TIMEOUT)
    qtbot.waitUntil(lambda: boundary_fits_view(window), timeout=TIMEOUT)
    data = window.playground.last_frame.dataset
    box = window.boundary.plotItem.vb
    points = [box.mapViewToScene(QPointF(x, y)) for x, y in data.X_all]
    xs = np.array([p.x() for p in points])
    ys = np.array([p.y() for p in points])
    on_screen = np.ptp(xs) / np.ptp(ys)
    in_data = np.ptp(data.X_all[:, 0]) / np.ptp(data.X_all[:, 1])
    assert on_screen == pytest.approx(in_data, rel=0.01)  # as wide as tall, in pixels too


def test_legend_lies_outside_the_plot_area(qtbot, window):
    box_rect = window.boundary.plotItem.vb.sceneBoundingRect()
    legend_rect = window.boundary.legend.sceneBoundingRect()
    assert legend_rect.height() > 0 and not box_rect.intersects(legend_rect)
    for plot in (window.curves.loss_plot, window.curves.accuracy_plot):
        curve_area = plot.plotItem.vb.sceneBoundingRect()
        legend = plot.legend_item()  # one row: in the title's, or beside the x axis' name
        assert "train" in legend.toPlainText() and "test" in legend.toPlainText()
        assert not curve_area.intersects(legend.sceneBoundingRect())


def test_switching_to_epochs_fits_the_new_range_at_once(qtbot, window):
    window.training_panel.batch_size.setValue(100)  # eight updates an epoch
    qtbot.waitUntil(lambda: window.playground.worker.trainer.batch_size == 100, timeout=TIMEOUT)
    window.playground.request_updates.emit(400)
    qtbot.waitUntil(
        lambda: (
            window.playground.last_frame.update == 400 and not window.playground.last_frame.playing
        ),
        timeout=TIMEOUT,
    )
    qtbot.waitUntil(lambda: window.curves.loss_plot.viewRange()[0][1] >= 400, timeout=TIMEOUT)
    window.controls.x_axis.setCurrentIndex(1)  # epochs: 400 updates are 50 epochs
    plot = window.curves.loss_plot
    x_upper = plot.viewRange()[0][1]
    assert 50 <= x_upper <= 80  # the data fills the plot, not a sliver of a 400-wide axis
    window.controls.x_axis.setCurrentIndex(0)
    assert plot.viewRange()[0][1] >= 400


def test_last_x_tick_label_is_shown_whole(qtbot, window):
    window.playground.request_updates.emit(300)
    qtbot.waitUntil(lambda: window.playground.last_frame.update == 300, timeout=TIMEOUT)
    plot = window.curves.loss_plot
    qtbot.waitUntil(lambda: plot.viewRange()[0][1] >= 300, timeout=TIMEOUT)
    upper = plot.viewRange()[0][1]
    axis = plot.getAxis("bottom")
    # The axis's range end is a tick (nice_ceiling), and the plot leaves room right of it.
    assert any(np.isclose(upper, v) for _, values in axis.tickValues(0, upper, 400) for v in values)
    label = QFontMetrics(axis.style["tickFont"] or plot.font()).horizontalAdvance(f"{upper:g}")
    tick_x = plot.plotItem.vb.mapViewToScene(QPointF(upper, 0)).x()
    assert tick_x + label / 2 <= plot.width()  # the whole label is inside the widget


def test_colour_bar_names_what_it_measures(qtbot, window):
    bar = window.boundary.colour_bar
    assert bar.isVisible() and bar.getAxis("left").labelText == "P(class 1)"
    window.model_panel.kind.setCurrentIndex(1)  # the perceptron: a hard decision, no scale
    qtbot.waitUntil(
        lambda: window.playground.last_frame.perceptron_weights is not None, timeout=TIMEOUT
    )
    assert not bar.isVisible()
    window.model_panel.kind.setCurrentIndex(0)
    qtbot.waitUntil(
        lambda: window.playground.last_frame.perceptron_weights is None, timeout=TIMEOUT
    )
    assert bar.isVisible()


def test_a_hovered_neuron_shows_its_own_activation_range(qtbot, window):
    window.network_dock.show()
    qtbot.waitUntil(lambda: window.network.snapshot is not None, timeout=TIMEOUT)
    window.network.neuron_hovered.emit(1, 3)
    bar = window.boundary.colour_bar
    activation = window.network.snapshot.maps[1][3]
    low, high = bar.levels()
    assert bar.isVisible() and "activation" in bar.getAxis("left").labelText
    assert low <= activation.min() + 1e-9 and high >= activation.max() - 1e-9
    assert (low, high) != (0.0, 1.0)
    window.network.neuron_hovered.emit(-1, -1)
    assert bar.levels() == (0.0, 1.0) and bar.getAxis("left").labelText == "P(class 1)"


@pytest.mark.parametrize("size", [(1024, 640), (1280, 800)])
def test_legend_and_colour_bar_fit_inside_a_small_window(qtbot, window, size):
    window.resize(*size)
    window.network_dock.show()  # a short, wide view
    qtbot.waitUntil(lambda: boundary_fits_view(window), timeout=TIMEOUT)
    view = window.boundary
    for item in (view.legend, view.colour_bar):
        rect = item.sceneBoundingRect()
        assert rect.left() >= 0 and rect.right() <= view.width() + 1
    labels = [label.text for _, label in view.legend.items]
    assert labels[-1] == "misclassified"  # every entry is there, none cut off
