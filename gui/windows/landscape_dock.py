"""The Loss landscape dock: the view, its controls (plane, biases, resolution, span, log
scale) and what it says (which plane, how much of the path it holds, the loss under the mouse).

It asks the training thread for slices only while it is shown, and draws the landscapes the
frames bring. A run under TensorFlow Playground's rules is sliced in Playground's loss over
Playground's weights and biases (gui/workers/landscape_work.py); the caption names that loss.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDockWidget,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gui.files.save_dialogs import save_csv, save_plot_png
from gui.panels.widgets import NARROW_NUMBER
from gui.views.landscape_view import LandscapeView
from gui.windows.bottom_docks import open_at_height
from gui.windows.playground_link import rules_of
from gui.workers.frames import Frame, LandscapeFrame
from gui.workers.landscape_work import LandscapeRequest
from model.limits import (
    LANDSCAPE_RESOLUTION_DEFAULT,
    LANDSCAPE_RESOLUTION_RANGE,
    LANDSCAPE_SPAN_DEFAULT,
    LANDSCAPE_SPAN_RANGE,
)

PLAYGROUND_LOSS = "Playground's loss (½ squared error)"


def caption(landscape: LandscapeFrame, playground: bool = False) -> str:
    """Which plane, the centre's loss (``playground``: a run under Playground's rules, whose
    loss is Playground's), how far the slice is."""
    if landscape.plane == "pca" and landscape.explained is not None:
        plane = f"PCA plane: the path's variance captured: {landscape.explained:.0%}"
    else:
        plane = "Random filter-normalised plane (a path of training lies mostly outside it)"
    centre = landscape.loss[len(landscape.b) // 2, len(landscape.a) // 2]
    name = PLAYGROUND_LOSS if playground else "loss"
    loss = f"{name} {centre:.4g}" if np.isfinite(centre) else f"{name} not yet computed"
    refining = "" if landscape.complete else f" Sharpening: {landscape.progress:.0%} computed."
    return (
        f"{plane}. Centre (0, 0): the weights of update {landscape.update}, {loss}."
        f"{refining} ○ evaluations along the path, □ start, ★ now."
    )


class OddSpinBox(QSpinBox):
    """A whole number that is always odd (the grid has a middle): the arrows step by 2 from
    an odd minimum, and an even number typed becomes the odd one above it (below it at the
    maximum) when typing ends, shown in the box, so the box says what is used."""

    def __init__(self, low: int, high: int, value: int, tip: str) -> None:
        super().__init__()
        self.setRange(low | 1, high if high % 2 else high - 1)
        self.setSingleStep(2)
        self.setValue(self.odd(value))
        self.setToolTip(tip)
        self.setKeyboardTracking(False)  # one new slice when typing ends, not per key
        self.setMinimumWidth(NARROW_NUMBER)

    def odd(self, value: int) -> int:
        """``value`` if odd, else the odd number above it (below it at the maximum)."""
        if value % 2:
            return value
        return value + 1 if value + 1 <= self.maximum() else value - 1

    def validate(self, text: str, position: int) -> object:
        state, text, position = super().validate(text, position)
        if state == QValidator.State.Acceptable and self.valueFromText(text) % 2 == 0:
            state = QValidator.State.Intermediate  # fixed up when typing ends
        return state, text, position

    def fixup(self, text: str) -> str:
        try:
            value = int(text.removeprefix(self.prefix()).strip())
        except ValueError:
            return super().fixup(text)
        return self.prefix() + self.textFromValue(self.odd(value))


class LandscapeDock(QDockWidget):
    """Added to ``window``'s bottom area, hidden; follows the playground's frames."""

    def __init__(self, playground, window) -> None:
        super().__init__("Loss landscape", window)
        self.playground = playground
        self.setObjectName("landscape-dock")
        self.view = LandscapeView()
        self.plane = QComboBox()
        self.plane.addItem("Plane: PCA of the path", "pca")
        self.plane.addItem("Plane: random directions", "random")
        self.plane.setToolTip(
            "PCA: the two directions the path of training varies most along (it lies nearly "
            "in the plane). Random: two filter-normalised random directions, fixed for the run"
        )
        self.biases = QCheckBox("Include biases")
        self.biases.setToolTip(
            "Random directions: each neuron's bias is part of its filter, scaled with its "
            "incoming weights, so the slice moves the biases too. Off (as Li et al. 2018): each "
            "neuron's incoming weights are scaled to their own norm and the biases do not move"
        )
        self.resolution = OddSpinBox(
            *LANDSCAPE_RESOLUTION_RANGE,
            LANDSCAPE_RESOLUTION_DEFAULT,
            "Points per side of the grid: an odd number, so that the centre is on it (an even "
            "one typed becomes the odd one above it)",
        )
        self.resolution.setPrefix("grid ")
        self.span = QDoubleSpinBox()
        self.span.setRange(*LANDSCAPE_SPAN_RANGE)
        self.span.setSingleStep(0.25)
        self.span.setValue(LANDSCAPE_SPAN_DEFAULT)
        self.span.setPrefix("span ± ")
        self.span.setToolTip("How far the slice reaches along each direction from the centre")
        self.span.setKeyboardTracking(False)  # one new slice when typing ends, not per key
        self.log = QCheckBox("Log scale")
        self.log.setChecked(True)
        self.log.setToolTip("Colour by the logarithm of the loss, so valleys show their detail")
        # Beside the controls, to leave the map the height: what the slice is, or, while
        # the mouse is over the map, the (a, b, loss) under it.
        self.caption = QLabel("Computing the first slice…")
        self.caption.setWordWrap(True)
        self.readout = QLabel()
        self.readout.setWordWrap(True)
        self.readout.hide()
        controls = QHBoxLayout()
        for widget in (self.plane, self.biases, self.resolution, self.span, self.log):
            controls.addWidget(widget)
        controls.addWidget(self.caption, 1)
        controls.addWidget(self.readout, 1)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addLayout(controls)
        layout.addWidget(self.view, 1)
        self.setWidget(body)
        self._generation = -1
        self._sized = False
        self.seen = False  # shown and in front (a tab behind another is not seen)
        self.view.hovered.connect(self._hovered)
        self.log.toggled.connect(self.view.set_log_scale)
        self.plane.currentIndexChanged.connect(self._plane_changed)
        self._plane_changed()
        for signal in (
            self.plane.currentIndexChanged,
            self.biases.toggled,
            self.resolution.valueChanged,
            self.span.valueChanged,
        ):
            signal.connect(self._send_request)
        self.visibilityChanged.connect(self._seen_changed)
        playground.frame_ready.connect(self.show_frame)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self)
        self.hide()

    def request(self) -> LandscapeRequest:
        plane = self.plane.currentData()
        resolution = self.resolution.odd(self.resolution.value())
        biases = plane == "random" and self.biases.isChecked()
        return LandscapeRequest(self.seen, plane, resolution, self.span.value(), biases)

    def _plane_changed(self) -> None:
        """Moving biases is a choice of the random directions only."""
        self.biases.setEnabled(self.plane.currentData() == "random")

    def _seen_changed(self, seen: bool) -> None:
        """Work only for a view that can be seen: not closed, not behind another tab."""
        self.seen = seen
        self._send_request()

    def _send_request(self) -> None:
        window = self.parentWidget()
        if self.seen and not self._sized and window is not None:
            self._sized = True
            open_at_height(window, self)
        self.playground.request_landscape.emit(self.request())

    def show_frame(self, frame: Frame) -> None:
        if frame.generation != self._generation:
            self._generation = frame.generation
            self.view.forget()
            self.caption.setText("Computing the first slice…")
        if frame.landscape is not None and self.seen:
            self.view.show_landscape(frame.landscape)
            self.caption.setText(caption(frame.landscape, rules_of(frame) is not None))

    def _hovered(self, text: str) -> None:
        self.readout.setText(text)
        self.readout.setVisible(bool(text))
        self.caption.setVisible(not text)

    def shows_update(self, update: int) -> bool:
        """Whether the whole slice around the weights of ``update`` is drawn."""
        shown = self.view.landscape
        return shown is not None and shown.complete and shown.update == update

    # ----- exports -----
    def export_png(self) -> None:
        save_plot_png(self, self.view.ci)

    def export_csv(self) -> None:
        """The shown slice: one row per grid point, a = b = 0 among them."""
        landscape = self.view.landscape
        if landscape is None:
            self.playground.say("Show the loss landscape first (L).", 4000)
            return
        rows = [
            (float(a), float(b), float(landscape.loss[i, j]))
            for i, b in enumerate(landscape.b)
            for j, a in enumerate(landscape.a)
        ]
        save_csv(self, "Save the loss landscape", ["a", "b", "loss"], rows)
