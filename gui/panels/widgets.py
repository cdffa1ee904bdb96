"""Small input widgets shared by the panels: ranges that make invalid values impossible."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject, QSignalBlocker, QSize
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QSpinBox,
    QWidget,
)

NARROW_CHARACTERS = 9  # a choice box may shrink to this many characters (its text then elided)
NARROW_NUMBER = 56  # pixels a number box may shrink to: two share a row of the settings column


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
    box.setMinimumWidth(NARROW_NUMBER)
    return box


def float_spin(
    low: float, high: float, value: float, step: float, decimals: int, tip: str
) -> QDoubleSpinBox:
    """A box for any number from ``low`` to ``high``, held exactly; the arrows step by
    ``step``, the result rounded to ``decimals`` places (0.1 + 0.2 shows as 0.3)."""
    box = NumberBox(low, high, step=step, step_decimals=decimals)
    box.setValue(value)
    box.setToolTip(tip)
    box.setMinimumWidth(NARROW_NUMBER)
    return box


def big_int_spin(low: int, high: int, value: int, tip: str) -> NumberBox:
    """A whole-number box beyond QSpinBox's 32-bit signed range (seeds up to 2**32 - 1)."""
    box = NumberBox(low, high, integer=True)
    box.setValue(value)
    box.setToolTip(tip)
    box.setMinimumWidth(NARROW_NUMBER)
    return box


def log_spin(low: float, high: float, value: float, tip: str) -> QDoubleSpinBox:
    """A spin box whose arrows multiply or divide (1, 2, 5 steps), for rates and strengths."""
    box = LogSpinBox(low, high)
    box.setValue(value)
    box.setToolTip(tip)
    box.setKeyboardTracking(False)
    box.setMinimumWidth(NARROW_NUMBER)
    return box


class NumberBox(QDoubleSpinBox):
    """A spin box that holds every number of its range exactly, shows it in its shortest
    form (0.1, 1e-06, 4294967295) and refuses anything outside the range.

    QDoubleSpinBox rounds values, minimum and maximum to its decimals: with 3 decimals a
    minimum of 1e-6 becomes 0, a value the configuration refuses. Here the decimals are
    Qt's maximum, so rounding changes nothing, and the text is Python's shortest repr. A
    typed value out of range, or not a number, leaves the previous value (Qt's
    CorrectToPreviousValue), without emitting ``valueChanged``.
    """

    def __init__(
        self,
        low: float,
        high: float,
        *,
        integer: bool = False,
        step: float = 1.0,
        step_decimals: int = 6,
    ) -> None:
        super().__init__()
        self._integer = integer
        self._step_decimals = 0 if integer else step_decimals
        self.setDecimals(0 if integer else EXACT_DECIMALS)
        self.setRange(low, high)
        self.setSingleStep(step)
        self.setKeyboardTracking(False)
        self.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToPreviousValue)

    def value(self) -> float | int:  # type: ignore[override]
        value = super().value()
        return int(value) if self._integer else value

    def textFromValue(self, value: float) -> str:
        return shortest(value, self._integer)

    def valueFromText(self, text: str) -> float:
        number = self._parse(text)
        return self.value() if number is None else number

    def validate(self, text: str, pos: int) -> object:
        number = self._parse(text)
        if number is not None and self.minimum() <= number <= self.maximum():
            state = QValidator.State.Acceptable
        elif _TYPING.fullmatch(text.strip()) and not (self._integer and _FRACTION.search(text)):
            state = QValidator.State.Intermediate  # on the way to a number, or out of range
        else:
            state = QValidator.State.Invalid
        return state, text, pos

    def fixup(self, text: str) -> str:
        return text  # nothing to repair: an unusable entry gives way to the previous value

    def _parse(self, text: str) -> float | None:
        text = text.strip()
        if not _NUMBER.fullmatch(text) or (self._integer and _FRACTION.search(text)):
            return None
        number = float(text)
        if not math.isfinite(number) or (self._integer and number != int(number)):
            return None
        return number

    def stepBy(self, steps: int) -> None:
        value = round(self.value() + steps * self.singleStep(), self._step_decimals)
        self.setValue(min(max(value, self.minimum()), self.maximum()))


def shortest(value: float, integer: bool = False) -> str:
    """``value`` as few characters as read back exactly: 0.1, 2, 1e-06."""
    if integer:
        return str(int(value))
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


EXACT_DECIMALS = 323  # Qt's maximum: rounding to it leaves every double as it is
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_TYPING = re.compile(r"[+-]?(\d*\.?\d*)([eE][+-]?\d*)?")
_FRACTION = re.compile(r"[.eE]")


class LogSpinBox(NumberBox):
    """Arrows multiply or divide on a 1, 2, 5 ladder; down from the lowest rung reaches
    0 where the range allows it, up from 0 reaches ``FIRST_RUNG`` (or the minimum)."""

    LADDER = (1.0, 2.0, 5.0)
    FIRST_RUNG = 1e-5

    def stepBy(self, steps: int) -> None:
        value = self.value()
        for _ in range(abs(steps)):
            value = self._next(value, up=steps > 0)
        self.setValue(min(max(value, self.minimum()), self.maximum()))

    def _next(self, value: float, up: bool) -> float:
        if value <= 0:
            return max(self.FIRST_RUNG, self.minimum()) if up else 0.0
        exponent = math.floor(math.log10(value) + 1e-9)
        candidates = sorted(
            m * 10.0**e for e in (exponent - 1, exponent, exponent + 1) for m in self.LADDER
        )
        if up:
            bigger = [c for c in candidates if c > value * (1 + 1e-9)]
            return float(shortest(bigger[0]))
        smaller = [c for c in candidates if c < value * (1 - 1e-9)]
        if self.minimum() == 0 and smaller[-1] < self.FIRST_RUNG * (1 - 1e-9):
            return 0.0
        return float(shortest(smaller[-1]))


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


ROW_SPACING = 4  # pixels between rows: the settings column fits 1280 x 800 without scrolling
MARGIN = 6


def compact_form(form: QFormLayout) -> None:
    """Fields share the side panel's width (on every platform's style) with small margins."""
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
    form.setVerticalSpacing(ROW_SPACING)


def compact_grid(grid: QGridLayout) -> None:
    """A grid of labels and fields with the forms' margins and row spacing."""
    grid.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
    grid.setVerticalSpacing(ROW_SPACING)
    grid.setHorizontalSpacing(MARGIN)


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


def offer_option(box: QComboBox, value: str, offered: bool, why_not: str) -> None:
    """Enable the option ``value`` of ``box``, or grey it out in the list with ``why_not``
    as its tooltip: a combination the configuration refuses cannot be picked."""
    index = box.findData(value)
    if index < 0:
        return
    item = box.model().item(index)
    item.setEnabled(offered)
    item.setToolTip("" if offered else why_not)
