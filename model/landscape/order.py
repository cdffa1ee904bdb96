"""The order a slice's grid is computed in: coarse to fine, so that a partial slice
already shows the whole map, blurred, and sharpens as it goes.

Level by level, each a lattice through the middle of the grid: every 8th point (or every
16th on a large grid), then every 4th, every 2nd, then the rest. While a level is under
way, ``preview`` fills each cell not yet computed with the nearest cell of the last
complete lattice.
"""

from __future__ import annotations

import numpy as np


def strides(resolution: int) -> list[int]:
    """The lattice strides, coarsest first, ending with 1."""
    out, stride = [1], 2
    while stride <= resolution // 4:
        out.insert(0, stride)
        stride *= 2
    return out


def coarse_to_fine(resolution: int) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Flat grid indices (row-major) in the order to compute them, and each level's
    (stride, number of points computed once it is complete)."""
    middle = resolution // 2
    offsets = np.abs(np.arange(resolution) - middle)
    levels, order, seen = [], [], np.zeros((resolution, resolution), bool)
    for stride in strides(resolution):
        on_axis = offsets % stride == 0
        lattice = np.outer(on_axis, on_axis) & ~seen
        order.append(np.flatnonzero(lattice))
        seen |= lattice
        levels.append((stride, int(seen.sum())))
    return np.concatenate(order), levels


def nearest_on_lattice(resolution: int, stride: int) -> np.ndarray:
    """For each row (or column) index, the nearest index on the lattice of ``stride``."""
    middle = resolution // 2
    reach = stride * (middle // stride)
    steps = np.round((np.arange(resolution) - middle) / stride) * stride
    return (middle + np.clip(steps, -reach, reach)).astype(int)


def preview(
    loss: np.ndarray, computed: np.ndarray, levels: list[tuple[int, int]], count: int
) -> np.ndarray:
    """``loss`` with the cells not yet computed filled from the last complete lattice (none
    complete yet, or all done: ``loss`` itself)."""
    complete = [stride for stride, needed in levels if count >= needed]
    if not complete or complete[-1] == 1:
        return loss
    nearest = nearest_on_lattice(len(loss), complete[-1])
    filled = loss[np.ix_(nearest, nearest)]
    return np.where(computed, loss, filled)
