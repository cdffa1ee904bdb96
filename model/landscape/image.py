"""The loss landscape as a PNG image, without Qt or a plotting library: for the headless
``main.py landscape`` (the window exports its own view).

The log of the loss is interpolated to the image's pixels and cut into bands (a filled
contour map) coloured with viridis; the path of training is a white line with a dot at every
recorded point, the current weights a vermillion dot; a cell without a value is grey. The
image is written with zlib alone (the PNG format's own compression).
"""

from __future__ import annotations

import struct
import zlib

import numpy as np

# Viridis at nine evenly spaced points (matplotlib's table, rounded): interpolated between.
VIRIDIS = np.array(
    [
        [68, 1, 84],
        [71, 44, 122],
        [59, 81, 139],
        [44, 113, 142],
        [33, 144, 141],
        [39, 173, 129],
        [92, 200, 99],
        [170, 220, 50],
        [253, 231, 37],
    ],
    dtype=np.float64,
)
GREY = (128, 128, 128)
PATH_COLOUR = (255, 255, 255)
CURRENT_COLOUR = (213, 94, 0)  # Okabe-Ito vermillion
BANDS = 14


def viridis(values: np.ndarray) -> np.ndarray:
    """RGB (..., 3) uint8 for values in [0, 1]."""
    x = np.clip(values, 0.0, 1.0) * (len(VIRIDIS) - 1)
    low = np.minimum(np.floor(x).astype(int), len(VIRIDIS) - 2)
    frac = (x - low)[..., None]
    return np.round(VIRIDIS[low] * (1 - frac) + VIRIDIS[low + 1] * frac).astype(np.uint8)


def _upsample(grid: np.ndarray, size: int) -> np.ndarray:
    """Bilinear interpolation of a square grid (row 0 at the bottom) to size x size pixels."""
    n = grid.shape[0]
    t = np.linspace(0.0, n - 1.0, size)
    i0 = np.minimum(np.floor(t).astype(int), n - 2)
    f = t - i0
    rows = grid[i0] * (1 - f)[:, None] + grid[i0 + 1] * f[:, None]
    return rows[:, i0] * (1 - f)[None, :] + rows[:, i0 + 1] * f[None, :]


def landscape_rgb(loss: np.ndarray, size: int = 512, log_scale: bool = True) -> np.ndarray:
    """The banded, colour-mapped map of ``loss[i, j]`` (b upwards, a to the right)."""
    finite = np.isfinite(loss) & (loss > 0 if log_scale else True)
    values = np.where(finite, loss, np.nan)
    if log_scale:
        values = np.log10(values)
    if not np.any(finite):
        return np.full((size, size, 3), GREY, dtype=np.uint8)
    low, high = np.nanmin(values), np.nanmax(values)
    scaled = (values - low) / (high - low) if high > low else np.zeros_like(values)
    fine = _upsample(np.nan_to_num(scaled, nan=-1.0), size)[::-1]  # top row: the largest b
    bands = np.floor(fine * BANDS).clip(0, BANDS - 1) / (BANDS - 1)
    rgb = viridis(bands)
    rgb[fine < 0] = GREY  # near a missing value
    return rgb


def _dot(rgb: np.ndarray, x: float, y: float, radius: int, colour: tuple) -> None:
    size = rgb.shape[0]
    ys, xs = np.ogrid[:size, :size]
    rgb[(xs - x) ** 2 + (ys - y) ** 2 <= radius * radius] = colour


def draw_path(rgb: np.ndarray, path: np.ndarray, span: float) -> None:
    """The (k, 2) path in (a, b) coordinates onto the image, in place (off the map: clipped)."""
    size = rgb.shape[0]
    pixels = (np.asarray(path, dtype=np.float64) + span) / (2 * span) * (size - 1)
    xs, ys = pixels[:, 0], (size - 1) - pixels[:, 1]
    for k in range(len(xs) - 1):
        x0, y0, x1, y1 = xs[k], ys[k], xs[k + 1], ys[k + 1]
        steps = int(min(4 * size, max(abs(x1 - x0), abs(y1 - y0)))) + 1
        t = np.linspace(0.0, 1.0, steps + 1)
        px, py = np.round(x0 + t * (x1 - x0)).astype(int), np.round(y0 + t * (y1 - y0)).astype(int)
        for dx, dy in ((0, 0), (1, 0), (0, 1)):
            x, y = px + dx, py + dy
            inside = (x >= 0) & (x < size) & (y >= 0) & (y < size)
            rgb[y[inside], x[inside]] = PATH_COLOUR
    for x, y in zip(xs[:-1], ys[:-1], strict=True):
        _dot(rgb, x, y, 2, PATH_COLOUR)
    if len(xs):
        _dot(rgb, xs[-1], ys[-1], 5, CURRENT_COLOUR)


def png_bytes(rgb: np.ndarray) -> bytes:
    """An (h, w, 3) uint8 image as the bytes of a PNG file."""
    height, width, _ = rgb.shape
    raw = np.concatenate([np.zeros((height, 1), np.uint8), rgb.reshape(height, -1)], axis=1)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw.tobytes(), 9))
        + chunk(b"IEND", b"")
    )


def landscape_png(loss: np.ndarray, path: np.ndarray, span: float, size: int = 512) -> bytes:
    """The whole picture: the banded map and the path on it, as PNG bytes."""
    rgb = landscape_rgb(loss, size)
    draw_path(rgb, path, span)
    return png_bytes(rgb)
