"""How the headless commands read their flags: argparse with one-line errors, and value types
that refuse what cannot run (text that is no number, an empty list entry, a value outside the
limits model/limits.py sets) before anything runs.

Every number goes through model/numbers.py's parse_number, the parser the configuration
records, the hyperparameter map and the window use too.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any, NoReturn

from model.limits import MAX_VALUES
from model.nn.features import check_features
from model.numbers import parse_number


class UsageError(Exception):
    """A bad flag or value: reported on one line, exit status 2."""


class OneLineParser(argparse.ArgumentParser):
    """argparse, but an error is one line on stderr and exit status 2, and flags are spelt
    out in full (an abbreviation such as --learn is refused, not guessed)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


def number(
    kind: type = float,
    low: float | None = None,
    high: float | None = None,
    *,
    above: float | None = None,
) -> Callable[[str], Any]:
    """An argparse type: a finite ``kind`` from ``low`` to ``high`` (and above ``above``);
    argparse puts the flag's name before the reason ("argument --seed: 'x' is not a whole
    number")."""

    def parse(text: str) -> Any:
        try:
            return parse_number(text, kind, low=low, high=high, above=above)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    return parse


def number_list(
    kind: type = float,
    low: float | None = None,
    high: float | None = None,
    *,
    allow_empty: bool = False,
) -> Callable[[str], list]:
    """Comma-separated numbers, each one present and within the limits, at most MAX_VALUES of
    them: '20,,5' and ',' are refused; '' is the empty list where ``allow_empty`` (no hidden
    layers)."""
    item = number(kind, low, high)

    def parse(text: str) -> list:
        if text == "" and allow_empty:
            return []
        parts = [p.strip() for p in text.split(",")]
        if any(not p for p in parts):
            raise argparse.ArgumentTypeError(
                f"{text!r} is not a comma-separated list of values (an entry is empty)"
            )
        if len(parts) > MAX_VALUES:
            raise argparse.ArgumentTypeError(f"{text!r} has more than {MAX_VALUES} values")
        return [item(p) for p in parts]

    return parse


def within(limits: tuple[float, float]) -> Callable[[str], Any]:
    """A number within a configuration range such as LEARNING_RATE_RANGE: whole numbers if
    both limits are."""
    kind = int if all(isinstance(limit, int) for limit in limits) else float
    return number(kind, *limits)


def features(text: str) -> tuple[str, ...]:
    """Comma-separated feature names (model/nn/features.py's spellings), at least one."""
    if not text.strip():
        names = []
    else:
        names = [p.strip() for p in text.split(",")]
        if any(not name for name in names):
            raise argparse.ArgumentTypeError(
                f"{text!r} is not a comma-separated list of values (an entry is empty)"
            )
    try:
        return check_features(names)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
