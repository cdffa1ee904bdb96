"""Curves that stay readable: a loss that falls by more than ten times on a log axis (the
student can turn it off), an x axis that ends a little past the last point, ticks at whole
updates and epochs only, and the legend in one row outside the curves."""

import numpy as np
import pytest

from gui.views.curve_axes import CountAxis, log_ticks, value_label
from gui.views.curve_plot import CurvePlot, two_digit_ceiling
from model.io.presets import find_preset
from tests.gui.running import run_updates

TIMEOUT = 20_000


def x_upper(plot) -> float:
    return plot.viewRange()[0][1]


def test_the_x_axis_ends_a_little_past_the_last_update(qtbot, window):
    run_updates(qtbot, window, 300)
    for plot in (window.curves.loss_plot, window.curves.accuracy_plot):
        qtbot.waitUntil(lambda p=plot: 300 < x_upper(p) <= 330, timeout=TIMEOUT)  # not 500
    run_updates(qtbot, window, 40)  # the axis follows, still snug
    qtbot.waitUntil(lambda: 340 < x_upper(window.curves.loss_plot) <= 375, timeout=TIMEOUT)


@pytest.mark.parametrize("upper", [1.0, 1.5, 3.0, 7.0, 12.0, 320.0, 5_000.0])
def test_updates_and_epochs_are_ticked_in_whole_numbers(qtbot, upper):
    plot = CurvePlot("Loss", "loss")
    qtbot.addWidget(plot)
    axis = plot.getAxis("bottom")
    assert isinstance(axis, CountAxis)
    for length in (120, 400, 1200):
        levels = axis.tickValues(0.0, upper, length)
        values = [v for _, level in levels for v in level]
        assert values and all(float(v).is_integer() for v in values), (upper, length, values)
        labels = axis.tickStrings(values, 1.0, 1.0)
        assert not any("." in label for label in labels)  # never "0.5 update"


def test_a_diverging_run_is_counted_in_whole_updates(qtbot, window):
    window.playground.load_config(find_preset("diverging-learning-rate").config)
    qtbot.waitUntil(
        lambda: window.playground.worker.config == window.playground.config, timeout=TIMEOUT
    )
    window.playground.request_updates.emit(50)  # it stops within a few
    qtbot.waitUntil(lambda: window.playground.last_frame.stopped, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: window.curves.history.size > 0, timeout=TIMEOUT)
    axis = window.curves.loss_plot.getAxis("bottom")
    low, high = window.curves.loss_plot.viewRange()[0]
    shown = [v for _, level in axis.tickValues(low, high, axis.width()) for v in level]
    assert shown and all(float(v).is_integer() for v in shown)


def test_a_loss_spanning_decades_is_read_on_a_log_axis_until_turned_off(qtbot, window):
    window.playground.load_config(find_preset("three-blobs").config)  # from about 6 to 0.02
    qtbot.waitUntil(
        lambda: window.playground.worker.config == window.playground.config, timeout=TIMEOUT
    )
    run_updates(qtbot, window, 300)
    plot, curves = window.curves.loss_plot, window.curves
    train = curves.history.column("train_loss")
    assert train.max() > 10 * train.min()
    qtbot.waitUntil(lambda: plot.log, timeout=TIMEOUT)
    assert curves.log_action.isChecked() and plot.getAxis("left").logMode
    low, high = plot.viewRange()[1]  # log10 units: every value inside, none at the edge
    assert low < np.log10(train.min()) and np.log10(train.max()) < high
    curves.log_action.trigger()  # the student's choice: linear
    assert not plot.log and not plot.getAxis("left").logMode
    assert plot.viewRange()[1][0] <= 0 < train.max() <= plot.viewRange()[1][1]
    window.controls.reset_action.trigger()  # a new run keeps the student's choice
    qtbot.waitUntil(lambda: window.playground.last_frame.update == 0, timeout=TIMEOUT)
    run_updates(qtbot, window, 100)
    assert not plot.log
    curves.log_action.trigger()
    assert plot.log


def test_a_loss_within_a_decade_stays_linear(qtbot, window):
    run_updates(qtbot, window, 3)
    plot = window.curves.loss_plot
    losses = window.curves.history.column("train_loss")
    assert losses.max() < 10 * losses.min()
    assert not plot.log and not window.curves.log_action.isChecked()


def test_the_regression_s_mean_squared_error_is_on_a_log_axis(qtbot, window):
    window.playground.load_config(find_preset("regression-multigauss").config)
    qtbot.waitUntil(
        lambda: window.playground.worker.config == window.playground.config, timeout=TIMEOUT
    )
    run_updates(qtbot, window, 300)
    qtbot.waitUntil(lambda: window.curves.loss_plot.log, timeout=TIMEOUT)


def test_log_ticks_read_as_values_and_never_crowd():
    for low, high, size in [(-0.5, -0.15, 150), (-2.0, 0.8, 150), (-8.0, 3.0, 120), (-3, 2, 600)]:
        major = log_ticks(low, high, size)[0][1]
        assert len(major) >= 2
        gaps = np.diff(major) * size / (high - low)
        assert (gaps >= 22 - 1e-9).all()
    assert [value_label(v) for v in (0.05, 1.0, 20.0, 3e-6)] == ["0.05", "1", "20", "3e-6"]


def test_the_legend_is_one_row_beside_the_title_or_the_axis_name(qtbot):
    for width in (700, 230):
        plot = CurvePlot("Loss (mean squared error)", "loss")
        qtbot.addWidget(plot)
        plot.resize(width, 260)
        plot.show()
        qtbot.waitExposed(plot)
        legend = plot.legend_item()
        text = legend.toPlainText()
        assert "train" in text and "test" in text and "\n" not in text
        assert legend.sceneBoundingRect().width() <= plot.width()  # not cut off
        assert plot.plotItem.geometry().width() <= width  # nor pushing the plot wider
        assert not plot.plotItem.vb.sceneBoundingRect().intersects(legend.sceneBoundingRect())


def test_two_digit_ceiling():
    assert [two_digit_ceiling(v) for v in (315, 1575, 10.5, 300)] == [320, 1600, 11, 300]
