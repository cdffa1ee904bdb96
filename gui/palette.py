"""Class colours, and turning class probabilities into a pale-where-unsure RGB image."""

from __future__ import annotations

import numpy as np

CLASS_COLOURS = [
    (31, 119, 180),
    (255, 127, 14),
    (44, 160, 44),
    (214, 39, 40),
    (148, 103, 189),
    (140, 86, 75),
]
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


def binary_colour_map():
    """Class 0's colour, through white (unsure), to class 1's colour; muted so points show."""
    import pyqtgraph as pg

    def muted(colour: tuple[int, int, int], strength: float) -> tuple[int, int, int]:
        return tuple(int(255 * (1 - strength) + c * strength) for c in colour)

    stops = [0.0, 0.5, 1.0]
    colours = [muted(CLASS_COLOURS[0], 0.6), (255, 255, 255), muted(CLASS_COLOURS[1], 0.6)]
    return pg.ColorMap(stops, colours)
