"""The input features as a grid of ticks, as in TensorFlow Playground: what the network sees
of each point (x1, x2, x1², x2², x1·x2, sin(x1), sin(x2)).

The columns read as the features are made: x1's column (x1, x1², sin x1), x2's, and their
product. At least one stays ticked: unticking the last is refused where it is clicked (the
tick stays; a tooltip and the status bar say why), so the panel never holds a network
without inputs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QPoint, Signal
from PySide6.QtGui import QStatusTipEvent
from PySide6.QtWidgets import QApplication, QCheckBox, QGridLayout, QToolTip, QWidget

from gui.panels.widgets import blocked
from model.nn.features import check_features, feature_label

# (row, column) of each feature: x1's column, x2's column, then their product
PLACES = {
    "x1": (0, 0),
    "x2": (0, 1),
    "x1sq": (1, 0),
    "x2sq": (1, 1),
    "x1x2": (1, 2),
    "sinx1": (2, 0),
    "sinx2": (2, 1),
}
TIPS = {
    "x1": "x1, the point's horizontal coordinate, as it is.",
    "x2": "x2, the point's vertical coordinate, as it is.",
    "x1sq": "x1²: large on both sides of x1 = 0. With x2², a circle x1² + x2² < r² is one "
    "straight cut: no hidden layer needed.",
    "x2sq": "x2²: large on both sides of x2 = 0. With x1², a circle x1² + x2² < r² is one "
    "straight cut: no hidden layer needed.",
    "x1x2": "x1·x2: positive in two opposite quadrants, negative in the other two: the XOR "
    "pattern in a single input.",
    "sinx1": "sin(x1): a wave along x1 (one period every 2π ≈ 6.3 units), for stripes and spirals.",
    "sinx2": "sin(x2): a wave along x2 (one period every 2π ≈ 6.3 units), for stripes and spirals.",
}
GROUP_TIP = "What the network sees of each point: tick the features fed to its first layer."
LAST_ONE = "It is the only feature ticked, so it stays on: tick another one first."
REFUSED = "{label} stays on: the network needs at least one input feature."


class FeatureBox(QCheckBox):
    """A tick that asks ``may_untick`` before a click takes it off (``refused`` if not)."""

    refused = Signal()

    def __init__(self, text: str, may_untick: Callable[[], bool]) -> None:
        super().__init__(text)
        self._may_untick = may_untick

    def nextCheckState(self) -> None:  # noqa: N802 (Qt's name)
        if self.isChecked() and not self._may_untick():
            self.refused.emit()
            return
        super().nextCheckState()


class FeaturesGroup(QWidget):
    """One tick per feature; ``changed`` when the chosen features change."""

    changed = Signal()

    def __init__(self, features: Sequence[str]) -> None:
        super().__init__()
        grid = QGridLayout(self)
        grid.setContentsMargins(12, 0, 0, 0)  # indented under its label, as the layer rows
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(2)
        self.boxes: dict[str, FeatureBox] = {}
        for name, (row, column) in PLACES.items():
            box = FeatureBox(feature_label(name), lambda: len(self.chosen()) > 1)
            box.toggled.connect(self._toggled)
            box.refused.connect(lambda n=name: self._refuse(n))
            grid.addWidget(box, row, column)
            self.boxes[name] = box
        grid.setColumnStretch(3, 1)
        self.setFocusProxy(self.boxes["x1"])
        self.setToolTip(GROUP_TIP)
        self._applies, self._why_not = True, ""
        self.set_features(features)

    def chosen(self) -> tuple[str, ...]:
        """The ticked features, in the canonical order."""
        return tuple(name for name, box in self.boxes.items() if box.isChecked())

    def set_features(self, features: Sequence[str]) -> None:
        """Tick exactly ``features`` without emitting ``changed``."""
        features = check_features(features)
        with blocked(*self.boxes.values()):
            for name, box in self.boxes.items():
                box.setChecked(name in features)
        self._show_tips()

    def show_applies(self, applies: bool, why_not: str) -> None:
        """Enabled with the features' own tooltips, or greyed with ``why_not`` as every tip."""
        self._applies, self._why_not = applies, why_not
        self.setEnabled(applies)
        self.setToolTip(GROUP_TIP if applies else why_not)
        self._show_tips()

    def _toggled(self) -> None:
        self._show_tips()
        self.changed.emit()

    def _show_tips(self) -> None:
        last = self.chosen() if len(self.chosen()) == 1 else ()
        for name, box in self.boxes.items():
            tip = f"{TIPS[name]} {LAST_ONE}" if name in last else TIPS[name]
            box.setToolTip(tip if self._applies else self._why_not)

    def _refuse(self, name: str) -> None:
        """Say at the tick, and in the window's status bar, why it stays on."""
        box = self.boxes[name]
        why = REFUSED.format(label=feature_label(name))
        QToolTip.showText(box.mapToGlobal(QPoint(box.width() // 2, box.height())), why, box)
        QApplication.sendEvent(box, QStatusTipEvent(why))  # reaches the main window's bar
