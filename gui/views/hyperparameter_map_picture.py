"""What a hyperparameter map shows for a chosen measure, mean or spread: colours on a scale,
each cell's text, the colour bar's label, and the words of the hover readout."""

from __future__ import annotations

import numpy as np

from gui.views.hyperparameter_map_view import HeatmapPicture
from model.experiments.map_runs import MEASURES, MapResult

MEAN, SPREAD = "mean", "spread"


def figure(measure: str, value: float) -> str:
    """One value of ``measure`` as a cell writes it."""
    if measure == "test_accuracy":
        return f"{value:.3f}"
    if measure == "updates_to_target":
        return f"{value:,.0f}"
    if measure == "seconds":
        return f"{value:.2g} s"
    return f"{value:.3g}"


def measure_label(result: MapResult, measure: str) -> str:
    if measure == "updates_to_target":
        return f"updates to reach {result.spec.target_accuracy:.0%} test accuracy"
    return MEASURES[measure].label


def _levels(values: np.ndarray, fixed: tuple[float, float] | None) -> tuple[float, float]:
    if fixed is not None:
        return fixed
    finite = values[np.isfinite(values)]
    if not finite.size:
        return 0.0, 1.0
    low, high = float(finite.min()), float(finite.max())
    if high - low < 1e-12:
        pad = 0.5 if low == 0 else 0.1 * abs(low)
        low, high = low - pad, high + pad
    return low, high


def picture(result: MapResult, measure: str, show: str, n_classes: int = 2) -> HeatmapPicture:
    """The heatmap of ``measure`` (its mean, or its spread over seeds) over complete cells."""
    info = MEASURES[measure]
    pending = ~result.complete
    mean, spread = result.mean(measure), result.spread(measure)
    seeds = result.spec.seeds
    shown = np.where(pending, np.nan, mean if show == MEAN else spread)
    log = info.log_scale and show == MEAN
    if log:
        with np.errstate(all="ignore"):
            shown = np.log10(np.maximum(shown, 1e-12 if measure == "test_loss" else 1.0))
    fixed = (1.0 / n_classes, 1.0) if measure == "test_accuracy" and show == MEAN else None
    if show == SPREAD:
        finite = shown[np.isfinite(shown)]
        top = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
        fixed = (0.0, top)
    values, diverged = result.values(measure), result.diverged()  # once, not per cell
    texts = [
        [
            ""
            if pending[row, column]
            else _cell_text(result, measure, show, values[row, column], diverged[row, column])
            for column in range(result.spec.shape[1])
        ]
        for row in range(result.spec.shape[0])
    ]
    label = measure_label(result, measure)
    if show == MEAN:
        bar = f"{label}, mean of {seeds} seed{'s' * (seeds > 1)}"
        if log:
            bar += " (log scale)"
    else:
        bar = f"spread over seeds (std) of the {label}"
    return HeatmapPicture(
        shown,
        pending,
        texts,
        _levels(shown, fixed),
        "viridis" if show == MEAN else "cividis",
        show == MEAN and not info.higher_is_better,
        bar,
        log,
    )


def _cell_text(
    result: MapResult, measure: str, show: str, values: np.ndarray, diverged: int
) -> str:
    """A complete cell's words: mean, spread, and how many seeds gave no value, and why."""
    have = values[~np.isnan(values)]
    if not have.size:
        if diverged:
            return "diverged"
        return "never" if measure == "updates_to_target" else ""
    mean, spread = float(have.mean()), float(have.std())
    if show == SPREAD:
        return f"± {figure(measure, spread)}"
    lines = [figure(measure, mean)]
    if result.spec.seeds > 1:
        lines.append(f"± {figure(measure, spread)}")
    missing = result.spec.seeds - have.size
    if missing and measure == "updates_to_target":
        lines.append(f"{have.size}/{result.spec.seeds} reached")
    elif missing:
        lines.append(f"{missing} diverged")
    return "\n".join(lines)


def readout(result: MapResult, measure: str, row: int, column: int) -> str:
    """One line on a hovered cell: its values, its figures over the seeds, what happened."""
    spec = result.spec
    name = spec.cell_name(row, column)
    done = int(result.counts()[row, column])
    if not done:
        return f"{name}: not run yet"
    values = result.values(measure)[row, column]
    have = values[~np.isnan(values)]
    label = measure_label(result, measure)
    if have.size:
        text = f"{label} {figure(measure, float(have.mean()))}"
        if have.size > 1:
            text += f" ± {figure(measure, float(have.std()))}"
        text += f" over {have.size} seed{'s' * (have.size > 1)}"
    else:
        text = f"{label}: none"
    parts = [f"{name}: {text}", f"{done} of {spec.seeds} seeds run"]
    diverged = int(result.diverged()[row, column])
    if diverged:
        parts.append(f"{diverged} diverged")
    if measure == "updates_to_target" and have.size < done:
        parts.append(f"{done - have.size} never reached it")
    return "; ".join(parts) + ". Click to open it in the main window."
