"""The Network dock: the diagram, the learning dynamics and the hidden space, as tabs.

Hovering a neuron asks for its map in the boundary view (``neuron_shown``); clicking a link
while paused asks for a new weight, which goes to the playground.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDockWidget, QInputDialog, QMainWindow, QTabWidget, QWidget

from gui.views.dynamics_view import DynamicsView
from gui.views.hidden_space_view import HiddenSpaceView
from gui.views.network_view import NetworkView
from gui.windows.bottom_docks import join_bottom, open_at_height
from gui.workers.frames import Frame

# From this width the diagram stands beside the views, the whole window's height; a
# narrower window opens it under them (a column beside them would squeeze the boundary).
BESIDE_FROM_WIDTH = 1100
BESIDE_SHARE = 0.34  # of the window's width, when it opens beside the views
# A window this large or larger opens with the diagram in view, until the student (or a
# remembered layout) shows or hides it.
OPEN_FROM_SIZE = (1200, 740)
MIN_WIDTH = 120


class NetworkDock(QDockWidget):
    neuron_shown = Signal(object)  # the boundary view's neuron overlay (a dict), or None

    def __init__(self, playground, parent: QWidget) -> None:
        super().__init__("Network", parent)
        self.playground = playground
        self.setObjectName("network-dock")
        self.network = NetworkView()
        self.network.setToolTip(
            "Hover a neuron or a link to read it; click a link while paused to type a new weight"
        )
        self.network.link_clicked.connect(self._edit_weight)
        self.network.neuron_hovered.connect(self._show_neuron)
        self.dynamics = DynamicsView()
        self.hidden_space = HiddenSpaceView()
        tabs = QTabWidget()
        tabs.addTab(self.network, "Diagram")
        tabs.addTab(self.dynamics, "Learning dynamics")
        tabs.addTab(self.hidden_space, "Hidden space")
        # Never what keeps a window from its size: a window made small while the diagram is
        # open beside the views closes it (see the main window) rather than growing.
        tabs.setMinimumWidth(MIN_WIDTH)
        self.setWidget(tabs)
        self._says_no_diagram = False

    def place(self, window: QMainWindow, bottom_partner: QDockWidget) -> None:
        """Beside the views on a wide window, under them (a tab beside ``bottom_partner``)
        on a narrow one; only while closed, so the diagram never jumps under the mouse."""
        if self.isFloating() or not self.isHidden():
            return
        wide = window.width() >= BESIDE_FROM_WIDTH
        area = (
            Qt.DockWidgetArea.RightDockWidgetArea
            if wide
            else Qt.DockWidgetArea.BottomDockWidgetArea
        )
        if window.dockWidgetArea(self) != area:
            if wide or not join_bottom(window, self, bottom_partner):
                window.addDockWidget(area, self)
            self.hide()

    def open_at_size(self, window: QMainWindow) -> None:
        """A third of the width beside the views, or the bottom docks' height under them."""
        if window.dockWidgetArea(self) == Qt.DockWidgetArea.RightDockWidgetArea:
            width = round(window.width() * BESIDE_SHARE)
            window.resizeDocks([self], [width], Qt.Orientation.Horizontal)
        else:
            open_at_height(window, self)

    def clear(self) -> None:
        """A new run: the dynamics start again."""
        self.dynamics.clear()

    def show_frame(self, frame: Frame) -> None:
        if frame.perceptron_weights is not None and not self._says_no_diagram:
            self._says_no_diagram = True
            self.network.clear_snapshot()  # a perceptron: no network diagram; it says so
            self.neuron_shown.emit(None)
        if frame.network is not None:
            self._says_no_diagram = False
            self.network.live = frame.playing
            self.network.show_snapshot(frame.network)
            self.dynamics.add(frame.update, frame.network)
            self.hidden_space.show_snapshot(frame.network, frame.dataset, frame.extent)

    def _show_neuron(self, layer: int, index: int) -> None:
        snapshot = self.network.snapshot
        if layer < 0:
            self.neuron_shown.emit(None)
            return
        if snapshot is None:
            return
        values, colours = self.network.neuron_scale(layer, index)
        self.neuron_shown.emit(
            {
                "rgba": self.network.neuron_map(layer, index),
                "name": self.network.neuron_name(layer, index),
                "extent": snapshot.extent,
                "values": values,
                "colour_map": colours,
            }
        )

    def _edit_weight(self, layer: int, source: int, target: int) -> None:
        snapshot = self.network.snapshot
        if self.playground.playing or snapshot is None:
            self.playground.say("Pause (Space) to edit a weight.", 4000)
            return
        value, ok = QInputDialog.getDouble(
            self,
            "Edit weight",
            f"Weight from {self.network.neuron_name(layer, source)} to "
            f"{self.network.neuron_name(layer + 1, target)}:",
            float(snapshot.weights[layer][source, target]),
            -1e6,
            1e6,
            4,
        )
        if ok:
            self.playground.set_weight(layer, source, target, value)
