"""Learning dynamics: each layer's weight norm and gradient norm over training (log axis,
so vanishing or exploding gradients stand out), and each layer's weight histogram, live.

The three plots stand in a row when the view is wide (under the views) and in a column when
it is tall (the Network column beside them); one legend row above them names the layers'
colours for all three, so no legend covers a curve.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QGraphicsItem, QGridLayout, QLabel, QVBoxLayout, QWidget

from gui.views.compare_style import RUN_COLOURS
from gui.views.curve_axes import CountAxis, ValueAxis
from model.nn.network_snapshot import NetworkSnapshot
from model.training.history import HISTORY_LIMIT, thinned_indices

HISTOGRAM_BINS = 30
ROW_FROM_ASPECT = 1.5  # a view this many times wider than tall puts its plots in a row
LEAST_SIZE = (160, 120)


class DynamicsView(QWidget):
    """Fed with (update, snapshot) pairs; cleared when a new network starts."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.norm_plot = self._plot("Weight norm per layer (log)", log=True)
        self.grad_plot = self._plot("Gradient norm per layer (log)", log=True)
        self.histogram = self._plot("Weights per layer", log=False)
        self.grid = QGridLayout()
        self.grid.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 0, 0)
        layout.addWidget(self.legend)
        layout.addLayout(self.grid, 1)
        self.arrangement = ""
        self._arrange()
        # however the plots stand, never what makes a dock (and so the window) larger
        self.setMinimumSize(*LEAST_SIZE)
        self.updates: list[int] = []
        self.weight_norms: list[np.ndarray] = []
        self.grad_norms: list[np.ndarray] = []
        self._curves: dict[tuple[str, int], pg.PlotDataItem] = {}

    @staticmethod
    def _plot(title: str, log: bool) -> pg.PlotWidget:
        bottom = CountAxis("bottom") if log else pg.AxisItem("bottom")
        plot = pg.PlotWidget(axisItems={"bottom": bottom, "left": ValueAxis("left")})
        plot.setTitle(title, size="9pt")
        plot.setMenuEnabled(False)
        plot.setLogMode(y=log)
        if log:
            plot.setLabel("bottom", "update")
        for axis in ("left", "bottom"):
            plot.getAxis(axis).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        return plot

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._arrange()

    def _arrange(self) -> None:
        arrangement = "row" if self.width() >= ROW_FROM_ASPECT * self.height() else "column"
        if arrangement == self.arrangement:
            return
        self.arrangement = arrangement
        for index, plot in enumerate((self.norm_plot, self.grad_plot, self.histogram)):
            self.grid.removeWidget(plot)
            place = (0, index) if arrangement == "row" else (index, 0)
            self.grid.addWidget(plot, *place)

    def _name_layers(self, count: int) -> None:
        """The legend row: each layer's colour, the same in all three plots."""
        entries = [
            f"<span style='color:{pg.mkColor(RUN_COLOURS[k % len(RUN_COLOURS)]).name()}'>━━</span>"
            f"&nbsp;layer&nbsp;{k + 1}"
            for k in range(count)
        ]
        text = "&nbsp;&nbsp;&nbsp; ".join(entries)
        if self.legend.text() != text:
            self.legend.setText(text)

    def clear(self) -> None:
        self.updates, self.weight_norms, self.grad_norms = [], [], []
        for plot in (self.norm_plot, self.grad_plot, self.histogram):
            plot.clear()
        self._curves.clear()

    def add(self, update: int, snapshot: NetworkSnapshot) -> None:
        if self.updates and update <= self.updates[-1]:
            self.updates.pop()  # the same update seen again (a pause, an edit): replace it
            self.weight_norms.pop()
            self.grad_norms.pop()
        self.updates.append(update)
        self.weight_norms.append(np.array([np.linalg.norm(w) for w in snapshot.weights]))
        self.grad_norms.append(np.array([np.linalg.norm(g) for g in snapshot.weight_grads]))
        keep = thinned_indices(self.updates, HISTORY_LIMIT)  # hours of play: memory stays flat
        if keep is not None:
            self.updates = [self.updates[i] for i in keep]
            self.weight_norms = [self.weight_norms[i] for i in keep]
            self.grad_norms = [self.grad_norms[i] for i in keep]
        self._draw(snapshot)

    def _curve(self, plot: pg.PlotWidget, kind: str, layer: int, **style) -> pg.PlotDataItem:
        key = (kind, layer)
        if key not in self._curves:
            colour = RUN_COLOURS[layer % len(RUN_COLOURS)]
            self._curves[key] = plot.plot(pen=pg.mkPen(colour, width=2), **style)
        return self._curves[key]

    def _draw(self, snapshot: NetworkSnapshot) -> None:
        x = np.array(self.updates, dtype=float)
        norms = np.array(self.weight_norms)
        grads = np.array(self.grad_norms)
        tiny = 1e-12  # a zero gradient (before the first update) cannot sit on a log axis
        self._name_layers(norms.shape[1])
        for layer in range(norms.shape[1]):
            self._curve(self.norm_plot, "norm", layer).setData(x, np.maximum(norms[:, layer], tiny))
            self._curve(self.grad_plot, "grad", layer).setData(x, np.maximum(grads[:, layer], tiny))
        for layer, w in enumerate(snapshot.weights):
            counts, edges = weight_histogram(w)
            self._curve(self.histogram, "hist", layer, stepMode="center").setData(edges, counts)


def weight_histogram(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Counts and bin edges of the finite weights; weights so large that their range has no
    finite bins (a run blowing up) are clipped to +-1e150 first, and none at all give
    one empty bin. A range narrower than the floats' spacing at its size (large, nearly
    equal weights) has no distinct bin edges, so it is widened about its middle."""
    values = w[np.isfinite(w)]
    if values.size == 0:
        return np.zeros(1), np.array([-1.0, 1.0])
    values = np.clip(values, -1e150, 1e150)
    lo, hi = float(values.min()), float(values.max())
    least = 4 * HISTOGRAM_BINS * float(np.spacing(max(abs(lo), abs(hi))))
    if hi - lo < least:
        half = max(least, 1.0) / 2 if hi == lo else least / 2  # one value: numpy's +-0.5
        middle = lo / 2 + hi / 2
        lo, hi = middle - half, middle + half
    return np.histogram(values, bins=HISTOGRAM_BINS, range=(lo, hi))
