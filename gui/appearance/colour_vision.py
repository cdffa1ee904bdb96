"""Colour-blindness simulation and colour difference, to check palettes by numbers.

Machado, Oliveira and Fernandes (2009), "A Physiologically-based Model for Simulation of Color
Vision Deficiency": one 3x3 matrix per deficiency (severity 1.0) applied in linear RGB. The
difference of two colours is CIE76 Delta E in CIELAB (D65): about 2.3 is just noticeable,
above 10 two marks are told apart at a glance.
"""

from __future__ import annotations

import numpy as np

MACHADO_2009 = {
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
    "tritanopia": np.array(
        [
            [1.255528, -0.076749, -0.178779],
            [-0.078411, 0.930809, 0.147602],
            [0.004733, 0.691367, 0.303900],
        ]
    ),
}
_SRGB_TO_XYZ = np.array(
    [[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]
)
_D65_WHITE = np.array([0.95047, 1.0, 1.08883])


def _linear(rgb: np.ndarray) -> np.ndarray:
    c = np.asarray(rgb, dtype=float) / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _lab(linear: np.ndarray) -> np.ndarray:
    xyz = linear @ _SRGB_TO_XYZ.T / _D65_WHITE
    eps = (6 / 29) ** 3
    f = np.where(xyz > eps, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack(
        [116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])],
        axis=-1,
    )


def lab_as_seen(rgb, deficiency: str | None = None) -> np.ndarray:
    """CIELAB of 8-bit sRGB colours (shape (..., 3)) as seen with ``deficiency`` (None: normal)."""
    linear = _linear(rgb)
    if deficiency is not None:
        linear = np.clip(linear @ MACHADO_2009[deficiency].T, 0.0, 1.0)
    return _lab(linear)


def smallest_difference(colours, deficiency: str | None = None) -> float:
    """The smallest Delta E between any two of ``colours`` as seen with ``deficiency``."""
    lab = lab_as_seen(np.asarray(colours, dtype=float), deficiency)
    distances = np.linalg.norm(lab[:, None, :] - lab[None, :, :], axis=-1)
    return float(distances[np.triu_indices(len(lab), k=1)].min())
