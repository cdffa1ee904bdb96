"""Reading a number someone typed or a file held: the one parser of the project.

The configuration records, the data sets' parameters, the command line's flags, the
hyperparameter map's axes and the window's lists all read numbers here, so that the same text
is accepted or refused everywhere, with the same one-line reason. Its own module because the
data sets (which the configuration imports) use it too.
"""

from __future__ import annotations

import math
from typing import Any

KIND_NAMES = {float: "a number", int: "a whole number"}


def bound_text(value: float) -> str:
    """A limit as a message writes it: 100,000 for a whole number, 1e-06 or 0.05 otherwise."""
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:g}"


def _requirement(low: float | None, high: float | None, above: float | None) -> str:
    """'from 1 to 100', 'above 0 and at most 1', 'at least 4', or '' without limits."""
    if above is not None:
        return f"above {bound_text(above)}" + (
            f" and at most {bound_text(high)}" if high is not None else ""
        )
    if low is not None and high is not None:
        return f"from {bound_text(low)} to {bound_text(high)}"
    if low is not None:
        return f"at least {bound_text(low)}"
    return f"at most {bound_text(high)}" if high is not None else ""


def _convert(value: Any, kind: type) -> float | int | None:
    """``value`` as ``kind``, or None if it is not one (text '2.5' is no whole number; the
    number 2.0 is)."""
    if isinstance(value, bool):
        return None
    try:
        if isinstance(value, str):
            return kind(value.strip())
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    if kind is int:
        return int(number) if math.isfinite(number) and number == int(number) else None
    return number


def parse_number(
    value: Any,
    kind: type = float,
    what: str = "",
    low: float | None = None,
    high: float | None = None,
    *,
    above: float | None = None,
) -> float | int:
    """``value`` (text or a number) as a finite ``kind`` (float or int) within the limits:
    from ``low`` to ``high`` inclusive, and strictly ``above`` if given.

    ValueError otherwise, in one line: named by ``what`` ("learning_rate must be a number
    from 1e-06 to 100, got 0"), or without a name, the value first ("'x' is not a number",
    "'0' must be above 0"), for a message that already says which flag or field it is.
    """
    kind_name = KIND_NAMES[kind]
    limits = _requirement(low, high, above)
    number = _convert(value, kind)
    finite = number is not None and math.isfinite(number)
    inside = (
        finite
        and (low is None or number >= low)
        and (high is None or number <= high)
        and (above is None or number > above)
    )
    if inside:
        return number
    if what:
        within = f" {limits}" if limits else ""
        raise ValueError(f"{what} must be {kind_name}{within}, got {value!r}")
    text = repr(value) if isinstance(value, str) else repr(str(value))
    if number is None:
        raise ValueError(f"{text} is not {kind_name}")
    if not finite:
        raise ValueError(f"{text} is not a finite number")
    raise ValueError(f"{text} must be {limits}")
