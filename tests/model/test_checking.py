"""Checking a student's own modules (model/checking/): a correct solution passes every check,
each single bug fails in its own module alone with its message, a hang or a memory hog fails
its checks and the rest still run, and the student's MLP trains in its own process update for
update with the reference."""

from __future__ import annotations

import time

import numpy as np
import pytest

from model.checking.perceptron_checks import batch_rule
from model.checking.runner import run_checks
from model.checking.training import StudentTraining, student_perceptron_epochs
from model.data.datasets import make_dataset
from model.nn.mlp import MLP
from model.nn.perceptron import Perceptron
from tests.checking_fixtures.bugs import BUGS, CORRECT, OTHER_CONVENTIONS, Change, make_folder

MODULES = {"Linear", "ReLU", "SoftMax", "CrossEntropy", "MLP", "Perceptron"}
CORRECTABLE = {"Linear", "ReLU", "SoftMax"}  # what an MLP is made of


def failing(report) -> set[str]:
    return {result.module for result in report.results if not result.passed}


@pytest.fixture(scope="module", params=BUGS, ids=[bug.name for bug in BUGS])
def bug_report(request, tmp_path_factory):
    bug = request.param
    folder = make_folder(tmp_path_factory.mktemp("bug") / "student", bug.changes)
    return bug, run_checks(folder)


def test_each_bug_fails_in_its_module_alone_with_its_message(bug_report):
    bug, report = bug_report
    assert {r.module for r in report.results} == MODULES and not report.not_checked
    assert failing(report) == {bug.module}
    messages = [r.message for r in report.results if not r.passed]
    assert any(bug.message in message for message in messages), messages
    if bug.module in CORRECTABLE:  # the MLP made of it is judged with the reference's
        mlp = [r for r in report.results if r.module == "MLP"]
        assert all(f"judged with the reference's {bug.module}" in r.message for r in mlp)
    assert report.exit_status() == 1


def test_a_correct_solution_written_the_other_allowed_ways_passes(tmp_path):
    # (in, out) weights, the bias as a row, SoftMax.backward the Jacobian product with
    # CrossEntropy.backward the gradient with respect to the probabilities.
    report = run_checks(make_folder(tmp_path / "student", OTHER_CONVENTIONS))
    assert report.all_passed, report.lines()
    assert len(report.results) == 24
    split = next(r for r in report.results if r.module == "SoftMax" and r.check == "backward")
    assert split.message == "the Jacobian product"


def test_a_hanging_forward_fails_its_module_in_time_and_the_rest_is_checked(tmp_path):
    loop = Change(
        "modules.py",
        "        self.x = x\n        out = np.maximum(x, 0.0)",
        "        while True:\n            pass",
    )
    folder = make_folder(tmp_path / "student", (loop,))
    start = time.monotonic()
    report = run_checks(folder, seconds=2.0)
    assert time.monotonic() - start < 30
    assert failing(report) == {"ReLU"} and len(report.results) == 24
    relu = [r for r in report.results if r.module == "ReLU"]
    # the loop is two lines, ``while True:`` and ``pass``: the student is caught on either
    assert relu[0].message in {
        f"ReLU did not finish within 2 s (it was at modules.py:{line} in forward)"
        for line in (36, 37)
    }
    assert all(r.message.startswith("not run: ") for r in relu[1:])


def test_memory_beyond_the_limit_fails_the_check_and_the_rest_runs(tmp_path):
    # 3 GB of address space: granted without the limit (the pages are never touched).
    hog = Change(
        "modules.py",
        "        out = np.maximum(x, 0.0)",
        "        np.empty(3 * 2**30, np.uint8)\n        out = np.maximum(x, 0.0)",
    )
    report = run_checks(make_folder(tmp_path / "student", (hog,)))
    assert failing(report) == {"ReLU"}
    shapes = next(r for r in report.results if r.module == "ReLU")
    assert shapes.message.startswith("ReLU.forward raised MemoryError: ")
    assert shapes.message.endswith("(modules.py:37)")


