"""How much of a plot its data fills, measured on the real widget: the data's bounding box
over the view box's visible range, in x and in y, and the plot's scale in each direction."""

from __future__ import annotations

import numpy as np


def span_fraction(view_box, points: np.ndarray) -> tuple[float, float]:
    """(data span / visible range) in x and in y: 1 is data from edge to edge."""
    (x0, x1), (y0, y1) = view_box.viewRange()
    span = np.ptp(points, axis=0)
    return float(span[0] / (x1 - x0)), float(span[1] / (y1 - y0))


def units_per_pixel(view_box) -> tuple[float, float]:
    """Data units a screen pixel spans in x and in y: equal when the plot is true to scale."""
    (x0, x1), (y0, y1) = view_box.viewRange()
    return (x1 - x0) / view_box.width(), (y1 - y0) / view_box.height()


def boundary_fill(window) -> tuple[float, float]:
    """The fraction of the boundary view's visible range its data spans, in x and in y."""
    data = window.playground.last_frame.dataset
    return span_fraction(window.boundary.plotItem.vb, data.X_all)
