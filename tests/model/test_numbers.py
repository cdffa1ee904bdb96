"""The one number parser: what the configuration, the data sets, the command line, the map's
axes and the window's lists accept, and the one line that says why a value is refused."""

import math

import pytest

from model.numbers import parse_number


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [("0.5", float, 0.5), (" 3 ", int, 3), (3, float, 3.0), (4.0, int, 4), ("1e-3", float, 0.001)],
)
def test_text_and_numbers_are_read_as_their_kind(value, kind, expected):
    number = parse_number(value, kind)
    assert number == expected and type(number) is kind


@pytest.mark.parametrize(
    ("value", "kind", "limits", "message"),
    [
        ("fast", float, {}, "'fast' is not a number"),
        ("2.5", int, {}, "'2.5' is not a whole number"),
        ("1e12", int, {}, "'1e12' is not a whole number"),
        ("nan", float, {}, "'nan' is not a finite number"),
        ("inf", float, {"low": 0}, "'inf' is not a finite number"),
        ("0", int, {"low": 1, "high": 100_000}, "'0' must be from 1 to 100,000"),
        ("-1", float, {"low": 1e-6, "high": 100.0}, "'-1' must be from 1e-06 to 100"),
        ("0", float, {"above": 0}, "'0' must be above 0"),
        ("1.5", float, {"above": 0, "high": 1.0}, "'1.5' must be above 0 and at most 1"),
        (True, int, {}, "'True' is not a whole number"),
    ],
)
def test_a_refused_value_is_named_with_the_reason(value, kind, limits, message):
    with pytest.raises(ValueError) as error:
        parse_number(value, kind, **limits)
    assert str(error.value) == message


def test_a_named_value_says_its_name_kind_and_range():
    with pytest.raises(
        ValueError, match=r"^seed must be a whole number from 0 to 4,294,967,295, got -1$"
    ):
        parse_number(-1, int, "seed", 0, 2**32 - 1)
    with pytest.raises(ValueError, match=r"^noise must be a number from 0 to 5, got nan$"):
        parse_number(math.nan, float, "noise", 0.0, 5.0)
