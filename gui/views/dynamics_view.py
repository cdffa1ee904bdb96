"""Learning dynamics: each layer's weight norm and gradient norm over training (log axis,
so vanishing or exploding gradients stand out), and each layer's weight histogram, live."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QGraphicsItem, QHBoxLayout, QWidget

from gui.views.compare_style import RUN_COLOURS
from model.nn.network_snapshot import NetworkSnapshot
from model.training.history import HISTORY_LIMIT, thinned_indices

HISTOGRAM_BINS = 30


class DynamicsView(QWidget):
    """Fed with (update, snapshot) pairs; cleared when a new network starts."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.norm_plot = self._plot("Weight norm per layer (log)", log=True)
        self.grad_plot = self._plot("Gradient norm per layer (log)", log=True)
        self.histogram = self._plot("Weights per layer", log=False)
        for plot in (self.norm_plot, self.grad_plot, self.histogram):
            layout.addWidget(plot)
        self.updates: list[int] = []
        self.weight_norms: list[np.ndarray] = []
        self.grad_norms: list[np.ndarray] = []
        self._curves: dict[tuple[str, int], pg.PlotDataItem] = {}

    @staticmethod
    def _plot(title: str, log: bool) -> pg.PlotWidget:
        plot = pg.PlotWidget(title=title)
        plot.setMenuEnabled(False)
        plot.addLegend(offset=(-5, 5), labelTextSize="7pt")
        plot.setLogMode(y=log)
        for axis in ("left", "bottom"):
            plot.getAxis(axis).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        return plot

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
            self._curves[key] = plot.plot(
                pen=pg.mkPen(colour, width=2), name=f"layer {layer + 1}", **style
            )
        return self._curves[key]

    def _draw(self, snapshot: NetworkSnapshot) -> None:
        x = np.array(self.updates, dtype=float)
        norms = np.array(self.weight_norms)
        grads = np.array(self.grad_norms)
        tiny = 1e-12  # a zero gradient (before the first update) cannot sit on a log axis
        for layer in range(norms.shape[1]):
            self._curve(self.norm_plot, "norm", layer).setData(x, np.maximum(norms[:, layer], tiny))
            self._curve(self.grad_plot, "grad", layer).setData(x, np.maximum(grads[:, layer], tiny))
        for layer, w in enumerate(snapshot.weights):
            counts, edges = weight_histogram(w)
            self._curve(self.histogram, "hist", layer, stepMode="center").setData(edges, counts)


def weight_histogram(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Counts and bin edges of the finite weights; weights so large that their range has no
    finite bins (a run blowing up) are clipped to +-1e150 first, and none at all give
    one empty bin."""
    values = w[np.isfinite(w)]
    if values.size == 0:
        return np.zeros(1), np.array([-1.0, 1.0])
    return np.histogram(np.clip(values, -1e150, 1e150), bins=HISTOGRAM_BINS)
