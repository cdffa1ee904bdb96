"""Small input widgets shared by the panels: ranges that make invalid values impossible."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject, QSignalBlocker
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QSpinBox


@contextmanager
def blocked(*widgets: QObject) -> Iterator[None]:
    """Signals of ``widgets`` held back while a configuration is shown (no feedback loop)."""
    blockers = [QSignalBlocker(widget) for widget in widgets]
    try:
        yield
    finally:
        for blocker in blockers:
            blocker.unblock()


def int_spin(low: int, high: int, value: int, tip: str, special: str | None = None) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setValue(value)
    box.setToolTip(tip)
    box.setKeyboardTracking(False)
    if special:
        box.setSpecialValueText(special)  # shown at the minimum
    return box


def float_spin(
    low: float, high: float, value: float, step: float, decimals: int, tip: str
) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(low, high)
    box.setDecimals(decimals)
    box.setSingleStep(step)
    box.setValue(value)
    box.setToolTip(tip)
    box.setKeyboardTracking(False)
    return box


def log_spin(low: float, high: float, value: float, tip: str) -> QDoubleSpinBox:
    """A spin box whose arrows multiply or divide (1, 2, 5 steps), for rates and strengths."""
    box = LogSpinBox()
    box.setRange(low, high)
    box.setDecimals(6)
    box.setValue(value)
    box.setToolTip(tip)
    box.setKeyboardTracking(False)
    return box


class LogSpinBox(QDoubleSpinBox):
    LADDER = (1.0, 2.0, 5.0)

    def stepBy(self, steps: int) -> None:
        value = self.value()
        for _ in range(abs(steps)):
            value = self._next(value, up=steps > 0)
        self.setValue(value)

    def _next(self, value: float, up: bool) -> float:
        import math

        if value <= 0:
            return self.minimum() if up else 0.0
        exponent = math.floor(math.log10(value) + 1e-9)
        candidates = sorted(
            m * 10.0**e for e in (exponent - 1, exponent, exponent + 1) for m in self.LADDER
        )
        if up:
            bigger = [c for c in candidates if c > value * (1 + 1e-9)]
            return bigger[0]
        smaller = [c for c in candidates if c < value * (1 - 1e-9)]
        return smaller[-1]

    def textFromValue(self, value: float) -> str:
        return f"{value:g}"


def choice(options: list[tuple[str, str]], current: str, tip: str) -> QComboBox:
    """A combo box of (label, value) pairs."""
    box = QComboBox()
    for label, value in options:
        box.addItem(label, value)
    box.setCurrentIndex(max(0, box.findData(current)))
    box.setToolTip(tip)
    return box
