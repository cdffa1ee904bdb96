"""Where the network diagram's tiles go: a pure computation in widget pixels, no Qt.

Tiles are as large as the view allows (up to TILE_MAX); a layer too tall for one column is
laid out as a grid of columns (neurons numbered down, then across), except the layers kept in
one column (the inputs, each named at its left); when even TILE_MIN tiles do not fit, the
caller scrolls.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

TILE_MAX = 64  # pixels: larger tiles would leave too little room for the links
TILE_MIN = 12  # below this a map is unreadable: scroll instead
MARGIN = 8  # pixels around the diagram
LINK_GAP_MIN = 28  # the least room for links between two layers, pixels
MAX_BLOCK_SHARE = 0.35  # a layer's grid takes at most this share of the width
COLUMN_COST = 3  # pixels of tile given up to save one grid column in a layer


def spacing(tile: int) -> int:
    """The gap between neighbouring tiles of a layer's grid."""
    return max(2, round(tile / 6))


@dataclass(frozen=True)
class Layout:
    """Where every tile goes, in pixels from the diagram's top-left (y down).

    Layer l is a grid of ``cols[l]`` columns by ``rows[l]`` rows of ``tiles[l]``-pixel
    tiles whose top-left tile is at (``x0[l]``, ``y0[l]``); neuron i sits in column
    ``i // rows[l]``, row ``i % rows[l]``.
    """

    widths: tuple[int, ...]
    tiles: np.ndarray
    gaps: np.ndarray
    header: int  # the title band's height
    height: int  # the whole diagram's height (more than the view's when it scrolls)
    x0: np.ndarray
    y0: np.ndarray
    cols: np.ndarray
    rows: np.ndarray

    def block_size(self, layer: int) -> tuple[int, int]:
        """Width and height of layer ``layer``'s grid of tiles."""
        pitch, gap = self.tiles[layer] + self.gaps[layer], self.gaps[layer]
        return int(self.cols[layer] * pitch - gap), int(self.rows[layer] * pitch - gap)

    def origins(self, layer: int, index=None) -> tuple[np.ndarray, np.ndarray]:
        """Top-left corners of the layer's tiles (all of them, or those in ``index``)."""
        index = np.arange(self.widths[layer]) if index is None else np.asarray(index)
        rows, pitch = int(self.rows[layer]), self.tiles[layer] + self.gaps[layer]
        return self.x0[layer] + (index // rows) * pitch, self.y0[layer] + (index % rows) * pitch

    def tile_at(self, x: float, y: float) -> tuple[int, int] | None:
        """(layer, neuron) of the tile under (x, y), by arithmetic: no loop over tiles."""
        for layer, count in enumerate(self.widths):
            dx, dy = x - self.x0[layer], y - self.y0[layer]
            if dx < 0 or dy < 0:
                continue
            tile = self.tiles[layer]
            pitch = tile + self.gaps[layer]
            col, row = int(dx // pitch), int(dy // pitch)
            if col >= self.cols[layer] or row >= self.rows[layer]:
                continue
            if dx - col * pitch > tile or dy - row * pitch > tile:
                return None  # in the gap between two tiles
            index = col * int(self.rows[layer]) + row
            return (layer, index) if index < count else None
        return None


def plan_layout(
    widths: list[int],
    width: float,
    height: float,
    header: int,
    footer: int = 0,
    one_column: tuple[int, ...] = (),
) -> tuple[Layout, bool]:
    """The largest tiles (TILE_MAX down to TILE_MIN) with which every layer fits ``width``
    by ``height`` pixels, with few grid columns per layer; the layers ``one_column`` names
    always stand in one column. Layers that stand in one column (the inputs and outputs, say)
    then take the largest tiles that fit in sight. Returns the layout and whether it is
    taller than ``height`` (TILE_MIN tiles do not fit: it scrolls).
    """
    n = np.asarray(widths)
    pinned = np.isin(np.arange(len(n)), one_column)
    gaps = len(widths) - 1
    room_h = max(height - header - footer - 2 * MARGIN, TILE_MIN)
    room_w = max(width - 2 * MARGIN, TILE_MIN * len(widths))

    def link_room(tile: int) -> float:
        return gaps * max(LINK_GAP_MIN, 0.6 * tile)

    def columns(tile: int, rows: int) -> tuple[np.ndarray, np.ndarray] | None:
        cols = np.where(pinned, 1, -(-n // rows))
        blocks = cols * (tile + spacing(tile)) - spacing(tile)
        if blocks.sum() + link_room(tile) > room_w:
            return None
        if cols.max() > 1 and blocks.max() > MAX_BLOCK_SHARE * room_w:
            return None
        return cols, -(-n // cols)

    def rows_fitting(tile: int) -> int:
        return max(1, int((room_h + spacing(tile)) // (tile + spacing(tile))))

    chosen, scrolls, best = None, False, -math.inf
    for tile in range(TILE_MAX, TILE_MIN - 1, -1):
        fit = columns(tile, min(rows_fitting(tile), int(n.max())))
        # Larger tiles read better; every extra grid column hides more links behind tiles.
        score = -math.inf if fit is None else tile - COLUMN_COST * (fit[0].max() - 1)
        if score > best:
            chosen, best = (tile, fit), score
    if chosen is None:  # even the smallest tiles do not fit: the fewest rows that do
        tile = TILE_MIN
        for rows in range(1, int(n.max()) + 1):
            fit = columns(tile, rows)
            if fit is not None:
                break
        else:  # too narrow even for one column per layer: one column, and so be it
            fit = (np.ones_like(n), n)
        chosen, scrolls = (tile, fit), True
    tile, (cols, rows) = chosen
    tiles = np.full(len(n), tile)
    for layer in np.flatnonzero(cols == 1):  # a single column: as large as fits in sight
        fits = (t for t in range(TILE_MAX, TILE_MIN - 1, -1) if n[layer] <= rows_fitting(t))
        tiles[layer] = next(fits, TILE_MIN)  # never below ``tile`` unless the layer is pinned
    gaps_px = np.array([spacing(int(t)) for t in tiles])

    def blocks() -> np.ndarray:
        return cols * (tiles + gaps_px) - gaps_px

    while blocks().sum() + link_room(tile) > room_w and tiles.max() > tile:
        layer = int(np.argmax(tiles))  # too wide: the largest tiles give way
        tiles[layer] -= 1
        gaps_px[layer] = spacing(int(tiles[layer]))
    widths_px = blocks()
    heights_px = rows * (tiles + gaps_px) - gaps_px
    content = max(int(heights_px.max()), room_h)
    spare = room_w - widths_px.sum()
    link_gap = min(spare / gaps, 6 * TILE_MAX) if gaps else 0.0
    left = MARGIN + (room_w - widths_px.sum() - gaps * link_gap) / 2
    x0 = np.round(left + np.concatenate([[0], np.cumsum(widths_px[:-1] + link_gap)]))
    # a pinned column taller than the view scrolls too
    scrolls = (scrolls or content > room_h) and header + footer + 2 * MARGIN + content > height
    # Centred when the whole diagram fits; top-aligned when it scrolls, so that every
    # layer's first neurons (and the small input and output columns) are in sight.
    free = 0 * heights_px if scrolls else content - heights_px
    layout = Layout(
        widths=tuple(int(w) for w in widths),
        tiles=tiles,
        gaps=gaps_px,
        header=header,
        height=int(header + footer + 2 * MARGIN + content),
        x0=x0,
        y0=np.round(header + MARGIN + free / 2),
        cols=cols,
        rows=rows,
    )
    return layout, scrolls
