"""``main.py train --features`` and ``--activation linear``, run as a user runs them, and the
classic lesson: circles need no hidden layer once the network sees x1² and x2²."""

import re
from pathlib import Path

import pytest

from tests.run_main import Finished, run_main

MAIN = Path(__file__).resolve().parents[2] / "main.py"
LESSON = ["--dataset", "circles", "--dnn_hidden_units", "", "--learning_rate", "0.5"]


def train(*args: str) -> Finished:
    return run_main("train", *args)


def final_test_accuracy(result: Finished) -> float:
    assert result.returncode == 0, result.stderr
    last = result.stdout.splitlines()[-1]
    assert last.startswith("Final: 200 steps"), last
    return float(re.search(r"test accuracy (\d\.\d+)$", last).group(1))


def test_circles_on_squared_features_need_no_hidden_layer():
    squares = train(*LESSON, "--features", "x1sq,x2sq", "--max_steps", "200")
    assert final_test_accuracy(squares) >= 0.95
    plain = train(*LESSON, "--features", "x1,x2", "--max_steps", "200")
    assert final_test_accuracy(plain) < 0.75


def test_every_feature_and_linear_units_train():
    result = train(
        "--features",
        "x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2",
        "--activation",
        "linear",
        "--dnn_hidden_units",
        "4,4",
        "--max_steps",
        "2",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith("Final: 2 steps")


@pytest.mark.parametrize(
    "value,words",
    [
        ("x1,x3", "unknown feature 'x3' (the features: x1, x2, x1sq, x2sq, x1x2, sinx1, sinx2)"),
        ("", "choose at least one feature of x1, x2, x1sq"),
        ("x1,,x2", "an entry is empty"),
        ("X1", "unknown feature 'X1'"),
    ],
)
def test_a_bad_feature_list_exits_2_with_one_line(value, words):
    result = train("--features", value)
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert words in result.stderr and "--features" in result.stderr
