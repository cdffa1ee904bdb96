"""``main.py check PATH``: a student's own modules checked, as a student runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.checking_fixtures.bugs import BROKEN_IMPORT, BUGS, CORRECT, make_folder

MAIN = Path(__file__).resolve().parents[2] / "main.py"
MODULES = {"Linear", "ReLU", "SoftMax", "CrossEntropy", "MLP", "Perceptron"}
# The report's own listings: CrossEntropy.backward returning x - y under a mean forward, and
# the perceptron's update summed over every axis.
REPORT_LISTINGS = [
    bug
    for bug in BUGS
    if bug.name.startswith(("cross-entropy", "perceptron update summed over every"))
]


def check(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(MAIN), "check", *args], capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def correct(tmp_path_factory):
    out = tmp_path_factory.mktemp("json") / "checks.json"
    return check(str(CORRECT), "--json", str(out)), out


def test_a_correct_solution_passes_every_check(correct):
    result, _ = correct
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 25 and lines[-1] == "All 24 checks pass."
    assert all(line.startswith("PASS  ") for line in lines[:-1])
    assert {line.split()[1] for line in lines[:-1]} == MODULES
    assert result.stderr == ""


def test_json_lists_every_check_with_its_module_and_verdict(correct):
    result, out = correct
    records = json.loads(out.read_text())
    assert len(records) == 24
    assert all({"module", "check", "passed", "message"} <= set(r) for r in records)
    assert {r["module"] for r in records} == MODULES and all(r["passed"] is True for r in records)
    expected = [f"PASS  {r['module']:<12}  {r['check']}: {r['message']}" for r in records]
    assert result.stdout.splitlines()[:-1] == expected


@pytest.fixture(scope="module")
def report_listings(tmp_path_factory):
    changes = tuple(change for bug in REPORT_LISTINGS for change in bug.changes)
    folder = make_folder(tmp_path_factory.mktemp("report") / "student", changes)
    out = folder.parent / "checks.json"
    return check(str(folder), "--json", str(out)), out


def test_the_reports_listings_fail_in_their_modules_with_the_factor_named(report_listings):
    result, out = report_listings
    assert result.returncode == 1
    failures = [line for line in result.stdout.splitlines() if line.startswith("FAIL")]
    assert {line.split()[1] for line in failures} == {"CrossEntropy", "Perceptron"}
    assert (
        "FAIL  CrossEntropy  backward, with SoftMax.backward: CrossEntropy.backward (with "
        "SoftMax.backward) is 800.0 times the gradient of the loss CrossEntropy.forward "
        "returns, which is a mean over 800 samples: divide by the batch size" in failures
    )
    assert any(
        line.endswith(
            "Perceptron.train moves every weight by the same amount: the update is summed "
            "over the features too"
        )
        for line in failures
    )
    assert result.stdout.splitlines()[-1].startswith(
        "4 of 24 checks fail, in CrossEntropy, Perceptron."
    )
    records = json.loads(out.read_text())
    assert {r["module"] for r in records if not r["passed"]} == {"CrossEntropy", "Perceptron"}


def test_a_file_that_cannot_be_imported_is_one_line_naming_the_missing_module(tmp_path):
    result = check(str(make_folder(tmp_path / "student", BROKEN_IMPORT)))
    assert result.returncode == 1
    failures = [line for line in result.stdout.splitlines() if line.startswith("FAIL")]
    assert failures == [
        "FAIL  modules.py    import: modules.py cannot be imported: ModuleNotFoundError: "
        "No module named 'helpers_from_last_year' (modules.py:9)"
    ]
    assert "Traceback" not in result.stdout + result.stderr and result.stderr == ""
    assert "Not checked: " in result.stdout.splitlines()[-1]


def test_nothing_to_check_is_a_usage_error_on_one_line(tmp_path):
    missing = check(str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and missing.stdout == ""
    assert missing.stderr == f"main.py check: {tmp_path / 'nowhere'}: no such file or folder\n"
    empty = check(str(tmp_path))
    assert empty.returncode == 2 and len(empty.stderr.splitlines()) == 1
    assert "none of the course's files" in empty.stderr
    (tmp_path / "modules.py").write_text("x = 1\n")
    no_classes = check(str(tmp_path))
    assert no_classes.returncode == 2 and len(no_classes.stderr.splitlines()) == 1
    assert "none of the classes Linear, ReLU" in no_classes.stderr


def test_help_says_that_checking_runs_the_code():
    result = check("--help")
    assert result.returncode == 0
    assert "Checking runs the code in the folder" in " ".join(result.stdout.split())
