"""What the boundary view's points, legend and colour bar say for a frame's problem: class
colours for classification; for regression one diverging scale (``value_colours``) for the
predicted value and the points' targets, so a point coloured like its background is learnt.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from gui.appearance.palette import CLASS_COLOURS, MARK_COLOUR, binary_colour_map, discrete_image
from gui.appearance.value_colours import (
    VALUE_LABEL,
    point_brushes,
    value_colour_map,
    value_image,
)
from gui.workers.frames import Frame
from model.data.datasets import Dataset

PROBABILITY_LABEL = "P(class 1)"
LEGEND_PEN = pg.mkPen((40, 40, 40), width=1)  # outlines a legend sample
# The black mark's sample, outlined so that it reads on the legend's dark box too.
MARK_SAMPLE_PEN = pg.mkPen((150, 150, 150), width=1)
POINT_PEN = pg.mkPen((30, 30, 30), width=0.7)  # outlines every point of a regression
TEST_BRUSH = pg.mkBrush(255, 255, 255, 170)  # a classification's test point: hollow
TARGET_COLOUR = "(colour: its target)"
# A colour bar: its label, the values it spans and its colour map (made once, shared).
Scale = tuple[str, tuple[float, float], object]
_PROBABILITY_MAP = binary_colour_map()
_VALUE_MAP = value_colour_map()


def shown_image(frame: Frame, discrete: bool) -> np.ndarray:
    """The frame's image or, discretised (as TensorFlow Playground does), hard regions: each
    pixel its most probable class's colour, or for regression the colour of the predicted
    value's sign."""
    if not discrete:
        return frame.image
    if frame.values is not None:
        low, high = frame.dataset.value_range()
        return value_image(np.sign(frame.values) * high, (low, high))  # NaN stays grey
    return discrete_image(frame.probabilities)


def bar_scale(frame: Frame, discrete: bool) -> Scale | None:
    """The colour bar of ``frame``'s image: P(class 1) for an MLP on two classes, the
    predicted value for regression; None where the image has no one scale (discretised,
    the perceptron's hard decision, more classes mixing their colours)."""
    if discrete:
        return None
    if frame.values is not None:
        return VALUE_LABEL, frame.dataset.value_range(), _VALUE_MAP
    if frame.probabilities.shape[-1] == 2 and frame.perceptron_weights is None:
        return PROBABILITY_LABEL, (0.0, 1.0), _PROBABILITY_MAP
    return None


def point_styles(data: Dataset) -> tuple[dict, dict]:
    """``setData`` keywords (besides x and y) for the train and the test points: a class's
    colour, or a regression target's colour on the bar's scale (test points then filled
    squares outlined in black, so that a target near 0, white, still shows on white)."""
    if data.is_regression:
        value_range = data.value_range()
        return (
            {"brush": point_brushes(data.y_train, value_range)},
            {"brush": point_brushes(data.y_test, value_range), "pen": POINT_PEN},
        )
    brushes = [pg.mkBrush(*colour) for colour in CLASS_COLOURS]
    pens = [pg.mkPen(*colour, width=1.6) for colour in CLASS_COLOURS]
    return (
        {"brush": [brushes[k] for k in data.y_train]},
        {"brush": TEST_BRUSH, "pen": [pens[k] for k in data.y_test]},
    )


def legend_entries(data: Dataset, wrong_item) -> list[tuple[object, str]]:
    """(sample item, text) for each entry of the legend below the plot."""

    def sample(symbol: str, brush, pen=LEGEND_PEN) -> pg.ScatterPlotItem:
        return pg.ScatterPlotItem(size=9, symbol=symbol, brush=pg.mkBrush(brush), pen=pen)

    if data.is_regression:
        orange = CLASS_COLOURS[1]
        return [
            (sample("o", orange), f"train point {TARGET_COLOUR}"),
            (sample("s", orange), f"test point {TARGET_COLOUR}"),
        ]
    entries = [
        (sample("o", CLASS_COLOURS[k]), f"class {name}")
        for k, name in enumerate(data.label_names())
    ]
    mark = pg.ScatterPlotItem(
        size=wrong_item.opts["size"],
        symbol=wrong_item.opts["symbol"],
        brush=pg.mkBrush(MARK_COLOUR),
        pen=MARK_SAMPLE_PEN,
    )
    return [*entries, (sample("s", (255, 255, 255)), "test point"), (mark, "misclassified")]
