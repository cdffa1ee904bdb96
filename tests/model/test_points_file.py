"""The user's own data: CSV files taken whole or refused whole, and the custom data set."""

import json
import pickle
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from model.config import DataConfig, ExperimentConfig
from model.data.datasets import custom_dataset
from model.io.points_file import LabelledPoints, parse_points, read_points, write_points
from model.training.trainer import build_trainer

MAIN = Path(__file__).resolve().parents[2] / "main.py"
GOOD_ROWS = "0,0,0\n1,1,1\n0,1,0\n1,0,1\n"


@pytest.mark.parametrize(
    "text, message",
    [
        ("0,0,0\n1,1\n0,1,0\n1,0,1\n2,2,1\n", "line 2: expected 3 columns (x1,x2,label), got 2"),
        ("0,0,0\n1,1,1,7\n0,1,0\n1,0,1\n2,2,1\n", "line 2: expected 3 columns"),
        ("x1,x2,label\n0,zero,0\n1,1,1\n0,1,0\n1,0,1\n", "line 2: x2 'zero' is not a number"),
        ("0,0,0\n1,1,1\nnan,1,0\n1,0,1\n2,2,1\n", "line 3: x1 is nan, not a finite number"),
        ("0,0,0\n1,1,1\n0,1,0\n1,inf,1\n2,2,1\n", "line 4: x2 is inf, not a finite number"),
        ("0,0,0\n1,1,1\n1e308,1,0\n1,0,1\n", "line 3: x1 is 1e308, beyond +-1e+06"),
        ("0,0,a\n1,1,a\n0,1,a\n1,0,a\n", "every point has the label 'a'"),
        ("".join(f"{k},{k},{k}\n" for k in range(7)), "it has 7 classes"),
        ("0,0,0\n1,1,1\n0,1,0\n", "it has 3 points, at least 4 are needed"),
        ("", "it has 0 points"),
        ("0,0,0\n,,\n0,1,0\n1,0,1\n2,2,1\n", "line 2: x1 '' is not a number"),
        ("0,0,0\n1_0,1,1\n0,1,0\n1,0,1\n2,2,1\n", "line 2: x1 '1_0' is not a number"),
        ("0,0,0\n1,1," + "x" * 140_000 + "\n0,1,0\n1,0,1\n", "field larger than field limit"),
    ],
)
def test_each_bad_file_is_refused_whole_naming_what_is_wrong(text, message):
    with pytest.raises(ValueError) as error:
        parse_points(text, "points.csv")
    assert str(error.value).startswith("points.csv was not loaded: ")
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_many_bad_lines_are_summarised_after_the_first_three():
    text = "0,0,0\n" + "x,1,1\n" * 10
    with pytest.raises(
        ValueError, match=r"line 2: .*line 3: .*line 4: .* \(and 7 more bad lines\)"
    ):
        parse_points(text)


def test_header_is_optional_and_string_labels_become_classes_in_order():
    with_header = parse_points("x1,x2,label\n0,0,cat\n1,1,dog\n0,1,cat\n1,0,dog\n")
    without = parse_points("0,0,cat\n1,1,dog\n0,1,cat\n1,0,dog\n")
    for points in (with_header, without):
        assert points.class_names == ("cat", "dog")
        assert points.y.tolist() == [0, 1, 0, 1]
        assert points.X.shape == (4, 2)


def test_a_header_after_blank_lines_is_still_a_header():
    points = parse_points("\n\nx1,x2,label\n0,0,a\n1,1,b\n0,1,a\n1,0,b\n")
    assert len(points.y) == 4


def test_integer_labels_keep_numeric_order():
    points = parse_points("0,0,10\n1,1,2\n0,1,10\n1,0,2\n")
    assert points.class_names == ("2", "10")
    assert points.y.tolist() == [1, 0, 1, 0]


def test_written_points_read_back_identically(tmp_path):
    rng = np.random.default_rng(0)
    original = LabelledPoints(rng.normal(size=(50, 2)), rng.integers(0, 3, 50), ("a", "b", "c"))
    path = tmp_path / "points.csv"
    write_points(path, original)
    back = read_points(path)
    assert np.array_equal(back.X, original.X)  # repr round-trips every float exactly
    assert np.array_equal(back.y, original.y)
    assert back.class_names == original.class_names


