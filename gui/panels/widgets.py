"""Small input widgets shared by the panels: ranges that make invalid values impossible."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject, QSignalBlocker, QSize
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QFormLayout, QSpinBox, QWidget

NARROW_CHARACTERS = 9  # a choice box may shrink to this many characters (its text then elided)


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


class ChoiceBox(QComboBox):
    """A combo box as wide as its longest entry when there is room, narrower when there is
    not: a long entry then never gives the side panel a horizontal scroll bar."""

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        narrow = self.fontMetrics().horizontalAdvance("x" * NARROW_CHARACTERS) + 32
        return QSize(min(hint.width(), narrow), hint.height())


def choice(options: list[tuple[str, str]], current: str, tip: str) -> QComboBox:
    """A combo box of (label, value) pairs."""
    box = ChoiceBox()
    for label, value in options:
        box.addItem(label, value)
    box.setCurrentIndex(max(0, box.findData(current)))
    box.setToolTip(tip)
    return box


def compact_form(form: QFormLayout) -> None:
    """Fields share the side panel's width (on every platform's style) with small margins."""
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setContentsMargins(6, 6, 6, 6)


def show_applies(
    widgets: list[QWidget], applies: bool, why_not: str, form: QFormLayout | None = None
) -> None:
    """Enable ``widgets`` with their usual tooltips, or disable them with ``why_not`` as the
    tooltip (a disabled control still shows its tooltip), their form labels greyed alike."""
    for widget in widgets:
        usual = widget.property("usual_tip")
        if usual is None:
            usual = widget.toolTip()
            widget.setProperty("usual_tip", usual)
        widget.setEnabled(applies)
        widget.setToolTip(usual if applies else why_not)
        label = form.labelForField(widget) if form is not None else None
        if label is not None:
            label.setEnabled(applies)
            label.setToolTip("" if applies else why_not)
