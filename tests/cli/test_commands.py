"""The headless commands, run as a user runs them."""

import csv
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.run_main import Finished, run_main

MAIN = Path(__file__).resolve().parents[2] / "main.py"


def run(*args: str) -> Finished:
    return run_main(*args)


def test_train_prints_the_course_lines_and_writes_the_history(tmp_path):
    out = tmp_path / "history.csv"
    result = run("train", "--max_steps", "20", "--eval_freq", "10", "--csv", str(out))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Step: 0, Loss: ") and ", Accuracy: " in lines[0]
    assert [line.split(",")[0] for line in lines[:3]] == ["Step: 0", "Step: 10", "Step: 20"]
    assert lines[-1].startswith("Final: 20 steps") and "test accuracy" in lines[-1]
    rows = list(csv.DictReader(out.open()))
    assert [int(r["update"]) for r in rows] == [0, 10, 20]
    assert float(rows[-1]["test_accuracy"]) == float(lines[2].rsplit(" ", 1)[1])


@pytest.mark.parametrize("dataset", ["plane", "multigauss"])
def test_regression_prints_the_test_mse_and_no_accuracy(tmp_path, dataset):
    out = tmp_path / "history.csv"
    args = ("--problem", "regression", "--dataset", dataset, "--csv", str(out))
    result = run("train", *args, "--max_steps", "20", "--eval_freq", "10")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split(",")[0] for line in lines[:3]] == ["Step: 0", "Step: 10", "Step: 20"]
    assert all("Accuracy" not in line for line in lines)
    assert lines[-1].startswith("Final: 20 steps") and "(mean squared error)" in lines[-1]
    rows = list(csv.DictReader(out.open()))
    assert f"{float(rows[-1]['test_loss']):.6f}" == lines[2].rsplit(" ", 1)[1]
    assert float(lines[2].rsplit(" ", 1)[1]) < float(lines[0].rsplit(" ", 1)[1])  # it learns


def test_sgd_flag_is_batch_size_one():
    result = run("train", "--sgd", "--max_steps", "1", "--eval_freq", "1")
    assert "800 updates, batch size 1" in result.stdout


def test_perceptron_prints_test_accuracy():
    result = run("perceptron", "--mean", "20", "--cov", "1")
    assert result.returncode == 0
    assert result.stdout.splitlines()[0] == "Test accuracy: 1.0000"


def test_sweep_prints_every_cell_with_its_bayes_accuracy():
    result = run("sweep", "--means", "2,0.02", "--covs", "1", "--seeds", "2")
    assert result.returncode == 0
    rows = result.stdout.splitlines()[2:]
    assert rows[0].startswith("2 ") and "(0.998)" in rows[0]
    assert rows[1].startswith("0.02 ")


def test_compare_writes_every_curve_in_long_format(tmp_path):
    out = tmp_path / "compare.csv"
    result = run("compare", "--batch_sizes", "10,800", "--max_steps", "2", "--csv", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith("batch_size=10: ")
    rows = list(csv.DictReader(out.open()))
    assert len(rows) == 6 and {r["value"] for r in rows} == {"10", "800"}


def test_no_hidden_layers_is_spelt_as_an_empty_list():
    result = run("train", "--dnn_hidden_units", "", "--max_steps", "1")
    assert result.returncode == 0, result.stderr


# Generous: on a loaded machine Python may take many seconds to start and to stop. The test
# waits for what it needs to see (the lines as they are printed, then the process's end),
# not for a budget of its own.
STOP_SECONDS = 300


@pytest.mark.timeout(STOP_SECONDS + 60)
def test_interrupted_train_still_writes_its_history(tmp_path):
    out = tmp_path / "history.csv"
    command = ["train", "--max_steps", "100000", "--eval_freq", "1", "--csv", str(out)]
    process = subprocess.Popen(
        [sys.executable, str(MAIN), *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout.readline().startswith("Step: 0,")
        assert process.stdout.readline().startswith("Step: 1,")  # training is under way
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=STOP_SECONDS)
    finally:
        if process.poll() is None:  # a failed assertion: no process is left behind
            process.kill()
            process.communicate()
    assert process.returncode == 130 and "interrupted after" in err
    rows = list(csv.DictReader(out.open()))
    assert len(rows) >= 2 and rows[0]["update"] == "0"


@pytest.mark.parametrize(
    "args,words",
    [
        (["train", "--learning_rate", "-1"], "'-1' must be from 1e-06 to 100"),
        (["train", "--learning_rate", "fast"], "is not a number"),
        (["train", "--dnn_hidden_units", "20,x"], "is not a whole number"),
        (["train", "--dnn_hidden_units", "0"], "hidden width must be a whole number from 1"),
        (["train", "--dataset", "mnist"], "invalid choice"),
        (["train", "--sgd", "--batch_size", "5"], "either --sgd or --batch_size"),
        (["train", "--noise", "nan"], "finite"),
        (["train", "--csv", "/no/such/folder/x.csv"], "does not exist"),
        (["perceptron", "--cov", "0"], "must be above 0"),
        (["sweep", "--means", ""], "comma-separated"),
        (["compare", "--batch_sizes", "0"], "'0' must be from 1 to 100,000"),
        (["compare", "--batch_sizes", "5000"], "5000 is larger than the 800 training points"),
        (["train", "--batch_size", "801"], "801 is larger than the 800 training points"),
        (["sweep", "--seeds", "1e12"], "is not a whole number"),
        (["sweep", "--seeds", "100000000"], "must be from 1 to 100"),
        (["perceptron", "--max_epochs", "99999999999"], "must be from 1 to 100,000"),
        (["train", "--max_steps", "1000001"], "must be from 1 to 100,000"),
        (["sweep", "--max_epochs", "100001"], "must be from 1 to 100,000"),
        (["train", "--seed", "-1"], "must be from 0 to 4,294,967,295"),
        (["train", "--l2", "11"], "'11' must be from 0 to 10"),
        (["sweep", "--means", ",".join(["1"] * 21)], "more than 20 values"),
        (["train", "--dnn_hidden_units", "20,,5"], "an entry is empty"),
        (["train", "--dnn_hidden_units", ","], "an entry is empty"),
        (["train", "--dnn_hidden_units", " "], "an entry is empty"),
        (["train", "--data", ""], "--data needs the path"),
        (["train", "--learn", "0.1"], "unrecognized arguments"),
        (["compare", "--batch_size", "5"], "unrecognized arguments"),
        (["train", "--no-such-flag"], "unrecognized arguments"),
        (["sweep", "--means", "5000"], "mean must be a number from"),
        (["train", "--n_samples", "5"], "too few to split"),
        (["perceptron", "--learning_rate", "1e308"], "must be from 1e-06 to 100"),
        (["perceptron", "--problem", "regression"], "the perceptron only classifies"),
        (["train", "--problem", "regression", "--dataset", "moons"], "choose --dataset plane"),
        (["train", "--dataset", "multigauss"], "add --problem regression"),
        (["compare", "--dataset", "plane"], "plane is a regression data set"),
        (["train", "--problem", "ranking"], "invalid choice"),
    ],
)
def test_bad_input_exits_2_with_one_line(args, words):
    result = run(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert words in result.stderr and "Traceback" not in result.stderr
