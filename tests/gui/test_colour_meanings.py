"""A colour means one thing across the window, read from the real widgets: train and test look
the same in every view; weight signs are drawn in their own colours; runs of a comparison differ
in line style and are named at their curves' ends; the boundary legend follows the theme."""

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QApplication

from gui.appearance.colour_vision import lab_as_seen
from gui.appearance.palette import (
    CLASS_COLOURS,
    MARK_COLOUR,
    NEGATIVE_COLOUR,
    POSITIVE_COLOUR,
    TEST_COLOUR,
    TRAIN_COLOUR,
)
from gui.appearance.theme import apply_theme, restyle_plots
from gui.views.boundary_style import MARK_SAMPLE_PEN
from gui.views.compare_view import CompareView
from gui.views.curves import CurvesView
from gui.views.landscape_view import LandscapeView
from gui.views.network_frame import LEGEND
from gui.views.network_links import LinkLayer
from gui.views.network_tiles import MAP_LUT, OUTPUT_LUTS
from model.experiments.comparisons import Comparison, RunResult
from model.training.history import HistoryPoint


def rgb(pen) -> tuple[int, int, int]:
    return pen.color().getRgb()[:3]


def look(pen) -> tuple:
    """What tells a line apart besides its colour: its style and dashes."""
    return pen.style(), tuple(pen.dashPattern())


def data_pens(plot_items) -> set[tuple]:
    """(colour, style) of every line drawn in ``plot_items``."""
    return {
        (rgb(pen), pen.style())
        for item in plot_items
        for curve in item.listDataItems()
        if (pen := pg.mkPen(curve.opts["pen"])).style() != Qt.PenStyle.NoPen
    }


def test_train_and_test_look_the_same_in_the_curves_and_the_landscape(qtbot):
    curves, landscape = CurvesView(), LandscapeView()
    qtbot.addWidget(curves)
    qtbot.addWidget(landscape)
    splits = {(TRAIN_COLOUR, Qt.PenStyle.SolidLine), (TEST_COLOUR, Qt.PenStyle.DashLine)}
    curve_plots = [plot.getPlotItem() for plot in curves.findChildren(pg.PlotWidget)]
    assert curve_plots and data_pens(curve_plots) == splits
    assert data_pens([landscape.line_plot]) == splits


def test_weight_signs_are_drawn_in_the_sign_colours_never_a_class_colour(qtbot):
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    links = LinkLayer(plot)
    drawn = {rgb(pen) for pen in links.pens}
    assert drawn == {POSITIVE_COLOUR, NEGATIVE_COLOUR}
    assert not drawn & {*CLASS_COLOURS, MARK_COLOUR}
    # Hidden and input tiles run from the negative colour through white to the positive one;
    # output tiles from white to their class's colour.
    assert tuple(MAP_LUT[0, :3]) == NEGATIVE_COLOUR and tuple(MAP_LUT[-1, :3]) == POSITIVE_COLOUR
    assert [tuple(lut[-1, :3]) for lut in OUTPUT_LUTS] == CLASS_COLOURS
    # The diagram's key names both, each beside its own swatch.
    key = LEGEND[0]
    for colour, word in ((POSITIVE_COLOUR, "positive"), (NEGATIVE_COLOUR, "negative")):
        assert f"rgb{colour}" in key and word in key


def comparison(values: list, ends: list[float]) -> Comparison:
    """A finished batch-size comparison whose runs' train loss ends at ``ends``."""
    runs = []
    for value, end in zip(values, ends, strict=True):
        losses = np.linspace(1.0, end, 6)
        history = [
            HistoryPoint(k, float(k), loss, 0.9, loss + 0.05, 0.85, k / 10)
            for k, loss in enumerate(losses)
        ]
        runs.append(RunResult("batch_size", value, history))
    return Comparison("batch_size", runs)


