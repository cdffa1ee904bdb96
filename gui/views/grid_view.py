"""A heatmap of accuracies over means x covariances, each cell labelled with its figures."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal

ACCURACY_MAP = pg.ColorMap([0.5, 0.75, 1.0], [(214, 96, 77), (253, 219, 150), (77, 172, 38)])


class GridHeatmap(pg.PlotWidget):
    """Rows are means, columns covariances; clicking a cell emits its (row, column)."""

    cell_clicked = Signal(int, int)

    def __init__(self, title: str, parent=None) -> None:
        super().__init__(parent)
        self.setTitle(title)
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setLookupTable(ACCURACY_MAP.getLookupTable(0.5, 1.0, 256))
        self.addItem(self.image)
        self.getViewBox().invertY(True)
        self.setLabel("left", "mean")
        self.setLabel("bottom", "covariance")
        self.labels: list[pg.TextItem] = []
        self.texts: list[list[str]] = []
        self.scene().sigMouseClicked.connect(self._clicked)
        self._shape = (0, 0)

    def show_grid(
        self, means: list[float], covs: list[float], values: np.ndarray, texts: list[list[str]]
    ) -> None:
        """``values`` in [0.5, 1] colour the cells (NaN: not run yet, grey)."""
        shape = (len(means), len(covs))
        shown = np.where(np.isnan(values), np.nan, np.clip(values, 0.5, 1.0))
        self.image.setImage(np.nan_to_num(shown, nan=0.5), levels=(0.5, 1.0))
        if shape != self._shape:
            self._shape = shape
            self.getAxis("left").setTicks([[(i + 0.5, f"{m:g}") for i, m in enumerate(means)]])
            self.getAxis("bottom").setTicks([[(j + 0.5, f"{c:g}") for j, c in enumerate(covs)]])
            self.setRange(xRange=(0, shape[1]), yRange=(0, shape[0]), padding=0.02)
        for label in self.labels:
            self.removeItem(label)
        self.labels = []
        self.texts = texts
        for i in range(shape[0]):
            for j in range(shape[1]):
                label = pg.TextItem(texts[i][j], color=(20, 20, 20), anchor=(0.5, 0.5))
                label.setPos(j + 0.5, i + 0.5)
                self.addItem(label)
                self.labels.append(label)

    def _clicked(self, event) -> None:
        point = self.getViewBox().mapSceneToView(event.scenePos())
        row, column = int(np.floor(point.y())), int(np.floor(point.x()))
        if 0 <= row < self._shape[0] and 0 <= column < self._shape[1]:
            self.cell_clicked.emit(row, column)