def test_regression_files_keep_real_targets_and_write_them_back_exactly(tmp_path):
    points = parse_points("x1,x2,target\n0,0,0.5\n1,1,-2\n0,1,3e-3\n1,0,7\n", problem="regression")
    assert points.problem == "regression" and points.class_names == ()
    assert points.y.dtype == np.float64 and points.y.tolist() == [0.5, -2.0, 0.003, 7.0]
    rng = np.random.default_rng(2)
    original = LabelledPoints(rng.normal(size=(30, 2)), rng.normal(size=30), (), "regression")
    path = tmp_path / "targets.csv"
    write_points(path, original)
    assert path.read_text().splitlines()[0] == "x1,x2,target"
    back = read_points(path, "regression")
    assert np.array_equal(back.X, original.X) and np.array_equal(back.y, original.y)


@pytest.mark.parametrize(
    "text, message",
    [
        ("0,0,0.5\n1,1,high\n0,1,1\n1,0,2\n", "line 2: the target 'high' is not a number"),
        ("0,0,0.5\n1,1,inf\n0,1,1\n1,0,2\n", "line 2: the target is inf, not a finite"),
        ("0,0,0.5\n1,1,2e6\n0,1,1\n1,0,2\n", "line 2: the target is 2e6, beyond +-1e+06"),
        ("0,0,0.5\n1,1\n0,1,1\n1,0,2\n", "expected 3 columns (x1,x2,target), got 2"),
        ("0,0,0.5\n1,1,1\n0,1,1\n", "it has 3 points, at least 4 are needed"),
    ],
)
def test_bad_regression_files_are_refused_whole(text, message):
    with pytest.raises(ValueError) as error:
        parse_points(text, "targets.csv", "regression")
    assert str(error.value).startswith("targets.csv was not loaded: ")
    assert message in str(error.value) and "\n" not in str(error.value)


def test_real_targets_read_as_classes_suggest_regression():
    text = "".join(f"{k},{k},{k / 10}\n" for k in range(8))
    with pytest.raises(ValueError, match="it has 8 classes .* load it for regression"):
        parse_points(text)


