"""``main.py grid``, run as a user runs it: the table and one CSV row per run and seed (the
numbers of the same map run in this process), bad command lines, and the Dask option without
a scheduler or without Dask."""

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from cli.app import run
from model.config import ExperimentConfig
from model.experiments.hyperparameter_map import MapSpec, parse_axis
from model.experiments.map_placement import CONNECT_SECONDS, INSTALL_HINT, run_map

ROOT = Path(__file__).resolve().parents[2]
MAIN = ROOT / "main.py"
SMALL = ExperimentConfig().with_changes(data={"n_samples": 200})  # 160 training points


def main_py(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(MAIN), *args], capture_output=True, text=True, timeout=120
    )


def without_seconds(rows):
    return [[str(v) for i, v in enumerate(row) if i != 10] for row in rows]


def test_the_command_line_writes_one_row_per_run_and_seed(tmp_path):
    out = tmp_path / "grid.csv"
    done = main_py(
        "grid", "--x", "learning_rate=0.01,0.3", "--y", "batch_size=10,full", "--seeds", "2",
        "--max_steps", "3", "--n_samples", "200", "--csv", str(out),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "0.01" in done.stdout and "8 of 8 runs" in done.stdout
    with out.open() as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:3] == ["learning_rate", "batch_size", "seed"]
    grid = MapSpec(
        SMALL, parse_axis("learning_rate=0.01,0.3"), parse_axis("batch_size=10,full"), 2, 3
    )
    expected = without_seconds(run_map(grid, jobs=1).rows())
    assert without_seconds(rows[1:]) == expected


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--x", "learning_rate=0.1", "--y", "learning_rate=1"], "different parameters"),
        (["--x", "lr=0.1", "--y", "l2=0"], "argument --x"),
        (["--x", "learning_rate=0.1"], "required: --y"),
        (["--x", "batch_size=10000", "--y", "l2=0"], "larger than the 800 training points"),
        (["--x", "l2=0", "--y", "depth=1", "--seeds", "101"], "'101' must be from 1 to 100"),
        (["--x", "l2=0", "--y", "depth=1", "--max_steps", "100001"], "from 1 to 100,000"),
        (["--x", "l2=0", "--y", "depth=1", "--csv", "/nonexistent/a.csv"], "cannot write"),
        (["--x", "l2=0", "--y", "depth=1", "--scheduler", " "], "needs an address"),
        (["--x", "l2=0", "--y", "depth=1", "--jobs", "0"], "'0' must be from 1 to 256"),
        (["--x", "l2=0", "--y", "depth=1", "--target_accuracy", "1.5"], "from 0.01 to 1"),
        (["--x", "l2=0", "--y", "depth=1", "--seed", "-1"], "from 0 to 4,294,967,295"),
    ],
)
def test_bad_command_lines_exit_2_with_one_line(capsys, args, message):
    assert run(["grid", *args]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and message in err


def test_a_scheduler_that_cannot_be_reached_is_one_line_after_the_grids_own_timeout(tmp_path):
    out = tmp_path / "grid.csv"
    done = main_py(
        "grid", "--x", "l2=0", "--y", "depth=1", "--max_steps", "1", "--csv", str(out),
        "--scheduler", "tcp://127.0.0.1:9",
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in lines[0]
    assert f"after {CONNECT_SECONDS:g} s" in lines[0]  # not Dask's own 30 s
    assert not out.exists()


def test_without_dask_the_scheduler_option_says_how_to_install_it():
    script = (
        "import sys; sys.modules['distributed'] = None; sys.modules['dask'] = None\n"
        "from model.experiments.map_placement import dask_missing; print(dask_missing())\n"
        "from cli.app import run\n"
        "sys.exit(run(['grid', '--x', 'l2=0', '--y', 'depth=1', '--max_steps', '1',\n"
        "              '--scheduler', 'tcp://127.0.0.1:8786']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert done.returncode == 2
    assert INSTALL_HINT in done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "pip install -e '.[cluster]'" in lines[0]
    # and a local grid still runs without Dask
    script = script.replace("'--scheduler', 'tcp://127.0.0.1:8786'", "'--jobs', '1'")
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert done.returncode == 0, done.stderr
