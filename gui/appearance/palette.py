"""Class colours, and turning class probabilities into a pale-where-unsure RGB image (or,
discretised, into hard class regions).

The class colours are Okabe and Ito's palette, designed to stay apart for colour-blind eyes,
in the order that keeps every prefix (2, 3, ... 6 classes) furthest apart under simulated
protanopia, deuteranopia and tritanopia (tests/gui/test_palette.py measures it). The mark for a
misclassified point is near-black: it differs in lightness from every class colour, which no
kind of colour blindness takes away.
"""

from __future__ import annotations

import numpy as np

CLASS_COLOURS = [
    (0, 114, 178),  # blue
    (230, 159, 0),  # orange
    (86, 180, 233),  # sky blue
    (213, 94, 0),  # vermillion
    (204, 121, 167),  # reddish purple
    (0, 158, 115),  # bluish green
]
MARK_COLOUR = (0, 0, 0)  # the cross on a misclassified point
_COLOURS = np.array(CLASS_COLOURS, dtype=np.float64)


def probability_image(probabilities: np.ndarray) -> np.ndarray:
    """RGB (uint8) image: each pixel the probability-weighted class colour, mixed with white
    by how unsure the model is (white where every class is equally likely)."""
    n_classes = probabilities.shape[-1]
    mixed = probabilities @ _COLOURS[:n_classes]
    top = probabilities.max(axis=-1, keepdims=True)
    confidence = np.clip((top - 1.0 / n_classes) / (1.0 - 1.0 / n_classes), 0.0, 1.0)
    strength = 0.25 + 0.6 * confidence  # never fully saturated, so points stay readable
    image = 255.0 * (1.0 - strength) + mixed * strength
    return np.nan_to_num(image, nan=200.0).astype(np.uint8)


_BINARY_STOPS = np.array([0.0, 0.5, 1.0])


def _muted(colour: tuple[int, int, int], strength: float) -> tuple[int, ...]:
    return tuple(int(255 * (1 - strength) + c * strength) for c in colour)


_BINARY_COLOURS = np.array(
    [_muted(CLASS_COLOURS[0], 0.6), (255, 255, 255), _muted(CLASS_COLOURS[1], 0.6)], dtype=float
)
# P(class 1) in 256 steps -> RGBA: class 0's colour, through white (unsure), to class 1's.
_BINARY_LUT = np.column_stack(
    [np.interp(np.linspace(0, 1, 256), _BINARY_STOPS, _BINARY_COLOURS[:, c]) for c in range(3)]
    + [np.full(256, 255.0)]
).astype(np.uint8)


def boundary_image(probabilities: np.ndarray) -> np.ndarray:
    """The RGBA (uint8) image the boundary view shows, made in the worker thread so the GUI
    thread only hands it to Qt."""
    if probabilities.shape[-1] == 2:
        index = np.nan_to_num(probabilities[..., 1] * 255.0, nan=127.0)
        return _BINARY_LUT[np.clip(index, 0, 255).astype(np.uint8)]
    rgb = probability_image(probabilities)
    return np.concatenate([rgb, np.full(rgb.shape[:-1] + (1,), 255, np.uint8)], axis=-1)


MISSING_GREY = (200, 200, 200)  # a cell without a value (the network diverged)
_CLASS_RGBA = np.array([(*colour, 255) for colour in CLASS_COLOURS], dtype=np.uint8)


def discrete_image(probabilities: np.ndarray) -> np.ndarray:
    """The boundary view's image as hard class regions ("Discretise output", as in TensorFlow
    Playground): each pixel its most probable class's colour at full strength, grey where
    there is no value. Cheap enough for the GUI thread to make from a frame's probabilities."""
    image = _CLASS_RGBA[np.argmax(np.nan_to_num(probabilities, nan=-1.0), axis=-1)]
    image[np.isnan(probabilities).any(axis=-1)] = (*MISSING_GREY, 255)
    return image


def binary_colour_map():
    """Class 0's colour, through white (unsure), to class 1's colour; muted so points show."""
    import pyqtgraph as pg

    return pg.ColorMap(_BINARY_STOPS, [tuple(int(v) for v in c) for c in _BINARY_COLOURS])
