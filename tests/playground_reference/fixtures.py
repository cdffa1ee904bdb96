"""The fixtures make_reference.js writes from TensorFlow Playground's own code (one JSON file
per link of links.json): read by the Python tests, which need neither node nor the network."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

FOLDER = Path(__file__).resolve().parent
NAMES = tuple(link["name"] for link in json.loads((FOLDER / "links.json").read_text("utf-8")))
DENSITY = 100  # playground.ts: the boundary grid's points per side, over [-6, 6]


@cache
def fixture(name: str) -> dict:
    """One link's fixture: its link, data, weights, losses and boundary grid."""
    return json.loads((FOLDER / f"{name}.json").read_text("utf-8"))


def grid_points(grid: dict) -> list[tuple[float, float]]:
    """The (x, y) of the stored boundary cells, as updateDecisionBoundary's d3 scales place
    them: x from -6 at i = 0 to 6 at i = 99, y from 6 at j = 0 to -6 at j = 99."""
    points = []
    for i, j in zip(grid["i"], grid["j"], strict=True):
        tx = i / (DENSITY - 1)
        ty = (j - (DENSITY - 1)) / (0 - (DENSITY - 1))
        points.append((-6 * (1 - tx) + 6 * tx, -6 * (1 - ty) + 6 * ty))
    return points
