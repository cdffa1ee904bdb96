"""The network diagram's tiles as pixels: each neuron's map over the input plane in RGBA.

Hidden and input neurons run from violet (negative) through white (zero) to brown (positive),
the signs' colours, each scaled by its own largest magnitude; output k runs from white to
class k's colour, its probability as it is (as in the boundary view). A cell without a value
(the network diverged) is grey. NumPy only: the view puts the finished images on screen.
"""

from __future__ import annotations

import numpy as np

from gui.appearance.palette import CLASS_COLOURS, NEGATIVE_COLOUR, POSITIVE_COLOUR
from gui.views.network_layout import Layout

BORDER_MIN = 20  # tiles at least this large get a one-pixel frame
BORDER = (150, 150, 150, 255)
MISSING = (160, 160, 160, 255)  # a cell without a value (the network diverged)
MAP_LUT = np.column_stack(  # value in [-1, 1] (256 steps) -> RGBA, white at 0
    [
        np.interp(
            np.linspace(-1, 1, 256), [-1, 0, 1], [NEGATIVE_COLOUR[c], 250, POSITIVE_COLOUR[c]]
        )
        for c in range(3)
    ]
    + [np.full(256, 255.0)]
).astype(np.uint8)
# Output k's tile: P(class k) from 0 (white) to 1 (class k's colour, as in the boundary view).
OUTPUT_LUTS = np.stack(
    [
        np.column_stack(
            [np.interp(np.linspace(0, 1, 256), [0, 1], [250, colour[c]]) for c in range(3)]
            + [np.full(256, 255.0)]
        )
        for colour in CLASS_COLOURS
    ]
).astype(np.uint8)


def resampler(size_in: int, size_out: int) -> np.ndarray:
    """(size_out, size_in) matrix: linear interpolation at the output pixels' centres (a box
    average when shrinking by a whole factor)."""
    centres = np.clip((np.arange(size_out) + 0.5) * size_in / size_out - 0.5, 0, size_in - 1)
    low = np.floor(centres).astype(int)
    high = np.minimum(low + 1, size_in - 1)
    frac = centres - low
    matrix = np.zeros((size_out, size_in))
    np.add.at(matrix, (np.arange(size_out), low), 1 - frac)
    np.add.at(matrix, (np.arange(size_out), high), frac)
    return matrix


def scaled(maps: np.ndarray, output: bool) -> np.ndarray:
    """Hidden and input maps in [-1, 1], each neuron by its own largest magnitude (so a quiet
    neuron still shows its pattern); outputs are probabilities, in [0, 1] as they are. NaN
    stays NaN (drawn grey)."""
    if output:
        return maps
    scale = np.nanmax(np.abs(maps), axis=(1, 2), keepdims=True) if maps.size else 1.0
    return maps / np.where(np.nan_to_num(scale) > 0, scale, 1.0)


def colours(values: np.ndarray, output: bool, units: np.ndarray) -> np.ndarray:
    """RGBA for scaled maps ``values`` of neurons ``units``: violet, white, brown for hidden
    and inputs; white to the class's colour for output k."""
    missing = np.isnan(values)
    values = np.nan_to_num(values)
    if output:
        index = np.clip(values * 255, 0, 255).astype(np.uint8)
        rgba = OUTPUT_LUTS[(units % len(OUTPUT_LUTS))[:, None, None], index]
    else:
        rgba = MAP_LUT[np.clip((values + 1) * 127.5, 0, 255).astype(np.uint8)]
    rgba[missing] = MISSING
    return rgba


def layer_canvas(maps: np.ndarray, layout: Layout, layer: int, output: bool) -> np.ndarray:
    """One RGBA image per layer at screen resolution: its tiles in a grid (column by column)
    with transparent gaps. One image per layer, not per tile, keeps 8 x 256 neurons fast."""
    tile, gap = int(layout.tiles[layer]), int(layout.gaps[layer])
    pitch = tile + gap
    resample = resampler(maps.shape[1], tile)
    # Row 0 of a map is the plane's bottom edge; the diagram's y axis points down.
    values = resample @ scaled(maps, output)[:, ::-1] @ resample.T
    tiles = colours(values, output, np.arange(len(maps)))
    if tile >= BORDER_MIN:
        for edge in (tiles[:, 0], tiles[:, -1], tiles[:, :, 0], tiles[:, :, -1]):
            edge[:] = BORDER
    rows, cols = int(layout.rows[layer]), int(layout.cols[layer])
    padded = np.zeros((cols * rows, pitch, pitch, 4), dtype=np.uint8)
    padded[: len(tiles), :tile, :tile] = tiles
    canvas = padded.reshape(cols, rows, pitch, pitch, 4).transpose(1, 2, 0, 3, 4)
    canvas = canvas.reshape(rows * pitch, cols * pitch, 4)
    return np.ascontiguousarray(canvas[: rows * pitch - gap, : cols * pitch - gap])


def neuron_rgba(maps: np.ndarray, index: int, output: bool) -> np.ndarray:
    """One neuron's RGBA map at the grid's resolution (row 0 at the plane's bottom)."""
    values = scaled(maps[index : index + 1], output)
    return np.ascontiguousarray(colours(values, output, np.array([index]))[0])


def neuron_range(
    maps: np.ndarray, index: int, output: bool
) -> tuple[tuple[float, float], np.ndarray]:
    """The values a neuron's map spans and their colours (a 256-step RGBA table): hidden and
    input neurons from -m to m (m its largest magnitude), outputs from 0 to 1."""
    if output:
        return (0.0, 1.0), OUTPUT_LUTS[index % len(OUTPUT_LUTS)]
    magnitude = float(np.nanmax(np.abs(maps[index])))
    magnitude = magnitude if np.isfinite(magnitude) and magnitude > 0 else 1.0
    return (-magnitude, magnitude), MAP_LUT
