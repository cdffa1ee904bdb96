"""The curves' axes: whole numbers of updates or epochs along x, losses on a log scale
labelled with the losses themselves.

pyqtgraph's own axes would label a range of one update "0.5 update", and a log axis
"10⁻¹" or "1e+01"; a student reads "0.1" and "10" faster.
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtGui import QFontMetrics

LOG_STEPS = (1, 2, 5)  # labelled values within a decade when 1..9 would crowd
LABEL_GAP = 22  # pixels between two labelled ticks of a log axis, at least (a 9-point font)


class CountAxis(pg.AxisItem):
    """Ticks at whole numbers only (updates and epochs are counted), labelled 1,500 or
    12k rather than 1500.0 or 1.2e4."""

    def __init__(self, orientation: str = "bottom", **kwargs) -> None:
        super().__init__(orientation, **kwargs)
        self.enableAutoSIPrefix(False)

    def tickSpacing(self, minVal: float, maxVal: float, size: float):  # noqa: N802, N803
        levels = super().tickSpacing(minVal, maxVal, size)
        whole = [(max(1.0, float(round(spacing))), offset) for spacing, offset in levels]
        kept: list[tuple[float, float]] = []
        for spacing, offset in whole:  # a level that became 1 twice is drawn once
            if not kept or spacing < kept[-1][0]:
                kept.append((spacing, offset))
        return kept

    def tickStrings(self, values, scale, spacing):  # noqa: N802
        return [count_label(value * scale) for value in values]


def count_label(value: float) -> str:
    """300, 1,500, 12k, 1.5M: a count in few characters."""
    value = round(value)
    if abs(value) >= 1_000_000 and value % 100_000 == 0:
        return f"{value / 1_000_000:g}M"
    if abs(value) >= 10_000 and value % 1000 == 0:
        return f"{value / 1000:g}k"
    return f"{value:,d}"


class ValueAxis(pg.AxisItem):
    """A value axis; in log mode its ticks sit at 1, 2, 5 x 10^k (decades alone when the
    range spans many) and read as the values: 0.05, 1, 20."""

    def logTickValues(self, minVal, maxVal, size, stdTicks):  # noqa: N802, N803
        font = self.style.get("tickFont") or self.font()
        return log_ticks(minVal, maxVal, size, QFontMetrics(font).height() * 1.4)

    def logTickStrings(self, values, scale, spacing):  # noqa: N802
        return [value_label(10.0**value * scale) for value in values]


def log_ticks(
    low: float, high: float, size: float, gap: float = LABEL_GAP
) -> list[tuple[float | None, list[float]]]:
    """Tick levels for a log axis from 10^low to 10^high, ``size`` pixels long: labelled
    values on the densest ladder (1..9, 1-2-5, decades, every k-th decade) whose labels
    stand ``gap`` pixels apart or more; unlabelled ticks at 1..9 x 10^k when they fit."""
    pixels = size / max(high - low, 1e-9)  # per decade
    first, last = math.floor(low), math.ceil(high)

    def ladder(mantissas, every: int = 1) -> list[float]:
        return [
            math.log10(m) + d
            for d in range(first, last + 1)
            if (d - first) % every == 0
            for m in mantissas
            if low - 1e-9 <= math.log10(m) + d <= high + 1e-9
        ]

    def apart(values: list[float]) -> bool:
        return all((b - a) * pixels >= gap for a, b in zip(values, values[1:], strict=False))

    major: list[float] = []
    for values in (ladder(range(1, 10)), ladder(LOG_STEPS), ladder((1,))):
        if apart(values) and len(values) >= 2:
            major = values
            break
    if not major:
        every = max(1, math.ceil(gap / pixels))
        major = ladder((1,), every) or [low, high]
    fine = ladder(range(1, 10)) if pixels >= 4 * gap / 3 else []
    minor = [v for v in fine if all(abs(v - t) > 1e-9 for t in major)]
    return [(None, major), (None, minor)]


def value_label(value: float) -> str:
    """0.05, 1, 20, 3e+04: the shortest reading of a tick's value."""
    return f"{value:.3g}" if 1e-3 <= abs(value) < 1e5 else f"{value:.0e}".replace("e-0", "e-")
