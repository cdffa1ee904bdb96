"""``main.py playground URL``: Playground's losses per epoch on stdout, its losses, data and
weights in the files the issue's formats describe, and one line for a bad link or path."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from cli.app import run
from tests.playground_reference.fixtures import fixture

ROOT = Path(__file__).resolve().parents[2]
ISSUE = "circle_tanh_issue"


def test_a_link_run_headless_prints_and_writes_playgrounds_numbers(tmp_path):
    reference = fixture(ISSUE)
    losses, data, weights = tmp_path / "l.csv", tmp_path / "d.csv", tmp_path / "w.json"
    url = "https://playground.tensorflow.org/#" + reference["fragment"]
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "playground",
            url,
            "--epochs",
            "4",
            "--csv",
            str(losses),
            "--data_csv",
            str(data),
            "--weights_json",
            str(weights),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    expected = reference["losses"][:5]
    assert done.stdout.splitlines() == [
        f"Epoch: {k}, Train loss: {train:.6f}, Test loss: {test:.6f}"
        for k, (train, test) in enumerate(expected)
    ]

    with open(losses, newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["epoch", "train_loss", "test_loss"]
    assert [int(r[0]) for r in rows[1:]] == [0, 1, 2, 3, 4]
    np.testing.assert_allclose([[float(v) for v in r[1:]] for r in rows[1:]], expected, rtol=1e-12)

    with open(data, newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["x1", "x2", "label", "split"]
    assert [r[3] for r in rows[1:]] == ["train"] * 250 + ["test"] * 250
    assert {r[2] for r in rows[1:]} == {"1", "-1"}
    points = np.array([[float(v) for v in r[:3]] for r in rows[1:]])
    np.testing.assert_allclose(points, reference["train"] + reference["test"], atol=1e-12)

    written = json.loads(weights.read_text())
    assert written["initial"] == reference["initial"]
    assert [len(layer["W"]) for layer in written["final"]] == [4, 2, 1]  # W[j][i]: j above
    assert [len(layer["W"][0]) for layer in written["final"]] == [2, 4, 2]  # i below


def test_regression_labels_are_the_targets_and_epochs_0_is_the_start(tmp_path, capsys):
    data = tmp_path / "d.csv"
    status = run(
        [
            "playground",
            fixture("reg_plane_linear")["fragment"],
            "--epochs",
            "0",
            "--data_csv",
            str(data),
        ]
    )
    assert status == 0
    lines = capsys.readouterr().out.splitlines()
    train, test = fixture("reg_plane_linear")["losses"][0]
    assert lines == [f"Epoch: 0, Train loss: {train:.6f}, Test loss: {test:.6f}"]
    with open(data, newline="") as f:
        labels = [float(r["label"]) for r in csv.DictReader(f)]
    expected = [
        p[2] for p in fixture("reg_plane_linear")["train"] + fixture("reg_plane_linear")["test"]
    ]
    np.testing.assert_allclose(labels, expected, atol=1e-12)


def test_a_link_without_a_seed_says_so(capsys):
    assert run(["playground", "https://playground.tensorflow.org/", "--epochs", "1"]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 2
    assert err.startswith("note: the link has no seed") and len(err.splitlines()) == 1


@pytest.mark.parametrize(
    "argv, words",
    [
        (["networkShape=4,9&seed=1"], "networkShape=4,9"),
        (["activation=softmax"], "activation=softmax"),
        (["batchSize=300"], "batchSize=300"),
        (["not a link"], "neither a link"),
        (["seed=1", "--epochs", "-1"], "--epochs"),
        (["seed=1", "--epochs", "x"], "--epochs"),
        (["seed=1", "--csv", "/no/such/folder/l.csv"], "--csv"),
        (["seed=1", "--csv", "same.csv", "--data_csv", "same.csv"], "same file"),
    ],
)
def test_bad_input_is_one_line_and_status_2_before_any_work(
    argv, words, capsys, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    assert run(["playground", *argv]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and words in err
    assert list(tmp_path.iterdir()) == []
