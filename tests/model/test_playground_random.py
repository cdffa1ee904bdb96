"""The seeded stream of TensorFlow Playground links: the same numbers as the seedrandom
library's ``Math.seedrandom(seed)`` for the same seed string.

The pinned numbers come from the npm package seedrandom 2.4.4 (the version Playground's
package-lock.json installs), run by node 20:

    npm install seedrandom@2.4.4
    node -e "require('seedrandom'); Math.seedrandom('0.80664');
             for (let i = 0; i < 1000; i++) console.log(Math.random())"

'hello.' is also the example of the library's own README ("Always 0.9282578795792454").
"""

import random

import pytest

from model.playground.random_stream import PlaygroundRandom, fresh_seed, mix_key, to_fixed

# seed: (1st, 2nd, 3rd, 1000th number)
PINNED = {
    "0.80664": (0.7019238933736537, 0.36873944058666025, 0.6596073836528583, 0.36028966690737724),
    "hello.": (0.9282578795792454, 0.3752569768646784, 0.7316977468919549, 0.5383291158100244),
    "": (0.23144008215179881, 0.27404636548159655, 0.7901279251811976, 0.5946400321469282),
    "é😀 seed": (0.9463388751843852, 0.16691601960452065, 0.36507461241013933, 0.3299191131219928),
    "x" * 300: (0.952495823023581, 0.9378530102966817, 0.8504259399717166, 0.16254541128199804),
}


@pytest.mark.parametrize("seed", PINNED, ids=["playground", "readme", "empty", "utf16", "long"])
def test_first_numbers_are_seedrandoms(seed):
    stream = PlaygroundRandom(seed)
    numbers = [stream.random() for _ in range(1000)]
    first, second, third, thousandth = PINNED[seed]
    assert numbers[:3] == [first, second, third]
    assert numbers[999] == thousandth


def test_numbers_are_in_the_unit_interval_with_more_than_32_bits():
    stream = PlaygroundRandom("0.5")
    numbers = [stream.random() for _ in range(2000)]
    assert all(0 <= x < 1 for x in numbers)
    assert sum(not (x * 2**32).is_integer() for x in numbers) > 1990  # not seedrandom's quick()


def test_the_key_is_folded_from_utf16_units_and_wraps_at_256():
    assert mix_key("") == []
    assert mix_key("a") == [97]
    assert len(mix_key("x" * 300)) == 256
    assert mix_key("😀") == [0xD83D & 255, 0xDE00 & 255]  # two UTF-16 units, not one


def test_a_seed_is_made_as_playground_makes_one():
    """Math.random().toFixed(5): five decimals, and a tie rounds up (JavaScript), where
    Python's own formatting rounds to even."""
    assert to_fixed(0.015625, 5) == "0.01563"
    assert f"{0.015625:.5f}" == "0.01562"
    assert to_fixed(0.999999, 5) == "1.00000"
    assert to_fixed(0.80664, 5) == "0.80664"
    seed = fresh_seed(random.Random(7))
    assert seed == to_fixed(random.Random(7).random(), 5)
    assert len(seed) == 7 and seed.startswith("0.")