@pytest.fixture
def compare_view(qtbot):
    view = CompareView()
    view.resize(1000, 700)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_runs_differ_in_line_style_as_well_as_colour(compare_view):
    values = [1, 10, 50, 200, 500, None, 2, 20, 40, 100, 300, 400]
    compare_view.show_comparison(comparison(values, list(np.linspace(0.9, 0.1, 12))), final=True)
    pens = [compare_view.curves.lines[("train_loss", i)].opts["pen"] for i in range(12)]
    assert len({look(pen) for pen in pens[:6]}) == 6  # six runs: six line styles
    assert len({(rgb(pen), look(pen)) for pen in pens}) == 12  # colour and style: never twice
    # The runs whose colours come closest for colour-blind eyes differ in style.
    for deficiency in (None, "deuteranopia", "protanopia", "tritanopia"):
        lab = lab_as_seen(np.array([rgb(pen) for pen in pens[:6]], dtype=float), deficiency)
        distance = np.linalg.norm(lab[:, None] - lab[None], axis=-1)
        for i, j in zip(*np.nonzero(np.triu(distance < 30, 1)), strict=True):
            assert look(pens[i]) != look(pens[j]), (deficiency, i, j)


def test_every_curve_is_named_at_its_end(qtbot, compare_view):
    values, ends = [1, 10, 50, 200, 500, None], [0.8, 0.3, 0.31, 0.32, 0.05, 0.6]
    compare_view.show_comparison(comparison(values, ends), final=True)
    names = ["batch 1", "batch 10", "batch 50", "batch 200", "batch 500", "full batch"]
    for measure, plot in compare_view.plots.items():
        labels = compare_view.curves.end_labels[measure]
        qtbot.waitUntil(lambda labels=labels: len(labels.places) == len(names))
        assert labels.names == names
        box = plot.plotItem.vb
        area = box.mapRectToItem(plot.plotItem, box.boundingRect())
        heights = sorted(name for _, _, name in labels.places)
        spacing = min(np.diff(heights))
        assert spacing >= QFontMetricsF(labels.font).height() - 0.5  # no two names overlap
        for index, end, name in labels.places:  # each leader starts where its curve ends
            x, y = compare_view.curves._ends[(measure, index)]
            at = plot.plotItem.mapFromScene(box.mapViewToScene(pg.Point(x, y)))
            assert abs(end - min(max(at.y(), area.top()), area.bottom())) < 1
            assert area.top() - spacing <= name <= area.bottom() + spacing
        # Right of the data, inside the widget: nothing is cut off.
        drawn = labels.mapRectToScene(labels.boundingRect())
        assert drawn.left() >= box.sceneBoundingRect().right() - 1
        assert drawn.right() <= plot.width() + 1
    # A run that ends apart from the others keeps its name level with its curve.
    loss = compare_view.curves.end_labels["train_loss"]
    lowest = next(place for place in loss.places if place[0] == 4)
    assert abs(lowest[1] - lowest[2]) < 1


@pytest.fixture
def dark_theme():
    app = QApplication.instance()
    apply_theme(app, "dark")
    yield
    apply_theme(app, "light")


def box_colours(legend) -> tuple:
    labels = {pg.mkColor(label.opts["color"]).getRgb()[:3] for _, label in legend.items}
    return legend.brush().color(), labels


def test_the_boundary_legend_follows_the_theme(qtbot, window, dark_theme):
    restyle_plots(window)  # as the View > Theme menu does
    fill, labels = box_colours(window.boundary.legend)
    assert fill.lightness() < 80  # a dark box in the dark theme...
    assert all(np.mean(colour) > 180 for colour in labels)  # ...with light text
    # The black mark's sample stays readable on it: its outline differs from the box.
    outline = np.array([MARK_SAMPLE_PEN.color().getRgb()[:3]], dtype=float)
    box = np.array([fill.getRgb()[:3]], dtype=float)
    assert np.linalg.norm(lab_as_seen(outline) - lab_as_seen(box)) > 30
    apply_theme(QApplication.instance(), "light")
    restyle_plots(window)
    fill, labels = box_colours(window.boundary.legend)
    assert fill.lightness() > 200 and all(np.mean(colour) < 80 for colour in labels)
