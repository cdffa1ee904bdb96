"""Every colour that carries a meaning, each meaning once: classes, the misclassified mark,
weight signs, and train against test. Also turning class probabilities into a pale-where-unsure
RGB image (or, discretised, into hard class regions).

The class colours are Okabe and Ito's palette, in the order that keeps every prefix furthest
apart for the commonest colour-vision deficiencies first: deutan (about 6 % of men), then
protan (about 2 %), then tritan (rare). Smallest CIE76 Delta E between two class colours or a
class colour and the mark, as simulated (Machado 2009; tests/gui/test_palette.py checks them):

    classes  normal  deuteranopia  protanopia  tritanopia
    2        62      63            62          57
    3        62      56            52          17
    4        26      25            25          16
    5        26      18            25          16
    6        26      18            21          16

From four classes on, Okabe-Ito has no colour left that stays 30 apart from the others: sky
blue shares its hue with blue, vermillion nears orange for deutan eyes, reddish purple nears
bluish green; these orders are the best the palette allows (yellow, the one colour unused,
does no better and barely shows on white). The mark for a misclassified point is black: it
differs in lightness from every class colour, which no kind of colour blindness takes away.

Weight signs and train/test are drawn in colours outside the class hues, so that no line
reads as a class: the signs as a brown/violet diverging pair (as ColorBrewer's PuOr), train
and test in yellow-green and lilac, every one at least 20 from every class colour under each
simulated vision. Train and test differ by line style as well: solid train, dashed test.
"""

from __future__ import annotations

import numpy as np

Rgb = tuple[int, int, int]

CLASS_COLOURS: list[Rgb] = [
    (0, 114, 178),  # blue #0072B2
    (230, 159, 0),  # orange #E69F00
    (0, 158, 115),  # bluish green #009E73
    (86, 180, 233),  # sky blue #56B4E9
    (213, 94, 0),  # vermillion #D55E00
    (204, 121, 167),  # reddish purple #CC79A7
]
MARK_COLOUR: Rgb = (0, 0, 0)  # the cross on a misclassified point
# A weight's (or a neuron's output's, or a bias's) sign in the network diagram.
POSITIVE_COLOUR: Rgb = (150, 70, 50)  # brown #964632
NEGATIVE_COLOUR: Rgb = (100, 30, 220)  # violet #641EDC
# Train and test in every plot of a measure over training (curves, the landscape's line).
TRAIN_COLOUR: Rgb = (140, 185, 90)  # yellow-green #8CB95A, solid
TEST_COLOUR: Rgb = (185, 100, 255)  # lilac #B964FF, dashed
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


def split_pen(split: str, width: float = 2.0):
    """The pen of a ``train`` or ``test`` line: its colour, solid for train, dashed (and a
    little wider, as dashes carry less ink) for test. Every view draws train and test with it,
    so they look the same everywhere."""
    import pyqtgraph as pg

    if split == "train":
        return pg.mkPen(TRAIN_COLOUR, width=width)
    if split == "test":
        dashed = pg.QtCore.Qt.PenStyle.DashLine
        return pg.mkPen(TEST_COLOUR, width=1.25 * width, style=dashed)
    raise ValueError(f"split must be train or test, got {split!r}")
