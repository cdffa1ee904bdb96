"""A regression's colour scale: class 0's blue at -m, white at 0, class 1's orange at +m.

One diverging scale serves the predicted value over the plane and the points' targets, so a
point that matches its background is learnt. Blue and orange (Okabe and Ito) stay apart for
every kind of colour blindness, and differ in lightness too; red and green would not.
The image is muted, as the two-class boundary image is, so that points stand out on it; the
points are the same colours at full strength.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from gui.appearance.palette import CLASS_COLOURS, MISSING_GREY, binary_colour_map

VALUE_LABEL = "predicted value"
_STOPS = np.linspace(0.0, 1.0, 256)
# The muted scale: the two-class boundary image's, whose middle is white.
_IMAGE_COLOURS = binary_colour_map().getLookupTable(nPts=256, alpha=True).astype(np.uint8)
_POINT_COLOURS = np.column_stack(
    [
        np.interp(_STOPS, [0.0, 0.5, 1.0], [CLASS_COLOURS[0][c], 255, CLASS_COLOURS[1][c]])
        for c in range(3)
    ]
    + [np.full(256, 255.0)]
).astype(np.uint8)


def value_colour_map():
    """The colour bar's map: the image's muted blue, white, orange, from 0 to 1."""
    return binary_colour_map()


def value_steps(values: np.ndarray, value_range: tuple[float, float]) -> np.ndarray:
    """Each value's step (0 .. 255) on the scale, clipped to ``value_range``; NaN -> 0."""
    low, high = value_range
    scaled = (np.nan_to_num(values, nan=low) - low) / (high - low)
    return np.clip(np.rint(scaled * 255.0), 0, 255).astype(np.uint8)


def value_image(values: np.ndarray, value_range: tuple[float, float]) -> np.ndarray:
    """RGBA (uint8) image of predicted ``values`` on the muted scale; grey without a value."""
    image = _IMAGE_COLOURS[value_steps(values, value_range)]
    image[~np.isfinite(values)] = (*MISSING_GREY, 255)
    return image


def point_colours(targets: np.ndarray, value_range: tuple[float, float]) -> np.ndarray:
    """(n, 4) RGBA of the points' ``targets`` on the scale at full strength."""
    return _POINT_COLOURS[value_steps(targets, value_range)]


@cache
def _point_brushes() -> tuple:
    import pyqtgraph as pg

    return tuple(pg.mkBrush(*colour) for colour in _POINT_COLOURS)


def point_brushes(targets: np.ndarray, value_range: tuple[float, float]) -> list:
    """One shared brush per step of the scale, for each of the points' ``targets``."""
    brushes = _point_brushes()
    return [brushes[step] for step in value_steps(targets, value_range)]