def test_regression_data_file_trains_from_the_command_line(tmp_path):
    path = tmp_path / "targets.csv"
    path.write_text("".join(f"{k},{k % 3},{k * 0.1}\n" for k in range(10)))
    result = subprocess.run(
        [sys.executable, str(MAIN), "train", "--problem", "regression", "--data", str(path)]
        + ["--max_steps", "3", "--eval_freq", "1"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "(mean squared error)" in result.stdout.splitlines()[-1]


def test_unreadable_and_binary_files_are_refused_with_one_line(tmp_path):
    with pytest.raises(ValueError, match="missing.csv could not be read"):
        read_points(tmp_path / "missing.csv")
    binary = tmp_path / "image.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    with pytest.raises(ValueError, match="not a UTF-8 text file"):
        read_points(binary)


def test_custom_split_keeps_each_point_on_its_side_when_another_is_added():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(300, 2))
    y = (X[:, 0] > 0).astype(int)
    before = custom_dataset(X, y, 0.8, seed=3)
    after = custom_dataset(np.vstack([X, [[5.0, 5.0]]]), np.append(y, 1), 0.8, seed=3)
    assert {tuple(p) for p in before.X_test} <= {tuple(p) for p in after.X_test}
    assert 0.7 < len(before.y_train) / 300 < 0.9
    tiny = custom_dataset(X[:4], np.array([0, 1, 0, 1]), 0.95)
    assert len(tiny.y_test) >= 1 and len(tiny.y_train) >= 1


def test_custom_configuration_round_trips_through_json_and_trains():
    points = parse_points("x1,x2,label\n0,0,no\n1,1,yes\n0,1,no\n1,0,yes\n2,2,yes\n-1,0,no\n")
    config = ExperimentConfig(data=DataConfig.custom(points.X, points.y, points.class_names))
    again = ExperimentConfig.from_dict(json.loads(json.dumps(config.to_dict())))
    assert again == config
    trainer = build_trainer(again)
    assert trainer.dataset.label_names() == ("no", "yes")
    assert len(trainer.dataset.y_all) == 6
    trainer.train(5)
    assert trainer.updates == 5


@pytest.mark.parametrize(
    "points, message",
    [
        ([[0, 0, 0], [1, 1, 1], [0, 1, 0]], "at least 4 rows"),
        ([[0, 0, 0], [1, 1, 0], [0, 1, 0], [1, 0, 0]], "at least 2 classes"),
        ([[0, 0, 0], [1, 1, 9], [0, 1, 0], [1, 0, 1]], "integers from 0 to 5"),
        ([[0, 0, 0], [1, float("nan"), 1], [0, 1, 0], [1, 0, 1]], "finite"),
        ([[0, 0, 0], [1, -2e6, 1], [0, 1, 0], [1, 0, 1]], "within"),
    ],
)
def test_bad_custom_configurations_are_refused(points, message):
    with pytest.raises(ValueError, match=message):
        ExperimentConfig.from_dict({"data": {"name": "custom", "points": points}})


def test_train_command_takes_a_data_file_and_refuses_a_bad_one(tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("x1,x2,label\n" + GOOD_ROWS + "2,2,1\n-1,-1,0\n")
    result = subprocess.run(
        [sys.executable, str(MAIN), "train", "--data", str(good), "--max_steps", "2"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "batch size 5" in result.stdout.splitlines()[-1]  # 5 of the 6 points train
    bad = tmp_path / "bad.csv"
    bad.write_text("0,0,0\n1,1\n0,1,0\n1,0,1\n2,2,1\n")
    result = subprocess.run(
        [sys.executable, str(MAIN), "train", "--data", str(bad)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    expected = "bad.csv was not loaded: line 2: expected 3 columns (x1,x2,label), got 2"
    assert result.stderr.strip() == expected
    result = subprocess.run(
        [sys.executable, str(MAIN), "train", "--data", str(good), "--dataset", "xor"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "--data gives the points; drop --dataset" in result.stderr


# Files the fast reader must take exactly as the line-by-line one does, or leave to it.
TRICKY = [
    "x1,x2,label\n0,0,cat\n1,1,dog\n0,1,cat\n1,0,dog\n",
    "x1,x2,target\n0,0,0.5\n1,1, -2 \n0,1,3e-3\n1,0,7\n",  # targets too
    "\n \n\t\nx1,x2,label\r\n0,0,a\r\n1,1,b\r\n\r\n0,1,a\r\n1,0,b\r\n",  # blank lines, CRLF
    " 0 , 1.5 ,  a \n1e-3,-2E+2,b\n+.5,5.,a\n١٢,0,b\n",  # spaces, exponents, other digits
    "0,0,class_a\n1,1,class_b\n0,1,class_a\n1,0,class_b\n",  # underscores in labels only
    "0,0,a\n1_0,1,b\n0,1,a\n1,0,b\n",  # an underscore in a number
    '0,0,"a,b"\n1,1,b\n0,1,"a,b"\n1,0,b\n',  # quotes
    "0,0,a\r1,1,b\r0,1,a\r1,0,b\r",  # carriage returns alone
    "0,0,a\rb\n1,1,b\n0,1,a\n1,0,b\n",  # a carriage return inside a field
    "0,0,a\n1,1,b\n0,1,a\n1,0,b\n1,1,b,extra\n2,2\n",  # columns short and long
    "0,0,1\n1,1,0,1\n1,0\n0,1,0\n1,1,1\n",  # the same, every field still a number
    "0,0,a\n1,1,b\n0,1,\n1,0,b\n",  # an empty label
    "0,0,a\n1,1,b\nnan,1,a\n1,0,b\ninfinity,0,a\n1e6,0,b\n1.0000001e6,0,a\n",  # limits
    "0,0,a\n1,1,b\n0,1,a\n1,0,b\nx,y,z\n",  # a header where data belongs
    "x1,x2,label\n",  # a header alone
    "0,0\x00,a\n1,1,b\n0,1,a\n1,0,b\n",  # NUL
    "0,0,a\n1,1,b\n0,1,a\n1,0," + "b" * 140_000 + "\n",  # a field over the CSV limit
    "".join(f"{k},{k % 5},{k % 7}\n" for k in range(20)),  # too many classes
]


def read_both(monkeypatch, text: str, problem: str) -> tuple:
    """What parse_points gives (points, or the refusal), and what the line-by-line reader
    alone gives."""

    def outcome():
        try:
            points = parse_points(text, "points.csv", problem)
        except ValueError as error:
            return str(error)
        return points.X.tolist(), points.y.tolist(), points.class_names, points.problem

    fast = outcome()
    with monkeypatch.context() as patch:
        patch.setattr("model.io.points_file._plain_columns", lambda *args: None)
        return fast, outcome()


@pytest.mark.parametrize("problem", ["classification", "regression"])
@pytest.mark.parametrize("text", TRICKY)
def test_plain_files_read_by_column_give_what_the_line_by_line_reader_gives(
    monkeypatch, text, problem
):
    fast, one_by_one = read_both(monkeypatch, text, problem)
    assert fast == one_by_one


def test_random_files_read_by_column_give_what_the_line_by_line_reader_gives(monkeypatch):
    rng = np.random.default_rng(7)
    pieces = ["0", "-1.5", " 2e3 ", "1e7", "nan", "x", "", "a", " b ", "1_0", '"q"', ",", "\r"]
    for _ in range(200):
        lines = [
            ",".join(rng.choice(pieces) for _ in range(int(rng.integers(2, 5))))
            for _ in range(int(rng.integers(3, 9)))
        ]
        for problem in ("classification", "regression"):
            text = "\n".join(lines) + "\n"
            fast, one_by_one = read_both(monkeypatch, text, problem)
            assert fast == one_by_one, text


def test_a_large_file_is_read_whole_and_a_bad_line_in_it_is_named(tmp_path):
    rng = np.random.default_rng(3)
    X = rng.normal(size=(30_000, 2))
    y = (X[:, 0] > 0).astype(int)
    rows = zip(X.tolist(), y.tolist(), strict=True)
    lines = ["x1,x2,label", *(f"{a!r},{b!r},{'ab'[k]}" for (a, b), k in rows)]
    path = tmp_path / "many.csv"
    path.write_text("\n".join(lines) + "\n")
    points = read_points(path)
    assert np.array_equal(points.X, X) and np.array_equal(points.y, y)
    assert points.class_names == ("a", "b")
    lines[29_000] = "0.5,half,a"  # line 29,001 of the file
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ValueError, match=r"^many.csv was not loaded: line 29001: x2 'half'"):
        read_points(path)


def test_a_configuration_made_again_keeps_its_checked_points():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(1000, 2))
    data = DataConfig.custom(X, (X[:, 1] > 0).astype(int), ("low", "high"))
    again = ExperimentConfig(replace(data, seed=5))  # every panel edit makes one
    assert again.data.points is data.points  # not checked and converted row by row again
    X_again, y_again = again.data.custom_arrays()
    assert np.array_equal(X_again, X) and y_again.tolist() == (X[:, 1] > 0).astype(int).tolist()
    regression = replace(data, problem="regression", class_names=())  # checked for targets
    assert regression.points == data.points and regression.points is not data.points
    assert regression.custom_arrays()[1].dtype == np.float64
    sent = pickle.loads(pickle.dumps(again))  # to a worker process: checked as it is read
    assert sent == again and np.array_equal(sent.data.custom_arrays()[0], X)
    with pytest.raises(ValueError, match="one class name per class"):
        replace(data, class_names=("only one",))


def test_a_configuration_with_many_points_is_the_same_json_written_in_pieces():
    rng = np.random.default_rng(6)
    X = rng.normal(size=(1_234, 2))  # more than two pieces, the last one short
    names = ('say "points": [] here', "b")  # the key's text inside a class name
    config = ExperimentConfig(DataConfig.custom(X, (X[:, 0] > 0).astype(int), names))
    text = config.to_json()
    assert text == json.dumps(config.to_dict())
    assert ExperimentConfig.from_dict(json.loads(text)) == config
    assert ExperimentConfig().to_json() == json.dumps(ExperimentConfig().to_dict())
    again = ExperimentConfig(replace(config.data, seed=9))  # an edit: the points' text kept
    assert again.to_json() == json.dumps(again.to_dict())
    targets = ExperimentConfig(DataConfig.custom(X, X[:, 0] * 1e5 / 3, problem="regression"))
    assert targets.to_json() == json.dumps(targets.to_dict())
    assert ExperimentConfig.from_dict(json.loads(targets.to_json())) == targets