def test_what_the_student_prints_is_kept_with_the_check_not_shown(tmp_path, capfd):
    said = Change(
        "modules.py",
        "        self.x = x\n        out = np.maximum",
        "        print('relu got', x.shape)\n        self.x = x\n        out = np.maximum",
    )
    report = run_checks(make_folder(tmp_path / "student", (said,)))
    assert report.all_passed
    assert "relu got" not in capfd.readouterr().out
    shapes = next(r for r in report.results if r.module == "ReLU")
    assert shapes.output == "relu got (32, 4)\n" and shapes.record()["output"] == shapes.output


def test_a_syntax_error_is_one_failure_naming_the_students_line(tmp_path):
    broken = Change(
        "perceptron.py",
        "    def train(self, training_inputs, labels):",
        "    def train(self, training_inputs, labels)",
    )
    report = run_checks(make_folder(tmp_path / "student", (broken,)))
    imports = [r for r in report.results if r.check == "import"]
    assert [r.message for r in imports] == [
        "perceptron.py cannot be imported: SyntaxError: expected ':' (perceptron.py:22)"
    ]
    assert report.not_checked == {"Perceptron": "perceptron.py cannot be imported"}
    assert failing(report) == {"perceptron.py"}


def test_the_students_mlp_trains_update_for_update_with_the_reference():
    data = make_dataset("moons", seed=1)
    rng = np.random.default_rng(0)
    hidden = [16, 16]  # a square middle layer, stored as the other layers are
    reference = MLP(2, hidden, 2, seed=3)
    weights = [
        (lin.params["weight"].copy(), lin.params["bias"].copy()) for lin in reference.linears
    ]
    with StudentTraining(CORRECT, hidden, weights, data.X_train[:32], data.y_train[:32]) as mine:
        worst = 0.0
        for _ in range(200):
            batch = rng.choice(len(data.X_train), 32, replace=False)
            X, y = data.X_train[batch], data.y_train[batch]
            step = mine.update(X, y, 0.1)
            loss = reference.loss_and_gradients(X, y)
            for param, grad in reference.parameter_pairs():
                param -= 0.1 * grad
            assert step.loss == pytest.approx(loss, rel=1e-9)
            for (w, b), linear in zip(step.weights, reference.linears, strict=True):
                worst = max(
                    worst,
                    np.abs(w - linear.params["weight"]).max(),
                    np.abs(b - linear.params["bias"]).max(),
                )
        assert worst < 1e-9
        assert np.allclose(
            mine.outputs(data.X_test), reference.predict_proba(data.X_test), atol=1e-9
        )


def test_a_wrong_loss_module_shows_in_the_students_run_from_the_first_update(tmp_path):
    folder = make_folder(tmp_path / "student", BUGS[0].changes)  # CrossEntropy.backward x - y
    data = make_dataset("moons", seed=0)
    reference = MLP(2, [8], 2, seed=0)
    weights = [
        (lin.params["weight"].copy(), lin.params["bias"].copy()) for lin in reference.linears
    ]
    X, y = data.X_train, data.y_train
    with StudentTraining(folder, [8], weights, X, y) as mine:
        step = mine.update(X, y, 0.01)
    reference.loss_and_gradients(X, y)
    for param, grad in reference.parameter_pairs():
        param -= 0.01 * grad
    moved = step.weights[0][0] - weights[0][0]
    assert np.allclose(moved, 800 * (reference.linears[0].params["weight"] - weights[0][0]))


def test_the_students_perceptron_epochs_follow_the_batch_rule():
    data = make_dataset("gaussians", mean=1.0, cov=1.0, seed=2)
    epochs = student_perceptron_epochs(CORRECT, data.X_train, data.y_train, 0.01, 20)
    y = np.where(data.y_train == 1, 1.0, -1.0)
    first, _ = batch_rule(np.zeros(3), data.X_train, y, 0.01, "wrong")  # points on the line: wrong
    reference = Perceptron(2, learning_rate=0.01)
    reference.weights[:] = first
    expected = [first] + [reference.train_epoch(data.X_train, y).weights_after for _ in range(19)]
    assert np.allclose(epochs, expected, rtol=0, atol=1e-12)
