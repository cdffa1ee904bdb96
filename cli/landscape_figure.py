"""``main.py landscape --png``: the loss landscape as a figure for a report, drawn with
matplotlib's Agg canvas (no window, no pyplot state).

The map of the training loss in viridis with contour lines and a labelled colour bar (log
scale when the loss spans more than a factor of ten), the axes named by the plane's two
directions, and the path of training on it from its start to the final weights.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

FIGURE_INCHES = (7.0, 5.6)
DPI = 150  # 1050 x 840 pixels: sharp in a document at the width of a column
LOG_RATIO = 10.0  # a loss spanning more than this factor is coloured on a log scale
CONTOURS = 8  # contour lines between the lowest and the highest loss
PATH_COLOUR = "white"
START_COLOUR = "white"
END_COLOUR = "#D55E00"  # Okabe-Ito vermillion, as the window's current weights
MISSING_COLOUR = "#b0b0b0"  # a grid point whose loss is not a finite number


@dataclass(frozen=True)
class LandscapePicture:
    """What the figure shows.

    ``loss[i, j]`` is the loss at (``a[j]``, ``b[i]``); ``path`` the (a, b) of the recorded
    weights, the last one the centre, at ``updates``; ``explained`` the share of the path's
    variance the PCA plane holds (None for random directions); ``run`` one line naming it.
    """

    a: np.ndarray
    b: np.ndarray
    loss: np.ndarray
    path: np.ndarray
    updates: Sequence[int]
    plane: str  # "pca" or "random"
    explained: float | None
    loss_name: str  # "cross-entropy" or "mean squared error"
    run: str


def direction_labels(picture: LandscapePicture) -> tuple[str, str]:
    """The axes' names: for PCA, each direction's share of the path's variance (the plane's
    share split as the path's spread along each direction)."""
    if picture.plane != "pca" or picture.explained is None:
        return (
            "direction 1 (random, filter-normalised)",
            "direction 2 (random, filter-normalised)",
        )
    spread = np.var(np.asarray(picture.path, dtype=float), axis=0) if len(picture.path) else None
    if spread is None or not np.sum(spread) > 0:
        return "direction 1 (PCA of the path)", "direction 2 (PCA of the path)"
    shares = picture.explained * spread / np.sum(spread)
    return tuple(
        f"direction {k} (PCA, {share:.0%} of the path's variance)".replace("%", " %")
        for k, share in enumerate(shares, 1)
    )


def _colour_scale(loss: np.ndarray):
    """(norm, log?) for the finite losses: log when all are positive and span > LOG_RATIO."""
    from matplotlib.colors import LogNorm, Normalize

    finite = loss[np.isfinite(loss)]
    if not finite.size:
        return Normalize(0.0, 1.0), False
    low, high = float(finite.min()), float(finite.max())
    if low > 0 and high / low > LOG_RATIO:
        return LogNorm(low, high), True
    return Normalize(low, high if high > low else low + 1.0), False


def _contour_levels(norm, log: bool) -> np.ndarray:
    if log:
        return np.geomspace(norm.vmin, norm.vmax, CONTOURS + 2)[1:-1]
    return np.linspace(norm.vmin, norm.vmax, CONTOURS + 2)[1:-1]


def _draw_path(axes, picture: LandscapePicture) -> None:
    from matplotlib import patheffects

    path = np.asarray(picture.path, dtype=float).reshape(-1, 2)
    if not len(path):
        return
    span_a, span_b = abs(picture.a[-1]), abs(picture.b[-1])
    outline = [patheffects.withStroke(linewidth=3.2, foreground="black", alpha=0.6)]
    axes.plot(
        path[:, 0],
        path[:, 1],
        color=PATH_COLOUR,
        linewidth=1.6,
        marker="o",
        markersize=2.5,
        path_effects=outline,
        label=f"path of training ({len(path)} recorded weights)"
        + ("" if picture.plane == "pca" else ",\nprojected: it lies mostly outside the plane"),
        zorder=3,
    )
    start, end = path[0], path[-1]
    outside = abs(start[0]) > span_a or abs(start[1]) > span_b
    axes.plot(
        *start,
        marker="s",
        markersize=9,
        color=START_COLOUR,
        markeredgecolor="black",
        linestyle="none",
        label=f"start, update {picture.updates[0]:,}"
        + (" (beyond the map: widen --span)" if outside else ""),
        zorder=4,
    )
    axes.plot(
        *end,
        marker="*",
        markersize=16,
        color=END_COLOUR,
        markeredgecolor="black",
        linestyle="none",
        label=f"end, update {picture.updates[-1]:,}: the final weights",
        zorder=5,
    )


def landscape_png(picture: LandscapePicture) -> bytes:
    """The figure as the bytes of a PNG file."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    figure = Figure(figsize=FIGURE_INCHES, dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    a, b = np.asarray(picture.a, dtype=float), np.asarray(picture.b, dtype=float)
    loss = np.ma.masked_invalid(np.asarray(picture.loss, dtype=float))
    norm, log = _colour_scale(np.asarray(picture.loss, dtype=float))
    colours = matplotlib.colormaps["viridis"].with_extremes(bad=MISSING_COLOUR)
    step_a = (a[-1] - a[0]) / max(len(a) - 1, 1) / 2
    step_b = (b[-1] - b[0]) / max(len(b) - 1, 1) / 2
    image = axes.imshow(
        loss,
        origin="lower",
        extent=(a[0] - step_a, a[-1] + step_a, b[0] - step_b, b[-1] + step_b),
        cmap=colours,
        norm=norm,
        interpolation="bilinear",
        aspect="equal",
    )
    if np.ma.count(loss) >= 4 and norm.vmax > norm.vmin:
        lines = axes.contour(
            a, b, loss, levels=_contour_levels(norm, log), colors="white", linewidths=0.6
        )
        lines.set_alpha(0.55)
        axes.clabel(lines, fontsize=7, fmt=lambda value: f"{value:.3g}")
    _draw_path(axes, picture)
    axes.set_xlim(a[0], a[-1])
    axes.set_ylim(b[0], b[-1])
    first, second = direction_labels(picture)
    axes.set_xlabel(first)
    axes.set_ylabel(second)
    axes.set_title(
        f"Training loss around the final weights (update {picture.updates[-1]:,})\n{picture.run}",
        fontsize=10,
    )
    scale = ", log scale" if log else ""
    bar = figure.colorbar(image, ax=axes, label=f"training loss ({picture.loss_name}{scale})")
    if log:  # 0.1 and 1 rather than 10^-1 and 10^0
        bar.ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    axes.legend(loc="upper left", fontsize=8, framealpha=0.85)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
