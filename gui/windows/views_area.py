"""The decision boundary and the curves, sharing the room beside the settings column.

The curves go under the boundary when the area is tall enough for both (a wide row of two
plots leaves the boundary most of the height), and beside it when it is not (a short area
under a bottom dock); in both the curves get the least room that keeps their data areas
readable, more on a large window, and the boundary the rest. A divider the student drags
keeps its share until the arrangement turns.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QWidget

from gui.views.curves import CurvesView

BOUNDARY_LEAST = 260  # pixels of the boundary view's height (below) or width (beside)
CURVES_SHARE_BELOW = 0.3  # of the area's height, when more than the curves need
CURVES_SHARE_BESIDE = 0.36  # of the area's width
CURVES_MOST_BESIDE = 560  # pixels: a wider column of curves adds nothing readable
WIDEST_BELOW = 3.2  # a boundary wider than this many times its height is a strip: go beside


class ViewsArea(QSplitter):
    def __init__(self, boundary: QWidget, curves: CurvesView) -> None:
        super().__init__(Qt.Orientation.Vertical)
        self.boundary, self.curves = boundary, curves
        self.addWidget(boundary)
        self.addWidget(curves)
        self.setChildrenCollapsible(False)
        self.setStretchFactor(0, 1)
        self.setStretchFactor(1, 0)
        self._share: float | None = None  # the curves' share the student dragged to
        self._placing = False
        self.splitterMoved.connect(self._moved)

    @property
    def below(self) -> bool:
        """Whether the curves are under the boundary (else beside it)."""
        return self.orientation() == Qt.Orientation.Vertical

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self.arrange()

    def curves_below(self, width: int, height: int) -> int:
        """The curves' height under the boundary in ``width`` x ``height`` pixels, or 0
        when the boundary would be left too little room."""
        needed = self.curves.needed_height("row")
        curves = max(needed, round(height * CURVES_SHARE_BELOW))
        boundary = height - curves - self.handleWidth()
        row_fits = width >= self.curves.needed_width("row")
        if not row_fits or boundary < BOUNDARY_LEAST or width > WIDEST_BELOW * boundary:
            return 0
        return curves

    def arrange(self) -> None:
        width, height = self.width(), self.height()
        if width <= 0 or height <= 0:
            return
        below = self.curves_below(width, height)
        orientation = Qt.Orientation.Vertical if below else Qt.Orientation.Horizontal
        if orientation != self.orientation():
            self.setOrientation(orientation)
            self._share = None
        total = (height if below else width) - self.handleWidth()
        if self._share is not None:
            curves = round(total * self._share)
        elif below:
            curves = below
        else:
            least = self.curves.needed_width("column")
            curves = min(max(least, round(width * CURVES_SHARE_BESIDE)), CURVES_MOST_BESIDE)
        curves = max(0, min(curves, total - BOUNDARY_LEAST // 2))
        self._placing = True
        self.setSizes([total - curves, curves])
        self._placing = False

    def _moved(self, *_) -> None:
        if not self._placing:
            sizes = self.sizes()
            self._share = sizes[1] / max(1, sum(sizes))
